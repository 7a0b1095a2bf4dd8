"""The calendar data model: what a calendar file may say, and reading one from YAML.

A calendar is data, not code: the weekend, the rules that produce holidays, fixed closing days
and how terms in days, weeks and months end. The models refuse unknown fields so that a typo in
a file (``closing_day`` for ``closing_days``) is an error instead of a silently ignored line.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from klachtenregister.calendars.errors import CalendarError
from klachtenregister.yamlio import MAX_BYTES, YamlFileError, check_events, check_expansion


class Weekday(StrEnum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def number(self) -> int:
        """The weekday as :meth:`datetime.date.weekday` numbers it (Monday is 0)."""
        return _WEEKDAY_NUMBERS[self]


_WEEKDAY_NUMBERS = {day: number for number, day in enumerate(Weekday)}

# Organisations write their files in Dutch as often as in English.
_WEEKDAY_ALIASES: dict[str, Weekday] = {
    **{day.value: day for day in Weekday},
    "maandag": Weekday.MONDAY,
    "dinsdag": Weekday.TUESDAY,
    "woensdag": Weekday.WEDNESDAY,
    "donderdag": Weekday.THURSDAY,
    "vrijdag": Weekday.FRIDAY,
    "zaterdag": Weekday.SATURDAY,
    "zondag": Weekday.SUNDAY,
}


def _parse_weekday(value: object) -> Weekday:
    if isinstance(value, str) and value.strip().lower() in _WEEKDAY_ALIASES:
        return _WEEKDAY_ALIASES[value.strip().lower()]
    english = ", ".join(day.value for day in Weekday)
    raise ValueError(f"unknown weekday {value!r}; expected one of {english} (or the Dutch name)")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_iso_date(value: object) -> date:
    # Only the unambiguous YYYY-MM-DD form: pydantic's lax mode would also take a number as a
    # Unix timestamp, which in a calendar file is always a mistake.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError(f"expected a date written as YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date ({exc})") from None


WeekdayName = Annotated[Weekday, BeforeValidator(_parse_weekday)]
IsoDate = Annotated[date, BeforeValidator(_parse_iso_date)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackageExclusion(_Strict):
    """A holiday the ``holidays`` package produces that this calendar does not take."""

    name: Text
    reason: str | None = None


class PackageHolidays(_Strict):
    """Rule-based holidays (Easter, Ascension, ...) taken from the ``holidays`` package.

    ``name`` values are the package's names in ``language``; the language is required because
    exclusions and relabelling match on those names, and the package's default language differs
    per country.
    """

    country: Text
    subdivision: str | None = None
    categories: list[Text] = Field(default_factory=lambda: ["public"], min_length=1)
    language: Text
    exclude: list[PackageExclusion] = Field(default_factory=list)
    labels: dict[str, Text] = Field(default_factory=dict)
    source: str | None = None


class FixedHoliday(_Strict):
    """A holiday on the same day every year (optionally only between two years)."""

    month: StrictInt = Field(ge=1, le=12)
    day: StrictInt = Field(ge=1, le=31)
    label: Text
    from_year: StrictInt | None = None
    to_year: StrictInt | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _day_exists(self) -> FixedHoliday:
        try:
            # A leap year, so that 29 February is accepted (and skipped in other years).
            date(2000, self.month, self.day)
        except ValueError:
            raise ValueError(f"day {self.day} does not exist in month {self.month}") from None
        if (
            self.from_year is not None
            and self.to_year is not None
            and self.from_year > self.to_year
        ):
            raise ValueError(f"from_year {self.from_year} is after to_year {self.to_year}")
        return self


class ClosingDay(_Strict):
    """One dated non-working day: a Royal Decree day, or an organisation's own closing day."""

    date: IsoDate
    label: Text
    source: str | None = None


class CalendarSpec(_Strict):
    """A calendar as written in a calendar file.

    With ``based_on`` the file extends another calendar: the lists ``package_holidays``,
    ``fixed_holidays`` and ``closing_days`` are added to the base's, every other field that is
    present replaces the base's value.
    """

    name: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str | None = None
    description: str | None = None
    based_on: str | None = None
    weekend: list[WeekdayName] = Field(
        default_factory=lambda: [Weekday.SATURDAY, Weekday.SUNDAY], max_length=6
    )
    roll_over: StrictBool = False
    roll_over_source: str | None = None
    minimum_working_days_in_term: StrictInt = Field(default=0, ge=0)
    minimum_working_days_applies_from_days: StrictInt = Field(default=3, ge=1)
    minimum_working_days_source: str | None = None
    package_holidays: list[PackageHolidays] = Field(default_factory=list)
    fixed_holidays: list[FixedHoliday] = Field(default_factory=list)
    closing_days: list[ClosingDay] = Field(default_factory=list)

    @field_validator("weekend")
    @classmethod
    def _no_repeated_weekday(cls, value: list[Weekday]) -> list[Weekday]:
        repeated = sorted({day.value for day in value if value.count(day) > 1})
        if repeated:
            raise ValueError(f"weekday listed more than once: {', '.join(repeated)}")
        return value


# PyYAML turns an unquoted 2026-02-30 into a date itself and fails with a bare ValueError that
# names no field. Keeping timestamps as text lets the model report the field path instead.
class _CalendarLoader(yaml.SafeLoader):
    pass


_CalendarLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_calendar_text(text: str, origin: str | Path) -> CalendarSpec:
    """Parse and validate calendar YAML; ``origin`` names the source in error messages."""
    # A SafeLoader subclass, so no arbitrary Python objects can be constructed; the file is
    # bounded like a regulation file (size, depth, aliases, expansion) before it is built.
    loader = _CalendarLoader(text)
    try:
        check_events(text, str(origin))
        node = loader.get_single_node()
        if node is not None:
            check_expansion(node, str(origin))
        data = None if node is None else loader.construct_document(node)
    except YamlFileError as exc:
        raise CalendarError.single(origin, "", exc.message.render()) from None
    except yaml.YAMLError as exc:
        raise CalendarError.single(origin, "", f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        raise CalendarError.single(origin, "", "the file is empty; expected a calendar mapping")
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise CalendarError.single(origin, "", f"expected a mapping of fields, got a {kind}")
    try:
        return CalendarSpec.model_validate(data)
    except ValidationError as exc:
        raise CalendarError(origin, _problems(exc)) from None


def read_calendar_file(path: str | Path) -> CalendarSpec:
    """Read one calendar file (without resolving ``based_on``)."""
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_BYTES * 4:
            raise CalendarError.single(
                path, "", f"the file is too large: at most {MAX_BYTES} bytes"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CalendarError.single(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarError.single(path, "", f"cannot read the file: {exc}") from None
    return parse_calendar_text(text, path)


def field_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic location as ``closing_days[2].date``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _problems(exc: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for error in exc.errors(include_url=False):
        kind = error["type"]
        if kind == "extra_forbidden":
            message = "unknown field"
        elif kind == "missing":
            message = "required field is missing"
        else:
            message = error["msg"].removeprefix("Value error, ")
            if kind not in ("value_error", "assertion_error") and "input" in error:
                message += f" (got {error['input']!r})"
        problems.append((field_path(error["loc"]), message))
    return problems
