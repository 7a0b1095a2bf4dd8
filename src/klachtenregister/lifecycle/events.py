"""The events of a complaint's life and the details each kind of event carries.

The names are the vocabulary of :class:`~klachtenregister.regulations.vocabulary.Event`;
scenario files, the engine and the database's event log all speak them. Details are checked
for shape here (a missing handler, an unknown outcome); whether the event is allowed for this
complaint under its regulation is the engine's question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from klachtenregister.regulations.schema import DurationSpec, EventRef, Identifier
from klachtenregister.regulations.vocabulary import Channel, ComplaintItem, DeadlineKind, Event

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Person = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# Who a person is, as the register identifies them (its person's id): the impartiality rules
# compare these, not how a name is spelled (issue 16 §2). Opaque to the engine.
PersonId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]

# The actor the engine records for what it does by itself (time-triggered rules).
SYSTEM_ACTOR = "system"


class Details(BaseModel):
    """What every event may carry: the role that records it and a free remark."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Identifier | None = Field(
        default=None, description="The role (an id from the regulation) that records the event."
    )
    note: Text | None = None


class ReceivedDetails(Details):
    channel: Channel
    anonymous: bool = False
    facts_date: dt.date | None = Field(
        default=None, description="The date of the conduct complained about."
    )
    learned_on: dt.date | None = Field(
        default=None,
        description="The day the complainant learned of the conduct, where a time limit is "
        "measured from it (measured_from: learned_of).",
    )
    # Intake (issue 14 §3): asked at registration, per precondition of the regulation (its id),
    # whether it was met (Integratiewerk: first talked with the employee, then the manager).
    preconditions: dict[Identifier, bool] | None = Field(
        default=None,
        description="Per precondition id of the regulation: met before the complaint (true) or "
        "not (false).",
    )


class PutInWritingDetails(Details):
    """The complaint put in writing after it came in on another channel."""

    form: Literal["letter", "signed_form"] = Field(
        default="letter",
        description="A letter (or e-mail) from the complainant, or the complaint form the "
        "complainant signed after an oral complaint.",
    )


class CompletionRequestedDetails(Details):
    missing: list[ComplaintItem] = Field(
        min_length=1, description="What the complaint lacks of the regulation's required contents."
    )


class StageDetails(Details):
    stage: Identifier = Field(description="The id of a stage in the regulation's handling.stages.")


class InadmissibleDetails(Details):
    ground: Identifier | None = Field(default=None, description="A ground id from the regulation.")
    reason: Text | None = Field(default=None, description="The motivation, in words.")


class HandlerDetails(Details):
    handler: Person
    handler_id: PersonId | None = Field(
        default=None,
        description="Who the handler is (the register's person id), compared with the "
        "subjects' ids by the impartiality rules; the name is for display and letters.",
    )
    # The handler's function is recorded with the name (Loket3, Handelswijze 2).
    function: Person | None = Field(
        default=None, description="The handler's function (position), as the letters name it."
    )


class CommitteeDetails(Details):
    members: list[Person] = Field(min_length=1)
    chair: Person | None = Field(
        default=None, description="The member who chairs the committee (signs its advice)."
    )
    member_ids: list[PersonId] | None = Field(
        default=None,
        description="Who the members are (the register's person ids), in the order of members.",
    )

    @model_validator(mode="after")
    def _chair_is_a_member(self) -> CommitteeDetails:
        if self.chair is not None and self.chair not in self.members:
            raise ValueError("the chair must be one of the committee's members")
        if self.member_ids is not None and len(self.member_ids) != len(self.members):
            raise ValueError("member_ids names each member once, in the order of members")
        return self

    def identified(self) -> list[tuple[str, str | None]]:
        """Each member's name with their id, where the register gave one."""
        if self.member_ids is None:
            return [(name, None) for name in self.members]
        return list(zip(self.members, self.member_ids, strict=True))


class ExternalPartyDetails(Details):
    party: Text | None = None


class ConsultationDetails(Details):
    outcome: Literal["agreement", "no_agreement"]


class HearingDetails(Details):
    heard: list[Person] = Field(min_length=1)


