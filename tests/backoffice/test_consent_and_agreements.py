"""Consent and agreements on the complaint page (issue 14 §4): each recorded with its own form,
shown on the page, taken from the seed article in the test's name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import Complaint, ComplaintEvent
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    act,
    action_forms,
    complaint_url,
    letter_fields,
    overview,
    page_deadlines,
    parse,
    problem,
    register,
)


def todo_rows(client: Client, complaint) -> dict[str, str]:  # type: ignore[no-untyped-def]
    page = parse(client.get(complaint_url(complaint)).content)
    return {
        row.attrs["data-todo"]: row.attrs["data-todo-status"]
        for row in page.find_all("tr", attrs={"data-todo": True})
    }


Registered = Callable[..., tuple[Complaint, User]]


@pytest.fixture
def registered(client: Client, clock: Clock, staff: Any, organisation: Any) -> Registered:
    """``registered(slug, on, **fields)``: a complaint registered through the form on that day
    by Sam, who holds every role of the organisation and is logged in; returns both."""

    def make(slug: str, on: str, **fields: Any) -> tuple[Complaint, User]:
        sam = staff(organisation(slug), email="")
        clock.set(on)
        client.force_login(sam)
        return register(client, slug, on, **fields), sam

    return make


def step(client: Client, clock: Clock, complaint, event: str, on: str, **fields) -> None:  # type: ignore[no-untyped-def]
    clock.set(on)
    response = act(client, complaint, event, on, **fields)
    assert response.status_code == 302, (event, problem(response))


def test_smartplus_punt_6_report_for_signature_travel_expenses_and_the_handlers_function(
    client: Client,
    clock: Clock,
    registered: Registered,
) -> None:
    complaint, sam = registered("smartplus", "2027-04-19", subjects=["Frank Fokker"])
    forms = action_forms(client.get(complaint_url(complaint)).content)
    assert "function" in forms["handler_assigned"].field_names()
    step(
        client,
        clock,
        complaint,
        "handler_assigned",
        "2027-04-20",
        handler=sam.pk,
        function="Kwaliteitsmedewerker",
    )
    page = parse(client.get(complaint_url(complaint)).content)
    assert "Kwaliteitsmedewerker" in page.find("dd", {"id": "fact-handler"}).text()

    step(client, clock, complaint, "accepted", "2027-04-21")
    step(client, clock, complaint, "hearing_held", "2027-04-28", heard="Klager\nFrank Fokker")
    assert "hearing_report_returned" not in action_forms(
        client.get(complaint_url(complaint)).content
    )
    step(client, clock, complaint, "hearing_report_sent", "2027-04-29")
    assert todo_rows(client, complaint)["hearing_report_signature"] == "open"
    forms = action_forms(client.get(complaint_url(complaint)).content)
    assert {"outcome", "comments"} <= forms["hearing_report_returned"].field_names()
    # Commented without the comments: the form asks for them, nothing is recorded.
    clock.set("2027-05-03")
    response = act(client, complaint, "hearing_report_returned", "2027-05-03", outcome="commented")
    assert response.status_code != 302
    assert todo_rows(client, complaint)["hearing_report_signature"] == "open"
    step(client, clock, complaint, "hearing_report_returned", "2027-05-03", outcome="signed")
    assert todo_rows(client, complaint)["hearing_report_signature"] == "done"

    forms = action_forms(client.get(complaint_url(complaint)).content)
    assert [value for value, _ in forms["costs_recorded"].choices("kind")] == ["", "travel"]
    step(
        client,
        clock,
        complaint,
        "costs_recorded",
        "2027-05-04",
        kind="travel",
        amount="12.40",
        description="Treinkaartje naar het gesprek",
    )
    costs = parse(client.get(complaint_url(complaint)).content).find("dd", {"id": "fact-costs"})
    assert "€ 12,40" in costs.text() and "reiskosten" in costs.text()
    stored = ComplaintEvent.objects.get(complaint=complaint, event="costs_recorded")
    assert stored.payload["amount"] == "12.40"


def test_iskander_rij_2_after_a_refusal_the_judgement_waits_for_the_external_party(
    client: Client,
    clock: Clock,
    registered: Registered,
) -> None:
    complaint, _sam = registered("iskander", "2027-04-19", subjects=["Jan Jansen"])
    step(client, clock, complaint, "consent_recorded", "2027-04-20", outcome="refused")
    step(client, clock, complaint, "accepted", "2027-04-21")
    forms = action_forms(client.get(complaint_url(complaint)).content)
    assert "hearing_invitation_sent" not in forms and "decision_made" not in forms
    assert "external_party_engaged" in forms
    # Posted all the same: refused with the regulation's reason, as an error on the page.
    clock.set("2027-04-22")
    response = act(client, complaint, "hearing_invitation_sent", "2027-04-22")
    assert response.status_code != 302
    assert "externe partij" in parse(response.content).text()

    step(client, clock, complaint, "external_party_engaged", "2027-04-22", party="Bureau X")
    forms = action_forms(client.get(complaint_url(complaint)).content)
    assert "hearing_invitation_sent" in forms


def test_infocus_procedure_6_a_new_term_agreed_shows_as_extended(
    client: Client,
    clock: Clock,
    registered: Registered,
) -> None:
    complaint, _sam = registered("infocus-samen", "2027-04-20")
    forms = action_forms(client.get(complaint_url(complaint)).content)
    assert [value for value, _ in forms["term_agreed"].choices("deadline")] == ["", "uitspraak"]
    step(
        client,
        clock,
        complaint,
        "term_agreed",
        "2027-05-13",
        deadline="uitspraak",
        due="2027-06-04",
        reason="Niet alle partijen gehoord",
    )
    rows = {row[0]: row for row in page_deadlines(client.get(complaint_url(complaint)).content)}
    assert rows["uitspraak"] == ("uitspraak", "2027-04-20", "2027-06-04", "extended", None)


def test_infocus_procedure_6_the_letter_confirming_the_agreed_term_names_its_new_date(
    client: Client,
    clock: Clock,
    registered: Registered,
) -> None:
    """The confirmation goes out with the agreement itself: its new due date is the date just
    agreed, though the form was filled in before the term moved."""
    from klachtenregister.correspondence.models import Letter
    from tests.support.letters import pdf_text

    complaint, _sam = registered("infocus-samen", "2027-04-20")
    offered = letter_fields(client, complaint, "term_agreed")
    due_fields = [name for name in offered if name.endswith("new_due_date")]
    assert due_fields, offered
    step(
        client,
        clock,
        complaint,
        "term_agreed",
        "2027-05-13",
        deadline="uitspraak",
        due="2027-06-04",
        reason="Niet alle partijen gehoord",
        **{name: "" for name in due_fields},
    )
    letter = Letter.objects.get(complaint=complaint, event__event="term_agreed")
    assert "4 juni 2027" in pdf_text(letter)


def test_the_overview_names_the_role_as_the_regulation_does(
    client: Client,
    clock: Clock,
    registered: Registered,
) -> None:
    complaint, _sam = registered("infocus-samen", "2027-04-20")
    actors = " ".join(
        row["actor"] for row in overview(client.get(complaint_url(complaint)).content)
    )
    assert "in_focus_samen" not in actors
    assert "IN FOCUS Samen" in actors
