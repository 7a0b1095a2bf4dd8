"""End-to-end stories under the Awb chapter 9 template (preset awb-h9; docs/lifecycle.md).

Terms are in weken on the nl-atw calendar: count the days, then Atw art. 2 (at least 2 working
days in a term of 3 days or more; always the case for weeks here) and Atw art. 1 (a term ending
on a Saturday, Sunday or feestdag moves to the next working day). Feestdagen used: Ascension
Thu 6 May 2027 with decree day Fri 7 May 2027, Whit Monday 17 May 2027, Koningsdag Thu 27 Apr
2028 with decree day Fri 28 Apr 2028, Ascension Thu 25 May 2028 with decree day Fri 26 May 2028.
An extension (verdaging, 9:11 lid 2) counts from the due date it moves.
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
from tests.support.stories import (
    CANCELLED,
    EXTENDED,
    MET,
    MISSED,
    OPEN,
    StoryRunner,
    day,
    deadline_table,
    extension,
)

REG = load_preset("awb-h9")
# The complaint is about the conduct of Ivo, an official of the bestuursorgaan (9:1 lid 2).
FACTS = ComplaintFacts.of(subjects=["ivo"])

run = StoryRunner(REG, FACTS)


def extend(on: str, weeks: int, *, consent: bool = False) -> EventRecord:
    return extension(
        on, "afhandeling", weeks, "nader onderzoek nodig", "bestuursorgaan", consent=consent
    )


# --- Story 1: decision term postponed once, then further with the complainant's consent ------

# A klaagschrift received on Thu 25 Feb 2027.
BEFORE_EXTENSION = [
    record(
        "2027-02-25", "received", channel="written", facts_date="2027-02-15", role="bestuursorgaan"
    ),
    record("2027-02-25", "registered", role="bestuursorgaan"),
    # 9:6: written acknowledgement (no term in the law).
    record("2027-02-26", "acknowledged", role="bestuursorgaan"),
    record("2027-03-01", "accepted", role="bestuursorgaan"),
    # 9:7: a handler not involved in the conduct.
    record("2027-03-01", "handler_assigned", handler="hanna", role="bestuursorgaan"),
    # 9:9: copy of the klaagschrift to Ivo.
    record("2027-03-02", "subject_informed", role="bestuursorgaan"),
    # 9:10: both heard, with a report.
    record("2027-03-22", "hearing_held", heard=["klager", "ivo"], role="klachtbehandelaar"),
    record("2027-03-25", "hearing_report_sent", role="klachtbehandelaar"),
]
# 9:11 lid 2: postponed once by four weeks, with written notice.
EXTENDED_ONCE = [*BEFORE_EXTENSION, extend("2027-04-01", 4)]
# 9:11 lid 3: further postponement only with the complainant's written consent.
EXTENDED_WITH_CONSENT = [*EXTENDED_ONCE, extend("2027-05-03", 1, consent=True)]
DECIDED = [
    *EXTENDED_WITH_CONSENT,
    record("2027-05-12", "decision_made", outcome="partly_founded", role="klachtbehandelaar"),
    # 9:12: findings, judgement and conclusions in writing, on the last day of the term.
    record("2027-05-18", "decision_sent", role="bestuursorgaan"),
    record("2027-05-18", "measures_recorded", type="corrective", role="bestuursorgaan"),
    record("2027-05-19", "closed", role="bestuursorgaan"),
]
# afhandeling: Thu 25 Feb + 6 weken (42 dagen: 3 to 28 Feb, 31 in March, 8 in April) =
#   Thu 8 Apr 2027, a working day.
DUE_6_WEEKS = "2027-04-08"
# Extended by 4 weken: Thu 8 Apr + 28 dagen = Thu 6 May, Ascension -> Fri 7 May decree day ->
#   Sat 8, Sun 9 -> Mon 10 May 2027.
DUE_EXTENDED = "2027-05-10"
# With consent by 1 week more: Mon 10 May + 7 dagen = Mon 17 May, Whit Monday -> Tue 18 May 2027.
DUE_CONSENTED = "2027-05-18"


def test_story_postponed_decision_from_intake_to_closure() -> None:
    snap = run(DECIDED)

    assert snap.state is State.CLOSED
    assert deadline_table(snap) == [("afhandeling", "2027-02-25", DUE_CONSENTED, MET, "2027-05-18")]
    extensions = snap.deadline("afhandeling").extensions
    assert [(e.on, e.previous_due, e.new_due, e.consent) for e in extensions] == [
        (day("2027-04-01"), day(DUE_6_WEEKS), day(DUE_EXTENDED), False),
        (day("2027-05-03"), day(DUE_EXTENDED), day(DUE_CONSENTED), True),
    ]
    # Never declared inadmissible or referred: those terms do not apply.
    for absent in ("bericht_niet_in_behandeling", "afhandeling_klachtadviesprocedure"):
        with pytest.raises(KeyError):
            snap.deadline(absent)


def test_story_postponement_intermediate_states() -> None:
    heard = run(BEFORE_EXTENSION)
    assert heard.state is State.ACCEPTED
    assert deadline_table(heard) == [("afhandeling", "2027-02-25", DUE_6_WEEKS, OPEN, None)]

    once = run(EXTENDED_ONCE)
    assert deadline_table(once) == [("afhandeling", "2027-02-25", DUE_EXTENDED, EXTENDED, None)]


def test_second_postponement_needs_the_complainants_consent() -> None:
    # Even a single further week is refused without consent: one postponement is allowed.
    result = replay(REG, [*EXTENDED_ONCE, extend("2027-05-03", 1)], FACTS)

    assert result.refused is not None
    assert result.refused.index == len(EXTENDED_ONCE)
    assert result.refused.refusal.message == R.EXTENSION_TIMES_CONSENT
    # The refused postponement changed nothing.
    assert deadline_table(result.snapshot) == [
        ("afhandeling", "2027-02-25", DUE_EXTENDED, EXTENDED, None)
    ]

    consented = run(EXTENDED_WITH_CONSENT)
    assert deadline_table(consented) == [
        ("afhandeling", "2027-02-25", DUE_CONSENTED, EXTENDED, None)
    ]


@pytest.mark.parametrize(
    ("as_of", "status"),
    # 17 May is Whit Monday: the extended term still runs until Tue 18 May.
    [("2027-05-17", EXTENDED), ("2027-05-18", EXTENDED), ("2027-05-19", MISSED)],
    ids=["whit-monday", "on-due-date", "day-after"],
)
def test_extended_term_is_missed_only_after_its_due_date(
    as_of: str, status: DeadlineStatus
) -> None:
    snap = run(EXTENDED_WITH_CONSENT, as_of)

    assert deadline_table(snap) == [("afhandeling", "2027-02-25", DUE_CONSENTED, status, None)]


# --- Story 2: referred to an advisory committee, the ten-week term applies -------------------

# A klaagschrift received on Thu 16 Mar 2028.
REFERRED = [
    record(
        "2028-03-16", "received", channel="written", facts_date="2028-03-01", role="bestuursorgaan"
    ),
    record("2028-03-16", "registered", role="bestuursorgaan"),
    record("2028-03-17", "acknowledged", role="bestuursorgaan"),
    record("2028-03-20", "accepted", role="bestuursorgaan"),
    record("2028-03-20", "subject_informed", role="bestuursorgaan"),
    record("2028-03-21", "handler_assigned", handler="hanna", role="bestuursorgaan"),
    # The bestuursorgaan refers the complaint and records the advice (9:14, 9:15).
    record("2028-03-23", "referred_to_committee", role="bestuursorgaan"),
]
ADVISED = [
    *REFERRED,
    record("2028-04-10", "hearing_held", heard=["klager", "ivo"], role="klachtbehandelaar"),
    record("2028-04-13", "hearing_report_sent", role="klachtbehandelaar"),
    record("2028-05-08", "committee_advice_given", role="bestuursorgaan"),
    record("2028-05-15", "decision_made", outcome="founded", role="klachtbehandelaar"),
    # Sent on the last day of the ten weeks, after Ascension, the decree day and a weekend.
    record("2028-05-29", "decision_sent", role="bestuursorgaan"),
    record("2028-05-30", "closed", role="bestuursorgaan"),
]
# afhandeling: Thu 16 Mar + 6 weken (42 dagen: 15 to 31 Mar, 27 in April) = Thu 27 Apr 2028,
#   Koningsdag -> Fri 28 Apr decree day -> Sat 29, Sun 30 -> Mon 1 May 2028.
DUE_6_WEEKS_2028 = "2028-05-01"
# afhandeling_klachtadviesprocedure: Thu 16 Mar + 10 weken (70 dagen: 15 in March, 30 in April,
#   25 in May) = Thu 25 May 2028, Ascension -> Fri 26 May decree day -> Sat 27, Sun 28 ->
#   Mon 29 May 2028.
DUE_10_WEEKS_2028 = "2028-05-29"


def test_story_referred_to_committee_from_intake_to_closure() -> None:
    snap = run(ADVISED)

    assert snap.state is State.CLOSED
    assert sorted(deadline_table(snap)) == sorted(
        [
            # Cancelled by the referral, well before it was due.
            ("afhandeling", "2028-03-16", DUE_6_WEEKS_2028, CANCELLED, None),
            (
                "afhandeling_klachtadviesprocedure",
                "2028-03-16",
                DUE_10_WEEKS_2028,
                MET,
                "2028-05-29",
            ),
        ]
    )


def test_story_referral_swaps_the_six_week_term_for_the_ten_week_term() -> None:
    before = run(REFERRED[:-1])
    assert deadline_table(before) == [("afhandeling", "2028-03-16", DUE_6_WEEKS_2028, OPEN, None)]
    assert [a.roles for a in before.allowed if a.event == "referred_to_committee"] == [
        ("bestuursorgaan",)
    ]

    after = run(REFERRED)
    assert after.state is State.ACCEPTED
    assert sorted(deadline_table(after)) == sorted(
        [
            ("afhandeling", "2028-03-16", DUE_6_WEEKS_2028, CANCELLED, None),
            ("afhandeling_klachtadviesprocedure", "2028-03-16", DUE_10_WEEKS_2028, OPEN, None),
        ]
    )
    assert after.deadline("afhandeling_klachtadviesprocedure").started_by == "received"
    # No judgement before the committee has advised.
    early = record("2028-04-03", "decision_made", outcome="founded", role="klachtbehandelaar")
    refused = replay(REG, [*REFERRED, early], FACTS).refused
    assert refused is not None
    assert refused.refusal.message == R.ADVICE_PENDING
