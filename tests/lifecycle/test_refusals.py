"""Every refusal rule of the lifecycle engine, each tested both ways.

Each test replays a short history under a preset and checks that the one event that breaks a
rule is refused (its index, the message constant from ``klachtenregister.lifecycle.refusals``
and a key parameter or the rendered text), and that the matching allowed history is accepted,
so every test can fail in both directions.

Due dates and time limits are counted by hand on the nl-atw calendar (README.md "Working
days", docs/lifecycle.md "Deadlines"); the counting is in the comments. Useful facts for 2026-2028:
2026-01-01 is a Thursday, 2027-01-01 a Friday, 2028-01-01 a Saturday.
2027: Koningsdag Tue 27 Apr, 5 May (Wed), Ascension Thu 6 May, decree day Fri 7 May,
Whit Monday 17 May. 2028: Easter 16 Apr, Whit Monday 5 Jun.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from klachtenregister.lifecycle import (
    ComplaintFacts,
    DeadlineStatus,
    EventRecord,
    Replay,
    State,
    record,
    replay,
)
from klachtenregister.lifecycle import refusals as R
from klachtenregister.regulations.labels import CONDITION_LABELS, EVENT_LABELS
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.vocabulary import Condition, Event

PRESETS = ["iskander", "integratiewerk", "infocus-samen", "loket3", "smartplus", "awb-h9"]

# The complaint is about jan; kees was involved in the conduct; anna, bram and carla were not.
FACTS = ComplaintFacts.of(subjects=["jan"], involved=["kees"])
UWV_FACTS = ComplaintFacts.of(subjects=["jan"], involved=["kees"], uwv_client=True)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def run(
    preset: str,
    events: list[EventRecord],
    facts: ComplaintFacts = FACTS,
    as_of: str | None = None,
    regulation: Any = None,
) -> Replay:
    reg = regulation if regulation is not None else load_preset(preset)
    return replay(reg, events, facts, as_of=d(as_of) if as_of else None)


def refusal_of(result: Replay, index: int, message: str) -> R.Refusal:
    """The refusal of the event at ``index``; fails unless that event was refused with
    ``message``."""
    assert result.refused is not None, "expected a refusal, but every event was accepted"
    assert result.refused.refusal.message == message, result.refused.refusal.render()
    assert result.refused.index == index
    return result.refused.refusal


def accepted(result: Replay) -> Replay:
    assert result.refused is None, result.refused.refusal.render()
    return result


def received(on: str = "2027-06-01", **details: Any) -> EventRecord:
    # 2027-06-01 is a Tuesday (Jan 1 Fri + 151 days; 151 = 21*7 + 4).
    details.setdefault("channel", "written")
    return record(on, "received", **details)


def weeks(n: int) -> dict[str, Any]:
    return {"amount": n, "unit": "weken"}


# --- impartiality ---------------------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
def test_handler_who_is_the_subject_is_refused_under_every_preset(preset: str) -> None:
    result = run(preset, [received(), record("2027-06-02", "handler_assigned", handler="jan")])
    refusal = refusal_of(result, 1, R.HANDLER_IS_SUBJECT)
    assert refusal.params["person"] == "jan"
    assert refusal.render().startswith("jan kan de klacht niet behandelen: de klacht gaat over jan")

    accepted(run(preset, [received(), record("2027-06-02", "handler_assigned", handler="anna")]))


# SmartPLUS says [not_subject, sufficient_distance]: one is not at sufficient distance from
# conduct one took part in (Punt 6: "iemand die op voldoende afstand van wat zich heeft
# afgespeeld staat").
@pytest.mark.parametrize("preset", ["iskander", "infocus-samen", "loket3", "awb-h9", "smartplus"])
def test_involved_handler_is_refused_where_the_regulation_requires_not_involved(
    preset: str,
) -> None:
    result = run(preset, [received(), record("2027-06-02", "handler_assigned", handler="kees")])
    refusal = refusal_of(result, 1, R.HANDLER_IS_INVOLVED)
    assert refusal.params["person"] == "kees"
    source = load_preset(preset).handling.impartiality_source
    assert refusal.render().endswith(f"({source}).")


def test_involved_handler_is_accepted_where_only_the_subject_is_excluded() -> None:
    # Integratiewerk: impartiality [not_subject] only (the seed has no impartiality rule).
    result = accepted(
        run(
            "integratiewerk",
            [received(), record("2027-06-02", "handler_assigned", handler="kees")],
        )
    )
    assert result.snapshot.history[-1].event is Event.HANDLER_ASSIGNED


def appoint(*members: str) -> EventRecord:
    return record("2027-06-01", "committee_appointed", members=list(members))


def test_committee_member_who_is_the_subject_is_refused() -> None:
    result = run("infocus-samen", [received(), appoint("anna", "jan")])
    refusal = refusal_of(result, 1, R.MEMBER_IS_SUBJECT)
    assert refusal.params["person"] == "jan"
    assert refusal.render() == (
        "jan kan geen lid zijn van de klachtencommissie: de klacht gaat over jan "
        "(Klachtencommissie)."
    )

    result = accepted(run("infocus-samen", [received(), appoint("anna", "bram")]))
    assert result.snapshot.history[-1].details.members == ["anna", "bram"]


def test_committee_member_who_is_involved_is_refused_in_infocus_samen() -> None:
    result = run("infocus-samen", [received(), appoint("kees", "anna")])
    refusal = refusal_of(result, 1, R.MEMBER_IS_INVOLVED)
    assert refusal.params["person"] == "kees"


def test_integratiewerk_committee_excludes_the_subject_but_not_the_involved() -> None:
    # Committee independence [not_subject], handling [not_subject]: size not stated (null).
    result = run("integratiewerk", [received(), appoint("jan")])
    assert refusal_of(result, 1, R.MEMBER_IS_SUBJECT).params["person"] == "jan"

    accepted(run("integratiewerk", [received(), appoint("kees")]))
    accepted(run("integratiewerk", [received(), appoint("anna", "bram", "carla")]))


@pytest.mark.parametrize("members", [("anna",), ("anna", "bram", "carla")])
def test_infocus_samen_committee_has_exactly_two_members(members: tuple[str, ...]) -> None:
    result = run("infocus-samen", [received(), appoint(*members)])
    refusal = refusal_of(result, 1, R.COMMITTEE_SIZE)
    assert refusal.params["size"] == 2
    assert refusal.params["count"] == len(members)
    assert refusal.render() == (
        f"De klachtencommissie telt volgens het reglement 2 leden, niet {len(members)} "
        "(Klachtencommissie)."
    )

    accepted(run("infocus-samen", [received(), appoint("anna", "bram")]))


def test_committee_member_listed_twice_is_refused() -> None:
    # Two entries (the right size), but one person.
    result = run("infocus-samen", [received(), appoint("anna", "anna")])
    refusal = refusal_of(result, 1, R.COMMITTEE_DUPLICATE)
    assert refusal.render() == "anna staat meer dan eens in de klachtencommissie."


def test_committee_under_a_regulation_without_one_is_refused() -> None:
    # Iskander has no committee role; IN FOCUS Samen has.
    refusal_of(run("iskander", [received(), appoint("anna", "bram")]), 1, R.NO_COMMITTEE)
    accepted(run("infocus-samen", [received(), appoint("anna", "bram")]))


# --- admissibility grounds ------------------------------------------------------------------

TIME_LIMITS = [
    # (preset, ground, facts_date, last day in time, the day after), counted by hand:
    # Iskander, 4 weken: Thu 2027-04-01 + 28 days = Thu 29 Apr, a working day (Koningsdag is
    # Tue 27 Apr), so no roll-over.
    ("iskander", "feit_ouder_dan_vier_weken", "2027-04-01", "2027-04-29", "2027-04-30"),
    # Iskander, 4 weken ending on a weekend: Sat 2027-04-03 + 28 days = Sat 1 May; Atw art. 1
    # rolls the term on to Mon 3 May (the regulation's calendar is nl-atw, and the complaint
    # term counts forward from the facts).
    ("iskander", "feit_ouder_dan_vier_weken", "2027-04-03", "2027-05-03", "2027-05-04"),
    # SmartPLUS, 12 maanden: Tue 2026-03-10 -> Wed 2027-03-10, a working day.
    ("smartplus", "ouder_dan_een_jaar", "2026-03-10", "2027-03-10", "2027-03-11"),
    # Integratiewerk, 24 maanden: Mon 2026-06-15 -> Thu 2028-06-15, a working day (Whit
    # Monday 2028 is 5 Jun).
    ("integratiewerk", "recht_vervallen", "2026-06-15", "2028-06-15", "2028-06-16"),
]


@pytest.mark.parametrize(
    ("preset", "ground", "facts_date", "last_in_time", "too_late"), TIME_LIMITS
)
def test_time_limit_ground_is_suggested_only_after_the_last_day_in_time(
    preset: str, ground: str, facts_date: str, last_in_time: str, too_late: str
) -> None:
    in_time = run(preset, [received(last_in_time, facts_date=facts_date)])
    assert [s.ground.id for s in in_time.snapshot.suggested_grounds] == []

    late = run(preset, [received(too_late, facts_date=facts_date)])
    suggestions = late.snapshot.suggested_grounds
    assert [s.ground.id for s in suggestions] == [ground]
    assert suggestions[0].limit_date == d(last_in_time)


@pytest.mark.parametrize(
    ("preset", "ground", "facts_date", "last_in_time", "too_late"), TIME_LIMITS
)
def test_time_limit_ground_is_refused_while_the_limit_is_not_exceeded(
    preset: str, ground: str, facts_date: str, last_in_time: str, too_late: str
) -> None:
    in_time = run(
        preset,
        [
            received(last_in_time, facts_date=facts_date),
            record(last_in_time, "declared_inadmissible", ground=ground),
        ],
    )
    refusal = refusal_of(in_time, 1, R.GROUND_TIME_LIMIT_NOT_EXCEEDED)
    assert refusal.params["limit_date"] == d(last_in_time)
    assert refusal.params["facts_date"] == d(facts_date)
    assert refusal.params["received"] == d(last_in_time)
    assert refusal.render().endswith(f"die termijn verliep pas op {last_in_time}.")

    late = accepted(
        run(
            preset,
            [
                received(too_late, facts_date=facts_date),
                record(too_late, "declared_inadmissible", ground=ground),
            ],
        )
    )
    assert late.snapshot.state is State.INADMISSIBLE


def test_time_limit_ground_names_the_limit_in_its_own_unit() -> None:
    result = run(
        "iskander",
        [
            received("2027-04-29", facts_date="2027-04-01"),
            record("2027-04-29", "declared_inadmissible", ground="feit_ouder_dan_vier_weken"),
        ],
    )
    rendered = refusal_of(result, 1, R.GROUND_TIME_LIMIT_NOT_EXCEEDED).render()
    assert rendered == (
        "De grond 'feit_ouder_dan_vier_weken' geldt niet: de gedraging (2027-04-01) ligt niet "
        "meer dan 4 weken vóór de ontvangst (2027-04-29); die termijn verliep pas op 2027-04-29."
    )


def test_unknown_ground_is_refused() -> None:
    result = run(
        "iskander", [received(), record("2027-06-02", "declared_inadmissible", ground="te_laat")]
    )
    refusal = refusal_of(result, 1, R.UNKNOWN_GROUND)
    assert refusal.params["ground"] == "te_laat"
    assert "geen_vervolg_gewenst" in refusal.params["grounds"]
    assert refusal.render().startswith("Onbekende grond 'te_laat'; dit reglement kent: ")

    accepted(
        run(
            "iskander",
            [
                received(),
                record("2027-06-02", "declared_inadmissible", ground="geen_vervolg_gewenst"),
            ],
        )
    )


def test_a_reason_without_a_ground_is_refused_where_the_regulation_lists_grounds() -> None:
    result = run(
        "iskander", [received(), record("2027-06-02", "declared_inadmissible", reason="nee")]
    )
    assert "anoniem" in refusal_of(result, 1, R.GROUND_REQUIRED).params["grounds"]


def test_iskander_anonymous_complaint_is_not_accepted_and_the_ground_is_suggested() -> None:
    anonymous = received(anonymous=True)
    result = run("iskander", [anonymous, record("2027-06-02", "accepted")])
    refusal = refusal_of(result, 1, R.ANONYMOUS_NOT_ACCEPTED)
    assert refusal.render() == (
        "Dit reglement neemt geen anonieme klachten in behandeling (Niet in behandeling, 5e punt)."
    )
    suggested = run("iskander", [anonymous]).snapshot.suggested_grounds
    assert [(s.ground.id, s.limit_date) for s in suggested] == [("anoniem", None)]

    # The named complaint is accepted, and nothing is suggested for it.
    named = accepted(run("iskander", [received(), record("2027-06-02", "accepted")]))
    assert named.snapshot.state is State.ACCEPTED
    assert named.snapshot.suggested_grounds == ()
    # The anonymous one is declared inadmissible on the suggested ground.
    result = accepted(
        run(
            "iskander", [anonymous, record("2027-06-02", "declared_inadmissible", ground="anoniem")]
        )
    )
    assert result.snapshot.state is State.INADMISSIBLE


def test_anonymous_complaint_is_accepted_where_the_regulation_accepts_them() -> None:
    # SmartPLUS: anonymous.accepted true.
    accepted(run("smartplus", [received(anonymous=True), record("2027-06-02", "accepted")]))


def test_anonymous_ground_on_a_named_complaint_is_refused() -> None:
    result = run(
        "iskander", [received(), record("2027-06-02", "declared_inadmissible", ground="anoniem")]
    )
    refusal = refusal_of(result, 1, R.GROUND_CONDITION)
    assert refusal.params["condition"] is Condition.ANONYMOUS
    assert refusal.render() == (
        "De grond 'anoniem' geldt alleen als de klacht is anoniem, en dat is bij deze klacht "
        "niet zo."
    )


@pytest.mark.parametrize("preset", ["loket3", "infocus-samen"])
def test_regulation_without_grounds_needs_a_reason(preset: str) -> None:
    result = run(preset, [received(), record("2027-06-02", "declared_inadmissible")])
    refusal_of(result, 1, R.REASON_REQUIRED)

    result = accepted(
        run(preset, [received(), record("2027-06-02", "declared_inadmissible", reason="dubbel")])
    )
    assert result.snapshot.state is State.INADMISSIBLE


# --- extensions -----------------------------------------------------------------------------

# Integratiewerk: received Tue 2027-06-01, referred Mon 7 Jun; the committee's advice term is
# 3 weken: Mon 28 Jun (a working day). Extended by 3 weken: Mon 19 Jul.
# A referral needs the complaint taken into treatment first.
IW_REFERRED = [
    received(),
    record("2027-06-02", "accepted"),
    record("2027-06-07", "referred_to_committee"),
]


def iw_extend(on: str, amount: int, role: str = "klachtencommissie") -> EventRecord:
    return record(
        on,
        "extended",
        deadline="advies_klachtencommissie",
        by=weeks(amount),
        reason="meer tijd nodig",
        role=role,
    )


def test_integratiewerk_committee_advice_is_extended_once_by_three_weeks() -> None:
    result = accepted(run("integratiewerk", [*IW_REFERRED, iw_extend("2027-06-21", 3)]))
    advice = result.snapshot.deadline("advies_klachtencommissie")
    assert advice.start == d("2027-06-07")
    assert advice.due == d("2027-07-19")
    assert advice.status is DeadlineStatus.EXTENDED
    assert [e.previous_due for e in advice.extensions] == [d("2027-06-28")]


def test_integratiewerk_committee_advice_is_not_extended_a_second_time() -> None:
    result = run(
        "integratiewerk",
        [*IW_REFERRED, iw_extend("2027-06-21", 3), iw_extend("2027-07-01", 1)],
    )
    refusal = refusal_of(result, 4, R.EXTENSION_TIMES)
    assert (refusal.params["max_times"], refusal.params["times"]) == (1, 1)
    assert refusal.render() == (
        "De termijn 'advies_klachtencommissie' mag volgens het reglement 1 keer worden verlengd "
        "en is al 1 keer verlengd (Klachtenprocedure 6)."
    )


def test_integratiewerk_committee_advice_is_not_extended_by_four_weeks() -> None:
    # 28 Jun + 4 weken = 26 Jul, later than 28 Jun + 3 weken = 19 Jul.
    result = run("integratiewerk", [*IW_REFERRED, iw_extend("2027-06-21", 4)])
    refusal = refusal_of(result, 3, R.EXTENSION_TOO_LONG)
    assert refusal.params["max_by"] == "3 weken"


def test_integratiewerk_extension_is_the_committees_to_record() -> None:
    result = run("integratiewerk", [*IW_REFERRED, iw_extend("2027-06-21", 3, role="directeur")])
    refusal = refusal_of(result, 3, R.ROLE_NOT_ALLOWED)
    assert refusal.params["roles"] == ["klachtencommissie"]


# Awb chapter 9: received Wed 2027-09-01 (Jan 1 Fri + 243 days; 243 = 34*7 + 5). afhandeling:
# 6 weken = Wed 13 Oct (no holiday). 10-week term (9:15): Wed 10 Nov.
AWB_RECEIVED = received("2027-09-01")
AWB_ACCEPTED = record("2027-09-02", "accepted")


def awb_extend(on: str, amount: int, consent: bool = False, **target: Any) -> EventRecord:
    target = target or {"deadline": "afhandeling"}
    return record(on, "extended", by=weeks(amount), reason="onderzoek", consent=consent, **target)


def test_awb_postponement_by_at_most_four_weeks() -> None:
    # 13 Oct + 4 weken = Wed 10 Nov.
    result = accepted(run("awb-h9", [AWB_RECEIVED, awb_extend("2027-10-01", 4)]))
    assert result.snapshot.deadline("afhandeling").due == d("2027-11-10")

    # 13 Oct + 5 weken = 17 Nov, later than 10 Nov: only with the complainant's consent.
    result = run("awb-h9", [AWB_RECEIVED, awb_extend("2027-10-01", 5)])
    refusal = refusal_of(result, 1, R.EXTENSION_TOO_LONG_CONSENT)
    assert refusal.params["max_by"] == "4 weken"
    assert "instemming van de klager" in refusal.render()

    result = accepted(run("awb-h9", [AWB_RECEIVED, awb_extend("2027-10-01", 5, consent=True)]))
    assert result.snapshot.deadline("afhandeling").due == d("2027-11-17")


def test_awb_second_postponement_only_with_consent() -> None:
    first = awb_extend("2027-10-01", 4)  # due Wed 10 Nov
    result = run("awb-h9", [AWB_RECEIVED, first, awb_extend("2027-10-20", 2)])
    refusal = refusal_of(result, 2, R.EXTENSION_TIMES_CONSENT)
    assert refusal.params["times"] == 1
    assert "instemming van de klager (consent)" in refusal.render()

    # 10 Nov + 2 weken = Wed 24 Nov.
    result = accepted(
        run("awb-h9", [AWB_RECEIVED, first, awb_extend("2027-10-20", 2, consent=True)])
    )
    afhandeling = result.snapshot.deadline("afhandeling")
    assert afhandeling.due == d("2027-11-24")
    assert [e.consent for e in afhandeling.extensions] == [False, True]


def test_extending_a_deadline_without_an_extension_rule_is_refused() -> None:
    # Iskander: the 4-week afhandeling allows no extension; IN FOCUS Samen's uitspraak does
    # (number and length not limited). Both run from Tue 1 Jun to Tue 29 Jun.
    extend = record("2027-06-10", "extended", deadline="afhandeling", by=weeks(1), reason="drukte")
    result = run("iskander", [received(), extend])
    refusal = refusal_of(result, 1, R.NOT_EXTENDABLE)
    assert refusal.params["deadline"] == "afhandeling"

    extend = record("2027-06-10", "extended", deadline="uitspraak", by=weeks(1), reason="drukte")
    result = accepted(run("infocus-samen", [received(), extend]))
    assert result.snapshot.deadline("uitspraak").due == d("2027-07-06")


def test_extending_after_the_due_date_is_refused() -> None:
    # afhandeling is due Wed 13 Oct: extending on that day is in time, on Thu 14 Oct not.
    accepted(run("awb-h9", [AWB_RECEIVED, awb_extend("2027-10-13", 2)]))

    result = run("awb-h9", [AWB_RECEIVED, awb_extend("2027-10-14", 2)])
    refusal = refusal_of(result, 1, R.EXTENSION_TOO_LATE)
    assert refusal.params["due"] == d("2027-10-13")
    assert refusal.render() == (
        "De termijn 'afhandeling' is op 2027-10-13 verstreken; verlengen kan alleen zolang de "
        "termijn loopt."
    )


def test_extending_an_unknown_deadline_is_refused() -> None:
    result = run("awb-h9", [AWB_RECEIVED, awb_extend("2027-10-01", 2, deadline="beslistermijn")])
    refusal = refusal_of(result, 1, R.UNKNOWN_DEADLINE)
    assert refusal.params["deadline"] == "beslistermijn"
    assert "afhandeling" in refusal.params["deadlines"]


def test_extending_a_deadline_that_does_not_apply_yet_is_refused() -> None:
    # The 10-week term applies only once the complaint is referred to a committee.
    extend = awb_extend("2027-10-01", 2, deadline="afhandeling_klachtadviesprocedure")
    result = run("awb-h9", [AWB_RECEIVED, extend])
    refusal_of(result, 1, R.NO_OPEN_DEADLINE)

    referred = record("2027-09-15", "referred_to_committee")
    result = accepted(run("awb-h9", [AWB_RECEIVED, AWB_ACCEPTED, referred, extend]))
    # 10 Nov + 2 weken = Wed 24 Nov.
    assert result.snapshot.deadline("afhandeling_klachtadviesprocedure").due == d("2027-11-24")


def test_awb_extension_by_kind_finds_the_one_decision_term_that_runs() -> None:
    # Before a referral only the 6-week term applies: 13 Oct + 2 weken = Wed 27 Oct.
    by_kind = awb_extend("2027-10-01", 2, kind="decision")
    result = accepted(run("awb-h9", [AWB_RECEIVED, by_kind]))
    assert result.snapshot.deadline("afhandeling").due == d("2027-10-27")
    with pytest.raises(KeyError):
        result.snapshot.deadline("afhandeling_klachtadviesprocedure")

    # After the referral (Wed 15 Sep) the 6-week term is cancelled and the 10-week term applies:
    # the same extension by kind extends that one, 10 Nov + 4 weken = Wed 8 Dec.
    referred = record("2027-09-15", "referred_to_committee")
    by_kind = awb_extend("2027-10-01", 4, kind="decision")
    history = [AWB_RECEIVED, AWB_ACCEPTED, referred, by_kind]
    result = accepted(run("awb-h9", history, as_of="2027-10-20"))
    snapshot = result.snapshot
    assert snapshot.deadline("afhandeling").status is DeadlineStatus.CANCELLED
    assert snapshot.deadline("afhandeling").due == d("2027-10-13")
    advisory = snapshot.deadline("afhandeling_klachtadviesprocedure")
    assert (advisory.due, advisory.status) == (d("2027-12-08"), DeadlineStatus.EXTENDED)


def test_extension_by_kind_is_refused_when_two_terms_of_that_kind_run() -> None:
    # awb-h9 never runs two decision terms at once (the referral cancels the 6-week term), so
    # take a variant in which the referral does not cancel it.
    awb = load_preset("awb-h9")
    deadlines = [
        deadline.model_copy(
            update={
                "cancelled_by": [
                    ref
                    for ref in deadline.cancelled_by
                    if ref.event is not Event.REFERRED_TO_COMMITTEE
                ]
            }
        )
        if deadline.id == "afhandeling"
        else deadline
        for deadline in awb.deadlines
    ]
    variant = awb.model_copy(update={"deadlines": deadlines})
    referred = record("2027-09-15", "referred_to_committee")

    by_kind = awb_extend("2027-10-01", 2, kind="decision")
    result = run("awb-h9", [AWB_RECEIVED, AWB_ACCEPTED, referred, by_kind], regulation=variant)
    refusal = refusal_of(result, 3, R.AMBIGUOUS_KIND)
    assert refusal.params["deadlines"] == ["afhandeling", "afhandeling_klachtadviesprocedure"]

    by_id = awb_extend("2027-10-01", 2, deadline="afhandeling")
    history = [AWB_RECEIVED, AWB_ACCEPTED, referred, by_id]
    result = accepted(run("awb-h9", history, regulation=variant))
    assert result.snapshot.deadline("afhandeling").due == d("2027-10-27")
    assert result.snapshot.deadline("afhandeling_klachtadviesprocedure").due == d("2027-11-10")


# --- order and state ------------------------------------------------------------------------


def test_first_event_must_be_received() -> None:
    result = run("iskander", [record("2027-06-01", "acknowledged"), received()])
    refusal_of(result, 0, R.NOT_RECEIVED)

    accepted(run("iskander", [received(), record("2027-06-01", "acknowledged")]))


def test_a_complaint_is_received_once() -> None:
    result = run("iskander", [received(), received("2027-06-02")])
    assert refusal_of(result, 1, R.ALREADY_RECEIVED).params["date"] == d("2027-06-01")


def test_event_dated_before_the_previous_one_is_refused() -> None:
    result = run("iskander", [received(), record("2027-05-31", "acknowledged")])
    refusal = refusal_of(result, 1, R.BEFORE_PREVIOUS)
    assert refusal.render().startswith(
        "De datum 2027-05-31 ligt vóór de vorige gebeurtenis (2027-06-01)"
    )

    accepted(run("iskander", [received(), record("2027-06-01", "acknowledged")]))


# The hearing that comes before a judgement (Iskander stroomschema rij 6; IN FOCUS De procedure 5).
HEARD = record("2027-06-09", "hearing_held", heard=["klager"])
# IN FOCUS Samen's committee is appointed as soon as a complaint comes in (Klachtencommissie).
INFOCUS_COMMITTEE = record("2027-06-01", "committee_appointed", members=["anna", "bert"])

CLOSED_INADMISSIBLE = [
    received(),
    record("2027-06-02", "declared_inadmissible", ground="geen_vervolg_gewenst"),
    record("2027-06-03", "inadmissibility_notice_sent"),
    record("2027-06-03", "closed"),
]


@pytest.mark.parametrize(
    "late",
    [
        record("2027-06-04", "acknowledged"),
        record("2027-06-04", "withdrawn"),
        record("2027-06-04", "closed"),
        record("2027-06-04", "handler_assigned", handler="anna"),
    ],
    ids=lambda r: r.event.value,
)
def test_after_closure_only_reopening_or_escalation(late: EventRecord) -> None:
    result = run("iskander", [*CLOSED_INADMISSIBLE, late])
    refusal = refusal_of(result, 4, R.CLOSED)
    assert refusal.params["date"] == d("2027-06-03")

    reopened = accepted(run("iskander", [*CLOSED_INADMISSIBLE, record("2027-06-04", "reopened")]))
    assert reopened.snapshot.state is State.RECEIVED
    noted = record("2027-06-04", "note_added", kind="telephone", text="Melder belde")
    accepted(run("iskander", [*CLOSED_INADMISSIBLE, noted]))


def test_reopening_a_complaint_that_is_not_closed_is_refused() -> None:
    refusal_of(run("iskander", [received(), record("2027-06-02", "reopened")]), 1, R.NOT_CLOSED)


@pytest.mark.parametrize(
    "ending",
    [
        [record("2027-06-02", "withdrawn")],
        [record("2027-06-02", "resolved_informally")],
        [record("2027-06-02", "declared_inadmissible", ground="elders_behandeld")],
        [
            record("2027-06-02", "accepted"),
            HEARD,
            record("2027-06-10", "decision_made", outcome="unfounded"),
            record("2027-06-11", "decision_sent"),
        ],
    ],
    ids=["withdrawn", "resolved", "inadmissible", "decision_sent"],
)
def test_closing_needs_an_ending(ending: list[EventRecord]) -> None:
    closed = record("2027-06-14", "closed")
    result = run("iskander", [received(), closed])
    refusal_of(result, 1, R.CANNOT_CLOSE)

    result = accepted(run("iskander", [received(), *ending, closed]))
    assert result.snapshot.state is State.CLOSED


def test_closing_after_a_decision_that_was_not_sent_is_refused() -> None:
    events = [
        received(),
        record("2027-06-02", "accepted"),
        HEARD,
        record("2027-06-10", "decision_made", outcome="founded"),
        record("2027-06-14", "closed"),
    ]
    refusal_of(run("iskander", events), 4, R.CANNOT_CLOSE)


def test_decision_before_acceptance_is_refused() -> None:
    decision = record("2027-06-10", "decision_made", outcome="founded")
    result = run("iskander", [received(), decision])
    refusal_of(result, 1, R.NOT_ACCEPTED)

    result = accepted(
        run("iskander", [received(), record("2027-06-02", "accepted"), HEARD, decision])
    )
    assert result.snapshot.state is State.DECIDED


def test_integratiewerk_decision_waits_for_the_committee_advice() -> None:
    before = [
        received(),
        record("2027-06-02", "accepted"),
        record("2027-06-07", "referred_to_committee"),
    ]
    decision = record("2027-06-21", "decision_made", outcome="partly_founded")
    result = run("integratiewerk", [*before, decision])
    refusal_of(result, 3, R.ADVICE_PENDING)

    advice = record("2027-06-18", "committee_advice_given")
    result = accepted(run("integratiewerk", [*before, advice, decision]))
    assert result.snapshot.state is State.DECIDED


def test_integratiewerk_decision_needs_the_binding_advice_even_without_a_referral() -> None:
    # Klachtenprocedure 5-7: a complaint that is not withdrawn goes to the committee at once,
    # whose advice binds; "vervolgens" the director decides.
    # (Integratiewerk's regulation has no hearing, so none is recorded there.)
    events = [
        received(),
        record("2027-06-02", "accepted"),
        record("2027-06-10", "decision_made", outcome="founded"),
    ]
    refusal_of(run("integratiewerk", events), 2, R.ADVICE_PENDING)
    # IN FOCUS Samen's committee decides itself: no advice to wait for (it is appointed on
    # receipt, Klachtencommissie).
    accepted(run("infocus-samen", [events[0], INFOCUS_COMMITTEE, events[1], HEARD, events[2]]))


def test_committee_advice_needs_a_referral() -> None:
    advice = record("2027-06-18", "committee_advice_given")
    refusal_of(run("integratiewerk", [received(), advice]), 1, R.NOT_REFERRED)
    accepted(run("integratiewerk", [*IW_REFERRED, advice]))


def test_a_referral_needs_the_complaint_taken_into_treatment() -> None:
    refer = record("2027-06-07", "referred_to_committee")
    refusal = refusal_of(run("integratiewerk", [received(), refer]), 1, R.NOT_ACCEPTED)
    assert refusal.params["accepted"] is Event.ACCEPTED
    accepted(run("integratiewerk", [received(), record("2027-06-02", "accepted"), refer]))


def test_an_anonymous_complaint_the_regulation_refuses_is_declared_inadmissible_with_a_reason():
    # Integratiewerk takes no anonymous complaints but lists no ground for them: its rule on
    # anonymity is the ground, and the motivation goes in `reason`.
    anonymous = received(anonymous=True)
    bare = record("2027-06-02", "declared_inadmissible")
    refusal_of(run("integratiewerk", [anonymous, bare]), 1, R.REASON_REQUIRED_ANONYMOUS)
    motivated = record("2027-06-02", "declared_inadmissible", reason="anonieme klacht")
    result = accepted(run("integratiewerk", [anonymous, motivated]))
    assert result.snapshot.state is State.INADMISSIBLE
    # A named complaint still needs one of the regulation's grounds.
    refusal_of(run("integratiewerk", [received(), motivated]), 1, R.GROUND_REQUIRED)


def test_a_ground_id_is_refused_where_the_regulation_lists_no_grounds() -> None:
    grounded = record("2027-06-02", "declared_inadmissible", ground="te_laat")
    refusal = refusal_of(run("loket3", [received(), grounded]), 1, R.UNKNOWN_GROUND)
    assert refusal.params["grounds"] == []


def test_decision_sent_needs_a_decision() -> None:
    sent = record("2027-06-11", "decision_sent")
    result = run("iskander", [received(), record("2027-06-02", "accepted"), sent])
    refusal = refusal_of(result, 2, R.NO_DECISION)
    assert (
        refusal.render()
        == f"Er is nog geen oordeel gegeven; leg eerst '{EVENT_LABELS[Event.DECISION_MADE]}' vast."
    )

    decided = [
        received(),
        record("2027-06-02", "accepted"),
        HEARD,
        record("2027-06-10", "decision_made", outcome="founded"),
    ]
    result = accepted(run("iskander", [*decided, sent]))
    assert result.snapshot.deadline("afhandeling").status is DeadlineStatus.MET


def test_hearing_report_needs_a_hearing() -> None:
    report = record("2027-06-09", "hearing_report_sent")
    result = run("iskander", [received(), record("2027-06-02", "accepted"), report])
    refusal_of(result, 2, R.NO_HEARING)

    heard = [
        received(),
        record("2027-06-02", "accepted"),
        record("2027-06-08", "hearing_held", heard=["klager", "jan"]),
    ]
    accepted(run("iskander", [*heard, report]))
    # One report per hearing.
    result = run("iskander", [*heard, report, record("2027-06-10", "hearing_report_sent")])
    refusal_of(result, 4, R.REPORTS_SENT)


def test_inadmissibility_notice_needs_a_declaration() -> None:
    notice = record("2027-06-03", "inadmissibility_notice_sent")
    refusal_of(run("iskander", [received(), notice]), 1, R.NOT_INADMISSIBLE)

    declared = record("2027-06-02", "declared_inadmissible", ground="geen_vervolg_gewenst")
    result = accepted(run("iskander", [received(), declared, notice]))
    assert result.snapshot.deadline("bericht_niet_in_behandeling").status is DeadlineStatus.MET


def test_role_that_does_not_perform_the_event_is_refused() -> None:
    before = [received(), record("2027-06-02", "accepted"), HEARD]
    decision = record("2027-06-10", "decision_made", outcome="founded", role="medewerker")
    result = run("iskander", [*before, decision])
    refusal = refusal_of(result, 3, R.ROLE_NOT_ALLOWED)
    assert refusal.params["role"] == "medewerker"
    assert refusal.params["roles"] == [
        "procesverantwoordelijke",
        "klachtenfunctionaris",
        "externe_partij",
    ]
    assert refusal.render().startswith("De rol 'medewerker' mag ")

    decision = record(
        "2027-06-10", "decision_made", outcome="founded", role="procesverantwoordelijke"
    )
    accepted(run("iskander", [*before, decision]))


def test_unknown_role_is_refused() -> None:
    result = run("iskander", [received(), record("2027-06-02", "acknowledged", role="stagiair")])
    refusal = refusal_of(result, 1, R.UNKNOWN_ROLE)
    assert refusal.params["roles"] == [
        "procesverantwoordelijke",
        "klachtenfunctionaris",
        "directie",
        "externe_partij",
        "medewerker",
    ]
    accepted(
        run(
            "iskander",
            [received(), record("2027-06-02", "acknowledged", role="klachtenfunctionaris")],
        )
    )


def test_escalation_to_a_body_the_regulation_does_not_name_is_refused() -> None:
    result = run("loket3", [received(), record("2027-06-02", "escalated", to="rechter")])
    refusal = refusal_of(result, 1, R.UNKNOWN_ESCALATION)
    assert "opdrachtgever" in refusal.params["routes"]
    assert refusal.render().startswith(
        "Dit reglement kent geen escalatie naar 'rechter'; wel naar: "
    )

    # The route is named by its id or by the body it goes to.
    accepted(
        run("loket3", [received(), record("2027-06-02", "escalated", to="belangenbehartigers")])
    )
    accepted(run("loket3", [received(), record("2027-06-02", "escalated", to="interest_groups")]))


def test_stroomschema_rij_2_en_5_iskander_external_party_is_no_escalation_route() -> None:
    """Iskander engages a specialised external party itself; the complainant cannot escalate."""
    for to in ("externe_partij", "external_party"):
        result = run("iskander", [received(), record("2027-06-02", "escalated", to=to)])
        refusal_of(result, 1, R.NO_ESCALATION)
    accepted(
        run(
            "iskander",
            [received(), record("2027-06-02", "external_party_engaged", party="Bureau X")],
        )
    )


def test_escalation_under_a_regulation_without_routes_is_refused() -> None:
    escalate = record("2027-06-02", "escalated", to="nationale_ombudsman")
    refusal_of(run("integratiewerk", [received(), escalate]), 1, R.NO_ESCALATION)
    accepted(run("smartplus", [received(), escalate]))


@pytest.mark.parametrize(
    ("preset", "route", "body"),
    [
        ("infocus-samen", "arbeidsdeskundige_uwv", "uwv_arbeidsdeskundige"),
        ("loket3", "klachtenbureau_uwv", "uwv_klachtenbureau"),
    ],
)
def test_uwv_escalation_only_for_a_uwv_client(preset: str, route: str, body: str) -> None:
    for to in (route, body):
        escalate = record("2027-06-02", "escalated", to=to)
        result = run(preset, [received(), escalate], facts=FACTS)
        refusal = refusal_of(result, 1, R.ESCALATION_CONDITION)
        assert refusal.params["condition"] is Condition.UWV_CLIENT
        assert CONDITION_LABELS[Condition.UWV_CLIENT] in refusal.render()

        accepted(run(preset, [received(), escalate], facts=UWV_FACTS))


def test_loket3_escalation_without_a_condition_is_open_to_anyone() -> None:
    escalate = record("2027-06-02", "escalated", to="opdrachtgever")
    accepted(run("loket3", [received(), escalate], facts=FACTS))


# --- withdrawal -----------------------------------------------------------------------------


def test_withdrawal_cancels_every_open_deadline() -> None:
    # Iskander, received Thu 2027-04-29:
    # ontvangstbevestiging, 5 werkdagen: Fri 30 Apr, Mon 3, Tue 4 May, (5 May holiday,
    #   6 May Ascension, 7 May decree day), Mon 10, Tue 11 May -> due 11 May.
    # afhandeling, 4 weken: Thu 27 May (a working day).
    # Withdrawn on Thu 20 May: the acknowledgement had run out (missed), the handling term had
    # not (cancelled). Both stay so, also long after the handling term's due date.
    events = [
        received("2027-04-29"),
        record("2027-05-20", "withdrawn", reason="opgelost"),
    ]
    result = accepted(run("iskander", events, as_of="2027-06-30"))
    snapshot = result.snapshot
    assert snapshot.state is State.WITHDRAWN
    ack = snapshot.deadline("ontvangstbevestiging")
    assert (ack.due, ack.status) == (d("2027-05-11"), DeadlineStatus.MISSED)
    handling = snapshot.deadline("afhandeling")
    assert (handling.due, handling.status) == (d("2027-05-27"), DeadlineStatus.CANCELLED)
    assert handling.met_on is None

    # Without the withdrawal, the handling term is missed on 30 Jun.
    result = accepted(run("iskander", events[:1], as_of="2027-06-30"))
    assert result.snapshot.deadline("afhandeling").status is DeadlineStatus.MISSED


def test_withdrawal_cancels_terms_started_later_too() -> None:
    # Awb: received Wed 1 Sep; declared inadmissible on 8 Sep, the 4-week notice term applies
    # (due Wed 29 Sep) and is cancelled by the withdrawal on 10 Sep.
    events = [
        AWB_RECEIVED,
        record("2027-09-08", "declared_inadmissible", ground="eerder_behandeld"),
        record("2027-09-10", "withdrawn"),
    ]
    snapshot = accepted(run("awb-h9", events, as_of="2027-12-31")).snapshot
    notice = snapshot.deadline("bericht_niet_in_behandeling")
    assert (notice.due, notice.status) == (d("2027-09-29"), DeadlineStatus.CANCELLED)
    assert snapshot.deadline("afhandeling").status is DeadlineStatus.CANCELLED


def test_after_withdrawal_only_closing_or_escalation() -> None:
    withdrawn = [received(), record("2027-06-02", "withdrawn")]
    result = run("iskander", [*withdrawn, record("2027-06-03", "accepted")])
    assert refusal_of(result, 2, R.WITHDRAWN).params["date"] == d("2027-06-02")
    accepted(run("iskander", [*withdrawn, record("2027-06-03", "closed")]))


# --- "In de gelegenheid stellen gehoord te worden": offered, then held or declined ---------------


def test_stroomschema_rij_6_iskander_judgement_needs_the_hearing_offered_and_held_or_declined():
    before = [received(), record("2027-06-02", "accepted")]
    decision = record("2027-06-10", "decision_made", outcome="founded")
    refusal = refusal_of(run("iskander", [*before, decision]), 2, R.HEARING_NOT_OFFERED)
    assert "Stroomschema, rij 6 en rij 7" in refusal.render()

    declined = record("2027-06-08", "hearing_declined")
    # Declining needs an offer first.
    refusal_of(run("iskander", [*before, declined]), 2, R.HEARING_NOT_INVITED)
    invited = record("2027-06-04", "hearing_invitation_sent")
    refusal_of(run("iskander", [*before, invited, decision]), 3, R.HEARING_NOT_OFFERED)
    result = accepted(run("iskander", [*before, invited, declined, decision]))
    assert result.snapshot.state is State.DECIDED
    accepted(run("iskander", [*before, invited, HEARD, decision]))


def test_handelswijze_1_loket3_melder_offered_a_hearing_may_decline_it():
    before = [received(), record("2027-06-02", "accepted")]
    decision = record("2027-06-10", "decision_made", outcome="founded")
    refusal_of(run("loket3", [*before, decision]), 2, R.HEARING_NOT_OFFERED)
    invited = record("2027-06-04", "hearing_invitation_sent")
    declined = record("2027-06-08", "hearing_declined")
    accepted(run("loket3", [*before, invited, declined, decision]))
    # Anonymous: nobody to offer it to.
    anonymous = [received(anonymous=True), record("2027-06-02", "accepted")]
    accepted(run("loket3", [*anonymous, decision]))


def test_de_procedure_5_infocus_hearing_required_cannot_be_declined():
    """IN FOCUS Samen: "we zullen ... alle partijen horen" (hearing: required)."""
    before = [received(), INFOCUS_COMMITTEE, record("2027-06-02", "accepted")]
    decision = record("2027-06-10", "decision_made", outcome="founded")
    refusal_of(run("infocus-samen", [*before, decision]), 3, R.HEARING_NOT_HELD)
    invited = record("2027-06-04", "hearing_invitation_sent")
    declined = record("2027-06-08", "hearing_declined")
    refusal_of(run("infocus-samen", [*before, invited, declined]), 4, R.HEARING_REQUIRED)
    accepted(run("infocus-samen", [*before, HEARD, decision]))


def test_punt_6_smartplus_hearing_on_request_only_needs_no_offer():
    before = [received(), record("2027-06-02", "accepted")]
    accepted(run("smartplus", [*before, record("2027-06-10", "decision_made", outcome="founded")]))
    refusal_of(
        run("smartplus", [*before, record("2027-06-08", "hearing_declined")]),
        2,
        R.NO_HEARING_OFFER,
    )
