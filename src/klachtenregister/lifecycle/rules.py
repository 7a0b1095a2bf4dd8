"""The rules that decide whether an event is allowed now, read from the regulation.

Two questions per event: does the complaint's progress allow this kind of event now
(:meth:`Rules.state_refusal`, also used to list what may happen next), and do this event's
details hold under the regulation (:meth:`Rules.detail_refusal`: impartiality, grounds,
extensions, ...). Each returns a :class:`Refusal` or None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from klachtenregister.calendars import WorkingDayCalendar
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.deadlines import DeadlineTrack
from klachtenregister.lifecycle.events import (
    SYSTEM_ACTOR,
    CommitteeDetails,
    CompletionRequestedDetails,
    CostsDetails,
    EscalationDetails,
    EventRecord,
    ExtensionDetails,
    FactsCorrectedDetails,
    HandlerDetails,
    InadmissibleDetails,
    StageDetails,
    TermAgreedDetails,
)
from klachtenregister.lifecycle.identity import among, name_key
from klachtenregister.lifecycle.progress import ComplaintFacts, Progress
from klachtenregister.lifecycle.refusals import Refusal
from klachtenregister.regulations.schema import Ground, Hearing, Regulation, Role, Stage
from klachtenregister.regulations.vocabulary import (
    AdviceForce,
    Channel,
    Condition,
    DeadlineKind,
    Event,
    Impartiality,
    LimitAnchor,
    RoleKind,
)

# Impartiality rules that exclude everyone involved in the conduct, not only its subjects: one
# cannot be "at sufficient distance" from what one took part in (SmartPLUS Punt 6).
DISTANT = frozenset({Impartiality.NOT_INVOLVED, Impartiality.SUFFICIENT_DISTANCE})
# Events that may still be recorded after a complaint is closed or withdrawn (a phone call
# after closing is still noted).
# A to-do (a duty without a term) may still be carried out: a founded complaint's action, the
# people told, outlast the closure.
# A letter's delivery date is entered when the post arrives, whatever happened since.
AFTER_CLOSURE = frozenset(
    {
        Event.REOPENED,
        Event.ESCALATED,
        Event.NOTE_ADDED,
        Event.TODO_DONE,
        Event.DELIVERY_DATE_CHANGED,
    }
)
AFTER_WITHDRAWAL = frozenset(
    {
        Event.CLOSED,
        Event.ESCALATED,
        Event.NOTE_ADDED,
        Event.TODO_DONE,
        Event.DELIVERY_DATE_CHANGED,
    }
)
# A voided registration takes nothing more but notes (who called about the duplicate), and the
# delivery of a letter already sent.
AFTER_VOIDING = frozenset({Event.NOTE_ADDED, Event.DELIVERY_DATE_CHANGED})
# Events the register records itself with another record (a letter's delivery date with the
# letter), never offered as a step of their own.
RECORDED_WITH_A_LETTER = frozenset({Event.DELIVERY_DATE_CHANGED})
# What may still be recorded while the handler or a committee member is among the complaint's
# subjects after a correction (Rules.impartiality_conflict): replacing them, correcting the
# facts again, a note, and what the complainant or the register does regardless of who handles
# (withdrawing, escalating, voiding a mistaken registration). Every other step waits.
WHILE_PARTIAL = frozenset(
    {
        Event.HANDLER_ASSIGNED,
        Event.COMMITTEE_APPOINTED,
        Event.FACTS_CORRECTED,
        Event.NOTE_ADDED,
        Event.TODO_DONE,
        Event.DELIVERY_DATE_CHANGED,
        Event.WITHDRAWN,
        Event.ESCALATED,
        Event.REGISTRATION_VOIDED,
    }
)
# Events that may be recorded once per treatment (a reopening starts a new one).
ONCE = frozenset(
    {
        Event.REGISTERED,
        Event.ACKNOWLEDGED,
        Event.INADMISSIBILITY_NOTICE_SENT,
        Event.REFERRED_TO_COMMITTEE,
        Event.COMMITTEE_ADVICE_GIVEN,
        Event.RESOLVED_INFORMALLY,
        Event.DECISION_SENT,
        Event.WITHDRAWN,
    }
)
# Steps that need the committee where the regulation appoints it on a fixed event (issue 14 §3):
# the acknowledgement names its members; the committee judges or advises.
NEED_APPOINTED_COMMITTEE = frozenset(
    {Event.ACKNOWLEDGED, Event.DECISION_MADE, Event.COMMITTEE_ADVICE_GIVEN}
)
# Steps of the handling itself, which have no place once a complaint is not taken.
HANDLING_STEPS = frozenset(
    {
        Event.HANDLER_ASSIGNED,
        Event.COMMITTEE_APPOINTED,
        Event.EXTERNAL_PARTY_ENGAGED,
        Event.CONSULTATION_HELD,
        Event.REFERRED_TO_COMMITTEE,
        Event.COMMITTEE_ADVICE_GIVEN,
        Event.HEARING_INVITATION_SENT,
        Event.HEARING_HELD,
        Event.HEARING_DECLINED,
        Event.DECISION_MADE,
        Event.MEASURES_RECORDED,
        Event.RESOLVED_INFORMALLY,
        Event.STAGE_STARTED,
    }
)
# Events the core lifecycle knows whatever the regulation says (docs/lifecycle.md): these are
# always offered where the progress allows them; every other event only where the regulation
# speaks of it (known_events).
CORE_EVENTS = frozenset(
    {
        Event.RECEIVED,
        Event.REGISTERED,
        Event.ACKNOWLEDGED,
        Event.ACCEPTED,
        Event.DECLARED_INADMISSIBLE,
        Event.HANDLER_ASSIGNED,
        Event.DECISION_MADE,
        Event.DECISION_SENT,
        Event.MEASURES_RECORDED,
        Event.EXTENDED,
        Event.WITHDRAWN,
        Event.CLOSED,
        Event.ESCALATED,
        Event.REOPENED,
        Event.NOTE_ADDED,
        Event.REGISTRATION_VOIDED,
        Event.FACTS_CORRECTED,
        Event.TODO_DONE,
        # Recorded by the register when a letter sent by post is delivered, whatever the
        # regulation says (never offered as a step).
        Event.DELIVERY_DATE_CHANGED,
    }
)
HEARING_EVENTS = frozenset(
    {Event.HEARING_INVITATION_SENT, Event.HEARING_HELD, Event.HEARING_DECLINED}
)
COMMITTEE_EVENTS = frozenset(
    {Event.COMMITTEE_APPOINTED, Event.REFERRED_TO_COMMITTEE, Event.COMMITTEE_ADVICE_GIVEN}
)
# Consent and agreements (issue 14 §4): the steps of handling a complaint that the organisation
# takes only with the complainant's consent where the regulation asks for it (Iskander,
# stroomschema rij 2); without consent an external party is engaged first.
INTERNAL_HANDLING = frozenset(
    {
        Event.HEARING_INVITATION_SENT,
        Event.HEARING_HELD,
        Event.HEARING_DECLINED,
        Event.HEARING_REPORT_SENT,
        Event.DECISION_MADE,
    }
)


@dataclass(frozen=True)
class GroundSuggestion:
    """A ground not to take the complaint that its own facts point to; a person decides."""

    ground: Ground
    limit_date: dt.date | None = None  # the last day the complaint was in time


def roles_for(regulation: Regulation, event: Event) -> list[Role]:
    """Who may record ``event``: the roles that list it under ``performs``.

    Where no role lists it, the regulation leaves it to whoever keeps the register: the
    coordinator; without one, the roles that handle complaints. A note is left to every role
    but the employees complained about.
    """
    listed = [role for role in regulation.roles if event in role.performs]
    if listed:
        return listed
    if event in (Event.NOTE_ADDED, Event.DELIVERY_DATE_CHANGED):
        # Whoever takes part in handling hears from the complainant and notes it (or the post
        # that arrived); the people a complaint is about do not write in its file.
        return [role for role in regulation.roles if role.kind is not RoleKind.EMPLOYEE]
    coordinators = [role for role in regulation.roles if role.kind is RoleKind.COORDINATOR]
    if coordinators:
        return coordinators
    return [role for role in regulation.roles if role.id in regulation.handling.handled_by]


def known_events(regulation: Regulation) -> frozenset[Event]:
    """The events this regulation knows: the core lifecycle's, every event it names (a term, a
    letter, a notification, a role's tasks, a display name) and the steps of the parts it has
    (a hearing, a committee, an external party, informal resolution, intake in writing,
    required contents, further stages). Only these are offered; a regulation that never speaks
    of a registered letter or a progress notice does not offer them."""
    known: set[Event] = set(CORE_EVENTS)
    for deadline in regulation.deadlines:
        refs = [*deadline.starts_on, *deadline.met_by, *deadline.cancelled_by]
        if deadline.applies_when is not None:
            refs.append(deadline.applies_when)
        if deadline.if_missed is not None:
            refs.extend(deadline.if_missed.done_by)
        known.update(ref.event for ref in refs)
        if deadline.on_expiry is not None:
            known.add(deadline.on_expiry.event)
    for notification in regulation.notifications:
        known.add(notification.on.event)
        known.update(ref.event for ref in notification.done_by)
    known.update(letter.step for letter in regulation.letters)
    for role in regulation.roles:
        known.update(role.performs)
        if role.committee is not None and role.committee.appointed_on is not None:
            known.add(role.committee.appointed_on)
    known.update(regulation.event_labels)
    handling = regulation.handling
    hearings = [handling.hearing, *(stage.hearing for stage in handling.stages)]
    for hearing in hearings:
        if hearing is not None:
            known.update(HEARING_EVENTS)
            if hearing.report is not None:
                known.add(Event.HEARING_REPORT_SENT)
    if provides_for_committee(regulation):
        known.update(COMMITTEE_EVENTS)
    if provides_for_external_party(regulation):
        known.add(Event.EXTERNAL_PARTY_ENGAGED)
    if handling.informal_resolution is not None and handling.informal_resolution.allowed:
        known.update({Event.CONSULTATION_HELD, Event.RESOLVED_INFORMALLY})
    channels = regulation.definitions.channels
    if channels.in_writing_required or channels.written_form_requested:
        known.add(Event.COMPLAINT_PUT_IN_WRITING)
    if regulation.definitions.required_contents is not None:
        known.update({Event.COMPLETION_REQUESTED, Event.COMPLAINT_COMPLETED})
    if handling.stages:
        known.add(Event.STAGE_STARTED)
    # Consent and agreements (issue 14 §4): only where the regulation has the parts for them.
    if handling.external_party is not None and handling.external_party.consent_required:
        known.add(Event.CONSENT_RECORDED)
    if any(d.extension is not None and d.extension.by_agreement for d in regulation.deadlines):
        known.add(Event.TERM_AGREED)
    if any(h is not None and h.report is not None and h.report.for_signature for h in hearings):
        known.add(Event.HEARING_REPORT_RETURNED)
    if cost_kinds(regulation):
        known.add(Event.COSTS_RECORDED)
    # Intake (issue 14 §3): where a complaint may come in not in writing as the regulation
    # wants it, it is asked to be put in writing and then is.
    if wants_writing(regulation):
        known.update({Event.WRITTEN_FORM_REQUESTED, Event.COMPLAINT_PUT_IN_WRITING})
    return frozenset(known)


def cost_kinds(regulation: Regulation) -> list[str]:
    """The costs a regulation speaks of: representation at the complainant's own cost
    (Iskander), travel expenses reimbursed for the hearing (SmartPLUS Punt 6)."""
    kinds = []
    representation = regulation.definitions.representation
    if representation is not None and representation.at_own_cost:
        kinds.append("representation")
    handling = regulation.handling
    hearings = [handling.hearing, *(stage.hearing for stage in handling.stages)]
    if any(h is not None and h.travel_expenses is not None for h in hearings):
        kinds.append("travel")
    return kinds


def wants_writing(regulation: Regulation) -> bool:
    """The regulation asks for a complaint in writing (or takes it only in writing), or does
    not take every channel: a complaint on another channel is asked to be put in writing."""
    channels = regulation.definitions.channels
    return (
        channels.in_writing_required
        or channels.written_form_requested
        or not set(Channel) <= set(channels.accepted)
    )


def committee_role(regulation: Regulation) -> Role | None:
    return next((role for role in regulation.roles if role.kind is RoleKind.COMMITTEE), None)


def provides_for_committee(regulation: Regulation) -> bool:
    """A committee role, or a term that counts on a referral to one (Awb 9:15)."""
    if committee_role(regulation) is not None:
        return True
    committee_events = {Event.REFERRED_TO_COMMITTEE, Event.COMMITTEE_ADVICE_GIVEN}
    for deadline in regulation.deadlines:
        refs = [*deadline.starts_on, *deadline.met_by, *deadline.cancelled_by]
        if deadline.applies_when is not None:
            refs.append(deadline.applies_when)
        if any(ref.event in committee_events for ref in refs):
            return True
    return False


def provides_for_external_party(regulation: Regulation) -> bool:
    return regulation.handling.external_party is not None or any(
        role.kind is RoleKind.EXTERNAL_PARTY for role in regulation.roles
    )


class Rules:
    def __init__(
        self,
        regulation: Regulation,
        calendar: WorkingDayCalendar,
        facts: ComplaintFacts,
    ) -> None:
        self.regulation = regulation
        self.calendar = calendar
        self.facts = facts
        self.known = known_events(regulation)
        self._state_checks: dict[Event, Callable[[Progress], Refusal | None]] = {
            Event.ACCEPTED: self._accept,
            Event.DECLARED_INADMISSIBLE: self._declare_inadmissible,
            Event.INADMISSIBILITY_NOTICE_SENT: self._inadmissibility_notice,
            Event.COMMITTEE_APPOINTED: self._needs_committee,
            Event.REFERRED_TO_COMMITTEE: self._refer,
            Event.COMMITTEE_ADVICE_GIVEN: self._advise,
            Event.EXTERNAL_PARTY_ENGAGED: self._needs_external_party,
            Event.AGREEMENT_LETTER_SENT: self._needs_agreement,
            Event.CONSULTATION_CONFIRMATION_SENT: self._needs_consultation,
            Event.FOLLOW_UP_INFORMATION_SENT: self._needs_consultation,
            Event.HEARING_REPORT_SENT: self._hearing_report,
            Event.HEARING_DECLINED: self._decline_hearing,
            Event.REGISTERED_LETTER_DELIVERED: self._registered_letter,
            Event.RESOLVED_INFORMALLY: self._resolve,
            Event.DECISION_MADE: self._decide,
            Event.DECISION_SENT: self._send_decision,
            Event.CLOSED: self._close,
            Event.ESCALATED: self._needs_escalation_route,
            Event.REOPENED: self._reopen,
            Event.COMPLAINT_PUT_IN_WRITING: self._put_in_writing,
            Event.COMPLETION_REQUESTED: self._needs_required_contents,
            Event.COMPLAINT_COMPLETED: self._completes,
            Event.STAGE_STARTED: self._next_stage,
            # Intake (issue 14 §3).
            Event.WRITTEN_FORM_REQUESTED: self._put_in_writing,
        }
        # Consent and agreements (issue 14 §4).
        self._state_checks.update(
            {
                Event.CONSENT_RECORDED: self._needs_consent_rule,
                Event.HEARING_REPORT_RETURNED: self._report_returned,
                Event.COSTS_RECORDED: self._needs_costs,
            }
        )

    # --- what the progress allows -------------------------------------------------------------

    def state_refusal(self, progress: Progress, event: Event, on: dt.date) -> Refusal | None:
        if progress.received is None:
            return None if event is Event.RECEIVED else Refusal(R.NOT_RECEIVED)
        if event is Event.RECEIVED:
            return Refusal(R.ALREADY_RECEIVED, {"date": progress.received.on})
        if progress.last_on is not None and on < progress.last_on:
            return Refusal(R.BEFORE_PREVIOUS, {"date": on, "previous": progress.last_on})
        if progress.voided_on is not None and event not in AFTER_VOIDING:
            return Refusal(R.VOIDED, {"date": progress.voided_on})
        if progress.closed_on is not None and event not in AFTER_CLOSURE:
            return Refusal(R.CLOSED, {"date": progress.closed_on})
        if progress.withdrawn_on is not None and event not in AFTER_WITHDRAWAL:
            return Refusal(R.WITHDRAWN, {"date": progress.withdrawn_on})
        if event not in WHILE_PARTIAL:
            conflict = self.impartiality_conflict(progress)
            if conflict is not None:
                return conflict
        if event in ONCE and progress.counts[event]:
            return Refusal(R.ALREADY_DONE, {"event": event, "date": progress.first_on[event]})
        if event in HANDLING_STEPS and progress.inadmissible:
            assert progress.admissibility is not None
            return Refusal(R.INADMISSIBLE, {"date": progress.admissibility.on, "event": event})
        consent_refusal = self._without_consent(progress, event)
        if consent_refusal is not None:
            return consent_refusal
        check = self._state_checks.get(event)
        refusal = None if check is None else check(progress)
        refusal = refusal or self._appointment_refusal(progress, event)
        if refusal is None and event not in self.known:
            # Last, so that a part the regulation lacks is named as such (no committee, ...).
            return Refusal(R.UNKNOWN_TO_REGULATION, {"event": event})
        return refusal

    def impartiality_conflict(self, progress: Progress) -> Refusal | None:
        """The current handler or a committee member is now one of the complaint's subjects (a
        corrected subject list): they must be replaced before the handling goes on. A complaint
        not taken into treatment needs no handler any more, so nothing waits there."""
        if progress.inadmissible:
            return None
        if progress.handler is not None and self._is_subject(progress.handler, progress.handler_id):
            return Refusal(
                R.HANDLER_NOW_SUBJECT,
                {"person": progress.handler, "assign": Event.HANDLER_ASSIGNED},
            )
        ids = progress.committee_ids or (None,) * len(progress.committee)
        for member, member_id in zip(progress.committee, ids, strict=False):
            if self._is_subject(member, member_id):
                return Refusal(
                    R.MEMBER_NOW_SUBJECT, {"person": member, "appoint": Event.COMMITTEE_APPOINTED}
                )
        return None

    def _is_subject(self, name: str, person_id: str | None) -> bool:
        """Whether the person is one the complaint is about: by id where the register gave
        one, else by name (``lifecycle.identity``)."""
        return among(name, person_id, self.facts.subjects, self.facts.subject_ids)

    def _is_involved(self, name: str, person_id: str | None) -> bool:
        return among(name, person_id, self.facts.involved, self.facts.involved_ids)

    def _accept(self, progress: Progress) -> Refusal | None:
        if progress.admissibility is not None:
            decided = progress.admissibility
            return Refusal(R.ADMISSIBILITY_DECIDED, {"event": decided.event, "date": decided.on})
        if self._anonymous_refused(progress):
            source = self.regulation.definitions.anonymous.source
            return Refusal(R.ANONYMOUS_NOT_ACCEPTED, {"source": source})
        channels = self.regulation.definitions.channels
        if channels.in_writing_required and self.awaits_writing(progress):
            return Refusal(
                R.NOT_YET_IN_WRITING,
                {"source": channels.source, "event": Event.COMPLAINT_PUT_IN_WRITING},
            )
        return None

    def awaits_writing(self, progress: Progress) -> bool:
        """Received orally or on a channel the regulation does not take, not put in writing."""
        return progress.holds(Condition.NOT_IN_WRITING, self.facts) or progress.holds(
            Condition.CHANNEL_NOT_ACCEPTED, self.facts
        )

    def flagged_channel(self, progress: Progress) -> bool:
        """On a channel the regulation does not take, or not in writing where it wants writing
        before the treatment, and not put in writing since."""
        if progress.holds(Condition.CHANNEL_NOT_ACCEPTED, self.facts):
            return True
        required = self.regulation.definitions.channels.in_writing_required
        return required and progress.holds(Condition.NOT_IN_WRITING, self.facts)

    # --- intake (issue 14 §3) ------------------------------------------------------------------

    def written_form_todo(self, progress: Progress) -> bool:
        """Whether a complaint just received owes the to-do "ask for it in writing": on a
        channel the regulation does not take, or orally where it wants writing."""
        if self.flagged_channel(progress):
            return True
        requested = self.regulation.definitions.channels.written_form_requested
        return requested and progress.holds(Condition.NOT_IN_WRITING, self.facts)

    def _appointment_refusal(self, progress: Progress, event: Event) -> Refusal | None:
        """A committee the regulation appoints on a fixed event (IN FOCUS Samen: "zodra een
        klacht wordt ontvangen") is appointed before the acknowledgement, which names its
        members, and before it judges or advises."""
        if event not in NEED_APPOINTED_COMMITTEE or progress.counts[Event.COMMITTEE_APPOINTED]:
            return None
        role = committee_role(self.regulation)
        if role is None or role.committee is None or role.committee.appointed_on is None:
            return None
        return Refusal(
            R.COMMITTEE_NOT_APPOINTED,
            {
                "source": role.committee.source,
                "on": role.committee.appointed_on,
                "event": Event.COMMITTEE_APPOINTED,
            },
        )

    def _put_in_writing(self, progress: Progress) -> Refusal | None:
        return None if self.awaits_writing(progress) else Refusal(R.ALREADY_IN_WRITING)

    def _needs_required_contents(self, progress: Progress) -> Refusal | None:
        if self.regulation.definitions.required_contents is None:
            return Refusal(R.NO_REQUIRED_CONTENTS)
        if progress.admissibility is not None:
            decided = progress.admissibility
            return Refusal(R.ADMISSIBILITY_DECIDED, {"event": decided.event, "date": decided.on})
        return None

    def _completes(self, progress: Progress) -> Refusal | None:
        if progress.incomplete:
            return None
        return Refusal(R.NOT_INCOMPLETE, {"event": Event.COMPLETION_REQUESTED})

    def current_stage(self, progress: Progress) -> Stage | None:
        if progress.stage is None:
            return None
        return next(s for s in self.regulation.handling.stages if s.id == progress.stage)

    def _next_stage(self, progress: Progress) -> Refusal | None:
        stages = self.regulation.handling.stages
        if not stages:
            return Refusal(R.NO_STAGES)
        if progress.stage == stages[-1].id:
            return Refusal(R.NO_FURTHER_STAGE, {"stage": progress.stage})
        if progress.decision_sent_on is None:
            return Refusal(R.STAGE_NEEDS_DECISION, {"event": Event.DECISION_SENT})
        return None

    def expected_stage(self, progress: Progress) -> Stage:
        stages = self.regulation.handling.stages
        ids = [stage.id for stage in stages]
        index = 0 if progress.stage is None else ids.index(progress.stage) + 1
        return stages[index]

    def _anonymous_refused(self, progress: Progress) -> bool:
        accepted = self.regulation.definitions.anonymous.accepted
        return progress.received_details.anonymous and not accepted

    def _declare_inadmissible(self, progress: Progress) -> Refusal | None:
        if progress.decision is not None:
            return Refusal(R.ALREADY_DECIDED, {"date": progress.decision.on})
        return None

    def _inadmissibility_notice(self, progress: Progress) -> Refusal | None:
        return None if progress.inadmissible else Refusal(R.NOT_INADMISSIBLE)

    def _needs_committee(self, progress: Progress) -> Refusal | None:
        return None if committee_role(self.regulation) else Refusal(R.NO_COMMITTEE)

    def _refer(self, progress: Progress) -> Refusal | None:
        if not provides_for_committee(self.regulation):
            return Refusal(R.NO_COMMITTEE)
        if not progress.accepted:
            return Refusal(R.NOT_ACCEPTED, {"accepted": Event.ACCEPTED})
        return self._not_judged(progress)

    def _advise(self, progress: Progress) -> Refusal | None:
        role = committee_role(self.regulation)
        if self._committee_decides() and role is not None and role.committee is not None:
            return Refusal(
                R.COMMITTEE_DECIDES,
                {"source": role.committee.source, "event": Event.DECISION_MADE},
            )
        if not progress.counts[Event.REFERRED_TO_COMMITTEE]:
            return Refusal(R.NOT_REFERRED)
        return None

    def _needs_external_party(self, progress: Progress) -> Refusal | None:
        return (
            None if provides_for_external_party(self.regulation) else Refusal(R.NO_EXTERNAL_PARTY)
        )

    def _needs_agreement(self, progress: Progress) -> Refusal | None:
        return None if progress.agreement_on is not None else Refusal(R.NO_AGREEMENT)

    def _needs_consultation(self, progress: Progress) -> Refusal | None:
        return None if progress.counts[Event.CONSULTATION_HELD] else Refusal(R.NO_CONSULTATION)

    def _registered_letter(self, progress: Progress) -> Refusal | None:
        # The silence that closes a complaint "naar tevredenheid" runs from the registered
        # confirmation of the agreements on how it is handled (Iskander, stroomschema rij 8): a
        # registered letter means something only after the agreements or the decision went out.
        if progress.counts[Event.AGREEMENT_LETTER_SENT] or progress.decision_sent_on is not None:
            return None
        sources = [
            d.source
            for d in self.regulation.deadlines
            if any(ref.event is Event.REGISTERED_LETTER_DELIVERED for ref in d.starts_on)
        ]
        return Refusal(R.NO_CONFIRMATION_SENT, {"source": sources or "-"})

    def _decline_hearing(self, progress: Progress) -> Refusal | None:
        hearing = self.hearing(progress)
        if hearing is None or not (hearing.offered or hearing.required):
            return Refusal(R.NO_HEARING_OFFER)
        if hearing.required:
            return Refusal(R.HEARING_REQUIRED, {"source": hearing.source})
        if not progress.counts[Event.HEARING_INVITATION_SENT]:
            return Refusal(R.HEARING_NOT_INVITED, {"event": Event.HEARING_INVITATION_SENT})
        return None

    def _hearing_refusal(self, progress: Progress) -> Refusal | None:
        """ "In de gelegenheid stellen gehoord te worden" is an offer: before the judgement the
        hearing was held, or offered and declined; ``required`` means it must be held."""
        hearing = self.hearing(progress)
        if hearing is None or progress.counts[Event.HEARING_HELD]:
            return None
        if hearing.required:
            return Refusal(
                R.HEARING_NOT_HELD, {"source": hearing.source, "event": Event.HEARING_HELD}
            )
        if not hearing.offered or progress.received_details.anonymous:
            # Heard only on request (SmartPLUS); or nobody to offer it to.
            return None
        if (
            progress.counts[Event.HEARING_INVITATION_SENT]
            and progress.counts[Event.HEARING_DECLINED]
        ):
            return None
        return Refusal(
            R.HEARING_NOT_OFFERED,
            {
                "source": hearing.source,
                "invited": Event.HEARING_INVITATION_SENT,
                "held": Event.HEARING_HELD,
                "declined": Event.HEARING_DECLINED,
            },
        )

    def hearing(self, progress: Progress) -> Hearing | None:
        """The hearing of the stage the complaint is in: a further stage has its own."""
        stage = self.current_stage(progress)
        return self.regulation.handling.hearing if stage is None else stage.hearing

    def _hearing_report(self, progress: Progress) -> Refusal | None:
        if not progress.counts[Event.HEARING_HELD]:
            return Refusal(R.NO_HEARING)
        if progress.report_commented:
            return None  # a revised report after comments, until agreed (Loket3 Handelswijze 4)
        if progress.counts[Event.HEARING_REPORT_SENT] >= progress.counts[Event.HEARING_HELD]:
            return Refusal(R.REPORTS_SENT)
        return None

    def _resolve(self, progress: Progress) -> Refusal | None:
        informal = self.regulation.handling.informal_resolution
        if informal is None or not informal.allowed:
            return Refusal(R.NO_INFORMAL_RESOLUTION)
        # A settlement may follow a judgement (Loket3 judges, then makes an offer by telephone
        # and confirms in writing), but not a decision that has gone out.
        if progress.decision_sent_on is not None:
            return Refusal(R.DECISION_SENT, {"date": progress.decision_sent_on})
        return None

    def _decide(self, progress: Progress) -> Refusal | None:
        if not progress.accepted:
            return Refusal(R.NOT_ACCEPTED, {"accepted": Event.ACCEPTED})
        stage = self.current_stage(progress)
        if (
            stage is None
            and not self._committee_decides()
            and not progress.counts[Event.COMMITTEE_ADVICE_GIVEN]
            and (progress.counts[Event.REFERRED_TO_COMMITTEE] or self._advice_binding())
        ):
            return Refusal(R.ADVICE_PENDING)
        if progress.decision is not None:
            return Refusal(R.ALREADY_DECIDED, {"date": progress.decision.on})
        if stage is not None and progress.handler is None:
            return Refusal(
                R.STAGE_NO_HANDLER, {"stage": stage.label, "event": Event.HANDLER_ASSIGNED}
            )
        return self._hearing_refusal(progress)

    def _committee_decides(self) -> bool:
        """A committee that decides itself (advice: decides) gives no separate advice."""
        return self._advice_is(AdviceForce.DECIDES)

    def _advice_binding(self) -> bool:
        """A committee whose advice binds: no decision without it (Integratiewerk)."""
        return self._advice_is(AdviceForce.BINDING)

    def _advice_is(self, force: AdviceForce) -> bool:
        role = committee_role(self.regulation)
        return role is not None and role.committee is not None and role.committee.advice is force

    def _not_judged(self, progress: Progress) -> Refusal | None:
        if progress.decision is not None:
            return Refusal(R.ALREADY_DECIDED, {"date": progress.decision.on})
        if progress.resolved_on is not None:
            return Refusal(R.ALREADY_RESOLVED, {"date": progress.resolved_on})
        return None

    def _send_decision(self, progress: Progress) -> Refusal | None:
        if progress.decision is None:
            return Refusal(R.NO_DECISION, {"event": Event.DECISION_MADE})
        return None

    def _close(self, progress: Progress) -> Refusal | None:
        ended = (
            progress.decision_sent_on is not None
            or progress.resolved_on is not None
            # Agreement reached and confirmed in writing ends the complaint (Iskander rij 3).
            or bool(progress.counts[Event.AGREEMENT_LETTER_SENT])
            or progress.inadmissible
            or progress.withdrawn_on is not None
        )
        return None if ended else Refusal(R.CANNOT_CLOSE)

    def _needs_escalation_route(self, progress: Progress) -> Refusal | None:
        return None if self.regulation.escalation else Refusal(R.NO_ESCALATION)

    def _reopen(self, progress: Progress) -> Refusal | None:
        if progress.closed_on is None:
            return Refusal(R.NOT_CLOSED)
        # Without the complainant's details and the description nobody can handle it again.
        return Refusal(R.ERASED) if self.facts.erased else None

    # --- consent and agreements (issue 14 §4) ---------------------------------------------------

    def _needs_consent_rule(self, progress: Progress) -> Refusal | None:
        external = self.regulation.handling.external_party
        if external is None or not external.consent_required:
            return Refusal(R.NO_CONSENT_ASKED)
        return None

    def _without_consent(self, progress: Progress, event: Event) -> Refusal | None:
        """Consent refused and no external party engaged: the organisation does not handle the
        complaint itself (Iskander, stroomschema rij 2)."""
        if event not in INTERNAL_HANDLING or progress.consent != "refused":
            return None
        external = self.regulation.handling.external_party
        if external is None or not external.consent_required:
            return None
        if progress.counts[Event.EXTERNAL_PARTY_ENGAGED]:
            return None
        return Refusal(
            R.CONSENT_REFUSED,
            {"source": external.source, "event": event, "engaged": Event.EXTERNAL_PARTY_ENGAGED},
        )

    def _report_returned(self, progress: Progress) -> Refusal | None:
        hearing = self.hearing(progress)
        if hearing is None or hearing.report is None or not hearing.report.for_signature:
            return Refusal(R.NOT_FOR_SIGNATURE)
        sent = progress.counts[Event.HEARING_REPORT_SENT]
        if progress.counts[Event.HEARING_REPORT_RETURNED] >= sent:
            return Refusal(R.NO_REPORT_FOR_SIGNATURE, {"event": Event.HEARING_REPORT_SENT})
        return None

    def _needs_costs(self, progress: Progress) -> Refusal | None:
        return None if cost_kinds(self.regulation) else Refusal(R.NO_COSTS)

    def _cost_kind(self, details: CostsDetails) -> Refusal | None:
        kinds = cost_kinds(self.regulation)
        if details.kind in kinds:
            return None
        return Refusal(R.UNKNOWN_COST_KIND, {"kind": details.kind, "kinds": kinds})

    def agreed_term(
        self, track: DeadlineTrack, on: dt.date, details: TermAgreedDetails
    ) -> Refusal | None:
        """A new term agreed with the complainant, while the term runs, to a later date (IN
        FOCUS Samen, De procedure 6)."""
        rule = track.rule.extension
        if rule is None or not rule.by_agreement:
            return Refusal(R.NOT_AGREEABLE, {"deadline": track.rule.id})
        if on > track.due:
            return Refusal(
                R.AGREED_TOO_LATE,
                {"deadline": track.rule.id, "due": track.due, "source": rule.source},
            )
        if details.due <= track.due:
            return Refusal(
                R.AGREED_NOT_LATER,
                {"deadline": track.rule.id, "due": track.due, "agreed": details.due},
            )
        return None

    # --- what the details must satisfy --------------------------------------------------------

    def detail_refusal(
        self, progress: Progress, tracks: Sequence[DeadlineTrack], record: EventRecord
    ) -> Refusal | None:
        details = record.details
        stage_refusal = self._stage_role(progress, record)
        if stage_refusal is not None:
            return stage_refusal
        if isinstance(details, InadmissibleDetails):
            return self._ground(progress, details, tracks, record.on)
        if isinstance(details, StageDetails):
            return self._stage_order(progress, details.stage)
        if isinstance(details, CompletionRequestedDetails):
            return self._missing_items(details)
        if isinstance(details, HandlerDetails):
            return self._impartial_handler(details.handler, details.handler_id)
        if isinstance(details, CommitteeDetails):
            return self._impartial_committee(details.identified())
        if isinstance(details, EscalationDetails):
            return self._escalation(progress, details.to, record.on)
        if isinstance(details, ExtensionDetails):
            target = self.extension_target(tracks, details)
            if isinstance(target, Refusal):
                return target
            return self._extension(target, record.on, details)
        if isinstance(details, FactsCorrectedDetails):
            return self._corrected_receipt(progress, record.on, details)
        if isinstance(details, TermAgreedDetails):
            agreed = self.extension_target(tracks, details)
            if isinstance(agreed, Refusal):
                return agreed
            return self.agreed_term(agreed, record.on, details)
        if isinstance(details, CostsDetails):
            return self._cost_kind(details)
        return None

    def _stage_role(self, progress: Progress, record: EventRecord) -> Refusal | None:
        """In a further stage, its own handlers assign, hear and judge."""
        stage = self.current_stage(progress)
        if stage is None or record.role is None or record.role == SYSTEM_ACTOR:
            return None
        # Assigning the stage's handler stays the register keepers' task, as in the first stage.
        if record.event not in {Event.DECISION_MADE, *HEARING_EVENTS}:
            return None
        if record.role in stage.handled_by:
            return None
        return Refusal(
            R.STAGE_ROLE,
            {
                "stage": stage.label,
                "roles": stage.handled_by,
                "role": record.role,
                "event": record.event,
            },
        )

    def _stage_order(self, progress: Progress, stage_id: str) -> Refusal | None:
        stages = self.regulation.handling.stages
        ids = [stage.id for stage in stages]
        if stage_id not in ids:
            return Refusal(R.UNKNOWN_STAGE, {"stage": stage_id, "stages": ids})
        expected = self.expected_stage(progress)
        if stage_id != expected.id:
            return Refusal(R.NEXT_STAGE, {"stage": stage_id, "expected": expected.id})
        return None

    def _missing_items(self, details: CompletionRequestedDetails) -> Refusal | None:
        required = self.regulation.definitions.required_contents
        assert required is not None, "checked by the state rules before"
        other = [item.value for item in details.missing if item not in required.items]
        if other:
            return Refusal(
                R.NOT_REQUIRED_ITEMS,
                {"items": other, "expected": [item.value for item in required.items]},
            )
        return None

    def _corrected_receipt(
        self, progress: Progress, on: dt.date, details: FactsCorrectedDetails
    ) -> Refusal | None:
        """A corrected day of receipt lies within the calendar (terms are counted on it), not
        after the first step taken on the complaint and not after the correction itself."""
        received_on = details.received_on
        if received_on is None:
            return None
        # A year to spare at the end: the terms counted from the receipt must fit the calendar.
        first, last = self.calendar.first_day, dt.date(self.calendar.last_day.year - 1, 12, 31)
        if not first <= received_on <= last:
            return Refusal(
                R.RECEIVED_OUTSIDE_CALENDAR, {"date": received_on, "first": first, "last": last}
            )
        step = progress.first_step
        if step is not None and received_on > step.on:
            return Refusal(
                R.RECEIVED_AFTER_STEP,
                {"date": received_on, "event": step.event, "step_date": step.on},
            )
        if received_on > on:
            return Refusal(R.RECEIVED_AFTER_CORRECTION, {"date": received_on, "on": on})
        return None

    def role_refusal(self, record: EventRecord) -> Refusal | None:
        if record.role is None:
            return None
        if record.role == SYSTEM_ACTOR:
            # The engine's own time-triggered events, read back from a stored log.
            automatic = [d.on_expiry.event for d in self.regulation.deadlines if d.on_expiry]
            if record.event in automatic:
                return None
            return Refusal(R.NOT_AUTOMATIC, {"event": record.event})
        known = [role.id for role in self.regulation.roles]
        if record.role not in known:
            return Refusal(R.UNKNOWN_ROLE, {"role": record.role, "roles": known})
        allowed = [role.id for role in roles_for(self.regulation, record.event)]
        if record.role not in allowed:
            return Refusal(
                R.ROLE_NOT_ALLOWED, {"role": record.role, "event": record.event, "roles": allowed}
            )
        return None

    def _ground(
        self,
        progress: Progress,
        details: InadmissibleDetails,
        tracks: Sequence[DeadlineTrack] = (),
        on: dt.date | None = None,
    ) -> Refusal | None:
        grounds = self.regulation.admissibility.grounds
        ids = [ground.id for ground in grounds]
        if details.ground is None and self._anonymous_refused(progress):
            # The regulation's own rule on anonymous complaints is the ground (Integratiewerk
            # refuses them without listing it among its grounds); the motivation is the reason.
            return None if details.reason else Refusal(R.REASON_REQUIRED_ANONYMOUS)
        if not grounds:
            if details.ground is not None:
                return Refusal(R.UNKNOWN_GROUND, {"ground": details.ground, "grounds": ids})
            return None if details.reason else Refusal(R.REASON_REQUIRED)
        if details.ground is None:
            return Refusal(R.GROUND_REQUIRED, {"grounds": ids})
        ground = next((g for g in grounds if g.id == details.ground), None)
        if ground is None:
            return Refusal(R.UNKNOWN_GROUND, {"ground": details.ground, "grounds": ids})
        if ground.applies_when is not None and not progress.holds(ground.applies_when, self.facts):
            return Refusal(
                R.GROUND_CONDITION, {"ground": ground.id, "condition": ground.applies_when}
            )
        if ground.applies_when is Condition.INCOMPLETE and on is not None:
            running = _completion_running(tracks, on)
            if running is not None:
                return Refusal(R.COMPLETION_TERM_RUNNING, {"ground": ground.id, "due": running})
        if ground.time_limit is not None:
            limit_date = self._limit_date(progress, ground)
            received = progress.received_details
            if limit_date is not None and not _exceeded(progress, limit_date):
                learned = ground.time_limit.measured_from is LimitAnchor.LEARNED_OF
                return Refusal(
                    R.GROUND_TIME_LIMIT_NOT_EXCEEDED_LEARNED
                    if learned and received.learned_on is not None
                    else R.GROUND_TIME_LIMIT_NOT_EXCEEDED,
                    {
                        "ground": ground.id,
                        "facts_date": self._anchor(progress, ground),
                        "limit": str(ground.time_limit.as_duration()),
                        "received": progress.received.on if progress.received else "",
                        "limit_date": limit_date,
                    },
                )
        return None

    def _limit_date(self, progress: Progress, ground: Ground) -> dt.date | None:
        """The last day on which a complaint was in time under this ground's limit."""
        anchor = self._anchor(progress, ground)
        if ground.time_limit is None or anchor is None:
            return None
        return self.calendar.add(anchor, ground.time_limit.as_duration())

    def _anchor(self, progress: Progress, ground: Ground) -> dt.date | None:
        """The day a time limit counts from: the conduct, or the day the complainant learned of
        it (where not recorded, the conduct's date: one cannot learn of it earlier)."""
        received = progress.received_details
        if ground.time_limit is not None and (
            ground.time_limit.measured_from is LimitAnchor.LEARNED_OF
        ):
            return received.learned_on or received.facts_date
        return received.facts_date

    def suggested_grounds(
        self,
        progress: Progress,
        tracks: Sequence[DeadlineTrack] = (),
        on: dt.date | None = None,
    ) -> list[GroundSuggestion]:
        """Grounds the complaint's own facts point to: a time limit exceeded, anonymity, a
        complaint not completed in its term."""
        if progress.received is None:
            return []
        suggestions = []
        for ground in self.regulation.admissibility.grounds:
            if ground.applies_when is Condition.INCOMPLETE and (
                on is None or _completion_running(tracks, on) is not None
            ):
                continue
            if ground.time_limit is not None:
                limit_date = self._limit_date(progress, ground)
                if limit_date is not None and _exceeded(progress, limit_date):
                    suggestions.append(GroundSuggestion(ground, limit_date))
            elif ground.applies_when is not None and progress.holds(
                ground.applies_when, self.facts
            ):
                suggestions.append(GroundSuggestion(ground))
        return suggestions

    def _impartial_handler(self, person: str, person_id: str | None = None) -> Refusal | None:
        handling = self.regulation.handling
        params: dict[str, object] = {"person": person, "source": handling.impartiality_source}
        if self._is_subject(person, person_id):
            return Refusal(R.HANDLER_IS_SUBJECT, params)
        if DISTANT & set(handling.impartiality) and self._is_involved(person, person_id):
            return Refusal(R.HANDLER_IS_INVOLVED, params)
        return None

    def _impartial_committee(self, identified: list[tuple[str, str | None]]) -> Refusal | None:
        role = committee_role(self.regulation)
        if role is None or role.committee is None:
            return Refusal(R.NO_COMMITTEE)
        rule = role.committee
        members = [name for name, _id in identified]
        seen: set[str] = set()
        for person, person_id in identified:
            # The same person twice: by id where given, else by the name as written.
            key = f"id:{person_id}" if person_id is not None else person
            if key in seen or (person_id is not None and f"name:{name_key(person)}" in seen):
                return Refusal(R.COMMITTEE_DUPLICATE, {"person": person})
            seen.add(key)
            if person_id is not None:
                seen.add(f"name:{name_key(person)}")
        if rule.size is not None and len(members) != rule.size:
            return Refusal(
                R.COMMITTEE_SIZE, {"size": rule.size, "count": len(members), "source": rule.source}
            )
        independence = {*rule.independence, *self.regulation.handling.impartiality}
        for person, person_id in identified:
            params: dict[str, object] = {"person": person, "source": rule.source}
            if self._is_subject(person, person_id):
                return Refusal(R.MEMBER_IS_SUBJECT, params)
            if DISTANT & independence and self._is_involved(person, person_id):
                return Refusal(R.MEMBER_IS_INVOLVED, params)
        return None

    def _escalation(self, progress: Progress, to: str, on: dt.date) -> Refusal | None:
        routes = self.regulation.escalation
        route = next((r for r in routes if to in (r.id, r.to.value)), None)
        if route is None:
            names = sorted({r.id for r in routes} | {r.to.value for r in routes})
            return Refusal(R.UNKNOWN_ESCALATION, {"to": to, "routes": names})
        if route.condition is not None and not progress.holds(route.condition, self.facts):
            return Refusal(
                R.ESCALATION_CONDITION,
                {"to": to, "condition": route.condition, "source": route.source},
            )
        if route.term is not None and progress.decision_sent_on is not None:
            last = self.calendar.add(progress.decision_sent_on, route.term.as_duration())
            if on > last:
                return Refusal(
                    R.ESCALATION_TOO_LATE,
                    {
                        "to": to,
                        "last": last,
                        "term": str(route.term),
                        "date": progress.decision_sent_on,
                        "source": route.source,
                    },
                )
        return None

    def extension_target(
        self, tracks: Sequence[DeadlineTrack], details: ExtensionDetails | TermAgreedDetails
    ) -> DeadlineTrack | Refusal:
        """The running deadline an ``extended`` event names, by id or by kind."""
        if details.deadline is not None:
            ids = [d.id for d in self.regulation.deadlines]
            if details.deadline not in ids:
                return Refusal(R.UNKNOWN_DEADLINE, {"deadline": details.deadline, "deadlines": ids})
            candidates = [t for t in tracks if t.rule.id == details.deadline]
            name = details.deadline
        else:
            assert details.kind is not None
            candidates = [t for t in tracks if t.rule.kind is details.kind]
            name = details.kind.value
        candidates = [t for t in candidates if t.applies and not t.settled]
        if not candidates:
            return Refusal(R.NO_OPEN_DEADLINE, {"deadline": name})
        if len(candidates) > 1:
            return Refusal(R.AMBIGUOUS_KIND, {"deadlines": [t.rule.id for t in candidates]})
        return candidates[0]

    def extended_due(self, track: DeadlineTrack, details: ExtensionDetails) -> dt.date:
        return self.calendar.add(track.due, details.by.as_duration())

    def _extension(
        self, track: DeadlineTrack, on: dt.date, details: ExtensionDetails
    ) -> Refusal | None:
        rule = track.rule.extension
        if rule is None:
            return Refusal(R.NOT_EXTENDABLE, {"deadline": track.rule.id})
        if on > track.due:
            return Refusal(R.EXTENSION_TOO_LATE, {"deadline": track.rule.id, "due": track.due})
        if details.consent and rule.further_with_consent:
            return None
        times = len(track.extensions)
        if rule.max_times is not None and times >= rule.max_times:
            message = R.EXTENSION_TIMES_CONSENT if rule.further_with_consent else R.EXTENSION_TIMES
            return Refusal(
                message,
                {
                    "deadline": track.rule.id,
                    "max_times": rule.max_times,
                    "times": times,
                    "source": rule.source,
                },
            )
        if rule.max_by is not None:
            furthest = self.calendar.add(track.due, rule.max_by.as_duration())
            if self.extended_due(track, details) > furthest:
                message = (
                    R.EXTENSION_TOO_LONG_CONSENT
                    if rule.further_with_consent
                    else R.EXTENSION_TOO_LONG
                )
                return Refusal(
                    message,
                    {"deadline": track.rule.id, "max_by": str(rule.max_by), "source": rule.source},
                )
        return None


def _completion_running(tracks: Sequence[DeadlineTrack], on: dt.date) -> dt.date | None:
    """The due date of a term to complete the complaint that still runs on ``on``."""
    for track in reversed(tracks):
        if track.rule.kind is DeadlineKind.COMPLETION and track.applies and not track.settled:
            return track.due if on <= track.due else None
    return None


def _exceeded(progress: Progress, limit_date: dt.date) -> bool:
    assert progress.received is not None
    return progress.received.on > limit_date
