"""The worker killed in the middle of a delivery (PostgreSQL only, real worker processes).

``python -m klachtenregister run_worker --once`` runs as a subprocess against the test
database and the in-process SMTP server. The server's hooks SIGKILL the worker at the moment
under test and wait until it is gone before answering, so the worker never sees the answer:

- after the message's terminating "." arrived (the server has the message): the row was
  committed IN_DOUBT before the terminator went out; a restarted worker sends no second copy;
- at RCPT, before any DATA: the row stays SENDING; the server has nothing. A restarted worker
  leaves it alone while the lease runs; once the lease has run out it is sent, exactly once.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from klachtenregister.correspondence import delivery, outbox
from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import DELIVERED, IN_DOUBT, LETTER, SENDING
from klachtenregister.register.models import Organisation
from tests.support.mail import Mailbox

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: a worker process shares the test database with the test",
    ),
    pytest.mark.django_db(transaction=True),
]

WORKER_TIMEOUT = 120  # seconds; only reached when something hangs


class Worker:
    """Starts ``run_worker --once`` processes against the test database and the mailbox."""

    def __init__(self, mailbox: Mailbox, media_root: Path) -> None:
        database = connection.settings_dict
        url = (
            f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}"
            f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        )
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "KLACHTENREGISTER_SMTP_HOST": "127.0.0.1",
            "KLACHTENREGISTER_SMTP_PORT": str(mailbox.port),
            "KLACHTENREGISTER_MEDIA_DIR": str(media_root),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def run(self) -> int:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "klachtenregister", "run_worker", "--once"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        output, _ = self.process.communicate(timeout=WORKER_TIMEOUT)
        self.output = output.decode(errors="replace")
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL the running worker and wait until it is gone (called from a server hook)."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(WORKER_TIMEOUT)


def queue(organisation: Organisation) -> OutboxMessage:
    with transaction.atomic():
        return outbox.queue_message(
            organisation=organisation,
            kind=LETTER,
            key="letter:crash",
            to_address="de.vries@example.org",
            to_name="Mevrouw De Vries",
            subject="Beslissing op uw klacht",
            body="Geachte mevrouw De Vries,\n",
        )


@pytest.fixture
def worker(mailbox: Mailbox, media_root: Path) -> Worker:
    return Worker(mailbox, media_root)


def test_a_worker_killed_after_the_message_ended_sends_no_duplicate(
    mailbox: Mailbox, worker: Worker, iskander: Organisation
) -> None:
    message = queue(iskander)
    mailbox.on_data = worker.kill

    assert worker.run() == -signal.SIGKILL
    assert mailbox.message_ids() == {delivery.message_id(message): 1}
    message.refresh_from_db()
    assert (message.status, message.attempts) == (IN_DOUBT, 1)

    mailbox.on_data = None
    assert worker.run() == 0, worker.output

    assert mailbox.message_ids() == {delivery.message_id(message): 1}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.delivered_at) == (IN_DOUBT, 1, None)


def test_a_worker_killed_before_the_message_ended_is_sent_once_after_the_lease(
    mailbox: Mailbox, worker: Worker, iskander: Organisation
) -> None:
    message = queue(iskander)
    mailbox.on_rcpt = worker.kill

    assert worker.run() == -signal.SIGKILL
    message.refresh_from_db()
    assert (message.status, message.attempts) == (SENDING, 1)
    assert mailbox.received == []

    mailbox.on_rcpt = None
    assert worker.run() == 0, worker.output
    message.refresh_from_db()
    assert message.status == SENDING, "taken back before its lease ran out"
    assert mailbox.received == []

    # The lease runs out: as if the claim were made eleven minutes ago.
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=message.claimed_at - delivery.LEASE - dt.timedelta(minutes=1)
    )
    assert worker.run() == 0, worker.output

    assert mailbox.message_ids() == {delivery.message_id(message): 1}
    message.refresh_from_db()
    assert (message.status, message.attempts) == (DELIVERED, 2)


def test_the_worker_delivers_what_was_queued(
    mailbox: Mailbox, worker: Worker, iskander: Organisation
) -> None:
    """The control case: the same worker, not killed, delivers the message."""
    message = queue(iskander)
    assert worker.run() == 0, worker.output
    assert mailbox.message_ids() == {delivery.message_id(message): 1}
    message.refresh_from_db()
    assert message.status == DELIVERED