class ExtensionDetails(Details):
    deadline: Identifier | None = Field(default=None, description="The deadline id to extend.")
    kind: DeadlineKind | None = Field(default=None, description="Or the kind of deadline.")
    by: DurationSpec = Field(description="How much later the deadline falls.")
    reason: Text
    consent: bool = Field(
        default=False, description="The complainant consented (in writing) to this extension."
    )

    @model_validator(mode="after")
    def _one_target(self) -> ExtensionDetails:
        if (self.deadline is None) == (self.kind is None):
            raise ValueError("name the deadline to extend by exactly one of 'deadline' or 'kind'")
        return self


class DecisionDetails(Details):
    outcome: Literal["founded", "partly_founded", "unfounded"]
    motivation: Text | None = None


class MeasuresDetails(Details):
    type: Literal["corrective", "preventive"]
    description: Text | None = None


class EscalationDetails(Details):
    to: Identifier = Field(description="An escalation route id or body named by the regulation.")


class ReasonDetails(Details):
    reason: Text | None = None


MAX_NOTE = 5000  # characters of a note's text


class NoteDetails(Details):
    """A free note: a phone call, an e-mail, a conversation in the corridor. It changes nothing
    by itself; a regulation may still let a contact of a kind meet a term (``outcome: kind``)."""

    kind: Literal["telephone", "email", "conversation", "other"] = Field(
        description="The kind of contact: telephone, email, conversation or other."
    )
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NOTE)
    ] = Field(description="What was said or written.")
    cleared: list[PersonId] | None = Field(
        default=None,
        description="People kept out for a name resembling a subject's whom the note confirms "
        "are someone else (their ids): the impartiality rules no longer count them as subjects.",
    )


MAX_VOID_REASON = 2000  # characters of the reason a registration is voided


class VoidDetails(Details):
    """Why a registration is voided: it was a duplicate, a test, a mistake."""

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_VOID_REASON)
    ] = Field(description="Why the registration is void (a duplicate of which complaint, a test).")


MAX_CORRECTION_REASON = 2000  # characters of the reason for a correction
MAX_FACT_VALUE = 5000  # characters of one corrected value (the description is the longest)

# The facts recorded at registration that a correction may change (CORRECTABLE_FACTS below in
# this order): columns of the register's complaint, the day of receipt and the list of people the
# complaint is about. The engine reads a corrected channel, facts date, receipt and subject list
# from the correction on (docs/lifecycle.md); those involved are not correctable.
CorrectableFact = Literal[
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
]
CORRECTABLE_FACTS: tuple[str, ...] = get_args(CorrectableFact)
FactValue = Annotated[str, StringConstraints(max_length=MAX_FACT_VALUE)]
# The one fact whose value is a list: the names of the people the complaint is about.
LIST_FACTS = frozenset({"subjects"})


class FactChange(BaseModel):
    """One corrected fact: its value before and after (text; a date as YYYY-MM-DD; a list of
    names for the subjects; empty or absent for nothing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    old: FactValue | list[Person] | None = None
    new: FactValue | list[Person] | None = None


def _names(value: str | list[str] | None) -> frozenset[str]:
    return frozenset(value) if isinstance(value, list) else frozenset()


def _same(name: str, change: FactChange) -> bool:
    if name in LIST_FACTS:
        return _names(change.old) == _names(change.new)
    return (change.old or None) == (change.new or None)


class IdsChange(BaseModel):
    """The ids of the people a fact names, before and after a correction."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    old: list[PersonId] = Field(default_factory=list)
    new: list[PersonId] = Field(default_factory=list)


