"""Property-based tests: the indexed calendar against a naive day-by-day reference.

The reference below knows nothing of the index: it decides whether a day is a working day from
the weekday and the calendar's labelled holidays, and walks day by day.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtenregister.calendars import (
    Duration,
    DurationUnit,
    WorkingDayCalendar,
    load_calendar,
)

REPO = Path(__file__).resolve().parents[2]
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Reference:
    """A slow, obvious model of a calendar, stated independently of the implementation."""

    weekend: frozenset[int]
    closed: frozenset[date]
    roll_over: bool
    minimum_working_days: int

    def is_working(self, d: date) -> bool:
        return d.weekday() not in self.weekend and d not in self.closed

    def add_working_days(self, d: date, n: int) -> date:
        step = ONE_DAY if n >= 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_working(d):
                remaining -= 1
        return d

    def count(self, a: date, b: date) -> int:
        """Working days in (a, b]."""
        total = 0
        while a < b:
            a += ONE_DAY
            total += self.is_working(a)
        return total

    def term_end(self, start: date, duration: Duration) -> date:
        n = duration.amount
        if duration.unit == DurationUnit.DAYS:
            end = start + timedelta(days=n)
        elif duration.unit == DurationUnit.WEEKS:
            end = start + timedelta(days=7 * n)
        else:
            year = start.year + (start.month - 1 + n) // 12
            month = (start.month - 1 + n) % 12 + 1
            last = stdlib_calendar.monthrange(year, month)[1]
            end = date(year, month, min(start.day, last))
        if n <= 0:
            return end
        if self.minimum_working_days and (end - start).days >= 3:
            while self.count(start, end) < self.minimum_working_days:
                end += ONE_DAY
        if self.roll_over:
            while not self.is_working(end):
                end += ONE_DAY
        return end


def reference_for(cal: WorkingDayCalendar, weekend: set[int]) -> Reference:
    closed = {day for year in range(1990, 2101) for day in cal.holidays(year)}
    return Reference(
        weekend=frozenset(weekend),
        closed=frozenset(closed),
        roll_over=cal.roll_over,
        minimum_working_days=cal.minimum_working_days_in_term,
    )


def _shifted_weekend_calendar(tmp_dir: Path) -> WorkingDayCalendar:
    path = tmp_dir / "shifted.yaml"
    path.write_text(
        "based_on: nl-atw\nweekend: [sunday, monday]\nroll_over: false\n", encoding="utf-8"
    )
    return load_calendar(path)


@pytest.fixture(scope="module")
def calendars(
    tmp_path_factory: pytest.TempPathFactory,
) -> list[tuple[WorkingDayCalendar, Reference]]:
    atw = load_calendar("nl-atw")
    kerst = load_calendar(REPO / "examples" / "calendars" / "kerstsluiting.yaml")
    shifted = _shifted_weekend_calendar(tmp_path_factory.mktemp("calendars"))
    return [
        (atw, reference_for(atw, {5, 6})),
        (kerst, reference_for(kerst, {5, 6})),
        (shifted, reference_for(shifted, {6, 0})),
    ]


# Far enough inside 1990..2100 that 500 working days (or 36 months) either way stay in range.
dates = st.dates(min_value=date(1993, 1, 1), max_value=date(2097, 12, 31))
recent = st.dates(min_value=date(2022, 1, 1), max_value=date(2030, 12, 31))
counts = st.integers(min_value=0, max_value=500)
which = st.integers(min_value=0, max_value=2)
terms = st.one_of(
    st.builds(Duration, st.integers(1, 500), st.just(DurationUnit.DAYS)),
    st.builds(Duration, st.integers(1, 100), st.just(DurationUnit.WEEKS)),
    st.builds(Duration, st.integers(1, 36), st.just(DurationUnit.MONTHS)),
)
Pick = Callable[[int], tuple[WorkingDayCalendar, Reference]]


class _Picker:
    """Chooses a calendar by number; its short repr keeps Hypothesis' failure reports readable."""

    def __init__(self, calendars: list[tuple[WorkingDayCalendar, Reference]]) -> None:
        self.calendars = calendars

    def __call__(self, which: int) -> tuple[WorkingDayCalendar, Reference]:
        return self.calendars[which]

    def __repr__(self) -> str:
        return f"<calendars {[cal.name for cal, _ in self.calendars]}>"


