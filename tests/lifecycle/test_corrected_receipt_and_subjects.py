"""Correcting the day of receipt and the subjects (`facts_corrected`, issue 12 §2).

A corrected day of receipt moves the terms that started at receipt, counted again from the new
day on the regulation's calendar; what happened before stays as recorded. A corrected subject
list is what the impartiality rules read from then on: a handler or committee member who is now
a subject holds up every further step until they are replaced.

Due dates are counted by hand on the nl-atw calendar (werkdagen: the starting day does not
count, weekends and feestdagen skipped; weken: calendar weeks, rolled on past a non-working day).
Iskander: ontvangstbevestiging 5 werkdagen after receipt, afhandeling 4 weken after receipt.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from klachtenregister.lifecycle import Lifecycle, State, record
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.events import EventRecord
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.vocabulary import Event
from tests.lifecycle.test_story_iskander import FACTS, ISKANDER
from tests.support.stories import deadline_table

COORDINATOR = "klachtenfunctionaris"
INFOCUS = load_preset("infocus-samen")


def correct(on: str, changes: dict[str, Any]) -> EventRecord:
    return record(on, "facts_corrected", changes=changes, reason="Typefout.", role=COORDINATOR)


def received(on: str) -> EventRecord:
    return record(on, "received", channel="written", role=COORDINATOR)


def lifecycle_of(*events: EventRecord) -> Lifecycle:
    lifecycle = Lifecycle(ISKANDER, FACTS)
    for event in events:
        lifecycle.apply(event)
    return lifecycle


def dues(lifecycle: Lifecycle, on: str) -> dict[str, tuple[str, str]]:
    return {
        row[0]: (row[1], row[2])
        for row in deadline_table(lifecycle.status(dt.date.fromisoformat(on)))
    }


def test_a_later_day_of_receipt_moves_the_terms_across_koningsdag() -> None:
    # Typed as Mon 19 Apr 2027; it came in on Thu 22 Apr, the day it was registered.
    # From Mon 19 Apr: ontvangstbevestiging Tue 20 .. Mon 26 Apr; afhandeling 19 Apr + 28 days
    #   = Mon 17 May, Tweede Pinksterdag -> Tue 18 May.
    # From Thu 22 Apr: Fri 23, Mon 26, (Tue 27 Koningsdag) Wed 28, Thu 29, Fri 30 Apr;
    #   afhandeling 22 Apr + 28 days = Thu 20 May, a working day.
    typed = lifecycle_of(received("2027-04-19"), record("2027-04-22", "registered"))
    assert dues(typed, "2027-04-22") == {
        "ontvangstbevestiging": ("2027-04-19", "2027-04-26"),
        "afhandeling": ("2027-04-19", "2027-05-18"),
    }
    typed.apply(correct("2027-04-22", {"received_on": {"old": "2027-04-19", "new": "2027-04-22"}}))
    assert dues(typed, "2027-04-22") == {
        "ontvangstbevestiging": ("2027-04-22", "2027-04-30"),
        "afhandeling": ("2027-04-22", "2027-05-20"),
    }
    assert typed.progress.received is not None and typed.progress.received.on == dt.date(
        2027, 4, 22
    )
    # The receipt as recorded stays in the history; the correction follows it.
    assert typed.history[0].on == dt.date(2027, 4, 19)
    assert typed.history[-1].event is Event.FACTS_CORRECTED


def test_an_earlier_day_of_receipt_moves_the_terms_back_across_christmas_and_new_year() -> None:
    # Typed as Fri 22 Dec 2028: ontvangstbevestiging (Mon 25, Tue 26 Christmas) Wed 27, Thu 28,
    #   Fri 29 Dec, (Mon 1 Jan Nieuwjaarsdag) Tue 2, Wed 3 Jan 2029; afhandeling 22 Dec + 28 days
    #   = Fri 19 Jan 2029.
    # It came in on Wed 20 Dec 2028: Thu 21, Fri 22, (Christmas) Wed 27, Thu 28, Fri 29 Dec;
    #   afhandeling 20 Dec + 28 days = Wed 17 Jan 2029.
    typed = lifecycle_of(received("2028-12-22"), record("2028-12-27", "registered"))
    assert dues(typed, "2028-12-27") == {
        "ontvangstbevestiging": ("2028-12-22", "2029-01-03"),
        "afhandeling": ("2028-12-22", "2029-01-19"),
    }
    typed.apply(correct("2028-12-27", {"received_on": {"old": "2028-12-22", "new": "2028-12-20"}}))
    assert dues(typed, "2028-12-27") == {
        "ontvangstbevestiging": ("2028-12-20", "2028-12-29"),
        "afhandeling": ("2028-12-20", "2029-01-17"),
    }


def test_a_met_term_is_judged_again_against_its_new_due_date() -> None:
    # Acknowledged on Fri 30 Apr 2027: in time from Thu 22 Apr (due Fri 30 Apr), too late from
    # Mon 19 Apr (due Mon 26 Apr).
    lifecycle = lifecycle_of(
        received("2027-04-22"),
        record("2027-04-22", "registered"),
        record("2027-04-30", "acknowledged", role=COORDINATOR),
    )
    status = {row[0]: row[3] for row in deadline_table(lifecycle.status(dt.date(2027, 4, 30)))}
    assert status["ontvangstbevestiging"] == "met"
    lifecycle.apply(
        correct("2027-05-03", {"received_on": {"old": "2027-04-22", "new": "2027-04-19"}})
    )
    status = {row[0]: row[3] for row in deadline_table(lifecycle.status(dt.date(2027, 5, 3)))}
    assert status["ontvangstbevestiging"] == "missed"


def test_an_extension_stays_on_top_of_the_moved_term() -> None:
    # In Focus Samen's 'uitspraak' (4 weken after receipt) may be extended by its committee; its
    # coordinator corrects the facts.
    coordinator, committee = "in_focus_samen", "klachtencommissie"
    lifecycle = Lifecycle(INFOCUS)
    for event in (
        record("2027-04-19", "received", channel="written", role=coordinator),
        record("2027-04-22", "registered", role=committee),
        record(
            "2027-04-22",
            "extended",
            deadline="uitspraak",
            by={"amount": 2, "unit": "weken"},
            reason="Drukte.",
            role=committee,
        ),
    ):
        lifecycle.apply(event)
    # 19 Apr + 4 weeks = Mon 17 May, Tweede Pinksterdag -> Tue 18 May; + 2 weeks = Tue 1 Jun.
    assert dues(lifecycle, "2027-04-22")["uitspraak"] == ("2027-04-19", "2027-06-01")
    lifecycle.apply(
        record(
            "2027-04-22",
            "facts_corrected",
            changes={"received_on": {"old": "2027-04-19", "new": "2027-04-22"}},
            reason="Typefout.",
            role=coordinator,
        )
    )
    # 22 Apr + 4 weeks = Thu 20 May; + 2 weeks = Thu 3 Jun 2027.
    assert dues(lifecycle, "2027-04-22")["uitspraak"] == ("2027-04-22", "2027-06-03")
    extension = lifecycle.status(dt.date(2027, 4, 22)).deadline("uitspraak").extensions[0]
    assert (extension.previous_due, extension.new_due) == (
        dt.date(2027, 5, 20),
        dt.date(2027, 6, 3),
    )


def test_a_day_of_receipt_after_a_step_taken_or_outside_the_calendar_is_refused() -> None:
    lifecycle = lifecycle_of(received("2027-04-19"), record("2027-04-22", "registered"))
    for new, message in (
        ("2027-04-23", R.RECEIVED_AFTER_STEP),  # registered on the 22nd
        ("1899-04-19", R.RECEIVED_OUTSIDE_CALENDAR),
        ("2100-01-01", R.RECEIVED_OUTSIDE_CALENDAR),
    ):
        refusal = lifecycle.refusal(
            correct("2027-04-23", {"received_on": {"old": "2027-04-19", "new": new}})
        )
        assert refusal is not None and refusal.message == message, new
    only_received = lifecycle_of(received("2027-04-19"))
    refusal = only_received.refusal(
        correct("2027-04-20", {"received_on": {"old": "2027-04-19", "new": "2027-04-21"}})
    )
    assert refusal is not None and refusal.message == R.RECEIVED_AFTER_CORRECTION


# --- subjects ---------------------------------------------------------------------------------

HANDLED = (
    received("2027-04-19"),
    record("2027-04-19", "registered"),
    record("2027-04-20", "handler_assigned", handler="piet", role=COORDINATOR),
)
PIET_TOO = {"subjects": {"old": ["jan"], "new": ["jan", "piet"]}}


def test_a_handler_who_becomes_a_subject_holds_up_the_next_step_until_replaced() -> None:
    lifecycle = lifecycle_of(*HANDLED)
    lifecycle.apply(correct("2027-04-21", PIET_TOO))
    snapshot = lifecycle.status(dt.date(2027, 4, 21))
    assert snapshot.impartiality_conflict is not None
    assert snapshot.impartiality_conflict.message == R.HANDLER_NOW_SUBJECT
    assert "piet" in snapshot.impartiality_conflict.render()
    assert not snapshot.may(Event.ACKNOWLEDGED) and not snapshot.may(Event.ACCEPTED)
    assert snapshot.may(Event.HANDLER_ASSIGNED) and snapshot.may(Event.NOTE_ADDED)

    acknowledged = record("2027-04-21", "acknowledged", role=COORDINATOR)
    refusal = lifecycle.refusal(acknowledged)
    assert refusal is not None and refusal.message == R.HANDLER_NOW_SUBJECT
    # Piet cannot be assigned again; someone else can, and the handling goes on.
    again = lifecycle.refusal(
        record("2027-04-21", "handler_assigned", handler="piet", role=COORDINATOR)
    )
    assert again is not None and again.message == R.HANDLER_IS_SUBJECT
    lifecycle.apply(record("2027-04-21", "handler_assigned", handler="marie", role=COORDINATOR))
    assert lifecycle.status(dt.date(2027, 4, 21)).impartiality_conflict is None
    lifecycle.apply(acknowledged)
    assert lifecycle.status(dt.date(2027, 4, 21)).state is State.REGISTERED


def test_the_subjects_before_the_correction_hold_for_what_happened_before_it() -> None:
    # Replayed from the subjects as registered: the assignment before the correction stands.
    lifecycle = lifecycle_of(*HANDLED, correct("2027-04-21", PIET_TOO))
    assert lifecycle.facts.subjects == frozenset({"jan", "piet"})
    assert [r.event for r in lifecycle.history][-2:] == [
        Event.HANDLER_ASSIGNED,
        Event.FACTS_CORRECTED,
    ]


def test_a_trial_correction_leaves_the_original_alone() -> None:
    lifecycle = lifecycle_of(*HANDLED)
    assert lifecycle.refusal(correct("2027-04-21", PIET_TOO)) is None
    assert lifecycle.facts.subjects == frozenset({"jan"})
    assert lifecycle.refusal(record("2027-04-21", "acknowledged", role=COORDINATOR)) is None


def test_removing_the_subject_again_lifts_the_hold() -> None:
    lifecycle = lifecycle_of(*HANDLED, correct("2027-04-21", PIET_TOO))
    lifecycle.apply(correct("2027-04-21", {"subjects": {"old": ["jan", "piet"], "new": ["jan"]}}))
    assert lifecycle.status(dt.date(2027, 4, 21)).impartiality_conflict is None


def test_a_committee_member_who_becomes_a_subject_holds_up_the_committee_until_appointed_anew() -> (
    None
):
    # In Focus Samen: a committee of two, appointed by the coordinator; the committee records
    # the acknowledgement.
    coordinator, committee = "in_focus_samen", "klachtencommissie"
    lifecycle = Lifecycle(INFOCUS)
    for event in (
        record("2027-04-19", "received", channel="written", role=coordinator),
        record("2027-04-19", "registered", role=committee),
        record("2027-04-20", "committee_appointed", members=["anna", "bert"], role=coordinator),
        record(
            "2027-04-21",
            "facts_corrected",
            changes={"subjects": {"old": [], "new": ["bert"]}},
            reason="De klacht gaat ook over Bert.",
            role=coordinator,
        ),
    ):
        lifecycle.apply(event)
    conflict = lifecycle.status(dt.date(2027, 4, 21)).impartiality_conflict
    assert conflict is not None and conflict.message == R.MEMBER_NOW_SUBJECT
    refusal = lifecycle.refusal(record("2027-04-21", "acknowledged", role=committee))
    assert refusal is not None and refusal.message == R.MEMBER_NOW_SUBJECT
    lifecycle.apply(
        record("2027-04-21", "committee_appointed", members=["anna", "carla"], role=coordinator)
    )
    assert lifecycle.refusal(record("2027-04-21", "acknowledged", role=committee)) is None
