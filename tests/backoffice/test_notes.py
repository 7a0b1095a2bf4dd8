"""Notes on a complaint through the back office (issue 12 §3): a phone call, an e-mail or a
conversation, noted by whoever keeps the register, on an open or a closed complaint.

One Iskander complaint about Jan, registered by the klachtenfunctionaris Klara on Mon 19 Apr
2027. Under Iskander no role lists `note_added`: the coordinator records it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    Node,
    act,
    action_forms,
    complaint_url,
    page_deadlines,
    page_error,
    page_state,
    parse,
    problem,
    register,
    stored_log,
)
from tests.support.written_state import written_state

CALL = "Klager belde: de re-integratiespecialist heeft inmiddels teruggebeld."


@dataclass
class Case:
    client: Client
    clock: Clock
    complaint: Complaint
    klara: User
    jan: User


@pytest.fixture
def case(client: Client, clock: Clock, iskander: Organisation, klara: User) -> Case:
    jan = UserFactory(
        username="jan",
        memberships=[(iskander, RoleKind.COORDINATOR), (iskander, RoleKind.HANDLER)],
        email="",
    )
    clock.set("2027-04-19")
    client.force_login(klara)
    complaint = register(
        client, "iskander", "2027-04-19", facts_date="2027-04-09", subjects=["jan"]
    )
    return Case(client, clock, complaint, klara, jan)


def overview_rows(html: bytes) -> list[Node]:
    page = parse(html)
    table = next(t for t in page.find_all("table") if t.find("th").text() == "#")  # type: ignore[union-attr]
    body = table.find("tbody")
    assert body is not None
    return body.elements()


def note_details(html: bytes, label: str) -> str:
    """The details cell of the last overview row with that label."""
    rows = [row.elements() for row in overview_rows(html)]
    found = [cells for cells in rows if cells[2].text() == label]
    assert found, [cells[2].text() for cells in rows]
    return found[-1][4].text()


def post_note(case: Case, on: str, kind: str = "telephone", text: str = CALL) -> None:
    response = act(case.client, case.complaint, "note_added", on, kind=kind, text=text)
    assert response.status_code == 302, problem(response)


def test_a_coordinator_notes_a_phone_call_on_an_open_complaint(case: Case) -> None:
    case.clock.set("2027-04-20")
    before = case.client.get(complaint_url(case.complaint)).content
    forms = action_forms(before)

    # Offered after the steps that meet a term, with a select of kinds and no letters.
    assert list(forms)[-1] == "note_added"
    assert list(forms).index("acknowledged") < list(forms).index("note_added")
    form = forms["note_added"]
    assert form.choices("kind") == [
        ("telephone", "telefoon"),
        ("email", "e-mail"),
        ("conversation", "gesprek"),
        ("other", "overig"),
    ]
    assert form.value("on") == "2027-04-20"
    assert "text" in form.field_names()
    assert not [name for name in form.field_names() if name.startswith("letter-")]
    assert "note" not in form.field_names()

    post_note(case, "2027-04-20")

    after = case.client.get(complaint_url(case.complaint)).content
    assert page_deadlines(after) == page_deadlines(before)
    assert page_state(after) == page_state(before)
    details = note_details(after, "Notitie toegevoegd")
    assert "soort: telefoon" in details
    assert f"tekst: {CALL}" in details
    log = stored_log(case.complaint)
    assert (log[-1].event, log[-1].payload["kind"], log[-1].payload["text"]) == (
        "note_added",
        "telephone",
        CALL,
    )
    assert not case.complaint.letters.exists()


def test_a_coordinator_notes_a_phone_call_on_a_closed_complaint(case: Case) -> None:
    case.clock.set("2027-04-21")
    for event, fields in [("withdrawn", {"reason": "Klager trekt in"}), ("closed", {})]:
        response = act(case.client, case.complaint, event, "2027-04-21", **fields)
        assert response.status_code == 302, problem(response)
    case.clock.set("2027-06-01")
    before = case.client.get(complaint_url(case.complaint)).content
    assert page_state(before) == "afgesloten"
    assert "note_added" in action_forms(before)

    post_note(case, "2027-06-01", text="Klager belde na het afsluiten om te bedanken.")

    after = case.client.get(complaint_url(case.complaint)).content
    assert page_state(after) == "afgesloten"
    assert page_deadlines(after) == page_deadlines(before)
    details = note_details(after, "Notitie toegevoegd")
    assert "tekst: Klager belde na het afsluiten om te bedanken." in details


def test_an_empty_note_is_refused_and_nothing_is_recorded(case: Case) -> None:
    case.clock.set("2027-04-20")
    before = written_state(case.complaint)

    response = act(
        case.client, case.complaint, "note_added", "2027-04-20", kind="telephone", text="  "
    )

    assert response.status_code == 400
    assert page_error(response.content)
    assert written_state(case.complaint) == before


def test_a_subject_of_the_complaint_cannot_add_a_note(case: Case) -> None:
    case.clock.set("2027-04-20")
    before = written_state(case.complaint)
    case.client.logout()
    case.client.force_login(case.jan)

    response = act(case.client, case.complaint, "note_added", "2027-04-20", kind="other", text="Ik")

    assert response.status_code == 403
    assert written_state(case.complaint) == before


def test_the_english_page_shows_the_note_in_english(case: Case) -> None:
    case.clock.set("2027-04-20")
    post_note(case, "2027-04-20", kind="conversation", text="Gesprek op de gang.")

    page = case.client.get(complaint_url(case.complaint, "en")).content

    details = note_details(page, "Note added")
    assert "kind: conversation" in details
    assert "text: Gesprek op de gang." in details
    form = action_forms(page)["note_added"]
    assert form.choices("kind") == [
        ("telephone", "phone"),
        ("email", "e-mail"),
        ("conversation", "conversation"),
        ("other", "other"),
    ]
    labels = [node.text() for node in form.node.find_all("label")]
    assert "Kind of contact:" in labels
    assert "Note:" in labels
