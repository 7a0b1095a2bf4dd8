"""A missed term owes its to-do when it runs out, not at the complaint's next event (issue 14
§2): the hourly job stores it, so the watch list's "te doen" light, the digest and the
dashboard show it (they read the stored rows).

SmartPLUS (Punt 7, Toelichting, slotzin): its own four weeks to answer run from receipt; when
they are not met the client is told why (if_missed, done by progress_notice_sent). Received
Mon 5 Apr 2027: due Mon 3 May 2027; the to-do from Tue 4 May.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import Complaint, ComplaintTodo, Organisation
from klachtenregister.register.projection import MISSED_TODO_WINDOW, store_missed_todos
from klachtenregister.register.services import register_complaint
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data

pytestmark = pytest.mark.django_db

OWN_TERM = "eigen_termijn"


def owed(complaint: Complaint) -> list[tuple[str, dt.date, str]]:
    return [
        (row.todo_id, row.created_on, row.status)
        for row in ComplaintTodo.objects.filter(complaint=complaint, todo_id=OWN_TERM)
    ]


@pytest.fixture
def complaint(organisation, staff, clock: Clock) -> Complaint:  # type: ignore[no-untyped-def]
    smartplus: Organisation = organisation("smartplus")
    clock.set("2027-04-05")
    return register_complaint(smartplus, staff(smartplus), complaint_data("2027-04-05"))


def test_smartplus_punt_7_the_to_do_is_stored_the_day_after_the_term_ran_out(
    complaint: Complaint,
) -> None:
    assert store_missed_todos(dt.date(2027, 5, 3)) == 0  # due that day: not missed yet
    assert owed(complaint) == []

    assert store_missed_todos(dt.date(2027, 5, 4)) == 1
    assert owed(complaint) == [(OWN_TERM, dt.date(2027, 5, 4), "open")]
    # Stored once: the next hour finds nothing to do.
    assert store_missed_todos(dt.date(2027, 5, 4)) == 0
    assert len(owed(complaint)) == 1


def test_smartplus_punt_7_a_term_missed_longer_ago_than_the_window_waits_for_an_event(
    complaint: Complaint,
) -> None:
    late = dt.date(2027, 5, 3) + MISSED_TODO_WINDOW + dt.timedelta(days=1)
    assert store_missed_todos(late) == 0
    assert owed(complaint) == []


def corrupt(complaint: Complaint) -> None:
    """A stored event the engine refuses on replay (a rule of a later release, a bug): the
    decision before anything else, in a role that does not record it."""
    from klachtenregister.register.models import ComplaintEvent

    complaint.refresh_from_db()
    ComplaintEvent.objects.create(
        complaint=complaint,
        sequence=complaint.sequence + 1,
        event="decision_made",
        on=dt.date(2027, 4, 6),
        role="medewerker",
        actor_name="Iemand",
        payload={"outcome": "founded"},
    )


def sam() -> User:
    return User.objects.get(username="staf-smartplus")  # made by the complaint fixture


def test_a_complaint_whose_log_does_not_replay_does_not_stop_the_others(
    complaint: Complaint,
) -> None:
    broken = register_complaint(complaint.organisation, sam(), complaint_data("2027-04-05"))
    corrupt(broken)

    assert store_missed_todos(dt.date(2027, 5, 4)) == 1
    assert owed(complaint) == [(OWN_TERM, dt.date(2027, 5, 4), "open")]
    assert owed(broken) == []


def test_the_page_of_a_complaint_whose_log_does_not_replay_says_so_without_a_500(
    complaint: Complaint, client: Client
) -> None:
    from tests.support.webflows import complaint_url

    corrupt(complaint)
    client.force_login(sam())
    page = client.get(complaint_url(complaint))
    assert page.status_code == 409
    assert "Deze klacht kan nu niet worden getoond" in page.content.decode()
