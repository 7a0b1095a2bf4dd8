"""The missed-deadline notices at scale (issue 17): an hourly run reads only what can be new since
the last complete run (``watch.models.MissedDeadlineMark``), and still tells every director of
every missed deadline exactly once.

Iskander's acknowledgement term is 5 werkdagen (tests/watch/test_periodic.py): received Thu
15 Apr 2027 -> due Thu 22 Apr; received Wed 21 Apr -> due Thu 29 Apr.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection

from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import MISSED_DEADLINE
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.vocabulary import RoleKind
from klachtenregister.watch import selectors
from klachtenregister.watch import services as deadline_watch
from klachtenregister.watch.models import MissedDeadlineMark
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, day
from tests.support.mail import race_at_once

ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers, so two runs cannot race",
)


@pytest.fixture
def dirk(iskander: Organisation) -> User:
    return UserFactory(
        username="dirk", full_name="Dirk Directeur", memberships=[(iskander, RoleKind.DIRECTOR)]
    )


def notices() -> list[tuple[int | None, str]]:
    return sorted(
        OutboxMessage.objects.filter(kind=MISSED_DEADLINE).values_list("complaint_id", "to_address")
    )


@pytest.mark.django_db
def test_a_rerun_does_not_read_the_deadlines_already_told(
    register: Callable[..., Complaint], dirk: User, iskander: Organisation
) -> None:
    first = register("2027-04-15")
    [notice] = deadline_watch.notify_missed_deadlines(day("2027-04-30"))
    assert notice.complaint == first

    mark = MissedDeadlineMark.objects.get(organisation=iskander)
    assert (mark.day, mark.directors) == (day("2027-04-30"), [dirk.pk])
    since = selectors.Since(mark.day, mark.below_id)
    # The deadline is still missed, but the next hour's run does not look at it again.
    assert [d.complaint_id for d in selectors.missed_deadlines(day("2027-04-30"))] == [first.pk]
    assert (
        list(selectors.missed_deadline_batches(day("2027-04-30"), iskander, [dirk.pk], since)) == []
    )
    assert deadline_watch.notify_missed_deadlines(day("2027-04-30")) == []
    assert notices() == [(first.pk, "dirk@example.org")]


@pytest.mark.django_db
def test_a_term_that_ran_out_before_the_last_run_but_was_written_after_it_is_told(
    register: Callable[..., Complaint],
    dirk: User,
    klara: User,
    iskander: Organisation,
    clock: Clock,
) -> None:
    first = register("2027-04-15")
    deadline_watch.notify_missed_deadlines(day("2027-04-30"))
    # Registered on Mon 3 May, received on 15 April: its acknowledgement ran out on 22 April,
    # before the day of the last run; the row is new all the same.
    clock.set("2027-05-03")
    late = register_complaint(iskander, klara, complaint_data("2027-04-15"))

    [notice] = deadline_watch.notify_missed_deadlines(day("2027-05-03"))

    assert notice.complaint == late
    assert notices() == sorted([(first.pk, "dirk@example.org"), (late.pk, "dirk@example.org")])


@pytest.mark.django_db
def test_a_director_appointed_later_hears_of_the_deadlines_still_missed_once(
    register: Callable[..., Complaint], dirk: User, iskander: Organisation
) -> None:
    first = register("2027-04-15")
    deadline_watch.notify_missed_deadlines(day("2027-04-30"))
    UserFactory(
        username="dora",
        full_name="Dora Directeur",
        memberships=[(iskander, RoleKind.DIRECTOR)],
        email="dora@example.org",
    )

    [notice] = deadline_watch.notify_missed_deadlines(day("2027-04-30"))

    assert (notice.complaint, notice.to_address) == (first, "dora@example.org")
    assert deadline_watch.notify_missed_deadlines(day("2027-05-03")) == []
    assert notices() == [(first.pk, "dirk@example.org"), (first.pk, "dora@example.org")]


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_workers_tell_each_missed_deadline_once(
    register: Callable[..., Complaint], dirk: User, iskander: Organisation
) -> None:
    complaints = [register("2027-04-15") for _ in range(3)] + [register("2027-04-21")]
    for on in ("2027-04-26", "2027-04-30"):
        outcomes = race_at_once([lambda on=on: deadline_watch.notify_missed_deadlines(day(on))] * 2)
        assert all(isinstance(o, list) for o in outcomes), outcomes

    assert notices() == sorted((c.pk, "dirk@example.org") for c in complaints)
    assert MissedDeadlineMark.objects.get(organisation=iskander).day == day("2027-04-30")
