"""Organisation calendar files: what they change, and how bad files are refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from klachtenregister.calendars import (
    CalendarError,
    Duration,
    DurationUnit,
    load_calendar,
    load_calendar_spec,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "calendars" / "kerstsluiting.yaml"


def write(tmp_path: Path, text: str, name: str = "org.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_example_kerstsluiting_closes_the_office_between_christmas_and_new_year() -> None:
    atw = load_calendar("nl-atw")
    org = load_calendar(EXAMPLE)
    assert org.name == "kerstsluiting"
    for day in range(28, 32):
        assert atw.is_working_day(date(2026, 12, day))
        assert not org.is_working_day(date(2026, 12, day))
        assert org.holidays(2027)[date(2027, 12, day)] == "Kerstsluiting"
    # Wed 23 Dec 2026 + 5 werkdagen: Thu 24, then (25..31 Dec, 1 Jan, weekend) Mon 4 .. Thu 7.
    assert atw.add_working_days(date(2026, 12, 23), 5) == date(2026, 12, 31)
    assert org.add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 7)
    # The base's rules are kept: holidays, roll-over and art. 2.
    assert org.holidays(2026)[date(2026, 5, 15)] == atw.holidays(2026)[date(2026, 5, 15)]
    assert org.roll_over and org.minimum_working_days_in_term == 2
    # 4 weeks from Mon 30 Nov 2026 end on Mon 28 Dec, now a closing day: Mon 4 Jan 2027.
    assert atw.add_weeks(date(2026, 11, 30), 4) == date(2026, 12, 28)
    assert org.add_weeks(date(2026, 11, 30), 4) == date(2027, 1, 4)


def test_example_is_also_loadable_by_string_path() -> None:
    # Same resolved content: the index is reused rather than rebuilt.
    assert load_calendar(str(EXAMPLE)) is load_calendar(EXAMPLE)
    # Mon 27 Dec 2027 + 1 werkdag: (28..31 Dec closed, 1-2 Jan weekend) Mon 3 Jan 2028.
    assert load_calendar(str(EXAMPLE)).add_working_days(date(2027, 12, 27), 1) == date(2028, 1, 3)


def test_roll_over_off(tmp_path: Path) -> None:
    path = write(tmp_path, "based_on: nl-atw\nroll_over: false\nminimum_working_days_in_term: 0\n")
    org = load_calendar(path)
    four_weeks = Duration(4, DurationUnit.WEEKS)
    # Ends on Sat 7 Mar 2026 and on Tweede Kerstdag 2028 and stays there.
    assert org.add(date(2026, 2, 7), four_weeks) == date(2026, 3, 7)
    assert org.add(date(2028, 11, 28), four_weeks) == date(2028, 12, 26)
    assert load_calendar("nl-atw").add(date(2028, 11, 28), four_weeks) == date(2028, 12, 27)
    # Werkdagen are unaffected by the term rules.
    assert org.add_working_days(date(2026, 4, 30), 5) == date(2026, 5, 8)


def test_art_2_can_be_switched_off_while_rolling_over(tmp_path: Path) -> None:
    org = load_calendar(write(tmp_path, "based_on: nl-atw\nminimum_working_days_in_term: 0\n"))
    assert org.add_days(date(2026, 12, 24), 3) == date(2026, 12, 28)
    assert load_calendar("nl-atw").add_days(date(2026, 12, 24), 3) == date(2026, 12, 29)


def test_different_weekend(tmp_path: Path) -> None:
    # A service open on Saturday, closed on Sunday and Monday (Dutch day names allowed).
    path = write(tmp_path, "based_on: nl-atw\nweekend: [zondag, monday]\n")
    org = load_calendar(path)
    assert org.is_working_day(date(2026, 3, 7))  # Saturday
    assert not org.is_working_day(date(2026, 3, 9))  # Monday
    # Fri 6 Mar + 2 werkdagen: Sat 7, (Sun, Mon), Tue 10.
    assert org.add_working_days(date(2026, 3, 6), 2) == date(2026, 3, 10)


def test_standalone_calendar_without_holidays(tmp_path: Path) -> None:
    path = write(tmp_path, "name: plain\nroll_over: false\n")
    plain = load_calendar(path)
    assert plain.name == "plain"
    assert plain.is_working_day(date(2026, 12, 25))
    assert plain.holidays(2026) == {}


def test_based_on_another_file(tmp_path: Path) -> None:
    write(
        tmp_path, "based_on: nl-atw\nclosing_days: [{date: 2026-07-01, label: Heidag}]\n", "a.yaml"
    )
    path = write(tmp_path, "based_on: a.yaml\nclosing_days: [{date: 2026-07-02, label: Uitje}]\n")
    org = load_calendar(path)
    assert not org.is_working_day(date(2026, 7, 1))
    assert not org.is_working_day(date(2026, 7, 2))
    assert not org.is_working_day(date(2026, 5, 15))
    spec = load_calendar_spec(path)
    assert spec.based_on is None
    assert [day.label for day in spec.closing_days][-2:] == ["Heidag", "Uitje"]


def test_a_file_is_reread_after_editing(tmp_path: Path) -> None:
    path = write(tmp_path, "based_on: nl-atw\n")
    assert load_calendar(path).is_working_day(date(2026, 7, 1))
    write(tmp_path, "based_on: nl-atw\nclosing_days: [{date: 2026-07-01, label: Heidag}]\n")
    assert not load_calendar(path).is_working_day(date(2026, 7, 1))


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("based_on: nl-atw\nroll_ovr: true\n", "roll_ovr", "unknown field"),
        (
            "based_on: nl-atw\nclosing_days: [{date: 2026-12-28, label: x, reden: y}]\n",
            "closing_days[0].reden",
            "unknown field",
        ),
        ("based_on: nl-atw\nroll_over: maybe\n", "roll_over", "valid boolean"),
        ("based_on: nl-atw\nminimum_working_days_in_term: two\n", "minimum", "valid integer"),
        ("based_on: nl-atw\nminimum_working_days_in_term: -1\n", "minimum", "greater than"),
        ("based_on: nl-atw\nweekend: saturday\n", "weekend", "valid list"),
        ("based_on: nl-atw\nweekend: [saturday, funday]\n", "weekend[1]", "unknown weekday"),
        ("based_on: nl-atw\nweekend: [sunday, zondag]\n", "weekend", "more than once"),
        (
            "based_on: nl-atw\nclosing_days: [{date: 2026-02-30, label: x}]\n",
            "closing_days[0].date",
            "not a valid date",
        ),
        (
            "based_on: nl-atw\nclosing_days: [{date: 28-12-2026, label: x}]\n",
            "closing_days[0].date",
            "YYYY-MM-DD",
        ),
        (
            "based_on: nl-atw\nclosing_days: [{date: 2026-12-28}]\n",
            "closing_days[0].label",
            "required",
        ),
        (
            "based_on: nl-atw\nclosing_days: [{date: 2206-12-28, label: typo}]\n",
            "closing_days[0].date",
            "outside the years",
        ),
        (
            "based_on: nl-atw\nfixed_holidays: [{month: 4, day: 31, label: x}]\n",
            "fixed_holidays[0]",
            "does not exist",
        ),
        ("based_on: nl-atws\n", "based_on", "unknown calendar 'nl-atws'"),
        ("based_on: elsewhere.yaml\n", "based_on", "not found"),
        ("name: org\nweekend: [saturday, sunday]\n", "roll_over", "required"),
        (
            "roll_over: true\npackage_holidays: [{country: NL, language: en_US,"
            " exclude: [{name: Easter Saturday}]}]\n",
            "package_holidays[0].exclude[0].name",
            "produces no holiday named 'Easter Saturday'",
        ),
        (
            "roll_over: true\npackage_holidays: [{country: XX, language: en_US}]\n",
            "package_holidays[0].country",
            "no country 'XX'",
        ),
        (
            "roll_over: true\npackage_holidays: [{country: NL, language: de}]\n",
            "package_holidays[0].language",
            "no language 'de'",
        ),
        (
            "roll_over: true\npackage_holidays: [{country: NL}]\n",
            "package_holidays[0].language",
            "required",
        ),
        ("based_on: nl-atw\nroll_over: [true\n", "", "not valid YAML"),
        ("", "", "empty"),
        ("# only a comment\n", "", "empty"),
        ("- based_on: nl-atw\n", "", "expected a mapping"),
    ],
)
def test_bad_file_is_refused_naming_file_and_field(
    tmp_path: Path, text: str, field: str, message: str
) -> None:
    path = write(tmp_path, text, "bad.yaml")
    with pytest.raises(CalendarError) as caught:
        load_calendar(path)
    error = caught.value
    rendered = str(error)
    assert str(path) in rendered
    assert message in rendered
    if field:
        assert any(path_.startswith(field) for path_, _ in error.problems), error.problems
        assert f"{field}" in rendered


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "based_on: nl-atw\nroll_over: maybe\nextra: 1\n", "bad.yaml")
    with pytest.raises(CalendarError) as caught:
        load_calendar(path)
    assert {field for field, _ in caught.value.problems} == {"roll_over", "extra"}
    assert "2 problems" in str(caught.value)


def test_based_on_loop_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "based_on: b.yaml\n", "a.yaml")
    write(tmp_path, "based_on: a.yaml\n", "b.yaml")
    with pytest.raises(CalendarError, match="loop"):
        load_calendar(tmp_path / "a.yaml")


def test_missing_file_and_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="file not found"):
        load_calendar(tmp_path / "nope.yaml")
    with pytest.raises(CalendarError, match="unknown calendar"):
        load_calendar("nl-atw-2")
    assert issubclass(CalendarError, ValueError)


def test_a_term_past_the_calendar_range_says_what_fell_outside():
    from klachtenregister.calendars import CalendarRangeError, Duration, DurationUnit, load_calendar

    calendar = load_calendar("nl-atw")
    start = date(2100, 12, 1)
    with pytest.raises(CalendarRangeError) as caught:
        calendar.add(start, Duration(3, DurationUnit.MONTHS))
    assert str(caught.value).startswith("2101-03-01 is outside the range of calendar 'nl-atw'")
    # Past what Python's dates can hold, the message names the term in its own unit.
    with pytest.raises(CalendarRangeError) as caught:
        calendar.add(start, Duration(100_000, DurationUnit.MONTHS))
    assert str(caught.value).startswith("100000 months from 2100-12-01 falls outside")
    with pytest.raises(CalendarRangeError) as caught:
        calendar.add(start, Duration(500_000, DurationUnit.WEEKS))
    assert str(caught.value).startswith("3500000 days from 2100-12-01 falls outside")
    with pytest.raises(CalendarRangeError) as caught:
        calendar.add_working_days(start, 40)
    assert str(caught.value).startswith("40 working days from 2100-12-01 falls outside")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param(
            "based_on: nl-atw\nx: &a [1,1,1,1,1,1,1,1,1]\n"
            + "".join(
                f"{name}: &{name} [{','.join(['*' + previous] * 9)}]\n"
                for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "aliasbom",
            id="alias-bomb",
        ),
        pytest.param("closing_days: " + "[" * 500 + "]" * 500 + "\n", "dieper genest", id="deep"),
        pytest.param("based_on: nl-atw\n" + "#" * (3 * 1024 * 1024) + "\n", "te groot", id="large"),
    ],
)
def test_a_calendar_file_is_bounded_like_a_regulation_file(
    tmp_path: Path, text: str, reason: str
) -> None:
    # Issue 14 §6: a calendar file referred to by a regulation is read with the same limits,
    # refused with a CalendarError naming the file instead of exhausting memory or recursion.
    path = write(tmp_path, text)
    with pytest.raises(CalendarError, match=reason) as caught:
        load_calendar(path)
    assert str(path) in str(caught.value)
