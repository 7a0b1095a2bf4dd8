"""What is derived from the log and stored (``register.projection``): after every event the
deadline rows, the next due date and the participants are what the engine says of the stored log.

The Iskander stories of tests/lifecycle/test_story_iskander.py are driven here by hand, through
the back office, with the clock on each event's date; the hand-counted dates are those of the
story file (counted as README.md "Working days" and docs/lifecycle.md "Deadlines" say).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from klachtenregister.register.models import Complaint, ComplaintParticipant, Organisation
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.complaints import (
    complaint_data,
    day,
    engine_deadlines,
    log_of,
    record,
    stored_deadlines,
)

# Story A, "consultation without agreement, hearing, written decision": (day, who, event, details)
# after 'received' and 'registered' on Mon 19 Apr 2027. 'piet' is the procesverantwoordelijke
# assigned on 20 April; 'klara' the klachtenfunctionaris.
STORY_A: list[tuple[str, str, str, dict[str, Any]]] = [
    ("2027-04-20", "klara", "handler_assigned", {"handler": "Piet Pietersen"}),
    ("2027-04-21", "klara", "acknowledged", {}),
    ("2027-04-29", "piet", "consultation_held", {"outcome": "no_agreement"}),
    ("2027-04-30", "piet", "accepted", {}),
    ("2027-05-03", "klara", "consultation_confirmation_sent", {}),
    ("2027-05-11", "klara", "follow_up_information_sent", {}),
    ("2027-05-12", "piet", "hearing_held", {"heard": ["melder", "Jan Jansen"]}),
    ("2027-05-18", "klara", "hearing_report_sent", {}),
    ("2027-05-18", "piet", "decision_made", {"outcome": "partly_founded", "motivation": "..."}),
    ("2027-05-18", "piet", "measures_recorded", {"type": "corrective"}),
    ("2027-05-18", "piet", "decision_sent", {}),
    ("2027-05-19", "klara", "closed", {}),
]

# The next due date after each step of story A (None: nothing runs any more).
# 19 Apr: ontvangstbevestiging Mon 26 Apr; afhandeling Tue 18 May (17 May is Tweede Pinksterdag).
# 29 Apr: bevestiging_overleg and vervolginformatie Tue 11 May; 11 May: only afhandeling is left;
# 12 May: verslag_bijeenkomst Thu 20 May, afhandeling 18 May; 18 May: everything met.
NEXT_DUE_A = [
    "2027-04-26",  # handler_assigned
    "2027-05-18",  # acknowledged
    "2027-05-11",  # consultation_held
    "2027-05-11",  # accepted
    "2027-05-11",  # consultation_confirmation_sent (vervolginformatie still runs)
    "2027-05-18",  # follow_up_information_sent
    "2027-05-18",  # hearing_held
    "2027-05-18",  # hearing_report_sent
    "2027-05-18",  # decision_made
    "2027-05-18",  # measures_recorded
    None,  # decision_sent
    None,  # closed
]


@pytest.fixture
def people(coordinator: User, handler: User) -> dict[str, User]:
    return {"klara": coordinator, "piet": handler}


def _register_story_a(iskander: Organisation, coordinator: User, today: Any) -> Complaint:
    today.set("2027-04-19")
    return register_complaint(
        iskander,
        coordinator,
        complaint_data(
            "2027-04-19",
            facts_date=day("2027-04-09"),
            subjects=[("Jan Jansen", None)],
            involved=[("Kees", None)],
        ),
    )


def _assert_projection_is_the_engines(complaint: Complaint, on: dt.date) -> None:
    complaint.refresh_from_db()
    stored = stored_deadlines(complaint)
    assert stored == engine_deadlines(complaint, on)
    running = [due for (_id, _start, due, _status, _met, is_running) in stored if is_running]
    assert complaint.next_due == (min(running) if running else None)
    assert complaint.state == lifecycle_of(complaint).status(on).state.value
    assert complaint.sequence == complaint.events.count()


def test_after_every_event_of_story_a_the_stored_deadlines_are_the_engines(
    iskander: Organisation, people: dict[str, User], today: Any
) -> None:
    complaint = _register_story_a(iskander, people["klara"], today)
    _assert_projection_is_the_engines(complaint, day("2027-04-19"))
    assert complaint.next_due == day("2027-04-26")

    for (on, who, event, details), next_due in zip(STORY_A, NEXT_DUE_A, strict=True):
        today.set(on)
        handler_people = {"handler": people["piet"].pk} if event == "handler_assigned" else {}
        rows = record(complaint, people[who], event, on, details, handler_people)

        assert [(r.event, r.on, r.actor) for r in rows] == [(event, day(on), people[who])]
        _assert_projection_is_the_engines(complaint, day(on))
        assert complaint.next_due == (day(next_due) if next_due else None), event

    assert complaint.state == "closed"
    assert complaint.sequence == 2 + len(STORY_A)
    # The story file's final table, counted by hand.
    assert [row[:5] for row in stored_deadlines(complaint)] == [
        ("ontvangstbevestiging", day("2027-04-19"), day("2027-04-26"), "met", day("2027-04-21")),
        ("afhandeling", day("2027-04-19"), day("2027-05-18"), "met", day("2027-05-18")),
        ("bevestiging_overleg", day("2027-04-29"), day("2027-05-11"), "met", day("2027-05-03")),
        ("vervolginformatie", day("2027-04-29"), day("2027-05-11"), "met", day("2027-05-11")),
        ("verslag_bijeenkomst", day("2027-05-12"), day("2027-05-20"), "met", day("2027-05-18")),
    ]
    assert not complaint.deadlines.filter(running=True).exists()
    # The roles were chosen from the users' kinds: Piet as the assigned procesverantwoordelijke.
    assert [(row[1], row[3]) for row in log_of(complaint)][2:5] == [
        ("handler_assigned", "klachtenfunctionaris"),
        ("acknowledged", "klachtenfunctionaris"),
        ("consultation_held", "procesverantwoordelijke"),
    ]


def _row(
    deadline: str, start: str, due: str, status: str, met_on: str | None, running: bool
) -> tuple[str, dt.date, dt.date, str, dt.date | None, bool]:
    return (deadline, day(start), day(due), status, day(met_on) if met_on else None, running)


def test_story_a_halfway_after_the_confirmation(
    iskander: Organisation, people: dict[str, User], today: Any
) -> None:
    complaint = _register_story_a(iskander, people["klara"], today)
    for on, who, event, details in STORY_A[:5]:
        today.set(on)
        handler_people = {"handler": people["piet"].pk} if event == "handler_assigned" else {}
        record(complaint, people[who], event, on, details, handler_people)

    complaint.refresh_from_db()
    assert complaint.state == "accepted"
    assert stored_deadlines(complaint) == [
        _row("ontvangstbevestiging", "2027-04-19", "2027-04-26", "met", "2027-04-21", False),
        _row("afhandeling", "2027-04-19", "2027-05-18", "open", None, True),
        _row("bevestiging_overleg", "2027-04-29", "2027-05-11", "met", "2027-05-03", False),
        _row("vervolginformatie", "2027-04-29", "2027-05-11", "open", None, True),
    ]
    assert complaint.next_due == day("2027-05-11")
    deadline = complaint.deadlines.get(deadline_id="afhandeling")
    assert (deadline.kind, deadline.position, deadline.extensions) == ("decision", 1, 0)
    assert deadline.label == "Klacht afgehandeld binnen vier weken na indienen"
    assert deadline.label_en == "Complaint dealt with within four weeks after submission"


# --- participants ------------------------------------------------------------------------------


def _participants(complaint: Complaint) -> list[tuple[str, str]]:
    return sorted(
        ComplaintParticipant.objects.filter(complaint=complaint).values_list(
            "user__username", "capacity"
        )
    )


def test_the_handler_is_who_the_latest_assignment_names(
    iskander: Organisation, coordinator: User, handler: User, today: Any
) -> None:
    anna = UserFactory(
        username="anna", full_name="Anna Andersen", memberships=[(iskander, RoleKind.HANDLER)]
    )
    complaint = _register_story_a(iskander, coordinator, today)
    assert _participants(complaint) == []

    today.set("2027-04-20")
    assign = [
        ({"handler": "Piet Pietersen"}, {"handler": handler.pk}, [("piet", "handler")]),
        ({"handler": "Anna Andersen"}, {"handler": anna.pk}, [("anna", "handler")]),
        # Someone who is not a user of the register: no one takes part as handler.
        ({"handler": "Erik Extern"}, {}, []),
        ({"handler": "Piet Pietersen"}, {"handler": handler.pk}, [("piet", "handler")]),
    ]
    for details, users, expected in assign:
        record(complaint, coordinator, "handler_assigned", "2027-04-20", details, users)
        assert _participants(complaint) == expected, details
    # Other events leave the participants alone.
    record(complaint, coordinator, "acknowledged", "2027-04-20")
    assert _participants(complaint) == [("piet", "handler")]
    assert complaint.events.get(sequence=3).people == {"handler": handler.pk}


def test_the_committee_is_who_the_latest_appointment_names(
    infocus: Organisation, today: Any
) -> None:
    coordinator = UserFactory(
        username="ina", full_name="Ina Focus", memberships=[(infocus, RoleKind.COORDINATOR)]
    )
    a, b, c = (
        UserFactory(
            username=name,
            full_name=f"{name.title()} Lid",
            memberships=[(infocus, RoleKind.EMPLOYEE)],
        )
        for name in ("ans", "bob", "cas")
    )
    today.set("2027-04-19")
    complaint = register_complaint(infocus, coordinator, complaint_data("2027-04-19"))

    record(
        complaint,
        coordinator,
        "committee_appointed",
        "2027-04-19",
        {"members": ["Ans Lid", "Bob Lid"]},
        {"members": [a.pk, b.pk]},
    )
    assert _participants(complaint) == [("ans", "committee"), ("bob", "committee")]

    today.set("2027-04-20")
    record(
        complaint,
        coordinator,
        "committee_appointed",
        "2027-04-20",
        {"members": ["Ans Lid", "Cas Lid"]},
        {"members": [a.pk, c.pk]},
    )
    assert _participants(complaint) == [("ans", "committee"), ("cas", "committee")]

    # Appointed members act as the Klachtencommissie on this complaint: Cas registers it.
    record(complaint, c, "registered", "2027-04-20")
    assert log_of(complaint)[-1][1:] == ("registered", day("2027-04-20"), "klachtencommissie")


# --- the system's own events ---------------------------------------------------------------------

# Story B, "agreement, registered letter, closure by silence", after 'received' and 'registered'
# on Tue 20 Apr 2027. afronding_zonder_reactie: 5 werkdagen after Mon 10 May: Tue 11, Wed 12,
# Thu 13, Fri 14, (weekend, Mon 17 Tweede Pinksterdag) Tue 18 May; without a reaction Iskander
# closes the complaint the day after, Wed 19 May.
STORY_B: list[tuple[str, str, str, dict[str, Any]]] = [
    ("2027-04-26", "klara", "acknowledged", {}),
    ("2027-04-26", "klara", "handler_assigned", {"handler": "Piet Pietersen"}),
    ("2027-04-28", "piet", "consultation_held", {"outcome": "agreement"}),
    ("2027-04-28", "klara", "resolved_informally", {}),
    ("2027-05-04", "klara", "agreement_letter_sent", {}),
    ("2027-05-10", "klara", "registered_letter_delivered", {}),
]


@pytest.fixture
def story_b(iskander: Organisation, people: dict[str, User], today: Any) -> Complaint:
    today.set("2027-04-20")
    complaint = register_complaint(
        iskander, people["klara"], complaint_data("2027-04-20", facts_date=day("2027-04-15"))
    )
    for on, who, event, details in STORY_B:
        today.set(on)
        handler_people = {"handler": people["piet"].pk} if event == "handler_assigned" else {}
        record(complaint, people[who], event, on, details, handler_people)
    complaint.refresh_from_db()
    return complaint


def test_on_the_last_day_of_the_silence_term_nothing_is_closed(
    story_b: Complaint, people: dict[str, User], today: Any
) -> None:
    # A note on the last day does not close anything: the term ends at the end of the day.
    today.set("2027-05-18")
    assert story_b.state == "resolved"
    assert story_b.next_due == day("2027-05-18")
    silence = story_b.deadlines.get(deadline_id="afronding_zonder_reactie")
    assert (silence.start, silence.due, silence.status, silence.running) == (
        day("2027-05-10"),
        day("2027-05-18"),
        "open",
        True,
    )


def test_the_closure_by_silence_is_stored_as_the_systems_event(
    story_b: Complaint, people: dict[str, User], today: Any
) -> None:
    sequence = story_b.sequence
    today.set("2027-05-24")

    rows = record(
        story_b, people["klara"], "reopened", "2027-05-24", {"reason": "klager belt alsnog"}
    )

    assert [(r.sequence, r.event, r.on) for r in rows] == [
        (sequence + 1, "closed", day("2027-05-19")),
        (sequence + 2, "reopened", day("2027-05-24")),
    ]
    closed = story_b.events.get(sequence=sequence + 1)
    assert closed.actor is None
    assert (closed.role, closed.actor_name) == ("system", "system")
    assert closed.payload == {"reason": "naar tevredenheid afgerond"}
    assert closed.people == {}
    reopened = story_b.events.get(sequence=sequence + 2)
    assert (reopened.actor, reopened.role) == (people["klara"], "klachtenfunctionaris")

    # The stored history replays: the engine takes its own closure back as the rule that made it.
    lifecycle = lifecycle_of(story_b)
    assert [(r.on, r.event.value, r.role) for r in lifecycle.history][-2:] == [
        (day("2027-05-19"), "closed", "system"),
        (day("2027-05-24"), "reopened", "klachtenfunctionaris"),
    ]
    _assert_projection_is_the_engines(story_b, day("2027-05-24"))
    silence = story_b.deadlines.get(deadline_id="afronding_zonder_reactie")
    assert (silence.status, silence.running) == ("missed", False)
    assert story_b.sequence == sequence + 2


def test_the_systems_closure_is_stored_once(
    story_b: Complaint, people: dict[str, User], today: Any
) -> None:
    """After the closure by silence is stored, the next event does not close it again."""
    today.set("2027-05-24")
    record(story_b, people["klara"], "reopened", "2027-05-24", {"reason": "klager belt alsnog"})
    today.set("2027-05-25")
    rows = record(
        story_b, people["piet"], "consultation_held", "2027-05-25", {"outcome": "agreement"}
    )

    assert [(r.event, r.role) for r in rows] == [("consultation_held", "procesverantwoordelijke")]
    assert [row[1:] for row in log_of(story_b) if row[3] == "system"] == [
        ("closed", day("2027-05-19"), "system")
    ]
    _assert_projection_is_the_engines(story_b, day("2027-05-25"))
