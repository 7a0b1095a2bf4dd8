"""The periodic jobs: once per period with any number of workers; closures, digests, notices.

Iskander's acknowledgement term is 5 werkdagen, its handling term 4 weken. Counted by hand on
nl-atw, with Koningsdag Tue 27 Apr 2027 (tests/backoffice/test_watchlist.py):
received Thu 15 Apr -> acknowledgement due Thu 22 Apr; Tue 20 Apr -> Wed 28 Apr;
Wed 21 Apr -> Thu 29 Apr. On Fri 23 Apr "binnen 2 werkdagen" is up to Wed 28 Apr (Mon 26, and
Wed 28 after Koningsdag); on Mon 26 Apr up to Thu 29 Apr.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import DIGEST, MISSED_DEADLINE
from klachtenregister.register.models import Complaint, ComplaintEvent, Organisation
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.vocabulary import RoleKind
from klachtenregister.watch import jobs, scheduler
from klachtenregister.watch import services as deadline_watch
from klachtenregister.watch.models import PeriodicRun
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, day, record
from tests.support.mail import race_at_once

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "needs PostgreSQL: SQLite serialises writers on one file, so two connections cannot "
        "race on a row"
    ),
)
ACKNOWLEDGEMENT = "Schriftelijke ontvangstbevestiging met informatie over de procedure"


def local(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso).replace(tzinfo=AMSTERDAM)


def agreement_story(organisation: Organisation, klara: User, piet: User, clock: Clock) -> Complaint:
    """Iskander story B up to the registered letter, delivered Mon 10 May 2027: the complainant
    has until Tue 18 May to react; without a reaction the regulation closes it on Wed 19 May."""
    clock.set("2027-04-20")
    complaint = register_complaint(organisation, klara, complaint_data("2027-04-20"))
    assigned = ({"handler": "Piet Pietersen"}, {"handler": piet.pk})
    for on, actor, event, details, people in [
        ("2027-04-26", klara, "acknowledged", {}, {}),
        ("2027-04-26", klara, "handler_assigned", *assigned),
        ("2027-04-28", piet, "consultation_held", {"outcome": "agreement"}, {}),
        ("2027-04-28", klara, "resolved_informally", {}, {}),
        ("2027-05-04", klara, "agreement_letter_sent", {}, {}),
        ("2027-05-10", klara, "registered_letter_delivered", {}, {}),
    ]:
        clock.set(on)
        record(complaint, actor, event, on, details, people)
    return complaint


# --- once per period ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_job_starts_once_per_period() -> None:
    assert scheduler.tick(local("2027-05-19T02:59:30")) == [
        "deadline_watch@2027-05-19T02",
        "outbox@2027-05-19T02:59",
    ]
    # The AVG retention job once a day, from 03:00.
    assert scheduler.tick(local("2027-05-19T06:59:30")) == [
        "deadline_watch@2027-05-19T06",
        "outbox@2027-05-19T06:59",
        "retention@2027-05-19",
    ]
    assert scheduler.tick(local("2027-05-19T06:59:45")) == []
    assert scheduler.tick(local("2027-05-19T07:00:05")) == [
        "deadline_watch@2027-05-19T07",
        "digest@2027-05-19",
        "outbox@2027-05-19T07:00",
    ]
    assert scheduler.tick(local("2027-05-19T07:00:20")) == []
    assert scheduler.tick(local("2027-05-19T07:01:00")) == ["outbox@2027-05-19T07:01"]
    assert scheduler.tick(local("2027-05-19T15:00:00")) == [
        "deadline_watch@2027-05-19T15",
        "outbox@2027-05-19T15:00",
    ]
    tasks = DBTaskResult.objects.filter(task_path="klachtenregister.watch.tasks.run_job")
    assert sorted(t.args_kwargs["args"][0] for t in tasks) == sorted(
        ["deadline_watch"] * 4 + ["digest"] + ["outbox"] * 5 + ["retention"]
    )
    assert PeriodicRun.objects.count() == 11


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_ticking_at_once_start_each_job_once() -> None:
    for round_ in range(5):
        now = local("2027-05-19T08:00:00") + dt.timedelta(days=round_)
        outcomes = race_at_once([lambda now=now: scheduler.tick(now)] * 2)
        assert all(isinstance(o, list) for o in outcomes), outcomes
        started = sorted(outcomes[0] + outcomes[1])
        when = now.strftime("%Y-%m-%dT%H")
        assert started == [
            f"deadline_watch@{when}",
            f"digest@{now.date().isoformat()}",
            f"outbox@{when}:00",
            f"retention@{now.date().isoformat()}",
        ], (round_, outcomes)
    runs = DBTaskResult.objects.filter(task_path="klachtenregister.watch.tasks.run_job")
    assert runs.count() == 20
    assert PeriodicRun.objects.count() == 20


# --- closures ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_closure_job_closes_a_silent_complaint_once(
    iskander: Organisation, klara: User, piet: User, clock: Clock
) -> None:
    complaint = agreement_story(iskander, klara, piet, clock)
    assert deadline_watch.carry_out_closures(day("2027-05-18")) == []

    [closed] = deadline_watch.carry_out_closures(day("2027-05-19"))

    assert (closed.event, closed.on, closed.actor) == ("closed", day("2027-05-19"), None)
    complaint.refresh_from_db()
    assert complaint.state == "closed"
    assert deadline_watch.carry_out_closures(day("2027-05-20")) == []
    assert complaint.events.filter(event="closed").count() == 1


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_workers_carry_out_a_closure_exactly_once(
    iskander: Organisation, klara: User, piet: User, clock: Clock
) -> None:
    complaints = [agreement_story(iskander, klara, piet, clock) for _ in range(3)]
    outcomes = race_at_once([lambda: deadline_watch.carry_out_closures(day("2027-05-19"))] * 2)

    assert all(isinstance(o, list) for o in outcomes), outcomes
    stored = outcomes[0] + outcomes[1]
    assert sorted(e.complaint_id for e in stored) == sorted(c.pk for c in complaints)
    for complaint in complaints:
        complaint.refresh_from_db()
        assert complaint.state == "closed"
        assert ComplaintEvent.objects.filter(complaint=complaint, event="closed").count() == 1


# --- the morning digest ------------------------------------------------------------------------


@pytest.fixture
def three(
    register: Callable[..., Complaint], clock: Clock, klara: User, piet: User
) -> dict[str, Complaint]:
    """Complaints received 15, 20 and 21 April; Piet handles the one of 20 April."""
    complaints = {on: register(on) for on in ("2027-04-15", "2027-04-20", "2027-04-21")}
    clock.set("2027-04-21")
    record(
        complaints["2027-04-20"],
        klara,
        "handler_assigned",
        "2027-04-21",
        {"handler": "Piet Pietersen"},
        {"handler": piet.pk},
    )
    return complaints


def digest_of(user: User) -> OutboxMessage:
    return OutboxMessage.objects.get(kind=DIGEST, to_address=user.email)


@pytest.mark.django_db
def test_the_digest_lists_overdue_and_soon_deadlines_per_coordinator_and_handler(
    three: dict[str, Complaint],
    klara: User,
    piet: User,
    iskander: Organisation,
    settings: Any,
) -> None:
    settings.SITE_URL = "https://klachten.example.nl"
    first, second, _later = (three[d] for d in ("2027-04-15", "2027-04-20", "2027-04-21"))

    messages = deadline_watch.send_digests(day("2027-04-23"))

    assert sorted(m.to_address for m in messages) == ["klara@example.org", "piet@example.org"]
    coordinator = digest_of(klara)
    assert coordinator.key == f"digest:iskander:{klara.pk}:2027-04-23"
    assert coordinator.subject == ("Termijnbewaking Iskander, vrijdag 23 april 2027: 2 termijnen")
    assert coordinator.body == (
        "Beste Klara Klachtenfunctionaris,\n"
        "\n"
        "Deze termijnen van klachten van Iskander zijn verlopen of lopen binnen 2 werkdagen af:\n"
        "\n"
        f"{first.reference} - {ACKNOWLEDGEMENT}\n"
        "  uiterlijk donderdag 22 april 2027 (verlopen)\n"
        f"  https://klachten.example.nl/o/iskander/klachten/{first.reference}/\n"
        "\n"
        f"{second.reference} - {ACKNOWLEDGEMENT}\n"
        "  uiterlijk woensdag 28 april 2027 (binnen 2 werkdagen)\n"
        f"  https://klachten.example.nl/o/iskander/klachten/{second.reference}/\n"
        "\n"
        "Dit overzicht komt elke werkdag van het Klachtenregister.\n"
    )
    # The HTML part says the same, with the links clickable.
    link = f'<a href="https://klachten.example.nl/o/iskander/klachten/{first.reference}/">'
    assert link in coordinator.html_body
    assert "uiterlijk woensdag 28 april 2027 (binnen 2 werkdagen)" in coordinator.html_body
    handler = digest_of(piet)
    assert handler.key == f"digest:iskander:{piet.pk}:2027-04-23"
    assert second.reference in handler.body
    assert first.reference not in handler.body
    assert handler.body.count("/o/iskander/klachten/") == 1
    assert {m.organisation for m in messages} == {iskander}


@pytest.mark.django_db
def test_the_digest_goes_out_once_a_day(
    three: dict[str, Complaint], klara: User, piet: User
) -> None:
    deadline_watch.send_digests(day("2027-04-26"))
    deadline_watch.send_digests(day("2027-04-26"))
    assert OutboxMessage.objects.filter(kind=DIGEST).count() == 2
    deadline_watch.send_digests(day("2027-04-28"))
    assert OutboxMessage.objects.filter(kind=DIGEST).count() == 4


@pytest.mark.parametrize(
    "on", ["2027-04-24", "2027-04-25", "2027-04-27"], ids=["saturday", "sunday", "koningsdag"]
)
@pytest.mark.django_db
def test_no_digest_on_a_day_off(three: dict[str, Complaint], on: str) -> None:
    assert deadline_watch.send_digests(day(on)) == []
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_no_digest_without_anything_to_report_or_without_an_address(
    register: Callable[..., Complaint],
    klara: User,
    iskander: Organisation,
) -> None:
    UserFactory(
        username="kees",
        full_name="Kees Zonderadres",
        memberships=[(iskander, RoleKind.COORDINATOR)],
        email="",
    )
    register("2027-04-21")  # acknowledgement due Thu 29 Apr: on Fri 23 Apr, "later"
    assert deadline_watch.send_digests(day("2027-04-23")) == []
    # Wed 28 Apr: due within 2 working days, but Kees has no address: only Klara's digest.
    [digest] = deadline_watch.send_digests(day("2027-04-28"))
    assert digest.to_address == "klara@example.org"
    assert digest.subject == "Termijnbewaking Iskander, woensdag 28 april 2027: 1 termijn"


# --- missed deadlines --------------------------------------------------------------------------


@pytest.fixture
def dirk(iskander: Organisation) -> User:
    return UserFactory(
        username="dirk", full_name="Dirk Directeur", memberships=[(iskander, RoleKind.DIRECTOR)]
    )


@pytest.mark.django_db
def test_a_missed_deadline_is_told_to_the_director_once(
    three: dict[str, Complaint], dirk: User, klara: User, clock: Clock, settings: Any
) -> None:
    settings.SITE_URL = "https://klachten.example.nl"
    first, second, third = (three[d] for d in ("2027-04-15", "2027-04-20", "2027-04-21"))
    record(second, klara, "acknowledged", "2027-04-21")

    assert deadline_watch.notify_missed_deadlines(day("2027-04-22")) == []  # due today: not yet
    for _ in range(3):  # every hour, the same missed deadline
        deadline_watch.notify_missed_deadlines(day("2027-04-23"))
    [notice] = OutboxMessage.objects.filter(kind=MISSED_DEADLINE)
    assert notice.to_address == "dirk@example.org"
    assert notice.complaint == first
    assert notice.key == f"missed:{first.pk}:ontvangstbevestiging:2027-04-15:{dirk.pk}"
    assert notice.subject == f"Termijn verstreken: {first.reference}, {ACKNOWLEDGEMENT}"
    assert notice.body == (
        f"Bij klacht {first.reference} van Iskander is een termijn verstreken zonder dat die "
        "is gehaald.\n"
        "\n"
        f"Termijn: {ACKNOWLEDGEMENT}\n"
        "Begonnen op: donderdag 15 april 2027\n"
        "Uiterlijk: donderdag 22 april 2027\n"
        "\n"
        f"Klacht: https://klachten.example.nl/o/iskander/klachten/{first.reference}/\n"
    )

    # Fri 30 Apr: the third complaint's acknowledgement (due Thu 29 Apr) is missed too; the
    # second one's was met.
    deadline_watch.notify_missed_deadlines(day("2027-04-30"))
    notices = OutboxMessage.objects.filter(kind=MISSED_DEADLINE)
    assert sorted(n.complaint_id for n in notices) == [first.pk, third.pk]


@pytest.mark.django_db
def test_the_hourly_job_closes_first_and_a_silence_term_is_no_missed_deadline(
    iskander: Organisation, klara: User, piet: User, dirk: User, clock: Clock
) -> None:
    complaint = agreement_story(iskander, klara, piet, clock)
    # Wed 19 May, before the closure is stored: the silence term has passed, but it is not a
    # deadline anyone misses.
    assert deadline_watch.notify_missed_deadlines(day("2027-05-19")) == []

    for _ in range(2):
        jobs.run("deadline_watch", local("2027-05-19T09:00"))
    complaint.refresh_from_db()
    assert complaint.state == "closed"
    assert complaint.events.filter(event="closed").count() == 1
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_the_digest_job_sends_from_seven_on_a_working_day(
    three: dict[str, Complaint], klara: User, piet: User
) -> None:
    jobs.run("digest", local("2027-04-26T07:00"))
    assert OutboxMessage.objects.filter(kind=DIGEST).count() == 2


@pytest.mark.django_db
def test_loket3_definitie_anonymous_complaint_no_missed_acknowledgement_notice(
    loket3: Organisation, clock: Clock
) -> None:
    """Loket3 takes anonymous complaints; the acknowledgement (Handelswijze 3) cannot be sent
    without contact details: its term is 'niet van toepassing', and no director is told."""
    coordinator = UserFactory(username="lotte", memberships=[(loket3, RoleKind.COORDINATOR)])
    UserFactory(username="dora", memberships=[(loket3, RoleKind.DIRECTOR)])
    clock.set("2027-04-22")
    complaint = register_complaint(
        loket3, coordinator, complaint_data("2027-04-22", complainant_name="", anonymous=True)
    )

    deadline_watch.notify_missed_deadlines(day("2027-05-31"))

    assert not OutboxMessage.objects.filter(kind=MISSED_DEADLINE).exists()
    row = complaint.deadlines.get(deadline_id="ontvangstbevestiging")
    assert (row.status, row.running) == ("not_applicable", False)


@pytest.mark.django_db
def test_the_jobs_queries_do_not_grow_with_complaints_that_need_nothing(
    three: dict[str, Complaint],
    dirk: User,
    klara: User,
    iskander: Organisation,
    register: Callable[..., Complaint],
    clock: Clock,
) -> None:
    # On Fri 30 Apr the complaint of 15 April has a missed acknowledgement (a notice to Dirk);
    # complaints received that same day need nothing: their terms run until May. Each job asks
    # the same number of questions with 2 of those as with 20: it reads only the complaints
    # with something to do, from the deadlines' index, not every open complaint with its
    # regulation.
    today = day("2027-04-30")
    first = three["2027-04-15"]

    def queries() -> dict[str, int]:
        counts = {}
        for name, job in (
            ("closures", lambda: deadline_watch.carry_out_closures(today)),
            ("missed", lambda: deadline_watch.notify_missed_deadlines(today)),
            ("digest", lambda: deadline_watch.send_digests(today)),
        ):
            with CaptureQueriesContext(connection) as captured:
                job()
            counts[name] = len(captured)
        return counts

    for _ in range(2):
        register("2027-04-30")
    clock.set("2027-04-30")
    queries()  # the first run queues the notice and the digest; then nothing new
    assert OutboxMessage.objects.filter(kind=MISSED_DEADLINE, complaint=first).count() == 1
    few = queries()
    for _ in range(18):
        register("2027-04-30")
    clock.set("2027-04-30")
    assert queries() == few
    assert Complaint.objects.filter(organisation=iskander).count() == 23
