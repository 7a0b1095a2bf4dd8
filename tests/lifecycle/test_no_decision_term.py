"""A regulation that promises an acknowledgement but states no term for the decision (issue 14
§5): it is accepted; the register shows "geen termijn in het reglement" with the six weeks of
Awb art. 9:11 as an advisory target, not binding and marked as such."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from klachtenregister.lifecycle import DeadlineStatus, State, record, replay
from klachtenregister.regulations.loader import load_regulation_file
from klachtenregister.regulations.terms import ADVISORY_DECISION_TERM_ID, deadlines_at_receipt

EXAMPLE = Path(__file__).parents[2] / "examples" / "regulations" / "voorbeeld.yaml"


def without_decision_term(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("  - id: beslissing\n    kind: decision")
    end = text.index("  - id: verslag_hoorzitting")
    text = text[:start] + text[end:]
    assert "    deadline: beslissing\n" in text
    text = text.replace("    deadline: beslissing\n", "")
    path = tmp_path / "zonder-termijn.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_awb_9_11_regulation_without_decision_term_is_accepted_with_an_advisory_target(tmp_path):
    regulation = load_regulation_file(without_decision_term(tmp_path))
    # Tue 1 Jun 2027 + 6 weeks = Tue 13 Jul 2027.
    events = [record("2027-06-01", "received", channel="written")]
    snapshot = replay(regulation, events, as_of=dt.date(2027, 7, 14)).snapshot

    advice = snapshot.deadline(ADVISORY_DECISION_TERM_ID)
    assert advice.binding is False
    assert advice.label.startswith("Geen termijn in het reglement")
    assert "Awb 9:11" in advice.label and "niet bindend" in advice.label
    assert advice.due == dt.date(2027, 7, 13)
    assert advice.status is DeadlineStatus.MISSED

    ids = [item.deadline.id for item in deadlines_at_receipt(regulation, dt.date(2027, 6, 1))]
    assert ADVISORY_DECISION_TERM_ID in ids


def test_awb_9_11_advisory_target_met_by_the_decision(tmp_path):
    regulation = load_regulation_file(without_decision_term(tmp_path))
    events = [
        record("2027-06-01", "received", channel="written"),
        record("2027-06-02", "accepted"),
        record("2027-06-09", "hearing_invitation_sent"),
        record("2027-06-10", "hearing_held", heard=["klager"]),
        record("2027-06-15", "decision_made", outcome="founded"),
        record("2027-06-16", "decision_sent"),
    ]
    result = replay(regulation, events)
    assert result.refused is None, result.refused.refusal.render()
    assert result.snapshot.state is State.DECIDED
    assert result.snapshot.deadline(ADVISORY_DECISION_TERM_ID).status is DeadlineStatus.MET


def test_a_regulation_with_a_decision_term_gets_no_advisory_target():
    regulation = load_regulation_file(EXAMPLE)
    ids = [item.deadline.id for item in deadlines_at_receipt(regulation, dt.date(2027, 6, 1))]
    assert ADVISORY_DECISION_TERM_ID not in ids


def test_awb_9_11_reports_count_a_decided_complaint_without_a_decision_term_apart(tmp_path):
    """The figures' term class (docs/reports.md): a complaint decided under a regulation with
    no decision term is 'no_term' ("zonder termijn"), not in term or late by the advisory six
    weeks, which bind nobody; decided the day after those weeks it is still 'no_term'."""
    from klachtenregister.lifecycle.classes import NO_TERM, classify
    from klachtenregister.regulations.terms import calendar_of

    regulation = load_regulation_file(without_decision_term(tmp_path))
    events = [
        record("2027-06-01", "received", channel="written"),
        record("2027-06-02", "accepted"),
        record("2027-06-09", "hearing_invitation_sent"),
        record("2027-06-10", "hearing_held", heard=["klager"]),
        record("2027-07-14", "decision_made", outcome="founded"),
    ]
    result = replay(regulation, events)
    assert result.refused is None, result.refused.refusal.render()
    snapshot = result.snapshot
    assert snapshot.deadline(ADVISORY_DECISION_TERM_ID).status is DeadlineStatus.MISSED
    classes = classify(
        snapshot.history,
        snapshot.state,
        "founded",
        snapshot.deadlines,
        dt.date(2027, 6, 1),
        None,
        calendar_of(regulation),
    )
    assert classes.treatment == "taken"
    assert classes.term == NO_TERM
