"""A subject registered under another spelling of a member's name (issue 16 §2).

Marieke de Boer is a coordinator of Iskander. A complaint about "M. de Boer" (or "marieke De
Boer", "Mariëke de Boer", "De Boer, M.", ...) may be about her: she is kept out of it (cannot
open it, cannot be made its handler or a committee member) unless a coordinator confirms that
"M. de Boer" is someone else. Pieter de Boer is not kept out of it: only names that may be the
same person's count.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from klachtenregister.register import access
from klachtenregister.register.errors import Forbidden, NotPermitted, Refusal
from klachtenregister.register.models import Complaint, ComplaintPerson, Organisation
from klachtenregister.register.names import may_be_same
from klachtenregister.register.selectors.people import handler_candidates
from klachtenregister.register.services import (
    confirm_different_person,
    correct_facts,
    register_complaint,
)
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.complaints import complaint_data, day, log_of, logged, record

SPELLINGS = [
    "M. de Boer",
    "M.de Boer",
    "M de Boer",
    "M.J. de Boer",
    "marieke De Boer",
    "Marieke De Boer",
    "Marieke  de  Boer",
    "Marieke\u00a0de\u200bBoer",
    "Mariëke de Boer",
    "Marieke deBoer",
    "Marieke Boer",
    "De Boer, M.",
    "Boer, Marieke de",
    "mevrouw De Boer",
    "de heer M. de Boer",
]
OTHERS = ["P. de Boer", "Pieter de Boer", "M. de Beer", "Marieke van Dijk", "Jansen"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_each_spelling_may_be_marieke_de_boer(spelling: str) -> None:
    assert may_be_same(spelling, "Marieke de Boer")


@pytest.mark.parametrize("spelling", OTHERS)
def test_another_first_name_or_surname_is_someone_else(spelling: str) -> None:
    assert not may_be_same(spelling, "Marieke de Boer")


@pytest.fixture
def marieke(iskander: Organisation) -> User:
    return UserFactory(
        username="marieke",
        full_name="Marieke de Boer",
        memberships=[(iskander, RoleKind.COORDINATOR)],
    )


@pytest.fixture
def pieter(iskander: Organisation) -> User:
    return UserFactory(
        username="pieter", full_name="Pieter de Boer", memberships=[(iskander, RoleKind.HANDLER)]
    )


def _register(iskander: Organisation, klara: User, today: Any, *subjects: str, **fields: Any):
    today.set("2027-04-19")
    data = complaint_data("2027-04-19", subjects=[(name, None) for name in subjects], **fields)
    return register_complaint(iskander, klara, data)


def _kept_out(user: User, complaint: Complaint) -> bool:
    try:
        access.complaint_for(user, complaint.organisation, complaint.reference)
    except Forbidden:
        return True
    return False


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_marieke_is_kept_out_of_a_complaint_about_another_spelling_of_her_name(
    iskander: Organisation,
    klara: User,
    marieke: User,
    pieter: User,
    today: Any,
    spelling: str,
) -> None:
    complaint = _register(iskander, klara, today, spelling)

    assert _kept_out(marieke, complaint)
    assert not access.visible_complaints(marieke, iskander).filter(pk=complaint.pk).exists()
    assert marieke not in handler_candidates(complaint)
    # "mevrouw De Boer" may be Pieter de Boer too (no first name): he is kept out as well.
    assert (pieter in handler_candidates(complaint)) is not may_be_same(spelling, "Pieter de Boer")
    with pytest.raises(Refusal) as refused:
        record(
            complaint,
            klara,
            "handler_assigned",
            "2027-04-19",
            {"handler": "Marieke de Boer"},
            {"handler": marieke.pk},
        )
    assert "Marieke de Boer kan de klacht niet behandelen" in refused.value.message
    # The subject stays as registered: the lookalike is no party to the complaint.
    subjects = complaint.people.filter(relation=ComplaintPerson.SUBJECT)
    assert list(subjects.values_list("name", "user")) == [(spelling, None)]


def test_she_cannot_be_appointed_to_the_committee_either(
    iskander: Organisation, klara: User, marieke: User, today: Any
) -> None:
    complaint = _register(iskander, klara, today, "M. de Boer")
    with pytest.raises(Refusal):
        record(
            complaint,
            klara,
            "committee_appointed",
            "2027-04-19",
            {"members": ["Marieke de Boer"]},
            {"members": [marieke.pk]},
        )


def test_a_member_with_another_first_name_is_not_kept_out(
    iskander: Organisation, klara: User, marieke: User, pieter: User, today: Any
) -> None:
    today.set("2027-04-19")
    # The registration form links an exact name to the member (selectors.people.members_by_name).
    data = complaint_data("2027-04-19", subjects=[("Marieke de Boer", marieke)])
    complaint = register_complaint(iskander, klara, data)

    assert _kept_out(marieke, complaint)  # herself, by exact name, as before
    assert pieter in handler_candidates(complaint)
    assert not complaint.people.filter(relation=ComplaintPerson.LOOKALIKE).exists()


def test_confirmed_at_registration_as_someone_else_she_is_not_kept_out_and_the_log_says_so(
    iskander: Organisation, klara: User, marieke: User, today: Any
) -> None:
    complaint = _register(
        iskander, klara, today, "M. de Boer", different_people=frozenset({"M. de Boer"})
    )

    assert not _kept_out(marieke, complaint)
    assert marieke in handler_candidates(complaint)
    received = logged(complaint.events.get(sequence=1))
    assert (
        received.payload["note"] == "Bevestigd: 'M. de Boer' is iemand anders dan Marieke de Boer."
    )
    assert received.actor == klara


def test_a_coordinator_confirms_later_that_she_is_someone_else(
    iskander: Organisation, klara: User, marieke: User, piet: User, today: Any
) -> None:
    complaint = _register(iskander, klara, today, "M. de Boer")
    lookalike = complaint.people.get(relation=ComplaintPerson.LOOKALIKE)
    assert (lookalike.name, lookalike.user) == ("Marieke de Boer", marieke)

    with pytest.raises(NotPermitted):
        confirm_different_person(complaint, piet, lookalike.pk)  # a handler may not
    assert _kept_out(marieke, complaint)

    confirm_different_person(complaint, klara, lookalike.pk)

    assert not _kept_out(marieke, complaint)
    note = logged(complaint.events.order_by("sequence").last())
    assert (note.event, note.actor, note.payload["text"]) == (
        "note_added",
        klara,
        "Bevestigd: Marieke de Boer is iemand anders dan 'M. de Boer'.",
    )


def test_a_correction_that_adds_a_resembling_name_keeps_her_out_and_one_that_removes_it_not(
    iskander: Organisation, klara: User, marieke: User, today: Any
) -> None:
    complaint = _register(iskander, klara, today, "Jan Jansen")
    assert not _kept_out(marieke, complaint)

    correct_facts(
        complaint,
        klara,
        complaint.sequence,
        day("2027-04-19"),
        {"subjects": ["Jan Jansen", "mw. M. de Boer"]},
        "tweede beklaagde",
    )
    assert _kept_out(marieke, complaint)

    complaint.refresh_from_db()
    correct_facts(
        complaint,
        klara,
        complaint.sequence,
        day("2027-04-19"),
        {"subjects": ["Jan Jansen"]},
        "toch niet",
    )
    assert not _kept_out(marieke, complaint)
    assert [row[1] for row in log_of(complaint)][-2:] == ["facts_corrected", "facts_corrected"]


def test_her_name_resembling_is_not_a_search_hit(
    iskander: Organisation, klara: User, marieke: User, today: Any
) -> None:
    complaint = _register(iskander, klara, today, "M. de Boer")
    complaint.refresh_from_db()
    assert "marieke" not in complaint.search_text
