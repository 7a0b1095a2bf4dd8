"""A regulation's problems in the reader's language (issue 14 §6): Dutch by default, English with
``klachten --lang en``; cross-reference errors one per field, at the line of the field that
refers, all in one run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from klachtenregister.cli.main import main
from klachtenregister.i18n import translation
from klachtenregister.yamlio import _PYDANTIC_MESSAGES
from tests.regulations.test_loader import line_of, write_variant

SOURCES = Path(__file__).parents[2] / "src" / "klachtenregister"


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().err.splitlines()


def broken(tmp_path: Path) -> Path:
    """Two wrong references and a wrong unit, far apart in the file."""
    path = write_variant(tmp_path, "    deadline: beslissing\n", "    deadline: besluit\n")
    text = path.read_text(encoding="utf-8").replace("  - id: behandelaar\n", "  - id: handler\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_reference_problem_is_reported_at_its_own_line_in_dutch(tmp_path, capsys):
    path = broken(tmp_path)
    code, lines = check(capsys, "regulations", "check", str(path))
    assert code == 2
    assert f"{path}:{line_of(path, 'deadline: besluit')}: letters[1].deadline: " in "\n".join(lines)
    problems = [line for line in lines if line.startswith(str(path))]
    assert len(problems) == 2
    assert all("geen " in line and " met id " in line for line in problems)
    assert lines[-1] == "1 van 1 bestanden ongeldig"


def test_the_same_problems_in_english(tmp_path, capsys):
    path = broken(tmp_path)
    code, lines = check(capsys, "--lang", "en", "regulations", "check", str(path))
    assert code == 2
    assert any(
        line.endswith("letters[1].deadline: no deadline with id 'besluit'") for line in lines
    )
    assert any(line.endswith("no role with id 'behandelaar'") for line in lines)
    assert lines[-1] == "1 of 1 files invalid"


def test_a_scenario_problem_follows_the_language_too(tmp_path, capsys):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("events:\n  - {on: 2027-04-29, event: received, colour: red}\n")
    for language, expected in (("nl", "onbekend veld"), ("en", "unknown field")):
        code, lines = check(capsys, "--lang", language, "simulate", "iskander", str(scenario))
        assert code == 2
        assert any(line.endswith(f"events[0].colour: {expected}") for line in lines), lines


def _templates() -> set[str]:
    found = set(_PYDANTIC_MESSAGES.values())
    for path in SOURCES.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "message"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_problem_text_has_its_english_translation():
    templates = _templates()
    assert len(templates) > 30  # the search itself found them
    english = translation("en")
    untranslated = sorted(t for t in templates if english.gettext(t) == t)
    assert untranslated == []
