"""Registering a complaint through the form and recording a note through its action form ask
the database a fixed number of questions, however many complaints the organisation holds
(issue 17, intake): the acting roles are read once per write, a new complaint's log and derived
rows are not read back, and a note does not rewrite who takes part.

The office (a member holding every kind of role) of Loket3 registers on Mon 19 Apr 2027.
"""

from __future__ import annotations

import uuid

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachtenregister.register import services
from klachtenregister.register.models import Complaint, Organisation
from tests.factories import Staff
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data
from tests.support.webflows import action_url, problem, registration_fields, url

# Measured at 26 and 30 (before issue 17's intake work: 41 and 36); a registration reads the
# organisation's people once more since subjects are chosen as people (issue 16 §2): 27; and its
# regulation versions once more since the regulation's categories and preconditions are the
# form's questions (issue 14 §3): 28.
MOST_REGISTRATION = 28
MOST_NOTE = 30


def _registration(client: Client, name: str) -> tuple[int, Complaint]:
    data = registration_fields("2027-04-19", complainant_name=name)
    data["submission"] = str(uuid.uuid4())
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url("register", "loket3"), data)
    assert response.status_code == 302, problem(response)
    reference = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return len(captured), Complaint.objects.get(reference=reference)


def _note(client: Client, complaint: Complaint) -> int:
    data = {
        "sequence": Complaint.objects.get(pk=complaint.pk).sequence,
        "on": "2027-04-19",
        "kind": "telephone",
        "text": "Klager belde.",
    }
    with CaptureQueriesContext(connection) as captured:
        response = client.post(action_url(complaint, "note_added"), data)
    assert response.status_code == 302, problem(response)
    return len(captured)


def test_registration_and_note_in_the_same_queries_with_more_complaints(
    client: Client, staff: Staff, loket3: Organisation, clock: Clock
) -> None:
    office = staff(loket3, email="")
    client.force_login(office)
    client.get(url("register", "loket3"))  # the session settles after the login
    _registration(client, "Eerste Klager")
    few, complaint = _registration(client, "Marloes Bakker")
    few_note = _note(client, complaint)
    for number in range(20):
        services.register_complaint(
            loket3, office, complaint_data("2027-04-19", complainant_name=f"Klager {number}")
        )
    many, other = _registration(client, "Jan Jansen")
    many_note = _note(client, other)
    assert Complaint.objects.filter(organisation=loket3).count() == 23
    assert (many, many_note) == (few, few_note)
    assert many <= MOST_REGISTRATION, many
    assert many_note <= MOST_NOTE, many_note
