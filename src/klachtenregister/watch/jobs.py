"""The periodic jobs: what each does and the periods it runs in (``scheduler`` starts them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from klachtenregister.correspondence import delivery
from klachtenregister.privacy import services as privacy
from klachtenregister.register import projection
from klachtenregister.watch import services
from klachtenregister.watch.models import PeriodicRun

DIGEST_HOUR = 7  # the digest goes out from 07:00 local time (Europe/Amsterdam)
RETENTION_HOUR = 3  # the AVG retention job runs from 03:00, before anyone works
KEEP_RUNS = dt.timedelta(days=7)  # older run rows are never looked at again


@dataclass(frozen=True)
class Job:
    name: str
    # The period that has begun at a local time, or None when the job is not due then.
    period: Callable[[dt.datetime], str | None]
    run: Callable[[dt.datetime], object]


def _hourly(local: dt.datetime) -> str:
    return local.strftime("%Y-%m-%dT%H")


def _daily_from_seven(local: dt.datetime) -> str | None:
    return local.date().isoformat() if local.hour >= DIGEST_HOUR else None


def _daily_from_three(local: dt.datetime) -> str | None:
    return local.date().isoformat() if local.hour >= RETENTION_HOUR else None


def _every_minute(local: dt.datetime) -> str:
    return local.strftime("%Y-%m-%dT%H:%M")


def _watch(now: dt.datetime) -> int:
    today = timezone.localdate(now)
    closed = services.carry_out_closures(today)
    # A term that ran out owes its if_missed to-do now, not at the complaint's next event.
    todos = projection.store_missed_todos(today)
    notices = services.notify_missed_deadlines(today, now)
    return len(closed) + todos + len(notices)


def _digest(now: dt.datetime) -> int:
    today = timezone.localdate(now)
    services.carry_out_closures(today)  # a closed complaint has nothing left to report
    projection.store_missed_todos(today)  # the digest lists the to-dos a missed term owes
    return len(services.send_digests(today, now))


def _outbox(now: dt.datetime) -> int:
    PeriodicRun.objects.filter(started_at__lt=now - KEEP_RUNS).delete()
    return delivery.deliver_due(now)


def _retention(now: dt.datetime) -> privacy.Pruned:
    return privacy.run_retention(now)


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("deadline_watch", _hourly, _watch),
        Job("digest", _daily_from_seven, _digest),
        Job("outbox", _every_minute, _outbox),
        Job("retention", _daily_from_three, _retention),
    )
}


def run(job_name: str, now: dt.datetime) -> str:
    result = JOBS[job_name].run(now)
    return f"{job_name}: {result}"
