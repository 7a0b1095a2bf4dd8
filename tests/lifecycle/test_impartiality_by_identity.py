"""The impartiality rules compare who people are, not how their names are spelled (issue 16 §2).

The register passes each person's id (its ``Person``) beside the name: with the handler's
assignment (``handler_id``), the committee's (``member_ids``) and a correction of the subjects
(``subject_ids``: whom it keeps out before and after). The engine compares the ids; a subject
typed as free text (no id) compares by its normalised name (case, double and no-break spaces,
invisible characters). An event without ids (a scenario, a log from before identities) is judged
by the names exactly, as it was then.

Iskander (handling: not by a subject) and In Focus Samen (a committee of two).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from klachtenregister.lifecycle import ComplaintFacts, Lifecycle, record
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.events import EventRecord
from klachtenregister.lifecycle.identity import name_key
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.vocabulary import Event

COORDINATOR = "klachtenfunctionaris"
ISKANDER = load_preset("iskander")
INFOCUS = load_preset("infocus-samen")
ON = dt.date(2027, 4, 21)
MARIEKE = "7"  # her person's id in the register


def handled_by_marieke(facts: ComplaintFacts) -> Lifecycle:
    lifecycle = Lifecycle(ISKANDER, facts)
    for event in (
        record("2027-04-19", "received", channel="written", role=COORDINATOR),
        record("2027-04-19", "registered", role=COORDINATOR),
        record(
            "2027-04-20",
            "handler_assigned",
            handler="Marieke de Boer",
            handler_id=MARIEKE,
            role=COORDINATOR,
        ),
    ):
        lifecycle.apply(event)
    return lifecycle


def correction(new: list[str], ids: dict[str, list[str]] | None) -> EventRecord:
    details: dict[str, Any] = {
        "changes": {"subjects": {"old": ["Jan Janssen"], "new": ["Jan Janssen", *new]}},
        "reason": "De klager noemde ook mevrouw De Boer.",
    }
    if ids is not None:
        details["subject_ids"] = ids
    return record("2027-04-21", "facts_corrected", role=COORDINATOR, **details)


def test_a_subject_named_m_de_boer_who_is_marieke_holds_up_her_handling() -> None:
    lifecycle = handled_by_marieke(ComplaintFacts.of(["Jan Janssen"]))

    # The register kept Marieke out for the resembling name: her id is among the subjects'.
    lifecycle.apply(correction(["M. de Boer"], {"old": [], "new": [MARIEKE]}))

    conflict = lifecycle.status(ON).impartiality_conflict
    assert conflict is not None and conflict.message == R.HANDLER_NOW_SUBJECT
    assert "Marieke de Boer" in conflict.render()
    assert not lifecycle.status(ON).may(Event.ACKNOWLEDGED)


@pytest.mark.parametrize(
    "spelling",
    ["Marieke  de Boer", "Marieke\u00a0de Boer", "marieke DE boer", "Marieke de\u200b Boer"],
)
def test_a_free_text_subject_spelled_otherwise_is_compared_by_its_normalised_name(
    spelling: str,
) -> None:
    # No id for the subject (typed as free text): her name compares normalised.
    lifecycle = handled_by_marieke(ComplaintFacts.of(["Jan Janssen"]))
    lifecycle.apply(correction([spelling], {"old": [], "new": []}))
    conflict = lifecycle.status(ON).impartiality_conflict
    assert conflict is not None and conflict.message == R.HANDLER_NOW_SUBJECT


def test_assigning_a_subject_by_id_is_refused_whatever_the_name() -> None:
    lifecycle = Lifecycle(ISKANDER, ComplaintFacts.of(["M. de Boer"], subject_ids=[MARIEKE]))
    lifecycle.apply(record("2027-04-19", "received", channel="written", role=COORDINATOR))
    refusal = lifecycle.refusal(
        record(
            "2027-04-20",
            "handler_assigned",
            handler="Marieke de Boer",
            handler_id=MARIEKE,
            role=COORDINATOR,
        )
    )
    assert refusal is not None and refusal.message == R.HANDLER_IS_SUBJECT
    # Another person who happens to be named like no subject is fine.
    assert (
        lifecycle.refusal(
            record(
                "2027-04-20", "handler_assigned", handler="Piet", handler_id="8", role=COORDINATOR
            )
        )
        is None
    )


def test_an_assignment_without_ids_is_judged_by_the_exact_name_as_before() -> None:
    lifecycle = Lifecycle(ISKANDER, ComplaintFacts.of(["Marieke  de Boer"], subject_ids=[MARIEKE]))
    lifecycle.apply(record("2027-04-19", "received", channel="written", role=COORDINATOR))
    legacy = record("2027-04-20", "handler_assigned", handler="Marieke de Boer", role=COORDINATOR)
    assert lifecycle.refusal(legacy) is None


def test_a_note_confirming_someone_else_lifts_the_hold() -> None:
    lifecycle = handled_by_marieke(ComplaintFacts.of(["Jan Janssen"]))
    lifecycle.apply(correction(["M. de Boer"], {"old": [], "new": [MARIEKE]}))
    lifecycle.apply(
        record(
            "2027-04-21",
            "note_added",
            kind="other",
            text="Bevestigd: Marieke de Boer is iemand anders dan 'M. de Boer'.",
            cleared=[MARIEKE],
            role=COORDINATOR,
        )
    )
    assert lifecycle.status(ON).impartiality_conflict is None
    assert lifecycle.status(ON).may(Event.ACKNOWLEDGED)


def test_a_committee_member_identified_as_a_subject_holds_up_the_committee() -> None:
    coordinator, committee = "in_focus_samen", "klachtencommissie"
    lifecycle = Lifecycle(INFOCUS)
    for event in (
        record("2027-04-19", "received", channel="written", role=coordinator),
        record("2027-04-19", "registered", role=committee),
        record(
            "2027-04-20",
            "committee_appointed",
            members=["Anna Aalders", "Bert Bakker"],
            member_ids=["1", "2"],
            role=coordinator,
        ),
        record(
            "2027-04-21",
            "facts_corrected",
            changes={"subjects": {"old": [], "new": ["B. Bakker"]}},
            subject_ids={"old": [], "new": ["2"]},
            reason="De klacht gaat ook over Bert.",
            role=coordinator,
        ),
    ):
        lifecycle.apply(event)
    conflict = lifecycle.status(ON).impartiality_conflict
    assert conflict is not None and conflict.message == R.MEMBER_NOW_SUBJECT
    assert "Bert Bakker" in conflict.render()


def test_the_same_person_twice_on_a_committee_is_refused_by_id() -> None:
    lifecycle = Lifecycle(INFOCUS)
    lifecycle.apply(record("2027-04-19", "received", channel="written", role="in_focus_samen"))
    twice = record(
        "2027-04-20",
        "committee_appointed",
        members=["Anna Aalders", "A. Aalders"],
        member_ids=["1", "1"],
        role="in_focus_samen",
    )
    refusal = lifecycle.refusal(twice)
    assert refusal is not None and refusal.message == R.COMMITTEE_DUPLICATE


def test_member_ids_name_each_member_once() -> None:
    with pytest.raises(ValueError, match="member_ids"):
        record(
            "2027-04-20",
            "committee_appointed",
            members=["Anna Aalders", "Bert Bakker"],
            member_ids=["1"],
            role="in_focus_samen",
        )


def test_names_are_normalised_for_comparison() -> None:
    assert name_key("Marieke\u00a0 de\u200b Boer") == name_key("marieke de boer")
    assert name_key("Mari\u0065\u0308ke de Boer") == name_key("Mari\u00ebke de Boer")
