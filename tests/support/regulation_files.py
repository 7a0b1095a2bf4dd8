"""Regulation files for the register tests and the ``write_regulation`` fixture (tests/conftest.py):
the shipped example, presets and their text."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from klachtenregister.regulations.loader import PRESET_PACKAGE, load_preset, preset_names

REPOSITORY = Path(__file__).parents[2]
EXAMPLE = REPOSITORY / "examples" / "regulations" / "voorbeeld.yaml"
EXAMPLE_CALENDAR = REPOSITORY / "examples" / "calendars" / "kerstsluiting.yaml"


def preset_text(name: str) -> str:
    return resources.files(PRESET_PACKAGE).joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def organisation_presets() -> list[str]:
    return [name for name in preset_names() if not load_preset(name).template]
