"""End-to-end stories under the IN FOCUS Samen regulation (seeds/infocus-samen.txt).

Every due date below is counted by hand on the nl-atw calendar (README.md "Working days"):
- werkdagen: the day of the starting event does not count; weekends and feestdagen are skipped;
- weken: calendar weeks, a term ending on a non-working day rolls on to the next working day.
Non-working days used here: Koningsdag Tue 27 Apr 2027, Bevrijdingsdag Wed 5 May 2027,
Hemelvaartsdag Thu 6 May 2027, decree day Fri 7 May 2027.
"""

from __future__ import annotations

import datetime as dt

import pytest

from klachtenregister.lifecycle import ComplaintFacts, EventRecord, State, record, replay
from klachtenregister.lifecycle import refusals as R
from klachtenregister.regulations.loader import load_preset
from tests.support.stories import StoryRunner, deadline_table, extension, through

INFOCUS = load_preset("infocus-samen")
# The complaint is about Jan; Kees was involved in the contact complained about.
UWV_CLIENT = ComplaintFacts.of(subjects=["jan"], involved=["kees"], uwv_client=True)
OTHER_CLIENT = ComplaintFacts.of(subjects=["jan"], involved=["kees"], uwv_client=False)

run = StoryRunner(INFOCUS, UWV_CLIENT)


def extend_uitspraak(on: str, weeks: int) -> EventRecord:
    """A new agreement on the term, told to the complainant in time (De procedure 6)."""
    return extension(
        on,
        "uitspraak",
        weeks,
        reason="Niet alle partijen gehoord; klager tijdig ingelicht, nieuwe termijn afgesproken",
        role="klachtencommissie",
    )


# --- Story A: a UWV client's complaint, handled late-ish after two new agreements -------------
#
# Received Tue 20 Apr 2027.
# ontvangstbevestiging (5 werkdagen after receipt, De procedure 3): Wed 21, Thu 22, Fri 23,
#   Mon 26, (Tue 27 Koningsdag) Wed 28 Apr -> due Wed 28 Apr.
# uitspraak (4 weken after receipt, De procedure 6): 20 Apr + 28 days = Tue 18 May (a working day).
#   Extended Thu 13 May by 2 weken: 18 May + 14 days = Tue 1 Jun (a working day).
#   Extended again Fri 28 May by 1 week: 1 Jun + 7 days = Tue 8 Jun (a working day).
# bericht_niet_in_behandeling only applies once the complaint is declared inadmissible: not here.
ACCEPTED_STORY = [
    record("2027-04-20", "received", channel="written", role="in_focus_samen"),
    # The committee is appointed as soon as the complaint comes in: two independent employees.
    record("2027-04-20", "committee_appointed", members=["anna", "bert"], role="in_focus_samen"),
    record("2027-04-20", "registered", role="klachtencommissie"),
    # The complainant is a UWV client: the UWV arbeidsdeskundige is told.
    record("2027-04-20", "third_party_informed", role="in_focus_samen"),
    record("2027-04-26", "acknowledged", role="klachtencommissie"),
    record("2027-04-26", "accepted", role="klachtencommissie"),
    record("2027-05-12", "hearing_held", heard=["klager", "jan"], role="klachtencommissie"),
    extend_uitspraak("2027-05-13", 2),
    extend_uitspraak("2027-05-28", 1),
    record("2027-06-04", "decision_made", outcome="unfounded", role="klachtencommissie"),
    record("2027-06-07", "decision_sent", role="klachtencommissie"),
    record("2027-06-08", "closed", role="klachtencommissie"),
]


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2027-06-01", "extended"), ("2027-06-02", "missed")],
)
def test_story_once_extended_is_missed_only_after_the_new_due_date(as_of: str, status: str) -> None:
    snapshot = run(through(ACCEPTED_STORY, "extended"), as_of)

    assert snapshot.state is State.ACCEPTED
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-20", "2027-04-28", "met", "2027-04-26"),
        ("uitspraak", "2027-04-20", "2027-06-01", status, None),
    ]


def test_story_from_intake_to_closure() -> None:
    snapshot = run(ACCEPTED_STORY)

    assert snapshot.state is State.CLOSED
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-20", "2027-04-28", "met", "2027-04-26"),
        ("uitspraak", "2027-04-20", "2027-06-08", "met", "2027-06-07"),
    ]
    uitspraak = snapshot.deadline("uitspraak")
    assert [(e.on, e.previous_due, e.new_due) for e in uitspraak.extensions] == [
        (dt.date(2027, 5, 13), dt.date(2027, 5, 18), dt.date(2027, 6, 1)),
        (dt.date(2027, 5, 28), dt.date(2027, 6, 1), dt.date(2027, 6, 8)),
    ]
    with pytest.raises(KeyError):
        snapshot.deadline("bericht_niet_in_behandeling")
    assert (snapshot.history[-1].on, snapshot.history[-1].event) == (
        dt.date(2027, 6, 8),
        "closed",
    )


def test_a_uwv_client_escalates_to_the_arbeidsdeskundige_after_closure() -> None:
    # The preset names no role for 'escalated'; the organisation (the coordinator) records it.
    escalated = record("2027-06-16", "escalated", to="uwv_arbeidsdeskundige", role="in_focus_samen")
    snapshot = run([*ACCEPTED_STORY, escalated])

    assert snapshot.state is State.CLOSED
    assert (snapshot.history[-1].on, snapshot.history[-1].event) == (
        dt.date(2027, 6, 16),
        "escalated",
    )
    # Escalating starts no term and changes none.
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-20", "2027-04-28", "met", "2027-04-26"),
        ("uitspraak", "2027-04-20", "2027-06-08", "met", "2027-06-07"),
    ]


