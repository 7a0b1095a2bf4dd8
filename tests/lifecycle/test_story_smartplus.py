"""End-to-end stories under the SmartPLUS regulation (seeds/smartplus.txt, preset smartplus).

Terms here are in (calendar) dagen and weken on the nl-atw calendar: count the days, then Atw
art. 2 (a term of 3 days or more must contain 2 working days, else it is lengthened until it
does) and Atw art. 1 (a term ending on a Saturday, Sunday or feestdag moves to the next working
day). Feestdagen used: Koningsdag Tue 27 Apr 2027, 5 May, Ascension Thu 6 May 2027 with decree
day Fri 7 May 2027, Whit Monday 17 May 2027. The day of the starting event does not count.
"""

from __future__ import annotations

import pytest

from klachtenregister.lifecycle import (
    ComplaintFacts,
    DeadlineStatus,
    EventRecord,
    State,
    record,
    replay,
)
from klachtenregister.lifecycle import refusals as R
from klachtenregister.regulations.loader import load_preset
from tests.support.stories import CANCELLED, MET, MISSED, OPEN, StoryRunner, day, deadline_table

REG = load_preset("smartplus")
# The complaint is about Frank's conduct (Punt 5: he is told at once and never handles it).
FACTS = ComplaintFacts.of(subjects=["frank"])

run = StoryRunner(REG, FACTS)


# --- Story 1: answered after the own 4-week term but within the binding 6 weeks ---------------

# An oral complaint on Mon 19 Apr 2027, put in writing with the help of an employee (Punt 3).
BEFORE_OWN_TERM = [
    record("2027-04-19", "received", channel="oral", facts_date="2027-04-12", role="medewerker"),
    record("2027-04-19", "registered", role="medewerker"),
    record("2027-04-20", "handler_assigned", handler="eva", role="casemanager"),
    # Punt 5, slotzin: the employee complained about gets the complaint letter at once.
    record("2027-04-20", "subject_informed", role="behandelaar"),
    # Acknowledged on Mon 26 Apr: day 7 after receipt, but still the (rolled-over) last day.
    record("2027-04-26", "acknowledged", role="behandelaar"),
    record("2027-04-26", "accepted", role="behandelaar"),
    # Punt 6: hoor en wederhoor, report sent for signature.
    record("2027-05-11", "hearing_held", heard=["klager", "frank"], role="behandelaar"),
    record("2027-05-12", "hearing_report_sent", role="behandelaar"),
    # Punt 7, Toelichting: the client is told, with the reason, that 4 weeks will not be met.
    record("2027-05-14", "progress_notice_sent", role="behandelaar"),
]
ANSWERED_LATE = [
    *BEFORE_OWN_TERM,
    record("2027-05-24", "decision_made", outcome="founded", role="behandelaar"),
    record("2027-05-25", "decision_sent", role="behandelaar"),
    # Punt 8: for a founded complaint the contact person sees to it that action is taken.
    record("2027-05-27", "measures_recorded", type="corrective", role="behandelaar"),
    record("2027-05-28", "closed", role="behandelaar"),
]
# ontvangstbevestiging: Mon 19 Apr + 5 dagen = Sat 24 Apr; Atw art. 2: Tue 20..Fri 23 are 4
#   working days, enough; Atw art. 1: Sat 24, Sun 25 -> Mon 26 Apr.
ACK_DUE = "2027-04-26"
# beantwoording: Mon 19 Apr + 6 weken (42 dagen) = Mon 31 May 2027, a working day.
ANSWER_DUE = "2027-05-31"
# eigen_termijn: Mon 19 Apr + 4 weken (28 dagen) = Mon 17 May, Whit Monday -> Tue 18 May 2027.
OWN_TERM_DUE = "2027-05-18"


def test_story_answer_after_own_term_within_binding_term() -> None:
    snap = run(ANSWERED_LATE)

    assert snap.state is State.CLOSED
    assert sorted(deadline_table(snap)) == sorted(
        [
            ("ontvangstbevestiging", "2027-04-19", ACK_DUE, MET, "2027-04-26"),
            ("beantwoording", "2027-04-19", ANSWER_DUE, MET, "2027-05-25"),
            ("eigen_termijn", "2027-04-19", OWN_TERM_DUE, MISSED, "2027-05-25"),
        ]
    )
    own = snap.deadline("eigen_termijn")
    assert (own.kind, own.binding) == ("service_norm", False)
    assert snap.deadline("beantwoording").binding is True


def test_story_intermediate_state_after_hearing() -> None:
    snap = run(BEFORE_OWN_TERM)

    assert snap.state is State.ACCEPTED
    assert sorted(deadline_table(snap)) == sorted(
        [
            ("ontvangstbevestiging", "2027-04-19", ACK_DUE, MET, "2027-04-26"),
            ("beantwoording", "2027-04-19", ANSWER_DUE, OPEN, None),
            ("eigen_termijn", "2027-04-19", OWN_TERM_DUE, OPEN, None),
        ]
    )
    # The employee complained about may not be the handler (Punt 6; Toelichting Punt 5).
    as_subject = record("2027-04-20", "handler_assigned", handler="frank", role="casemanager")
    refused = replay(REG, [*BEFORE_OWN_TERM[:2], as_subject], FACTS).refused
    assert refused is not None
    assert refused.refusal.message == R.HANDLER_IS_SUBJECT


