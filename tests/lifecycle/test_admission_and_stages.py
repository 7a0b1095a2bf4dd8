"""A new organisation's regulation as data alone (issue 14 §6): admission, stages, time limits
and the steps offered.

Each story is a regulation written as YAML from docs/regulations.md; the base is the Awb
chapter 9 preset, changed where another provider's regulation says otherwise (the article is in
the test name).
"""

from __future__ import annotations

from typing import Any

import pytest

from klachtenregister.lifecycle import ComplaintFacts, record, replay
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.todos import TodoStatus
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import Condition, Event
from tests.support.stories import day

AWB = load_preset("awb-h9")


def variant(base: Regulation = AWB, **changes: Any) -> Regulation:
    """The base regulation with top-level blocks changed (``definitions__channels`` changes a
    nested block)."""
    data = base.model_dump(mode="json")
    data["template"] = False
    for key, value in changes.items():
        *path, last = key.split("__")
        target = data
        for part in path:
            target = target[part]
        target[last] = value
    return Regulation.model_validate(data)


def refused(events, regulation, facts=None):
    result = replay(regulation, events, facts)
    assert result.refused is not None, "expected a refusal"
    return result.refused


def accepted(events, regulation, facts=None, as_of=None):
    result = replay(regulation, events, facts, as_of=day(as_of) if as_of else None)
    assert result.refused is None, result.refused.refusal.render()
    return result.snapshot


# --- admission ------------------------------------------------------------------------------

WRITTEN_ONLY = variant(
    definitions__channels={
        "source": "Art. 3 lid 1 (schriftelijk bij de directeur)",
        "accepted": ["written"],
        "in_writing_required": True,
    },
)


def test_art_3_written_only_an_oral_complaint_is_registered_and_flagged() -> None:
    events = [record("2027-03-01", "received", channel="oral"), record("2027-03-01", "registered")]
    snapshot = accepted(events, WRITTEN_ONLY)
    assert snapshot.awaits_writing
    # Nothing counts yet: "in behandeling zodra de klacht op schrift staat".
    assert snapshot.deadlines == ()
    assert snapshot.may(Event.COMPLAINT_PUT_IN_WRITING)
    taken = refused([*events, record("2027-03-02", "accepted")], WRITTEN_ONLY)
    assert taken.refusal.message == R.NOT_YET_IN_WRITING


def test_art_3_a_portal_complaint_is_flagged_too_where_only_letters_are_taken() -> None:
    snapshot = accepted([record("2027-03-01", "received", channel="portal")], WRITTEN_ONLY)
    assert snapshot.awaits_writing
    # A regulation that takes the portal flags nothing.
    every = variant(
        definitions__channels={"source": "Art. 3", "accepted": ["oral", "written", "portal"]}
    )
    assert not accepted([record("2027-03-01", "received", channel="portal")], every).awaits_writing


def test_art_3_terms_count_from_the_day_the_complaint_is_put_in_writing() -> None:
    events = [
        record("2027-03-01", "received", channel="oral"),
        record("2027-03-15", "complaint_put_in_writing", form="letter"),
    ]
    snapshot = accepted(events, WRITTEN_ONLY)
    assert not snapshot.awaits_writing
    decision = snapshot.deadline("afhandeling")
    assert (decision.start, decision.due) == (day("2027-03-15"), day("2027-04-26"))
    accepted([*events, record("2027-03-16", "accepted")], WRITTEN_ONLY)
    # Put in writing once: the second time there is nothing left to write down.
    again = refused([*events, record("2027-03-16", "complaint_put_in_writing")], WRITTEN_ONLY)
    assert again.refusal.message == R.ALREADY_IN_WRITING


def test_art_3_a_written_complaint_counts_from_receipt_as_before() -> None:
    snapshot = accepted([record("2027-03-01", "received", channel="written")], WRITTEN_ONLY)
    assert not snapshot.awaits_writing
    assert snapshot.deadline("afhandeling").start == day("2027-03-01")
    assert not snapshot.may(Event.COMPLAINT_PUT_IN_WRITING)


SIGNED_FORM = variant(
    definitions__channels={
        "source": "Art. 4 lid 2",
        "accepted": ["oral", "written"],
        "written_form_requested": True,
    },
    notifications=[
        *AWB.model_dump(mode="json")["notifications"],
        {
            "id": "klachtformulier_laten_tekenen",
            "label": "Mondelinge klacht op het klachtformulier laten ondertekenen",
            "source": "Art. 4 lid 2",
            "on": "received",
            "condition": "not_in_writing",
            "notify": ["complainant"],
            "done_by": {"event": "complaint_put_in_writing", "outcome": "signed_form"},
        },
    ],
)


