"""Loading regulation files: a bad file is refused whole, with file, field, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from klachtenregister.regulations.loader import (
    RegulationError,
    load_regulation,
    load_regulation_file,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "regulations" / "voorbeeld.yaml"


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


def refusal(path: Path) -> RegulationError:
    with pytest.raises(RegulationError) as caught:
        load_regulation_file(path)
    return caught.value


def test_the_example_regulation_loads():
    regulation = load_regulation_file(EXAMPLE)
    assert regulation.id == "voorbeeld"
    assert [d.id for d in regulation.deadlines_at_receipt()] == [
        "ontvangstbevestiging",
        "niet_in_behandeling",
        "beslissing",
    ]
    assert str(regulation.deadline("beslissing").extension.max_by) == "4 weken"


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = write_variant(tmp_path, "  short_code: VRB ", "  short_code: [VRB ")
    error = refusal(path)
    (problem,) = error.problems
    assert problem.reason("en").startswith("YAML syntax error: expected ',' or ']'")
    # PyYAML notices the unclosed list where the next token starts: the same or the next line.
    assert problem.line in {
        line_of(path, "short_code: [VRB"),
        line_of(path, "short_code: [VRB") + 1,
    }
    assert str(error).startswith(f"{path}:{problem.line}: YAML-syntaxfout")


def test_unknown_field(tmp_path):
    path = write_variant(
        tmp_path, "    kind: acknowledgement\n", "    kind: acknowledgement\n    colour: red\n"
    )
    (problem,) = refusal(path).problems
    assert problem.location == ("deadlines", 0, "colour")
    assert problem.reason("en") == "unknown field"
    assert problem.line == line_of(path, "colour: red")
    assert problem.render("en") == f"{path}:{problem.line}: deadlines[0].colour: unknown field"


def test_wrong_type(tmp_path):
    path = write_variant(
        tmp_path,
        "duration: {amount: 5, unit: werkdagen}",
        "duration: {amount: vijf, unit: werkdagen}",
    )
    (problem,) = refusal(path).problems
    assert problem.location == ("deadlines", 0, "duration", "amount")
    assert "whole number" in problem.reason("en")
    assert problem.line == line_of(path, "amount: vijf")


def test_unknown_unit(tmp_path):
    path = write_variant(tmp_path, "{amount: 6, unit: weken}", "{amount: 6, unit: uren}")
    (problem,) = refusal(path).problems
    assert problem.location == ("deadlines", 2, "duration", "unit")
    assert "unknown unit 'uren'" in problem.reason("en")
    assert "werkdagen" in problem.reason("en")


def test_deadline_referring_to_an_event_that_does_not_exist(tmp_path):
    path = write_variant(tmp_path, "met_by: acknowledged ", "met_by: acknowledgment_sent ")
    (problem,) = refusal(path).problems
    assert problem.location == ("deadlines", 0, "met_by", 0, "event")
    assert "'acknowledgment_sent'" in problem.reason("en")
    assert "'acknowledged'" in problem.reason("en")  # the expected values are listed
    assert problem.line == line_of(path, "met_by: acknowledgment_sent")


def test_unknown_outcome_of_an_event(tmp_path):
    path = write_variant(
        tmp_path,
        "starts_on: hearing_held ",
        "starts_on: {event: hearing_held, outcome: agreement} ",
    )
    (problem,) = refusal(path).problems
    assert problem.location[:3] == ("deadlines", 3, "starts_on")
    assert "no outcomes" in problem.reason("en")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing here\n", encoding="utf-8")
    (problem,) = refusal(path).problems
    assert problem.reason("en") == "the file is empty"
    assert str(path) in problem.render("en")


def test_a_file_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    (problem,) = refusal(path).problems
    assert "mapping" in problem.reason("en")


def test_duplicate_key_is_refused_not_overwritten(tmp_path):
    path = write_variant(tmp_path, 'version: "2026-1"', 'version: "2026-1"\nversion: "2026-2"')
    (problem,) = refusal(path).problems
    assert "duplicate key 'version'" in problem.reason("en")


def test_every_problem_is_reported_at_once(tmp_path):
    path = write_variant(tmp_path, "{amount: 6, unit: weken}", "{amount: 6, unit: uren}")
    text = path.read_text(encoding="utf-8").replace("kind: hearing_report", "kind: hearing")
    path.write_text(text, encoding="utf-8")
    locations = {p.location for p in refusal(path).problems}
    assert locations == {("deadlines", 2, "duration", "unit"), ("deadlines", 3, "kind")}


def test_letter_naming_a_deadline_that_does_not_exist(tmp_path):
    path = write_variant(tmp_path, "    deadline: beslissing\n", "    deadline: besluit\n")
    (problem,) = refusal(path).problems
    # At the field that refers, on its own line (issue 14 §6), in Dutch unless asked otherwise.
    assert problem.location == ("letters", 1, "deadline")
    assert problem.line == line_of(path, "deadline: besluit")
    assert problem.reason() == "geen termijn met id 'besluit'"
    assert problem.reason("en") == "no deadline with id 'besluit'"


def test_duplicate_ids(tmp_path):
    path = write_variant(tmp_path, "  - id: behandelaar\n", "  - id: klachtenfunctionaris\n")
    problems = refusal(path).problems
    # Every problem at once: the repeated id, and the handler role no longer there.
    assert {(p.location, p.reason("en")) for p in problems} == {
        (("roles", 1, "id"), "id 'klachtenfunctionaris' is used more than once"),
        (("handling", "handled_by", 0), "no role with id 'behandelaar'"),
    }
    assert all(p.line is not None and p.line > 1 for p in problems)


def test_missing_source_is_refused(tmp_path):
    path = write_variant(tmp_path, "    source: Art. 3 lid 3\n  - id: niet_in", "  - id: niet_in")
    (problem,) = refusal(path).problems
    assert problem.location == ("deadlines", 0, "source")
    assert problem.reason("en") == "required field is missing"


def test_on_and_yes_are_not_booleans(tmp_path):
    # YAML 1.1 would read the key `on` as True; the notification's `on:` must stay a key.
    path = write_variant(
        tmp_path,
        "escalation:\n",
        "notifications:\n  - id: melding\n    label: Melding\n    on: received\n"
        "    notify: [subject]\n    source: Art. 3\nescalation:\n",
    )
    regulation = load_regulation_file(path)
    assert regulation.notifications[0].on.event.value == "received"


def test_missing_file():
    with pytest.raises(RegulationError, match="bestand bestaat niet"):
        load_regulation_file("/nonexistent/regulation.yaml")


def test_load_regulation_by_name_or_path():
    assert load_regulation(str(EXAMPLE)).id == "voorbeeld"
    with pytest.raises(RegulationError, match="geen meegeleverd reglement met die naam"):
        load_regulation("geen-reglement")


def test_unknown_calendar_is_refused_with_its_line(tmp_path):
    path = write_variant(tmp_path, "calendar: nl-atw ", "calendar: be-x ")
    (problem,) = refusal(path).problems
    assert problem.location == ("calendar",)
    assert problem.line == line_of(path, "calendar: be-x")
    assert "unknown calendar" in problem.reason("en")


def test_calendar_file_is_read_relative_to_the_regulation(tmp_path):
    (tmp_path / "sluiting.yaml").write_text(
        "based_on: nl-atw\nclosing_days:\n"
        "  - {date: 2026-12-28, label: Kerstsluiting, source: Besluit directie}\n",
        encoding="utf-8",
    )
    path = write_variant(tmp_path, "calendar: nl-atw ", "calendar: sluiting.yaml ")
    regulation = load_regulation_file(path)
    assert regulation.calendar == str(tmp_path / "sluiting.yaml")
