"""The event log is append-only, in the database itself; a write that is not made leaves no trace.

The database refuses every UPDATE and DELETE of ``register_complaintevent`` (migration 0002),
whether it comes from raw SQL or the ORM; ``(complaint, sequence)`` is unique. A refused,
conflicting, not permitted or malformed event writes nothing: no event, no sequence step, no
deadline change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, IntegrityError, connection, transaction

from klachtenregister.register.errors import Conflict, InvalidDetails, NotPermitted, Refusal
from klachtenregister.register.models import Complaint, ComplaintEvent, Organisation
from klachtenregister.register.services import NewEvent, record_event, register_complaint
from klachtenregister.regulations.vocabulary import Event, RoleKind
from tests.factories import UserFactory
from tests.support.complaints import complaint_data, day, log_of, record
from tests.support.written_state import written_state

APPEND_ONLY = "append-only"


@pytest.fixture
def complaint(iskander: Organisation, coordinator: User, today: Any) -> Complaint:
    """ISK-2027-0001: received and registered on Mon 19 Apr 2027; sequence 2."""
    today.set("2027-04-19")
    return register_complaint(
        iskander,
        coordinator,
        complaint_data("2027-04-19", subjects=[("Jan Jansen", None)], involved=[("Kees", None)]),
    )


def _row(event_id: int) -> tuple[Any, ...]:
    """The stored row as the database has it, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT complaint_id, sequence, event, "on", role, actor_id, actor_name '
            "FROM register_complaintevent WHERE id = %s",
            [event_id],
        )
        return cursor.fetchone()


def _event_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM register_complaintevent")
        return cursor.fetchone()[0]


# --- the database refuses to change or delete an event ----------------------------------------


def test_the_registration_is_two_stored_events(complaint: Complaint, coordinator: User) -> None:
    assert log_of(complaint) == [
        (1, "received", day("2027-04-19"), "klachtenfunctionaris"),
        (2, "registered", day("2027-04-19"), "klachtenfunctionaris"),
    ]
    received = complaint.events.get(sequence=1)
    assert received.actor == coordinator
    assert received.actor_name == "Klara Klachtenfunctionaris"
    # The role is a column of its own, never part of the engine's details.
    assert received.payload == {"channel": "written", "anonymous": False}
    assert complaint.sequence == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE register_complaintevent SET event = 'closed' WHERE id = %s",
        """UPDATE register_complaintevent SET "on" = '2027-01-01' WHERE id = %s""",
        "UPDATE register_complaintevent SET actor_name = actor_name WHERE id = %s",
        "DELETE FROM register_complaintevent WHERE id = %s",
    ],
    ids=["update-event", "update-date", "update-to-same-value", "delete"],
)
def test_raw_sql_cannot_change_or_delete_an_event(complaint: Complaint, statement: str) -> None:
    event = complaint.events.get(sequence=1)
    before = _row(event.pk)
    count = _event_count()

    # A savepoint, so the test can go on reading after the database refused the statement.
    with (
        pytest.raises(DatabaseError, match=APPEND_ONLY),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])

    assert _row(event.pk) == before
    assert _event_count() == count


