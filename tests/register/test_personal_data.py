"""Personal data in the log's details is kept apart from the log rows (issue 12 §2, issue 16
§5): a correction's old and new name, address and contact data, a note's text and a decision's
motivation live in ``PersonalData``, where an erasure can remove them; the append-only row keeps
what changed, by whom, when and why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from klachtenregister.register.models import Complaint, Organisation, PersonalData
from klachtenregister.register.personal import Pseudonyms, erased, split
from klachtenregister.register.selectors.complaint_page import complaint_page
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import correct_facts, register_complaint
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, logged, record

ON = dt.date(2027, 4, 20)
REASON = "Verkeerd overgenomen van het formulier."


@pytest.fixture
def complaint(iskander: Organisation, klara: User, clock: Clock) -> Complaint:
    clock.set("2027-04-19")
    registered = register_complaint(
        iskander,
        klara,
        complaint_data(
            "2027-04-19",
            complainant_address="Dorpsstraat 1, Ede",
            subjects=[("Jan Janssen", None)],
        ),
    )
    clock.set("2027-04-20")
    return registered


def test_a_correction_keeps_names_and_addresses_out_of_the_log_row(
    complaint: Complaint, klara: User
) -> None:
    correct_facts(
        complaint,
        klara,
        complaint.sequence,
        ON,
        {
            "complainant_name": "Mevrouw De Vries-Jansen",
            "complainant_address": "Kerkstraat 9, Ede",
            "subjects": ["Jan Janssen", "Karel Kok"],
            "category": "bejegening",
        },
        REASON,
    )
    row = complaint.events.get(event="facts_corrected")
    # The row: which facts changed, why, by whom and when; no name, no address.
    assert row.payload == {
        "reason": REASON,
        "changes": {
            "complainant_name": {},
            "complainant_address": {},
            "category": {"old": "", "new": "bejegening"},
            "subjects": {},
        },
    }
    assert (row.actor, row.on) == (klara, ON)
    for text in ("Vries", "Dorpsstraat", "Kerkstraat", "Janssen", "Kok"):
        assert text not in str(row.payload)
    kept = PersonalData.objects.get(event=row)
    assert kept.values["changes"]["complainant_address"] == {
        "old": "Dorpsstraat 1, Ede",
        "new": "Kerkstraat 9, Ede",
    }
    # Read back, the log is whole: the page shows old and new, the replay reads the subjects,
    # the search finds the old name.
    assert logged(row).payload["changes"]["subjects"] == {
        "old": ["Jan Janssen"],
        "new": ["Jan Janssen", "Karel Kok"],
    }
    with translation.override("nl"):
        page = complaint_page(complaint, ON, "nl")
    details = dict(page.overview[-1].details)
    assert details["adres klager"] == "Dorpsstraat 1, Ede → Kerkstraat 9, Ede"
    assert lifecycle_of(complaint).facts.subjects == {"Jan Janssen", "Karel Kok"}
    complaint.refresh_from_db()
    assert "dorpsstraat" in complaint.search_text


def test_a_notes_text_and_a_decisions_motivation_are_kept_apart(
    complaint: Complaint, klara: User
) -> None:
    record(
        complaint,
        klara,
        "note_added",
        "2027-04-20",
        {"kind": "telephone", "text": "Mevrouw belde vanaf 06-12345678."},
    )
    row = complaint.events.get(event="note_added")
    assert row.payload == {"kind": "telephone"}
    assert PersonalData.objects.get(event=row).values == {
        "text": "Mevrouw belde vanaf 06-12345678."
    }
    assert logged(row).payload["text"] == "Mevrouw belde vanaf 06-12345678."
    complaint.refresh_from_db()
    assert "06-12345678" in complaint.search_text


def test_an_event_without_personal_details_has_no_record(complaint: Complaint) -> None:
    assert not PersonalData.objects.filter(complaint=complaint).exists()


def test_those_heard_are_kept_apart_and_become_the_subjects_placeholders() -> None:
    kept, apart = split("hearing_held", {"heard": ["Mevrouw De Vries", "Jan Janssen"]})
    assert (kept, apart) == ({}, {"heard": ["Mevrouw De Vries", "Jan Janssen"]})
    pseudonym = Pseudonyms()
    assert pseudonym("Jan Janssen") == "[verwijderd 1]"  # a subject, numbered first
    assert erased(apart, pseudonym) == {"heard": ["[verwijderd 2]", "[verwijderd 1]"]}
