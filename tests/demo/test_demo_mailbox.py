"""``run_demo_mailbox``, the demo's mail server, as ``make run`` starts it: a real process."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

from tests.support.mail import free_port

START_TIMEOUT = 60  # seconds; only reached when the server does not come up


def connect(port: int, process: subprocess.Popen[bytes]) -> smtplib.SMTP:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            return smtplib.SMTP("127.0.0.1", port, timeout=10)
        except OSError:
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "the demo mailbox did not start"
            time.sleep(0.1)


def test_the_demo_mailbox_keeps_each_message_as_an_eml_file(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "KLACHTENREGISTER_VAR_DIR": str(tmp_path),
        "KLACHTENREGISTER_SMTP_HOST": "127.0.0.1",
        "KLACHTENREGISTER_SMTP_PORT": str(port),
    }
    env.pop("DATABASE_URL", None)  # the mailbox needs no database
    process = subprocess.Popen(
        [sys.executable, "-m", "klachtenregister", "run_demo_mailbox"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        message = EmailMessage()
        message["From"] = "klachten@iskander.example"
        message["To"] = "de.vries@example.org"
        message["Subject"] = "Ontvangstbevestiging"
        message["Message-ID"] = "<test-1@klachtenregister.local>"
        message.set_content("Wij hebben uw klacht ontvangen.\n")
        with connect(port, process) as smtp:
            smtp.send_message(message)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=START_TIMEOUT)[0].decode()
    assert process.returncode == 0, output

    [stored] = (tmp_path / "mailbox").glob("*.eml")
    content = stored.read_bytes()
    assert b"Message-ID: <test-1@klachtenregister.local>" in content
    assert b"Wij hebben uw klacht ontvangen." in content