class FactsCorrectedDetails(Details):
    """A correction of facts recorded at registration: what changed (old and new) and why. The
    log stays append-only; the correction is an event of its own."""

    reason: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_CORRECTION_REASON),
    ] = Field(description="Why the facts are corrected.")
    changes: dict[CorrectableFact, FactChange] = Field(
        min_length=1, description="Per corrected fact its old and new value."
    )
    regulation_version: FactChange | None = Field(
        default=None,
        description=(
            "When a corrected day of receipt falls under another version of the regulation: the "
            "version before and after, as the register records it. The engine replays under the "
            "complaint's (new) version; this only tells the log why."
        ),
    )
    subject_ids: IdsChange | None = Field(
        default=None,
        description=(
            "When the subjects change: the ids of the people kept out as subjects before and "
            "after (the register's people linked to a subject, and members whose name resembles "
            "a subject's until confirmed otherwise). The impartiality rules compare these."
        ),
    )

    @model_validator(mode="after")
    def _values_read(self) -> FactsCorrectedDetails:
        for name, change in self.changes.items():
            is_list = name in LIST_FACTS
            for value in (change.old, change.new):
                if value is not None and isinstance(value, list) != is_list:
                    kind = "a list of names" if is_list else "a text"
                    raise ValueError(f"{name}: the value is {kind}")
            if _same(name, change):
                raise ValueError(f"{name}: the new value is the old one")
        channel = self.changes.get("channel")
        if channel is not None and channel.new not in {c.value for c in Channel}:
            raise ValueError(f"channel: unknown channel {channel.new!r}")
        for day in ("facts_date", "received_on"):
            dated = self.changes.get(day)
            if dated is not None and isinstance(dated.new, str) and dated.new:
                dt.date.fromisoformat(dated.new)  # ValueError when it does not read
        received = self.changes.get("received_on")
        if received is not None and not received.new:
            raise ValueError("received_on: a complaint keeps its day of receipt")
        description = self.changes.get("description")
        if description is not None and not str(description.new or "").strip():
            raise ValueError("description: a complaint keeps a description")
        return self

    @property
    def received_on(self) -> dt.date | None:
        """The corrected day of receipt, if this correction changes it."""
        change = self.changes.get("received_on")
        return dt.date.fromisoformat(str(change.new)) if change is not None else None

    @property
    def subjects(self) -> frozenset[str] | None:
        """The corrected list of people the complaint is about, if this correction changes it."""
        change = self.changes.get("subjects")
        return _names(change.new) if change is not None else None

    def corrected_received(self, received: ReceivedDetails) -> ReceivedDetails:
        """The receipt's details with the channel and facts date as corrected."""
        update: dict[str, object] = {}
        if "channel" in self.changes:
            update["channel"] = Channel(str(self.changes["channel"].new))
        if "facts_date" in self.changes:
            new = self.changes["facts_date"].new
            update["facts_date"] = dt.date.fromisoformat(str(new)) if new else None
        return received.model_copy(update=update) if update else received


class TodoDoneDetails(Details):
    """Which to-do (a duty without a term) was carried out by hand."""

    todo: Identifier = Field(
        description="The to-do's id: the regulation's notification id, or the id of the term "
        "whose missing must be told (if_missed)."
    )


MAX_TRACKING_NUMBER = 100  # characters of a registered letter's tracking number


class DateChange(BaseModel):
    """A delivery date before and after (none before: the first entry)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    old: dt.date | None = None
    new: dt.date


class TrackingChange(BaseModel):
    """A tracking number before and after."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    old: Annotated[str, StringConstraints(max_length=MAX_TRACKING_NUMBER)] = ""
    new: Annotated[str, StringConstraints(max_length=MAX_TRACKING_NUMBER)] = ""


class DeliveryDateDetails(Details):
    """A letter sent by post was delivered on a day, or that day changes (with a reason)."""

    letter: Annotated[str, StringConstraints(min_length=1, max_length=300)] = Field(
        description="The letter, as the complaint page names it."
    )
    addressee: Annotated[str, StringConstraints(max_length=200)] = Field(
        default="", description="To whom the letter went."
    )
    delivered_on: DateChange
    tracking_number: TrackingChange | None = None
    reason: Text | None = Field(
        default=None, description="Why a delivery date entered before changes (required then)."
    )

    @model_validator(mode="after")
    def _reason_for_a_change(self) -> DeliveryDateDetails:
        change = self.delivered_on
        if change.old is not None and change.old != change.new and not self.reason:
            raise ValueError("a changed delivery date needs a reason")
        return self


# --- consent and agreements (issue 14 §4) -----------------------------------------------------


class ConsentDetails(Details):
    """The complainant's consent to the organisation handling the complaint itself (Iskander,
    stroomschema rij 2): given, or refused (then an external party handles it)."""

    outcome: Literal["given", "refused"]


class TermAgreedDetails(Details):
    """A new term agreed with the complainant when the decision comes late (IN FOCUS Samen, De
    procedure 6): the term and the agreed date."""

    deadline: Identifier | None = Field(default=None, description="The deadline id agreed on.")
    kind: DeadlineKind | None = Field(default=None, description="Or the kind of deadline.")
    due: dt.date = Field(description="The new due date agreed with the complainant.")
    reason: Text | None = Field(default=None, description="Why the term is not met.")

    @model_validator(mode="after")
    def _one_target(self) -> TermAgreedDetails:
        if (self.deadline is None) == (self.kind is None):
            raise ValueError("name the deadline agreed on by exactly one of 'deadline' or 'kind'")
        return self


