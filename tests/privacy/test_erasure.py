"""Erasing a complaint's personal data (issue 16 §5, issue 12 §2): names, addresses, contact
data, free texts, documents and the personal details of the log are removed or replaced, while
the append-only log rows, references, dates, terms, outcomes and categories stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from klachtenregister.privacy.models import Erasure
from klachtenregister.privacy.services import NotErasable, erase_complaint
from klachtenregister.register.errors import Refusal
from klachtenregister.register.models import Complaint, Organisation, PersonalData
from klachtenregister.register.personal import ERASED
from klachtenregister.register.selectors.complaint_page import complaint_page
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import correct_facts, register_complaint
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, record, stored_deadlines

PERSONAL = (
    "Vries",
    "Dorpsstraat",
    "Kerkstraat",
    "06-12345678",
    "devries@example.org",
    "Janssen",
    "Kok",
    "afspraken",
    "klachtbrief",
)


def _log(complaint: Complaint) -> list[tuple[int, str, dt.date, str, object, object]]:
    return [
        (row.sequence, row.event, row.on, row.actor_name, row.payload, row.recorded_at)
        for row in complaint.events.order_by("sequence")
    ]


@pytest.fixture
def withdrawn(iskander: Organisation, klara: User, clock: Clock, media_root: Path) -> Complaint:
    clock.set("2027-04-19")
    complaint = register_complaint(
        iskander,
        klara,
        complaint_data(
            "2027-04-19",
            complainant_address="Dorpsstraat 1, Ede",
            complainant_email="devries@example.org",
            complainant_phone="06-12345678",
            subjects=[("Jan Janssen", None)],
            category="bejegening",
        ),
        files=[SimpleUploadedFile("klachtbrief.pdf", b"%PDF-1.4 brief", "application/pdf")],
    )
    clock.set("2027-04-20")
    correct_facts(
        complaint,
        klara,
        complaint.sequence,
        dt.date(2027, 4, 20),
        {
            "complainant_name": "Mevrouw De Vries-Jansen",
            "complainant_address": "Kerkstraat 9, Ede",
            "subjects": ["Jan Janssen", "Karel Kok"],
        },
        "Overgenomen van het formulier.",
    )
    record(
        complaint,
        klara,
        "note_added",
        "2027-04-20",
        {"kind": "telephone", "text": "Mevrouw De Vries belde vanaf 06-12345678."},
    )
    record(complaint, klara, "withdrawn", "2027-04-20", {"reason": "Klager trekt in."})
    complaint.refresh_from_db()
    return complaint


def test_erasure_removes_the_personal_data_and_keeps_the_log_and_the_figures(
    withdrawn: Complaint, klara: User, media_root: Path
) -> None:
    complaint = withdrawn
    log, deadlines = _log(complaint), stored_deadlines(complaint)
    reference, received_on, state = complaint.reference, complaint.received_on, complaint.state
    assert any(media_root.rglob("*.pdf"))

    erase_complaint(complaint, klara, "verzoek van de klager (AVG art. 17)")

    complaint.refresh_from_db()
    # The facts that carry no person stay; the person is gone.
    assert (complaint.reference, complaint.received_on, complaint.state) == (
        reference,
        received_on,
        state,
    )
    assert complaint.category == "bejegening"
    assert (complaint.complainant_name, complaint.description) == (ERASED, ERASED)
    assert complaint.complainant_address == complaint.complainant_email == ""
    assert complaint.complainant_phone == ""
    assert sorted(p.name for p in complaint.people.all()) == ["[verwijderd 1]", "[verwijderd 2]"]
    # The append-only log is exactly what it was; the terms too.
    assert _log(complaint) == log
    assert stored_deadlines(complaint) == deadlines
    # What the log kept apart is placeholders now; nothing of the person is left anywhere.
    stored = str(list(PersonalData.objects.filter(complaint=complaint).values_list("values")))
    document = complaint.documents.get()
    texts = " ".join(
        [
            stored,
            str(log),
            complaint.search_text,
            str(complaint.__dict__),
            document.name,
            document.file.name,
        ]
    )
    for text in PERSONAL:
        assert text.lower() not in texts.lower(), text
    assert not any(media_root.rglob("*.pdf"))  # the file is gone from storage
    # The log still replays and the page shows what was corrected, without the values.
    assert lifecycle_of(complaint).facts.subjects == {"[verwijderd 1]", "[verwijderd 2]"}
    with translation.override("nl"):
        page = complaint_page(complaint, dt.date(2027, 4, 21), "nl")
    sequence = complaint.events.get(event="facts_corrected").sequence
    corrected = dict(next(e for e in page.overview if e.sequence == sequence).details)
    assert corrected["naam klager"] == ERASED
    assert corrected["reden"] == "Overgenomen van het formulier."  # why stays
    erasure = Erasure.objects.get(complaint=complaint)
    assert (erasure.erased_by, erasure.reason) == (klara, "verzoek van de klager (AVG art. 17)")
    # Erasing again changes nothing and records nothing new.
    assert erase_complaint(complaint, klara, "nogmaals") == erasure


def test_a_complaint_still_being_handled_is_not_erased(
    iskander: Organisation, klara: User, clock: Clock
) -> None:
    clock.set("2027-04-19")
    complaint = register_complaint(iskander, klara, complaint_data("2027-04-19"))
    with pytest.raises(NotErasable, match="wordt nog behandeld"):
        erase_complaint(complaint, klara, "verzoek")
    complaint.refresh_from_db()
    assert complaint.complainant_name == "Mevrouw De Vries"
    assert not Erasure.objects.exists()


def test_an_erased_complaint_cannot_be_reopened_and_an_earlier_reopening_still_replays(
    iskander: Organisation, klara: User, clock: Clock
) -> None:
    clock.set("2027-04-19")
    complaint = register_complaint(iskander, klara, complaint_data("2027-04-19"))
    not_taken = {"ground": "geen_vervolg_gewenst"}
    record(complaint, klara, "declared_inadmissible", "2027-04-19", not_taken)
    record(complaint, klara, "closed", "2027-04-19")
    record(complaint, klara, "reopened", "2027-04-19", {"reason": "nieuwe feiten"})
    record(complaint, klara, "declared_inadmissible", "2027-04-19", {"ground": "elders_behandeld"})
    record(complaint, klara, "closed", "2027-04-19")
    erase_complaint(complaint, klara, "verzoek van de klager")
    complaint.refresh_from_db()
    assert complaint.erased_on == dt.date(2027, 4, 19)

    # The log replays, the reopening before the erasure included; a new one is refused.
    assert lifecycle_of(complaint).status(dt.date(2027, 4, 19)).state.value == "closed"
    with pytest.raises(Refusal) as refused:
        record(complaint, klara, "reopened", "2027-04-19", {"reason": "nog een keer"})
    assert "persoonsgegevens van deze klacht zijn verwijderd" in refused.value.message
    assert "kan niet meer worden heropend" in refused.value.message
    complaint.refresh_from_db()
    assert complaint.state == "closed"
