"""What is derived from a complaint's log and stored so it can be queried (the watch list).

Rewritten from the engine in the same transaction as every event: the complaint's state, its
sequence and next due date, its deadline rows and who takes part in it; for the list of all
complaints its outcome, closing day, escalation and reopening, and its search text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from klachtenregister.lifecycle import Lifecycle, Snapshot
from klachtenregister.lifecycle.classes import classify, working_days
from klachtenregister.register.models import (
    Complaint,
    ComplaintDeadline,
    ComplaintEvent,
    ComplaintParticipant,
    ComplaintPerson,
    ComplaintTodo,
)
from klachtenregister.register.personal import with_personal_data
from klachtenregister.register.search import search_text
from klachtenregister.regulations.vocabulary import Event

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django.db.models import QuerySet


@dataclass(frozen=True)
class Derived:
    """What the projection stores for a lifecycle, before it is written: the deadline and to-do
    rows' values (in position order) and the complaint's derived columns. Shared with the bench's
    generator (bench/scale.py), so generated rows are the services' rows."""

    deadlines: list[dict[str, Any]]
    todos: list[dict[str, Any]]
    state: str
    next_due: dt.date | None
    outcome: str
    closed_on: dt.date | None
    escalated: bool
    reopened: bool
    # How the complaint counts in the figures (lifecycle.classes), so reports need no log.
    treatment: str
    result: str
    silence_closed: bool
    term_class: str
    term_running_due: dt.date | None
    term_extended: bool
    throughput_working_days: int | None

    def columns(self) -> dict[str, Any]:
        """The complaint's derived columns, by name (``COMPLAINT_COLUMNS``)."""
        return {name: getattr(self, name) for name in COMPLAINT_COLUMNS}


# The complaint columns the projection writes besides its sequence and search text.
COMPLAINT_COLUMNS = (
    "state",
    "next_due",
    "outcome",
    "closed_on",
    "escalated",
    "reopened",
    "treatment",
    "result",
    "silence_closed",
    "term_class",
    "term_running_due",
    "term_extended",
    "throughput_working_days",
)
# The deadline rows' columns, in the order ``derive`` gives them.
DEADLINE_COLUMNS = (
    "position",
    "deadline_id",
    "kind",
    "label",
    "label_en",
    "start",
    "due",
    "met_on",
    "status",
    "running",
    "extensions",
    "working_days",
)


def todo_rows(snapshot: Snapshot) -> list[dict[str, Any]]:
    """The stored rows of a snapshot's to-dos (``ComplaintTodo``'s columns but the keys)."""
    return [
        {
            "position": position,
            "todo_id": todo.id,
            "kind": todo.kind.value,
            "label": todo.label,
            "label_en": todo.label_en or "",
            "source": todo.source,
            "created_on": todo.created_on,
            "done_on": todo.done_on,
            "status": todo.status.value,
            "roles": list(todo.roles),
        }
        for position, todo in enumerate(snapshot.todos)
    ]


def derive(lifecycle: Lifecycle) -> Derived:
    """The derived values as of the lifecycle's last event."""
    # As of the last event, so that nothing time-triggered is derived that the log lacks.
    as_of = lifecycle.progress.last_on
    assert as_of is not None, "a complaint is projected after its first event"
    snapshot = lifecycle.status(as_of)
    deadlines: list[dict[str, Any]] = [
        {
            "position": position,
            "deadline_id": view.id,
            "kind": view.kind.value,
            "label": view.label,
            "label_en": view.label_en or "",
            "start": view.start,
            "due": view.due,
            "met_on": view.met_on,
            "status": view.status.value,
            "running": not view.settled,
            "extensions": len(view.extensions),
            # From start to met, for the throughput per kind of term (reports).
            "working_days": working_days(lifecycle.calendar, view.start, view.met_on),
        }
        for position, view in enumerate(snapshot.deadlines)
    ]
    todos = todo_rows(snapshot)
    running = [view.due for view in snapshot.deadlines if not view.settled]
    progress = lifecycle.progress
    decision = progress.decision
    outcome = (decision.outcome or "") if decision is not None else ""
    closed_on = progress.closed_on or progress.withdrawn_on
    assert progress.received is not None
    classes = classify(
        lifecycle.history,
        snapshot.state,
        outcome,
        snapshot.deadlines,
        progress.received.on,
        closed_on,
        lifecycle.calendar,
    )
    return Derived(
        deadlines=deadlines,
        todos=todos,
        state=snapshot.state.value,
        next_due=min(running) if running else None,
        outcome=outcome,
        closed_on=closed_on,
        escalated=progress.counts[Event.ESCALATED] > 0,
        reopened=progress.counts[Event.REOPENED] > 0,
        treatment=classes.treatment,
        result=classes.result,
        silence_closed=classes.silence_closed,
        term_class=classes.term,
        term_running_due=classes.term_running_due,
        term_extended=classes.term_extended,
        throughput_working_days=classes.throughput_working_days,
    )


