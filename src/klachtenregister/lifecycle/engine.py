"""The lifecycle engine: one complaint's events, replayed under its regulation.

One engine serves every regulation: the regulation's data says which terms start, what meets
or cancels them, who may act and what is allowed (docs/lifecycle.md). The engine is pure and
deterministic: the same regulation, facts and events always give the same result.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from klachtenregister.calendars import WorkingDayCalendar
from klachtenregister.calendars.units import Duration, DurationUnit
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.deadlines import DeadlineStatus, DeadlineTrack, ExtensionRecord
from klachtenregister.lifecycle.events import (
    SYSTEM_ACTOR,
    EventRecord,
    ExtensionDetails,
    FactsCorrectedDetails,
    NoteDetails,
    TermAgreedDetails,
    TodoDoneDetails,
    details_model,
)
from klachtenregister.lifecycle.progress import ComplaintFacts, Progress
from klachtenregister.lifecycle.refusals import Refusal, Refused
from klachtenregister.lifecycle.rules import GroundSuggestion, Rules, roles_for
from klachtenregister.lifecycle.states import State
from klachtenregister.lifecycle.todos import (
    WRITTEN_FORM_LABEL,
    WRITTEN_FORM_TODO,
    TodoKind,
    TodoTrack,
    TodoView,
)
from klachtenregister.regulations.schema import Deadline, EventRef, Regulation
from klachtenregister.regulations.terms import calendar_of, terms_of
from klachtenregister.regulations.vocabulary import DeadlineKind, Event, Party

ONE_DAY = dt.timedelta(days=1)
# A hearing report sent for signature, until it is returned (issue 14 §4).
SIGNATURE_TODO = "hearing_report_signature"
SIGNATURE_LABEL = "Verslag van het horen wacht op ondertekening"
SIGNATURE_LABEL_EN = "Hearing report awaiting signature"
# The reason an agreed new term shows where the agreement names none.
AGREED_REASON = "nieuwe termijn afgesproken met de klager"
# Events that end every running term: nothing is owed on a withdrawn, closed or voided complaint.
ENDS_ALL_TERMS = frozenset({Event.WITHDRAWN, Event.CLOSED, Event.REGISTRATION_VOIDED})
# Terms about judging a complaint, which lapse when it is not taken into treatment, whether or
# not the regulation lists `declared_inadmissible` under their `cancelled_by`.
JUDGING_KINDS = frozenset(
    {DeadlineKind.DECISION, DeadlineKind.SERVICE_NORM, DeadlineKind.COMMITTEE_ADVICE}
)


@dataclass(frozen=True)
class DeadlineView:
    """A deadline of this complaint as of a date; ``rule`` is the regulation's deadline."""

    rule: Deadline
    started_by: Event
    start: dt.date
    due: dt.date
    status: DeadlineStatus
    met_on: dt.date | None
    extensions: tuple[ExtensionRecord, ...]
    settled: bool = False  # met or cancelled: nothing more can happen to it

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def kind(self) -> DeadlineKind:
        return self.rule.kind

    @property
    def label(self) -> str:
        return self.rule.label

    @property
    def label_en(self) -> str | None:
        return self.rule.label_en

    @property
    def source(self) -> str:
        return self.rule.source

    @property
    def binding(self) -> bool:
        return self.rule.binding


@dataclass(frozen=True)
class AllowedEvent:
    """An event the complaint's progress allows now, and the roles that may record it."""

    event: Event
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Snapshot:
    regulation: Regulation
    as_of: dt.date
    state: State
    deadlines: tuple[DeadlineView, ...]
    allowed: tuple[AllowedEvent, ...]
    suggested_grounds: tuple[GroundSuggestion, ...]
    history: tuple[EventRecord, ...]
    # The handler or a committee member who is now a subject (a corrected subject list): the
    # handling waits until they are replaced (Rules.impartiality_conflict).
    impartiality_conflict: Refusal | None = None
    # Duties without a term (notifications, a missed term's notice), open and done.
    todos: tuple[TodoView, ...] = ()
    # Received on a channel the regulation does not take (or orally where it wants writing)
    # and not put in writing since: registered, flagged, and handled as the regulation says.
    awaits_writing: bool = False
    # The further handling stage the complaint is in (an id of handling.stages), if any.
    stage: str | None = None

    @property
    def open_todos(self) -> tuple[TodoView, ...]:
        return tuple(todo for todo in self.todos if todo.is_open)

    def deadline(self, deadline_id: str) -> DeadlineView:
        """The latest instance of a deadline; KeyError if it has not started (or applied)."""
        for view in reversed(self.deadlines):
            if view.id == deadline_id:
                return view
        raise KeyError(deadline_id)

    def may(self, event: Event | str) -> bool:
        return any(item.event == event for item in self.allowed)


