"""Intake by the regulation (issue 14 §3), stories and refusals taken from the seeds.

- Integratiewerk (Indienen, stap 3; Klachtenprocedure 2): "Een klacht wordt schriftelijk ingediend
  bij de directeur". An oral complaint is registered, the complainant is asked to put it in
  writing (to-do and letter), and the terms start from the written complaint.
- IN FOCUS Samen (De procedure 2): "indien de klacht niet op schrift gesteld is, zal worden
  verzocht dit alsnog te doen": the same to-do; the terms still count from receipt.
- IN FOCUS Samen (Klachtencommissie): "Deze klachtencommissie wordt benoemd zodra een klacht wordt
  ontvangen": no acknowledgement (which names its members) and no judgement before it is.

Due dates counted by hand on the nl-atw calendar (Koningsdag Tue 27 Apr 2027, Bevrijdingsdag
Wed 5 May, Hemelvaartsdag Thu 6 May, decree day Fri 7 May, Tweede Pinksterdag Mon 17 May 2027).
"""

from __future__ import annotations

import datetime as dt

from klachtenregister.lifecycle import ComplaintFacts, State, record, replay
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.rules import known_events
from klachtenregister.lifecycle.todos import WRITTEN_FORM_TODO, TodoKind, TodoStatus
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.vocabulary import Event

INTEGRATIEWERK = load_preset("integratiewerk")
INFOCUS = load_preset("infocus-samen")
ISKANDER = load_preset("iskander")
FACTS = ComplaintFacts.of(subjects=["sanne"])


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- Integratiewerk, Klachtenprocedure 2: an oral complaint ----------------------------------
#
# Told orally to the director Thu 22 Apr 2027; asked in writing the same day; the written
# complaint arrives Mon 3 May 2027.
# ontvangstbevestiging (2 weken, Klachtenprocedure 3) from the written complaint: 3 May + 14 days
#   = Mon 17 May, Tweede Pinksterdag -> Tue 18 May; not from the oral receipt (Mon 10 May).
# eerste_contact (10 werkdagen, Klachtenprocedure 4) from Mon 3 May: Tue 4 (1), (Wed 5, Thu 6,
#   Fri 7, weekend) Mon 10 (2), Tue 11 (3), Wed 12 (4), Thu 13 (5), Fri 14 (6), (Mon 17
#   Pinksteren) Tue 18 (7), Wed 19 (8), Thu 20 (9), Fri 21 May (10) -> due Fri 21 May.
ORAL = [
    record("2027-04-22", "received", channel="oral", role="directeur"),
    record("2027-04-22", "registered", role="directeur"),
]


def test_integratiewerk_klachtenprocedure_2_oral_complaint_is_registered_and_asked_in_writing() -> (
    None
):
    snapshot = replay(INTEGRATIEWERK, ORAL, FACTS).snapshot
    assert snapshot.state is State.REGISTERED
    assert snapshot.awaits_writing
    (todo,) = snapshot.todos
    assert (todo.id, todo.kind, todo.status) == (
        WRITTEN_FORM_TODO,
        TodoKind.WRITTEN_FORM,
        TodoStatus.OPEN,
    )
    assert todo.created_on == d("2027-04-22")
    assert todo.done_by == (Event.COMPLAINT_PUT_IN_WRITING,)
    assert todo.roles == ("directeur",)
    # The letter asking for it is a step of its own; the terms wait for the written complaint.
    assert snapshot.may(Event.WRITTEN_FORM_REQUESTED)
    assert snapshot.may(Event.COMPLAINT_PUT_IN_WRITING)
    assert snapshot.deadlines == ()
    assert [
        letter.id
        for letter in INTEGRATIEWERK.letters
        if letter.step is Event.WRITTEN_FORM_REQUESTED
    ] == ["verzoek_op_schrift"]