def test_art_4_lid_2_the_signed_complaint_form_after_an_oral_complaint() -> None:
    events = [record("2027-03-01", "received", channel="oral")]
    snapshot = accepted(events, SIGNED_FORM)
    todo = next(t for t in snapshot.todos if t.id == "klachtformulier_laten_tekenen")
    assert todo.status is TodoStatus.OPEN
    events.append(record("2027-03-03", "complaint_put_in_writing", form="signed_form"))
    snapshot = accepted(events, SIGNED_FORM)
    todo = next(t for t in snapshot.todos if t.id == "klachtformulier_laten_tekenen")
    assert (todo.status, todo.done_on) == (TodoStatus.DONE, day("2027-03-03"))
    # Oral complaints are taken here: the terms ran from receipt all along.
    assert snapshot.deadline("afhandeling").start == day("2027-03-01")
    # A written complaint asks for no form.
    written = accepted([record("2027-03-01", "received", channel="written")], SIGNED_FORM)
    assert all(t.id != "klachtformulier_laten_tekenen" for t in written.todos)


REQUIRED_CONTENTS = variant(
    definitions__required_contents={
        "source": "Art. 9:4 lid 2",
        "items": ["name", "address", "date", "subject", "description"],
    },
    deadlines=[
        *AWB.model_dump(mode="json")["deadlines"],
        {
            "id": "aanvullen",
            "kind": "completion",
            "label": "Klacht aanvullen",
            "source": "Art. 4:5 lid 1",
            "starts_on": "completion_requested",
            "duration": {"amount": 2, "unit": "weken"},
            "met_by": "complaint_completed",
            "binding": True,
        },
    ],
    admissibility__grounds=[
        *AWB.model_dump(mode="json")["admissibility"]["grounds"],
        {
            "id": "niet_aangevuld",
            "label": "De klacht is niet binnen de gestelde termijn aangevuld",
            "source": "Art. 4:5 lid 1 sub a",
            "applies_when": "incomplete",
        },
    ],
)
ASKED = [
    record("2027-03-01", "received", channel="written"),
    record("2027-03-02", "completion_requested", missing=["address", "subject"]),
]


def test_art_9_4_lid_2_a_complaint_not_completed_in_its_term_may_be_refused() -> None:
    snapshot = accepted(ASKED, REQUIRED_CONTENTS)
    term = snapshot.deadline("aanvullen")
    assert term.due == day("2027-03-16")
    refuse = record("2027-03-10", "declared_inadmissible", ground="niet_aangevuld")
    early = refused([*ASKED, refuse], REQUIRED_CONTENTS)
    assert early.refusal.message == R.COMPLETION_TERM_RUNNING
    assert early.refusal.params["due"] == day("2027-03-16")
    assert all(s.ground.id != "niet_aangevuld" for s in snapshot.suggested_grounds)

    late = accepted(ASKED, REQUIRED_CONTENTS, as_of="2027-03-17")
    assert any(s.ground.id == "niet_aangevuld" for s in late.suggested_grounds)
    accepted(
        [*ASKED, record("2027-03-17", "declared_inadmissible", ground="niet_aangevuld")],
        REQUIRED_CONTENTS,
    )


def test_art_9_4_lid_2_a_completed_complaint_is_not_refused_as_incomplete() -> None:
    events = [*ASKED, record("2027-03-08", "complaint_completed")]
    snapshot = accepted(events, REQUIRED_CONTENTS, as_of="2027-03-20")
    assert snapshot.deadline("aanvullen").met_on == day("2027-03-08")
    late = refused(
        [*events, record("2027-03-20", "declared_inadmissible", ground="niet_aangevuld")],
        REQUIRED_CONTENTS,
    )
    assert late.refusal.message == R.GROUND_CONDITION


def test_art_9_4_lid_2_only_what_the_regulation_requires_can_be_missing() -> None:
    # A regulation that lists no required contents has nothing to complete.
    ask = record("2027-03-02", "completion_requested", missing=["address"])
    nothing = refused([record("2027-03-01", "received", channel="written"), ask], AWB)
    assert nothing.refusal.message in (R.NO_REQUIRED_CONTENTS, R.UNKNOWN_TO_REGULATION)
    only_names = variant(
        REQUIRED_CONTENTS,
        definitions__required_contents={"source": "Art. 2", "items": ["name", "description"]},
    )
    other = refused([*ASKED[:1], ASKED[1]], only_names)
    assert other.refusal.message == R.NOT_REQUIRED_ITEMS
    completed = refused([ASKED[0], record("2027-03-03", "complaint_completed")], REQUIRED_CONTENTS)
    assert completed.refusal.message == R.NOT_INCOMPLETE