MAX_COMMENTS = 5000  # characters of the comments on a hearing report


class HearingReportReturnedDetails(Details):
    """A hearing report sent for signature came back: signed, or with comments."""

    outcome: Literal["signed", "commented"]
    comments: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENTS)
        ]
        | None
    ) = Field(default=None, description="The comments on the report (required when commented).")

    @model_validator(mode="after")
    def _comments_when_commented(self) -> HearingReportReturnedDetails:
        if self.outcome == "commented" and not self.comments:
            raise ValueError("a report returned with comments needs the comments")
        return self


MAX_AMOUNT = Decimal("1000000")  # euros: more is a typing error, not a cost of a complaint


class CostsDetails(Details):
    """Costs on a complaint: representation the complainant pays (Iskander) or travel expenses
    reimbursed for the hearing (SmartPLUS Punt 6)."""

    kind: Literal["representation", "travel"]
    amount: Decimal = Field(
        ge=0, lt=MAX_AMOUNT, max_digits=9, decimal_places=2, description="The amount in euros."
    )
    description: Text | None = None


DETAILS: dict[Event, type[Details]] = {
    Event.RECEIVED: ReceivedDetails,
    Event.DECLARED_INADMISSIBLE: InadmissibleDetails,
    Event.HANDLER_ASSIGNED: HandlerDetails,
    Event.COMMITTEE_APPOINTED: CommitteeDetails,
    Event.EXTERNAL_PARTY_ENGAGED: ExternalPartyDetails,
    Event.CONSULTATION_HELD: ConsultationDetails,
    Event.HEARING_HELD: HearingDetails,
    Event.EXTENDED: ExtensionDetails,
    Event.DECISION_MADE: DecisionDetails,
    Event.MEASURES_RECORDED: MeasuresDetails,
    Event.ESCALATED: EscalationDetails,
    Event.WITHDRAWN: ReasonDetails,
    Event.CLOSED: ReasonDetails,
    Event.REOPENED: ReasonDetails,
    Event.NOTE_ADDED: NoteDetails,
    Event.REGISTRATION_VOIDED: VoidDetails,
    Event.FACTS_CORRECTED: FactsCorrectedDetails,
    Event.TODO_DONE: TodoDoneDetails,
    Event.COMPLAINT_PUT_IN_WRITING: PutInWritingDetails,
    Event.COMPLETION_REQUESTED: CompletionRequestedDetails,
    Event.STAGE_STARTED: StageDetails,
    Event.DELIVERY_DATE_CHANGED: DeliveryDateDetails,
}


DETAILS.update(
    {
        Event.CONSENT_RECORDED: ConsentDetails,
        Event.TERM_AGREED: TermAgreedDetails,
        Event.HEARING_REPORT_RETURNED: HearingReportReturnedDetails,
        Event.COSTS_RECORDED: CostsDetails,
    }
)


def details_model(event: Event) -> type[Details]:
    return DETAILS.get(event, Details)


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One dated event with its details, as the engine replays it."""

    on: dt.date
    event: Event
    details: Details

    @property
    def outcome(self) -> str | None:
        """What an event reference with ``outcome:`` is matched against."""
        if isinstance(self.details, ConsultationDetails | DecisionDetails):
            return self.details.outcome
        if isinstance(self.details, MeasuresDetails):
            return self.details.type
        if isinstance(self.details, NoteDetails):
            return self.details.kind
        if isinstance(self.details, PutInWritingDetails):
            return self.details.form
        if isinstance(self.details, StageDetails):
            return self.details.stage
        if isinstance(self.details, ConsentDetails | HearingReportReturnedDetails):
            return self.details.outcome
        if isinstance(self.details, CostsDetails):
            return self.details.kind
        return None

    @property
    def role(self) -> str | None:
        """The role that records the event, if named."""
        return self.details.role

    def matches(self, ref: EventRef) -> bool:
        return ref.event is self.event and (ref.outcome is None or ref.outcome == self.outcome)


def record(on: dt.date | str, event: Event | str, **details: object) -> EventRecord:
    """An event with its details validated; raises pydantic's ValidationError on bad details.

    >>> record("2027-04-29", "received", channel="written").event.value
    'received'
    """
    day = on if isinstance(on, dt.date) else dt.date.fromisoformat(on)
    kind = Event(event)
    return EventRecord(day, kind, details_model(kind).model_validate(details))
