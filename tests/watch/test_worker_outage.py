"""The worker survives the database going away (issue 16 §4), and ``/health`` tells a silent
worker from a working one.

The drill runs a real ``run_worker`` process against the test database (PostgreSQL only). The
outage is made without touching the shared server: new connections to the test database are
refused (``ALLOW_CONNECTIONS false``) and the worker's open ones are terminated, as a restart
does to them. Then the database comes back, and the worker must go on by itself: a new
heartbeat, and a message queued afterwards delivered, exactly once.
"""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from klachtenregister.correspondence import outbox
from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import DELIVERED, LETTER
from klachtenregister.register.models import Organisation
from klachtenregister.watch.models import WorkerHeartbeat
from tests.support.mail import Mailbox
from tests.support.worker_process import PATIENCE, eventually, worker_process

# --- /health -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_is_503_while_no_worker_has_beaten(client: Client) -> None:
    response = client.get("/health")

    assert response.status_code == 503
    assert response.json()["worker"] == {
        "status": "silent",
        "last_heartbeat": None,
        "silent_for_seconds": None,
    }


@pytest.mark.django_db
def test_health_reports_the_heartbeat_and_the_outbox_backlog(
    client: Client, iskander: Organisation, settings
) -> None:
    settings.WORKER_SILENT_AFTER = 120
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", started_at=now, beat_at=now)
    outbox.queue_message(
        organisation=iskander,
        kind=LETTER,
        key="letter:health",
        to_address="de.vries@example.org",
        to_name="Mevrouw De Vries",
        subject="Ontvangstbevestiging",
        body="Geachte mevrouw De Vries,\n",
    )

    ok = client.get("/health")
    WorkerHeartbeat.objects.update(beat_at=now - dt.timedelta(seconds=600))
    silent = client.get("/health")

    assert ok.status_code == 200
    assert ok.json()["status"] == "ok"
    assert ok.json()["worker"]["status"] == "ok"
    assert ok.json()["outbox"]["due"] == 1
    assert silent.status_code == 503
    assert silent.json()["worker"]["status"] == "silent"
    assert silent.json()["worker"]["silent_for_seconds"] >= 600


# --- the drill -----------------------------------------------------------------------------------


def _admin() -> psycopg.Connection:
    database = connection.settings_dict
    return psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def worker(mailbox: Mailbox, media_root: Path) -> Iterator[subprocess.Popen[str]]:
    with worker_process(mailbox, media_root) as process:
        yield process


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: a worker process shares the test database with the test",
)
@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_a_database_outage_and_delivers_afterwards(
    worker: subprocess.Popen[str], iskander: Organisation, mailbox: Mailbox
) -> None:
    name = connection.settings_dict["NAME"]
    own_pid = connection.cursor().connection.info.backend_pid
    eventually(lambda: WorkerHeartbeat.objects.exists(), "the worker's first heartbeat")

    with _admin() as admin:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> %s",
                (name, own_pid),
            )
            down_since = timezone.now()
            time.sleep(4)  # the outage: the worker must notice it and wait, not exit
            assert worker.poll() is None, "the worker stopped during the outage"
        finally:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')

    eventually(
        lambda: WorkerHeartbeat.objects.filter(beat_at__gt=down_since).exists(),
        "a heartbeat after the outage",
    )
    with transaction.atomic():
        message = outbox.queue_message(
            organisation=iskander,
            kind=LETTER,
            key="letter:after-outage",
            to_address="de.vries@example.org",
            to_name="Mevrouw De Vries",
            subject="Beslissing op uw klacht",
            body="Geachte mevrouw De Vries,\n",
        )
    eventually(
        lambda: OutboxMessage.objects.get(pk=message.pk).status == DELIVERED,
        "the message queued after the outage delivered",
    )

    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=PATIENCE)
    assert worker.returncode == 0, output
    assert "database unavailable" in output
    assert "database back" in output
    assert len(mailbox.received) == 1
    assert WorkerHeartbeat.objects.get().reconnects >= 1