def test_integratiewerk_klachtenprocedure_2_terms_start_from_the_written_complaint() -> None:
    events = [
        *ORAL,
        record("2027-04-22", "written_form_requested", role="directeur"),
        record("2027-05-03", "complaint_put_in_writing", form="letter", role="directeur"),
    ]
    snapshot = replay(INTEGRATIEWERK, events, FACTS, as_of=d("2027-05-03")).snapshot
    (todo,) = snapshot.todos
    # Asking is not yet having it in writing: the letter leaves the to-do open; the written
    # complaint carries it out.
    assert todo.status is TodoStatus.DONE
    assert (todo.done_on, todo.done_with) == (d("2027-05-03"), Event.COMPLAINT_PUT_IN_WRITING)
    assert not snapshot.awaits_writing
    due = {view.id: view.due for view in snapshot.deadlines}
    assert due == {"ontvangstbevestiging": d("2027-05-18"), "eerste_contact": d("2027-05-21")}
    asked = replay(INTEGRATIEWERK, events[:3], FACTS).snapshot
    assert asked.todos[0].status is TodoStatus.OPEN


def test_integratiewerk_klachtenprocedure_2_not_taken_into_treatment_before_in_writing() -> None:
    refused = replay(
        INTEGRATIEWERK, [*ORAL, record("2027-04-23", "accepted", role="directeur")], FACTS
    ).refused
    assert refused is not None and refused.refusal.message == R.NOT_YET_IN_WRITING


def test_integratiewerk_klachtenprocedure_2_a_written_complaint_owes_no_request() -> None:
    events = [
        record("2027-04-22", "received", channel="written", role="directeur"),
        record("2027-04-23", "written_form_requested", role="directeur"),
    ]
    result = replay(INTEGRATIEWERK, events, FACTS)
    assert result.snapshot.todos == ()
    assert result.refused is not None
    assert result.refused.refusal.message == R.ALREADY_IN_WRITING


def test_integratiewerk_klachtenprocedure_2_a_channel_corrected_to_oral_is_asked_in_writing() -> (
    None
):
    # Registered as a letter by mistake; the correction says it was told orally: the to-do is
    # owed from the correction, once (a second correction adds none).
    def corrected(on: str, old: str, new: str) -> object:
        return record(
            on,
            "facts_corrected",
            changes={"channel": {"old": old, "new": new}},
            reason="Verkeerd kanaal.",
            role="directeur",
        )

    events = [
        record("2027-04-22", "received", channel="written", role="directeur"),
        corrected("2027-04-23", "written", "oral"),
    ]
    snapshot = replay(INTEGRATIEWERK, events, FACTS).snapshot
    (todo,) = snapshot.todos
    assert (todo.id, todo.created_on) == (WRITTEN_FORM_TODO, d("2027-04-23"))
    again = replay(
        INTEGRATIEWERK,
        [
            *events,
            corrected("2027-04-26", "oral", "written"),
            corrected("2027-04-27", "written", "oral"),
        ],
        FACTS,
    ).snapshot
    assert [t.id for t in again.todos] == [WRITTEN_FORM_TODO]


def test_a_regulation_taking_oral_complaints_asks_nothing() -> None:
    # Iskander (Stroomschema, rij 1) takes oral and written complaints alike: no to-do.
    events = [record("2027-04-22", "received", channel="oral", role="klachtenfunctionaris")]
    snapshot = replay(ISKANDER, events, FACTS).snapshot
    assert WRITTEN_FORM_TODO not in {todo.id for todo in snapshot.todos}
    assert not snapshot.awaits_writing


def test_iskander_stroomschema_rij_1_an_e_mail_or_web_form_is_a_written_complaint() -> None:
    # "Dit kan zowel mondeling als schriftelijk": an e-mail and a web form are in writing (the
    # preset lists them with `written`), so nothing is asked and nothing flags the channel.
    for channel in ("email", "portal"):
        events = [record("2027-04-22", "received", channel=channel, role="klachtenfunctionaris")]
        snapshot = replay(ISKANDER, events, FACTS).snapshot
        assert snapshot.todos == () or WRITTEN_FORM_TODO not in {t.id for t in snapshot.todos}
        assert not snapshot.awaits_writing
    assert Event.WRITTEN_FORM_REQUESTED not in known_events(ISKANDER)


