"""Periodic jobs that start once per period, however many workers tick.

Every ``run_worker`` process calls ``tick(now)`` every 15 seconds. For each job whose period has
begun, ``tick`` inserts ``PeriodicRun(job, period)`` and enqueues ``run_job`` for it in one
transaction. The unique (job, period) pair lets exactly one insert commit: a second scheduler's
insert waits for the first transaction and then fails on the unique index (PostgreSQL), or finds
the row once it gets the write lock (SQLite), and enqueues nothing. Because the run row and the
task row commit together, a crash between them cannot leave a period marked but never run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from klachtenregister.correspondence import outbox
from klachtenregister.watch import services as deadline_watch
from klachtenregister.watch.models import PeriodicRun

DIGEST_HOUR = 7  # the digest goes out from 07:00 local time (Europe/Amsterdam)
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


def _every_minute(local: dt.datetime) -> str:
    return local.strftime("%Y-%m-%dT%H:%M")


def _watch(now: dt.datetime) -> int:
    today = timezone.localdate(now)
    closed = deadline_watch.carry_out_closures(today)
    notices = deadline_watch.notify_missed_deadlines(today, now)
    return len(closed) + len(notices)


def _digest(now: dt.datetime) -> int:
    today = timezone.localdate(now)
    deadline_watch.carry_out_closures(today)  # a closed complaint has nothing left to report
    return len(deadline_watch.send_digests(today, now))


def _outbox(now: dt.datetime) -> int:
    PeriodicRun.objects.filter(started_at__lt=now - KEEP_RUNS).delete()
    return outbox.deliver_due(now)


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("deadline_watch", _hourly, _watch),
        Job("digest", _daily_from_seven, _digest),
        Job("outbox", _every_minute, _outbox),
    )
}


def tick(now: dt.datetime) -> list[str]:
    """Start every job whose period has begun and that no scheduler started yet; the started
    jobs as ``job@period``."""
    from klachtenregister.correspondence.tasks import run_job  # the tasks import this module

    local = timezone.localtime(now)
    started = []
    for job in JOBS.values():
        period = job.period(local)
        if period is None:
            continue
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(job=job.name, period=period)
                run_job.enqueue(job.name)
        except IntegrityError:
            continue  # another scheduler started this period
        started.append(f"{job.name}@{period}")
    return started


def run(job_name: str, now: dt.datetime) -> str:
    result = JOBS[job_name].run(now)
    return f"{job_name}: {result}"
