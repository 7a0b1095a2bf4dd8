"""Voiding a registration through the back office (issue 12 §2): a complaint registered by
mistake leaves the watch list, stays findable with its log, and its number is not reused.

Iskander complaints registered by the klachtenfunctionaris Klara on Mon 19 Apr 2027; under
Iskander no role lists `registration_voided`, so the coordinator records it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import Complaint, Organisation
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    act,
    action_forms,
    complaint_url,
    overview,
    page_deadlines,
    page_error,
    page_state,
    parse,
    problem,
    register,
    stored_log,
    url,
    watch_rows,
)
from tests.support.written_state import written_state

REASON = "Dubbel geregistreerd: dezelfde brief als ISK-2027-0001."


@dataclass
class Case:
    client: Client
    clock: Clock
    first: Complaint
    duplicate: Complaint


@pytest.fixture
def case(client: Client, clock: Clock, iskander: Organisation, klara: User) -> Case:
    clock.set("2027-04-19")
    client.force_login(klara)
    first = register(client, "iskander", "2027-04-19")
    duplicate = register(client, "iskander", "2027-04-19")
    return Case(client, clock, first, duplicate)


def void(case: Case, reason: str = REASON) -> object:
    return act(case.client, case.duplicate, "registration_voided", "2027-04-20", reason=reason)


def last_details(html: bytes) -> str:
    """The details cell of the overview's last row."""
    table = next(t for t in parse(html).find_all("table") if t.find("th").text() == "#")  # type: ignore[union-attr]
    body = table.find("tbody")
    assert body is not None
    return body.elements()[-1].elements()[4].text()


def list_rows(client: Client, **params: str) -> list[list[str]]:
    page = client.get(url("complaint_list", "iskander"), params)
    assert page.status_code == 200
    table = parse(page.content).find("table", {"class": "complaints"})
    assert table is not None
    body = table.find("tbody")
    assert body is not None
    return [
        [cell.text() for cell in tr.elements()]
        for tr in body.find_all("tr")
        if tr.find("th") is not None
    ]


def test_a_coordinator_voids_a_duplicate_with_a_reason(case: Case) -> None:
    case.clock.set("2027-04-20")
    watched = [
        row.reference for row in watch_rows(case.client.get(url("watchlist", "iskander")).content)
    ]
    assert case.duplicate.reference in watched
    form = action_forms(case.client.get(complaint_url(case.duplicate)).content)[
        "registration_voided"
    ]
    assert "reason" in form.field_names()

    response = void(case)
    assert response.status_code == 302, problem(response)  # type: ignore[attr-defined]

    page = case.client.get(complaint_url(case.duplicate)).content
    assert page_state(page) == "ongeldig verklaard"
    # Every term lapsed: none is missed, none runs.
    assert {row[3] for row in page_deadlines(page)} == {"cancelled"}
    # Only a note may still follow.
    assert list(action_forms(page)) == ["note_added"]
    # The log keeps the event and its reason, on the page and in the store.
    assert overview(page)[-1]["label"] == "Registratie ongeldig verklaard"
    assert REASON in last_details(page)
    log = stored_log(case.duplicate)
    assert (log[-1].event, log[-1].payload["reason"]) == ("registration_voided", REASON)

    # Off the watch list; the other complaint stays.
    watched = [
        row.reference for row in watch_rows(case.client.get(url("watchlist", "iskander")).content)
    ]
    assert case.duplicate.reference not in watched
    assert case.first.reference in watched

    # The Klachten page still finds it, with its state, also by the state filter.
    rows = {row[0]: row for row in list_rows(case.client)}
    assert "ongeldig verklaard" in rows[case.duplicate.reference]
    assert [row[0] for row in list_rows(case.client, state="voided")] == [case.duplicate.reference]
    assert [row[0] for row in list_rows(case.client, q=case.duplicate.reference)] == [
        case.duplicate.reference
    ]


def test_the_number_of_a_voided_complaint_is_not_reused(case: Case) -> None:
    case.clock.set("2027-04-20")
    assert case.duplicate.reference == "ISK-2027-0002"
    response = void(case)
    assert response.status_code == 302, problem(response)  # type: ignore[attr-defined]

    following = register(case.client, "iskander", "2027-04-20", complainant_name="Meneer Jansen")

    assert following.reference == "ISK-2027-0003"
    assert Complaint.objects.filter(reference="ISK-2027-0002").get().state == "voided"


def test_a_handler_cannot_void(case: Case, piet: User) -> None:
    case.clock.set("2027-04-20")
    response = act(case.client, case.duplicate, "handler_assigned", "2027-04-20", handler=piet.pk)
    assert response.status_code == 302, problem(response)
    before = written_state(case.duplicate)
    case.client.logout()
    case.client.force_login(piet)
    page = case.client.get(complaint_url(case.duplicate)).content
    assert "registration_voided" not in action_forms(page)

    response = void(case)

    assert response.status_code == 403  # type: ignore[attr-defined]
    assert written_state(case.duplicate) == before


@pytest.mark.parametrize("reason", ["", "   "])
def test_voiding_without_a_reason_is_refused(case: Case, reason: str) -> None:
    case.clock.set("2027-04-20")
    before = written_state(case.duplicate)

    response = void(case, reason)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert page_error(response.content)  # type: ignore[attr-defined]
    assert written_state(case.duplicate) == before