# --- IN FOCUS Samen, De procedure 2: asked to put it in writing after all -------------------


def test_infocus_samen_procedure_2_oral_complaint_is_asked_in_writing() -> None:
    events = [
        record("2027-04-20", "received", channel="oral", role="in_focus_samen"),
        record(
            "2027-04-20", "committee_appointed", members=["anna", "bert"], role="in_focus_samen"
        ),
    ]
    snapshot = replay(INFOCUS, events, FACTS).snapshot
    todos = {todo.id: todo for todo in snapshot.todos}
    assert todos[WRITTEN_FORM_TODO].status is TodoStatus.OPEN
    # The terms count from receipt here (the preset reads "binnenkomst" as receipt): the
    # acknowledgement is due 5 werkdagen after Tue 20 Apr = Wed 28 Apr.
    assert snapshot.deadline("ontvangstbevestiging").due == d("2027-04-28")
    done = replay(
        INFOCUS,
        [
            *events,
            record("2027-04-21", "written_form_requested", role="in_focus_samen"),
            record(
                "2027-04-23", "complaint_put_in_writing", form="signed_form", role="in_focus_samen"
            ),
        ],
        FACTS,
    ).snapshot
    assert {t.id: t.status for t in done.todos}[WRITTEN_FORM_TODO] is TodoStatus.DONE


# --- IN FOCUS Samen, Klachtencommissie: appointed on receipt --------------------------------


def test_infocus_samen_klachtencommissie_acknowledgement_needs_the_appointed_committee() -> None:
    events = [
        record("2027-04-20", "received", channel="written", role="in_focus_samen"),
        record("2027-04-21", "acknowledged", role="klachtencommissie"),
    ]
    result = replay(INFOCUS, events, FACTS)
    assert result.refused is not None
    refusal = result.refused.refusal
    assert refusal.message == R.COMMITTEE_NOT_APPOINTED
    text = refusal.render()
    assert "Klachtencommissie" in text and "klachtencommissie benoemd" in text
    assert not result.snapshot.may(Event.ACKNOWLEDGED)
    appointed = replay(
        INFOCUS,
        [
            events[0],
            record(
                "2027-04-20", "committee_appointed", members=["anna", "bert"], role="in_focus_samen"
            ),
            events[1],
        ],
        FACTS,
    )
    assert appointed.refused is None


def test_infocus_samen_klachtencommissie_no_judgement_without_an_appointed_committee() -> None:
    events = [
        record("2027-04-20", "received", channel="written", role="in_focus_samen"),
        record("2027-04-20", "registered", role="klachtencommissie"),
        record("2027-04-21", "accepted", role="klachtencommissie"),
        record("2027-05-10", "hearing_held", heard=["klager", "sanne"], role="klachtencommissie"),
        record("2027-05-11", "decision_made", outcome="founded", role="klachtencommissie"),
    ]
    refused = replay(INFOCUS, events, FACTS).refused
    assert refused is not None and refused.record.event is Event.DECISION_MADE
    assert refused.refusal.message == R.COMMITTEE_NOT_APPOINTED


def test_a_committee_appointed_when_needed_is_not_asked_for_first() -> None:
    # Integratiewerk's committee is not appointed on a fixed event (Klachtenprocedure 5-6).
    events = [
        record("2027-04-22", "received", channel="written", role="directeur"),
        record("2027-04-23", "acknowledged", role="directeur"),
    ]
    assert replay(INTEGRATIEWERK, events, FACTS).refused is None


def test_written_form_request_is_known_where_a_regulation_wants_writing() -> None:
    assert Event.WRITTEN_FORM_REQUESTED in known_events(INTEGRATIEWERK)
    assert Event.COMPLAINT_PUT_IN_WRITING in known_events(INTEGRATIEWERK)
    assert Event.WRITTEN_FORM_REQUESTED in known_events(INFOCUS)
