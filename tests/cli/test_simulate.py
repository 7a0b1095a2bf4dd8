"""`klachten simulate`: the JSON shape and the exit codes are contracts other tools rely on."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from klachtenregister.cli.main import main

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "scenarios" / "iskander-overleg.yaml"

DEADLINE_KEYS = {"id", "kind", "label", "start", "due", "status", "met_on", "source"}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def scenario(tmp_path: Path, text: str) -> str:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_has_exactly_the_contracted_shape():
    code, output = run("simulate", "iskander", str(EXAMPLE), "--json")
    assert code == 0
    payload = json.loads(output)
    assert set(payload) == {"regulation", "version", "state", "deadlines", "todos", "refused"}
    assert (payload["regulation"], payload["version"]) == ("iskander", "seed-1")
    assert payload["refused"] is None
    for item in payload["deadlines"]:
        assert set(item) == DEADLINE_KEYS
    # As of the last event (20 May) the silence term runs: the complaint is settled, not closed.
    assert payload["state"] == "resolved"
    assert payload["deadlines"][0] == {
        "id": "ontvangstbevestiging",
        "kind": "acknowledgement",
        "label": "Schriftelijke ontvangstbevestiging met informatie over de procedure",
        "start": "2027-04-29",
        # Fri 30 Apr (1), Mon 3 (2), Tue 4 (3); 5 May, Ascension 6 May and the decree day
        # 7 May are holidays; Mon 10 (4), Tue 11 (5).
        "due": "2027-05-11",
        "status": "met",
        "met_on": "2027-05-03",
        "source": "Stroomschema, rij 1",
    }
    silence = payload["deadlines"][-1]
    # Thu 20 May + 5 werkdagen: Fri 21, Mon 24 .. Thu 27.
    assert (silence["id"], silence["due"], silence["status"]) == (
        "afronding_zonder_reactie",
        "2027-05-27",
        "open",
    )


TODO_KEYS = {"id", "kind", "created_on", "done_on", "source"}


def test_json_lists_the_todos_smartplus_punt_5_and_toelichting_punt_7(tmp_path):
    # Punt 5: the employee complained about is told at once (the complaint letter); Toelichting
    # Punt 7: the own four-week term (6 Apr + 28 days = Tue 4 May) missed, the client is told why.
    path = scenario(
        tmp_path,
        "subjects: [frank]\n"
        "events:\n"
        "  - {on: 2027-04-06, event: received, channel: written}\n"
        "  - {on: 2027-04-07, event: subject_informed}\n",
    )
    code, output = run("simulate", "smartplus", path, "--json", "--as-of", "2027-05-10")
    assert code == 0
    payload = json.loads(output)
    assert set(payload) == {"regulation", "version", "state", "deadlines", "todos", "refused"}
    assert payload["todos"] == [
        {
            "id": "medewerker_onmiddellijk_informeren",
            "kind": "notification",
            "created_on": "2027-04-06",
            "done_on": "2027-04-07",
            "source": "Punt 5, slotzin; Toelichting Administratieve intake",
        },
        {
            "id": "eigen_termijn",
            "kind": "if_missed",
            "created_on": "2027-05-05",
            "done_on": None,
            "source": "Punt 7, Toelichting, slotzin",
        },
    ]
    for item in payload["todos"]:
        assert set(item) == TODO_KEYS


def test_as_of_runs_the_silence_closure():
    code, output = run("simulate", "iskander", str(EXAMPLE), "--json", "--as-of", "2027-05-28")
    assert code == 0
    payload = json.loads(output)
    assert payload["state"] == "closed"
    assert payload["deadlines"][-1]["status"] == "missed"

    # On the due date itself the term still runs.
    _, output = run("simulate", "iskander", str(EXAMPLE), "--json", "--as-of", "2027-05-27")
    assert json.loads(output)["state"] == "resolved"


def test_a_refused_event_stops_the_replay_and_exits_3(tmp_path):
    path = scenario(
        tmp_path,
        """\
subjects: [jan]
events:
  - {on: 2027-04-29, event: received, channel: written}
  - {on: 2027-05-03, event: acknowledged}
  - {on: 2027-05-03, event: handler_assigned, handler: jan}
  - {on: 2027-05-04, event: accepted}
