"""End-to-end story under the Integratiewerk regulation (seeds/integratiewerk.txt).

Every due date below is counted by hand on the nl-atw calendar (README.md "Working days"):
- werkdagen: the day of the starting event does not count; weekends and feestdagen are skipped;
- weken: calendar weeks, a term ending on a non-working day rolls on to the next working day.
Non-working days used here: Koningsdag Tue 27 Apr 2027, Bevrijdingsdag Wed 5 May 2027,
Hemelvaartsdag Thu 6 May 2027, decree day Fri 7 May 2027, Christmas Mon 25 + Tue 26 Dec 2028.
"""

from __future__ import annotations

import datetime as dt

import pytest

from klachtenregister.lifecycle import ComplaintFacts, State, record, replay
from klachtenregister.lifecycle import refusals as R
from klachtenregister.regulations.loader import load_preset
from tests.support.stories import StoryRunner, deadline_table, extension, through

INTEGRATIEWERK = load_preset("integratiewerk")
FACTS = ComplaintFacts.of(subjects=["sanne"])

run = StoryRunner(INTEGRATIEWERK, FACTS)


# --- Story: director, committee with one extension, decision ----------------------------------
#
# Received by the director Thu 22 Apr 2027.
# ontvangstbevestiging (2 weken, Klachtenprocedure 3): 22 Apr + 14 days = Thu 6 May, Hemelvaartsdag;
#   Fri 7 May decree day, weekend -> rolls on to Mon 10 May.
# eerste_contact (10 werkdagen after receipt, Klachtenprocedure 4): Fri 23 (1), Mon 26 (2),
#   (Tue 27 Koningsdag) Wed 28 (3), Thu 29 (4), Fri 30 Apr (5), Mon 3 (6), Tue 4 (7), (Wed 5,
#   Thu 6, Fri 7, weekend) Mon 10 (8), Tue 11 (9), Wed 12 May (10) -> due Wed 12 May.
# Referred to the committee Tue 11 May; advies_klachtencommissie (3 weken, Klachtenprocedure 6):
#   11 May + 21 days = Tue 1 Jun (a working day). Extended once on Mon 31 May by 3 weken:
#   1 Jun + 21 days = Tue 22 Jun (a working day).
# Advice Fri 18 Jun; besluit (5 werkdagen, Klachtenprocedure 7): Mon 21, Tue 22, Wed 23, Thu 24,
#   Fri 25 Jun -> due Fri 25 Jun.
STORY = [
    record("2027-04-22", "received", channel="written", facts_date="2027-03-15", role="directeur"),
    record("2027-04-22", "registered", role="directeur"),
    # Acknowledged on the last day of the rolled-over term (copy to the manager).
    record("2027-05-10", "acknowledged", role="directeur"),
    # The director's contact to find a solution; the complainant does not withdraw.
    record("2027-05-11", "consultation_held", outcome="no_agreement", role="directeur"),
    record("2027-05-11", "accepted", role="directeur"),
    record("2027-05-11", "referred_to_committee", role="directeur"),
    extension(
        "2027-05-31",
        "advies_klachtencommissie",
        3,
        reason="Betrokken medewerker met verlof; klager schriftelijk ingelicht",
        role="klachtencommissie",
    ),
    record("2027-06-18", "committee_advice_given", role="klachtencommissie"),
    record("2027-06-22", "decision_made", outcome="founded", role="directeur"),
    record("2027-06-24", "decision_sent", role="directeur"),
    record("2027-06-25", "closed", role="directeur"),
]


def test_story_after_the_first_contact() -> None:
    snapshot = run(through(STORY, "consultation_held"))

    assert snapshot.state is State.REGISTERED
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-22", "2027-05-10", "met", "2027-05-10"),
        ("eerste_contact", "2027-04-22", "2027-05-12", "met", "2027-05-11"),
    ]


def test_story_while_the_extended_advice_term_runs() -> None:
    # Evaluated the day after the original due date (1 Jun): extended, not missed.
    snapshot = run(through(STORY, "extended"), "2027-06-02")

    assert snapshot.state is State.ACCEPTED
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-22", "2027-05-10", "met", "2027-05-10"),
        ("eerste_contact", "2027-04-22", "2027-05-12", "met", "2027-05-11"),
        ("advies_klachtencommissie", "2027-05-11", "2027-06-22", "extended", None),
    ]
    (extension,) = snapshot.deadline("advies_klachtencommissie").extensions
    assert (extension.on, extension.previous_due, extension.new_due) == (
        dt.date(2027, 5, 31),
        dt.date(2027, 6, 1),
        dt.date(2027, 6, 22),
    )
    # The director decides only on the committee's (binding) advice.
    assert not snapshot.may("decision_made")


def test_the_committee_may_extend_only_once() -> None:
    again = extension(
        "2027-06-02",
        "advies_klachtencommissie",
        1,
        reason="Nog een gesprek nodig",
        role="klachtencommissie",
    )
    result = replay(INTEGRATIEWERK, [*through(STORY, "extended"), again], FACTS)

    assert result.refused is not None
    assert result.refused.refusal.message == R.EXTENSION_TIMES
    assert result.snapshot.deadline("advies_klachtencommissie").due == dt.date(2027, 6, 22)


def test_story_from_intake_to_closure() -> None:
    snapshot = run(STORY)

    assert snapshot.state is State.CLOSED
    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2027-04-22", "2027-05-10", "met", "2027-05-10"),
        ("eerste_contact", "2027-04-22", "2027-05-12", "met", "2027-05-11"),
        # Met within the extended term (it would have been missed on the original 1 Jun).
        ("advies_klachtencommissie", "2027-05-11", "2027-06-22", "met", "2027-06-18"),
        ("besluit", "2027-06-18", "2027-06-25", "met", "2027-06-24"),
    ]
    advice = snapshot.deadline("advies_klachtencommissie")
    assert [(e.previous_due, e.new_due) for e in advice.extensions] == [
        (dt.date(2027, 6, 1), dt.date(2027, 6, 22))
    ]
    assert (snapshot.history[-1].on, snapshot.history[-1].event) == (
        dt.date(2027, 6, 25),
        "closed",
    )
    assert [r for r in snapshot.history if r.role == "system"] == []


# --- A term becomes 'missed' only after its due date ------------------------------------------
#
# Received Mon 11 Dec 2028.
# ontvangstbevestiging: 11 Dec + 14 days = Mon 25 Dec, Eerste Kerstdag; Tue 26 Dec Tweede
#   Kerstdag -> rolls on to Wed 27 Dec.
# eerste_contact: Tue 12 (1), Wed 13 (2), Thu 14 (3), Fri 15 (4), Mon 18 (5), Tue 19 (6),
#   Wed 20 (7), Thu 21 (8), Fri 22 (9), (weekend, 25 and 26 Dec) Wed 27 Dec (10) -> due 27 Dec.
@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2028-12-27", "open"), ("2028-12-28", "missed")],
)
def test_terms_are_missed_only_after_their_due_date(as_of: str, status: str) -> None:
    received = record("2028-12-11", "received", channel="written", role="directeur")
    snapshot = run([received], as_of)

    assert deadline_table(snapshot) == [
        ("ontvangstbevestiging", "2028-12-11", "2028-12-27", status, None),
        ("eerste_contact", "2028-12-11", "2028-12-27", status, None),
    ]
