"""The built-in nl-atw calendar against the statute, with the days written out by hand.

The hand-written lists are the point: they do not come from the ``holidays`` package, so a
package upgrade that moves, renames or adds a holiday makes these tests fail.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from klachtenregister.calendars import (
    DEFAULT_CALENDAR,
    CalendarRangeError,
    Duration,
    DurationUnit,
    WorkingDayCalendar,
    builtin_calendar_names,
    load_calendar,
)

# Atw art. 3 lid 1 and 2, plus the Royal Decree days (art. 3 lid 3) of the
# "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en
# 26 mei 2028 met een algemeen erkende feestdag".
ATW_DAYS = {
    2026: {
        date(2026, 1, 1),  # Nieuwjaarsdag (Thu)
        date(2026, 1, 2),  # decree (Fri)
        date(2026, 4, 3),  # Goede Vrijdag
        date(2026, 4, 6),  # Tweede Paasdag
        date(2026, 4, 27),  # Koningsdag (Mon)
        date(2026, 5, 5),  # 5 mei (Tue)
        date(2026, 5, 14),  # Hemelvaartsdag
        date(2026, 5, 15),  # decree (Fri)
        date(2026, 5, 25),  # Tweede Pinksterdag
        date(2026, 12, 25),  # Eerste Kerstdag (Fri)
        date(2026, 12, 26),  # Tweede Kerstdag (Sat)
    },
    2027: {
        date(2027, 1, 1),  # Nieuwjaarsdag (Fri)
        date(2027, 3, 26),  # Goede Vrijdag
        date(2027, 3, 29),  # Tweede Paasdag
        date(2027, 4, 27),  # Koningsdag (Tue)
        date(2027, 5, 5),  # 5 mei (Wed)
        date(2027, 5, 6),  # Hemelvaartsdag
        date(2027, 5, 7),  # decree (Fri)
        date(2027, 5, 17),  # Tweede Pinksterdag
        date(2027, 12, 25),  # Eerste Kerstdag (Sat)
        date(2027, 12, 26),  # Tweede Kerstdag (Sun)
    },
    2028: {
        date(2028, 1, 1),  # Nieuwjaarsdag (Sat)
        date(2028, 4, 14),  # Goede Vrijdag
        date(2028, 4, 17),  # Tweede Paasdag
        date(2028, 4, 27),  # Koningsdag (Thu)
        date(2028, 4, 28),  # decree (Fri)
        date(2028, 5, 5),  # 5 mei (Fri)
        date(2028, 5, 25),  # Hemelvaartsdag
        date(2028, 5, 26),  # decree (Fri)
        date(2028, 6, 5),  # Tweede Pinksterdag
        date(2028, 12, 25),  # Eerste Kerstdag (Mon)
        date(2028, 12, 26),  # Tweede Kerstdag (Tue)
    },
}


@pytest.fixture(scope="module")
def atw() -> WorkingDayCalendar:
    return load_calendar("nl-atw")


def days_of(year: int) -> list[date]:
    start = date(year, 1, 1)
    return [start + timedelta(days=i) for i in range((date(year + 1, 1, 1) - start).days)]


def test_default_calendar_is_builtin_and_cached() -> None:
    assert DEFAULT_CALENDAR == "nl-atw"
    assert "nl-atw" in builtin_calendar_names()
    assert load_calendar(DEFAULT_CALENDAR) is load_calendar("nl-atw")


@pytest.mark.parametrize("year", sorted(ATW_DAYS))
def test_holidays_are_the_statutory_list(atw: WorkingDayCalendar, year: int) -> None:
    assert set(atw.holidays(year)) == ATW_DAYS[year]


@pytest.mark.parametrize("year", sorted(ATW_DAYS))
def test_non_working_days_are_weekends_plus_statutory_list(
    atw: WorkingDayCalendar, year: int
) -> None:
    non_working = {d for d in days_of(year) if not atw.is_working_day(d)}
    weekends = {d for d in days_of(year) if d.weekday() >= 5}
    assert non_working == weekends | ATW_DAYS[year]


def test_labels_use_atw_names(atw: WorkingDayCalendar) -> None:
    labels = atw.holidays(2026)
    assert labels[date(2026, 4, 6)] == "Tweede Paasdag"
    assert labels[date(2026, 5, 5)] == "Bevrijdingsdag (5 mei)"
    assert "gelijkgesteld" in labels[date(2026, 5, 15)]
    assert atw.label(date(2026, 12, 26)) == "Tweede Kerstdag"
    assert atw.label(date(2026, 12, 27)) == "weekend"
    assert atw.label(date(2026, 12, 28)) is None


def test_sunday_feasts_are_not_listed(atw: WorkingDayCalendar) -> None:
    # Easter Sunday and Pentecost come from the package but are no Atw feestdagen.
    labels = atw.holidays(2026)
    assert date(2026, 4, 5) not in labels
    assert date(2026, 5, 24) not in labels


@pytest.mark.parametrize("year", [2025, 2031])
def test_kings_day_on_26_april_when_27th_is_sunday(atw: WorkingDayCalendar, year: int) -> None:
    assert date(year, 4, 27).weekday() == 6
    labels = atw.holidays(year)
    assert labels.get(date(year, 4, 26)) == "Koningsdag"
    assert date(year, 4, 27) not in labels


def test_queens_day_before_2014(atw: WorkingDayCalendar) -> None:
    assert atw.holidays(2013)[date(2013, 4, 30)] == "Koninginnedag"
    assert not atw.is_working_day(date(2013, 4, 30))


@pytest.mark.parametrize("year", [2026, 2027, 2029, 2033])
def test_fifth_of_may_every_year(atw: WorkingDayCalendar, year: int) -> None:
    may_5 = date(year, 5, 5)
    assert may_5 in atw.holidays(year)
    assert not atw.is_working_day(may_5)


def test_fifth_of_may_on_ascension_day_keeps_both_names(atw: WorkingDayCalendar) -> None:
    assert atw.holidays(2005)[date(2005, 5, 5)] == "Hemelvaartsdag; Bevrijdingsdag (5 mei)"


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Fri 1 May, Mon 4, (Tue 5 May), Wed 6, Thu 7, Fri 8.
        (date(2026, 4, 30), 5, date(2026, 5, 8)),
        # Wed 13, (Thu 14 Hemelvaart, Fri 15 decree, weekend), Mon 18, Tue 19.
        (date(2026, 5, 12), 3, date(2026, 5, 19)),
        # Thu 24, (Fri 25, Sat 26, Sun 27), Mon 28, Tue 29, Wed 30, Thu 31.
        (date(2026, 12, 23), 5, date(2026, 12, 31)),
        # (Fri 1 Jan 2027 Nieuwjaarsdag, weekend), Mon 4 Jan.
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        # (Thu 1 Jan, Fri 2 Jan decree, weekend), Mon 5 Jan 2026.
        (date(2025, 12, 31), 1, date(2026, 1, 5)),
        # Starting on a non-working day: the first following working day is day 1.
        (date(2026, 12, 26), 1, date(2026, 12, 28)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
        # Counting back: the working day before Mon 18 May 2026 is Wed 13 May.
        (date(2026, 5, 18), -1, date(2026, 5, 13)),
        (date(2026, 5, 16), -1, date(2026, 5, 13)),
        (date(2026, 5, 8), -5, date(2026, 4, 30)),
    ],
)
def test_add_working_days_by_hand(
    atw: WorkingDayCalendar, start: date, n: int, expected: date
) -> None:
    assert atw.add_working_days(start, n) == expected
    assert atw.add(start, Duration(n, DurationUnit.WORKING_DAYS)) == expected


def test_working_days_between(atw: WorkingDayCalendar) -> None:
    assert atw.working_days_between(date(2026, 4, 30), date(2026, 5, 8)) == 5
    assert atw.working_days_between(date(2026, 5, 8), date(2026, 4, 30)) == -5
    assert atw.working_days_between(date(2026, 5, 13), date(2026, 5, 17)) == 0
    assert atw.working_days_between(date(2026, 5, 13), date(2026, 5, 13)) == 0


def test_next_and_previous_working_day(atw: WorkingDayCalendar) -> None:
    assert atw.next_working_day(date(2026, 5, 14)) == date(2026, 5, 18)
    assert atw.next_working_day(date(2026, 5, 13)) == date(2026, 5, 13)
    assert atw.previous_working_day(date(2026, 5, 17)) == date(2026, 5, 13)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        # 4 weeks end on Sat 7 Mar 2026: rolls to Mon 9 Mar.
        (date(2026, 2, 7), Duration(4, DurationUnit.WEEKS), date(2026, 3, 9)),
        # 4 weeks end on Sat 4 Apr 2026; Sun 5, Mon 6 (Tweede Paasdag): Tue 7 Apr.
        (date(2026, 3, 7), Duration(4, DurationUnit.WEEKS), date(2026, 4, 7)),
        # 4 weeks end on Tue 26 Dec 2028, Tweede Kerstdag: Wed 27 Dec.
        (date(2028, 11, 28), Duration(4, DurationUnit.WEEKS), date(2028, 12, 27)),
        # A working-day end stays: Wed 27 May 2026 + 4 weeks = Wed 24 Jun 2026.
        (date(2026, 5, 27), Duration(4, DurationUnit.WEEKS), date(2026, 6, 24)),
        # 31 Jan + 1 month is 28 Feb 2026 (Sat): Mon 2 Mar.
        (date(2026, 1, 31), Duration(1, DurationUnit.MONTHS), date(2026, 3, 2)),
        # Leap year: 31 Jan 2028 + 1 month is Tue 29 Feb 2028.
        (date(2028, 1, 31), Duration(1, DurationUnit.MONTHS), date(2028, 2, 29)),
        # 14 days from Thu 30 Apr 2026 end on Thu 14 May (Hemelvaart); Fri 15 decree: Mon 18.
        (date(2026, 4, 30), Duration(14, DurationUnit.DAYS), date(2026, 5, 18)),
    ],
)
def test_term_rolls_over(
    atw: WorkingDayCalendar, start: date, duration: Duration, expected: date
) -> None:
    assert atw.add(start, duration) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Thu 24 Dec 2026 + 3 days = Sun 27: no working day in the term; art. 2 needs two:
        # Mon 28, Tue 29.
        (date(2026, 12, 24), 3, date(2026, 12, 29)),
        # Fri 1 May 2026 + 3 days = Mon 4: one working day; the second is Wed 6 (5 May off).
        (date(2026, 5, 1), 3, date(2026, 5, 6)),
        # Art. 2 is for terms of at least 3 days: Fri 1 May + 2 days = Sun 3, rolls to Mon 4.
        (date(2026, 5, 1), 2, date(2026, 5, 4)),
        # Enough working days already: Mon 4 May + 3 days = Thu 7 May.
        (date(2026, 5, 4), 3, date(2026, 5, 7)),
    ],
)
def test_minimum_two_working_days_atw_art_2(
    atw: WorkingDayCalendar, start: date, days: int, expected: date
) -> None:
    assert atw.add_days(start, days) == expected


def test_negative_terms_are_not_rolled_over(atw: WorkingDayCalendar) -> None:
    # Atw art. 1 lid 2: a term counted back from an event keeps its end day.
    assert atw.add_days(date(2026, 12, 30), -4) == date(2026, 12, 26)
    assert atw.add_weeks(date(2026, 1, 3), 0) == date(2026, 1, 3)


def test_month_helper_clips_to_month_end(atw: WorkingDayCalendar) -> None:
    assert atw.add_months(date(2026, 3, 31), 1) == date(2026, 4, 30)
    assert atw.add_months(date(2026, 8, 31), 6) == date(2027, 3, 1)  # 28 Feb 2027 is a Sunday


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_working_days(date(1989, 12, 31), 1),
        lambda c: c.add_working_days(date(2101, 1, 1), 0),
        lambda c: c.add_working_days(date(2100, 12, 30), 5),
        lambda c: c.add_working_days(date(1990, 1, 3), -5),
        lambda c: c.is_working_day(date(1989, 12, 31)),
        lambda c: c.next_working_day(date(2101, 1, 1)),
        lambda c: c.working_days_between(date(2026, 1, 1), date(2101, 1, 1)),
        lambda c: c.add_months(date(2100, 12, 1), 1),
        lambda c: c.add_days(date(1985, 1, 1), 5),
        lambda c: c.holidays(2101),
    ],
)
def test_out_of_range_is_refused(atw: WorkingDayCalendar, call) -> None:
    with pytest.raises(CalendarRangeError, match="outside the range"):
        call(atw)


def test_range_edges_are_usable(atw: WorkingDayCalendar) -> None:
    assert atw.add_working_days(date(1990, 1, 1), 1) == date(1990, 1, 2)
    assert atw.add_working_days(date(2100, 12, 30), 1) == date(2100, 12, 31)
