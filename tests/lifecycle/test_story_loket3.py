"""End-to-end stories under the Loket3 regulation (seeds/loket3.txt, preset loket3).

Every due date is counted by hand on the nl-atw calendar: werkdagen skip weekends, Koningsdag
(Tue 27 Apr 2027, Thu 27 Apr 2028), 5 May, Ascension (Thu 6 May 2027, Thu 25 May 2028), the decree
days (Fri 7 May 2027, Fri 28 Apr 2028, Fri 26 May 2028), Good Friday and Easter Monday (14 and
17 Apr 2028) and Whit Monday (17 May 2027). The day of the starting event does not count.
"""

from __future__ import annotations

import pytest

from klachtenregister.lifecycle import ComplaintFacts, DeadlineStatus, State, record, replay
from klachtenregister.lifecycle import refusals as R
from klachtenregister.regulations.loader import load_preset
from tests.support.stories import MET, MISSED, OPEN, Row, StoryRunner, deadline_table

REG = load_preset("loket3")
# Bram gave the service the complaint is about (Handelswijze 2: he never handles it).
FACTS = ComplaintFacts.of(subjects=["bram"])

run = StoryRunner(REG, FACTS)


# --- Story 1: an oral complaint on the verbeterformulier, handled in term -----------------------

# Received orally on Thu 22 Apr 2027.
INTAKE_2027 = [
    record("2027-04-22", "received", channel="oral", facts_date="2027-04-20", role="ontvanger"),
    record("2027-04-22", "registered", role="ontvanger"),
]
HANDLED_2027 = [
    *INTAKE_2027,
    # Handelswijze 2: a neutral employee, name and function on the form.
    record("2027-04-23", "handler_assigned", handler="anna", role="ontvanger"),
    # Handelswijze 3: acknowledged on the last day of its 5 werkdagen.
    record("2027-04-30", "acknowledged", role="klachtbehandelaar"),
    record("2027-04-30", "accepted", role="klachtbehandelaar"),
    # Handelswijze 4: the complaint is put to the employee concerned, his reaction summarised.
    record("2027-05-03", "subject_informed", role="klachtbehandelaar"),
    record("2027-05-04", "hearing_held", heard=["bram"], role="klachtbehandelaar"),
    # Handelswijze 5: founded; offer made by telephone and accepted; corrective measure recorded.
    record("2027-05-11", "decision_made", outcome="founded", role="klachtbehandelaar"),
    record("2027-05-12", "consultation_held", outcome="agreement", role="klachtbehandelaar"),
    record("2027-05-12", "measures_recorded", type="corrective", role="klachtbehandelaar"),
    # Handelswijze 5: written confirmation of what was discussed (meets 'afhandeling').
    record("2027-05-20", "decision_sent", role="klachtbehandelaar"),
]
CLOSED_2027 = [
    *HANDLED_2027,
    # Handelswijze 7: preventive measure; Handelswijze 6: written report; then closed.
    record("2027-06-09", "measures_recorded", type="preventive", role="klachtbehandelaar"),
    record("2027-06-10", "report_sent", role="klachtbehandelaar"),
    record("2027-06-11", "closed", role="klachtbehandelaar"),
]

# ontvangstbevestiging: Thu 22 Apr + 5 werkdagen: Fri 23 (1), Mon 26 (2), (Tue 27 Koningsdag),
#   Wed 28 (3), Thu 29 (4), Fri 30 Apr (5).
ACK_2027: Row = ("ontvangstbevestiging", "2027-04-22", "2027-04-30", MET, "2027-04-30")
# afhandeling: Thu 22 Apr + 21 werkdagen: 23, 26, (27 Koningsdag), 28, 29, 30 Apr, 3, 4 May (7),
#   (5 May, 6 May Ascension, 7 May decree day), 10, 11, 12, 13, 14 (12), (17 Whit Monday),
#   18, 19, 20, 21, 24, 25, 26, 27 (20), Fri 28 May (21).
DECISION_2027: Row = ("afhandeling", "2027-04-22", "2027-05-28", MET, "2027-05-20")
# schriftelijk_verslag, from the agreement on Wed 12 May + 21 werkdagen: 13, 14 (2),
#   (17 Whit Monday), 18, 19, 20, 21 (6), 24..28 (11), 31 May, 1..4 Jun (16), 7, 8, 9, 10 (20),
#   Fri 11 Jun (21).
REPORT_DUE_2027 = "2027-06-11"


