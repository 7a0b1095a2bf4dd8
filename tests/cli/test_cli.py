"""The `klachten` command line: output shapes are contracts other tools rely on."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from klachtenregister.cli.main import main
from klachtenregister.regulations.loader import preset_names
from klachtenregister.yamlio import read_yaml

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "regulations" / "voorbeeld.yaml"
PRESET_DIR = ROOT / "src" / "klachtenregister" / "regulations" / "presets"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


# --- deadlines --------------------------------------------------------------------------------


def test_deadlines_json_has_exactly_the_contracted_shape():
    code, output = run("deadlines", str(EXAMPLE), "--received", "2026-12-23", "--json")
    assert code == 0
    payload = json.loads(output)
    assert set(payload) == {"regulation", "version", "calendar", "deadlines"}
    assert payload["regulation"] == "voorbeeld"
    assert payload["version"] == "2026-1"
    assert payload["calendar"] == "nl-atw"
    for item in payload["deadlines"]:
        assert set(item) == {"id", "kind", "label", "due", "source"}
    assert payload["deadlines"][0] == {
        "id": "ontvangstbevestiging",
        "kind": "acknowledgement",
        "label": "Ontvangstbevestiging",
        # Thu 24 (1); 25, 26 Christmas; 27 Sunday; Mon 28 (2) .. Thu 31 (5)
        "due": "2026-12-31",
        "source": "Art. 3 lid 3",
    }


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # 5 werkdagen skip Christmas; 4 and 6 weeks end on a Wednesday.
        ("2026-12-23", {"ontvangstbevestiging": "2026-12-31", "niet_in_behandeling": "2027-01-20",
                        "beslissing": "2027-02-03"}),
        # Fri 1 May (1), Mon 4 (2), Tue 5 May is a holiday every year, Wed 6 (3) .. Fri 8 (5).
        ("2026-04-30", {"ontvangstbevestiging": "2026-05-08", "niet_in_behandeling": "2026-05-28",
                        "beslissing": "2026-06-11"}),
        # Received on a Saturday: 4 weeks end on Sat 26 Dec (2nd Christmas day), 6 weeks on
        # Sat 9 Jan: both roll on to the Monday (Atw art. 1).
        ("2026-11-28", {"ontvangstbevestiging": "2026-12-04", "niet_in_behandeling": "2026-12-28",
                        "beslissing": "2027-01-11"}),
    ],
)  # fmt: skip
def test_deadlines_due_dates(received, expected):
    code, output = run("deadlines", str(EXAMPLE), "--received", received, "--json")
    assert code == 0
    assert {d["id"]: d["due"] for d in json.loads(output)["deadlines"]} == expected


def test_deadlines_human_output_is_dutch_by_default():
    code, output = run("deadlines", str(EXAMPLE), "--received", "2026-12-23")
    assert code == 0
    assert "Klachtenreglement Voorbeeld Re-integratie (versie 2026-1)" in output
    assert "Ontvangen op: wo 23 december 2026" in output
    line = next(x for x in output.splitlines() if x.startswith("Ontvangstbevestiging"))
    assert "5 werkdagen" in line
    assert "do 31 december 2026" in line
    assert "Art. 3 lid 3" in line
    assert "alleen als: niet in behandeling genomen" in output


def test_deadlines_in_english():
    code, output = run("deadlines", str(EXAMPLE), "--received", "2026-12-23", "--lang", "en")
    assert code == 0
    assert "Received on: Wed 23 December 2026" in output
    line = next(x for x in output.splitlines() if x.startswith("Acknowledgement of receipt"))
    assert "5 working days" in line
    assert "Thu 31 December 2026" in line
    assert "6 weeks" in output


def test_lang_before_the_command_is_kept():
    code, output = run("--lang", "en", "deadlines", str(EXAMPLE), "--received", "2026-12-23")
    assert code == 0
    assert "Received on:" in output


def test_deadlines_of_a_preset_by_name():
    code, output = run("deadlines", "iskander", "--received", "2026-12-23", "--json")
    assert code == 0
    payload = json.loads(output)
    assert payload["regulation"] == "iskander"
    assert payload["deadlines"], "Iskander has terms that start at receipt"


def test_deadlines_unknown_regulation_exits_2(capsys):
    code, _ = run("deadlines", "geen-reglement", "--received", "2026-12-23")
    assert code == 2
    assert (
        "bestand bestaat niet, en er is geen meegeleverd reglement met die naam"
        in capsys.readouterr().err
    )


def test_deadlines_bad_date_exits_2(capsys):
    with pytest.raises(SystemExit) as exited:
        run("deadlines", "iskander", "--received", "23-12-2026")
    assert exited.value.code == 2
    assert "not a date in the form YYYY-MM-DD: '23-12-2026'" in capsys.readouterr().err


def test_deadlines_outside_the_calendar_range_exits_2(capsys):
    code, _ = run("deadlines", "iskander", "--received", "1800-01-01")
    assert code == 2
    assert "calendar" in capsys.readouterr().err


# --- regulations ------------------------------------------------------------------------------


def test_check_valid_files_exits_0():
    files = [str(EXAMPLE), *(str(p) for p in sorted(PRESET_DIR.glob("*.yaml")))]
    code, output = run("regulations", "check", *files)
    assert code == 0
    assert output.count(": geldig (") == len(files)


def test_check_reports_every_bad_file_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("unit: werkdagen", "unit: uren", 1))
    code, output = run("regulations", "check", str(EXAMPLE), str(bad))
    assert code == 2
    assert f"{EXAMPLE}: geldig" in output
    err = capsys.readouterr().err
    assert f"{bad}:" in err
    assert "deadlines[0].duration.unit: onbekende eenheid 'uren'" in err
    assert "1 van 2 bestanden ongeldig" in err


def test_check_refuses_an_unknown_calendar(tmp_path, capsys):
    bad = tmp_path / "cal.yaml"
    bad.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("calendar: nl-atw", "calendar: be-x", 1)
    )
    code, _ = run("regulations", "check", str(bad))
    assert code == 2
    assert "be-x" in capsys.readouterr().err


@pytest.mark.django_db
def test_list_shows_presets_the_register_and_given_files():
    code, output = run("regulations", "list", str(EXAMPLE))
    assert code == 0
    presets, register = output.split("Geladen in het register:")
    for name in preset_names():
        assert f"  {name} " in presets
    assert "nog geen reglementen" in register
    assert f"Bestand {EXAMPLE}:" in register


@pytest.mark.django_db
def test_list_shows_what_was_loaded_into_the_register():
    from klachtenregister.register.loading import load_regulations

    load_regulations(["smartplus", str(EXAMPLE)])
    code, output = run("regulations", "list")
    assert code == 0
    register = output.split("Geladen in het register:")[1]
    lines = sorted(line.split() for line in register.strip().splitlines())
    assert lines[0][:2] == ["smartplus", "seed-1"]
    assert register.count("[meegeleverd]") == 1
    assert lines[1][:2] == ["voorbeeld", "2026-1"]
    assert f"[{EXAMPLE}]" in register


def test_schema_is_json_schema_that_accepts_every_shipped_file():
    code, output = run("regulations", "schema")
    assert code == 0
    schema = json.loads(output)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = [EXAMPLE, *sorted(PRESET_DIR.glob("*.yaml"))]
    assert len(files) >= 7
    for path in files:
        data = json.loads(json.dumps(read_yaml(path).data, default=str))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], f"{path.name}: {errors[:3]}"


def test_schema_refuses_an_unknown_field():
    schema = json.loads(run("regulations", "schema")[1])
    data = json.loads(json.dumps(read_yaml(EXAMPLE).data, default=str))
    data["deadlines"][0]["colour"] = "red"
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "klachten"
    result = subprocess.run(
        [str(script), "deadlines", "smartplus", "--received", "2026-12-23", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["regulation"] == "smartplus"


def test_a_reader_that_leaves_early_gets_no_traceback():
    # `klachten regulations schema | head`, with the reader gone before the first write.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "klachtenregister.cli.main", "regulations", "schema"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in completed.stderr
    assert completed.returncode == 141


# --- robust loading (issue 14 §6): bounded aliases, depth, size ---------------------------------

# 342 bytes that expand to 9**9 (387 million) strings: "billion laughs".
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join(['*' + previous] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
DEEP = "[" * 500 + "]" * 500 + "\n"


def test_the_alias_bomb_is_342_bytes():
    assert len(ALIAS_BOMB.encode()) == 342


@pytest.mark.parametrize(
    ("text", "message"),
    [(ALIAS_BOMB, "aliasbom"), (DEEP, "dieper genest dan 64 niveaus")],
    ids=["alias-bomb", "500-levels"],
)
def test_regulations_check_refuses_alias_bomb_and_deep_nesting_with_exit_2(
    tmp_path, capsys, text, message
):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    code, _ = run("regulations", "check", str(bad))
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [(ALIAS_BOMB, "aliasbom"), (DEEP, "dieper genest dan 64 niveaus")],
    ids=["alias-bomb", "500-levels"],
)
def test_simulate_refuses_alias_bomb_and_deep_nesting_as_regulation_or_scenario(
    tmp_path, capsys, text, message
):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("events:\n  - {on: 2027-04-29, event: received, channel: written}\n")

    assert run("simulate", str(bad), str(scenario))[0] == 2
    assert message in capsys.readouterr().err
    assert run("simulate", "iskander", str(bad))[0] == 2
    assert message in capsys.readouterr().err
    assert run("deadlines", str(bad), "--received", "2027-04-29")[0] == 2
    assert message in capsys.readouterr().err


def test_a_file_too_large_is_refused(tmp_path, capsys):
    big = tmp_path / "big.yaml"
    big.write_text("note: " + "x" * (3 * 1024 * 1024) + "\n", encoding="utf-8")
    assert run("regulations", "check", str(big))[0] == 2
    assert "te groot" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("counsel_allowed: true", "counsel_allowed: yes", "'yes' is geen true of false"),
        ("counsel_allowed: true", "counsel_allowed: off", "'off' is geen true of false"),
        ("{amount: 4, unit: weken}", '{amount: "4", unit: weken}', "'4' is tekst"),
    ],
)
def test_yes_off_and_quoted_numbers_are_refused(tmp_path, capsys, old, new, message):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert run("regulations", "check", str(bad))[0] == 2
    assert message in capsys.readouterr().err


def test_check_accepts_a_regulation_without_decision_term_and_deadlines_show_the_advice(tmp_path):
    """Issue 14 §5: no decision term in the regulation; Awb 9:11's six weeks as advice."""
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("  - id: beslissing\n    kind: decision")
    text = text[:start] + text[text.index("  - id: verslag_hoorzitting") :]
    path = tmp_path / "zonder-termijn.yaml"
    path.write_text(text.replace("    deadline: beslissing\n", ""), encoding="utf-8")

    assert run("regulations", "check", str(path))[0] == 0
    code, output = run("deadlines", str(path), "--received", "2027-06-01", "--json")
    assert code == 0
    advice = json.loads(output)["deadlines"][-1]
    assert advice["id"] == "advies_awb_9_11"
    assert advice["due"] == "2027-07-13"
    assert advice["label"].startswith("Geen termijn in het reglement")
