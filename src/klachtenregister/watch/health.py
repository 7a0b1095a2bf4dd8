"""The worker's heartbeat and what ``/health`` reports of it (issue 16 §4).

``beat`` is written by each ``run_worker`` every tick; ``worker_status`` reads the newest beat of
any worker and the outbox backlog. A worker silent for longer than
``settings.WORKER_SILENT_AFTER`` seconds (default 120) makes ``/health`` answer 503: e-mail and
the deadline watch have stopped, whatever the web pages say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min

from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import PENDING
from klachtenregister.watch.models import WorkerHeartbeat


def beat(worker_id: str, started_at: dt.datetime, now: dt.datetime, reconnects: int) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": now, "started_at": started_at, "reconnects": reconnects},
    )


@dataclass(frozen=True)
class WorkerStatus:
    last_beat: dt.datetime | None
    silent_for: float | None  # seconds since the last beat; None: no worker ever beat
    outbox_due: int  # pending messages whose time has come
    oldest_due_for: float | None  # seconds the oldest of them has waited

    @property
    def silent(self) -> bool:
        limit = float(settings.WORKER_SILENT_AFTER)
        if limit <= 0:
            return False
        return self.silent_for is None or self.silent_for > limit


def worker_status(now: dt.datetime) -> WorkerStatus:
    last = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    due = OutboxMessage.objects.filter(status=PENDING, next_attempt_at__lte=now)
    summary = due.aggregate(oldest=Min("next_attempt_at"))
    oldest = summary["oldest"]
    return WorkerStatus(
        last_beat=last,
        silent_for=(now - last).total_seconds() if last else None,
        outbox_due=due.count(),
        oldest_due_for=(now - oldest).total_seconds() if oldest else None,
    )