def test_story_oral_complaint_from_intake_to_closure() -> None:
    snap = run(CLOSED_2027)

    assert snap.state is State.CLOSED
    assert sorted(deadline_table(snap)) == sorted(
        [
            ACK_2027,
            DECISION_2027,
            ("schriftelijk_verslag", "2027-05-12", REPORT_DUE_2027, MET, "2027-06-10"),
        ]
    )
    # Never declared inadmissible: the 21-werkdagen notice term does not apply.
    with pytest.raises(KeyError):
        snap.deadline("bericht_niet_in_behandeling")
    # The agreement in the telephone call started the report term.
    assert snap.deadline("schriftelijk_verslag").started_by == "consultation_held"


def test_story_oral_complaint_intermediate_states() -> None:
    # Registered, nobody assigned yet: only the terms counted from receipt run.
    registered = run(INTAKE_2027)
    assert registered.state is State.REGISTERED
    assert sorted(deadline_table(registered)) == sorted(
        [
            ("ontvangstbevestiging", "2027-04-22", "2027-04-30", OPEN, None),
            ("afhandeling", "2027-04-22", "2027-05-28", OPEN, None),
        ]
    )
    # The employee who gave the service cannot be the handler (Handelswijze 2).
    as_subject = record("2027-04-23", "handler_assigned", handler="bram", role="ontvanger")
    refused = replay(REG, [*INTAKE_2027, as_subject], FACTS).refused
    assert refused is not None
    assert refused.refusal.message == R.HANDLER_IS_SUBJECT

    # The written confirmation is out; the report on the solved complaint is still owed.
    confirmed = run(HANDLED_2027)
    assert confirmed.state is State.DECIDED
    assert sorted(deadline_table(confirmed)) == sorted(
        [
            ACK_2027,
            DECISION_2027,
            ("schriftelijk_verslag", "2027-05-12", REPORT_DUE_2027, OPEN, None),
        ]
    )
    assert confirmed.may("report_sent")


# --- Story 2: the written confirmation is sent a day late -------------------------------------

# Received by e-mail on Wed 12 Apr 2028, just before Easter.
BEFORE_DUE_2028 = [
    record("2028-04-12", "received", channel="email", facts_date="2028-04-05", role="ontvanger"),
    record("2028-04-12", "registered", role="ontvanger"),
    record("2028-04-13", "handler_assigned", handler="anna", role="ontvanger"),
    record("2028-04-18", "acknowledged", role="klachtbehandelaar"),
    record("2028-04-18", "accepted", role="klachtbehandelaar"),
    record("2028-04-19", "subject_informed", role="klachtbehandelaar"),
    # Handelswijze 1: the melder is offered a hearing and declines it.
    record("2028-04-19", "hearing_invitation_sent", role="klachtbehandelaar"),
    record("2028-04-24", "hearing_declined", role="klachtbehandelaar"),
    record("2028-05-17", "decision_made", outcome="unfounded", role="klachtbehandelaar"),
    # The melder does not accept what is offered: no agreement, so no report term starts.
    record("2028-05-18", "consultation_held", outcome="no_agreement", role="klachtbehandelaar"),
]
LATE_2028 = [
    *BEFORE_DUE_2028,
    record("2028-05-19", "decision_sent", role="klachtbehandelaar"),
    record("2028-05-22", "closed", role="klachtbehandelaar"),
]
# ontvangstbevestiging: Wed 12 Apr + 5 werkdagen: Thu 13 (1), (Fri 14 Good Friday, Mon 17 Easter
#   Monday), Tue 18 (2), Wed 19 (3), Thu 20 (4), Fri 21 Apr (5).
ACK_2028: Row = ("ontvangstbevestiging", "2028-04-12", "2028-04-21", MET, "2028-04-18")
# afhandeling: Wed 12 Apr + 21 werkdagen: 13, 18, 19, 20, 21 (5), 24, 25, 26 (8),
#   (Thu 27 Koningsdag, Fri 28 decree day), 1, 2, 3, 4 May (12), (Fri 5 May), 8..12 (17),
#   15, 16, 17 (20), Thu 18 May (21).
DECISION_DUE_2028 = "2028-05-18"