def test_raw_sql_cannot_touch_the_whole_log(complaint: Complaint) -> None:
    before = log_of(complaint)
    for statement in (
        "UPDATE register_complaintevent SET role = 'x'",
        "DELETE FROM register_complaintevent",
    ):
        with (
            pytest.raises(DatabaseError, match=APPEND_ONLY),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert log_of(complaint) == before


def test_the_refusal_is_an_integrity_error(complaint: Complaint) -> None:
    """Both databases report the rule as a violated constraint (PostgreSQL: restrict_violation;
    SQLite: RAISE(ABORT)), so callers can treat it like any other integrity rule."""
    event = complaint.events.get(sequence=2)
    with (
        pytest.raises(IntegrityError, match=APPEND_ONLY),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM register_complaintevent WHERE id = %s", [event.pk])


def test_orm_queryset_update_fails(complaint: Complaint) -> None:
    before = log_of(complaint)
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic():
        ComplaintEvent.objects.filter(complaint=complaint).update(on=dt.date(2027, 1, 1))
    assert log_of(complaint) == before


def test_orm_save_of_a_changed_event_fails(complaint: Complaint) -> None:
    event = complaint.events.get(sequence=2)
    before = _row(event.pk)
    event.event = "closed"
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic():
        event.save()
    assert _row(event.pk) == before


def test_orm_delete_fails(complaint: Complaint) -> None:
    event = complaint.events.get(sequence=2)
    before = log_of(complaint)
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic():
        event.delete()
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic():
        ComplaintEvent.objects.filter(complaint=complaint).delete()
    assert log_of(complaint) == before


def test_an_event_can_still_be_appended_after_a_refused_change(
    complaint: Complaint, coordinator: User, today: Any
) -> None:
    event = complaint.events.get(sequence=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        ComplaintEvent.objects.filter(pk=event.pk).update(role="directie")

    today.set("2027-04-21")
    record(complaint, coordinator, "acknowledged", "2027-04-21")

    assert [row[1] for row in log_of(complaint)] == ["received", "registered", "acknowledged"]


# --- the sequence is unique per complaint --------------------------------------------------------


def test_sequence_is_unique_per_complaint(
    complaint: Complaint, iskander: Organisation, coordinator: User
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplaintEvent.objects.create(
            complaint=complaint,
            sequence=2,
            event="acknowledged",
            on=dt.date(2027, 4, 19),
            role="klachtenfunctionaris",
            actor=coordinator,
            actor_name="Klara",
        )
    assert [row[0] for row in log_of(complaint)] == [1, 2]

    # Another complaint counts its own events from 1.
    other = register_complaint(iskander, coordinator, complaint_data("2027-04-19"))
    assert [row[0] for row in log_of(other)] == [1, 2]


# --- a write that is not made writes nothing -----------------------------------------------------


@pytest.fixture
def handled(complaint: Complaint, coordinator: User, handler: User, today: Any) -> Complaint:
    """The complaint acknowledged and assigned to Piet: some deadlines met, some open."""
    today.set("2027-04-21")
    record(complaint, coordinator, "acknowledged", "2027-04-20")
    record(
        complaint,
        coordinator,
        "handler_assigned",
        "2027-04-21",
        {"handler": "Piet Pietersen"},
        {"handler": handler.pk},
    )
    complaint.refresh_from_db()
    assert complaint.sequence == 4
    assert complaint.deadlines.filter(status="met").exists()
    assert complaint.deadlines.filter(running=True).exists()
    return complaint


@pytest.mark.parametrize(
    ("event", "on", "details"),
    [
        # Nothing has been decided or sent, so there is nothing to close.
        ("closed", "2027-04-21", {}),
        # Not taken into treatment yet, so no decision.
        ("decision_made", "2027-04-21", {"outcome": "founded"}),
        # Acknowledged once already.
        ("acknowledged", "2027-04-21", {}),
        # Before the last event (21 April).
        ("accepted", "2027-04-20", {}),
        # No hearing held: no report to send.
        ("hearing_report_sent", "2027-04-21", {}),
        # Jan Jansen is who the complaint is about.
        ("handler_assigned", "2027-04-21", {"handler": "Jan Jansen"}),
        # Kees was involved in the conduct (Iskander asks for sufficient distance).
        ("handler_assigned", "2027-04-21", {"handler": "Kees"}),
        # In the future: the clock says 21 April.
        ("accepted", "2027-04-22", {}),
    ],
    ids=[
        "closed-too-early",
        "decision-before-acceptance",
        "acknowledged-twice",
        "before-previous",
        "report-without-hearing",
        "handler-is-subject",
        "handler-is-involved",
        "in-the-future",
    ],
)
def test_a_refused_event_writes_nothing(
    handled: Complaint, coordinator: User, event: str, on: str, details: dict[str, Any]
) -> None:
    before = written_state(handled)

    with pytest.raises(Refusal) as refused:
        record(handled, coordinator, event, on, details)

    assert refused.value.message
    assert written_state(handled) == before


def test_a_conflicting_event_writes_nothing(
    handled: Complaint, coordinator: User, handler: User
) -> None:
    before = written_state(handled)
    seen = handled.sequence - 1  # the caller looked before the handler was assigned

    with pytest.raises(Conflict) as conflict:
        record_event(handled, handler, seen, NewEvent(Event.ACCEPTED, day("2027-04-21")))

    assert "ISK-2027-0001" in conflict.value.message
    assert written_state(handled) == before


def test_a_sequence_from_the_future_is_a_conflict_too(
    handled: Complaint, coordinator: User
) -> None:
    before = written_state(handled)
    with pytest.raises(Conflict):
        record_event(
            handled, coordinator, handled.sequence + 1, NewEvent(Event.ACCEPTED, day("2027-04-21"))
        )
    assert written_state(handled) == before


def test_a_not_permitted_event_writes_nothing(handled: Complaint, iskander: Organisation) -> None:
    # Iskander's directie performs no step of the procedure; an employee holds no role at all.
    director = UserFactory(
        username="dirk", full_name="Dirk Directeur", memberships=[(iskander, RoleKind.DIRECTOR)]
    )
    employee = UserFactory(
        username="emma", full_name="Emma Medewerker", memberships=[(iskander, RoleKind.EMPLOYEE)]
    )
    before = written_state(handled)

    for user, event in ((director, Event.ACCEPTED), (employee, Event.CLOSED)):
        with pytest.raises(NotPermitted) as refused:
            record_event(handled, user, handled.sequence, NewEvent(event, day("2027-04-21")))
        assert "klachtenfunctionaris" in refused.value.message

    assert written_state(handled) == before


def test_a_user_of_another_organisation_is_not_permitted(
    handled: Complaint, infocus: Organisation
) -> None:
    stranger = UserFactory(
        username="olga", full_name="Olga Anders", memberships=[(infocus, RoleKind.COORDINATOR)]
    )
    before = written_state(handled)
    with pytest.raises(NotPermitted):
        record_event(
            handled, stranger, handled.sequence, NewEvent(Event.ACCEPTED, day("2027-04-21"))
        )
    assert written_state(handled) == before


@pytest.mark.parametrize(
    ("event", "details"),
    [
        ("consultation_held", {}),
        ("consultation_held", {"outcome": "misschien"}),
        ("decision_made", {"outcome": "founded", "colour": "red"}),
        ("extended", {"by": {"amount": 2, "unit": "weeks"}, "reason": "ziek"}),
        ("hearing_held", {"heard": []}),
    ],
    ids=[
        "missing-outcome",
        "unknown-outcome",
        "unknown-field",
        "extension-without-target",
        "nobody-heard",
    ],
)
def test_an_event_with_invalid_details_writes_nothing(
    handled: Complaint, coordinator: User, event: str, details: dict[str, Any]
) -> None:
    before = written_state(handled)

    with pytest.raises(InvalidDetails) as invalid:
        record(handled, coordinator, event, "2027-04-21", details)

    assert invalid.value.message
    assert written_state(handled) == before


def test_details_that_name_a_role_are_invalid_details(
    handled: Complaint, coordinator: User
) -> None:
    """The role is chosen by the back office from the user's memberships; details that try to
    name one are malformed input, not a crash."""
    before = written_state(handled)
    with pytest.raises(InvalidDetails):
        record(handled, coordinator, "accepted", "2027-04-21", {"role": "directie"})
    assert written_state(handled) == before


def test_a_refused_event_after_a_lapsed_term_writes_not_even_the_system_event(
    iskander: Organisation, coordinator: User, handler: User, today: Any
) -> None:
    """Iskander closes a complaint by itself when the complainant does not react within 5
    werkdagen after the registered letter (due Tue 18 May 2027; closed Wed 19 May). A reaction
    recorded on 19 May is refused; the closure the engine carried out first is not stored
    either: it is stored with the next event that is accepted."""
    complaint = _agreement_story(iskander, coordinator, handler, today)
    before = written_state(complaint)

    today.set("2027-05-19")
    with pytest.raises(Refusal) as refused:
        record(complaint, coordinator, "reaction_received", "2027-05-19")

    assert "2027-05-19" in refused.value.message
    assert written_state(complaint) == before


def _agreement_story(
    organisation: Organisation, coordinator: User, handler: User, today: Any
) -> Complaint:
    """Iskander story B (tests/lifecycle/test_story_iskander.py) up to the registered letter."""
    today.set("2027-04-20")
    complaint = register_complaint(
        organisation,
        coordinator,
        complaint_data("2027-04-20", facts_date=day("2027-04-15")),
        registered_on=day("2027-04-20"),
    )
    assigned = {"handler": handler.pk}
    for on, actor, event, details, people in [
        ("2027-04-26", coordinator, "acknowledged", {}, {}),
        ("2027-04-26", coordinator, "handler_assigned", {"handler": "Piet Pietersen"}, assigned),
        ("2027-04-28", handler, "consultation_held", {"outcome": "agreement"}, {}),
        ("2027-04-28", coordinator, "resolved_informally", {}, {}),
        ("2027-05-04", coordinator, "agreement_letter_sent", {}, {}),
        ("2027-05-10", coordinator, "registered_letter_delivered", {}, {}),
    ]:
        today.set(on)
        record(complaint, actor, event, on, details, people)
    return complaint