# The only events that change who takes part (``participants_of``).
PARTICIPATION_EVENTS = frozenset({Event.HANDLER_ASSIGNED.value, Event.COMMITTEE_APPOINTED.value})


def project(
    complaint: Complaint,
    lifecycle: Lifecycle,
    appended: Sequence[ComplaintEvent] | None = None,
) -> None:
    """Store what the lifecycle says now; ``complaint`` is locked by the caller.

    ``appended``: the log rows just stored (their personal data joined in memory), when the
    caller knows them. A complaint whose whole log they are (a registration) has no derived
    rows to delete and its texts and participants come from them; otherwise the search text
    grows by their texts and the participants are rewritten only when one of them assigns
    someone. A correction of facts changes the complaint's own texts: then, as without
    ``appended``, everything is read again from the stored log."""
    derived = derive(lifecycle)
    events = {row.event for row in appended or ()}
    whole_log = appended is not None and complaint.sequence == len(appended)
    incremental = appended is not None and Event.FACTS_CORRECTED.value not in events
    if not whole_log:
        complaint.deadlines.all().delete()
        complaint.todos.all().delete()
    ComplaintDeadline.objects.bulk_create(
        ComplaintDeadline(complaint=complaint, **values) for values in derived.deadlines
    )
    ComplaintTodo.objects.bulk_create(
        ComplaintTodo(complaint=complaint, organisation_id=complaint.organisation_id, **values)
        for values in derived.todos
    )
    for name, value in derived.columns().items():
        setattr(complaint, name, value)
    if whole_log and incremental:
        assert appended is not None
        complaint.search_text = complaint_search_text(
            complaint, _people_names(complaint), [row.payload for row in appended]
        )
    elif incremental and complaint.search_text:
        assert appended is not None
        # The search text is in log order, so the new rows' texts come last (``search_text``
        # joins non-empty lines; the stored text is one such join).
        added = search_text([row.payload for row in appended])
        complaint.search_text = "\n".join(t for t in (complaint.search_text, added) if t)
    else:
        complaint.search_text = _search_text(complaint)
    complaint.save(update_fields=[*COMPLAINT_COLUMNS, "sequence", "search_text"])
    if whole_log:
        assert appended is not None
        ComplaintParticipant.objects.bulk_create(
            ComplaintParticipant(complaint=complaint, user_id=user_id, capacity=capacity)
            for user_id, capacity in participants_of((row.event, row.people) for row in appended)
        )
    elif appended is None or events & PARTICIPATION_EVENTS:
        _project_participants(complaint)


def refresh_search_text(complaint: Complaint) -> None:
    """Write the search text again after the complaint's texts changed outside the log (an
    erasure of its personal data)."""
    complaint.search_text = _search_text(complaint)
    complaint.save(update_fields=["search_text"])


def _people_names(complaint: Complaint) -> Iterable[str]:
    # A lookalike is no party to the complaint: searching their name must not find it.
    return complaint.people.exclude(relation=ComplaintPerson.LOOKALIKE).values_list(
        "name", flat=True
    )


def _search_text(complaint: Complaint) -> str:
    people = _people_names(complaint)
    # Only the payloads (no replay: the caller has the lifecycle), with the personal data kept
    # apart for an erasure joined back.
    rows = with_personal_data(
        [
            ComplaintEvent(pk=pk, event=event, payload=payload)
            for event, payload, pk in complaint.events.order_by("sequence").values_list(
                "event", "payload", "pk"
            )
        ]
    )
    return complaint_search_text(complaint, people, [row.payload for row in rows])


