"""The regulation file format: pydantic models, exported as JSON Schema.

A regulation (klachtenreglement) is data. Every rule carries ``source`` (the clause of the
regulation it comes from) and, where the text is ambiguous, a ``note`` with the reading chosen.
Cross-references (a letter naming a deadline, unique ids) are checked in the model validator so a
file is accepted or refused as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue

from klachtenregister.calendars.units import Duration, DurationUnit
from klachtenregister.regulations.vocabulary import (
    EVENT_OUTCOMES,
    REGULATION_OUTCOMES,
    AdviceForce,
    Channel,
    ComplaintItem,
    Condition,
    Content,
    DeadlineKind,
    Delivery,
    EscalationBody,
    Event,
    Figure,
    Impartiality,
    LimitAnchor,
    Party,
    ReportPeriod,
    RoleKind,
)
from klachtenregister.yamlio import Invalid, Location, Message, message

SCHEMA_VERSION = 1

Identifier = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=64)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Source = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    Field(description="The clause of the regulation this rule comes from, e.g. 'Punt 7'."),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Rule(Strict):
    """Anything taken from the regulation text: it says where it comes from."""

    source: Source
    note: Text | None = Field(
        default=None, description="How an ambiguous clause was read, and why."
    )


class DurationSpec(Strict):
    amount: StrictInt = Field(gt=0, le=3650)
    unit: DurationUnit

    @field_validator("unit", mode="before")
    @classmethod
    def _parse_unit(cls, value: object) -> object:
        if isinstance(value, str):
            return DurationUnit.parse(value)
        return value

    def as_duration(self) -> Duration:
        return Duration(self.amount, self.unit)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}"


class EventRef(Strict):
    """An event, optionally narrowed to one outcome.

    ``{event: consultation_held, outcome: agreement}``

    A plain string (``acknowledged``) is accepted as shorthand.
    """

    event: Event
    outcome: Identifier | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: object) -> object:
        if isinstance(value, str):
            return {"event": value}
        return value

    @model_validator(mode="after")
    def _known_outcome(self) -> EventRef:
        if self.outcome is None or self.event in REGULATION_OUTCOMES:
            # A stage's id: the regulation's cross-references check it (_reference_problems).
            return self
        allowed = EVENT_OUTCOMES.get(self.event)
        if not allowed:
            raise Invalid(
                message(
                    "gebeurtenis {event} heeft geen uitkomsten om op te beperken",
                    event=repr(self.event.value),
                )
            )
        if self.outcome not in allowed:
            raise Invalid(
                message(
                    "onbekende uitkomst {outcome} bij gebeurtenis {event}; verwacht een van: "
                    "{expected}",
                    outcome=repr(self.outcome),
                    event=repr(self.event.value),
                    expected=", ".join(sorted(allowed)),
                )
            )
        return self

    def __str__(self) -> str:
        return self.event.value if self.outcome is None else f"{self.event.value}({self.outcome})"


_EVENT_REF_JSON: JsonSchemaValue = {
    "anyOf": [
        {"type": "string", "enum": [e.value for e in Event]},
        {
            "type": "object",
            "properties": {
                "event": {"type": "string", "enum": [e.value for e in Event]},
                "outcome": {"type": "string"},
            },
            "required": ["event"],
            "additionalProperties": False,
        },
    ],
    "description": "An event name, or {event, outcome} to narrow it to one outcome.",
}
# What the file may say: one event reference or a list of them.
EventRefs = Annotated[
    list[EventRef],
    WithJsonSchema(
        {"anyOf": [_EVENT_REF_JSON, {"type": "array", "items": _EVENT_REF_JSON, "minItems": 1}]}
    ),
]
OneEventRef = Annotated[EventRef, WithJsonSchema(_EVENT_REF_JSON)]


# --- organisation and definitions -------------------------------------------------------------


class Organisation(Strict):
    name: Text
    short_code: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,5}$")] = Field(
        description="Prefix of complaint reference numbers, e.g. ISK in ISK-2027-0007."
    )
    address: Text | None = None


class Definition(Rule):
    text: Text


class ComplaintCategory(Rule):
    id: Identifier
    label: Text


class WhoMayComplain(Rule):
    text: Text
    parties: list[Identifier] = Field(
        min_length=1, description="e.g. client, opdrachtgever, employer, anyone"
    )


class Channels(Rule):
    accepted: list[Channel] = Field(min_length=1)
    preferred: Channel | None = None
    written_form_requested: StrictBool = Field(
        default=False,
        description="An oral complaint is asked to be put in writing, or staff help to write it.",
    )
    in_writing_required: StrictBool = Field(
        default=False,
        description="A complaint is taken into treatment only once it is in writing: one "
        "received orally (or on a channel not accepted) is registered and flagged, 'accepted' "
        "waits for complaint_put_in_writing, and the terms that start at receipt count from "
        "the day it is put in writing.",
    )


class Anonymous(Rule):
    accepted: StrictBool


class Representation(Rule):
    allowed: StrictBool
    at_own_cost: StrictBool | None = None
    text: Text | None = None


class Precondition(Rule):
    """A step expected before a formal complaint, e.g. talking to the employee first."""

    id: Identifier
    label: Text
    required: StrictBool = True


class RequiredContents(Rule):
    """What a complaint must contain to be handled. The complainant is asked to complete what
    is missing (completion_requested, within the term of a deadline of kind 'completion'); a
    ground with ``applies_when: incomplete`` refuses it when that term ran out uncompleted."""

    items: list[ComplaintItem] = Field(min_length=1)


class Definitions(Strict):
    complaint: Definition
    who_may_complain: WhoMayComplain
    channels: Channels
    anonymous: Anonymous
    representation: Representation | None = None
    preconditions: list[Precondition] = []
    categories: list[ComplaintCategory] = []
    required_contents: RequiredContents | None = None
    # Intake (issue 14 §3): the categories are the registration form's choices; this adds
    # "anders" where the regulation's list is not closed.
    other_category: StrictBool = Field(
        default=False,
        description="Besides its categories a complaint may be about something else: the "
        "registration form offers 'anders'.",
    )

    def category_label(self, value: str) -> str:
        """How a stored category reads: the label of the regulation's category with that id;
        anything else (a category typed as 'anders', one stored before the regulation listed
        its categories) as it was stored."""
        return next((c.label for c in self.categories if c.id == value), value)


# --- roles and handling -----------------------------------------------------------------------


class CommitteeRule(Rule):
    size: StrictInt | None = Field(
        ge=1, le=15, description="The number of members; null: the regulation does not say."
    )
    independence: list[Impartiality] = Field(min_length=1)
    appointed_on: Event | None = Field(
        default=None, description="The event on which the committee is appointed, if fixed."
    )
    advice: AdviceForce


class Role(Rule):
    id: Identifier
    kind: RoleKind
    label: Text
    label_en: Text | None = None
    performs: list[Event] = Field(
        default=[], description="The events a person in this role may record."
    )
    duties: Text | None = None
    committee: CommitteeRule | None = None

    @model_validator(mode="after")
    def _committee_only_for_committees(self) -> Role:
        if self.kind is RoleKind.COMMITTEE and self.committee is None:
            raise Invalid(
                message(
                    "een rol van soort 'committee' heeft een blok 'committee' nodig (size, ...)"
                )
            )
        if self.kind is not RoleKind.COMMITTEE and self.committee is not None:
            raise Invalid(message("'committee' mag alleen bij een rol van soort 'committee'"))
        return self


class ExternalParty(Rule):
    when: Text
    consent_required: StrictBool = Field(
        default=False,
        description="The organisation handles the complaint itself only with the complainant's "
        "consent (event consent_recorded, outcome given or refused); without it an external "
        "party is engaged before the handling goes on (Iskander, stroomschema rij 2).",
    )


class HearingReport(Rule):
    recipients: list[Party] = Field(min_length=1)
    for_signature: StrictBool = False


class TravelExpenses(Rule):
    """Travel expenses for the hearing the organisation may reimburse (SmartPLUS Punt 6: "op
    aanvraag van de cliënt een vergoeding voor reiskosten"); recorded with costs_recorded."""

    on_request: StrictBool = Field(
        default=True, description="Only when the complainant asks for it."
    )


class Hearing(Rule):
    required: StrictBool = Field(
        description="The hearing must be held before the judgement (e.g. 'alle partijen horen')."
    )
    offered: StrictBool = Field(
        default=False,
        description=(
            "'In de gelegenheid stellen gehoord te worden': the hearing must be offered (the "
            "event hearing_invitation_sent) and then held or declined (hearing_declined) before "
            "the judgement."
        ),
    )
    on_request_of: list[Party] = []
    parties: list[Party] = Field(min_length=1, description="Who is given the chance to be heard.")
    counsel_allowed: StrictBool = False
    report: HearingReport | None = None
    inspection_of_documents: list[Party] = []
    travel_expenses: TravelExpenses | None = Field(
        default=None,
        description="Travel expenses for the hearing may be reimbursed (event costs_recorded, "
        "kind travel).",
    )


class InformalResolution(Rule):
    allowed: StrictBool
    recorded_in_file: StrictBool = True


class Stage(Rule):
    """A further handling stage inside the same complaint: when the complainant is not
    satisfied with the judgement, another handler judges again ("eerst beoordeelt de directeur;
    is de klager niet tevreden, dan een externe arbeidsdeskundige"). Started by the event
    stage_started (outcome: this id); its terms are deadlines that start on it."""

    id: Identifier
    label: Text
    label_en: Text | None = None
    handled_by: list[Identifier] = Field(
        min_length=1, description="Role ids that may handle the complaint in this stage."
    )
    hearing: Hearing | None = Field(
        default=None, description="The hearing in this stage; without it, none is asked."
    )


class Handling(Strict):
    handled_by: list[Identifier] = Field(
        min_length=1, description="Role ids that may handle a complaint."
    )
    impartiality: list[Impartiality] = Field(min_length=1)
    impartiality_source: Source
    external_party: ExternalParty | None = None
    hearing: Hearing | None = None
    informal_resolution: InformalResolution | None = None
    stages: list[Stage] = Field(
        default=[],
        description="Further handling stages after the first judgement, in order.",
    )
    note: Text | None = None


# --- admissibility ----------------------------------------------------------------------------


class TimeLimit(Strict):
    amount: StrictInt = Field(gt=0)
    unit: DurationUnit
    measured_from: LimitAnchor = LimitAnchor.FACTS_DATE
    measured_to: LimitAnchor = LimitAnchor.RECEIVED

    @field_validator("unit", mode="before")
    @classmethod
    def _parse_unit(cls, value: object) -> object:
        if isinstance(value, str):
            return DurationUnit.parse(value)
        return value

    @model_validator(mode="after")
    def _different_anchors(self) -> TimeLimit:
        if self.measured_from == self.measured_to:
            raise Invalid(message("measured_from en measured_to moeten verschillen"))
        return self

    def as_duration(self) -> Duration:
        return Duration(self.amount, self.unit)


class Ground(Rule):
    """A reason not to take a complaint into treatment (niet-ontvankelijk)."""

    id: Identifier
    label: Text
    label_en: Text | None = None
    time_limit: TimeLimit | None = None
    applies_when: Condition | None = Field(
        default=None, description="A fact of the complaint that makes this ground apply."
    )


class Admissibility(Strict):
    decided_by: list[Identifier] = Field(
        default=[], description="Role ids that decide whether a complaint is taken."
    )
    grounds: list[Ground] = []
    source: Source | None = None
    note: Text | None = None


# --- deadlines --------------------------------------------------------------------------------


class Extension(Rule):
    max_times: StrictInt | None = Field(default=1, ge=1, description="null: no limit")
    max_by: DurationSpec | None = Field(
        default=None, description="The most a single extension may add; null: as agreed."
    )
    notice_required: StrictBool = True
    notify: list[Party] = []
    further_with_consent: StrictBool = Field(
        default=False,
        description="Beyond max_times or max_by only with the complainant's (written) consent.",
    )
    by_agreement: StrictBool = Field(
        default=False,
        description='A new term may be agreed with the complainant ("in overleg een nieuwe '
        'termijn afspreken"): the event term_agreed moves the term to the agreed date, counted '
        "as an extension.",
    )


class ExpiryAction(Rule):
    """What the system does by itself when the term runs out unmet (a time-triggered rule)."""

    event: Event
    reason: Text


class MissedAction(Rule):
    """Who must be told when the term is missed: a to-do on the complaint from the day after it
    ran out, unless the act was done before then."""

    notify: list[Party] = Field(min_length=1)
    with_reason: StrictBool = True
    done_by: EventRefs = Field(
        default=[],
        description="The events that carry out the duty (the notice sent); without them the "
        "to-do is marked done by hand (event todo_done).",
    )

    @field_validator("done_by", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        if isinstance(value, str | dict):
            return [value]
        return value


class Deadline(Rule):
    id: Identifier
    kind: DeadlineKind
    label: Text
    label_en: Text | None = None
    starts_on: EventRefs = Field(
        min_length=1, description="The term counts from the first of these events."
    )
    applies_when: OneEventRef | None = Field(
        default=None,
        description="The term only applies once this event has happened "
        "(e.g. an inadmissibility notice counted from receipt).",
    )
    duration: DurationSpec
    met_by: EventRefs = Field(min_length=1)
    cancelled_by: EventRefs = []
    notify: list[Party] = Field(default=[], description="Who must be told when it is met.")
    binding: StrictBool = True
    extension: Extension | None = None
    on_expiry: ExpiryAction | None = None
    if_missed: MissedAction | None = None
    letter_text: Text | None = Field(
        default=None,
        description="The term as a letter explains it to a complainant, in one sentence "
        '("U krijgt binnen vijf werkdagen na het gesprek een schriftelijke bevestiging."); '
        "without it the register builds a sentence from the kind of term, its duration and start.",
    )
    letter_text_en: Text | None = None

    @field_validator("starts_on", "met_by", "cancelled_by", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        if isinstance(value, str | dict):
            return [value]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Deadline:
        if self.kind is DeadlineKind.SILENCE_CLOSURE and self.on_expiry is None:
            raise Invalid(
                message("een termijn van soort 'silence_closure' heeft 'on_expiry' nodig")
            )
        if self.kind is DeadlineKind.SERVICE_NORM and self.binding:
            raise Invalid(
                message(
                    "een termijn van soort 'service_norm' is een interne norm: zet binding: false"
                )
            )
        overlap = {str(r) for r in self.met_by} & {str(r) for r in self.cancelled_by}
        if overlap:
            raise Invalid(
                message(
                    "deze gebeurtenissen halen de termijn en laten hem ook vervallen: {events}",
                    events=", ".join(sorted(overlap)),
                )
            )
        return self

    @property
    def starts_at_receipt(self) -> bool:
        return any(ref.event is Event.RECEIVED and ref.outcome is None for ref in self.starts_on)


# --- letters, notifications, escalation, reporting --------------------------------------------


class Letter(Rule):
    id: Identifier
    label: Text
    label_en: Text | None = None
    step: Event = Field(description="The event that sending this letter records.")
    deadline: Identifier | None = Field(default=None, description="The deadline it meets.")
    recipients: list[Party] = Field(min_length=1)
    copies: list[Party] = []
    required_contents: list[Content] = Field(min_length=1)
    delivery: list[Delivery] = []
    condition: Condition | None = None


class Notification(Rule):
    """Someone who must be told at once when something happens; no term is stated."""

    id: Identifier
    label: Text
    on: OneEventRef
    notify: list[Party] = Field(min_length=1)
    condition: Condition | None = None
    done_by: EventRefs = Field(
        default=[],
        description="The events that carry out the duty (the letter that informs, the referral); "
        "without them the to-do is marked done by hand (event todo_done).",
    )

    @field_validator("done_by", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        if isinstance(value, str | dict):
            return [value]
        return value


# A website as a letter prints it: "www.nationaleombudsman.nl", "https://www.uwv.nl/klacht".
Website = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        pattern=r"^(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(/[^\s]*)?$",
        max_length=200,
    ),
]


class EscalationRoute(Rule):
    id: Identifier
    label: Text
    to: EscalationBody
    condition: Condition | None = None
    mentioned_in_decision: StrictBool = False
    term: DurationSpec | None = Field(
        default=None,
        description="Within what term after the decision was sent one can escalate; an "
        "escalation after it is refused.",
    )
    name: Text | None = Field(
        default=None,
        description=(
            "The body as a letter names it within a sentence ('de Nationale ombudsman', 'het "
            "klachtenbureau van UWV'). Without it the letter names the kind of body."
        ),
    )
    name_en: Text | None = Field(default=None, description="The name in English letters.")
    website: Website | None = Field(
        default=None, description="The body's website, printed after its name in the letter."
    )
    address: Text | None = Field(
        default=None,
        description="The body's postal or visiting address, printed after its name.",
    )


class ReportingDuty(Rule):
    id: Identifier
    label: Text
    period: ReportPeriod
    on_request: StrictBool = False
    audience: list[Party] = Field(min_length=1)
    figures: list[Figure] = Field(min_length=1)
    anonymised: StrictBool = False


# --- the regulation ---------------------------------------------------------------------------


class Regulation(Strict):
    schema_version: Literal[1] = Field(description="Version of this file format.")
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
    organisation: Organisation
    name: Text
    version: Text
    effective_from: dt.date
    calendar: Text = Field(
        default="nl-atw", description="A built-in calendar name or a calendar file path."
    )
    language: Literal["nl", "en"] = "nl"
    template: StrictBool = Field(
        default=False,
        description="A model regulation that belongs to no organisation (such as awb-h9); "
        "organisations can adopt it.",
    )
    source_document: Text | None = None
    definitions: Definitions
    roles: list[Role] = Field(min_length=1)
    handling: Handling
    admissibility: Admissibility
    deadlines: list[Deadline] = Field(min_length=1)
    letters: list[Letter] = []
    notifications: list[Notification] = []
    escalation: list[EscalationRoute] = []
    reporting: list[ReportingDuty] = []
    event_labels: dict[Event, Text] = Field(
        default={}, description="Display names for events, e.g. received: Binnenkomst."
    )
    notes: list[Text] = []

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        # YAML reads `version: 1.0` as a float; a version is a label, not a number.
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value

    @model_validator(mode="after")
    def _references(self) -> Regulation:
        problems = _reference_problems(self)
        if problems:
            raise Invalid(problems[0][1], tuple(problems))
        return self

    def deadline(self, deadline_id: str) -> Deadline:
        for deadline in self.deadlines:
            if deadline.id == deadline_id:
                return deadline
        raise KeyError(deadline_id)

    def deadlines_at_receipt(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.starts_at_receipt]


def _duplicates(ids: list[str]) -> list[str]:
    return sorted(i for i, count in Counter(ids).items() if count > 1)


def _reference_problems(reg: Regulation) -> list[tuple[Location, Message]]:
    """Each problem at the field that refers (so its own line in the file)."""
    problems: list[tuple[Location, Message]] = []
    id_lists: dict[str, list[str]] = {
        "roles": [item.id for item in reg.roles],
        "deadlines": [item.id for item in reg.deadlines],
        "letters": [item.id for item in reg.letters],
        "admissibility.grounds": [item.id for item in reg.admissibility.grounds],
        "notifications": [item.id for item in reg.notifications],
        "escalation": [item.id for item in reg.escalation],
        "handling.stages": [item.id for item in reg.handling.stages],
        "reporting": [item.id for item in reg.reporting],
    }
    for name, ids in id_lists.items():
        for dup in _duplicates(ids):
            where: Location = (*name.split("."), len(ids) - 1 - ids[::-1].index(dup), "id")
            problems.append((where, message("id {id} wordt meer dan eens gebruikt", id=repr(dup))))

    role_ids = {r.id for r in reg.roles}
    referring: list[tuple[Location, Sequence[str]]] = [
        (("handling", "handled_by"), reg.handling.handled_by),
        (("admissibility", "decided_by"), reg.admissibility.decided_by),
    ]
    for n, stage in enumerate(reg.handling.stages):
        referring.append((("handling", "stages", n, "handled_by"), stage.handled_by))
    for where_list, role_refs in referring:
        for i, role_id in enumerate(role_refs):
            if role_id not in role_ids:
                problems.append(
                    ((*where_list, i), message("geen rol met id {id}", id=repr(role_id)))
                )
    problems.extend(_stage_reference_problems(reg))
    if reg.definitions.required_contents is None:
        for i, ground in enumerate(reg.admissibility.grounds):
            if ground.applies_when is Condition.INCOMPLETE:
                problems.append(
                    (
                        ("admissibility", "grounds", i, "applies_when"),
                        message(
                            "'incomplete' vraagt om definitions.required_contents: wat moet een "
                            "klacht bevatten?"
                        ),
                    )
                )

    deadline_ids = {d.id for d in reg.deadlines}
    for i, letter in enumerate(reg.letters):
        if letter.deadline is not None and letter.deadline not in deadline_ids:
            problems.append(
                (
                    ("letters", i, "deadline"),
                    message("geen termijn met id {id}", id=repr(letter.deadline)),
                )
            )
    # A regulation may state no decision term (issue 14 §5): the register then shows "geen
    # termijn in het reglement" with Awb 9:11's six weeks as an advisory target (terms.terms_of).
    for i, deadline in enumerate(reg.deadlines):
        starts = {r.event for r in deadline.starts_on}
        met = {r.event for r in deadline.met_by if r.outcome is None}
        if starts & met:
            problems.append(
                (
                    ("deadlines", i, "met_by"),
                    message(
                        "termijn {id}: een gebeurtenis kan hem niet zowel starten als halen",
                        id=repr(deadline.id),
                    ),
                )
            )
    return problems


def _event_refs(reg: Regulation) -> list[tuple[Location, EventRef]]:
    refs: list[tuple[Location, EventRef]] = []
    for i, deadline in enumerate(reg.deadlines):
        for name in ("starts_on", "met_by", "cancelled_by"):
            for j, ref in enumerate(getattr(deadline, name)):
                refs.append((("deadlines", i, name, j), ref))
        if deadline.applies_when is not None:
            refs.append((("deadlines", i, "applies_when"), deadline.applies_when))
        if deadline.if_missed is not None:
            for j, ref in enumerate(deadline.if_missed.done_by):
                refs.append((("deadlines", i, "if_missed", "done_by", j), ref))
    for i, notification in enumerate(reg.notifications):
        refs.append((("notifications", i, "on"), notification.on))
        for j, ref in enumerate(notification.done_by):
            refs.append((("notifications", i, "done_by", j), ref))
    return refs


def _stage_reference_problems(reg: Regulation) -> list[tuple[Location, Message]]:
    """A reference to stage_started names one of handling.stages (or none: any stage)."""
    stage_ids = [stage.id for stage in reg.handling.stages]
    problems: list[tuple[Location, Message]] = []
    for where, ref in _event_refs(reg):
        if ref.event is not Event.STAGE_STARTED:
            continue
        if not stage_ids:
            problems.append(
                (where, message("stage_started vraagt om handling.stages: er is geen fase"))
            )
        elif ref.outcome is not None and ref.outcome not in stage_ids:
            problems.append(
                (
                    (*where, "outcome"),
                    message(
                        "geen fase met id {id}; verwacht een van: {expected}",
                        id=repr(ref.outcome),
                        expected=", ".join(stage_ids),
                    ),
                )
            )
    return problems


def json_schema() -> JsonSchemaValue:
    schema = Regulation.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://klachtenregister.nl/schema/regulation-v1.json"
    schema["title"] = "Klachtenregister regulation (klachtenreglement), schema version 1"
    return schema
