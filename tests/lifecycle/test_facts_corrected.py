"""Correcting the facts (`facts_corrected`, issue 12 §2): the log stays append-only, a correction
is an event with a reason and per fact its old and new value. It changes no state; a corrected
channel or facts date is what the rules read from then on (a time-limit ground). The day of
receipt and the subjects: tests/lifecycle/test_corrected_receipt_and_subjects.py.

Iskander (tests/lifecycle/test_story_iskander.py): received Mon 19 Apr 2027, facts date 9 Apr;
its ground `feit_ouder_dan_vier_weken` has a limit of 4 weeks from the facts date. No role lists
the event, so the coordinator (the klachtenfunctionaris) records it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from klachtenregister.lifecycle import Lifecycle, State, record
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.events import CORRECTABLE_FACTS, EventRecord
from klachtenregister.lifecycle.rules import roles_for
from klachtenregister.regulations.vocabulary import Channel, Event
from tests.lifecycle.test_story_iskander import FACTS, ISKANDER, NO_AGREEMENT_STORY

COORDINATOR = "klachtenfunctionaris"
HANDLER = "procesverantwoordelijke"
RECEIVED = NO_AGREEMENT_STORY[:2]  # received and registered on Mon 19 Apr 2027
OLD_GROUND = "feit_ouder_dan_vier_weken"


def correct(on: str, changes: dict[str, Any], reason: str = "Typefout.", **kw: str) -> EventRecord:
    return record(
        on, "facts_corrected", changes=changes, reason=reason, **{"role": COORDINATOR, **kw}
    )


def lifecycle_of(events: list[EventRecord]) -> Lifecycle:
    lifecycle = Lifecycle(ISKANDER, FACTS)
    for event in events:
        lifecycle.apply(event)
    return lifecycle


def picture(lifecycle: Lifecycle, on: dt.date) -> tuple[object, ...]:
    snapshot = lifecycle.status(on)
    return (
        snapshot.state,
        [(v.id, v.start, v.due, v.status) for v in snapshot.deadlines],
        [item.event for item in snapshot.allowed if item.event is not Event.FACTS_CORRECTED],
    )


def test_a_correction_changes_no_state_and_no_term() -> None:
    on = dt.date(2027, 4, 20)
    before = lifecycle_of(list(RECEIVED))
    after = lifecycle_of(
        [*RECEIVED, correct("2027-04-20", {"complainant_name": {"old": "Jan", "new": "Jans"}})]
    )
    assert picture(after, on) == picture(before, on)
    assert after.status(on).state is State.REGISTERED


def test_a_corrected_facts_date_is_what_the_time_limit_ground_reads() -> None:
    on = dt.date(2027, 4, 20)
    lifecycle = lifecycle_of(list(RECEIVED))
    assert lifecycle.status(on).suggested_grounds == ()
    refused = lifecycle.refusal(
        record("2027-04-20", "declared_inadmissible", ground=OLD_GROUND, role=COORDINATOR)
    )
    assert refused is not None and refused.message == R.GROUND_TIME_LIMIT_NOT_EXCEEDED

    # The conduct was on 1 March, not 9 April: 4 weeks end on Easter Monday 29 March 2027, so
    # the last day in time is Tue 30 March; the complaint came in on 19 April, too late.
    moved = {"facts_date": {"old": "2027-04-09", "new": "2027-03-01"}}
    lifecycle.apply(correct("2027-04-20", moved))
    suggestions = lifecycle.status(on).suggested_grounds
    assert [(s.ground.id, s.limit_date) for s in suggestions] == [
        (OLD_GROUND, dt.date(2027, 3, 30))
    ]
    lifecycle.apply(
        record("2027-04-20", "declared_inadmissible", ground=OLD_GROUND, role=COORDINATOR)
    )
    assert lifecycle.status(on).state is State.INADMISSIBLE


def test_a_corrected_channel_is_what_the_rules_read() -> None:
    lifecycle = lifecycle_of(
        [*RECEIVED, correct("2027-04-20", {"channel": {"old": "written", "new": "oral"}})]
    )
    assert lifecycle.progress.received_details.channel is Channel.ORAL
    # The receipt itself is not rewritten: the log keeps what was recorded then.
    assert RECEIVED[0].details.channel is Channel.WRITTEN  # type: ignore[attr-defined]


def test_only_the_coordinator_corrects_where_no_role_lists_it() -> None:
    assert [role.id for role in roles_for(ISKANDER, Event.FACTS_CORRECTED)] == [COORDINATOR]
    lifecycle = lifecycle_of(list(RECEIVED))
    refusal = lifecycle.refusal(
        correct("2027-04-20", {"category": {"old": "", "new": "bejegening"}}, role=HANDLER)
    )
    assert refusal is not None and refusal.message == R.ROLE_NOT_ALLOWED


@pytest.mark.parametrize("count", range(1, len(NO_AGREEMENT_STORY) - 1))
def test_a_correction_is_allowed_in_every_state_before_closing(count: int) -> None:
    lifecycle = lifecycle_of(NO_AGREEMENT_STORY[:count])
    on = NO_AGREEMENT_STORY[count - 1].on
    assert lifecycle.status(on).may(Event.FACTS_CORRECTED)


@pytest.mark.parametrize(
    ("ending", "message"),
    [
        (record("2027-04-20", "withdrawn", role=COORDINATOR), R.WITHDRAWN),
        (record("2027-04-20", "registration_voided", reason="Dubbel.", role=COORDINATOR), R.VOIDED),
    ],
)
def test_no_correction_after_withdrawal_or_voiding(ending: EventRecord, message: str) -> None:
    lifecycle = lifecycle_of([*RECEIVED, ending])
    assert not lifecycle.status(dt.date(2027, 4, 20)).may(Event.FACTS_CORRECTED)
    refusal = lifecycle.refusal(correct("2027-04-21", {"category": {"old": "", "new": "x"}}))
    assert refusal is not None and refusal.message == message


def test_no_correction_after_closing() -> None:
    closed = NO_AGREEMENT_STORY  # the story ends with the complaint closed
    lifecycle = lifecycle_of(list(closed))
    assert lifecycle.status(closed[-1].on).state is State.CLOSED
    refusal = lifecycle.refusal(correct(closed[-1].on.isoformat(), {"category": {"new": "x"}}))
    assert refusal is not None and refusal.message == R.CLOSED


@pytest.mark.parametrize(
    "details",
    [
        {"changes": {"category": {"old": "", "new": "x"}}},  # no reason
        {"changes": {"category": {"old": "", "new": "x"}}, "reason": "  "},
        {"changes": {}, "reason": "Typefout."},  # nothing changed
        {"changes": {"category": {"old": "x", "new": "x"}}, "reason": "Typefout."},
        {"changes": {"subjects": {"old": "jan", "new": "kees"}}, "reason": "Typefout."},
        {"changes": {"subjects": {"old": ["jan"], "new": ["jan"]}}, "reason": "Typefout."},
        {"changes": {"received_on": {"old": "2027-04-19", "new": ""}}, "reason": "Typefout."},
        {"changes": {"received_on": {"new": "19 april"}}, "reason": "Typefout."},
        {"changes": {"category": {"old": "", "new": ["x"]}}, "reason": "Typefout."},
        {"changes": {"channel": {"old": "written", "new": "fax"}}, "reason": "Typefout."},
        {"changes": {"facts_date": {"new": "9 april"}}, "reason": "Typefout."},
        {"changes": {"description": {"old": "x", "new": " "}}, "reason": "Typefout."},
        {"changes": {"category": {"old": "", "new": "x", "by": "y"}}, "reason": "Typefout."},
    ],
)
def test_a_correction_needs_a_reason_and_real_changes_of_known_facts(
    details: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError):
        record("2027-04-20", "facts_corrected", role=COORDINATOR, **details)


def test_the_correctable_facts() -> None:
    assert CORRECTABLE_FACTS == (
        "complainant_name",
        "form_of_address",
        "complainant_email",
        "complainant_phone",
        "complainant_address",
        "representative_name",
        "representative_capacity",
        "commissioning_party",
        "manager_name",
        "category",
        "channel",
        "facts_date",
        "description",
        "received_on",
        "subjects",
    )
