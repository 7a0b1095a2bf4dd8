"""The demo's data files (``demo/data/*.yaml``): every demo complaint is a scenario its
organisation's regulation accepts on any day, and a file that names an unknown event, role (demo
user) or term is refused with its file, line and field before anything is written.
"""

from __future__ import annotations

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from klachtenregister.demo import loading
from klachtenregister.demo.datafiles import DATA_DIRECTORY, DemoData, DemoFileError, read_demo
from klachtenregister.lifecycle import record, replay
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.schema import Regulation
from tests.support.demo_days import AWKWARD_DAYS

MONDAY = AWKWARD_DAYS[0]


def preset_regulations(data: DemoData) -> dict[str, Regulation]:
    return {slug: load_preset(slug) for slug in data.codes}


@pytest.mark.parametrize("day", AWKWARD_DAYS, ids=[day.isoformat() for day in AWKWARD_DAYS])
def test_every_demo_complaint_is_a_scenario_its_regulation_accepts(day: dt.date) -> None:
    data = read_demo()
    regulations = preset_regulations(data)

    _users, stories = loading.plan(data, regulations, day)

    assert list(stories) == list(data.codes)
    for organisation in data.organisations:
        told = stories[organisation.slug]
        assert len(told) == len(organisation.file.complaints)
        for story in told:
            received, *later = story.scenario.events
            # As register_complaint records it: 'registered' on the day of receipt.
            events = [received, record(received.on, "registered"), *later]
            result = replay(regulations[organisation.slug], events, story.scenario.facts, day)
            assert result.refused is None, (story.data.complainant_name, result.refused)
            assert all(event.on <= day for event in events), story.data.complainant_name


def problems_after_edit(tmp_path: Path, file: str, old: str, new: str) -> tuple[list[str], str]:
    """The problems the demo reports once ``old`` is replaced by ``new`` in a copy of ``file``,
    and where ``old`` stood (``file:line``)."""
    shutil.copytree(DATA_DIRECTORY, tmp_path, dirs_exist_ok=True)
    path = tmp_path / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(DemoFileError) as refused:
        data = read_demo(tmp_path)
        loading.plan(data, preset_regulations(data), MONDAY)
    return [str(problem) for problem in refused.value.problems], f"{path}:{line}"


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "message"),
    [
        pytest.param(
            "iskander.yaml",
            "event: acknowledged}",
            "event: acknowledgd}",
            "complaints[0].events[2].event",
            "onbekende waarde 'acknowledgd'",
            id="unknown-event",
        ),
        pytest.param(
            "iskander.yaml",
            "handler: isk-handler",
            "handler: isk-committee",
            "complaints[0].events[1].handler",
            "unknown demo user 'isk-committee'",
            id="unknown-role-of-a-person",
        ),
        pytest.param(
            "iskander.yaml",
            "actor: isk-coordinator",
            "actor: isk-manager",
            "complaints[0].events[1].actor",
            "unknown demo user 'isk-manager'",
            id="unknown-role-of-the-actor",
        ),
        pytest.param(
            "iskander.yaml",
            "director: [Hanneke, Visser]",
            "committee: [Hanneke, Visser]",
            "people.committee",
            "the regulation has no role of kind 'committee'",
            id="unknown-role-in-people",
        ),
        pytest.param(
            "infocus-samen.yaml",
            "due uitspraak)",
            "due uitspraken)",
            "complaints[2].events[5].on",
            "unknown term 'uitspraken'",
            id="unknown-term-in-a-date",
        ),
        pytest.param(
            "infocus-samen.yaml",
            "heard: [Richard Claassen, Ilse van Leeuwen]",
            "heard: []",
            "complaints[2].events[4].heard",
            "minstens 1 element(en)",
            id="invalid-event-before-a-due-date",
        ),
        pytest.param(
            "infocus-samen.yaml",
            "deadline: uitspraak",
            "deadline: uitspraken",
            "complaints[2].events[5].deadline",
            "unknown term",
            id="unknown-term-extended",
        ),
        pytest.param(
            "loket3.yaml",
            "on: ontvangstbevestiging due soon",
            "on: ontvangstbevestigin due soon",
            "complaints[1].events[0].on",
            "unknown term 'ontvangstbevestigin'",
            id="unknown-term-due-soon",
        ),
        pytest.param(
            "smartplus.yaml",
            "on: received + 17 working days",
            "on: received + 60 working days",
            "complaints[3].events[8].on",
            "after today (2026-11-23)",
            id="after-today",
        ),
        pytest.param(
            "integratiewerk.yaml",
            "on: today - 16 working days",
            "on: 16 working days ago",
            "complaints[0].events[0].on",
            "not a date expression",
            id="not-a-date",
        ),
        pytest.param(
            "loket3.yaml",
            "category: afspraken",
            "categorie: afspraken",
            "complaints[0].categorie",
            "onbekend veld",
            id="unknown-field",
        ),
    ],
)
def test_a_file_naming_something_unknown_is_refused_with_file_line_and_field(
    tmp_path: Path, file: str, old: str, new: str, field: str, message: str
) -> None:
    problems, where = problems_after_edit(tmp_path, file, old, new)

    assert any(
        problem.startswith(f"{where}: {field}: ") and message in problem for problem in problems
    ), problems


def test_a_due_date_is_the_engines_after_an_extension(tmp_path: Path) -> None:
    # The decision term (4 weeks from 22 working days before the Monday) was extended by 3
    # weeks: an event on its due date would be on the extended date, after the Monday.
    problems, where = problems_after_edit(
        tmp_path,
        "infocus-samen.yaml",
        "nieuwe termijn met klager afgesproken.\n",
        "nieuwe termijn met klager afgesproken.\n"
        "      - {on: due uitspraak, event: decision_sent}\n",
    )

    line = int(where.rsplit(":", 1)[1]) + 1
    assert problems == [
        f"{where.rsplit(':', 1)[0]}:{line}: complaints[2].events[6].on: "
        f"'due uitspraak' is 2026-12-10, after today ({MONDAY})"
    ]


@pytest.mark.django_db
def test_load_demo_reports_a_broken_file_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(DATA_DIRECTORY, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "smartplus.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("event: accepted}", "event: aanvaard}"),
        encoding="utf-8",
    )
    monkeypatch.setattr(loading, "read_demo", lambda: read_demo(tmp_path))
    monkeypatch.setattr("klachtenregister.register.clock.today", lambda: MONDAY)

    with pytest.raises(CommandError) as refused:
        call_command("load_demo", stdout=StringIO())

    assert "demo not loaded, nothing written" in str(refused.value)
    # Both complaints that say 'aanvaard' are named, each with its own line.
    assert str(refused.value).count("onbekende waarde 'aanvaard'") == 2
    assert not User.objects.exists()
