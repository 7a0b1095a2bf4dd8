"""Properties of the lifecycle engine over random event histories, for every preset.

Histories are drawn in two ways: blind (events drawn from the whole vocabulary, most of which
the engine refuses sooner or later) and guided (most events drawn from what the engine lists as
allowed at that moment, so that histories get deep: referrals, extensions, closures,
reopenings). Details are always valid in shape; dates never go back; the first day lies in
2026-2028. A replay stops at the first refused event; the events before it are the accepted
prefix. The properties:

- every deadline is due after it starts and is never met before it starts, and its status
  agrees with its dates;
- replaying the same events, or only the accepted prefix, gives an equal snapshot;
- every accepted event was listed as allowed (with the role that recorded it) right before it
  was applied, and an event listed as allowed is refused only for its details or its role;
- the status is monotone in the evaluation date: met, cancelled and missed stay so; an open
  deadline becomes missed only once the evaluation date is past its due date.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtenregister.lifecycle import (
    ComplaintFacts,
    DeadlineStatus,
    DeadlineView,
    EventRecord,
    Lifecycle,
    Refused,
    Replay,
    Snapshot,
    record,
    replay,
)
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.events import SYSTEM_ACTOR
from klachtenregister.lifecycle.rules import roles_for
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import Channel, DeadlineKind, Event

PRESETS = ["iskander", "integratiewerk", "infocus-samen", "loket3", "smartplus", "awb-h9"]
PEOPLE = ["jan", "kees", "anna", "bram", "carla"]
EVENTS = list(Event)
UNITS = ["werkdagen", "dagen", "weken", "maanden"]
FIRST_DAY = dt.date(2026, 1, 1)
LAST_START = dt.date(2028, 12, 31)

SETTINGS = settings(max_examples=200, deadline=None)

# Refusals about an event's details or its role: the only reasons to refuse an event that the
# snapshot lists as allowed (the list answers the question of state and order only).
DETAIL_AND_ROLE_REFUSALS = frozenset(
    {
        R.UNKNOWN_ROLE,
        R.ROLE_NOT_ALLOWED,
        R.GROUND_REQUIRED,
        R.UNKNOWN_GROUND,
        R.REASON_REQUIRED,
        R.REASON_REQUIRED_ANONYMOUS,
        R.GROUND_CONDITION,
        R.GROUND_TIME_LIMIT_NOT_EXCEEDED,
        R.HANDLER_IS_SUBJECT,
        R.HANDLER_IS_INVOLVED,
        R.NO_COMMITTEE,
        R.COMMITTEE_SIZE,
        R.COMMITTEE_DUPLICATE,
        R.MEMBER_IS_SUBJECT,
        R.MEMBER_IS_INVOLVED,
        R.UNKNOWN_ESCALATION,
        R.ESCALATION_CONDITION,
        R.UNKNOWN_DEADLINE,
        R.NO_OPEN_DEADLINE,
        R.AMBIGUOUS_KIND,
        R.NOT_EXTENDABLE,
        R.EXTENSION_TOO_LATE,
        R.EXTENSION_TIMES,
        R.EXTENSION_TIMES_CONSENT,
        R.EXTENSION_TOO_LONG,
        R.EXTENSION_TOO_LONG_CONSENT,
        R.NO_SUCH_TODO,
        # Consent and agreements (issue 14 §4).
        R.NOT_AGREEABLE,
        R.AGREED_TOO_LATE,
        R.AGREED_NOT_LATER,
        R.UNKNOWN_COST_KIND,
    }
)
OPEN = (DeadlineStatus.OPEN, DeadlineStatus.EXTENDED)
# Terms about judging the complaint lapse when it is declared inadmissible, whether or not the
# regulation lists declared_inadmissible under their cancelled_by (the engine's rule).
JUDGING_KINDS = frozenset(
    {DeadlineKind.DECISION, DeadlineKind.SERVICE_NORM, DeadlineKind.COMMITTEE_ADVICE}
)


# --- drawing histories ----------------------------------------------------------------------

facts_strategy = st.builds(
    ComplaintFacts.of,
    subjects=st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True),
    involved=st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True),
    uwv_client=st.booleans(),
)
start_strategy = st.dates(min_value=FIRST_DAY, max_value=LAST_START)
# Mostly a few days between events, now and then weeks.
gap_strategy = st.one_of(st.integers(0, 5), st.integers(0, 5), st.integers(6, 60))


# True about one time in ten (for the odd value the engine must refuse); shrinks to False.
# (st.integers(0, 9) == 0 would be true far more often: Hypothesis favours small integers.)
_RARELY = st.sampled_from((False,) * 9 + (True,))


def rarely(draw: Any) -> bool:
    return draw(_RARELY)


def details_for(
    draw: Any, regulation: Regulation, event: Event, on: dt.date, running: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Details of a valid shape for ``event``; mostly ones the regulation can take, now and
    then ones it must refuse. ``running``: ids of the deadlines that run now, if known."""

    def pick(values: list[Any] | tuple[Any, ...]) -> Any:
        return draw(st.sampled_from(values))

    if event is Event.RECEIVED:
        facts_date = draw(st.none() | st.integers(0, 800).map(lambda n: on - dt.timedelta(n)))
        return {
            "channel": pick(list(Channel)),
            "anonymous": draw(st.booleans()),
            "facts_date": facts_date,
        }
    if event is Event.DECLARED_INADMISSIBLE:
        grounds = [g.id for g in regulation.admissibility.grounds]
        details: dict[str, Any] = {}
        if rarely(draw):
            ground = draw(st.none() | st.just("onbekende_grond"))
        else:
            ground = pick(grounds) if grounds else None
        if ground is not None:
            details["ground"] = ground
        if not grounds or draw(st.booleans()):
            details["reason"] = "geen grond voor behandeling"
        return details
    if event is Event.HANDLER_ASSIGNED:
        return {"handler": pick(PEOPLE)}
    if event is Event.COMMITTEE_APPOINTED:
        return {"members": draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3))}
    if event is Event.EXTERNAL_PARTY_ENGAGED:
        return {"party": draw(st.none() | st.just("Bureau Extern"))}
    if event is Event.CONSULTATION_HELD:
        return {"outcome": pick(["agreement", "no_agreement"])}
    if event is Event.HEARING_HELD:
        return {"heard": draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=2))}
    if event is Event.EXTENDED:
        extendable = [dl.id for dl in regulation.deadlines if dl.extension is not None]
        running_extendable = [dl for dl in extendable if dl in running]
        target: dict[str, Any]
        if running_extendable and not rarely(draw):
            target = {"deadline": pick(running_extendable)}
        elif extendable and draw(st.booleans()):
            target = {"deadline": pick(extendable)}
        elif draw(st.booleans()):
            ids = [dl.id for dl in regulation.deadlines]
            target = {"deadline": pick([*ids, "onbekende_termijn"])}
        else:
            target = {"kind": pick(list(DeadlineKind))}
        return {
            **target,
            "by": {"amount": draw(st.integers(1, 6)), "unit": pick(UNITS)},
            "reason": "meer tijd nodig",
            "consent": draw(st.booleans()),
        }
    if event is Event.DECISION_MADE:
        return {"outcome": pick(["founded", "partly_founded", "unfounded"])}
    if event is Event.MEASURES_RECORDED:
        return {"type": pick(["corrective", "preventive"])}
    if event is Event.ESCALATED:
        routes = [r.id for r in regulation.escalation] + [r.to.value for r in regulation.escalation]
        return {"to": "onbekende_instantie" if not routes or rarely(draw) else pick(routes)}
    if event in (Event.WITHDRAWN, Event.CLOSED, Event.REOPENED):
        return {"reason": draw(st.none() | st.just("op verzoek"))}
    if event is Event.NOTE_ADDED:
        return {"kind": pick(["telephone", "email", "conversation", "other"]), "text": "gebeld"}
    if event is Event.REGISTRATION_VOIDED:
        return {"reason": "dubbel geregistreerd"}
    if event is Event.FACTS_CORRECTED:
        return {"reason": "typefout", "changes": {"category": {"old": "", "new": "bejegening"}}}
    if event is Event.COMPLETION_REQUESTED:
        return {"missing": draw(st.lists(st.sampled_from(["name", "address", "date"]), min_size=1))}
    if event is Event.COMPLAINT_PUT_IN_WRITING:
        return {"form": pick(["letter", "signed_form"])}
    if event is Event.STAGE_STARTED:
        ids = [stage.id for stage in regulation.handling.stages]
        return {"stage": pick([*ids, "onbekende_fase"])}
    if event is Event.TODO_DONE:
        ids = [n.id for n in regulation.notifications]
        ids += [dl.id for dl in regulation.deadlines if dl.if_missed is not None]
        return {"todo": pick([*ids, "onbekende_taak"])}
    if event is Event.DELIVERY_DATE_CHANGED:
        return {"letter": "Ontvangstbevestiging", "delivered_on": {"new": on.isoformat()}}
    # Consent and agreements (issue 14 §4).
    if event is Event.CONSENT_RECORDED:
        return {"outcome": pick(["given", "refused"])}
    if event is Event.TERM_AGREED:
        agreeable = [
            dl.id
            for dl in regulation.deadlines
            if dl.extension is not None and dl.extension.by_agreement
        ]
        ids = [dl.id for dl in regulation.deadlines]
        deadline = pick(agreeable) if agreeable and not rarely(draw) else pick([*ids, "onbekend"])
        due = on + dt.timedelta(days=draw(st.integers(-5, 90)))
        return {"deadline": deadline, "due": due.isoformat()}
    if event is Event.HEARING_REPORT_RETURNED:
        outcome = pick(["signed", "commented"])
        return {
            "outcome": outcome,
            **({"comments": "klopt niet"} if outcome == "commented" else {}),
        }
    if event is Event.COSTS_RECORDED:
        return {"kind": pick(["representation", "travel"]), "amount": "12.50"}
    return {}


