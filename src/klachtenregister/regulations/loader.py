"""Loading regulation files: whole or not at all, with errors that name file, field and line."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from klachtenregister.calendars import CalendarError, builtin_calendar_names, load_calendar
from klachtenregister.regulations.schema import Regulation
from klachtenregister.yamlio import (
    DataFileError,
    Problem,
    YamlDocument,
    YamlFileError,
    message,
    parse_yaml,
    problems_from,
    read_text_file,
)

PRESET_PACKAGE = "klachtenregister.regulations.presets"


class RegulationError(DataFileError):
    """A regulation file that was refused; ``problems`` lists every reason."""


def regulation_from_document(document: YamlDocument, base_dir: Path | None = None) -> Regulation:
    """The regulation in ``document``; a relative calendar path is read from ``base_dir``."""
    if not isinstance(document.data, dict):
        raise RegulationError(
            [
                Problem(
                    document.path,
                    (),
                    1,
                    message("een reglementsbestand moet een verzameling velden zijn"),
                )
            ]
        )
    try:
        regulation = Regulation.model_validate(document.data)
    except ValidationError as exc:
        raise RegulationError(problems_from(exc, document)) from None
    return _with_calendar(regulation, document, base_dir)


def _with_calendar(
    regulation: Regulation, document: YamlDocument, base_dir: Path | None
) -> Regulation:
    # A regulation whose calendar cannot be built is refused like any other bad field: its
    # terms could not be computed.
    calendar = regulation.calendar
    looks_like_path = calendar.endswith((".yaml", ".yml")) or "/" in calendar
    if looks_like_path and calendar not in builtin_calendar_names():
        path = Path(calendar)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        calendar = str(path)
    try:
        load_calendar(calendar)
    except CalendarError as exc:
        location = ("calendar",)
        raise RegulationError(
            [
                Problem(
                    document.path,
                    location,
                    document.line_of(location),
                    message("de kalender is niet te gebruiken: {reason}", reason=exc),
                )
            ]
        ) from None
    if calendar == regulation.calendar:
        return regulation
    return regulation.model_copy(update={"calendar": calendar})


@dataclass(frozen=True)
class RegulationText:
    """The text of a regulation as read, before validation: a preset's or a file's."""

    label: str  # how errors name it
    path: Path | None  # None for a preset
    text: str

    @property
    def base_dir(self) -> Path | None:
        return None if self.path is None else self.path.parent


def preset_names() -> list[str]:
    files = resources.files(PRESET_PACKAGE).iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def _is_preset(name_or_path: str) -> bool:
    return not name_or_path.endswith((".yaml", ".yml")) and name_or_path in preset_names()


def _preset_text(name: str) -> RegulationText:
    resource = resources.files(PRESET_PACKAGE).joinpath(f"{name}.yaml")
    return RegulationText(f"preset {name} ({name}.yaml)", None, resource.read_text("utf-8"))


def _file_text(path: str | Path) -> RegulationText:
    try:
        text = read_text_file(path)
    except YamlFileError as exc:
        raise RegulationError([exc.problem()]) from None
    return RegulationText(str(path), Path(path).resolve(), text)


def read_regulation_text(name_or_path: str | Path) -> RegulationText:
    """A preset by name (``iskander``) or a regulation file by path, read but not validated."""
    text = str(name_or_path)
    if _is_preset(text):
        return _preset_text(text)
    if not Path(text).exists():
        known = ", ".join(preset_names())
        raise RegulationError(
            [
                Problem(
                    text,
                    (),
                    None,
                    message(
                        "bestand bestaat niet, en er is geen meegeleverd reglement met die naam "
                        "({known})",
                        known=known,
                    ),
                )
            ]
        )
    return _file_text(text)


def regulation_from_text(source: RegulationText) -> Regulation:
    # A text without a file (a preset, a stored version) names no calendar file that could
    # change under it, so the same text is the same regulation: models are frozen, and reading
    # one costs a tenth of a second (every test's and every load's preset set).
    if source.path is None:
        return _regulation_from_fixed_text(source)
    return _regulation_from_text(source)


@lru_cache(maxsize=64)
def _regulation_from_fixed_text(source: RegulationText) -> Regulation:
    return _regulation_from_text(source)


def _regulation_from_text(source: RegulationText) -> Regulation:
    try:
        document = parse_yaml(source.text, source.label)
    except YamlFileError as exc:
        raise RegulationError([exc.problem()]) from None
    return regulation_from_document(document, source.base_dir)


def load_regulation_file(path: str | Path) -> Regulation:
    return regulation_from_text(_file_text(path))


@cache
def load_preset(name: str) -> Regulation:
    if name not in preset_names():
        raise KeyError(name)
    return regulation_from_text(_preset_text(name))


def load_regulation(name_or_path: str | Path) -> Regulation:
    """A preset by name (``iskander``) or a regulation file by path, validated."""
    text = str(name_or_path)
    if _is_preset(text):
        return load_preset(text)
    return regulation_from_text(read_regulation_text(text))
