"""Notes (`note_added`): a free note of a contact, in every state after receipt, changing nothing.

The stories are Iskander's (tests/lifecycle/test_story_iskander.py): under that regulation no
role lists `note_added`, so the coordinator (the klachtenfunctionaris) records it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from klachtenregister.lifecycle import Lifecycle, Refused, State, record, replay
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.engine import Snapshot
from klachtenregister.lifecycle.events import MAX_NOTE, EventRecord, NoteDetails
from klachtenregister.regulations.schema import EventRef
from klachtenregister.regulations.vocabulary import Event, RoleKind
from tests.lifecycle.test_story_iskander import AGREEMENT_STORY, FACTS, ISKANDER, NO_AGREEMENT_STORY
from tests.support.stories import deadline_table

COORDINATOR = "klachtenfunctionaris"


def note(on: dt.date | str, kind: str = "telephone", text: str = "Klager belde.") -> EventRecord:
    return record(on, "note_added", kind=kind, text=text, role=COORDINATOR)


def lifecycle_of(events: list[EventRecord]) -> Lifecycle:
    lifecycle = Lifecycle(ISKANDER, FACTS)
    for event in events:
        lifecycle.apply(event)
    return lifecycle


def seen(snapshot: Snapshot) -> tuple[object, ...]:
    """What a note must leave alone: the state, every deadline and what may happen next."""
    return (snapshot.state, deadline_table(snapshot), snapshot.allowed, snapshot.suggested_grounds)


NOTE_ROLES = tuple(role.id for role in ISKANDER.roles if role.kind is not RoleKind.EMPLOYEE)
WITHDRAWN_STORY = [*NO_AGREEMENT_STORY[:6], record("2027-05-03", "withdrawn", role=COORDINATOR)]
INADMISSIBLE_STORY = [
    NO_AGREEMENT_STORY[0],
    record("2027-04-20", "declared_inadmissible", ground="geen_vervolg_gewenst", role=COORDINATOR),
]
# Every prefix of the stories: received, registered, accepted, decided, closed, withdrawn,
# inadmissible, resolved, and the silence term running.
PREFIXES = [
    *(NO_AGREEMENT_STORY[:n] for n in range(1, len(NO_AGREEMENT_STORY) + 1)),
    *(AGREEMENT_STORY[:n] for n in range(5, len(AGREEMENT_STORY) + 1)),
    WITHDRAWN_STORY,
    INADMISSIBLE_STORY,
]


@pytest.mark.parametrize("events", PREFIXES, ids=lambda events: f"{len(events)}-{events[-1].event}")
def test_a_note_is_allowed_after_receipt_and_changes_nothing(events: list[EventRecord]) -> None:
    lifecycle = lifecycle_of(events)
    on = events[-1].on
    before = lifecycle.status(on)
    assert before.may(Event.NOTE_ADDED)
    # Every role but the employee complained about may note a contact.
    assert [a.roles for a in before.allowed if a.event is Event.NOTE_ADDED] == [NOTE_ROLES]

    recorded = lifecycle.apply(note(on, text="Klager belde over de voortgang."))

    assert [r.event for r in recorded] == [Event.NOTE_ADDED]
    assert seen(lifecycle.status(on)) == seen(before)
    # Also some days later: the note neither met nor started anything by then.
    later = on + dt.timedelta(days=3)
    assert seen(lifecycle.status(later)) == seen(lifecycle_of(events).status(later))


def test_the_states_covered_include_every_end() -> None:
    states = {lifecycle_of(events).status(events[-1].on).state for events in PREFIXES}
    assert states >= {
        State.RECEIVED,
        State.REGISTERED,
        State.ACCEPTED,
        State.DECIDED,
        State.CLOSED,
        State.WITHDRAWN,
        State.INADMISSIBLE,
        State.RESOLVED,
    }


def test_a_note_after_closing_is_allowed_and_the_complaint_stays_closed() -> None:
    story = [*NO_AGREEMENT_STORY, note("2027-06-01", "email", "Klager bedankt per e-mail.")]
    result = replay(ISKANDER, story, FACTS)

    assert result.refused is None
    assert result.snapshot.state is State.CLOSED
    assert result.snapshot.history[-1].details == NoteDetails(
        kind="email", text="Klager bedankt per e-mail.", role=COORDINATOR
    )


def test_a_note_before_receipt_is_refused() -> None:
    result = replay(ISKANDER, [note("2027-04-19")], FACTS)

    assert result.refused is not None
    assert result.refused.refusal.message == R.NOT_RECEIVED


def test_a_note_dated_before_the_previous_event_is_refused() -> None:
    lifecycle = lifecycle_of(NO_AGREEMENT_STORY[:3])
    with pytest.raises(Refused) as refused:
        lifecycle.apply(note("2027-04-19"))
    assert refused.value.refusal.message == R.BEFORE_PREVIOUS


def test_a_note_by_a_handler_is_allowed_and_by_an_employee_refused() -> None:
    lifecycle = lifecycle_of(NO_AGREEMENT_STORY[:3])
    lifecycle.apply(
        record("2027-04-20", "note_added", kind="other", text="x", role="procesverantwoordelijke")
    )
    with pytest.raises(Refused) as refused:
        lifecycle.apply(
            record("2027-04-20", "note_added", kind="other", text="y", role="medewerker")
        )
    assert refused.value.refusal.message == R.ROLE_NOT_ALLOWED
    assert COORDINATOR in refused.value.refusal.render()


def test_a_telephone_note_does_not_stop_the_closure_by_silence() -> None:
    # Only a reaction (reaction_received) meets Iskander's silence term, as before.
    story = [*AGREEMENT_STORY, note("2027-05-12", text="Klager belde, geen reactie op de brief.")]
    snapshot = replay(ISKANDER, story, FACTS, as_of=dt.date(2027, 5, 19)).snapshot

    assert snapshot.state is State.CLOSED
    assert deadline_table(snapshot)[-1] == (
        "afronding_zonder_reactie",
        "2027-05-10",
        "2027-05-18",
        "missed",
        None,
    )


def test_a_regulation_may_let_a_contact_of_one_kind_meet_a_term() -> None:
    silence = ISKANDER.deadlines[-1]
    assert silence.id == "afronding_zonder_reactie"
    by_phone = silence.model_copy(
        update={"met_by": [*silence.met_by, EventRef(event="note_added", outcome="telephone")]}
    )
    regulation = ISKANDER.model_copy(update={"deadlines": [*ISKANDER.deadlines[:-1], by_phone]})

    mailed = replay(regulation, [*AGREEMENT_STORY, note("2027-05-12", "email")], FACTS)
    called = replay(regulation, [*AGREEMENT_STORY, note("2027-05-12", "telephone")], FACTS)

    assert mailed.snapshot.deadline("afronding_zonder_reactie").met_on is None
    assert called.snapshot.deadline("afronding_zonder_reactie").met_on == dt.date(2027, 5, 12)


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"kind": "telephone", "text": "   "}, "text"),
        ({"kind": "telephone", "text": ""}, "text"),
        ({"kind": "telephone"}, "text"),
        ({"kind": "telephone", "text": "x" * (MAX_NOTE + 1)}, "text"),
        ({"kind": "fax", "text": "Klager faxte."}, "kind"),
        ({"text": "Klager belde."}, "kind"),
        ({"kind": "telephone", "text": "Klager belde.", "handler": "piet"}, "handler"),
    ],
)
def test_the_details_of_a_note_are_checked(details: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as invalid:
        record("2027-04-20", "note_added", **details)
    assert [error["loc"][0] for error in invalid.value.errors()] == [field]
    assert field in str(invalid.value)


def test_a_note_is_stripped_and_its_kind_is_its_outcome() -> None:
    noted = record("2027-04-20", "note_added", kind="conversation", text="  Gesprek op de gang. ")
    assert noted.details == NoteDetails(kind="conversation", text="Gesprek op de gang.")
    assert noted.outcome == "conversation"
    assert noted.matches(EventRef(event="note_added", outcome="conversation"))
    assert not noted.matches(EventRef(event="note_added", outcome="telephone"))
