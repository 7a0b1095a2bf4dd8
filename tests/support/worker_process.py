"""The worker as a separate process, as production runs it, against the test database and the
in-process SMTP server; shared by the outage tests and the restart drill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from tests.support.mail import Mailbox

PATIENCE = 120  # seconds; only reached when something is wrong


def eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"not within {PATIENCE} s: {what}")


def database_url() -> str:
    """The test database as a URL a child process reads from ``DATABASE_URL``."""
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}"
        f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(PATIENCE)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def worker_process(mailbox: Mailbox, media_root: Path) -> Iterator[subprocess.Popen[str]]:
    """``run_worker`` with a half-second tick, giving up after two failed reconnections."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "KLACHTENREGISTER_SMTP_HOST": "127.0.0.1",
        "KLACHTENREGISTER_SMTP_PORT": str(mailbox.port),
        "KLACHTENREGISTER_MEDIA_DIR": str(media_root),
        "KLACHTENREGISTER_WORKER_RECONNECT_MAX": "2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "klachtenregister", "run_worker", "--tick", "0.5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        stop(process)
