"""An SMTP server in-process for the outbox and deadline watch tests (the ``mailbox`` fixture in
tests/conftest.py), and racing threads at once (``from tests.support.mail import ...``)."""

from __future__ import annotations

import email
import email.policy
import socket
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.clock_and_race import at_once, race


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.content, policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class Mailbox:
    port: int
    received: list[Received] = field(default_factory=list)
    on_rcpt: Callable[[], None] | None = None
    on_data: Callable[[], None] | None = None
    rcpt_reply: str = "250 OK"
    data_reply: str = "250 Message accepted for delivery"
    _controller: Controller | None = None

    async def handle_RCPT(  # aiosmtpd's hook names
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.on_rcpt is not None:
            self.on_rcpt()
        if self.rcpt_reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return self.rcpt_reply

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        # Called once the terminating "." has arrived, before the server answers.
        if self.data_reply.startswith("250"):
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            )
        if self.on_data is not None:
            self.on_data()
        return self.data_reply

    def start(self) -> None:
        assert self._controller is None
        # A stopped controller's event loop is closed: every start needs a new one.
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> Counter[str]:
        return Counter(str(r.message["Message-ID"]) for r in self.received)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def text_of(mail: EmailMessage) -> str:
    """The plain-text body as written (the wire's CRLF line ends back to newlines)."""
    return str(mail.get_body(("plain",)).get_content()).replace("\r\n", "\n")  # type: ignore[union-attr]


def race_at_once(tasks: list[Callable[[], Any]]) -> list[Any]:
    """``race`` with tasks that start together and need no barrier of their own."""
    return race([at_once(task) for task in tasks])
