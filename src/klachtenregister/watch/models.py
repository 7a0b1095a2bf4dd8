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
