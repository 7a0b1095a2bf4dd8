"""Consent and agreements (issue 14 §4), each story taken from the seed article in its name.

- Iskander, stroomschema rij 2: the complaint is handled by Iskander only with the melder's
  consent; without it a specialised external party is engaged.
- IN FOCUS Samen, De procedure 6: a late decision gets a new term agreed with the complainant.
- SmartPLUS Punt 6 and Loket3 Handelswijze 4: a hearing report sent for signature waits, as a
  to-do, until it comes back signed or with comments.
- Loket3 Handelswijze 2: the handler's name and function are recorded; Iskander (Klachtenbeleid,
  2e alinea) and SmartPLUS Punt 6: costs of representation and travel expenses are recorded.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from klachtenregister.lifecycle import ComplaintFacts, Lifecycle, Refused, record, replay
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.deadlines import DeadlineStatus
from klachtenregister.lifecycle.rules import known_events
from klachtenregister.lifecycle.todos import TodoKind, TodoStatus
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.vocabulary import Event, Party
from tests.support.stories import day

ISKANDER = load_preset("iskander")
INFOCUS = load_preset("infocus-samen")
SMARTPLUS = load_preset("smartplus")
LOKET3 = load_preset("loket3")
INTEGRATIEWERK = load_preset("integratiewerk")
AWB = load_preset("awb-h9")


def lifecycle_with(regulation, facts, events) -> Lifecycle:
    lifecycle = Lifecycle(regulation, facts)
    for event in events:
        lifecycle.apply(event)
    return lifecycle


def refusal_of(lifecycle: Lifecycle, event) -> R.Refusal:
    with pytest.raises(Refused) as caught:
        lifecycle.trial().apply(event)
    return caught.value.refusal


# --- 1. Iskander, stroomschema rij 2: consent to handling by Iskander ------------------------

ISKANDER_FACTS = ComplaintFacts.of(subjects=["jan"], involved=["kees"])
ISKANDER_START = [
    record("2027-04-19", "received", channel="written", role="klachtenfunctionaris"),
    record("2027-04-19", "registered", role="klachtenfunctionaris"),
    record("2027-04-20", "handler_assigned", handler="piet", role="klachtenfunctionaris"),
    record("2027-04-21", "acknowledged", role="klachtenfunctionaris"),
    record(
        "2027-04-22", "consultation_held", outcome="no_agreement", role="procesverantwoordelijke"
    ),
]


def test_iskander_rij_2_without_consent_iskander_does_not_judge_the_complaint_itself():
    lifecycle = lifecycle_with(
        ISKANDER,
        ISKANDER_FACTS,
        [
            *ISKANDER_START,
            record(
                "2027-04-22", "consent_recorded", outcome="refused", role="klachtenfunctionaris"
            ),
            record("2027-04-23", "accepted", role="procesverantwoordelijke"),
        ],
    )
    for event in (
        record("2027-04-26", "hearing_invitation_sent", role="klachtenfunctionaris"),
        record("2027-04-26", "decision_made", outcome="unfounded", role="procesverantwoordelijke"),
    ):
        refusal = refusal_of(lifecycle, event)
        assert refusal.message == R.CONSENT_REFUSED
        assert "geen toestemming" in refusal.render()
        assert "externe partij" in refusal.render()
    snapshot = lifecycle.status(day("2027-04-26"))
    assert not snapshot.may(Event.DECISION_MADE)
    assert not snapshot.may(Event.HEARING_INVITATION_SENT)
    assert snapshot.may(Event.EXTERNAL_PARTY_ENGAGED)

    # The specialised external party is engaged: the handling goes on, by the external party.
    lifecycle.apply(
        record(
            "2027-04-26",
            "external_party_engaged",
            party="Klachtenbureau X",
            role="klachtenfunctionaris",
        )
    )
    lifecycle.apply(record("2027-04-27", "hearing_invitation_sent", role="klachtenfunctionaris"))
    lifecycle.apply(record("2027-04-28", "hearing_held", heard=["melder"], role="externe_partij"))
    lifecycle.apply(
        record("2027-04-29", "decision_made", outcome="unfounded", role="externe_partij")
    )
    assert lifecycle.status(day("2027-04-29")).history[-1].event is Event.DECISION_MADE


def test_iskander_rij_2_with_consent_iskander_handles_the_complaint_itself():
    lifecycle = lifecycle_with(
        ISKANDER,
        ISKANDER_FACTS,
        [
            *ISKANDER_START,
            record("2027-04-22", "consent_recorded", outcome="given", role="klachtenfunctionaris"),
            record("2027-04-23", "accepted", role="procesverantwoordelijke"),
            record("2027-04-26", "hearing_invitation_sent", role="klachtenfunctionaris"),
        ],
    )
    assert lifecycle.status(day("2027-04-26")).history[-1].outcome is None
    assert lifecycle.history[4].event is Event.CONSULTATION_HELD
    assert lifecycle.history[5].outcome == "given"


def test_consent_is_known_only_where_the_regulation_asks_for_it():
    assert Event.CONSENT_RECORDED in known_events(ISKANDER)
    for regulation in (INFOCUS, SMARTPLUS, LOKET3, INTEGRATIEWERK, AWB):
        assert Event.CONSENT_RECORDED not in known_events(regulation), regulation.id
    events = [record("2027-04-19", "received", channel="written")]
    lifecycle = lifecycle_with(LOKET3, ComplaintFacts(), events)
    refusal = refusal_of(lifecycle, record("2027-04-20", "consent_recorded", outcome="refused"))
    assert refusal.message == R.NO_CONSENT_ASKED


# --- 2. IN FOCUS Samen, De procedure 6: a new term agreed with the complainant ---------------
#
# Received Tue 20 Apr 2027; uitspraak (4 weken): Tue 18 May 2027. On Thu 13 May the committee
# tells the complainant the term will not be met and agrees Fri 4 Jun 2027 with them.

INFOCUS_FACTS = ComplaintFacts.of(subjects=["jan"], involved=["kees"])
INFOCUS_START = [
    record("2027-04-20", "received", channel="written", role="in_focus_samen"),
    record("2027-04-20", "committee_appointed", members=["anna", "bert"], role="in_focus_samen"),
    record("2027-04-20", "registered", role="klachtencommissie"),
    record("2027-04-26", "acknowledged", role="klachtencommissie"),
    record("2027-04-26", "accepted", role="klachtencommissie"),
]


def test_infocus_procedure_6_a_new_term_agreed_with_the_complainant_moves_the_decision():
    agreed = record(
        "2027-05-13",
        "term_agreed",
        deadline="uitspraak",
        due="2027-06-04",
        reason="Niet alle partijen gehoord",
        role="klachtencommissie",
    )
    lifecycle = lifecycle_with(INFOCUS, INFOCUS_FACTS, INFOCUS_START)
    assert lifecycle.status(day("2027-05-13")).may(Event.TERM_AGREED)
    lifecycle.apply(agreed)
    view = lifecycle.status(day("2027-05-20")).deadline("uitspraak")
    # Counted as extended ("verlengd"), with the agreed date as its due date.
    assert view.due == day("2027-06-04")
    assert view.status is DeadlineStatus.EXTENDED
    (extension,) = view.extensions
    assert (extension.previous_due, extension.new_due, extension.consent) == (
        day("2027-05-18"),
        day("2027-06-04"),
        True,
    )
    assert extension.reason == "Niet alle partijen gehoord"
    assert lifecycle.status(day("2027-06-07")).deadline("uitspraak").status is (
        DeadlineStatus.MISSED
    )


def test_infocus_procedure_6_the_new_term_is_agreed_in_time_and_later_than_the_old_one():
    lifecycle = lifecycle_with(INFOCUS, INFOCUS_FACTS, INFOCUS_START)
    earlier = record(
        "2027-05-13",
        "term_agreed",
        deadline="uitspraak",
        due="2027-05-17",
        role="klachtencommissie",
    )
    assert refusal_of(lifecycle, earlier).message == R.AGREED_NOT_LATER
    too_late = record(
        "2027-05-19",
        "term_agreed",
        deadline="uitspraak",
        due="2027-06-04",
        role="klachtencommissie",
    )
    refusal = refusal_of(lifecycle, too_late)
    assert refusal.message == R.AGREED_TOO_LATE
    assert "tijdig" in refusal.render()
    assert not lifecycle.status(day("2027-05-19")).may(Event.TERM_AGREED)


def test_a_term_is_agreed_only_where_the_regulation_provides_for_it():
    assert Event.TERM_AGREED in known_events(INFOCUS)
    for regulation in (ISKANDER, SMARTPLUS, LOKET3, INTEGRATIEWERK, AWB):
        assert Event.TERM_AGREED not in known_events(regulation), regulation.id


# --- 3. A hearing report for signature (SmartPLUS Punt 6; Loket3 Handelswijze 4) -------------

SMARTPLUS_FACTS = ComplaintFacts.of(subjects=["frank"])
SMARTPLUS_HEARD = [
    record("2027-04-19", "received", channel="written"),
    record("2027-04-19", "registered", role="behandelaar"),
    record("2027-04-19", "subject_informed", role="behandelaar"),
    record("2027-04-20", "handler_assigned", handler="sara", role="casemanager"),
    record("2027-04-21", "acknowledged", role="behandelaar"),
    record("2027-04-21", "accepted", role="behandelaar"),
    record("2027-04-28", "hearing_held", heard=["client", "frank"], role="behandelaar"),
]


def signature_todo(snapshot):
    return [t for t in snapshot.todos if t.kind is TodoKind.SIGNATURE]


def test_smartplus_punt_6_the_report_sent_for_signature_waits_until_it_is_returned():
    lifecycle = lifecycle_with(SMARTPLUS, SMARTPLUS_FACTS, SMARTPLUS_HEARD)
    refusal = refusal_of(
        lifecycle, record("2027-04-29", "hearing_report_returned", outcome="signed")
    )
    assert refusal.message == R.NO_REPORT_FOR_SIGNATURE

    lifecycle.apply(record("2027-04-29", "hearing_report_sent", role="behandelaar"))
    (todo,) = signature_todo(lifecycle.status(day("2027-04-29")))
    assert (todo.status, todo.created_on, todo.source) == (
        TodoStatus.OPEN,
        day("2027-04-29"),
        "Punt 6 en Toelichting",
    )
    assert todo.notify == (Party.ALL_PARTIES,)
    assert todo.roles == ("behandelaar",)
    assert lifecycle.status(day("2027-04-29")).may(Event.HEARING_REPORT_RETURNED)

    lifecycle.apply(
        record("2027-05-03", "hearing_report_returned", outcome="signed", role="behandelaar")
    )
    (todo,) = signature_todo(lifecycle.status(day("2027-05-03")))
    assert (todo.status, todo.done_on, todo.done_with) == (
        TodoStatus.DONE,
        day("2027-05-03"),
        Event.HEARING_REPORT_RETURNED,
    )


def test_loket3_handelswijze_4_a_commented_report_is_revised_until_the_employee_agrees():
    facts = ComplaintFacts.of(subjects=["jan"])
    events = [
        record("2027-04-19", "received", channel="written"),
        record("2027-04-19", "registered"),
        record("2027-04-20", "handler_assigned", handler="piet", function="trajectbegeleider"),
        record("2027-04-21", "hearing_held", heard=["jan"], role="klachtbehandelaar"),
        record("2027-04-22", "hearing_report_sent"),
        record(
            "2027-04-23",
            "hearing_report_returned",
            outcome="commented",
            comments="Het gesprek was op dinsdag, niet op maandag.",
            role="klachtbehandelaar",
        ),
    ]
    lifecycle = lifecycle_with(LOKET3, facts, events)
    (todo,) = signature_todo(lifecycle.status(day("2027-04-23")))
    assert todo.status is TodoStatus.DONE
    # The revised report goes out for approval again, and waits again.
    lifecycle.apply(record("2027-04-26", "hearing_report_sent"))
    first, second = signature_todo(lifecycle.status(day("2027-04-26")))
    assert (first.status, second.status) == (TodoStatus.DONE, TodoStatus.OPEN)
    assert second.notify == (Party.SUBJECT,)
    lifecycle.apply(
        record("2027-04-27", "hearing_report_returned", outcome="signed", role="klachtbehandelaar")
    )
    assert lifecycle.status(day("2027-04-27")).open_todos == ()
    # Agreed: no further report is sent.
    refusal = refusal_of(lifecycle, record("2027-04-28", "hearing_report_sent"))
    assert refusal.message == R.REPORTS_SENT


def test_loket3_handelswijze_4_comments_come_with_the_commented_report():
    with pytest.raises(ValidationError):
        record("2027-04-23", "hearing_report_returned", outcome="commented")


def test_a_report_is_returned_only_where_it_is_sent_for_signature():
    assert Event.HEARING_REPORT_RETURNED in known_events(SMARTPLUS)
    assert Event.HEARING_REPORT_RETURNED in known_events(LOKET3)
    for regulation in (ISKANDER, INFOCUS, INTEGRATIEWERK, AWB):
        assert Event.HEARING_REPORT_RETURNED not in known_events(regulation), regulation.id
    # Iskander's report is sent, not for signature: no to-do waits for it.
    lifecycle = lifecycle_with(
        ISKANDER,
        ISKANDER_FACTS,
        [
            *ISKANDER_START,
            record("2027-04-23", "accepted", role="procesverantwoordelijke"),
            record("2027-04-26", "hearing_invitation_sent", role="klachtenfunctionaris"),
            record("2027-04-28", "hearing_held", heard=["melder"], role="procesverantwoordelijke"),
            record("2027-04-29", "hearing_report_sent", role="klachtenfunctionaris"),
        ],
    )
    assert signature_todo(lifecycle.status(day("2027-04-29"))) == []


# --- 4. The handler's function (Loket3 Handelswijze 2) and costs ------------------------------


def test_loket3_handelswijze_2_the_handlers_name_and_function_are_recorded():
    events = [
        record("2027-04-19", "received", channel="written"),
        record("2027-04-20", "handler_assigned", handler="piet", function="trajectbegeleider"),
    ]
    snapshot = replay(LOKET3, events, ComplaintFacts()).snapshot
    details = snapshot.history[-1].details
    assert (details.handler, details.function) == ("piet", "trajectbegeleider")


def test_iskander_klachtenbeleid_representation_at_the_melders_own_cost_is_recorded():
    events = [
        *ISKANDER_START,
        record(
            "2027-04-23",
            "costs_recorded",
            kind="representation",
            amount="250.00",
            description="Advocaat bij het overleg",
            role="klachtenfunctionaris",
        ),
    ]
    replayed = replay(ISKANDER, events, ISKANDER_FACTS)
    assert replayed.refused is None
    costs = replayed.snapshot.history[-1]
    assert (costs.outcome, costs.details.amount) == ("representation", Decimal("250.00"))
    # Iskander reimburses no travel expenses.
    lifecycle = lifecycle_with(ISKANDER, ISKANDER_FACTS, ISKANDER_START)
    travel = record("2027-04-23", "costs_recorded", kind="travel", amount="12.40")
    assert refusal_of(lifecycle, travel).message == R.UNKNOWN_COST_KIND


def test_smartplus_punt_6_travel_expenses_reimbursed_are_recorded():
    events = [
        *SMARTPLUS_HEARD,
        record("2027-04-28", "costs_recorded", kind="travel", amount="12.40", role="behandelaar"),
    ]
    replayed = replay(SMARTPLUS, events, SMARTPLUS_FACTS)
    assert replayed.refused is None
    assert replayed.snapshot.history[-1].details.amount == Decimal("12.40")


def test_costs_are_known_only_where_the_regulation_speaks_of_them():
    assert Event.COSTS_RECORDED in known_events(ISKANDER)
    assert Event.COSTS_RECORDED in known_events(SMARTPLUS)
    for regulation in (INFOCUS, LOKET3, INTEGRATIEWERK, AWB):
        assert Event.COSTS_RECORDED not in known_events(regulation), regulation.id
    with pytest.raises(ValidationError):
        record("2027-04-23", "costs_recorded", kind="travel", amount="-1")


def test_infocus_procedure_6_the_agreed_date_stands_when_the_receipt_is_corrected():
    lifecycle = lifecycle_with(
        INFOCUS,
        INFOCUS_FACTS,
        [
            *INFOCUS_START,
            record(
                "2027-05-13",
                "term_agreed",
                deadline="uitspraak",
                due="2027-06-04",
                role="klachtencommissie",
            ),
            record(
                "2027-05-14",
                "facts_corrected",
                reason="al een week eerder ontvangen",
                changes={"received_on": {"old": "2027-04-20", "new": "2027-04-13"}},
            ),
        ],
    )
    view = lifecycle.status(day("2027-05-14")).deadline("uitspraak")
    # Counted again from Tue 13 Apr: 4 weken end on Tue 11 May; the agreed date stays.
    assert (view.start, view.due) == (day("2027-04-13"), day("2027-06-04"))
    assert view.extensions[0].previous_due == day("2027-05-11")
