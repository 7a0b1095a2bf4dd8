"""The fixed vocabularies a regulation file speaks: events, deadline kinds, parties, contents.

A regulation may only refer to the names defined here, so that one lifecycle engine can execute
every regulation (docs/lifecycle.md). Adding a name here is a deliberate change of the schema.
"""

from __future__ import annotations

from enum import StrEnum


class Event(StrEnum):
    """What can happen to a complaint; the event log speaks these names."""

    RECEIVED = "received"
    REGISTERED = "registered"
    ACKNOWLEDGED = "acknowledged"
    SUBJECT_INFORMED = "subject_informed"
    ACCEPTED = "accepted"
    DECLARED_INADMISSIBLE = "declared_inadmissible"
    INADMISSIBILITY_NOTICE_SENT = "inadmissibility_notice_sent"
    HANDLER_ASSIGNED = "handler_assigned"
    COMMITTEE_APPOINTED = "committee_appointed"
    EXTERNAL_PARTY_ENGAGED = "external_party_engaged"
    CONSULTATION_HELD = "consultation_held"
    AGREEMENT_LETTER_SENT = "agreement_letter_sent"
    CONSULTATION_CONFIRMATION_SENT = "consultation_confirmation_sent"
    FOLLOW_UP_INFORMATION_SENT = "follow_up_information_sent"
    REFERRED_TO_COMMITTEE = "referred_to_committee"
    COMMITTEE_ADVICE_GIVEN = "committee_advice_given"
    HEARING_INVITATION_SENT = "hearing_invitation_sent"
    HEARING_HELD = "hearing_held"
    HEARING_DECLINED = "hearing_declined"  # the offer to be heard was not taken up
    HEARING_REPORT_SENT = "hearing_report_sent"
    EXTENDED = "extended"
    PROGRESS_NOTICE_SENT = "progress_notice_sent"
    DECISION_MADE = "decision_made"
    DECISION_SENT = "decision_sent"
    MEASURES_RECORDED = "measures_recorded"
    REPORT_SENT = "report_sent"
    THIRD_PARTY_INFORMED = "third_party_informed"
    RESOLVED_INFORMALLY = "resolved_informally"
    WITHDRAWN = "withdrawn"
    REGISTERED_LETTER_DELIVERED = "registered_letter_delivered"
    REACTION_RECEIVED = "reaction_received"
    CLOSED = "closed"
    ESCALATED = "escalated"
    REOPENED = "reopened"
    # A free note (a phone call, an e-mail, a conversation); by itself it changes nothing.
    NOTE_ADDED = "note_added"
    # A complaint registered by mistake (a duplicate, a test): it leaves the watch list and every
    # figure, keeps its number and its log.
    REGISTRATION_VOIDED = "registration_voided"
    # A correction of the facts recorded at registration (the complainant's details, category,
    # channel, facts date, description, day of receipt, subjects), with a reason: the log keeps
    # old and new.
    FACTS_CORRECTED = "facts_corrected"
    # A duty without a term (a to-do: a notification, a missed term's notice) carried out by
    # hand, where no event of the regulation carries it out (details: the to-do's id).
    TODO_DONE = "todo_done"
    # A complaint received on a channel the regulation does not take (an oral complaint where it
    # wants one in writing) is put in writing later: by letter or on a signed complaint form
    # (outcome letter / signed_form). From then on it counts as in writing.
    COMPLAINT_PUT_IN_WRITING = "complaint_put_in_writing"
    # The complainant is asked to complete what a complaint must contain (definitions.
    # required_contents; details: the items missing), and completes it.
    COMPLETION_REQUESTED = "completion_requested"
    COMPLAINT_COMPLETED = "complaint_completed"
    # A further handling stage inside the same complaint (handling.stages, outcome: the stage's
    # id): the complainant was not satisfied with the first judgement.
    STAGE_STARTED = "stage_started"
    # A letter sent by post was delivered, or its delivery date changes: the date before and
    # after, with a reason for a change. Recorded by the register with the letter's date, never
    # offered as a step; by itself it changes nothing.
    DELIVERY_DATE_CHANGED = "delivery_date_changed"
    # --- consent and agreements (issue 14 §4) ---
    # The complainant consents to the organisation handling the complaint itself, or refuses
    # (outcome given / refused); without consent an external party handles it (Iskander,
    # stroomschema rij 2: handling.external_party.consent_required).
    CONSENT_RECORDED = "consent_recorded"
    # A new term agreed with the complainant when the decision comes late (details: the term and
    # the agreed date): the term moves to that date and counts as extended (IN FOCUS Samen,
    # De procedure 6; a deadline's extension.by_agreement).
    TERM_AGREED = "term_agreed"
    # A hearing report sent for signature came back signed or with comments (outcome signed /
    # commented); it carries out the to-do the report opened (handling.hearing.report.
    # for_signature).
    HEARING_REPORT_RETURNED = "hearing_report_returned"
    # Costs recorded on the complaint (details: kind and amount): representation the complainant
    # pays (definitions.representation.at_own_cost) or travel expenses reimbursed for the
    # hearing (handling.hearing.travel_expenses).
    COSTS_RECORDED = "costs_recorded"
    # Intake (issue 14 §3): a complaint received on a channel the regulation does not take (an
    # oral complaint where it wants writing) is registered, and the complainant is asked, by
    # letter, to put it in writing; complaint_put_in_writing follows when it is.
    WRITTEN_FORM_REQUESTED = "written_form_requested"


