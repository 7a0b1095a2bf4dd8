"""Two people acting on the same complaint at the same moment (PostgreSQL only).

Each thread has its own database connection (Django keeps one per thread). A barrier makes both
read the complaint's sequence before either writes, so both act on the same view of it; the
core locks the complaint row (select_for_update), so the second writer waits for the first to
commit and then finds the sequence moved: exactly one wins, the other gets a Conflict. The
outcome does not depend on which thread the scheduler runs first, so the test is deterministic;
it is repeated to give an interleaving bug more than one chance to show.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from klachtenregister.register.errors import Conflict
from klachtenregister.register.models import (
    Complaint,
    ComplaintEvent,
    Organisation,
    ReferenceCounter,
)
from klachtenregister.register.services import NewEvent, record_event, register_complaint
from klachtenregister.regulations.vocabulary import Event, RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import race
from tests.support.complaints import complaint_data, day, log_of

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op) and "
            "serialises writers on one file, so two connections cannot race on a row"
        ),
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 5


def act(
    complaint_pk: int, actor: User, event: str, details: dict[str, Any] | None = None
) -> Callable[[threading.Barrier], Any]:
    def task(barrier: threading.Barrier) -> Any:
        complaint = Complaint.objects.get(pk=complaint_pk)
        seen = complaint.sequence  # what the user saw on the page
        barrier.wait()  # both have read the same sequence before either writes
        new = NewEvent(Event(event), day("2027-04-21"), details=details or {})
        return record_event(complaint, actor, seen, new)

    return task


@pytest.fixture
def users(coordinator: User, iskander: Organisation) -> dict[str, User]:
    # Two coordinators: a handler who is not assigned may not act on the complaint at all.
    karel = UserFactory(
        username="karel",
        full_name="Karel Klachtenfunctionaris",
        memberships=[(iskander, RoleKind.COORDINATOR)],
    )
    return {"klara": coordinator, "karel": karel}


ASSIGN_PIET = {"handler": "Piet Pietersen"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("klara", "acknowledged", None), ("klara", "acknowledged", None)),
        (("klara", "acknowledged", None), ("karel", "handler_assigned", ASSIGN_PIET)),
        (("klara", "handler_assigned", ASSIGN_PIET), ("karel", "handler_assigned", ASSIGN_PIET)),
    ],
    ids=["same-event", "different-events", "both-assign"],
)
def test_of_two_writers_on_the_same_sequence_exactly_one_wins(
    iskander: Organisation,
    users: dict[str, User],
    today: Any,
    first: tuple[str, str, dict[str, Any] | None],
    second: tuple[str, str, dict[str, Any] | None],
) -> None:
    today.set("2027-04-21")
    for round_ in range(ROUNDS):
        complaint = register_complaint(iskander, users["klara"], complaint_data("2027-04-19"))
        before = log_of(complaint)
        assert complaint.sequence == 2

        outcomes = race(
            [
                act(complaint.pk, users[who], event, details)
                for who, event, details in (first, second)
            ]
        )

        won = [o for o in outcomes if isinstance(o, list)]
        lost = [o for o in outcomes if isinstance(o, Conflict)]
        assert (len(won), len(lost)) == (1, 1), (round_, outcomes)
        assert complaint.reference in lost[0].message
        [winner] = won[0]
        complaint.refresh_from_db()
        assert complaint.sequence == 3
        assert log_of(complaint) == [*before, (3, winner.event, day("2027-04-21"), winner.role)]
        assert ComplaintEvent.objects.filter(complaint=complaint).count() == 3


def test_a_writer_with_a_fresh_view_after_the_race_succeeds(
    iskander: Organisation, users: dict[str, User], today: Any
) -> None:
    """The loser reloads the complaint and tries again: that is accepted."""
    today.set("2027-04-21")
    complaint = register_complaint(iskander, users["klara"], complaint_data("2027-04-19"))
    outcomes = race(
        [
            act(complaint.pk, users["klara"], "acknowledged"),
            act(complaint.pk, users["karel"], "handler_assigned", ASSIGN_PIET),
        ]
    )
    lost = next(i for i, o in enumerate(outcomes) if isinstance(o, Conflict))
    retry = [
        act(complaint.pk, users["klara"], "acknowledged"),
        act(complaint.pk, users["karel"], "handler_assigned", ASSIGN_PIET),
    ][lost]

    [outcome] = race([retry])

    assert isinstance(outcome, list), outcome
    complaint.refresh_from_db()
    assert complaint.sequence == 4
    assert sorted(row[1] for row in log_of(complaint)[2:]) == ["acknowledged", "handler_assigned"]


def register(
    organisation: Organisation, actor: User, received_on: str
) -> Callable[[threading.Barrier], Any]:
    def task(barrier: threading.Barrier) -> Any:
        data = complaint_data(received_on)
        barrier.wait()
        return register_complaint(organisation, actor, data).reference

    return task


def test_concurrent_registrations_get_distinct_consecutive_numbers(
    iskander: Organisation, users: dict[str, User], today: Any
) -> None:
    today.set("2031-12-31")
    for year in range(2027, 2027 + ROUNDS):
        # The first two of the year race to create the year's counter, the next two on it.
        for numbers in ((1, 2), (3, 4)):
            outcomes = race([register(iskander, users["klara"], f"{year}-06-01")] * 2)
            assert all(isinstance(o, str) for o in outcomes), outcomes
            assert sorted(outcomes) == [f"ISK-{year}-{n:04d}" for n in numbers], outcomes
        assert ReferenceCounter.objects.get(organisation=iskander, year=year).last == 4
    assert Complaint.objects.count() == 4 * ROUNDS


def test_many_concurrent_registrations(
    iskander: Organisation, users: dict[str, User], today: Any
) -> None:
    today.set("2027-06-01")
    outcomes = race([register(iskander, users["klara"], "2027-06-01")] * 6)
    assert all(isinstance(o, str) for o in outcomes), outcomes
    assert sorted(outcomes) == [f"ISK-2027-{n:04d}" for n in range(1, 7)], outcomes