def complaint_search_text(
    complaint: Complaint, people: Iterable[str], payloads: Iterable[object]
) -> str:
    """What the search box looks in: the complaint's own texts, its people's names and every
    text of its log, in log order (register.search.normalise)."""
    own = [
        complaint.reference,
        complaint.complainant_name,
        complaint.complainant_email,
        complaint.complainant_phone,
        complaint.representative_name,
        complaint.description,
        complaint.category,
        complaint.commissioning_party,
    ]
    return search_text([*own, *people, *payloads])


def participants_of(events: Iterable[tuple[str, dict[str, Any]]]) -> list[tuple[int, str]]:
    """The current handler and committee from the log's (event, people) in log order: the users
    named by the latest assignment of each, as (user id, capacity)."""
    latest: dict[str, list[int]] = {}
    for event, people in events:
        if event == Event.HANDLER_ASSIGNED:
            user_id = people.get("handler")
            latest[ComplaintParticipant.HANDLER] = [user_id] if user_id else []
        elif event == Event.COMMITTEE_APPOINTED:
            latest[ComplaintParticipant.COMMITTEE] = list(people.get("members", []))
    return [
        (user_id, capacity)
        for capacity, user_ids in latest.items()
        for user_id in dict.fromkeys(user_ids)
    ]


def _project_participants(complaint: Complaint) -> None:
    """The current handler and committee: the users named by the latest assignment of each."""
    events = (
        complaint.events.filter(
            event__in=[Event.HANDLER_ASSIGNED.value, Event.COMMITTEE_APPOINTED.value]
        )
        .order_by("sequence")
        .values_list("event", "people")
    )
    complaint.participants.all().delete()
    ComplaintParticipant.objects.bulk_create(
        ComplaintParticipant(complaint=complaint, user_id=user_id, capacity=capacity)
        for user_id, capacity in participants_of(events)
    )