def test_only_a_uwv_client_may_escalate_to_the_arbeidsdeskundige() -> None:
    escalated = record("2027-06-16", "escalated", to="uwv_arbeidsdeskundige", role="in_focus_samen")
    result = replay(INFOCUS, [*ACCEPTED_STORY, escalated], OTHER_CLIENT)

    assert result.refused is not None
    assert result.refused.index == len(ACCEPTED_STORY)
    assert result.refused.refusal.message == R.ESCALATION_CONDITION


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (["jan", "anna"], R.MEMBER_IS_SUBJECT),
        (["anna", "kees"], R.MEMBER_IS_INVOLVED),
        (["anna"], R.COMMITTEE_SIZE),
    ],
)
def test_the_committee_is_two_people_not_involved(members: list[str], message: str) -> None:
    events = [
        ACCEPTED_STORY[0],
        record("2027-04-20", "committee_appointed", members=members, role="in_focus_samen"),
    ]
    result = replay(INFOCUS, events, UWV_CLIENT)

    assert result.refused is not None
    assert result.refused.refusal.message == message


# --- Story B: not taken into treatment ---------------------------------------------------------
#
# Received Thu 8 Apr 2027 (not a UWV client).
# ontvangstbevestiging: Fri 9, Mon 12, Tue 13, Wed 14, Thu 15 Apr -> due Thu 15 Apr.
# uitspraak: 8 Apr + 28 days = Thu 6 May, Hemelvaartsdag; Fri 7 May decree day, weekend
#   -> rolls on to Mon 10 May. Cancelled by the declaration on Fri 30 Apr (before its due date).
# bericht_niet_in_behandeling (4 weken after the date of receipt, De procedure 4): the same count
#   from 8 Apr -> Mon 10 May; it applies from the declaration on.
INADMISSIBLE_STORY = [
    record("2027-04-08", "received", channel="written", role="in_focus_samen"),
    record("2027-04-08", "committee_appointed", members=["anna", "bert"], role="in_focus_samen"),
    record("2027-04-08", "registered", role="klachtencommissie"),
    record("2027-04-13", "acknowledged", role="klachtencommissie"),
    # The preset lists no grounds: the committee gives its reason in words.
    record(
        "2027-04-30",
        "declared_inadmissible",
        reason="De onvrede is door de direct aangesprokene al weggenomen",
        role="klachtencommissie",
    ),
    # Told on the last day of the rolled-over term.
    record("2027-05-10", "inadmissibility_notice_sent", role="klachtencommissie"),
    record("2027-05-11", "closed", role="klachtencommissie"),
]


def test_inadmissible_story_before_the_declaration() -> None:
    snapshot = run(through(INADMISSIBLE_STORY, "acknowledged"), "2027-04-29", OTHER_CLIENT)

    assert snapshot.state is State.REGISTERED
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-08", "2027-04-15", "met", "2027-04-13"),
        ("uitspraak", "2027-04-08", "2027-05-10", "open", None),
    ]
    with pytest.raises(KeyError):
        snapshot.deadline("bericht_niet_in_behandeling")
    assert not snapshot.may("inadmissibility_notice_sent")


def test_inadmissible_story_from_intake_to_closure() -> None:
    snapshot = run(INADMISSIBLE_STORY, facts=OTHER_CLIENT)

    assert snapshot.state is State.CLOSED
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-08", "2027-04-15", "met", "2027-04-13"),
        ("bericht_niet_in_behandeling", "2027-04-08", "2027-05-10", "met", "2027-05-10"),
        ("uitspraak", "2027-04-08", "2027-05-10", "cancelled", None),
    ]
    assert (snapshot.history[-1].on, snapshot.history[-1].event) == (
        dt.date(2027, 5, 11),
        "closed",
    )


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2027-05-10", "open"), ("2027-05-11", "missed")],
)
def test_inadmissibility_notice_is_missed_only_after_its_due_date(as_of: str, status: str) -> None:
    snapshot = run(through(INADMISSIBLE_STORY, "declared_inadmissible"), as_of, OTHER_CLIENT)

    assert snapshot.state is State.INADMISSIBLE
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-08", "2027-04-15", "met", "2027-04-13"),
        ("bericht_niet_in_behandeling", "2027-04-08", "2027-05-10", status, None),
        # Cancelled before it ran out, so it stays cancelled however late we look.
        ("uitspraak", "2027-04-08", "2027-05-10", "cancelled", None),
    ]


# --- Toepassingsgebied: "alle uitingen van ongenoegen", anonymous ones too ----------------------


def test_toepassingsgebied_anonymous_complaint_is_taken_into_treatment() -> None:
    """The seed covers every expression of dissatisfaction and is silent on anonymity; the
    preset's own note: take it, ask for details where a letter is due."""
    anonymous = [
        record("2027-04-19", "received", channel="oral", anonymous=True, role="in_focus_samen"),
        record("2027-04-20", "accepted", role="klachtencommissie"),
    ]
    result = replay(INFOCUS, anonymous, UWV_CLIENT, as_of=dt.date(2027, 6, 30))

    assert result.refused is None, result.refused.refusal.render()
    assert result.snapshot.state is State.ACCEPTED
    # Letters to a complainant without contact details: not applicable, never missed.
    statuses = {view.id: view.status.value for view in result.snapshot.deadlines}
    assert statuses["ontvangstbevestiging"] == "not_applicable"
    assert "missed" not in statuses.values()
