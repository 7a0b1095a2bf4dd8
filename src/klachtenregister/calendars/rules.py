"""Turning a calendar's holiday rules into dated, labelled non-working days.

The ``holidays`` package supplies the moving feasts (Easter, Ascension, Pentecost) and the
King's Day weekend shift; everything a statute fixes differently lives in the calendar file:
names it must not take from the package, fixed days, and dated closing days.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

import holidays as holidays_package

from klachtenregister.calendars.errors import CalendarError
from klachtenregister.calendars.spec import CalendarSpec, FixedHoliday, PackageHolidays

# Where two holidays share a date (Ascension Day on 5 May, as in 2005) both names are kept.
LABEL_SEPARATOR = "; "


@lru_cache(maxsize=32)
def _package_days(
    country: str,
    subdivision: str | None,
    categories: tuple[str, ...],
    language: str,
    first_year: int,
    last_year: int,
) -> tuple[tuple[date, str], ...]:
    """Every (date, name) the package produces, one pair per name.

    The package joins names falling on one date with "; " in its mapping; get_list splits them
    again so that an exclusion of one name (Liberation Day) keeps the other (Ascension Day).
    """
    table = holidays_package.country_holidays(
        country,
        subdiv=subdivision,
        years=range(first_year, last_year + 1),
        categories=categories,
        language=language,
    )
    return tuple((day, name) for day in sorted(table) for name in table.get_list(day))


def package_days(
    rule: PackageHolidays, first_year: int, last_year: int, *, origin: str | Path | None, field: str
) -> list[tuple[date, str]]:
    """The package's holidays for ``rule`` after exclusions and relabelling.

    Raises CalendarError when the package does not know the country, category or language, or
    when an excluded or relabelled name never occurs: that means the package renamed a holiday
    and the exclusion silently stopped working, which must be noticed, not shipped.
    """
    try:
        cls = holidays_package.country_holidays(rule.country).__class__
    except NotImplementedError:
        raise CalendarError.single(
            origin, f"{field}.country", f"the holidays package has no country {rule.country!r}"
        ) from None
    languages = getattr(cls, "supported_languages", ())
    if rule.language not in languages:
        raise CalendarError.single(
            origin,
            f"{field}.language",
            f"the holidays package has no language {rule.language!r} for {rule.country}; "
            f"supported: {', '.join(languages)}",
        )
    try:
        produced = _package_days(
            rule.country,
            rule.subdivision,
            tuple(rule.categories),
            rule.language,
            first_year,
            last_year,
        )
    except (NotImplementedError, ValueError) as exc:
        raise CalendarError.single(origin, field, f"the holidays package refused: {exc}") from None

    names = {name for _, name in produced}
    problems = []
    for index, exclusion in enumerate(rule.exclude):
        if exclusion.name not in names:
            problems.append(
                (f"{field}.exclude[{index}].name", _unknown_name(exclusion.name, names))
            )
    for name in rule.labels:
        if name not in names:
            problems.append((f"{field}.labels.{name}", _unknown_name(name, names)))
    if problems:
        raise CalendarError(origin, problems)

    excluded = {exclusion.name for exclusion in rule.exclude}
    return [(day, rule.labels.get(name, name)) for day, name in produced if name not in excluded]


def _unknown_name(name: str, names: set[str]) -> str:
    version = getattr(holidays_package, "__version__", "?")
    return (
        f"the holidays package (version {version}) produces no holiday named {name!r} in the "
        f"calendar's years; it produces: {', '.join(sorted(names))}"
    )


def fixed_days(rule: FixedHoliday, first_year: int, last_year: int) -> Iterator[date]:
    start = max(first_year, rule.from_year if rule.from_year is not None else first_year)
    end = min(last_year, rule.to_year if rule.to_year is not None else last_year)
    for year in range(start, end + 1):
        try:
            yield date(year, rule.month, rule.day)
        except ValueError:
            continue  # 29 February outside leap years


def non_working_days(
    spec: CalendarSpec, first_year: int, last_year: int, *, origin: str | Path | None = None
) -> dict[date, str]:
    """All labelled non-working days of a resolved calendar within the year range.

    Closing days outside the range are left out: they cannot affect any date the calendar
    answers for.
    """
    labels: dict[date, list[str]] = {}

    def add(day: date, label: str) -> None:
        present = labels.setdefault(day, [])
        if label not in present:
            present.append(label)

    for index, rule in enumerate(spec.package_holidays):
        field = f"package_holidays[{index}]"
        for day, label in package_days(rule, first_year, last_year, origin=origin, field=field):
            add(day, label)
    for fixed in spec.fixed_holidays:
        for day in fixed_days(fixed, first_year, last_year):
            add(day, fixed.label)
    for closing in spec.closing_days:
        if first_year <= closing.date.year <= last_year:
            add(closing.date, closing.label)
    return {day: LABEL_SEPARATOR.join(names) for day, names in sorted(labels.items())}