def draw_role(draw: Any, regulation: Regulation, event: Event) -> str | None:
    """Mostly no role; else mostly one the regulation lets record the event, rarely any role
    of the regulation."""
    if draw(st.booleans()):
        return None
    if rarely(draw):
        return draw(st.sampled_from([role.id for role in regulation.roles]))
    return draw(st.sampled_from([role.id for role in roles_for(regulation, event)]))


def make_record(
    draw: Any, regulation: Regulation, on: dt.date, event: Event, running: tuple[str, ...] = ()
) -> EventRecord:
    details = details_for(draw, regulation, event, on, running)
    role = draw_role(draw, regulation, event)
    if role is not None:
        details["role"] = role
    return record(on, event, **details)


@st.composite
def blind_history(draw: Any, regulation: Regulation) -> tuple[ComplaintFacts, list[EventRecord]]:
    facts = draw(facts_strategy)
    day = draw(start_strategy)
    # Now and then a history that does not start with the receipt.
    first = Event.RECEIVED if draw(st.integers(0, 19)) else draw(st.sampled_from(EVENTS))
    events = [make_record(draw, regulation, day, first)]
    for event in draw(st.lists(st.sampled_from(EVENTS), max_size=20)):
        day += dt.timedelta(days=draw(gap_strategy))
        events.append(make_record(draw, regulation, day, event))
    return facts, events


