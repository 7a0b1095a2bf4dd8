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
