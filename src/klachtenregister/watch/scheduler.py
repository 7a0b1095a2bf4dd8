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

from django.db import IntegrityError, transaction
from django.utils import timezone

from klachtenregister.watch.jobs import JOBS
from klachtenregister.watch.models import PeriodicRun
from klachtenregister.watch.tasks import run_job


def tick(now: dt.datetime) -> list[str]:
    """Start every job whose period has begun and that no scheduler started yet; the started
    jobs as ``job@period``."""
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
