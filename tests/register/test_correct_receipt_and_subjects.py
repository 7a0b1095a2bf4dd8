"""Correcting the day of receipt and the subjects through `register.services.correct_facts`
(issue 12 §2): the log stays append-only, the correction is an event, the columns, the people
rows, the deadline rows and the regulation version follow in the same transaction, and the
stored log replays to the same terms.

Iskander (seed-1): ontvangstbevestiging 5 werkdagen after receipt, afhandeling 4 weken after
receipt; dates counted by hand on the nl-atw calendar.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from klachtenregister.register.errors import Refusal
from klachtenregister.register.loading import load_regulations
from klachtenregister.register.models import Complaint, ComplaintPerson, Organisation
from klachtenregister.register.selectors.complaint_page import complaint_page
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import correct_facts, register_complaint
from klachtenregister.regulations.loader import read_regulation_text
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock, day
from tests.support.complaints import (
    complaint_data,
    engine_deadlines,
    logged,
    record,
    stored_deadlines,
)


def dues(complaint: Complaint) -> dict[str, tuple[dt.date, dt.date]]:
    return {row[0]: (row[1], row[2]) for row in stored_deadlines(complaint)}


@pytest.fixture
def typed_too_early(iskander: Organisation, klara: User, clock: Clock) -> Complaint:
    """Registered on Thu 22 Apr 2027 with the day of receipt typed as Mon 19 Apr."""
    clock.set("2027-04-22")
    return register_complaint(iskander, klara, complaint_data("2027-04-19"))


def test_a_corrected_day_of_receipt_moves_the_terms_across_koningsdag(
    typed_too_early: Complaint, klara: User
) -> None:
    complaint = typed_too_early
    reference = complaint.reference
    # From Mon 19 Apr: Tue 20 .. Mon 26 Apr; 19 Apr + 28 days = Mon 17 May, Tweede
    # Pinksterdag -> Tue 18 May.
    assert dues(complaint) == {
        "ontvangstbevestiging": (day("2027-04-19"), day("2027-04-26")),
        "afhandeling": (day("2027-04-19"), day("2027-05-18")),
    }

    correct_facts(
        complaint, klara, complaint.sequence, day("2027-04-22"),
        {"received_on": day("2027-04-22")}, "Ontvangstdatum verkeerd overgenomen.",
    )  # fmt: skip

    complaint.refresh_from_db()
    # From Thu 22 Apr: Fri 23, Mon 26, (Tue 27 Koningsdag) Wed 28, Thu 29, Fri 30 Apr;
    # 22 Apr + 28 days = Thu 20 May.
    assert dues(complaint) == {
        "ontvangstbevestiging": (day("2027-04-22"), day("2027-04-30")),
        "afhandeling": (day("2027-04-22"), day("2027-05-20")),
    }
    assert complaint.received_on == day("2027-04-22")
    assert complaint.next_due == day("2027-04-30")
    assert complaint.reference == reference  # the number stays
    received, corrected = (complaint.events.get(event=e) for e in ("received", "facts_corrected"))
    assert received.on == day("2027-04-19")  # the log is not rewritten
    assert corrected.payload["changes"] == {
        "received_on": {"old": "2027-04-19", "new": "2027-04-22"}
    }
    assert "regulation_version" not in corrected.payload  # the same version on both days
    # The stored log replays to the stored terms.
    assert engine_deadlines(complaint, day("2027-04-22")) == stored_deadlines(complaint)


def test_a_day_of_receipt_after_the_registration_is_refused_and_nothing_is_written(
    typed_too_early: Complaint, klara: User
) -> None:
    complaint = typed_too_early
    sequence = complaint.sequence
    for wrong in (day("2027-04-23"), dt.date(1, 1, 1), dt.date(9999, 12, 31)):
        with pytest.raises(Refusal):
            correct_facts(
                complaint, klara, sequence, day("2027-04-23"), {"received_on": wrong}, "x"
            )
    complaint.refresh_from_db()
    assert (complaint.sequence, complaint.received_on) == (sequence, day("2027-04-19"))


@pytest.fixture
def iskander_2028(iskander: Organisation, tmp_path: Path) -> Path:
    """A second Iskander version, in force from 1 Jan 2028: ten werkdagen to acknowledge."""
    text = read_regulation_text("iskander").text
    changes = {
        "version: seed-1": 'version: "2028-1"',
        "effective_from: 2026-01-01": "effective_from: 2028-01-01",
        "starts_on: received\n    duration: {amount: 5, unit: werkdagen}": (
            "starts_on: received\n    duration: {amount: 10, unit: werkdagen}"
        ),
    }
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "iskander-2028.yaml"
    path.write_text(text, encoding="utf-8")
    load_regulations([path])
    return path


def test_a_day_of_receipt_under_another_version_puts_the_complaint_under_that_version(
    iskander: Organisation, klara: User, clock: Clock, iskander_2028: Path
) -> None:
    clock.set("2028-01-03")
    complaint = register_complaint(iskander, klara, complaint_data("2028-01-03"))
    # 2028-1: 10 werkdagen after Mon 3 Jan 2028 -> Mon 17 Jan.
    assert complaint.regulation_version.version == "2028-1"
    assert dues(complaint)["ontvangstbevestiging"][1] == day("2028-01-17")

    # It came in on Fri 31 Dec 2027, under seed-1: 5 werkdagen -> Mon 3 .. Fri 7 Jan 2028;
    # afhandeling 31 Dec + 28 days = Fri 28 Jan 2028.
    correct_facts(
        complaint, klara, complaint.sequence, day("2028-01-03"),
        {"received_on": day("2027-12-31")}, "Binnengekomen op oudjaarsdag.",
    )  # fmt: skip

    complaint.refresh_from_db()
    assert complaint.regulation_version.version == "seed-1"
    assert lifecycle_of(complaint).regulation.version == "seed-1"
    assert dues(complaint) == {
        "ontvangstbevestiging": (day("2027-12-31"), day("2028-01-07")),
        "afhandeling": (day("2027-12-31"), day("2028-01-28")),
    }
    corrected = complaint.events.get(event="facts_corrected")
    assert corrected.payload["regulation_version"] == {"old": "2028-1", "new": "seed-1"}
    assert complaint.reference.startswith("ISK-2028-")  # the number stays


# --- subjects ---------------------------------------------------------------------------------


@pytest.fixture
def handled(iskander: Organisation, klara: User, piet: User, clock: Clock) -> Complaint:
    """Received about Jan on Mon 19 Apr 2027; Piet handles it from Tue 20 Apr."""
    complaint = register_complaint(
        iskander, klara, complaint_data("2027-04-19", subjects=[("Jan Janssen", None)])
    )
    clock.set("2027-04-20")
    record(
        complaint, klara, "handler_assigned", "2027-04-20",
        {"handler": "Piet Pietersen"}, {"handler": piet.pk},
    )  # fmt: skip
    complaint.refresh_from_db()
    return complaint


def test_a_correction_that_makes_the_handler_a_subject_blocks_the_next_step_until_replaced(
    handled: Complaint, klara: User, piet: User, iskander: Organisation
) -> None:
    complaint = handled
    correct_facts(
        complaint, klara, complaint.sequence, day("2027-04-20"),
        {"subjects": ["Jan Janssen", "Piet Pietersen"]}, "Ook Piet was bij het gesprek.",
    )  # fmt: skip
    complaint.refresh_from_db()
    corrected = logged(complaint.events.get(event="facts_corrected"))
    assert corrected.payload["changes"] == {
        "subjects": {"old": ["Jan Janssen"], "new": ["Jan Janssen", "Piet Pietersen"]}
    }
    # Piet's row is linked to his user, as at registration: he no longer opens the complaint.
    subject = complaint.people.get(relation=ComplaintPerson.SUBJECT, name="Piet Pietersen")
    assert subject.user == piet

    page = complaint_page(complaint, day("2027-04-20"), "nl")
    assert page.impartiality_conflict is not None
    assert "Piet Pietersen" in page.impartiality_conflict
    assert page.corrections.keys() == {"subjects"}

    with pytest.raises(Refusal) as refused:
        record(complaint, klara, "acknowledged", "2027-04-20")
    assert "Piet Pietersen" in refused.value.message
    assert "andere behandelaar" in refused.value.message

    marie = UserFactory(
        username="marie", full_name="Marie Maas", memberships=[(iskander, RoleKind.HANDLER)]
    )
    record(
        complaint, klara, "handler_assigned", "2027-04-20",
        {"handler": "Marie Maas"}, {"handler": marie.pk},
    )  # fmt: skip
    record(complaint, klara, "acknowledged", "2027-04-20")
    complaint.refresh_from_db()
    assert complaint_page(complaint, day("2027-04-20"), "nl").impartiality_conflict is None
    # The whole log still replays: Piet's assignment came before the correction.
    assert lifecycle_of(complaint).progress.handler == "Marie Maas"


def test_removing_a_subject_unlinks_the_row(handled: Complaint, klara: User) -> None:
    complaint = handled
    correct_facts(
        complaint, klara, complaint.sequence, day("2027-04-20"), {"subjects": ["J. Janssen"]},
        "Naam verkeerd gespeld.",
    )  # fmt: skip
    complaint.refresh_from_db()
    names = list(complaint.people.filter(relation="subject").values_list("name", flat=True))
    assert names == ["J. Janssen"]
    assert "j janssen" in complaint.search_text or "janssen" in complaint.search_text
    # The replay starts from the subjects as registered, then takes the correction.
    assert lifecycle_of(complaint).facts.subjects == frozenset({"J. Janssen"})


def test_a_subject_named_by_a_user_name_is_recorded_by_the_members_name(
    handled: Complaint, klara: User, piet: User
) -> None:
    complaint = handled
    correct_facts(
        complaint, klara, complaint.sequence, day("2027-04-20"),
        {"subjects": ["Jan Janssen", "piet"]}, "Ook Piet.",
    )  # fmt: skip
    complaint.refresh_from_db()
    corrected = logged(complaint.events.get(event="facts_corrected"))
    assert corrected.payload["changes"]["subjects"]["new"] == ["Jan Janssen", "Piet Pietersen"]
    page = complaint_page(complaint, day("2027-04-20"), "nl")
    assert page.impartiality_conflict is not None and "Piet Pietersen" in page.impartiality_conflict
