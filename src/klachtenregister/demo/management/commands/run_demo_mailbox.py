"""``run_demo_mailbox``: the demo's mail server. An SMTP server (aiosmtpd) on SMTP_HOST and
SMTP_PORT that keeps every message it receives as an ``.eml`` file in DEMO_MAILBOX_DIR, so the
e-mail the worker delivers in the demo can be opened with any mail program."""

from __future__ import annotations

import signal
import threading
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class MailboxHandler:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        target = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        partial = target.with_suffix(".part")  # a mail program never sees half a message
        partial.write_bytes(envelope.original_content or b"")
        partial.rename(target)
        return "250 Message accepted for delivery"


class Command(BaseCommand):
    help = "Run the demo SMTP server that stores every received message as an .eml file."

    def handle(self, **options: Any) -> None:
        directory = Path(settings.DEMO_MAILBOX_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        controller = Controller(
            MailboxHandler(directory), hostname=settings.SMTP_HOST, port=settings.SMTP_PORT
        )
        stopped = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopped.set())
        controller.start()
        self.stdout.write(
            f"Demo mailbox on {settings.SMTP_HOST}:{settings.SMTP_PORT}, messages in {directory}"
        )
        try:
            stopped.wait()
        finally:
            controller.stop()
