"""A complaint's page as a person reads it: facts, deadlines with their traffic light, and the
chronological overview of its log with what the regulation will still carry out by itself.

What the current user may do next (the action forms) is the back office's; this is the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from klachtenregister.calendars.units import DurationUnit
from klachtenregister.lifecycle import DeadlineView, Snapshot
from klachtenregister.lifecycle.deadlines import DEADLINE_STATUS_LABELS
from klachtenregister.lifecycle.events import SYSTEM_ACTOR, CostsDetails, HandlerDetails
from klachtenregister.lifecycle.states import STATE_LABELS
from klachtenregister.lifecycle.todos import TODO_KIND_LABELS, TODO_STATUS_LABELS, TodoView
from klachtenregister.register.labels import deadline_kind_label, duration_label, event_label
from klachtenregister.register.models import Complaint, ComplaintEvent, ComplaintPerson, Document
from klachtenregister.register.models.complaints import CHANNEL_CHOICES, FORM_OF_ADDRESS_CHOICES
from klachtenregister.register.personal import ERASED, with_personal_data
from klachtenregister.register.selectors.history import lifecycle_of, payload_of, regulation_of
from klachtenregister.register.selectors.people import participants_of
from klachtenregister.register.selectors.watchlist import Light, calendar_for, light
from klachtenregister.regulations.labels import OUTCOME_LABELS, own_label
from klachtenregister.regulations.schema import EventRef, Regulation
from klachtenregister.regulations.vocabulary import DeadlineKind, Event

DEADLINE_KINDS = frozenset(kind.value for kind in DeadlineKind)


@dataclass(frozen=True)
class LogEntry:
    sequence: int | None
    on: dt.date
    label: str
    actor: str
    role: str
    details: list[tuple[str, str]]
    recorded_at: Any
    documents: list[Document]
    pending: bool = False


@dataclass(frozen=True)
class TodoRow:
    """A duty without a term on the page: what, since when, done or still to do, and whose."""

    view: TodoView
    label: str
    kind: str
    status: str
    roles: str  # the roles that carry it out, by the regulation's labels


@dataclass(frozen=True)
class DeadlineRow:
    view: DeadlineView
    label: str
    status: str
    light: Light | None  # only while the term runs
    running: bool


DETAIL_LABELS = {
    "channel": gettext_noop("kanaal"),
    "anonymous": gettext_noop("anoniem"),
    "facts_date": gettext_noop("datum gebeurtenis"),
    "ground": gettext_noop("grond"),
    "reason": gettext_noop("reden"),
    "handler": gettext_noop("behandelaar"),
    "members": gettext_noop("leden"),
    "party": gettext_noop("partij"),
    "outcome": gettext_noop("uitkomst"),
    "heard": gettext_noop("gehoord"),
    "deadline": gettext_noop("termijn"),
    "by": gettext_noop("met"),
    "consent": gettext_noop("met instemming"),
    "motivation": gettext_noop("motivering"),
    "type": gettext_noop("soort"),
    "description": gettext_noop("omschrijving"),
    "to": gettext_noop("naar"),
    "note": gettext_noop("toelichting"),
    "kind": gettext_noop("soort"),
    "text": gettext_noop("tekst"),
    "letter": gettext_noop("brief"),
    "addressee": gettext_noop("geadresseerde"),
    "delivered_on": gettext_noop("afleverdatum"),
    "tracking_number": gettext_noop("trackingnummer"),
}
# Consent and agreements (issue 14 §4).
DETAIL_LABELS.update(
    {
        "function": gettext_noop("functie"),
        "due": gettext_noop("afgesproken datum"),
        "comments": gettext_noop("opmerkingen"),
        "amount": gettext_noop("bedrag"),
    }
)
# The register's own person ids (issue 16 §2: the impartiality rules compare them); the names
# beside them are what a person reads.
ID_DETAILS = frozenset({"handler_id", "member_ids", "subject_ids", "cleared"})
# Details that are a value before and after (delivery_date_changed): shown "old → new".
CHANGED_DETAILS = frozenset({"delivered_on", "tracking_number"})


def _detail_text(key: str, value: Any, regulation: Regulation, lang: str) -> str:
    if key == "kind" and value in DEADLINE_KINDS:  # the kind of deadline an extension names
        return deadline_kind_label(DeadlineKind(value))
    if key in ("outcome", "type", "kind"):  # "kind": of a note, the kind of contact
        return _(OUTCOME_LABELS.get(value, value))
    if key == "channel":
        return str(dict(CHANNEL_CHOICES).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if key == "by" and isinstance(value, dict):
        return duration_label(value["amount"], DurationUnit.parse(value["unit"]))
    if key == "ground":
        ground = next((g for g in regulation.admissibility.grounds if g.id == value), None)
        return own_label(ground, lang) if ground else str(value)
    if key == "deadline":
        rule = next((d for d in regulation.deadlines if d.id == value), None)
        return own_label(rule, lang) if rule else str(value)
    if key == "to":
        route = next((r for r in regulation.escalation if r.id == value), None)
        return route.label if route else str(value)
    return str(value)


def _change_text(change: dict[str, Any]) -> str:
    """A value before and after; a date as the page shows dates."""

    def text(value: Any) -> str:
        if value in (None, ""):
            return "—"
        try:
            return f"{dt.date.fromisoformat(str(value)):%d-%m-%Y}"
        except ValueError:
            return str(value)

    return f"{text(change.get('old'))} → {text(change.get('new'))}"


def fact_label(name: str) -> str:
    """The display name of a correctable fact: its column's (the subjects are rows)."""
    if name == "subjects":
        return str(_("beklaagden"))
    if name == "regulation_version":
        return str(_("versie van het reglement"))
    field = Complaint._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _fact_text(name: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if name == "channel":
        return str(dict(CHANNEL_CHOICES).get(value, value))
    if name == "form_of_address":
        return str(dict(FORM_OF_ADDRESS_CHOICES).get(value, value))
    return str(value)


def _correction(name: str, change: dict[str, Any]) -> str:
    old, new = change.get("old"), change.get("new")
    if ERASED in (old, new):
        return ERASED  # erased (AVG): neither value is known any more
    return f"{_fact_text(name, old)} → {_fact_text(name, new)}"


def _corrections(changes: dict[str, Any]) -> list[tuple[str, str]]:
    """A correction's changes: per fact "old → new"."""
    return [(fact_label(name), _correction(name, change)) for name, change in changes.items()]


def _details(payload: dict[str, Any], regulation: Regulation, lang: str) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    for key, value in payload.items():
        if key in ID_DETAILS:
            continue
        if key == "changes" and isinstance(value, dict):  # facts_corrected
            result.extend(_corrections(value))
        elif key == "regulation_version" and isinstance(value, dict):
            result.extend(_corrections({key: value}))
        elif key in CHANGED_DETAILS and isinstance(value, dict):
            result.append((_(DETAIL_LABELS[key]), _change_text(value)))
        elif value not in (None, "", [], False) or key == "consent":
            label = _(DETAIL_LABELS.get(key, key))
            result.append((label, _detail_text(key, value, regulation, lang)))
    return result


def corrected_facts(rows: list[ComplaintEvent]) -> dict[str, str]:
    """Per corrected fact the mark the facts block shows: "(gecorrigeerd op <last date>)"."""
    last: dict[str, dt.date] = {}
    for row in rows:
        if row.event == Event.FACTS_CORRECTED.value:
            for name in row.payload.get("changes", {}):
                last[name] = row.on
    return {
        name: _("(gecorrigeerd op %(date)s)") % {"date": f"{on:%d-%m-%Y}"}
        for name, on in last.items()
    }


@dataclass(frozen=True)
class ReceiptCorrection:
    """The latest correction of the day of receipt: letters recorded before it (a lower
    sequence) went out with the terms counted from the old day."""

    sequence: int
    on: dt.date
    old: str
    new: str


def receipt_correction(rows: list[ComplaintEvent]) -> ReceiptCorrection | None:
    latest = None
    for row in rows:
        change = row.payload.get("changes", {}).get("received_on")
        if row.event == Event.FACTS_CORRECTED.value and isinstance(change, dict):
            latest = ReceiptCorrection(
                row.sequence, row.on, str(change.get("old") or ""), str(change.get("new") or "")
            )
    return latest


def _overview(
    snapshot: Snapshot, rows: list[ComplaintEvent], all_documents: list[Document], lang: str
) -> list[LogEntry]:
    regulation = snapshot.regulation
    # The role an event was recorded in, as the regulation names it (the log keeps its id).
    roles = {role.id: own_label(role, lang) for role in regulation.roles}
    documents: dict[int | None, list[Document]] = {}  # by event id
    for document in all_documents:
        if document.event_id is not None:
            documents.setdefault(document.event_id, []).append(document)
    entries = [
        LogEntry(
            sequence=row.sequence,
            on=row.on,
            label=event_text(regulation, row.event, lang),
            actor=_("het systeem (volgens het reglement)")
            if row.actor_name == SYSTEM_ACTOR
            else row.actor_name,
            role=roles.get(row.role, row.role),
            details=_details(row.payload, regulation, lang),
            recorded_at=row.recorded_at,
            documents=documents.get(row.pk, []),
        )
        for row in rows
    ]
    # Time-triggered events that are due but not yet in the log (the worker records them).
    for pending in snapshot.history[len(rows) :]:
        entries.append(
            LogEntry(
                sequence=None,
                on=pending.on,
                label=event_text(regulation, pending.event, lang),
                actor=_("het systeem (volgens het reglement)"),
                role=roles.get(pending.role or "", pending.role or ""),
                details=_details(
                    payload_of(pending),
                    regulation,
                    lang,
                ),
                recorded_at=None,
                documents=[],
                pending=True,
            )
        )
    return entries


def _deadlines(
    complaint: Complaint, snapshot: Snapshot, today: dt.date, lang: str
) -> list[DeadlineRow]:
    calendar = calendar_for(complaint)
    result: list[DeadlineRow] = []
    for view in snapshot.deadlines:
        running = not view.settled
        result.append(
            DeadlineRow(
                view=view,
                label=own_label(view, lang),
                status=_(DEADLINE_STATUS_LABELS[view.status]),
                light=light(view.due, today, calendar) if running else None,
                running=running,
            )
        )
    return result


def _todos(snapshot: Snapshot, lang: str) -> list[TodoRow]:
    roles = {role.id: own_label(role, lang) for role in snapshot.regulation.roles}
    return [
        TodoRow(
            view=todo,
            label=own_label(todo, lang),
            kind=_(TODO_KIND_LABELS[todo.kind]),
            status=_(TODO_STATUS_LABELS[todo.status]),
            roles=", ".join(roles.get(role, role) for role in todo.roles),
        )
        for todo in snapshot.todos
    ]


# --- the regulation's path ---------------------------------------------------------------------
#
# The path of a complaint is every step its regulation names: in a role's ``performs``, a term's
# ``starts_on``, ``met_by`` or ``on_expiry``, or a letter's ``step``; plus the steps the engine
# itself always knows (acceptance, the judgement and its letter, closing). The side steps below
# are never on it: they can happen at any time and are not the course of handling. The order is
# the vocabulary's (``regulations.vocabulary.Event``), which follows the course of a complaint
# from receipt to closing; a regulation's file lists its terms and letters in its own order,
# which is not always the order of the steps (Iskander names the overall term before the
# consultation).

# Named by value: a side step the vocabulary does not (yet) have is skipped.
_SIDE_STEP_NAMES = frozenset(
    {
        "withdrawn",
        "escalated",
        "reopened",
        "note_added",
        "external_party_engaged",
        "extended",
        "registration_voided",
        "facts_corrected",
        "todo_done",
        "delivery_date_changed",
    }
)
SIDE_STEPS = frozenset(event for event in Event if event.value in _SIDE_STEP_NAMES)
_ALWAYS_ON_PATH = (Event.ACCEPTED, Event.DECISION_MADE, Event.DECISION_SENT, Event.CLOSED)
# The main line of handling: what "still to come" lists, where the regulation names it.
MAIN_LINE = (
    Event.REGISTERED,
    Event.ACKNOWLEDGED,
    Event.ACCEPTED,
    Event.HANDLER_ASSIGNED,
    Event.COMMITTEE_APPOINTED,
    Event.REFERRED_TO_COMMITTEE,
    Event.COMMITTEE_ADVICE_GIVEN,
    Event.HEARING_HELD,
    Event.HEARING_REPORT_SENT,
    Event.DECISION_MADE,
    Event.DECISION_SENT,
    Event.CLOSED,
)
# Steps that leave the main line: after them only closing is still to come.
_OFF_MAIN_LINE = frozenset(
    {Event.DECLARED_INADMISSIBLE, Event.RESOLVED_INFORMALLY, Event.WITHDRAWN}
)


def path_events(regulation: Regulation) -> list[Event]:
    """The steps of the regulation's path, in the vocabulary's order (above)."""
    named: set[Event] = set(_ALWAYS_ON_PATH)
    for role in regulation.roles:
        named.update(role.performs)
    for deadline in regulation.deadlines:
        named.update(ref.event for ref in (*deadline.starts_on, *deadline.met_by))
        if deadline.on_expiry is not None:
            named.add(deadline.on_expiry.event)
    named.update(letter.step for letter in regulation.letters)
    if any(role.committee is not None for role in regulation.roles):
        named.add(Event.COMMITTEE_APPOINTED)
    return [event for event in Event if event in named and event not in SIDE_STEPS]


@dataclass(frozen=True)
class PathStep:
    label: str
    on: dt.date | None = None  # done: the day it happened
    due: dt.date | None = None  # now: the running term's due date
    light: Light | None = None


@dataclass(frozen=True)
class PathOverview:
    """The regulation's path for this complaint: done (with dates), now (the running terms and
    their due dates), still to come (main-line steps not yet done)."""

    done: list[PathStep]
    now: list[PathStep]
    to_come: list[PathStep]


def _path_overview(snapshot: Snapshot, deadlines: list[DeadlineRow], lang: str) -> PathOverview:
    regulation = snapshot.regulation
    on_path = path_events(regulation)
    done = [
        PathStep(event_text(regulation, item.event, lang), on=item.on)
        for item in snapshot.history
        if item.event in on_path
    ]
    now = [
        PathStep(row.label, due=row.view.due, light=row.light) for row in deadlines if row.running
    ]
    # What happened since the complaint was last (re)opened decides what is still to come.
    since: list[Event] = []
    for item in snapshot.history:
        since = [] if item.event is Event.REOPENED else [*since, item.event]
    if Event.CLOSED in since:
        coming: list[Event] = []
    elif _OFF_MAIN_LINE & set(since):
        coming = [Event.CLOSED]
    else:
        coming = [event for event in MAIN_LINE if event in on_path and event not in since]
    to_come = [PathStep(event_text(regulation, event, lang)) for event in coming]
    return PathOverview(done=done, now=now, to_come=to_come)


@dataclass(frozen=True)
class CostRow:
    """Costs recorded on the complaint: when, what kind, how much (euros), what for."""

    on: dt.date
    kind: str
    amount: Decimal
    description: str


def handler_function(snapshot: Snapshot) -> str | None:
    """The function recorded with the latest handler (Loket3, Handelswijze 2)."""
    for item in reversed(snapshot.history):
        if isinstance(item.details, HandlerDetails):
            return item.details.function
    return None


def _costs(snapshot: Snapshot) -> list[CostRow]:
    return [
        CostRow(
            on=item.on,
            kind=_(OUTCOME_LABELS[item.details.kind]),
            amount=item.details.amount,
            description=item.details.description or "",
        )
        for item in snapshot.history
        if isinstance(item.details, CostsDetails)
    ]


@dataclass(frozen=True)
class ComplaintPage:
    complaint: Complaint
    snapshot: Snapshot  # as of today, or of the last event when that is later
    # The complaint as of its last stored event, when an automatic event is due but not stored:
    # what was allowed then may still be recorded, dated up to ``backdate_until``.
    at_last_event: Snapshot | None
    backdate_until: dt.date | None
    state_label: str
    deadlines: list[DeadlineRow]
    todos: list[TodoRow]
    overview: list[LogEntry]
    people: list[ComplaintPerson]
    documents: list[Document]
    suggested_grounds: list[str]
    path: PathOverview
    handlers: list[str]  # by name: the current handler(s)
    committee: list[str]  # by name: the committee members
    has_committee: bool  # the regulation knows a committee
    # Per fact corrected after registration (facts_corrected): "(gecorrigeerd op …)".
    corrections: dict[str, str]
    # The handler or a committee member who became a subject: why the handling waits.
    impartiality_conflict: str | None = None
    # The latest correction of the day of receipt, to mark the letters sent before it.
    receipt_corrected: ReceiptCorrection | None = None
    # The current handler's function, recorded with the name (Loket3, Handelswijze 2).
    handler_function: str | None = None
    # Costs recorded on the complaint (representation at own cost, travel expenses), in order.
    costs: list[CostRow] = field(default_factory=list)
    # The category as the regulation names it (the stored value is its id).
    category: str = ""


def event_text(regulation: Regulation, event: str, lang: str) -> str:
    return event_label(regulation, EventRef(event=Event(event)), lang)


def complaint_page(complaint: Complaint, today: dt.date, lang: str) -> ComplaintPage:
    rows = list(
        with_personal_data(
            list(complaint.events.order_by("sequence").select_related("actor", "personal_data"))
        )
    )
    lifecycle = lifecycle_of(complaint, rows)
    last_on = lifecycle.progress.last_on or today
    at_last_event = lifecycle.status(last_on)
    snapshot = lifecycle.status(max(today, last_on))
    pending = snapshot.history[len(rows) :]
    deadlines = _deadlines(complaint, snapshot, today, lang)
    handlers, committee = participants_of(complaint)
    # A third party without an account (an external handler) has no participant row: the log
    # names them (issue 16 §2).
    progress = lifecycle.progress
    if progress.handler is not None and progress.handler not in handlers:
        handlers.append(progress.handler)
    committee += [name for name in progress.committee if name not in committee]
    documents = list(complaint.documents.select_related("event", "uploaded_by"))
    return ComplaintPage(
        complaint=complaint,
        snapshot=snapshot,
        at_last_event=at_last_event if pending else None,
        backdate_until=pending[0].on - dt.timedelta(days=1) if pending else None,
        state_label=_(STATE_LABELS[snapshot.state]),
        deadlines=deadlines,
        todos=_todos(snapshot, lang),
        overview=_overview(snapshot, rows, documents, lang),
        people=list(complaint.people.all()),
        documents=documents,
        suggested_grounds=[own_label(s.ground, lang) for s in snapshot.suggested_grounds],
        path=_path_overview(snapshot, deadlines, lang),
        handlers=handlers,
        committee=committee,
        has_committee=any(role.committee is not None for role in snapshot.regulation.roles),
        corrections=corrected_facts(rows),
        impartiality_conflict=(
            snapshot.impartiality_conflict.render(_)
            if snapshot.impartiality_conflict is not None
            else None
        ),
        receipt_corrected=receipt_correction(rows),
        handler_function=handler_function(snapshot),
        costs=_costs(snapshot),
        category=snapshot.regulation.definitions.category_label(complaint.category),
    )


def document_of(complaint: Complaint, pk: int) -> Document | None:
    """One of the complaint's documents; None for another complaint's."""
    return Document.objects.filter(complaint=complaint, pk=pk).first()


def acting_snapshot(complaint: Complaint, today: dt.date) -> Snapshot:
    """The complaint as an action posted today is checked against: as of today, or of its last
    event when that is later."""
    lifecycle = lifecycle_of(complaint)
    return lifecycle.status(max(today, lifecycle.progress.last_on or today))


def complaint_regulation(complaint: Complaint) -> Regulation:
    """The regulation (version) the complaint is handled under."""
    return regulation_of(complaint)
