"""The working-day calendar: deadline arithmetic over a precomputed index.

The index covers whole years (1990..2100 by default). For every day it holds ``rank``: the number
of working days from the first day of the range up to and including that day, and the list of
working days in order. Adding N working days is then two list lookups, counting working days
between two dates a subtraction; no call walks day by day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType

from klachtenregister.calendars.errors import CalendarError, CalendarRangeError
from klachtenregister.calendars.rules import non_working_days
from klachtenregister.calendars.spec import CalendarSpec
from klachtenregister.calendars.units import Duration, DurationUnit

DEFAULT_FIRST_YEAR = 1990
DEFAULT_LAST_YEAR = 2100

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_calendar_months(d: date, months: int) -> date:
    """Same day number ``months`` later, clipped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = d.year * 12 + d.month - 1 + months
    year, month0 = divmod(index, 12)
    last = _DAYS_IN_MONTH[month0]
    if month0 == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return date(year, month0 + 1, min(d.day, last))


class WorkingDayCalendar:
    """Which days are working days, and deadline arithmetic on them.

    Terms in werkdagen follow "within N werkdagen after X": the day of X does not count. Terms in
    days, weeks and months are calendar arithmetic, after which the calendar's own term rules
    apply: a minimum number of working days in the term (Atw art. 2) and rolling a term that ends
    on a non-working day on to the next working day (Atw art. 1).
    """

    __slots__ = (
        "_base",
        "_days",
        "_is_working",
        "_labels",
        "_labels_by_year",
        "_rank",
        "_working",
        "first_day",
        "last_day",
        "minimum_term_days",
        "minimum_working_days_in_term",
        "name",
        "roll_over",
        "spec",
        "weekend",
    )

    def __init__(
        self,
        *,
        name: str,
        non_working_days: Mapping[date, str],
        weekend: Iterable[int] = (5, 6),
        roll_over: bool = False,
        minimum_working_days_in_term: int = 0,
        minimum_term_days: int = 3,
        first_year: int = DEFAULT_FIRST_YEAR,
        last_year: int = DEFAULT_LAST_YEAR,
        spec: CalendarSpec | None = None,
    ) -> None:
        if first_year > last_year:
            raise ValueError(f"first_year {first_year} is after last_year {last_year}")
        self.name = name
        self.weekend = frozenset(weekend)
        if not self.weekend <= set(range(7)) or len(self.weekend) == 7:
            raise ValueError(f"weekend must be some (not all) of the weekdays 0..6: {weekend}")
        self.roll_over = roll_over
        self.minimum_working_days_in_term = minimum_working_days_in_term
        self.minimum_term_days = minimum_term_days
        self.spec = spec
        self.first_day = date(first_year, 1, 1)
        self.last_day = date(last_year, 12, 31)

        base = self.first_day.toordinal()
        count = self.last_day.toordinal() - base + 1
        closed = {day.toordinal() - base for day in non_working_days}
        first_weekday = self.first_day.weekday()
        rank: list[int] = []
        is_working = bytearray(count)
        working: list[date] = []
        day = self.first_day
        one_day = timedelta(days=1)
        for i in range(count):
            if (first_weekday + i) % 7 not in self.weekend and i not in closed:
                is_working[i] = 1
                working.append(day)
            rank.append(len(working))
            day += one_day
        if not working:
            raise ValueError(f"calendar {name!r} has no working days in {first_year}..{last_year}")

        self._base = base
        self._days = count
        self._rank = rank
        self._is_working = bytes(is_working)
        self._working = working
        labels = {
            day: label
            for day, label in sorted(non_working_days.items())
            if self.first_day <= day <= self.last_day
        }
        self._labels = MappingProxyType(labels)
        by_year: dict[int, dict[date, str]] = {}
        for day, label in labels.items():
            by_year.setdefault(day.year, {})[day] = label
        self._labels_by_year = by_year

    @classmethod
    def from_spec(
        cls,
        spec: CalendarSpec,
        *,
        name: str | None = None,
        first_year: int = DEFAULT_FIRST_YEAR,
        last_year: int = DEFAULT_LAST_YEAR,
        origin: str | Path | None = None,
    ) -> WorkingDayCalendar:
        """Build the index for a resolved spec (one without ``based_on``)."""
        if spec.based_on is not None:
            raise CalendarError.single(
                origin, "based_on", "resolve the base first (use load_calendar)"
            )
        return cls(
            name=name or spec.name or "calendar",
            non_working_days=non_working_days(spec, first_year, last_year, origin=origin),
            weekend=[day.number for day in spec.weekend],
            roll_over=spec.roll_over,
            minimum_working_days_in_term=spec.minimum_working_days_in_term,
            minimum_term_days=spec.minimum_working_days_applies_from_days,
            first_year=first_year,
            last_year=last_year,
            spec=spec,
        )

    def __repr__(self) -> str:
        return (
            f"<WorkingDayCalendar {self.name!r} {self.first_day.year}..{self.last_day.year}"
            f" roll_over={self.roll_over}>"
        )

    # -- lookups --------------------------------------------------------------------------------

    def _index(self, d: date) -> int:
        i = d.toordinal() - self._base
        if not 0 <= i < self._days:
            raise self._out_of_range(d)
        return i

    def _out_of_range(self, d: date) -> CalendarRangeError:
        return CalendarRangeError(
            f"{d.isoformat()} is outside the range of calendar {self.name!r} "
            f"({self.first_day.isoformat()} .. {self.last_day.isoformat()})"
        )

    def _result_out_of_range(
        self, d: date, n: int, unit: str = "working days"
    ) -> CalendarRangeError:
        self._index(d)  # a start outside the range is the clearer message
        return CalendarRangeError(
            f"{n} {unit} from {d.isoformat()} falls outside the range of calendar "
            f"{self.name!r} ({self.first_day.isoformat()} .. {self.last_day.isoformat()})"
        )

    def is_working_day(self, d: date) -> bool:
        return self._is_working[self._index(d)] == 1

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the first working day after it."""
        i = self._index(d)
        try:
            return self._working[self._rank[i] - self._is_working[i]]
        except IndexError:
            raise self._result_out_of_range(d, 1) from None

    def previous_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the last working day before it."""
        i = self._index(d)
        position = self._rank[i] - 1
        if position < 0:
            raise self._result_out_of_range(d, -1)
        return self._working[position]

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (``d`` itself does not count); n=0 gives ``d``.

        A negative ``n`` counts back: the |n|-th working day before ``d``.
        """
        i = d.toordinal() - self._base
        if n > 0:
            # rank[i] counts the working days up to and including d, so the n-th working day
            # after d is at position rank[i] + n - 1 whether or not d itself is a working day.
            # Python's negative indexing must not wrap around, hence the explicit i >= 0.
            if i >= 0:
                try:
                    return self._working[self._rank[i] + n - 1]
                except IndexError:
                    pass
            raise self._result_out_of_range(d, n)
        if not 0 <= i < self._days:
            raise self._out_of_range(d)
        if n == 0:
            return d
        position = self._rank[i] - self._is_working[i] + n
        if position < 0:
            raise self._result_out_of_range(d, n)
        return self._working[position]

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days in (a, b]; negative (minus those in (b, a]) when b < a.

        ``working_days_between(d, add_working_days(d, n)) == n`` for every n >= 0.
        """
        rank = self._rank
        return rank[self._index(b)] - rank[self._index(a)]

    def holidays(self, year: int) -> dict[date, str]:
        """Labelled non-working days of ``year`` other than the weekend: holidays and closing
        days (also those falling on a weekend day)."""
        if not self.first_day.year <= year <= self.last_day.year:
            raise self._out_of_range(date(year, 1, 1))
        return dict(self._labels_by_year.get(year, {}))

    def label(self, d: date) -> str | None:
        """Why ``d`` is not a working day ("weekend", a holiday name), or None on a working day."""
        i = self._index(d)
        if self._is_working[i]:
            return None
        return self._labels.get(d, "weekend")

    # -- terms ----------------------------------------------------------------------------------

    def add(self, d: date, duration: Duration) -> date:
        """The end of a term of ``duration`` starting after ``d``.

        werkdagen: :meth:`add_working_days`. dagen, weken, maanden: calendar arithmetic (months
        keep the day number, clipped to the month's end), then for a positive term the
        calendar's minimum-working-days rule and roll-over. A negative term is counted back
        and is not extended: Atw art. 1 lid 2 excludes terms counted back from an event.
        """
        unit = duration.unit
        n = duration.amount
        if unit == DurationUnit.WORKING_DAYS:
            return self.add_working_days(d, n)
        if unit == DurationUnit.DAYS:
            end = self._shift(d, n)
        elif unit == DurationUnit.WEEKS:
            end = self._shift(d, 7 * n)
        elif unit == DurationUnit.MONTHS:
            self._index(d)
            try:
                end = add_calendar_months(d, n)
            except ValueError:
                raise self._result_out_of_range(d, n, "months") from None
        else:
            raise ValueError(f"unknown duration unit {unit!r}")
        if n <= 0:
            self._index(end)
            return end
        return self._close_term(d, end)

    def add_days(self, d: date, n: int) -> date:
        return self.add(d, Duration(n, DurationUnit.DAYS))

    def add_weeks(self, d: date, n: int) -> date:
        return self.add(d, Duration(n, DurationUnit.WEEKS))

    def add_months(self, d: date, n: int) -> date:
        return self.add(d, Duration(n, DurationUnit.MONTHS))

    def _shift(self, d: date, days: int) -> date:
        self._index(d)
        try:
            return d + timedelta(days=days)
        except OverflowError:
            raise self._result_out_of_range(d, days, "days") from None

    def _close_term(self, start: date, end: date) -> date:
        minimum = self.minimum_working_days_in_term
        if minimum and (end - start).days >= self.minimum_term_days:
            # Atw art. 2: extend by as many days as needed for the term to contain `minimum`
            # working days; the day on which the last of those falls is the earliest end.
            earliest = self.add_working_days(start, minimum)
            if end < earliest:
                end = earliest
        if self.roll_over:
            return self.next_working_day(end)
        self._index(end)
        return end
