"""The deadline watch's background task: one run of a periodic job, started by the scheduler."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from klachtenregister.watch import jobs


@task()
def run_job(job_name: str) -> str:
    """Run one periodic job the scheduler started for its period."""
    return jobs.run(job_name, timezone.now())
