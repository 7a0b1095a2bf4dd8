"""The period a report covers: complaints belong to it by their date of receipt."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass


class PeriodError(ValueError):
    """A period that cannot be read."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def shifted_years(self, years: int) -> Period:
        """The same stretch of the calendar ``years`` earlier (29 February becomes the 28th)."""

        def back(day: dt.date) -> dt.date:
            year = day.year - years
            last = calendar.monthrange(year, day.month)[1]
            return day.replace(year=year, day=min(day.day, last))

        return Period(back(self.start), back(self.end))


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?::|\.\.)(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str) -> Period:
    """``2026``, ``2026-Q2``, ``2026-03`` or ``2026-01-01:2026-06-30`` (both days included)."""
    value = text.strip()
    try:
        if match := _YEAR.match(value):
            year = int(match[1])
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
        if match := _QUARTER.match(value):
            year, quarter = int(match[1]), int(match[2])
            first = 3 * quarter - 2
            return Period(
                dt.date(year, first, 1),
                dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1]),
            )
        if match := _MONTH.match(value):
            year, month = int(match[1]), int(match[2])
            return Period(
                dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
            )
        if match := _RANGE.match(value):
            start, end = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
            if end < start:
                raise PeriodError(f"the period ends before it starts: {text!r}")
            return Period(start, end)
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(f"not a period: {text!r} ({exc})") from None
    raise PeriodError(
        f"not a period: {text!r} (write 2026, 2026-Q2, 2026-03 or 2026-01-01:2026-06-30)"
    )
