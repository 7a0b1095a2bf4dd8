"""Correcting the day of receipt and the subjects in the back office (issue 12 §2): the
coordinator's correction form has both fields; a corrected day moves the terms on the page and
names the letters that went out with the old terms; a handler who becomes a subject is flagged
and holds up the next step until replaced; hostile dates are a Dutch form error, never a 500.

Iskander, registered by the klachtenfunctionaris Klara on Thu 22 Apr 2027 with the day of
receipt typed as Mon 19 Apr 2027.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    act,
    action_forms,
    complaint_url,
    page_deadlines,
    page_error,
    parse,
    problem,
    register,
    stored_log,
)

REASON = "Ontvangstdatum verkeerd overgenomen."


@dataclass
class Case:
    client: Client
    clock: Clock
    complaint: Complaint


@pytest.fixture
def case(client: Client, clock: Clock, iskander: Organisation, klara: User) -> Case:
    clock.set("2027-04-22")
    client.force_login(klara)
    complaint = register(client, "iskander", "2027-04-19", subjects=["Jan Janssen"])
    return Case(client, clock, complaint)


def correct(case: Case, **fields: Any) -> Any:
    return act(case.client, case.complaint, "facts_corrected", "2027-04-22", **fields)


def dues(html: bytes) -> dict[str, str]:
    return {row[0]: row[2] for row in page_deadlines(html)}


def test_the_form_has_the_day_of_receipt_and_the_subjects_prefilled(case: Case) -> None:
    page = case.client.get(complaint_url(case.complaint))
    form = action_forms(page.content)["facts_corrected"]
    assert form.value("received_on") == "2027-04-19"
    subjects = form.node.find("textarea", {"name": "subjects"})
    assert subjects is not None and subjects.text() == "Jan Janssen"


def test_a_corrected_day_of_receipt_moves_the_terms_and_names_the_letters_sent_before(
    case: Case,
) -> None:
    acknowledged = act(case.client, case.complaint, "acknowledged", "2027-04-22")
    assert acknowledged.status_code == 302, problem(acknowledged)
    page = case.client.get(complaint_url(case.complaint))
    assert dues(page.content)["afhandeling"] == "2027-05-18"
    assert parse(page.content).find(attrs={"id": "letters-old-terms"}) is None

    response = correct(case, received_on="2027-04-22", reason=REASON)
    assert response.status_code == 302, problem(response)

    page = case.client.get(complaint_url(case.complaint))
    # From Thu 22 Apr: afhandeling 22 Apr + 4 weeks = Thu 20 May (was Tue 18 May, after
    # Tweede Pinksterdag); the acknowledgement was met on the 22nd either way.
    assert dues(page.content) == {
        "ontvangstbevestiging": "2027-04-30",
        "afhandeling": "2027-05-20",
    }
    html = page.content.decode()
    assert 'data-corrected="received_on"' in html
    note = parse(page.content).find(attrs={"id": "letters-old-terms"})
    letters = list(case.complaint.letters.all())
    assert letters  # the acknowledgement's letter went out with the old terms
    assert note is not None
    assert "2027-04-19 → 2027-04-22" in note.text()
    assert len(note.find_all("li")) == len(letters)
    assert Complaint.objects.get(pk=case.complaint.pk).reference == case.complaint.reference


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # Outside the dates any calendar counts with: the form's own range (issue 16 §3).
        ("0001-01-01", "Vul een datum in tussen"),
        ("9999-12-31", "Vul een datum in tussen"),
        ("", "Dit veld is verplicht"),
        ("22-04-2027x", "Voer een geldige datum in"),
        ("2027-02-30", "Voer een geldige datum in"),
        # After the registration on Thu 22 Apr (the correction made on Fri 23 Apr).
        ("2027-04-23", "'klacht geregistreerd' is al op 2027-04-22 vastgelegd"),
    ],
)
def test_a_hostile_day_of_receipt_is_a_dutch_error_and_writes_nothing(
    case: Case, value: str, message: str
) -> None:
    case.clock.set("2027-04-23")
    sequence = Complaint.objects.get(pk=case.complaint.pk).sequence
    response = act(
        case.client, case.complaint, "facts_corrected", "2027-04-23", received_on=value,
        reason=REASON,
    )  # fmt: skip
    assert response.status_code in (400, 422), response.status_code
    assert message in parse(response.content).text()
    complaint = Complaint.objects.get(pk=case.complaint.pk)
    assert complaint.sequence == sequence
    assert str(complaint.received_on) == "2027-04-19"


def test_a_handler_made_a_subject_is_flagged_and_holds_up_the_next_step_until_replaced(
    case: Case, piet: User, iskander: Organisation
) -> None:
    assigned = act(case.client, case.complaint, "handler_assigned", "2027-04-22", handler=piet.pk)
    assert assigned.status_code == 302, problem(assigned)

    response = correct(
        case, subjects="Jan Janssen\nPiet Pietersen", reason="Piet was bij het gesprek."
    )
    assert response.status_code == 302, problem(response)
    assert stored_log(case.complaint)[-1].payload["changes"] == {
        "subjects": {"old": ["Jan Janssen"], "new": ["Jan Janssen", "Piet Pietersen"]}
    }

    page = case.client.get(complaint_url(case.complaint))
    flag = parse(page.content).find(attrs={"id": "impartiality-conflict"})
    assert flag is not None and "Piet Pietersen" in flag.text()
    offered = action_forms(page.content)
    assert "acknowledged" not in offered and "decision_made" not in offered
    assert "handler_assigned" in offered
    # Piet is no longer offered as handler.
    choices = [label for _value, label in offered["handler_assigned"].choices("handler")]
    assert "Piet Pietersen" not in choices

    refused = act(case.client, case.complaint, "acknowledged", "2027-04-22")
    assert refused.status_code == 422
    assert "andere behandelaar" in (page_error(refused.content) or "")

    marie = UserFactory(
        username="marie", full_name="Marie Maas", memberships=[(iskander, RoleKind.HANDLER)]
    )
    replaced = act(case.client, case.complaint, "handler_assigned", "2027-04-22", handler=marie.pk)
    assert replaced.status_code == 302, problem(replaced)
    page = case.client.get(complaint_url(case.complaint))
    assert parse(page.content).find(attrs={"id": "impartiality-conflict"}) is None
    acknowledged = act(case.client, case.complaint, "acknowledged", "2027-04-22")
    assert acknowledged.status_code == 302, problem(acknowledged)


def test_a_too_long_subject_name_is_a_form_error(case: Case) -> None:
    response = correct(case, subjects="x" * 201, reason=REASON)
    assert response.status_code == 400
    assert "ten hoogste 200 tekens" in response.content.decode()