@pytest.fixture(scope="module")
def pick(calendars: list[tuple[WorkingDayCalendar, Reference]]) -> Pick:
    return _Picker(calendars)


@settings(max_examples=300, deadline=None)
@given(which=which, d=dates, n=st.integers(min_value=1, max_value=500))
def test_adding_working_days_lands_on_a_working_day(pick: Pick, which: int, d: date, n: int):
    cal, reference = pick(which)
    result = cal.add_working_days(d, n)
    assert cal.is_working_day(result)
    assert reference.is_working(result)


@settings(max_examples=300, deadline=None)
@given(which=which, d=dates, n=counts)
def test_adding_then_counting_gives_n_back(pick: Pick, which: int, d: date, n: int) -> None:
    cal, _ = pick(which)
    assert cal.working_days_between(d, cal.add_working_days(d, n)) == n


@settings(max_examples=300, deadline=None)
@given(which=which, d=dates, n=counts)
def test_result_is_strictly_monotone_in_n_and_never_before_start(
    pick: Pick, which: int, d: date, n: int
) -> None:
    cal, _ = pick(which)
    result = cal.add_working_days(d, n)
    assert result >= d
    assert cal.add_working_days(d, n + 1) > result


@settings(max_examples=300, deadline=None)
@given(which=which, d=dates, n=counts)
def test_fast_agrees_with_naive_reference(pick: Pick, which: int, d: date, n: int) -> None:
    cal, reference = pick(which)
    assert cal.add_working_days(d, n) == reference.add_working_days(d, n)
    assert cal.add_working_days(d, -n) == reference.add_working_days(d, -n)


@settings(max_examples=300, deadline=None)
@given(which=which, a=dates, offset=st.integers(min_value=-800, max_value=800))
def test_counting_agrees_with_naive_reference(pick: Pick, which: int, a: date, offset: int):
    cal, reference = pick(which)
    b = a + timedelta(days=offset)
    expected = reference.count(a, b) if b >= a else -reference.count(b, a)
    assert cal.working_days_between(a, b) == expected
    assert cal.working_days_between(b, a) == -expected


@settings(max_examples=300, deadline=None)
@given(which=which, d=dates)
def test_is_working_day_and_next_agree_with_reference(pick: Pick, which: int, d: date) -> None:
    cal, reference = pick(which)
    assert cal.is_working_day(d) == reference.is_working(d)
    following = cal.next_working_day(d)
    assert reference.is_working(following)
    assert following == (d if reference.is_working(d) else reference.add_working_days(d, 1))


@settings(max_examples=300, deadline=None)
@given(which=which, d=st.one_of(dates, recent), duration=terms)
def test_terms_agree_with_reference(pick: Pick, which: int, d: date, duration: Duration):
    cal, reference = pick(which)
    end = cal.add(d, duration)
    assert end == reference.term_end(d, duration)
    assert end > d
    if cal.roll_over:
        assert cal.is_working_day(end)


@settings(max_examples=300, deadline=None)
@given(d=st.one_of(dates, recent), duration=terms)
def test_atw_terms_never_end_on_a_non_working_day(pick: Pick, d: date, duration: Duration):
    atw, _ = pick(0)
    end = atw.add(d, duration)
    assert atw.is_working_day(end)
    assert end > d
    short = duration.unit == DurationUnit.DAYS and duration.amount < 3
    # Atw art. 2: a term of at least three days contains at least two working days.
    assert atw.working_days_between(d, end) >= (1 if short else 2)