class Lifecycle:
    """One complaint under one regulation; events go in through :meth:`apply`."""

    def __init__(
        self,
        regulation: Regulation,
        facts: ComplaintFacts | None = None,
        calendar: WorkingDayCalendar | None = None,
    ) -> None:
        self.regulation = regulation
        self.facts = facts or ComplaintFacts()
        self.calendar = calendar or calendar_of(regulation)
        self.rules = Rules(regulation, self.calendar, self.facts)
        # With the advisory Awb 9:11 target where the regulation states no decision term.
        self.terms = terms_of(regulation)
        self.progress = Progress(
            accepted_channels=frozenset(regulation.definitions.channels.accepted)
        )
        self.tracks: list[DeadlineTrack] = []
        self.todos: list[TodoTrack] = []
        self.history: list[EventRecord] = []

    # --- events -------------------------------------------------------------------------------

    def refusal(self, record: EventRecord) -> Refusal | None:
        """Why ``record`` would be refused now, without changing anything."""
        trial = self.trial()
        try:
            trial.apply(record)
        except Refused as exc:
            return exc.refusal
        return None

    def trial(self) -> Lifecycle:
        """A copy to try an event on; the regulation and calendar are shared, not copied."""
        trial = copy.copy(self)
        trial.progress = self.progress.copy()
        trial.tracks = [track.copy() for track in self.tracks]
        trial.todos = [todo.copy() for todo in self.todos]
        trial.history = list(self.history)
        return trial

    def apply(self, record: EventRecord) -> list[EventRecord]:
        """Record an event; returns what was recorded, time-triggered events first.

        Raises :class:`Refused` (and changes nothing but the time-triggered events that were
        due before the event's date) when the regulation does not allow it now.
        """
        last_on = self.progress.last_on
        if last_on is not None and record.on < last_on:
            # Before anything time-triggered is carried out up to a date that is wrong anyway.
            raise Refused(Refusal(R.BEFORE_PREVIOUS, {"date": record.on, "previous": last_on}))
        if record.role == SYSTEM_ACTOR:
            return self._restore_automatic(record)
        fired = self.advance(record.on)
        self._missed_todos(record.on)
        refusal = (
            self.rules.state_refusal(self.progress, record.event, record.on)
            or self.rules.role_refusal(record)
            or self.rules.detail_refusal(self.progress, self.tracks, record)
            or self._todo_refusal(record)
        )
        if refusal is not None:
            raise Refused(refusal)
        self._take(record)
        return [*fired, record]

    def _restore_automatic(self, record: EventRecord) -> list[EventRecord]:
        """Take back a time-triggered event from a stored history, as the rule that made it.

        Refused unless the regulation's rules carry out exactly this event on this day.
        """
        refusal = self.rules.role_refusal(record)
        if refusal is not None:
            raise Refused(refusal)
        fired = self.advance(record.on, stored=record)
        if not self.history or self.history[-1] is not record:
            raise Refused(
                Refusal(R.NOT_DUE_AUTOMATICALLY, {"event": record.event, "date": record.on})
            )
        return fired

    def advance(self, until: dt.date, stored: EventRecord | None = None) -> list[EventRecord]:
        """Carry out the time-triggered rules that take effect on or before ``until``: the day
        after their term ran out unmet.

        ``stored`` is the same event read back from a stored history: it is taken instead of a
        new one, and not returned.
        """
        fired = []
        while (
            self.progress.received is not None
            and self.progress.closed_on is None
            and self.progress.voided_on is None
        ):
            expired = [
                t
                for t in self.tracks
                if t.rule.on_expiry is not None
                and t.applies
                and not t.settled
                and t.due + ONE_DAY <= until
                # The rule acts only where a person could: the same checks as by hand.
                and self._automatic_allowed(t)
            ]
            if not expired:
                break
            track = min(expired, key=lambda t: (t.due, t.order))
            system_event = self._expiry_event(track)
            is_stored = stored is not None and (stored.on, stored.event) == (
                system_event.on,
                system_event.event,
            )
            if is_stored:
                assert stored is not None
                system_event, stored = stored, None
            self._take(system_event)
            if not track.settled:
                track.cancelled_on = system_event.on  # after due: it stays 'missed'
            if not is_stored:
                fired.append(system_event)
        return fired

    def _automatic_allowed(self, track: DeadlineTrack) -> bool:
        assert track.rule.on_expiry is not None
        on = max(track.due + ONE_DAY, self.progress.last_on or track.due)
        event = track.rule.on_expiry.event
        return self.rules.state_refusal(self.progress, event, on) is None

    def _expiry_event(self, track: DeadlineTrack) -> EventRecord:
        action = track.rule.on_expiry
        assert action is not None
        # The term ends at the end of its due date; the rule takes effect the day after.
        on = max(track.due + ONE_DAY, self.progress.last_on or track.due)
        model = details_model(action.event)
        text_field = "reason" if "reason" in model.model_fields else "note"
        details = model.model_validate({"role": SYSTEM_ACTOR, text_field: action.reason})
        return EventRecord(on, action.event, details)

    def _take(self, record: EventRecord) -> None:
        # A term missed before this event owes its notice before the event can carry it out.
        self._missed_todos(record.on)
        self.progress.note(record)
        self.history.append(record)
        on = record.on
        if isinstance(record.details, ExtensionDetails):
            self._extend(record, record.details)
        if isinstance(record.details, FactsCorrectedDetails):
            self._correct(record.details)
        if isinstance(record.details, TermAgreedDetails):
            self._agree_term(record, record.details)
        if isinstance(record.details, NoteDetails) and record.details.cleared:
            # Members confirmed to be someone else than the subject whose name they resemble.
            cleared = self.facts.subject_ids - set(record.details.cleared)
            self.facts = replace(self.facts, subject_ids=cleared)
            self.rules = Rules(self.regulation, self.calendar, self.facts)
        for track in self.tracks:
            if track.settled:
                continue
            if track.applies and _any_match(record, track.rule.met_by):
                track.met_on = on
            elif _cancels(record, track.rule):
                track.cancelled_on = on
                # A registration made by mistake owed nothing: even an overdue term is not
                # counted as missed.
                track.voided = record.event is Event.REGISTRATION_VOIDED
            elif not track.applies and track.rule.applies_when is not None:
                track.applies = record.matches(track.rule.applies_when)
        self._start_terms(record)
        self._note_todos(record)
        self._note_agreements(record)
        self._intake_todos(record)

    # --- to-dos: duties without a term ---------------------------------------------------------

    def _todo_refusal(self, record: EventRecord) -> Refusal | None:
        if not isinstance(record.details, TodoDoneDetails):
            return None
        if any(t.is_open and t.id == record.details.todo for t in self.todos):
            return None
        open_ids = [t.id for t in self.todos if t.is_open]
        return Refusal(R.NO_SUCH_TODO, {"todo": record.details.todo, "open": open_ids})

    def _note_todos(self, record: EventRecord) -> None:
        """The to-dos this event carries out, lets lapse or starts."""
        details = record.details
        if isinstance(details, TodoDoneDetails):
            todo = next(t for t in self.todos if t.is_open and t.id == details.todo)
            todo.done_on, todo.done_with = record.on, record.event
        for todo in self.todos:
            if todo.is_open and _any_match(record, todo.done_by):
                todo.done_on, todo.done_with = record.on, record.event
            elif todo.is_open and record.event is Event.REGISTRATION_VOIDED:
                todo.lapsed_on = record.on
        if self.progress.voided_on is not None:
            return
        for notification in self.regulation.notifications:
            if not record.matches(notification.on):
                continue
            condition = notification.condition
            if condition is not None and not self.progress.holds(condition, self.facts):
                continue
            if any(t.is_open and t.id == notification.id for t in self.todos):
                continue
            self._add_todo(
                TodoTrack(
                    id=notification.id,
                    kind=TodoKind.NOTIFICATION,
                    label=notification.label,
                    label_en=None,
                    source=notification.source,
                    notify=tuple(notification.notify),
                    done_by=tuple(notification.done_by),
                    roles=self._todo_roles(notification.done_by),
                    created_on=record.on,
                    created_by=record.event,
                    seq=0,
                )
            )

    def _intake_todos(self, record: EventRecord) -> None:
        """Intake (issue 14 §3): a complaint received on a channel the regulation does not take,
        or orally where it wants writing, is registered and owes the to-do "ask for it in
        writing" (its letter: written_form_requested); putting it in writing carries it out.
        A channel corrected afterwards (facts_corrected) to one that wants writing owes it too,
        once."""
        details = record.details
        corrected_channel = isinstance(details, FactsCorrectedDetails) and (
            "channel" in details.changes
        )
        if record.event is not Event.RECEIVED and not corrected_channel:
            return
        if not self.rules.written_form_todo(self.progress):
            return
        if any(todo.id == WRITTEN_FORM_TODO for todo in self.todos):
            return
        self._add_todo(
            TodoTrack(
                id=WRITTEN_FORM_TODO,
                kind=TodoKind.WRITTEN_FORM,
                label=WRITTEN_FORM_LABEL[0],
                label_en=WRITTEN_FORM_LABEL[1],
                source=self.regulation.definitions.channels.source,
                notify=(Party.COMPLAINANT,),
                done_by=(EventRef(event=Event.COMPLAINT_PUT_IN_WRITING),),
                roles=self._todo_roles([EventRef(event=Event.WRITTEN_FORM_REQUESTED)]),
                created_on=record.on,
                created_by=record.event,
                seq=0,
            )
        )

    def _missed_todos(self, until: dt.date) -> None:
        """A missed term whose regulation says who must be told (``if_missed``) becomes a to-do
        the day after it ran out; a notice sent before then already did the duty."""
        for track in self.tracks:
            action = track.rule.if_missed
            if action is None or track.missed_todo or not track.applies:
                continue
            told_in_time = any(
                track.start <= h.on <= track.due and _any_match(h, action.done_by)
                for h in self.history
            )
            if told_in_time:
                track.missed_todo = True
                continue
            if track.status(until) is not DeadlineStatus.MISSED:
                continue
            track.missed_todo = True
            self._add_todo(
                TodoTrack(
                    id=track.rule.id,
                    kind=TodoKind.IF_MISSED,
                    label=track.rule.label,
                    label_en=track.rule.label_en,
                    source=action.source,
                    notify=tuple(action.notify),
                    done_by=tuple(action.done_by),
                    roles=self._todo_roles(action.done_by),
                    created_on=track.due + ONE_DAY,
                    created_by=track.started_by,
                    seq=0,
                )
            )

    # --- consent and agreements (issue 14 §4) ---------------------------------------------------

    def _note_agreements(self, record: EventRecord) -> None:
        """A hearing report sent for signature waits for its return: a to-do until it comes back
        signed or with comments (SmartPLUS Punt 6; Loket3 Handelswijze 4)."""
        if record.event is not Event.HEARING_REPORT_SENT or self.progress.voided_on is not None:
            return
        hearing = self.rules.hearing(self.progress)
        report = hearing.report if hearing is not None else None
        if report is None or not report.for_signature:
            return
        done_by = (EventRef(event=Event.HEARING_REPORT_RETURNED),)
        self._add_todo(
            TodoTrack(
                id=SIGNATURE_TODO,
                kind=TodoKind.SIGNATURE,
                label=SIGNATURE_LABEL,
                label_en=SIGNATURE_LABEL_EN,
                source=report.source,
                notify=tuple(report.recipients),
                done_by=done_by,
                roles=self._todo_roles(done_by),
                created_on=record.on,
                created_by=record.event,
                seq=0,
            )
        )

    def _agree_term(self, record: EventRecord, details: TermAgreedDetails) -> None:
        """The term moves to the date agreed with the complainant; it counts as extended."""
        target = self.rules.extension_target(self.tracks, details)
        assert isinstance(target, DeadlineTrack), "checked by the rules before"
        target.extensions.append(
            ExtensionRecord(
                on=record.on,
                by=Duration((details.due - target.due).days, DurationUnit.DAYS),
                reason=details.reason or AGREED_REASON,
                consent=True,
                previous_due=target.due,
                new_due=details.due,
                agreed=True,
            )
        )
        target.due = details.due

    def _agreeable(self, on: dt.date) -> bool:
        return any(
            t.rule.extension is not None and t.rule.extension.by_agreement and t.is_running(on)
            for t in self.tracks
        )

    def _add_todo(self, todo: TodoTrack) -> None:
        todo.seq = len(self.todos)
        self.todos.append(todo)

    def _todo_roles(self, done_by: Sequence[EventRef]) -> tuple[str, ...]:
        events = [ref.event for ref in done_by] or [Event.TODO_DONE]
        roles = [role.id for event in events for role in roles_for(self.regulation, event)]
        return tuple(dict.fromkeys(roles))

    def erased(self) -> None:
        """The complaint's personal data was erased (AVG) after everything its log holds: from
        now on it cannot be reopened. Not a fact at receipt, so a reopening replayed from
        before the erasure stands."""
        self.facts = replace(self.facts, erased=True)
        self.rules = Rules(self.regulation, self.calendar, self.facts)

    def _correct(self, details: FactsCorrectedDetails) -> None:
        """Corrected facts the rules and terms read: the people the complaint is about (the
        impartiality rules read them from now on) and the day of receipt (the terms that
        started at receipt are counted again from it). What happened before the correction
        stays as it was recorded."""
        subjects = details.subjects
        if subjects is not None:
            # New objects, not changed ones: a trial copy shares the original's rules.
            ids = self.facts.subject_ids
            if details.subject_ids is not None:
                ids = frozenset(details.subject_ids.new)
            self.facts = replace(self.facts, subjects=subjects, subject_ids=ids)
            self.rules = Rules(self.regulation, self.calendar, self.facts)
        received_on = details.received_on
        if received_on is not None:
            for track in self.tracks:
                if track.started_by is Event.RECEIVED:
                    self._recount(track, received_on)

    def _recount(self, track: DeadlineTrack, start: dt.date) -> None:
        """A term counted again from a corrected start, with its extensions on top in order."""
        due = self.calendar.add(start, track.rule.duration.as_duration())
        extensions = []
        for extension in track.extensions:
            new_due = self.calendar.add(due, extension.by)
            if extension.agreed and extension.new_due > due:
                new_due = extension.new_due  # the date agreed with the complainant stands
            extensions.append(replace(extension, previous_due=due, new_due=new_due))
            due = new_due
        track.start, track.due, track.extensions = start, due, extensions

    def _extend(self, record: EventRecord, details: ExtensionDetails) -> None:
        target = self.rules.extension_target(self.tracks, details)
        assert isinstance(target, DeadlineTrack), "checked by the rules before"
        new_due = self.rules.extended_due(target, details)
        target.extensions.append(
            ExtensionRecord(
                on=record.on,
                by=details.by.as_duration(),
                reason=details.reason,
                consent=details.consent,
                previous_due=target.due,
                new_due=new_due,
            )
        )
        target.due = new_due

    def _start_terms(self, record: EventRecord) -> None:
        # "In behandeling zodra de klacht op schrift staat": a complaint that came in on another
        # channel starts the terms counted from receipt only when it is put in writing.
        in_writing_required = self.regulation.definitions.channels.in_writing_required
        deferred = (
            in_writing_required
            and record.event is Event.RECEIVED
            and self.rules.awaits_writing(self.progress)
        )
        for order, rule in enumerate(self.terms):
            if deferred and rule.starts_at_receipt:
                continue
            put_in_writing = (
                in_writing_required
                and record.event is Event.COMPLAINT_PUT_IN_WRITING
                and rule.starts_at_receipt
            )
            if not (put_in_writing or _any_match(record, rule.starts_on)):
                continue
            earlier = [t for t in self.tracks if t.rule is rule]
            # A term counts from the first of its starting events; only the same kind of event
            # after the term was settled (a second hearing) starts it again.
            if earlier and not (earlier[-1].settled and earlier[-1].started_by is record.event):
                continue
            self.tracks.append(
                DeadlineTrack(
                    rule=rule,
                    order=order,
                    start=record.on,
                    started_by=record.event,
                    due=self.calendar.add(record.on, rule.duration.as_duration()),
                    applies=self._applies(rule),
                    not_applicable=self._unreachable(rule),
                )
            )

    def _unreachable(self, rule: Deadline) -> bool:
        """A term whose only act is a letter to the complainant, who is anonymous and left no
        e-mail or postal address: in every regulation, whether or not it takes anonymous
        complaints, such a term is neither met nor missed but not applicable. The act is the
        term's letters (a copy goes with its letter, so it does not count) or, where no letter
        is tied to the term, the parties it notifies."""
        if self.progress.received is None or not self.progress.received_details.anonymous:
            return False
        if self.facts.anonymous_contact:
            return False
        only_complainant = {Party.COMPLAINANT}
        letters = [letter for letter in self.regulation.letters if letter.deadline == rule.id]
        if letters:
            return all(set(letter.recipients) <= only_complainant for letter in letters)
        return bool(rule.notify) and set(rule.notify) <= only_complainant

    def _applies(self, rule: Deadline) -> bool:
        condition = rule.applies_when
        return condition is None or any(h.matches(condition) for h in self.history)

    # --- status -------------------------------------------------------------------------------

    def status(self, as_of: dt.date) -> Snapshot:
        """The complaint as of ``as_of``, after the time-triggered rules due by then."""
        self.advance(as_of)
        self._missed_todos(as_of)
        return Snapshot(
            regulation=self.regulation,
            as_of=as_of,
            state=self.progress.state,
            deadlines=tuple(self._views(as_of)),
            allowed=tuple(self._allowed(as_of)),
            suggested_grounds=tuple(
                self.rules.suggested_grounds(self.progress, self.tracks, as_of)
            ),
            history=tuple(self.history),
            impartiality_conflict=(
                None
                if self.progress.received is None
                or self.progress.closed_on is not None
                or self.progress.voided_on is not None
                else self.rules.impartiality_conflict(self.progress)
            ),
            todos=tuple(
                todo.view() for todo in sorted(self.todos, key=lambda t: (t.created_on, t.seq))
            ),
            awaits_writing=(
                self.progress.received is not None and self.rules.flagged_channel(self.progress)
            ),
            stage=self.progress.stage,
        )

    def _views(self, as_of: dt.date) -> Iterable[DeadlineView]:
        shown = [t for t in self.tracks if t.applies]
        for track in sorted(shown, key=lambda t: (t.start, t.order)):
            yield DeadlineView(
                rule=track.rule,
                started_by=track.started_by,
                start=track.start,
                due=track.due,
                status=track.status(as_of),
                met_on=track.met_on,
                extensions=tuple(track.extensions),
                settled=track.settled,
            )

    def _allowed(self, on: dt.date) -> Iterable[AllowedEvent]:
        for event in Event:
            if self.rules.state_refusal(self.progress, event, on) is not None:
                continue
            if event is Event.EXTENDED and not self._extendable(on):
                continue
            if event is Event.TODO_DONE and not any(t.is_open for t in self.todos):
                continue
            if event is Event.TERM_AGREED and not self._agreeable(on):
                continue
            roles = tuple(role.id for role in roles_for(self.regulation, event))
            yield AllowedEvent(event, roles)

    def _extendable(self, on: dt.date) -> bool:
        return any(t.rule.extension is not None and t.is_running(on) for t in self.tracks)