def guided_history(
    data: st.DataObject, regulation: Regulation
) -> tuple[ComplaintFacts, list[EventRecord]]:
    """A history drawn mostly from what the engine allows at each step; ends at a refusal."""
    draw = data.draw
    facts = draw(facts_strategy)
    day = draw(start_strategy)
    lifecycle = Lifecycle(regulation, facts)
    events = [make_record(draw, regulation, day, Event.RECEIVED)]
    length = draw(st.integers(1, 25))
    while True:
        try:
            lifecycle.apply(events[-1])
        except Refused:
            break
        if len(events) >= length:
            break
        day += dt.timedelta(days=draw(gap_strategy))
        now = lifecycle.status(day)
        allowed = sorted(item.event for item in now.allowed)
        running = tuple(view.id for view in now.deadlines if view.status in OPEN)
        choice = draw(st.integers(0, 9))
        if Event.EXTENDED in allowed and choice < 3:
            # Extensions are rare among the allowed events; favour them while one is possible.
            event = Event.EXTENDED
        elif allowed and choice < 9:
            event = draw(st.sampled_from(allowed))
        else:
            event = draw(st.sampled_from(EVENTS))
        events.append(make_record(draw, regulation, day, event, running))
    return facts, events


# --- the properties -------------------------------------------------------------------------