""",
    )
    code, output = run("simulate", "iskander", path, "--json")
    assert code == 3
    payload = json.loads(output)
    assert payload["refused"]["event_index"] == 2
    assert "jan kan de klacht niet behandelen" in payload["refused"]["reason"]
    # The complaint as it stood: acknowledged, not yet accepted (the later event is not applied).
    assert payload["state"] == "received"
    assert payload["deadlines"][0]["status"] == "met"

    code, output = run("simulate", "iskander", path, "--json", "--lang", "en")
    assert code == 3
    assert "jan cannot handle the complaint" in json.loads(output)["refused"]["reason"]

    code, output = run("simulate", "iskander", path)
    assert code == 3
    assert "Geweigerd: gebeurtenis 3 (behandelaar aangewezen op ma 3 mei 2027)" in output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("events: []\n", "events: moet minstens 1 element(en) hebben"),
        ("subjects: [jan]\n", "scenario.yaml:1: events: verplicht veld ontbreekt"),
        ("- received\n", "scenario.yaml:1: een scenariobestand moet een verzameling velden"),
        (
            "events:\n  - {on: 2027-04-29, event: recieved}\n",
            "scenario.yaml:2: events[0].event: onbekende waarde 'recieved'",
        ),
        (
            "events:\n  - {on: 2027-02-30, event: received, channel: written}\n",
            "scenario.yaml:2: YAML-syntaxfout: not a valid date: '2027-02-30'",
        ),
        (
            "events:\n  - {on: 2027-04-29, event: received, channel: written}\n"
            "  - {on: 2027-04-30, event: handler_assigned}\n",
            "scenario.yaml:3: events[1].handler: verplicht veld ontbreekt",
        ),
        (
            "events:\n  - {on: 2027-04-29, event: received, channel: fax}\n",
            "scenario.yaml:2: events[0].channel: onbekende waarde 'fax'; "
            "verwacht: 'oral', 'written'",
        ),
        (
            "events:\n  - {on: 2027-04-29, event: received, channel: written, colour: red}\n",
            "scenario.yaml:2: events[0].colour: onbekend veld",
        ),
        (
            "events:\n  - {on: 2027-04-29, event: received, channel: written}\n"
            "  - {on: 2027-05-04, event: extended, deadline: afhandeling, reason: x}\n",
            "scenario.yaml:3: events[1].by: verplicht veld ontbreekt",
        ),
    ],
)
def test_an_invalid_scenario_is_refused_with_line_and_field(tmp_path, capsys, text, expected):
    code, output = run("simulate", "iskander", scenario(tmp_path, text))
    assert code == 2
    assert output == ""
    assert expected in capsys.readouterr().err


def test_every_problem_in_a_scenario_is_reported_at_once(tmp_path, capsys):
    text = (
        "events:\n"
        "  - {on: 2027-04-29, event: received}\n"
        "  - {on: 2027-04-30, event: consultation_held, outcome: maybe}\n"
    )
    assert run("simulate", "iskander", scenario(tmp_path, text))[0] == 2
    err = capsys.readouterr().err.splitlines()
    assert any("scenario.yaml:2: events[0].channel: verplicht veld ontbreekt" in e for e in err)
    assert any("scenario.yaml:3: events[1].outcome:" in e for e in err)


def test_as_of_before_the_last_event_is_invalid(capsys):
    code, _ = run("simulate", "iskander", str(EXAMPLE), "--as-of", "2027-05-01")
    assert code == 2
    assert "lies before the last event (2027-05-20)" in capsys.readouterr().err


def test_missing_scenario_file(tmp_path, capsys):
    code, _ = run("simulate", "iskander", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "nope.yaml: bestand bestaat niet" in capsys.readouterr().err


def test_text_output_shows_state_terms_and_what_may_happen_next():
    code, output = run("simulate", "iskander", str(EXAMPLE))
    assert code == 0
    assert "Status: informeel opgelost" in output
    assert "van do 29 april 2027 tot en met di 11 mei 2027: gehaald op ma 3 mei 2027" in output
    assert "reaction_received" in output.split("Nu mogelijk:")[1]

    code, output = run(
        "simulate", "--lang", "en", "iskander", str(EXAMPLE), "--as-of", "2027-06-01"
    )
    assert code == 0
    assert "State: closed" in output
    assert "[automatically, by the regulation]: naar tevredenheid afgerond" in output


def test_the_installed_command_runs_the_readme_example():
    completed = subprocess.run(
        [sys.executable, "-m", "klachtenregister.cli.main", "simulate", "iskander", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Klachtenreglement Iskander" in completed.stdout
