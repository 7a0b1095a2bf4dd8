"""Voiding a registration (`registration_voided`, issue 12 §2): a complaint registered by mistake
ends every term (cancelled, never missed), takes the state `voided` and takes nothing but notes.

Iskander's stories (tests/lifecycle/test_story_iskander.py): no role lists the event, so the
coordinator (the klachtenfunctionaris) records it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from klachtenregister.lifecycle import Lifecycle, Refused, State, record
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.deadlines import DeadlineStatus
from klachtenregister.lifecycle.events import MAX_VOID_REASON, EventRecord
from klachtenregister.lifecycle.rules import roles_for
from klachtenregister.regulations.vocabulary import Event
from tests.lifecycle.test_story_iskander import FACTS, ISKANDER, NO_AGREEMENT_STORY

COORDINATOR = "klachtenfunctionaris"
HANDLER = "procesverantwoordelijke"
RECEIVED = NO_AGREEMENT_STORY[:2]  # received and registered on Mon 19 Apr 2027


def void(on: dt.date | str, reason: str = "Dubbel geregistreerd.", **kw: str) -> EventRecord:
    return record(on, "registration_voided", reason=reason, **{"role": COORDINATOR, **kw})


def lifecycle_of(events: list[EventRecord]) -> Lifecycle:
    lifecycle = Lifecycle(ISKANDER, FACTS)
    for event in events:
        lifecycle.apply(event)
    return lifecycle


def test_voiding_takes_the_state_voided_and_cancels_every_running_term() -> None:
    lifecycle = lifecycle_of([*RECEIVED, void("2027-04-20")])
    snapshot = lifecycle.status(dt.date(2027, 6, 30))  # long after every due date
    assert snapshot.state is State.VOIDED
    assert snapshot.deadlines
    assert {view.status for view in snapshot.deadlines} == {DeadlineStatus.CANCELLED}
    assert all(view.settled for view in snapshot.deadlines)


def test_a_term_already_overdue_when_voided_is_cancelled_not_missed() -> None:
    # The acknowledgement term (5 working days from 19 Apr) ran out on 26 Apr; voided on 10 May.
    lifecycle = lifecycle_of([*RECEIVED, void("2027-05-10")])
    snapshot = lifecycle.status(dt.date(2027, 5, 10))
    acknowledgement = snapshot.deadline("ontvangstbevestiging")
    assert acknowledgement.due < dt.date(2027, 5, 10)
    assert acknowledgement.status is DeadlineStatus.CANCELLED


def test_a_term_met_before_voiding_stays_met() -> None:
    lifecycle = lifecycle_of([*NO_AGREEMENT_STORY[:4], void("2027-04-22")])
    snapshot = lifecycle.status(dt.date(2027, 4, 22))
    assert snapshot.deadline("ontvangstbevestiging").status is DeadlineStatus.MET
    assert snapshot.deadline("afhandeling").status is DeadlineStatus.CANCELLED


def test_after_voiding_only_a_note_is_allowed() -> None:
    lifecycle = lifecycle_of([*RECEIVED, void("2027-04-20")])
    snapshot = lifecycle.status(dt.date(2027, 4, 20))
    # And the delivery of a letter sent before, which the register records with the letter.
    assert [item.event for item in snapshot.allowed] == [
        Event.NOTE_ADDED,
        Event.DELIVERY_DATE_CHANGED,
    ]
    refusal = lifecycle.refusal(record("2027-04-21", "accepted", role=COORDINATOR))
    assert refusal is not None and refusal.message == R.VOIDED
    assert "2027-04-20" in refusal.render()
    again = lifecycle.refusal(void("2027-04-21"))
    assert again is not None and again.message == R.VOIDED
    lifecycle.apply(record("2027-04-21", "note_added", kind="telephone", text="Klager belde."))
    assert lifecycle.status(dt.date(2027, 4, 21)).state is State.VOIDED


@pytest.mark.parametrize("count", range(1, len(NO_AGREEMENT_STORY) - 1))
def test_voiding_is_allowed_in_every_state_before_closing(count: int) -> None:
    events = NO_AGREEMENT_STORY[:count]
    lifecycle = lifecycle_of(events)
    if lifecycle.progress.closed_on is not None:
        pytest.skip("closed")
    on = events[-1].on
    assert lifecycle.status(on).may(Event.REGISTRATION_VOIDED)
    lifecycle.apply(void(on))
    assert lifecycle.status(on).state is State.VOIDED


def test_a_closed_or_withdrawn_complaint_cannot_be_voided() -> None:
    closed = lifecycle_of(NO_AGREEMENT_STORY)
    last = NO_AGREEMENT_STORY[-1].on
    assert closed.progress.closed_on is not None
    refusal = closed.refusal(void(last))
    assert refusal is not None and refusal.message == R.CLOSED
    withdrawn = lifecycle_of([*RECEIVED, record("2027-04-20", "withdrawn", role=COORDINATOR)])
    refusal = withdrawn.refusal(void("2027-04-21"))
    assert refusal is not None and refusal.message == R.WITHDRAWN


def test_the_coordinator_voids_a_handler_may_not() -> None:
    assert [role.id for role in roles_for(ISKANDER, Event.REGISTRATION_VOIDED)] == [COORDINATOR]
    lifecycle = lifecycle_of(RECEIVED)
    with pytest.raises(Refused) as refused:
        lifecycle.apply(void("2027-04-20", role=HANDLER))
    assert refused.value.refusal.message == R.ROLE_NOT_ALLOWED
    assert lifecycle.status(dt.date(2027, 4, 20)).state is State.REGISTERED


@pytest.mark.parametrize("reason", ["", "   ", "x" * (MAX_VOID_REASON + 1)])
def test_the_reason_is_required_and_bounded(reason: str) -> None:
    with pytest.raises(ValidationError):
        void("2027-04-20", reason=reason)
    with pytest.raises(ValidationError):
        record("2027-04-20", "registration_voided", role=COORDINATOR)