def check_dates(snapshot: Snapshot) -> None:
    """Due after start, met on or after start, and a status that agrees with the dates."""
    for view in snapshot.deadlines:
        assert view.due > view.start, view
        assert view.met_on is None or view.met_on >= view.start, view
        for extension in view.extensions:
            assert extension.new_due > extension.previous_due, view
        if view.extensions:
            assert view.due == view.extensions[-1].new_due, view
        if view.status in OPEN:
            assert view.met_on is None and snapshot.as_of <= view.due, view
            assert (view.status is DeadlineStatus.EXTENDED) == bool(view.extensions), view
        elif view.status is DeadlineStatus.MET:
            assert view.met_on is not None and view.met_on <= view.due, view
        elif view.status is DeadlineStatus.MISSED:
            if view.met_on is not None:
                assert view.met_on > view.due, view
            else:
                assert snapshot.as_of > view.due, view
        elif view.status is DeadlineStatus.NOT_APPLICABLE:
            # Owed only to a complainant who left no contact details: its letters go to the
            # complainant alone (copies aside) or, without a letter, it notifies only them.
            assert view.met_on is None, view
            assert snapshot.history[0].details.anonymous, view
            letters = [x for x in snapshot.regulation.letters if x.deadline == view.rule.id]
            if letters:
                assert all(set(x.recipients) <= {"complainant"} for x in letters), view
            else:
                assert set(view.rule.notify) <= {"complainant"}, view
        else:
            assert view.met_on is None, view
            assert_cancelled_in_term(snapshot, view)


def assert_cancelled_in_term(snapshot: Snapshot, view: DeadlineView) -> None:
    """A cancelled deadline was ended, within its term, by an event that ends it: one of its
    rule's ``cancelled_by`` events, a withdrawal, a closure, or for a term about judging the
    complaint its declaration inadmissible (one ended after its due date is missed, not
    cancelled); or, even after its due date, the registration was voided (nothing was owed)."""
    rule = next(rule for rule in snapshot.regulation.deadlines if rule.id == view.id)
    if any(
        event.event is Event.REGISTRATION_VOIDED and event.on >= view.start
        for event in snapshot.history
    ):
        return
    enders = [
        event
        for event in snapshot.history
        if view.start <= event.on <= view.due
        and (
            event.event in (Event.WITHDRAWN, Event.CLOSED)
            or any(event.matches(ref) for ref in rule.cancelled_by)
            or (event.event is Event.DECLARED_INADMISSIBLE and rule.kind in JUDGING_KINDS)
        )
    ]
    assert enders, view


def accepted_prefix(
    regulation: Regulation, facts: ComplaintFacts, events: list[EventRecord]
) -> tuple[Replay, list[EventRecord]]:
    result = replay(regulation, events, facts)
    prefix = events if result.refused is None else events[: result.refused.index]
    return result, prefix


def check_determinism(
    regulation: Regulation, facts: ComplaintFacts, events: list[EventRecord]
) -> None:
    result, prefix = accepted_prefix(regulation, facts, events)
    again = replay(regulation, events, facts)
    assert again == result
    if prefix:
        only_accepted = replay(regulation, prefix, facts, as_of=result.snapshot.as_of)
        assert only_accepted.refused is None
        assert only_accepted.snapshot == result.snapshot
    check_dates(result.snapshot)