def test_a_ground_for_incomplete_complaints_needs_the_required_contents() -> None:
    with pytest.raises(Exception) as raised:
        variant(
            admissibility__grounds=[
                {
                    "id": "niet_aangevuld",
                    "label": "Niet aangevuld",
                    "source": "Art. 4:5",
                    "applies_when": Condition.INCOMPLETE.value,
                }
            ]
        )
    assert "required_contents" in str(raised.value)


# --- time limits ----------------------------------------------------------------------------

LEARNED = variant(
    admissibility__grounds=[
        {
            "id": "te_laat",
            "label": "Meer dan een jaar nadat de klager van de gedraging kennisnam",
            "source": "Art. 6 lid 1",
            "time_limit": {"amount": 12, "unit": "maanden", "measured_from": "learned_of"},
        }
    ],
)


def _learned(facts_date: str, learned_on: str | None, received: str = "2027-03-01"):
    details: dict[str, Any] = {"channel": "written", "facts_date": facts_date}
    if learned_on is not None:
        details["learned_on"] = learned_on
    return record(received, "received", **details)


def test_art_6_the_time_limit_counts_from_the_day_the_complainant_learned_of_it() -> None:
    # Conduct in January 2025, learned of it in September 2026: in time in March 2027.
    events = [_learned("2025-01-10", "2026-09-01")]
    assert accepted(events, LEARNED).suggested_grounds == ()
    late = refused(
        [*events, record("2027-03-02", "declared_inadmissible", ground="te_laat")], LEARNED
    )
    assert late.refusal.message == R.GROUND_TIME_LIMIT_NOT_EXCEEDED_LEARNED
    # Without the day it was learned of, the conduct's own date counts: too late.
    events = [_learned("2025-01-10", None)]
    assert [s.ground.id for s in accepted(events, LEARNED).suggested_grounds] == ["te_laat"]
    accepted([*events, record("2027-03-02", "declared_inadmissible", ground="te_laat")], LEARNED)


def test_awb_9_24_escalation_to_the_ombudsman_within_a_year_after_the_decision() -> None:
    events = [
        record("2027-03-01", "received", channel="written"),
        record("2027-03-02", "accepted"),
        record("2027-03-05", "hearing_invitation_sent"),
        record("2027-03-10", "hearing_held", heard=["klager"]),
        record("2027-03-20", "decision_made", outcome="unfounded"),
        record("2027-03-22", "decision_sent"),
        record("2027-03-23", "closed"),
    ]
    accepted([*events, record("2028-03-22", "escalated", to="nationale_ombudsman")], AWB)
    late = refused([*events, record("2028-03-23", "escalated", to="nationale_ombudsman")], AWB)
    assert late.refusal.message == R.ESCALATION_TOO_LATE
    assert late.refusal.params["last"] == day("2028-03-22")


# --- stages ---------------------------------------------------------------------------------

_AWB = AWB.model_dump(mode="json")
STAGED = variant(
    roles=[
        *_AWB["roles"],
        {
            "id": "arbeidsdeskundige",
            "kind": "external_party",
            "label": "Externe arbeidsdeskundige",
            "source": "Art. 7 lid 2",
            "performs": ["hearing_held", "hearing_report_sent", "decision_made"],
        },
    ],
    handling__stages=[
        {
            "id": "arbeidsdeskundige",
            "label": "Beoordeling door een externe arbeidsdeskundige",
            "source": "Art. 7 lid 2",
            "handled_by": ["arbeidsdeskundige"],
            "hearing": {
                "source": "Art. 7 lid 3",
                "required": True,
                "parties": ["complainant", "subject"],
            },
        }
    ],
    deadlines=[
        *_AWB["deadlines"],
        {
            "id": "oordeel_arbeidsdeskundige",
            "kind": "decision",
            "label": "Oordeel van de arbeidsdeskundige",
            "source": "Art. 7 lid 4",
            "starts_on": {"event": "stage_started", "outcome": "arbeidsdeskundige"},
            "duration": {"amount": 4, "unit": "weken"},
            "met_by": "decision_sent",
        },
    ],
)
FIRST_STAGE = [
    record("2027-03-01", "received", channel="written"),
    record("2027-03-02", "accepted"),
    record("2027-03-03", "hearing_invitation_sent"),
    record("2027-03-04", "hearing_declined"),
    record("2027-03-10", "decision_made", outcome="unfounded"),
    record("2027-03-11", "decision_sent"),
]


