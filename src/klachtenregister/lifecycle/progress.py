"""What is known about one complaint: its fixed facts and how far it has come."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from klachtenregister.lifecycle.events import (
    CommitteeDetails,
    EventRecord,
    FactsCorrectedDetails,
    HandlerDetails,
    ReceivedDetails,
)
from klachtenregister.lifecycle.states import State
from klachtenregister.regulations.vocabulary import Channel, Condition, Event


@dataclass(frozen=True)
class ComplaintFacts:
    """Facts of a complaint that are not events.

    ``subjects`` are the people the complaint is about; ``involved`` are others involved in the
    conduct complained about (they may not handle it where the regulation says 'not involved').
    ``anonymous_contact``: an anonymous complainant left an e-mail or postal address, so letters
    can reach them; without one, the terms owed only to them are not applicable.
    ``erased``: the complaint's personal data was erased (AVG); it cannot be handled again.
    """

    subjects: frozenset[str] = frozenset()
    involved: frozenset[str] = frozenset()
    uwv_client: bool = False
    anonymous_contact: bool = False
    erased: bool = False
    # Who they are, as the register identifies them (``lifecycle.identity``): the ids of the
    # people kept out as subjects (also a member whose name resembles a subject's, until
    # confirmed otherwise) and of those involved. The names above stay for free-text people.
    subject_ids: frozenset[str] = frozenset()
    involved_ids: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        subjects: Iterable[str] = (),
        involved: Iterable[str] = (),
        uwv_client: bool = False,
        anonymous_contact: bool = False,
        erased: bool = False,
        subject_ids: Iterable[str] = (),
        involved_ids: Iterable[str] = (),
    ) -> ComplaintFacts:
        return cls(
            frozenset(subjects),
            frozenset(involved),
            uwv_client,
            anonymous_contact,
            erased,
            frozenset(subject_ids),
            frozenset(involved_ids),
        )


@dataclass
class Progress:
    """The steps taken so far, as the rules need them; changed only by the engine.

    Where the complaint was escalated and earlier handlers are in the event history; only what
    the rules ask about is kept here.
    """

    received: EventRecord | None = None
    last_on: dt.date | None = None
    first_on: dict[Event, dt.date] = field(default_factory=dict)
    counts: Counter[Event] = field(default_factory=Counter)
    admissibility: EventRecord | None = None
    agreement_on: dt.date | None = None
    decision: EventRecord | None = None
    decision_sent_on: dt.date | None = None
    resolved_on: dt.date | None = None
    withdrawn_on: dt.date | None = None
    closed_on: dt.date | None = None
    voided_on: dt.date | None = None
    # The first event after receipt: a corrected day of receipt may not lie after it.
    first_step: EventRecord | None = None
    # Who handles the complaint and who sits on its committee now (the latest assignment), by
    # name: a corrected subject list may make one of them partial (Rules.impartiality_conflict).
    handler: str | None = None
    committee: tuple[str, ...] = ()
    # Their ids where the register gave them (None: compared by name only), in the same order.
    handler_id: str | None = None
    committee_ids: tuple[str | None, ...] = ()
    # The channels the regulation takes (channels.accepted); set by the engine.
    accepted_channels: frozenset[Channel] = frozenset(Channel)
    # The day a complaint received on another channel was put in writing.
    put_in_writing_on: dt.date | None = None
    # Asked to complete its required contents and not completed since.
    incomplete: bool = False
    # The further handling stage the complaint is in (handling.stages), if any, and since when.
    stage: str | None = None
    stage_on: dt.date | None = None
    # Consent and agreements (issue 14 §4): the complainant's latest word on handling by the
    # organisation itself (given / refused), and whether the last hearing report returned for
    # signature came back with comments (a revised report may then be sent).
    consent: str | None = None
    report_commented: bool = False

    def copy(self) -> Progress:
        return replace(self, first_on=dict(self.first_on), counts=Counter(self.counts))

    @property
    def received_details(self) -> ReceivedDetails:
        assert self.received is not None, "the engine refuses everything before 'received'"
        details = self.received.details
        assert isinstance(details, ReceivedDetails)
        return details

    @property
    def accepted(self) -> bool:
        return self.admissibility is not None and self.admissibility.event is Event.ACCEPTED

    @property
    def inadmissible(self) -> bool:
        return (
            self.admissibility is not None
            and self.admissibility.event is Event.DECLARED_INADMISSIBLE
        )

    @property
    def state(self) -> State:
        if self.voided_on is not None:
            return State.VOIDED
        if self.closed_on is not None:
            return State.CLOSED
        if self.withdrawn_on is not None:
            return State.WITHDRAWN
        if self.decision is not None:
            return State.DECIDED
        if self.resolved_on is not None:
            return State.RESOLVED
        if self.inadmissible:
            return State.INADMISSIBLE
        if self.accepted:
            return State.ACCEPTED
        if self.counts[Event.REGISTERED]:
            return State.REGISTERED
        return State.RECEIVED

    def holds(self, condition: Condition, facts: ComplaintFacts) -> bool:
        if condition is Condition.UWV_CLIENT:
            return facts.uwv_client
        if condition is Condition.SUBJECT_NAMED:
            return bool(facts.subjects)
        if condition is Condition.ANONYMOUS:
            return self.received_details.anonymous
        if condition is Condition.NOT_IN_WRITING:
            return self.received_details.channel is Channel.ORAL and self.put_in_writing_on is None
        if condition is Condition.CHANNEL_NOT_ACCEPTED:
            return (
                self.received_details.channel not in self.accepted_channels
                and self.put_in_writing_on is None
            )
        if condition is Condition.INCOMPLETE:
            return self.incomplete
        raise ValueError(f"unknown condition {condition!r}")

    def note(self, record: EventRecord) -> None:
        """Take in an event the rules allowed."""
        event, on = record.event, record.on
        self.last_on = on
        self.first_on.setdefault(event, on)
        self.counts[event] += 1
        if event is not Event.RECEIVED and self.first_step is None:
            self.first_step = record
        if isinstance(record.details, HandlerDetails):
            self.handler = record.details.handler
            self.handler_id = record.details.handler_id
        elif isinstance(record.details, CommitteeDetails):
            self.committee = tuple(record.details.members)
            self.committee_ids = tuple(pid for _name, pid in record.details.identified())
        if event is Event.RECEIVED:
            self.received = record
        elif event in (Event.ACCEPTED, Event.DECLARED_INADMISSIBLE):
            self.admissibility = record
        elif event is Event.CONSULTATION_HELD and record.outcome == "agreement":
            self.agreement_on = self.agreement_on or on
        elif event is Event.RESOLVED_INFORMALLY:
            self.resolved_on = on
            self.agreement_on = self.agreement_on or on
        elif event is Event.DECISION_MADE:
            self.decision = record
        elif event is Event.DECISION_SENT:
            self.decision_sent_on = on
        elif event is Event.WITHDRAWN:
            self.withdrawn_on = on
        elif event is Event.CLOSED:
            self.closed_on = on
        elif event is Event.REGISTRATION_VOIDED:
            self.voided_on = on
        elif event is Event.REOPENED:
            self._reopen()
        elif event is Event.COMPLAINT_PUT_IN_WRITING:
            self.put_in_writing_on = on
        elif event is Event.COMPLETION_REQUESTED:
            self.incomplete = True
        elif event is Event.COMPLAINT_COMPLETED:
            self.incomplete = False
        elif event is Event.STAGE_STARTED:
            assert record.outcome is not None
            self._next_stage(record.outcome, on)
        elif event is Event.FACTS_CORRECTED and self.received is not None:
            # A corrected channel or facts date is what the rules read from now on (a
            # time-limit ground, 'not in writing'); the receipt's own record stays in the log.
            # A corrected day of receipt is the receipt's day from now on (the time-limit
            # grounds count to it); the engine moves the terms that started at receipt.
            details = record.details
            assert isinstance(details, FactsCorrectedDetails)
            corrected = details.corrected_received(self.received_details)
            received_on = details.received_on or self.received.on
            self.received = replace(self.received, on=received_on, details=corrected)
            self.first_on[Event.RECEIVED] = received_on
        self._note_agreements(record)

    def _note_agreements(self, record: EventRecord) -> None:
        """Consent and agreements (issue 14 §4)."""
        event = record.event
        if event is Event.CONSENT_RECORDED:
            self.consent = record.outcome
        elif event is Event.HEARING_REPORT_SENT:
            self.report_commented = False
        elif event is Event.HEARING_REPORT_RETURNED:
            self.report_commented = record.outcome == "commented"
        elif event is Event.STAGE_STARTED:
            # A further stage hears again: its reports go out for signature anew.
            self.report_commented = False
            self._forget(Event.HEARING_REPORT_RETURNED)

    def _next_stage(self, stage: str, on: dt.date) -> None:
        """A further stage judges the complaint again, with its own handler and hearing: the
        earlier judgement stays in the log, the new stage starts without one."""
        self.stage, self.stage_on = stage, on
        self.decision = None
        self.decision_sent_on = None
        self.handler = None
        self.handler_id = None
        self._forget(
            Event.HANDLER_ASSIGNED,
            Event.HEARING_INVITATION_SENT,
            Event.HEARING_HELD,
            Event.HEARING_DECLINED,
            Event.HEARING_REPORT_SENT,
            Event.DECISION_MADE,
            Event.DECISION_SENT,
        )

    def _forget(self, *steps: Event) -> None:
        """Steps a new treatment or stage takes again: as if not yet taken."""
        for step in steps:
            self.counts[step] = 0
            self.first_on.pop(step, None)

    def _reopen(self) -> None:
        # A reopened complaint is treated anew: a new judgement or settlement may follow.
        self.closed_on = None
        self.withdrawn_on = None
        self.decision = None
        self.decision_sent_on = None
        self.resolved_on = None
        if self.inadmissible:
            self.admissibility = None
        self._forget(
            Event.DECISION_MADE,
            Event.DECISION_SENT,
            Event.RESOLVED_INFORMALLY,
            Event.REFERRED_TO_COMMITTEE,
            Event.COMMITTEE_ADVICE_GIVEN,
            Event.CLOSED,
        )
