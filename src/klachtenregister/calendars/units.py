"""Durations as regulations state them: an amount and a unit (werkdagen, dagen, weken, maanden)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from klachtenregister.yamlio import Invalid, message


class DurationUnit(StrEnum):
    """The units a term can be stated in.

    The values are the Dutch words used in regulation files. English spellings (as used in
    scenario files and the API) are accepted as aliases by :meth:`parse`.
    """

    WORKING_DAYS = "werkdagen"
    DAYS = "dagen"
    WEEKS = "weken"
    MONTHS = "maanden"

    @classmethod
    def parse(cls, value: str) -> DurationUnit:
        try:
            return _UNIT_ALIASES[value.strip().lower()]
        except KeyError:
            known = ", ".join(sorted(_UNIT_ALIASES))
            raise Invalid(
                message(
                    "onbekende eenheid {unit}; verwacht een van: {known}",
                    unit=repr(value),
                    known=known,
                )
            ) from None


_UNIT_ALIASES: dict[str, DurationUnit] = {
    **{unit.value: unit for unit in DurationUnit},
    "werkdag": DurationUnit.WORKING_DAYS,
    "dag": DurationUnit.DAYS,
    "week": DurationUnit.WEEKS,
    "maand": DurationUnit.MONTHS,
    "working_days": DurationUnit.WORKING_DAYS,
    "days": DurationUnit.DAYS,
    "weeks": DurationUnit.WEEKS,
    "months": DurationUnit.MONTHS,
}


@dataclass(frozen=True, slots=True)
class Duration:
    amount: int
    unit: DurationUnit

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}"
