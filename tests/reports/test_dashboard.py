"""The dashboard (/o/<slug>/overzicht/) on Mon 19 Apr 2027, counted by hand.

Iskander (acknowledgement within 5 working days; Easter Monday 29 Mar 2027):
- A, Thu 1 Apr, Piet handles it, not acknowledged: due Thu 8 Apr, overdue.
- B, Tue 13 Apr, no handler: due Tue 20 Apr, within 2 working days (up to Wed 21 Apr).
- C, Fri 10 Apr 2026, no handler, never acknowledged: overdue (and last year's only one).
- D, Fri 2 Apr, voided: nowhere.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/o/iskander/overzicht/"


@pytest.fixture
def iskander_desk(desk: Any, piet: Any) -> Any:
    d = desk("iskander")
    a = d.receive("2027-04-01")
    d.act(a, "2027-04-01", "handler_assigned", {"handler": piet.pk}, handler="Piet Pietersen")
    d.receive("2027-04-13")
    d.receive("2026-04-10")
    voided = d.receive("2027-04-02")
    d.act(voided, "2027-04-02", "registration_voided", reason="Dubbel.")
    d.clock.set("2027-04-19")
    return d


def test_dashboard_counts(iskander_desk: Any) -> None:
    client = Client()
    client.force_login(
        UserFactory(memberships=[(iskander_desk.organisation, RoleKind.COORDINATOR)])
    )
    response = client.get(PAGE)
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.open_by_state == [("geregistreerd", 3)]
    assert [(h.name, h.overdue, h.soon) for h in dashboard.handlers] == [
        ("(geen behandelaar)", 1, 1),
        ("Piet Pietersen", 1, 0),
    ]
    assert dashboard.comparison[0] == ("Ontvangen klachten", 2, 1)
    assert dashboard.per_month.rows == [
        ["2027-01", 0],
        ["2027-02", 0],
        ["2027-03", 0],
        ["2027-04", 2],
    ]
    assert "<svg" in response.content.decode()


def test_dashboard_is_for_coordinators_and_directors(iskander_desk: Any) -> None:
    org = iskander_desk.organisation
    for kind, status in (
        (RoleKind.DIRECTOR, 200),
        (RoleKind.MANAGER, 403),
        (RoleKind.HANDLER, 403),
    ):
        client = Client()
        client.force_login(UserFactory(memberships=[(org, kind)]))
        assert client.get(PAGE).status_code == status


def test_open_todos_older_than_the_setting_are_listed(
    desk: Any, settings: Any, employee: Any
) -> None:
    # Loket3 Handelswijze 7: preventive measures recorded on Mon 3 May 2027 make the to-do
    # "overleg met degene die effectieve verbeteringen kan doorvoeren", carried out by hand.
    d = desk("loket3")
    complaint = d.receive("2027-04-22")
    d.act(complaint, "2027-04-23", "accepted")
    d.act(complaint, "2027-05-03", "measures_recorded", type="preventive")
    settings.TODO_OPEN_DAYS = 5
    client = Client()
    client.force_login(employee(d.organisation, "Dirk Directeur", RoleKind.DIRECTOR))

    d.clock.set("2027-05-08")  # five days on: not yet older than the setting
    assert client.get("/o/loket3/overzicht/").context["dashboard"].old_todos == []
    d.clock.set("2027-05-09")
    response = client.get("/o/loket3/overzicht/")
    [old] = response.context["dashboard"].old_todos
    assert (old.reference, old.created_on.isoformat()) == (complaint.reference, "2027-05-03")
    assert old.label == "Overleg met degene die effectieve verbeteringen kan doorvoeren"
    assert "ouder dan 5 dagen" in response.content.decode()

    d.act(complaint, "2027-05-10", "todo_done", todo="overleg_preventieve_maatregelen")
    assert client.get("/o/loket3/overzicht/").context["dashboard"].old_todos == []


def test_a_complaint_with_one_term_overdue_and_another_due_soon_counts_in_both(
    desk: Any,
) -> None:
    """E, Mon 22 Mar 2027, no handler, not acknowledged: the acknowledgement (5 working days:
    23, 24, 25, 26 Mar, Easter Monday 29 Mar, Tue 30 Mar) is overdue on Mon 19 Apr, and the
    four weeks of Klachtenbeleid (22 Mar + 28 days = Mon 19 Apr) fall due that day: soon."""
    d = desk("iskander")
    d.receive("2027-03-22")
    d.clock.set("2027-04-19")
    client = Client()
    client.force_login(UserFactory(memberships=[(d.organisation, RoleKind.COORDINATOR)]))
    dashboard = client.get(PAGE).context["dashboard"]
    assert [(h.name, h.overdue, h.soon) for h in dashboard.handlers] == [
        ("(geen behandelaar)", 1, 1)
    ]