@pytest.mark.parametrize(
    ("as_of", "status"),
    # 17 May is the 4-week date itself, but Whit Monday: the term runs until Tue 18 May.
    [("2027-05-17", OPEN), ("2027-05-18", OPEN), ("2027-05-19", MISSED)],
    ids=["whit-monday", "on-due-date", "day-after"],
)
def test_own_term_is_missed_only_after_its_due_date(as_of: str, status: DeadlineStatus) -> None:
    snap = run(BEFORE_OWN_TERM, as_of)

    own = snap.deadline("eigen_termijn")
    assert (own.start, own.due, own.status, own.met_on) == (
        day("2027-04-19"),
        day(OWN_TERM_DUE),
        status,
        None,
    )
    assert snap.deadline("beantwoording").status == OPEN


# --- Story 2: conduct more than a year old, not taken into treatment -------------------------


def received_on_4_may_2027(facts_date: str) -> list[EventRecord]:
    """A written complaint on Tue 4 May 2027, the day before 5 May, Ascension and the decree
    day, about conduct on ``facts_date``."""
    return [
        record(
            "2027-05-04", "received", channel="written", facts_date=facts_date, role="medewerker"
        ),
        record("2027-05-04", "registered", role="medewerker"),
        record("2027-05-04", "handler_assigned", handler="dewi", role="casemanager"),
    ]


INTAKE_OLD = received_on_4_may_2027("2026-05-03")
NOT_TAKEN = [
    *INTAKE_OLD,
    record("2027-05-11", "acknowledged", role="behandelaar"),
    record("2027-05-18", "declared_inadmissible", ground="ouder_dan_een_jaar", role="behandelaar"),
    record("2027-05-28", "inadmissibility_notice_sent", role="behandelaar"),
    record("2027-05-31", "closed", role="behandelaar"),
]
# ontvangstbevestiging: Tue 4 May + 5 dagen = Sun 9 May; the days 5..9 May hold no working day
#   (5 May, Ascension 6 May, decree day 7 May, weekend), so Atw art. 2 lengthens the term to
#   its 2nd working day: Mon 10 (1), Tue 11 May (2). (Roll-over alone would give Mon 10 May.)
ACK_DUE_OLD = "2027-05-11"
# beantwoording: Tue 4 May + 42 dagen = Tue 15 Jun 2027, a working day.
# eigen_termijn and bericht_niet_in_behandeling: Tue 4 May + 28 dagen = Tue 1 Jun 2027.
FOUR_WEEKS_OLD = "2027-06-01"


def test_story_complaint_older_than_a_year_not_taken_into_treatment() -> None:
    snap = run(NOT_TAKEN)

    assert snap.state is State.CLOSED
    assert sorted(deadline_table(snap)) == sorted(
        [
            ("ontvangstbevestiging", "2027-05-04", ACK_DUE_OLD, MET, "2027-05-11"),
            ("bericht_niet_in_behandeling", "2027-05-04", FOUR_WEEKS_OLD, MET, "2027-05-28"),
            # Cancelled by the declaration (Punt 7: only a complaint taken is answered).
            ("beantwoording", "2027-05-04", "2027-06-15", CANCELLED, None),
            ("eigen_termijn", "2027-05-04", FOUR_WEEKS_OLD, CANCELLED, None),
        ]
    )


def test_story_old_complaint_suggests_the_ground_before_the_declaration() -> None:
    snap = run(INTAKE_OLD)

    assert snap.state is State.REGISTERED
    # Sun 3 May 2026 + 12 maanden = Mon 3 May 2027 (a working day): the last day the complaint
    # was in time; received on 4 May it is more than a year after the conduct (Punt 8, grond 2).
    assert [(s.ground.id, s.limit_date) for s in snap.suggested_grounds] == [
        ("ouder_dan_een_jaar", day("2027-05-03"))
    ]
    # The notice term only shows once the complaint is declared inadmissible.
    with pytest.raises(KeyError):
        snap.deadline("bericht_niet_in_behandeling")
    assert sorted(deadline_table(snap)) == sorted(
        [
            ("ontvangstbevestiging", "2027-05-04", ACK_DUE_OLD, OPEN, None),
            ("beantwoording", "2027-05-04", "2027-06-15", OPEN, None),
            ("eigen_termijn", "2027-05-04", FOUR_WEEKS_OLD, OPEN, None),
        ]
    )

    declared = run(NOT_TAKEN[:5])
    assert declared.state is State.INADMISSIBLE
    notice = declared.deadline("bericht_niet_in_behandeling")
    assert (notice.start, notice.due, notice.status) == (
        day("2027-05-04"),
        day(FOUR_WEEKS_OLD),
        OPEN,
    )


def test_conduct_exactly_a_year_old_is_in_time() -> None:
    # Conduct on Mon 4 May 2026, complaint on Tue 4 May 2027: one year, not "langer dan één jaar".
    intake = received_on_4_may_2027("2026-05-04")
    assert run(intake).suggested_grounds == ()

    declare = record(
        "2027-05-18", "declared_inadmissible", ground="ouder_dan_een_jaar", role="behandelaar"
    )
    refused = replay(REG, [*intake, declare], FACTS).refused
    assert refused is not None
    assert refused.refusal.message == R.GROUND_TIME_LIMIT_NOT_EXCEEDED
