"""The complaint page asks the database a fixed number of questions, however long its log:
at most 12, the same at 5 and at 200 events (issue 17). Nothing is read per event, per letter
or per document.

Loket3's acknowledgement goes to the complainant (by e-mail here, so the letter has an outbox
message); the office (a member holding every kind of role) registers the complaint on Mon 19 Apr
2027, sends it and notes telephone calls.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachtenregister.correspondence.models import Letter, OutboxMessage
from klachtenregister.register.models import Complaint, Organisation
from tests.factories import Staff
from tests.support.clock_and_race import Clock
from tests.support.complaints import record
from tests.support.webflows import act, complaint_url, overview, problem, register

MOST = 12


def _notes(complaint: Complaint, user: Any, count: int) -> None:
    for number in range(count):
        record(
            complaint,
            user,
            "note_added",
            "2027-04-20",
            {"kind": "telephone", "text": f"Klager belde ({number})."},
        )


def test_the_same_queries_at_5_and_at_200_events(
    client: Client, staff: Staff, loket3: Organisation, clock: Clock
) -> None:
    office = staff(loket3, email="")
    client.force_login(office)
    clock.set("2027-04-19")
    complaint = register(
        client,
        "loket3",
        "2027-04-19",
        complainant_name="Marloes Bakker",
        complainant_email="marloes@example.nl",
    )
    response = act(client, complaint, "acknowledged", "2027-04-19")
    assert response.status_code == 302, problem(response)
    assert Letter.objects.filter(complaint=complaint, delivery="email").exists()
    assert OutboxMessage.objects.filter(complaint=complaint).exists()
    clock.set("2027-04-20")
    _notes(complaint, office, 5 - Complaint.objects.get(pk=complaint.pk).sequence)

    def queries(events: int) -> int:
        client.get(complaint_url(complaint))  # the session settles after the login
        with CaptureQueriesContext(connection) as captured:
            page = client.get(complaint_url(complaint))
        assert page.status_code == 200
        recorded = [row for row in overview(page.content) if not row["pending"]]
        assert len(recorded) == events
        assert "marloes@example.nl" in page.content.decode()  # the letter's row
        # The one write is the AVG access log's record of this view (issue 16 §5); the page is
        # read in the rest.
        writes = [q["sql"] for q in captured if not q["sql"].startswith("SELECT")]
        assert len(writes) == 1 and writes[0].startswith('INSERT INTO "privacy_accessrecord"')
        return len(captured) - len(writes)

    few = queries(5)
    _notes(complaint, office, 195)
    many = queries(200)
    assert many == few
    assert many <= MOST, many
