"""The documentation stays true to the code: every field and name it must explain is there."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from klachtenregister.regulations import vocabulary
from klachtenregister.regulations.schema import Regulation

ROOT = Path(__file__).parents[2]
REGULATIONS_DOC = (ROOT / "docs" / "regulations.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")

VOCABULARIES = [
    value
    for value in vars(vocabulary).values()
    if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
]


@pytest.mark.parametrize("vocabulary_class", VOCABULARIES, ids=lambda c: c.__name__)
def test_every_vocabulary_value_is_documented(vocabulary_class):
    missing = [m.value for m in vocabulary_class if f"`{m.value}`" not in REGULATIONS_DOC]
    assert missing == []


def test_every_top_level_field_is_documented():
    missing = [name for name in Regulation.model_fields if f"| `{name}` |" not in REGULATIONS_DOC]
    assert missing == []


def test_the_annotated_example_is_the_shipped_example_file():
    example = (ROOT / "examples" / "regulations" / "voorbeeld.yaml").read_text(encoding="utf-8")
    embedded = REGULATIONS_DOC.split("```yaml\n")[-1].split("```")[0]
    assert embedded == example


def test_readme_starts_with_the_two_commands():
    commands = re.findall(r"^make (\w+)$", README, flags=re.MULTILINE)
    assert commands[:2] == ["run", "test"]


def test_readme_documents_every_cli_command():
    for command in (
        "klachten regulations list",
        "klachten regulations check",
        "klachten regulations schema",
        "klachten deadlines",
        "klachten simulate",
    ):
        assert command in README


@pytest.mark.parametrize("command", ["deadlines", "simulate"])
def test_readme_example_is_what_the_command_prints(command):
    import io
    import shlex

    from klachtenregister.cli.main import main

    block = README.split(f"$ klachten {command} ", 1)[1].split("```", 1)[0]
    command_line, expected = block.split("\n", 1)
    out = io.StringIO()
    assert main([command, *shlex.split(command_line)], out=out) == 0
    assert out.getvalue() == expected


def test_the_field_reference_is_written_from_the_current_schema():
    # docs/regulation-fields.md lists every field with required/optional and its default
    # (issue 14 §6); `python scripts/regulation_fields.py` rewrites it after a schema change.
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "regulation_fields", ROOT / "scripts" / "regulation_fields.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (ROOT / "docs" / "regulation-fields.md").read_text(encoding="utf-8")
    assert written == module.render()
    for name, field in Regulation.model_fields.items():
        required = "yes" if field.is_required() else "no"
        assert f"| `{name}` | {required} |" in written
