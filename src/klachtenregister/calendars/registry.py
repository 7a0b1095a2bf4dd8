"""Finding calendars: built-in ones by name, organisations' own ones by file path.

An organisation's file usually says ``based_on: nl-atw`` and adds its closing days; resolving
``based_on`` yields one flat spec (no ``based_on``) from which the index is built.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from klachtenregister.calendars.errors import CalendarError
from klachtenregister.calendars.rules import package_days
from klachtenregister.calendars.spec import CalendarSpec, parse_calendar_text, read_calendar_file
from klachtenregister.calendars.working_days import (
    DEFAULT_FIRST_YEAR,
    DEFAULT_LAST_YEAR,
    WorkingDayCalendar,
)

DEFAULT_CALENDAR = "nl-atw"

_YAML_SUFFIXES = (".yaml", ".yml")
# Lists a based_on file adds to its base; every other field present in the file replaces the
# base's value.
_EXTENDING_FIELDS = ("package_holidays", "fixed_holidays", "closing_days")
_DESCRIPTIVE_FIELDS = ("name", "title", "description", "based_on")


def _data_dir() -> Traversable:
    return resources.files("klachtenregister.calendars").joinpath("data")


def builtin_calendar_names() -> list[str]:
    return list(_builtin_names())


@cache
def _builtin_names() -> tuple[str, ...]:
    return tuple(
        sorted(
            entry.name.removesuffix(".yaml")
            for entry in _data_dir().iterdir()
            if entry.name.endswith(".yaml")
        )
    )


# Building an index takes tens of milliseconds, reading a file a few: files are re-read on every
# call (so an edit takes effect) but an index is reused while the resolved content is the same.
_FILE_CALENDAR_CACHE_SIZE = 32
_file_calendars: OrderedDict[tuple[str, str], WorkingDayCalendar] = OrderedDict()
_file_calendars_lock = threading.Lock()


def load_calendar(name_or_path: str | Path) -> WorkingDayCalendar:
    """A built-in calendar by name ("nl-atw"), or a calendar file by path.

    Built-in calendars are built once per process. A file is read and checked on every call;
    its index is rebuilt only when the resolved content changed.
    """
    if isinstance(name_or_path, str) and name_or_path in _builtin_names():
        return _builtin_calendar(name_or_path)
    path = _as_path(name_or_path)
    spec = load_calendar_spec(path)
    name = spec.name or path.stem
    key = (name, spec.model_dump_json())
    with _file_calendars_lock:
        calendar = _file_calendars.get(key)
        if calendar is not None:
            _file_calendars.move_to_end(key)
            return calendar
    calendar = WorkingDayCalendar.from_spec(spec, name=name, origin=path)
    with _file_calendars_lock:
        _file_calendars[key] = calendar
        while len(_file_calendars) > _FILE_CALENDAR_CACHE_SIZE:
            _file_calendars.popitem(last=False)
    return calendar


def load_calendar_spec(name_or_path: str | Path) -> CalendarSpec:
    """The resolved spec (``based_on`` applied, checked) of a built-in name or a file path."""
    if isinstance(name_or_path, str) and name_or_path in _builtin_names():
        return _builtin_spec(name_or_path)
    return _resolve_file(_as_path(name_or_path), ())


def _as_path(name_or_path: str | Path) -> Path:
    if isinstance(name_or_path, Path):
        return name_or_path
    looks_like_path = name_or_path.endswith(_YAML_SUFFIXES) or "/" in name_or_path
    if looks_like_path or Path(name_or_path).is_file():
        return Path(name_or_path)
    raise CalendarError.single(
        name_or_path,
        "",
        f"unknown calendar; built-in calendars: {', '.join(builtin_calendar_names())}, "
        "or give the path of a .yaml calendar file",
    )


@cache
def _builtin_calendar(name: str) -> WorkingDayCalendar:
    return WorkingDayCalendar.from_spec(_builtin_spec(name), name=name, origin=name)


@cache
def _builtin_spec(name: str) -> CalendarSpec:
    return _resolve_builtin(name, ())


def _resolve_builtin(name: str, chain: tuple[str, ...]) -> CalendarSpec:
    origin = f"built-in {name}"
    text = _data_dir().joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    spec = parse_calendar_text(text, origin)
    if spec.name != name:
        raise CalendarError.single(origin, "name", f"must be {name!r} (the file's name)")
    return _resolve(spec, origin, None, (*chain, name))


def _resolve_file(path: Path, chain: tuple[str, ...]) -> CalendarSpec:
    spec = read_calendar_file(path)
    key = str(path.resolve())
    if key in chain:
        raise CalendarError.single(path, "based_on", "calendars are based on each other in a loop")
    if spec.name is None:
        spec = spec.model_copy(update={"name": _name_from_stem(path.stem)})
    return _resolve(spec, path, path.parent, (*chain, key))


def _name_from_stem(stem: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem.lower()) or "calendar"


def _resolve(
    spec: CalendarSpec, origin: str | Path, directory: Path | None, chain: tuple[str, ...]
) -> CalendarSpec:
    _check(spec, origin)
    if spec.based_on is None:
        return spec
    base = _resolve_base(spec.based_on, origin, directory, chain)
    update: dict[str, object] = {
        field: getattr(spec, field)
        for field in spec.model_fields_set
        if field not in _EXTENDING_FIELDS and field not in _DESCRIPTIVE_FIELDS
    }
    for field in _EXTENDING_FIELDS:
        update[field] = [*getattr(base, field), *getattr(spec, field)]
    update.update(name=spec.name, title=spec.title, description=spec.description, based_on=None)
    return base.model_copy(update=update)


def _resolve_base(
    based_on: str, origin: str | Path, directory: Path | None, chain: tuple[str, ...]
) -> CalendarSpec:
    if based_on in _builtin_names():
        if based_on in chain:
            raise CalendarError.single(origin, "based_on", "calendars are based on each other")
        if not any(link in _builtin_names() for link in chain):
            return _builtin_spec(based_on)
        # Inside a chain of built-ins, keep the chain so that a loop is reported, not recursed.
        return _resolve_builtin(based_on, chain)
    if directory is not None and based_on.endswith(_YAML_SUFFIXES):
        path = Path(based_on)
        if not path.is_absolute():
            path = directory / path
        if not path.is_file():
            raise CalendarError.single(origin, "based_on", f"calendar file {str(path)!r} not found")
        return _resolve_file(path, chain)
    raise CalendarError.single(
        origin,
        "based_on",
        f"unknown calendar {based_on!r}; built-in calendars: "
        f"{', '.join(builtin_calendar_names())}, or a .yaml file next to this one",
    )


def _check(spec: CalendarSpec, origin: str | Path) -> None:
    """What the model cannot check on its own: needs the base, the range or the package."""
    problems: list[tuple[str, str]] = []
    if spec.based_on is None and "roll_over" not in spec.model_fields_set:
        problems.append(
            (
                "roll_over",
                "required when the calendar has no based_on: say whether a term in days, weeks "
                "or months ending on a non-working day moves to the next working day",
            )
        )
    for index, closing in enumerate(spec.closing_days):
        if not DEFAULT_FIRST_YEAR <= closing.date.year <= DEFAULT_LAST_YEAR:
            problems.append(
                (
                    f"closing_days[{index}].date",
                    f"{closing.date.isoformat()} is outside the years calendars cover "
                    f"({DEFAULT_FIRST_YEAR}..{DEFAULT_LAST_YEAR})",
                )
            )
    if problems:
        raise CalendarError(origin, problems)
    for index, rule in enumerate(spec.package_holidays):
        package_days(
            rule,
            DEFAULT_FIRST_YEAR,
            DEFAULT_LAST_YEAR,
            origin=origin,
            field=f"package_holidays[{index}]",
        )
