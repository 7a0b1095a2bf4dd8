"""The engine one event at a time, as the back office will use it: ask first, then record."""

from __future__ import annotations

import datetime as dt

from klachtenregister.lifecycle import ComplaintFacts, Lifecycle, State, record
from klachtenregister.lifecycle import refusals as R
from klachtenregister.regulations.loader import load_preset


def iskander_after_registered_letter() -> Lifecycle:
    lifecycle = Lifecycle(load_preset("iskander"), ComplaintFacts.of(["jan"]))
    for event in [
        record("2027-04-29", "received", channel="written"),
        record("2027-05-03", "accepted"),
        record("2027-05-10", "consultation_held", outcome="agreement"),
        record("2027-05-10", "resolved_informally"),
        record("2027-05-12", "agreement_letter_sent"),
        # Thu 20 May + 5 werkdagen: Fri 21, Mon 24, Tue 25, Wed 26, Thu 27 May.
        record("2027-05-20", "registered_letter_delivered"),
    ]:
        lifecycle.apply(event)
    return lifecycle


def test_asking_for_a_refusal_changes_nothing():
    lifecycle = iskander_after_registered_letter()
    before = lifecycle.status(dt.date(2027, 5, 20))

    # A reaction on 31 May comes after the silence closure of 28 May: it would be refused.
    late = record("2027-05-31", "reaction_received")
    refusal = lifecycle.refusal(late)
    assert refusal is not None and refusal.message == R.CLOSED
    assert refusal.params["date"] == dt.date(2027, 5, 28)
    # Asking ran no time-triggered rule on the real complaint.
    assert lifecycle.progress.closed_on is None
    assert lifecycle.status(dt.date(2027, 5, 20)) == before

    # A reaction on the last day of the term is allowed, and only applying it records it.
    in_time = record("2027-05-27", "reaction_received")
    assert lifecycle.refusal(in_time) is None
    assert lifecycle.status(dt.date(2027, 5, 20)) == before
    recorded = lifecycle.apply(in_time)
    assert recorded == [in_time]
    after = lifecycle.status(dt.date(2027, 6, 30))
    assert after.state is State.RESOLVED
    assert after.deadline("afronding_zonder_reactie").met_on == dt.date(2027, 5, 27)


def test_apply_returns_the_time_triggered_events_it_carried_out_first():
    lifecycle = iskander_after_registered_letter()
    reopen = record("2027-06-01", "reopened")
    recorded = lifecycle.apply(reopen)
    closure, reopened = recorded
    assert (closure.on, closure.event.value, closure.role) == (
        dt.date(2027, 5, 28),
        "closed",
        "system",
    )
    assert reopened == reopen
    # Reopened: taken into treatment anew, the settlement undone.
    assert lifecycle.status(dt.date(2027, 6, 1)).state is State.ACCEPTED


def test_a_stored_history_with_the_systems_closure_replays():
    """The back office stores time-triggered events with role 'system' and replays them."""
    lifecycle = iskander_after_registered_letter()
    recorded = lifecycle.apply(
        record("2027-05-31", "note_added", kind="telephone", text="Melder belde")
    )
    closure = recorded[0]
    assert (closure.event, closure.role, closure.on) == ("closed", "system", dt.date(2027, 5, 28))

    again = Lifecycle(load_preset("iskander"), ComplaintFacts.of(["jan"]))
    for event in lifecycle.history:
        again.apply(event)  # raises Refused if the stored closure were not accepted
    assert again.status(dt.date(2027, 5, 31)).state is State.CLOSED


def test_the_system_records_only_what_a_term_makes_automatic():
    lifecycle = iskander_after_registered_letter()
    refusal = lifecycle.refusal(
        record("2027-05-21", "decision_made", outcome="founded", role="system")
    )
    assert refusal is not None and refusal.message == R.NOT_AUTOMATIC
    early = lifecycle.refusal(record("2027-05-21", "closed", role="system"))
    assert early is not None and early.message == R.NOT_DUE_AUTOMATICALLY
    # The silence term ran out on Thu 27 May; the system closes on the 28th, and only then.
    assert lifecycle.refusal(record("2027-05-28", "closed", role="system")) is None