def check_allowed_before_applied(
    regulation: Regulation, facts: ComplaintFacts, events: list[EventRecord]
) -> None:
    result = replay(regulation, events, facts)
    lifecycle = Lifecycle(regulation, facts)
    for index, event in enumerate(events):
        # status() carries out the time-triggered rules up to the event's date, as apply()
        # would do first.
        before = lifecycle.status(event.on)
        allowed = {item.event: item.roles for item in before.allowed}
        try:
            lifecycle.apply(event)
        except Refused as exc:
            assert result.refused is not None and result.refused.index == index
            assert exc.refusal == result.refused.refusal
            if event.event in allowed:
                assert exc.refusal.message in DETAIL_AND_ROLE_REFUSALS, exc.refusal.render()
            break
        assert event.event in allowed, (index, event, sorted(allowed))
        if event.role is not None:
            assert event.role in allowed[event.event], (index, event, allowed[event.event])
    else:
        assert result.refused is None
    # Looking at the status along the way changes nothing.
    assert lifecycle.status(result.snapshot.as_of) == result.snapshot


def by_key(snapshot: Snapshot) -> dict[tuple[str, dt.date, int], DeadlineView]:
    """The deadlines by id, start and rank among those of the same id and start (a term can
    start again on the same day, after a second hearing)."""
    seen: Counter[tuple[str, dt.date]] = Counter()
    keyed = {}
    for view in snapshot.deadlines:
        seen[(view.id, view.start)] += 1
        keyed[(view.id, view.start, seen[(view.id, view.start)])] = view
    return keyed


def check_monotone(earlier: Snapshot, later: Snapshot) -> None:
    assert earlier.as_of <= later.as_of
    now = by_key(later)
    system_events = [e for e in later.history[len(earlier.history) :] if e.role == SYSTEM_ACTOR]
    assert later.history[: len(earlier.history)] == earlier.history
    assert all(e.role == SYSTEM_ACTOR for e in later.history[len(earlier.history) :])
    for key, view in by_key(earlier).items():
        assert key in now, view
        then = now[key]
        assert then.due == view.due, (view, then)
        if view.status in (
            DeadlineStatus.MET,
            DeadlineStatus.CANCELLED,
            DeadlineStatus.MISSED,
            DeadlineStatus.NOT_APPLICABLE,
        ):
            assert then.status is view.status, (view, then)
            assert then.met_on == view.met_on, (view, then)
            continue
        # Open (or extended) at the earlier date.
        if later.as_of > view.due:
            assert then.status in (DeadlineStatus.MISSED, DeadlineStatus.CANCELLED), (view, then)
        else:
            assert then.status is not DeadlineStatus.MISSED, (view, then)
        if then.status is DeadlineStatus.CANCELLED:
            # Only a time-triggered event (a closure) can end a term without a new event.
            assert system_events, (view, then)
        assert then.status is not DeadlineStatus.MET, (view, then)


def check_monotone_in_evaluation_date(
    regulation: Regulation,
    facts: ComplaintFacts,
    events: list[EventRecord],
    steps: list[int],
) -> None:
    result, prefix = accepted_prefix(regulation, facts, events)
    if not prefix:
        return
    as_of = result.snapshot.as_of
    snapshots = [replay(regulation, prefix, facts, as_of=as_of).snapshot]
    for step in steps:
        as_of += dt.timedelta(days=step)
        snapshots.append(replay(regulation, prefix, facts, as_of=as_of).snapshot)
    for snapshot in snapshots:
        check_dates(snapshot)
    for earlier, later in itertools.pairwise(snapshots):
        check_monotone(earlier, later)


steps_strategy = st.lists(st.integers(0, 120), min_size=1, max_size=4)


def check_all(
    regulation: Regulation,
    facts: ComplaintFacts,
    events: list[EventRecord],
    steps: list[int],
) -> None:
    check_determinism(regulation, facts, events)
    check_allowed_before_applied(regulation, facts, events)
    check_monotone_in_evaluation_date(regulation, facts, events, steps)


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(data=st.data())
def test_properties_of_blind_histories(preset: str, data: st.DataObject) -> None:
    regulation = load_preset(preset)
    facts, events = data.draw(blind_history(regulation))
    check_all(regulation, facts, events, data.draw(steps_strategy))


@pytest.mark.parametrize("preset", PRESETS)
@SETTINGS
@given(data=st.data())
def test_properties_of_guided_histories(preset: str, data: st.DataObject) -> None:
    regulation = load_preset(preset)
    facts, events = guided_history(data, regulation)
    check_all(regulation, facts, events, data.draw(steps_strategy))
