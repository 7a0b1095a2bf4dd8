"""A note (`note_added`) is stored in the log and makes its words searchable (issue 12 §3)."""

from __future__ import annotations

from django.contrib.auth.models import User

from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.selectors.complaint_list import ComplaintQuery, search_complaints
from klachtenregister.register.services import register_complaint
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, record


def found(user: User, organisation: Organisation, q: str) -> list[Complaint]:
    query = ComplaintQuery.from_params({"q": q})
    assert query.problems == (), query.problems
    return list(search_complaints(user, organisation, query))


def test_a_word_of_a_note_finds_the_complaint(
    iskander: Organisation, klara: User, clock: Clock
) -> None:
    clock.set("2027-04-19")
    noted = register_complaint(iskander, klara, complaint_data("2027-04-19"))
    other = register_complaint(iskander, klara, complaint_data("2027-04-19"))
    assert found(klara, iskander, "terugbelverzoek") == []

    clock.set("2027-04-20")
    record(
        noted,
        klara,
        "note_added",
        "2027-04-20",
        {"kind": "telephone", "text": "Klager belde met een Terugbelverzoek over de planning."},
    )

    assert found(klara, iskander, "terugbelverzoek") == [noted]
    assert found(klara, iskander, "terugbelverzoek planning") == [noted]
    assert other not in found(klara, iskander, "planning")
    noted.refresh_from_db()
    assert noted.state == "registered"  # a note changes no state