# The qualifier an event reference may name (`{event: consultation_held, outcome: agreement}`).
EVENT_OUTCOMES: dict[Event, frozenset[str]] = {
    Event.CONSULTATION_HELD: frozenset({"agreement", "no_agreement"}),
    Event.DECISION_MADE: frozenset({"founded", "partly_founded", "unfounded"}),
    Event.MEASURES_RECORDED: frozenset({"corrective", "preventive"}),
    # The kind of contact a note records; a regulation may let a contact of a kind meet a term.
    Event.NOTE_ADDED: frozenset({"telephone", "email", "conversation", "other"}),
    Event.COMPLAINT_PUT_IN_WRITING: frozenset({"letter", "signed_form"}),
    # Consent and agreements (issue 14 §4).
    Event.CONSENT_RECORDED: frozenset({"given", "refused"}),
    Event.HEARING_REPORT_RETURNED: frozenset({"signed", "commented"}),
    Event.COSTS_RECORDED: frozenset({"representation", "travel"}),
}
# Events whose outcome is an id the regulation itself defines (checked against it, not here).
REGULATION_OUTCOMES = frozenset({Event.STAGE_STARTED})


class DeadlineKind(StrEnum):
    """What a term is for. The engine and the reports group deadlines by kind."""

    ACKNOWLEDGEMENT = "acknowledgement"
    FIRST_CONTACT = "first_contact"
    INADMISSIBILITY_NOTICE = "inadmissibility_notice"
    AGREEMENT_LETTER = "agreement_letter"
    CONSULTATION_CONFIRMATION = "consultation_confirmation"
    FOLLOW_UP_INFORMATION = "follow_up_information"
    HEARING_REPORT = "hearing_report"
    COMMITTEE_ADVICE = "committee_advice"
    DECISION = "decision"
    SERVICE_NORM = "service_norm"
    PROGRESS_NOTICE = "progress_notice"
    FINAL_REPORT = "final_report"
    SILENCE_CLOSURE = "silence_closure"
    COMPLETION = "completion"  # the term to complete what a complaint must contain


class Party(StrEnum):
    """Who can be told something, receive a letter or a copy."""

    COMPLAINANT = "complainant"
    REPRESENTATIVE = "representative"
    SUBJECT = "subject"
    ALL_PARTIES = "all_parties"
    COORDINATOR = "coordinator"
    HANDLER = "handler"
    DIRECTOR = "director"
    MANAGER = "manager"
    COMMITTEE = "committee"
    EXTERNAL_PARTY = "external_party"
    OPDRACHTGEVER = "opdrachtgever"
    UWV_ARBEIDSDESKUNDIGE = "uwv_arbeidsdeskundige"
    MANAGEMENT = "management"


class RoleKind(StrEnum):
    COORDINATOR = "coordinator"
    HANDLER = "handler"
    DIRECTOR = "director"
    MANAGER = "manager"
    COMMITTEE = "committee"
    EXTERNAL_PARTY = "external_party"
    EMPLOYEE = "employee"


class Channel(StrEnum):
    ORAL = "oral"
    WRITTEN = "written"
    EMAIL = "email"
    PORTAL = "portal"


class Impartiality(StrEnum):
    """Who may not handle a complaint."""

    NOT_SUBJECT = "not_subject"  # never the person complained about
    NOT_INVOLVED = "not_involved"  # not involved in the conduct at all
    SUFFICIENT_DISTANCE = "sufficient_distance"  # far enough away to judge objectively


class AdviceForce(StrEnum):
    BINDING = "binding"
    ADVISORY = "advisory"
    DECIDES = "decides"  # the committee itself decides on the complaint


class LimitAnchor(StrEnum):
    """The dates a time-limit ground measures between."""

    FACTS_DATE = "facts_date"
    # The day the complainant learned of the conduct (received details learned_on); where it is
    # not recorded, the date of the conduct itself.
    LEARNED_OF = "learned_of"
    RECEIVED = "received"