def test_story_decision_sent_late_is_missed_with_its_date() -> None:
    snap = run(LATE_2028)

    assert snap.state is State.CLOSED
    assert sorted(deadline_table(snap)) == sorted(
        [
            ACK_2028,
            ("afhandeling", "2028-04-12", DECISION_DUE_2028, MISSED, "2028-05-19"),
        ]
    )
    # No agreement was reached, so the complaint was never solved: no report term.
    with pytest.raises(KeyError):
        snap.deadline("schriftelijk_verslag")


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2028-05-18", OPEN), ("2028-05-19", MISSED)],
    ids=["on-due-date", "day-after"],
)
def test_decision_term_is_missed_only_after_its_due_date(
    as_of: str, status: DeadlineStatus
) -> None:
    snap = run(BEFORE_DUE_2028, as_of)

    assert sorted(deadline_table(snap)) == sorted(
        [ACK_2028, ("afhandeling", "2028-04-12", DECISION_DUE_2028, status, None)]
    )


# --- Story 3: solved in the telephone call, then confirmed in writing -------------------------


def test_story_resolved_in_telephone_call_meets_the_decision_term() -> None:
    events = [
        *INTAKE_2027,
        record("2027-04-23", "handler_assigned", handler="anna", role="ontvanger"),
        record("2027-04-26", "acknowledged", role="klachtbehandelaar"),
        record("2027-04-26", "accepted", role="klachtbehandelaar"),
        # Handelswijze 1: offered a hearing, the melder declines.
        record("2027-04-26", "hearing_invitation_sent", role="klachtbehandelaar"),
        record("2027-04-28", "hearing_declined", role="klachtbehandelaar"),
        # Handelswijze 5: the handler judges the complaint, then makes the offer by telephone
        # and gauges the melder's satisfaction; the melder is satisfied.
        record("2027-05-11", "decision_made", outcome="founded", role="klachtbehandelaar"),
        record("2027-05-12", "consultation_held", outcome="agreement", role="klachtbehandelaar"),
        record("2027-05-12", "resolved_informally", role="klachtbehandelaar"),
        # The written confirmation of what was discussed (Handelswijze 5).
        record("2027-05-20", "decision_sent", role="klachtbehandelaar"),
        record("2027-06-10", "report_sent", role="klachtbehandelaar"),
        record("2027-06-11", "closed", role="klachtbehandelaar"),
    ]
    snap = run(events)

    assert sorted(deadline_table(snap)) == sorted(
        [
            ("ontvangstbevestiging", "2027-04-22", "2027-04-30", MET, "2027-04-26"),
            DECISION_2027,
            ("schriftelijk_verslag", "2027-05-12", REPORT_DUE_2027, MET, "2027-06-10"),
        ]
    )
    assert snap.state is State.CLOSED


# --- Anonymous: the steps addressed to the melder are skipped, not missed -----------------------


def test_definitie_van_een_klacht_anonymous_complaint_terms_to_the_melder_not_applicable() -> None:
    """Loket3 takes "iedere uiting", anonymous too (preset definitions.anonymous): without contact
    details the acknowledgement (Handelswijze 3) and the written confirmation (Handelswijze 5)
    cannot be sent. Their terms are 'niet van toepassing': never missed, nobody told."""
    anonymous = [
        record("2027-04-22", "received", channel="written", anonymous=True, role="ontvanger"),
        record("2027-04-22", "registered", role="ontvanger"),
        record("2027-04-23", "handler_assigned", handler="anna", role="ontvanger"),
        record("2027-04-30", "accepted", role="klachtbehandelaar"),
    ]
    snapshot = run(anonymous, "2027-07-30")

    assert snapshot.state is State.ACCEPTED
    table = deadline_table(snapshot)
    assert [(row[0], row[3]) for row in table] == [
        ("ontvangstbevestiging", DeadlineStatus.NOT_APPLICABLE),
        ("afhandeling", DeadlineStatus.NOT_APPLICABLE),
    ]
    assert all(view.status is not DeadlineStatus.MISSED for view in snapshot.deadlines)
    assert not snapshot.may("extended")


def test_handelswijze_3_named_complaint_still_misses_its_acknowledgement() -> None:
    named = [
        record("2027-04-22", "received", channel="written", role="ontvanger"),
        record("2027-04-22", "registered", role="ontvanger"),
    ]
    snapshot = run(named, "2027-07-30")
    assert snapshot.deadline("ontvangstbevestiging").status is DeadlineStatus.MISSED
