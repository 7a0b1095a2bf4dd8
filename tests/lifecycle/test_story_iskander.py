"""End-to-end stories under the Iskander regulation (seeds/iskander.txt), intake to closure.

Every due date below is counted by hand on the nl-atw calendar (README.md "Working days"):
- werkdagen: the day of the starting event does not count; weekends and feestdagen are skipped;
- weken: calendar weeks, a term ending on a non-working day rolls on to the next working day.
Non-working days used here: Koningsdag Tue 27 Apr 2027, Bevrijdingsdag Wed 5 May 2027,
Hemelvaartsdag Thu 6 May 2027, decree day Fri 7 May 2027, Tweede Pinksterdag Mon 17 May 2027,
Christmas Mon 25 + Tue 26 Dec 2028.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest

from klachtenregister.lifecycle import ComplaintFacts, State, record, replay
from klachtenregister.lifecycle import refusals as R
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.schema import Regulation
from klachtenregister.yamlio import parse_yaml
from tests.support.stories import Row, StoryRunner, deadline_table, through

ISKANDER = load_preset("iskander")
# The complaint is about Jan; Kees was present and may not handle it either (Stroomschema, rij 4).
FACTS = ComplaintFacts.of(subjects=["jan"], involved=["kees"])

run = StoryRunner(ISKANDER, FACTS)


# --- Story A: consultation without agreement, hearing, written decision ------------------------
#
# Received Mon 19 Apr 2027.
# ontvangstbevestiging (5 werkdagen after receipt, Stroomschema rij 1):
#   Tue 20, Wed 21, Thu 22, Fri 23, Mon 26 Apr -> due Mon 26 Apr.
# afhandeling (4 weken after submission, Klachtenbeleid): 19 Apr + 28 days = Mon 17 May, Tweede
#   Pinksterdag -> rolls on to Tue 18 May.
# Consultation Thu 29 Apr without agreement; bevestiging_overleg and vervolginformatie (5 werkdagen
#   after the consultation, rij 4 and 5): Fri 30 Apr, Mon 3, Tue 4, (Wed 5 Bevrijdingsdag, Thu 6
#   Hemelvaart, Fri 7 decree day, weekend) Mon 10, Tue 11 May -> due Tue 11 May.
# Hearing Wed 12 May; verslag_bijeenkomst (5 werkdagen, rij 7): Thu 13, Fri 14, (weekend, Mon 17
#   Tweede Pinksterdag) Tue 18, Wed 19, Thu 20 May -> due Thu 20 May.
NO_AGREEMENT_STORY = [
    # The preset names no role for 'received'; whoever keeps the register (the
    # klachtenfunctionaris, the coordinator) records it.
    record(
        "2027-04-19",
        "received",
        channel="written",
        facts_date="2027-04-09",
        role="klachtenfunctionaris",
    ),
    record("2027-04-19", "registered", role="klachtenfunctionaris"),
    record("2027-04-20", "handler_assigned", handler="piet", role="klachtenfunctionaris"),
    record("2027-04-21", "acknowledged", role="klachtenfunctionaris"),
    record(
        "2027-04-29", "consultation_held", outcome="no_agreement", role="procesverantwoordelijke"
    ),
    # After the consultation Iskander decides it can handle the complaint itself (rij 4).
    record("2027-04-30", "accepted", role="procesverantwoordelijke"),
    record("2027-05-03", "consultation_confirmation_sent", role="klachtenfunctionaris"),
    record("2027-05-11", "follow_up_information_sent", role="klachtenfunctionaris"),
    record("2027-05-12", "hearing_held", heard=["melder", "jan"], role="procesverantwoordelijke"),
    record("2027-05-18", "hearing_report_sent", role="klachtenfunctionaris"),
    record("2027-05-18", "decision_made", outcome="partly_founded", role="procesverantwoordelijke"),
    record("2027-05-18", "measures_recorded", type="corrective", role="procesverantwoordelijke"),
    record("2027-05-18", "decision_sent", role="procesverantwoordelijke"),
    record("2027-05-19", "closed", role="klachtenfunctionaris"),
]


def test_story_without_agreement_halfway_after_the_confirmation() -> None:
    snapshot = run(through(NO_AGREEMENT_STORY, "consultation_confirmation_sent"), "2027-05-04")

    assert snapshot.state is State.ACCEPTED
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-19", "2027-04-26", "met", "2027-04-21"),
        ("afhandeling", "2027-04-19", "2027-05-18", "open", None),
        ("bevestiging_overleg", "2027-04-29", "2027-05-11", "met", "2027-05-03"),
        ("vervolginformatie", "2027-04-29", "2027-05-11", "open", None),
    ]
    # No hearing yet, so no report term and no report to send.
    with pytest.raises(KeyError):
        snapshot.deadline("verslag_bijeenkomst")
    assert not snapshot.may("hearing_report_sent")


def test_story_without_agreement_decided_before_closure() -> None:
    snapshot = run(through(NO_AGREEMENT_STORY, "decision_sent"))

    assert snapshot.as_of == dt.date(2027, 5, 18)
    assert snapshot.state is State.DECIDED
    assert snapshot.may("closed")


def test_story_without_agreement_from_intake_to_closure() -> None:
    snapshot = run(NO_AGREEMENT_STORY)

    assert snapshot.state is State.CLOSED
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-19", "2027-04-26", "met", "2027-04-21"),
        # Decision sent on the last day of the rolled-over term.
        ("afhandeling", "2027-04-19", "2027-05-18", "met", "2027-05-18"),
        ("bevestiging_overleg", "2027-04-29", "2027-05-11", "met", "2027-05-03"),
        # Sent on the last day: the three May holidays count for nothing.
        ("vervolginformatie", "2027-04-29", "2027-05-11", "met", "2027-05-11"),
        ("verslag_bijeenkomst", "2027-05-12", "2027-05-20", "met", "2027-05-18"),
    ]
    closing = snapshot.history[-1]
    assert (closing.on, closing.event, closing.role) == (
        dt.date(2027, 5, 19),
        "closed",
        "klachtenfunctionaris",
    )
    # Nothing was done by the system in this story.
    assert [r for r in snapshot.history if r.role == "system"] == []
    assert len(snapshot.history) == len(NO_AGREEMENT_STORY)


# --- Story B: agreement, registered letter, closure by silence ---------------------------------
#
# Received Tue 20 Apr 2027.
# ontvangstbevestiging: Wed 21, Thu 22, Fri 23, Mon 26, (Tue 27 Koningsdag) Wed 28 Apr
#   -> due Wed 28 Apr.
# afhandeling: 20 Apr + 28 days = Tue 18 May, a working day -> due 18 May.
# Consultation with agreement Wed 28 Apr; afsprakenbrief (5 werkdagen after the agreement, rij 3):
#   Thu 29, Fri 30 Apr, Mon 3, Tue 4, (5, 6, 7 May and the weekend) Mon 10 May -> due Mon 10 May.
# Registered letter delivered Mon 10 May; afronding_zonder_reactie (5 werkdagen, rij 8):
#   Tue 11, Wed 12, Thu 13, Fri 14, (weekend, Mon 17 Tweede Pinksterdag) Tue 18 May -> due 18 May;
#   without a reaction the system closes the complaint the day after: Wed 19 May.
AGREEMENT_STORY = [
    record(
        "2027-04-20",
        "received",
        channel="written",
        facts_date="2027-04-15",
        role="klachtenfunctionaris",
    ),
    record("2027-04-20", "registered", role="klachtenfunctionaris"),
    record("2027-04-26", "acknowledged", role="klachtenfunctionaris"),
    record("2027-04-26", "handler_assigned", handler="piet", role="procesverantwoordelijke"),
    record("2027-04-28", "consultation_held", outcome="agreement", role="procesverantwoordelijke"),
    # The complaint and the agreed solution are recorded in the register (rij 3).
    record("2027-04-28", "resolved_informally", role="klachtenfunctionaris"),
    record("2027-05-04", "agreement_letter_sent", role="klachtenfunctionaris"),
    record("2027-05-10", "registered_letter_delivered", role="klachtenfunctionaris"),
]

AGREEMENT_DEADLINES_BEFORE_SILENCE: list[Row] = [
    ("ontvangstbevestiging", "2027-04-20", "2027-04-28", "met", "2027-04-26"),
    # Met by the agreement, three weeks early.
    ("afhandeling", "2027-04-20", "2027-05-18", "met", "2027-04-28"),
    ("afsprakenbrief", "2027-04-28", "2027-05-10", "met", "2027-05-04"),
]


def test_story_with_agreement_still_open_on_the_last_day_of_the_silence_term() -> None:
    snapshot = run(AGREEMENT_STORY, "2027-05-18")

    assert snapshot.state is State.RESOLVED
    assert deadline_table(snapshot) == [
        *AGREEMENT_DEADLINES_BEFORE_SILENCE,
        ("afronding_zonder_reactie", "2027-05-10", "2027-05-18", "open", None),
    ]
    assert snapshot.history[-1].event == "registered_letter_delivered"
    assert snapshot.may("reaction_received")


def test_story_with_agreement_closed_by_the_system_after_silence() -> None:
    snapshot = run(AGREEMENT_STORY, "2027-05-19")

    assert snapshot.state is State.CLOSED
    assert deadline_table(snapshot) == [
        *AGREEMENT_DEADLINES_BEFORE_SILENCE,
        # The engine keeps a term that lapsed after its due date as 'missed'.
        ("afronding_zonder_reactie", "2027-05-10", "2027-05-18", "missed", None),
    ]
    closing = snapshot.history[-1]
    assert len(snapshot.history) == len(AGREEMENT_STORY) + 1
    assert (closing.on, closing.event, closing.role) == (dt.date(2027, 5, 19), "closed", "system")
    assert closing.details.reason == "naar tevredenheid afgerond"


@pytest.mark.parametrize("late_day", ["2027-05-19", "2027-05-24"])
def test_a_reaction_after_the_silence_term_is_refused(late_day: str) -> None:
    late_reaction = record(late_day, "reaction_received", role="klachtenfunctionaris")
    result = replay(ISKANDER, [*AGREEMENT_STORY, late_reaction], FACTS)

    assert result.refused is not None
    assert result.refused.index == len(AGREEMENT_STORY)
    assert result.refused.refusal.message == R.CLOSED
    assert "2027-05-19" in result.refused.refusal.render()
    assert result.snapshot.state is State.CLOSED


def test_a_reaction_on_the_last_day_stops_the_closure_by_silence() -> None:
    reaction = record("2027-05-18", "reaction_received", role="klachtenfunctionaris")
    snapshot = run([*AGREEMENT_STORY, reaction], "2027-05-31")

    assert snapshot.state is State.RESOLVED
    assert deadline_table(snapshot) == [
        *AGREEMENT_DEADLINES_BEFORE_SILENCE,
        ("afronding_zonder_reactie", "2027-05-10", "2027-05-18", "met", "2027-05-18"),
    ]
    assert not any(r.event == "closed" for r in snapshot.history)

    # The reaction is dealt with and the klachtenfunctionaris closes the complaint by hand.
    closed = record("2027-05-21", "closed", role="klachtenfunctionaris")
    snapshot = run([*AGREEMENT_STORY, reaction, closed], "2027-05-31")
    assert snapshot.state is State.CLOSED
    assert [(r.on, r.role) for r in snapshot.history if r.event == "closed"] == [
        (dt.date(2027, 5, 21), "klachtenfunctionaris")
    ]
    assert snapshot.deadline("afronding_zonder_reactie").status.value == "met"


# --- A term becomes 'missed' only after its due date ------------------------------------------
#
# Received Wed 20 Dec 2028; ontvangstbevestiging: Thu 21, Fri 22, (weekend, Mon 25 and Tue 26 Dec
# Christmas) Wed 27, Thu 28, Fri 29 Dec -> due Fri 29 Dec 2028.
# afhandeling: 20 Dec 2028 + 28 days = Wed 17 Jan 2029 (a working day).
@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2028-12-29", "open"), ("2028-12-30", "missed")],
)
def test_acknowledgement_term_is_missed_only_after_its_due_date(as_of: str, status: str) -> None:
    received = record("2028-12-20", "received", channel="oral", role="klachtenfunctionaris")
    snapshot = run([received], as_of)

    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2028-12-20", "2028-12-29", status, None),
        ("afhandeling", "2028-12-20", "2029-01-17", "open", None),
    ]


# --- Stroomschema rij 8: the silence runs after the registered confirmation of the agreements -----


def test_stroomschema_rij_8_registered_letter_needs_agreements_or_decision_sent() -> None:
    """Only an acknowledgement, then a registered letter: nothing was confirmed that silence could
    accept, so the letter is refused and the complaint does not close itself as satisfied."""
    early = [
        *AGREEMENT_STORY[:3],
        record("2027-05-10", "registered_letter_delivered", role="klachtenfunctionaris"),
    ]
    result = replay(ISKANDER, early, FACTS, as_of=dt.date(2027, 6, 30))

    assert result.refused is not None
    assert result.refused.index == 3
    assert result.refused.refusal.message == R.NO_CONFIRMATION_SENT
    assert "Stroomschema, rij 8" in result.refused.refusal.render()
    assert result.snapshot.state is State.REGISTERED
    assert not result.snapshot.may("registered_letter_delivered")


def test_stroomschema_rij_8_registered_letter_after_the_decision_letter_is_allowed() -> None:
    snapshot = run(NO_AGREEMENT_STORY[:-1], "2027-05-18")
    assert snapshot.may("registered_letter_delivered")


def test_stroomschema_rij_8_agreement_letter_without_resolved_event_closes_by_silence() -> None:
    """Agreement reached and confirmed in writing ends the complaint (rij 3): the automatic
    closure passes the same check as a closure by hand."""
    story = [event for event in AGREEMENT_STORY if event.event != "resolved_informally"]
    snapshot = run(story, "2027-05-19")
    assert snapshot.state is State.CLOSED
    assert snapshot.history[-1].role == "system"


def test_stroomschema_rij_8_automatic_closure_passes_the_checks_of_a_closure_by_hand() -> None:
    """A regulation whose silence term would run from the acknowledgement: when it expires
    nothing has been decided or agreed, so a closure by hand would be refused, and the system
    does not close the complaint either."""
    text = (resources.files("klachtenregister.regulations.presets") / "iskander.yaml").read_text()
    data = parse_yaml(text, "iskander.yaml").data
    assert isinstance(data, dict)
    silence = next(d for d in data["deadlines"] if d["id"] == "afronding_zonder_reactie")
    silence["starts_on"] = "acknowledged"
    regulation = Regulation.model_validate(data)
    story = AGREEMENT_STORY[:3]

    snapshot = StoryRunner(regulation, FACTS)(story, "2027-06-30")

    assert snapshot.state is State.REGISTERED
    assert [r for r in snapshot.history if r.role == "system"] == []
    assert not snapshot.may("closed")