def _any_match(record: EventRecord, refs: Sequence[EventRef]) -> bool:
    return any(record.matches(ref) for ref in refs)


def _cancels(record: EventRecord, rule: Deadline) -> bool:
    if record.event in ENDS_ALL_TERMS or _any_match(record, rule.cancelled_by):
        return True
    return record.event is Event.DECLARED_INADMISSIBLE and rule.kind in JUDGING_KINDS


@dataclass(frozen=True)
class RefusedEvent:
    index: int
    record: EventRecord
    refusal: Refusal


@dataclass(frozen=True)
class Replay:
    snapshot: Snapshot
    refused: RefusedEvent | None


def replay(
    regulation: Regulation,
    events: Sequence[EventRecord],
    facts: ComplaintFacts | None = None,
    as_of: dt.date | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> Replay:
    """Replay ``events`` in order; the first refused event stops the replay.

    ``as_of`` (default: the date of the last event) is the date the status is evaluated on;
    time-triggered rules run up to it. It may not lie before the last event.
    """
    if not events:
        raise ValueError("a complaint's history starts with an event: there are none")
    last = max(record.on for record in events)
    if as_of is None:
        as_of = last
    elif as_of < last:
        raise ValueError(
            f"the evaluation date {as_of.isoformat()} lies before the last event "
            f"({last.isoformat()})"
        )
    lifecycle = Lifecycle(regulation, facts, calendar)
    refused = None
    for index, record in enumerate(events):
        try:
            lifecycle.apply(record)
        except Refused as exc:
            refused = RefusedEvent(index, record, exc.refusal)
            break
    return Replay(lifecycle.status(as_of), refused)
