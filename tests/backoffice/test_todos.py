"""Duties without a term on the complaint page and the watch list (issue 14 §2): a to-do made by
the event that triggers it, shown to the role that carries it out ("te doen"), done by the step
that carries it out or by hand ("taak afgehandeld")."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import Complaint, ComplaintTodo, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import act, action_forms, complaint_url, parse, problem, register, url


def todo_rows(client: Client, complaint: Complaint) -> dict[str, str]:
    """The page's to-dos: id -> status as shown."""
    page = parse(client.get(complaint_url(complaint)).content)
    return {
        row.attrs["data-todo"]: row.attrs["data-todo-status"]
        for row in page.find_all("tr", attrs={"data-todo": True})
    }


def watch_todos(client: Client, slug: str) -> dict[str, Any]:
    """The watch list's "te doen" lights: reference -> number of to-dos."""
    page = parse(client.get(url("watchlist", slug)).content)
    result = {}
    for row in page.find_all("tr"):
        light = row.find("span", attrs={"data-todos": True})
        link = row.find("a")
        if light is not None and link is not None:
            result[link.text().strip()] = int(light.attrs["data-todos"])
    return result


@pytest.fixture
def smartplus(organisation) -> Organisation:  # type: ignore[no-untyped-def]
    return organisation("smartplus")


@pytest.fixture
def sam(staff, smartplus: Organisation) -> User:  # type: ignore[no-untyped-def]
    return staff(smartplus, email="")


def test_smartplus_punt_5_the_employee_informed_at_once_is_a_todo_until_the_letter_goes(
    client: Client, clock: Clock, sam: User, smartplus: Organisation
) -> None:
    clock.set("2027-04-19")
    client.force_login(sam)
    complaint = register(client, "smartplus", "2027-04-19", subjects=["Frank Fokker"])
    assert todo_rows(client, complaint) == {"medewerker_onmiddellijk_informeren": "open"}
    page = parse(client.get(complaint_url(complaint)).content).text()
    assert "Medewerker tegen wie de klacht is gericht onmiddellijk op de hoogte stellen" in page
    stored = ComplaintTodo.objects.get(complaint=complaint)
    assert (stored.status, stored.roles) == ("open", ["behandelaar"])
    # Sam holds the behandelaar's role: the watch list shows the to-do's own light.
    assert watch_todos(client, "smartplus") == {complaint.reference: 1}
    # A director, who does not send the complaint letter, sees the complaint without it.
    director = UserFactory(
        username="dirk", full_name="Dirk Directeur", memberships=[(smartplus, RoleKind.DIRECTOR)]
    )
    other = Client()
    other.force_login(director)
    assert complaint.reference in parse(other.get(url("watchlist", "smartplus")).content).text()
    assert watch_todos(other, "smartplus") == {}

    clock.set("2027-04-20")
    response = act(client, complaint, "subject_informed", "2027-04-20")
    assert response.status_code == 302, problem(response)
    assert todo_rows(client, complaint) == {"medewerker_onmiddellijk_informeren": "done"}
    assert watch_todos(client, "smartplus") == {}


def test_loket3_handelswijze_7_consultation_on_preventive_measures_is_marked_done_by_hand(
    client: Client,
    clock: Clock,
    staff,
    organisation,  # type: ignore[no-untyped-def]
) -> None:
    loket3 = organisation("loket3")
    sam = staff(loket3, email="")
    clock.set("2027-04-22")
    client.force_login(sam)
    complaint = register(client, "loket3", "2027-04-22")
    for event, on, fields in (
        ("accepted", "2027-04-23", {}),
        ("measures_recorded", "2027-05-20", {"type": "preventive"}),
    ):
        clock.set(on)
        response = act(client, complaint, event, on, **fields)
        assert response.status_code == 302, problem(response)
    assert todo_rows(client, complaint)["overleg_preventieve_maatregelen"] == "open"
    form = action_forms(client.get(complaint_url(complaint)).content)["todo_done"]
    options = form.node.find("select", {"name": "todo"}).find_all("option")
    assert [o.attrs["value"] for o in options] == ["", "overleg_preventieve_maatregelen"]

    clock.set("2027-05-21")
    response = act(
        client, complaint, "todo_done", "2027-05-21", todo="overleg_preventieve_maatregelen"
    )
    assert response.status_code == 302, problem(response)
    assert todo_rows(client, complaint)["overleg_preventieve_maatregelen"] == "done"
    # Nothing left to do by hand: the step is no longer offered.
    assert "todo_done" not in action_forms(client.get(complaint_url(complaint)).content)


def test_the_watch_list_with_open_todos_reads_in_at_most_ten_queries_whatever_their_number(
    client: Client, clock: Clock, sam: User, smartplus: Organisation
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clock.set("2027-04-19")
    client.force_login(sam)

    def queries() -> int:
        client.get(url("watchlist", "smartplus"))  # the session as it settles after a login
        with CaptureQueriesContext(connection) as captured:
            client.get(url("watchlist", "smartplus"))
        return len(captured)

    for name in ("Frank Fokker", "Greet Gans"):
        register(client, "smartplus", "2027-04-19", subjects=[name])
    few = queries()
    for number in range(8):
        register(client, "smartplus", "2027-04-19", subjects=[f"Medewerker {number}"])
    assert len(watch_todos(client, "smartplus")) == 10  # each row with its open to-do
    many = queries()
    assert many == few
    assert many <= 10, many