def test_art_7_a_second_stage_judges_again_inside_the_same_complaint() -> None:
    second = record("2027-03-15", "stage_started", stage="arbeidsdeskundige")
    snapshot = accepted([*FIRST_STAGE, second], STAGED)
    assert snapshot.stage == "arbeidsdeskundige"
    assert snapshot.state.value == "accepted"  # not closed, not reopened
    term = snapshot.deadline("oordeel_arbeidsdeskundige")
    assert (term.start, term.due) == (day("2027-03-15"), day("2027-04-12"))
    assert snapshot.deadline("afhandeling").met_on == day("2027-03-11")

    judge = record("2027-03-20", "decision_made", outcome="founded", role="arbeidsdeskundige")
    # Its own handler first, then its own (required) hearing.
    assert refused([*FIRST_STAGE, second, judge], STAGED).refusal.message == R.STAGE_NO_HANDLER
    assign = record("2027-03-16", "handler_assigned", handler="A. Deskundige")
    no_hearing = refused([*FIRST_STAGE, second, assign, judge], STAGED)
    assert no_hearing.refusal.message == R.HEARING_NOT_HELD
    heard = record("2027-03-18", "hearing_held", heard=["klager"], role="arbeidsdeskundige")
    director = record("2027-03-20", "decision_made", outcome="founded", role="bestuursorgaan")
    wrong = refused([*FIRST_STAGE, second, assign, heard, director], STAGED)
    assert wrong.refusal.message == R.STAGE_ROLE

    events = [*FIRST_STAGE, second, assign, heard, judge, record("2027-04-01", "decision_sent")]
    snapshot = accepted(events, STAGED)
    assert snapshot.deadline("oordeel_arbeidsdeskundige").met_on == day("2027-04-01")
    assert [h.event for h in snapshot.history].count(Event.DECISION_MADE) == 2
    # There is no third stage.
    again = refused(
        [*events, record("2027-04-02", "stage_started", stage="arbeidsdeskundige")], STAGED
    )
    assert again.refusal.message == R.NO_FURTHER_STAGE


def test_art_7_the_second_stage_follows_the_first_decision() -> None:
    early = refused(
        [*FIRST_STAGE[:2], record("2027-03-05", "stage_started", stage="arbeidsdeskundige")],
        STAGED,
    )
    assert early.refusal.message == R.STAGE_NEEDS_DECISION
    unknown = refused(
        [*FIRST_STAGE, record("2027-03-15", "stage_started", stage="ombudsman")], STAGED
    )
    assert unknown.refusal.message == R.UNKNOWN_STAGE
    # A regulation without stages does not offer one.
    assert not accepted(FIRST_STAGE, AWB).may(Event.STAGE_STARTED)
    assert accepted(FIRST_STAGE, STAGED).may(Event.STAGE_STARTED)


def test_a_term_that_starts_on_an_unknown_stage_is_refused_when_loading() -> None:
    data = STAGED.model_dump(mode="json")
    data["deadlines"][-1]["starts_on"] = [{"event": "stage_started", "outcome": "directie"}]
    with pytest.raises(Exception) as raised:
        Regulation.model_validate(data)
    assert "directie" in str(raised.value)


INFOCUS = load_preset("infocus-samen")


def test_infocus_art_5_the_committee_decides_without_a_separate_advice() -> None:
    facts = ComplaintFacts.of(subjects=["Piet"])
    events = [
        record("2027-03-01", "received", channel="written"),
        record("2027-03-01", "committee_appointed", members=["Ans", "Bob"]),
        record("2027-03-02", "accepted"),
        record("2027-03-03", "referred_to_committee"),
        record("2027-03-08", "hearing_held", heard=["klager", "Piet"]),
    ]
    snapshot = accepted(events, INFOCUS, facts)
    assert not snapshot.may(Event.COMMITTEE_ADVICE_GIVEN)
    advice = refused([*events, record("2027-03-09", "committee_advice_given")], INFOCUS, facts)
    assert advice.refusal.message == R.COMMITTEE_DECIDES
    accepted([*events, record("2027-03-10", "decision_made", outcome="founded")], INFOCUS, facts)


# --- the steps offered ----------------------------------------------------------------------


def test_integratiewerk_offers_no_registered_letter_nor_progress_notice() -> None:
    integratiewerk = load_preset("integratiewerk")
    events = [
        record("2027-03-01", "received", channel="written"),
        record("2027-03-02", "accepted"),
    ]
    snapshot = accepted(events, integratiewerk)
    for event in (Event.REGISTERED_LETTER_DELIVERED, Event.PROGRESS_NOTICE_SENT):
        assert not snapshot.may(event)
    late = refused([*events, record("2027-03-03", "progress_notice_sent")], integratiewerk)
    assert late.refusal.message == R.UNKNOWN_TO_REGULATION
    # IN FOCUS Samen's regulation speaks of a progress notice (art. 6): offered there.
    assert accepted(events, INFOCUS).may(Event.PROGRESS_NOTICE_SENT)
