"""The periodic jobs' runs: one row per job and period, so a job starts once per period."""

from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """That a periodic job was started for a period: the unique pair makes it once per period,
    however many workers' schedulers try."""

    job = models.CharField(max_length=64)
    period = models.CharField(max_length=64)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-started_at",)
        constraints = (
            models.UniqueConstraint(fields=["job", "period"], name="watch_periodicrun_unique"),
        )

    def __str__(self) -> str:
        return f"{self.job} {self.period}"


class WorkerHeartbeat(models.Model):
    """A worker's last sign of life: ``run_worker`` writes it every tick (15 s by default), so
    ``/health`` can tell a silent worker from a quiet one (issue 16 §4)."""

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    # Times it lost the database since it started and got it back.
    reconnects = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-beat_at",)

    def __str__(self) -> str:
        return f"{self.worker_id} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class MissedDeadlineMark(models.Model):
    """How far the missed-deadline notices of an organisation have looked, so an hourly run
    reads only what can be new (issue 17): the deadlines that ran out since ``day`` and the
    deadline rows written since ``below_id``. The outbox keys keep each notice once; this only
    spares a run the deadlines noticed before.

    A run that started on ``day`` with ``below_id`` the highest deadline row id then (read after
    every transaction writing deadline rows had finished) told the ``directors`` of every
    deadline that had run out by then, in rows up to that id. The projection never changes a
    deadline row in place (a new event deletes and writes them again, with new ids), so such a
    row is told and stays told; other directors than these make the next run look at all."""

    organisation = models.OneToOneField(
        "register.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    below_id = models.BigIntegerField()
    # The ids of the directors with an e-mail address the run told, sorted.
    directors = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day} {self.below_id}"