def for_each_locked(
    complaints: QuerySet[Complaint], batch_size: int, handle: Callable[[Complaint], None]
) -> int:
    """Call ``handle`` on each of ``complaints`` by ascending id, in batches of ``batch_size``:
    one transaction per batch with its complaints locked, so a worker recording an event
    meanwhile waits for one batch at most and memory stays that of a batch. Returns the
    number of batches."""
    # Imported here: this module is imported by the models' neighbours at start-up.
    from django.db import transaction

    after = batches = 0
    while True:
        ids = list(
            complaints.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return batches
        after = ids[-1]
        batches += 1
        with transaction.atomic():
            for complaint in (
                Complaint.objects.select_for_update()
                .filter(pk__in=ids)
                .select_related("organisation", "regulation_version")
                .order_by("pk")
            ):
                handle(complaint)


def reproject_all(batch: int = 500) -> int:
    """Derive every complaint again from its own log and store it: after a new derived column
    (migration 0018) the stored rows are what the services would now write. Returns how many."""
    from klachtenregister.register.selectors.history import lifecycle_of

    done = 0

    def reproject(complaint: Complaint) -> None:
        nonlocal done
        project(complaint, lifecycle_of(complaint))
        done += 1

    for_each_locked(Complaint.objects.all(), batch, reproject)
    return done


BACKFILL_BATCH = 200  # complaints replayed per transaction by backfill_todos
TODO_COLUMNS = (
    "position",
    "todo_id",
    "kind",
    "label",
    "label_en",
    "source",
    "created_on",
    "done_on",
    "status",
    "roles",
)


@dataclass(frozen=True)
class BackfillResult:
    complaints: int  # complaints replayed
    written: int  # of which the to-do rows were written anew
    batches: int
    failed: tuple[str, ...] = ()  # references whose log does not replay (left as they were)


def backfill_todos(
    batch_size: int = BACKFILL_BATCH, every: bool = False, organisation_id: int | None = None
) -> BackfillResult:
    """Write the to-do rows of complaints stored before the register kept them (migration
    0012): each complaint's log is replayed through the projection and its to-do rows are
    written as the projection derives them; nothing else of the complaint changes.

    By default only complaints without any to-do row are replayed (a complaint with none
    stored since then has none to show); ``every`` replays all. In batches of ``batch_size``
    complaints by ascending id, one transaction each with the batch's rows locked, so a worker
    recording an event meanwhile waits for one batch at most; memory stays constant.
    """
    from klachtenregister.register.errors import CorruptHistory
    from klachtenregister.register.selectors.history import lifecycle_of

    complaints = Complaint.objects.all()
    if organisation_id is not None:
        complaints = complaints.filter(organisation_id=organisation_id)
    if not every:
        complaints = complaints.filter(todos__isnull=True)
    replayed = written = 0
    failed: list[str] = []

    def backfill(complaint: Complaint) -> None:
        nonlocal replayed, written
        if not complaint.events.exists():
            return
        try:
            todos = derive(lifecycle_of(complaint)).todos
        except CorruptHistory:
            failed.append(complaint.reference)
            return
        replayed += 1
        stored = list(complaint.todos.order_by("position").values(*TODO_COLUMNS))
        if stored == todos:
            return
        complaint.todos.all().delete()
        ComplaintTodo.objects.bulk_create(
            ComplaintTodo(complaint=complaint, organisation_id=complaint.organisation_id, **values)
            for values in todos
        )
        written += 1

    batches = for_each_locked(complaints, batch_size, backfill)
    return BackfillResult(replayed, written, batches, tuple(failed))


# How far back the hourly job looks for terms run out without their to-do stored: a complaint
# told in time (its notice sent before the term ran out) owes none, and is looked at again only
# for this long.
MISSED_TODO_WINDOW = dt.timedelta(days=7)


def store_missed_todos(today: dt.date, batch_size: int = BACKFILL_BATCH) -> int:
    """Store the to-do a missed term owes (``if_missed``: tell why it was missed) once the term
    has run out, not only at the complaint's next event: the rows are what the watch list's
    "te doen" light, the digest and the dashboard read. Looks at the running terms with an
    ``if_missed`` that ran out in the last ``MISSED_TODO_WINDOW`` and have no to-do row yet;
    replays those complaints as of ``today``. Returns how many complaints got new rows."""
    from django.db.models import Exists, OuterRef, Q

    from klachtenregister.register.errors import CorruptHistory
    from klachtenregister.register.models import RegulationVersion
    from klachtenregister.register.selectors.history import lifecycle_of
    from klachtenregister.register.selectors.regulations import stored_regulation

    owed = Q(pk__in=[])
    for version in RegulationVersion.objects.filter(organisation__isnull=False):
        regulation = stored_regulation(version).regulation
        ids = [d.id for d in (regulation.deadlines if regulation else ()) if d.if_missed]
        if ids:
            owed |= Q(complaint__regulation_version=version, deadline_id__in=ids)
    if owed == Q(pk__in=[]):
        return 0
    stored = ComplaintTodo.objects.filter(
        complaint=OuterRef("complaint"), todo_id=OuterRef("deadline_id")
    )
    complaints = Complaint.objects.filter(
        pk__in=ComplaintDeadline.objects.filter(
            owed, running=True, due__lt=today, due__gte=today - MISSED_TODO_WINDOW
        )
        .exclude(Exists(stored))
        .values("complaint")
    )
    written = 0

    def store(complaint: Complaint) -> None:
        nonlocal written
        try:
            todos = todo_rows(lifecycle_of(complaint).status(today))
        except CorruptHistory as exc:
            # One complaint whose log no longer replays must not stop the watch and the digest
            # for every other; it is logged, and its page says why it cannot be shown.
            logger.warning("missed to-dos not stored: %s", exc)
            return
        if todos == list(complaint.todos.order_by("position").values(*TODO_COLUMNS)):
            return
        complaint.todos.all().delete()
        ComplaintTodo.objects.bulk_create(
            ComplaintTodo(complaint=complaint, organisation_id=complaint.organisation_id, **values)
            for values in todos
        )
        written += 1

    for_each_locked(complaints, batch_size, store)
    return written
