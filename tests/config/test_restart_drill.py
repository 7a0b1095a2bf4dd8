"""The fault drill of issue 16 ("Done when"): the database restarts while a web process and a
worker run; afterwards both work without a restart of their own, nothing lost, nothing twice.

Real processes: gunicorn with two workers and production settings (as ``make serve`` runs it)
and ``run_worker`` delivering to a real SMTP server in-process (aiosmtpd). The restart is made
without touching the shared PostgreSQL server, which other databases use: the test database
refuses new connections (``ALLOW_CONNECTIONS false``) and every backend of it but the test's
own is terminated (``pg_terminate_backend``), which is what a restart does to the processes'
connections; then it accepts connections again. ``pg_ctl restart`` would stop every database on
the server, so this stand-in is the drill here.

Afterwards: ``/health`` is ok again (a fresh worker heartbeat), every request answers without a
500 (the requests made during the outage may fail: they are the requests in flight), and the
mail queued before, during and after the outage is delivered, each message exactly once.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import timezone

from klachtenregister.correspondence import outbox
from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import DELIVERED, LETTER
from klachtenregister.register.models import Organisation
from klachtenregister.watch.models import WorkerHeartbeat
from tests.support.mail import Mailbox, free_port
from tests.support.worker_process import (
    PATIENCE,
    database_url,
    eventually,
    stop,
    worker_process,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="restarts the connections of a PostgreSQL database"
)


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


def _get(port: int, path: str) -> int:
    """The status of a GET; 0 when no answer came (the connection broke)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


@pytest.fixture
def worker(mailbox: Mailbox, media_root: Path) -> Iterator[subprocess.Popen[str]]:
    with worker_process(mailbox, media_root) as process:
        yield process


@pytest.fixture
def web(tmp_path: Path) -> Iterator[int]:
    """gunicorn as ``make serve`` runs it: production settings, more than one worker."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KLACHTEN"))},
        "DATABASE_URL": database_url(),
        "KLACHTENREGISTER_ENV": "production",
        "KLACHTENREGISTER_VAR_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": "restart-drill-" + "s" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # TLS ends at a proxy in front; here the drill speaks plain HTTP to gunicorn.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    # As make serve: the pages' static files are collected first (the manifest storage needs it).
    subprocess.run(
        [sys.executable, "-m", "klachtenregister", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        check=True,
        timeout=PATIENCE,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "klachtenregister.config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        eventually(lambda: _get(port, "/health") != 0, "gunicorn answering")
        yield port
    finally:
        stop(process)


def _queue(organisation: Organisation, key: str) -> OutboxMessage:
    with transaction.atomic():
        return outbox.queue_message(
            organisation=organisation,
            kind=LETTER,
            key=key,
            to_address="de.vries@example.org",
            to_name="Mevrouw De Vries",
            subject=f"Bericht {key}",
            body="Geachte mevrouw De Vries,\n",
        )


def _delivered(message: OutboxMessage) -> bool:
    return OutboxMessage.objects.get(pk=message.pk).status == DELIVERED


@pytest.mark.django_db(transaction=True)
def test_after_a_database_restart_web_and_worker_work_on_nothing_lost_nothing_twice(
    worker: subprocess.Popen[str], web: int, iskander: Organisation, mailbox: Mailbox
) -> None:
    name = connection.settings_dict["NAME"]
    own_pid = connection.cursor().connection.info.backend_pid
    eventually(lambda: _get(web, "/health") == 200, "/health ok with a beating worker")
    before = _queue(iskander, "voor-de-herstart")
    eventually(lambda: _delivered(before), "the message queued before the restart delivered")
    # Both web workers hold a connection now (CONN_MAX_AGE keeps it between requests).
    assert {_get(web, "/health") for _ in range(6)} == {200}
    assert _get(web, "/inloggen/") == 200

    in_flight: list[int] = []

    def hammer(stop: threading.Event) -> None:
        while not stop.is_set():
            in_flight.append(_get(web, "/health"))
            time.sleep(0.1)

    stop = threading.Event()
    requests = threading.Thread(target=hammer, args=(stop,))
    with _admin() as admin:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        try:
            terminated = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> %s",
                (name, own_pid),
            ).fetchall()
            down_since = timezone.now()
            requests.start()
            # Mail queued while the database is down for everyone else (the test's own
            # connection stays): the worker must deliver it once it is back.
            during = _queue(iskander, "tijdens-de-herstart")
            time.sleep(4)
            assert worker.poll() is None, "the worker stopped during the outage"
        finally:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
            stop.set()
            requests.join(PATIENCE)
    assert len(terminated) >= 3, "the web workers and the worker kept connections to terminate"
    assert in_flight, "requests were made during the outage"

    # Back: the worker beats again without a restart, /health says so.
    eventually(
        lambda: WorkerHeartbeat.objects.filter(beat_at__gt=down_since).exists(),
        "a heartbeat after the restart",
    )
    eventually(lambda: _get(web, "/health") == 200, "/health ok after the restart")
    statuses = [_get(web, path) for _ in range(10) for path in ("/health", "/inloggen/")]
    assert 500 not in statuses and 0 not in statuses, statuses
    assert set(statuses) == {200}, statuses

    after = _queue(iskander, "na-de-herstart")
    eventually(lambda: _delivered(during), "the message queued during the restart delivered")
    eventually(lambda: _delivered(after), "the message queued after the restart delivered")

    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=PATIENCE)
    assert worker.returncode == 0, output
    assert "database unavailable" in output and "database back" in output
    # Nothing lost, nothing twice.
    subjects = sorted(str(r.message["Subject"]) for r in mailbox.received)
    assert subjects == [
        "Bericht na-de-herstart",
        "Bericht tijdens-de-herstart",
        "Bericht voor-de-herstart",
    ]
    assert set(mailbox.message_ids().values()) == {1}
    assert OutboxMessage.objects.exclude(status=DELIVERED).count() == 0
    assert WorkerHeartbeat.objects.get().beat_at > down_since - dt.timedelta(seconds=1)