class Condition(StrEnum):
    """Facts of a complaint a rule can depend on."""

    UWV_CLIENT = "uwv_client"
    SUBJECT_NAMED = "subject_named"
    ANONYMOUS = "anonymous"
    NOT_IN_WRITING = "not_in_writing"
    # Received on a channel the regulation does not list under channels.accepted, and not put
    # in writing since (complaint_put_in_writing).
    CHANNEL_NOT_ACCEPTED = "channel_not_accepted"
    # Asked to complete its required contents (completion_requested) and not completed since.
    INCOMPLETE = "incomplete"


class ComplaintItem(StrEnum):
    """What a complaint itself must contain to be handled (definitions.required_contents)."""

    NAME = "name"  # the complainant's name
    ADDRESS = "address"  # the complainant's address
    DATE = "date"  # the date of the complaint (signed and dated)
    SUBJECT = "subject"  # against whom or what it is directed
    DESCRIPTION = "description"  # the conduct complained about
    SIGNATURE = "signature"


class Delivery(StrEnum):
    POST = "post"
    REGISTERED_POST = "registered_post"
    EMAIL = "email"
    PHONE = "phone"
    IN_PERSON = "in_person"


class Content(StrEnum):
    """What a letter must contain. Letter templates are checked against these (later issue)."""

    COMPLAINT_DESCRIPTION = "complaint_description"
    DATE_PLACE_CIRCUMSTANCES = "date_place_circumstances"
    FACTS_DATE = "facts_date"
    RECEIPT_DATE = "receipt_date"
    ACKNOWLEDGEMENT_DATE = "acknowledgement_date"
    HANDLER = "handler"
    HANDLER_FUNCTION = "handler_function"
    CONTACT_PERSON = "contact_person"
    EXPECTED_TERM = "expected_term"
    PROCEDURE_INFORMATION = "procedure_information"
    INVITATION_TO_CONSULTATION = "invitation_to_consultation"
    COMMITTEE_COMPOSITION = "committee_composition"
    COMMITTEE_WORKING_METHOD = "committee_working_method"
    STEPS_TAKEN = "steps_taken"
    GROUND = "ground"
    MOTIVATION = "motivation"
    AGREEMENTS = "agreements"
    CONSULTATION_SUMMARY = "consultation_summary"
    NEXT_STEPS = "next_steps"
    HEARING_REPORT = "hearing_report"
    HEARING_INVITATION = "hearing_invitation"
    COUNSEL_ALLOWED = "counsel_allowed"
    EXTENSION_REASON = "extension_reason"
    NEW_DUE_DATE = "new_due_date"
    DELAY_REASON = "delay_reason"
    FACTS = "facts"
    JUDGEMENT = "judgement"
    OUTCOME = "outcome"
    MEASURES = "measures"
    OFFER = "offer"
    FINDINGS = "findings"
    ESCALATION_ROUTE = "escalation_route"
    OMBUDSMAN = "ombudsman"
    COMPLAINT_COPY = "complaint_copy"
    SILENCE_CONSEQUENCE = "silence_consequence"


class EscalationBody(StrEnum):
    OPDRACHTGEVER = "opdrachtgever"
    UWV_ARBEIDSDESKUNDIGE = "uwv_arbeidsdeskundige"
    UWV_KLACHTENBUREAU = "uwv_klachtenbureau"
    NATIONALE_OMBUDSMAN = "nationale_ombudsman"
    GEMEENTELIJKE_OMBUDSMAN = "gemeentelijke_ombudsman"
    EXTERNAL_PARTY = "external_party"
    INTEREST_GROUPS = "interest_groups"


class ReportPeriod(StrEnum):
    YEARLY = "yearly"
    PERIODIC = "periodic"
    ON_REQUEST = "on_request"
    CONTINUOUS = "continuous"


class Figure(StrEnum):
    """Figures a reporting duty asks for; each must be computable from the register."""

    COMPLAINTS_RECEIVED = "complaints_received"
    NOT_TAKEN_INTO_TREATMENT = "not_taken_into_treatment"
    NOT_TAKEN_INTO_TREATMENT_IN_TERM = "not_taken_into_treatment_in_term"
    TAKEN_INTO_TREATMENT = "taken_into_treatment"
    TAKEN_INTO_TREATMENT_IN_TERM = "taken_into_treatment_in_term"
    THROUGHPUT_TIMES = "throughput_times"
    OUTCOMES = "outcomes"
    COMPLAINT_LIST = "complaint_list"
    NATURE_OF_COMPLAINTS = "nature_of_complaints"
    TRENDS = "trends"
    CORRECTIVE_MEASURES_SATISFACTION = "corrective_measures_satisfaction"
    PREVENTIVE_MEASURES_EFFECT = "preventive_measures_effect"
    REGULATION_REVIEW = "regulation_review"
