"""Delivering the outbox exactly once (docs/architecture.md, "Outbox").

1. Claim: in a short transaction, one due row (PENDING, ``next_attempt_at <= now``) is locked
   with ``SELECT ... FOR UPDATE SKIP LOCKED`` (on SQLite the whole database, with an exclusive
   transaction), set to SENDING with ``claimed_by``/``claimed_at`` and ``attempts + 1``, and
   committed. Several workers never claim the same row.
2. Outside any transaction: connect, MAIL FROM, RCPT TO, DATA, and send the dot-stuffed message
   *without* the final ``.``. The server has not accepted anything yet: a crash here leaves the
   row SENDING, the server discards the unterminated message when the connection drops, and
   ``release_stale`` returns the row to PENDING once its lease (10 minutes) has run out.
3. Commit IN_DOUBT (only if the row is still ours and SENDING).
4. Send the terminator ``.`` and read the reply. 250: DELIVERED with ``delivered_at``. A 4xx
   reply: PENDING again with back-off (1, 2, 4, 8 ... minutes, at most 6 hours); a 5xx reply or
   the tenth failed attempt: FAILED. ``last_error`` keeps the reason.
   No reply (the connection broke, the worker crashed) after the terminator went out: the row
   stays IN_DOUBT, for a person to settle (``outbox.resend`` or ``outbox.mark_delivered``).

Every attempt carries the same ``Message-ID: <message_uuid@MAIL_DOMAIN>``: the idempotency key
travels with the message. An SMTP outage loses nothing: the rows wait with their back-off.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import logging
import os
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from django.conf import settings
from django.db.models import F, QuerySet
from django_tasks_db.utils import exclusive_transaction

from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import (
    DELIVERED,
    FAILED,
    IN_DOUBT,
    PENDING,
    SENDING,
)
from klachtenregister.correspondence.selectors import letterhead_of
from klachtenregister.register.models import Organisation

logger = logging.getLogger(__name__)

# A claimed row whose worker has not moved it on within the lease is taken back. It is far longer
# than one attempt can take (connect, send and the reply each time out after SMTP_TIMEOUT).
LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 10
FIRST_BACKOFF = dt.timedelta(minutes=1)
MAX_BACKOFF = dt.timedelta(hours=6)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 ... minutes, capped."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}"


def release_stale(now: dt.datetime) -> int:
    """Return SENDING rows whose lease ran out to PENDING: their worker died before sending the
    terminator, so the server discarded the message and sending it again makes no duplicate."""
    return OutboxMessage.objects.filter(status=SENDING, claimed_at__lt=now - LEASE).update(
        status=PENDING,
        next_attempt_at=now,
        claimed_by="",
        last_error="Verzending afgebroken (werker gestopt voor het einde van het bericht).",
    )


def deliver_due(now: dt.datetime, worker_id: str = "", *, limit: int | None = None) -> int:
    """Deliver every message that is due at ``now``, one claim at a time; how many arrived."""
    worker_id = worker_id or default_worker_id()
    release_stale(now)
    delivered = 0
    tried = 0
    while limit is None or tried < limit:
        message = _claim(now, worker_id)
        if message is None:
            break
        tried += 1
        delivered += _attempt(message, now, worker_id)
    return delivered


def deliver_one(message_id: int, now: dt.datetime, worker_id: str = "") -> bool:
    """Deliver one message if it is due (the task queued for it); False when it is not due,
    taken by another worker, or not delivered now."""
    worker_id = worker_id or default_worker_id()
    message = _claim(now, worker_id, pk=message_id)
    return message is not None and bool(_attempt(message, now, worker_id))


def _claim(now: dt.datetime, worker_id: str, pk: int | None = None) -> OutboxMessage | None:
    due = OutboxMessage.objects.filter(status=PENDING, next_attempt_at__lte=now)
    if pk is not None:
        due = due.filter(pk=pk)
    # exclusive_transaction is atomic() on PostgreSQL; on SQLite (no row locks) it takes the
    # database's write lock at BEGIN so two workers cannot both read the row as PENDING.
    with exclusive_transaction():
        message = due.select_for_update(skip_locked=True).order_by("next_attempt_at", "pk").first()
        if message is None:
            return None
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=SENDING, claimed_by=worker_id, claimed_at=now, attempts=F("attempts") + 1
        )
    message.refresh_from_db()
    return message


def _mine(message: OutboxMessage, worker_id: str, status: str) -> QuerySet[OutboxMessage]:
    """The row, only while this worker holds it in ``status`` (not taken back by the sweep)."""
    return OutboxMessage.objects.filter(pk=message.pk, status=status, claimed_by=worker_id)


class _Reply(Exception):
    """The server answered a command with something else than going on."""

    def __init__(self, code: int, text: bytes | str) -> None:
        self.code = code
        self.text = text.decode(errors="replace") if isinstance(text, bytes) else text
        super().__init__(f"{code} {self.text}")


class _LeaseLost(Exception):
    """The row was taken back by the lease sweep while this worker was still sending."""


@dataclass(frozen=True)
class _Outcome:
    status: str
    error: str = ""
    permanent: bool = False


def _attempt(message: OutboxMessage, now: dt.datetime, worker_id: str) -> int:
    """Send one claimed message; returns 1 when delivered. Never inside a transaction: the
    IN_DOUBT mark must be committed before the terminator goes out."""
    try:
        content = render(message, now)
    except (OSError, ValueError) as exc:
        # A missing or unreadable attachment file: retrying later may find it back.
        logger.warning("outbox message %s: cannot be rendered", message.pk, exc_info=True)
        outcome = _Outcome(PENDING, f"Bericht niet op te maken: {exc}")
        return _finish(message, worker_id, outcome, now)
    except Exception as exc:
        # A bug, not a missing file: logged with its traceback. The row is released for a retry
        # all the same; raised, it would stay claimed, and be claimed first again on every run
        # once its lease ran out, holding up every other message.
        logger.exception("outbox message %s: rendering failed", message.pk)
        outcome = _Outcome(PENDING, f"Bericht niet op te maken: {type(exc).__name__}: {exc}")
        return _finish(message, worker_id, outcome, now)
    outcome = _send(message, content, worker_id)
    return _finish(message, worker_id, outcome, now)


def _send(message: OutboxMessage, content: bytes, worker_id: str) -> _Outcome:
    terminator_sent = False
    smtp: smtplib.SMTP | None = None
    try:
        smtp = smtplib.SMTP(settings.SMTP_HOST, settings.SMTP_PORT, timeout=settings.SMTP_TIMEOUT)
        smtp.ehlo()
        if settings.SMTP_STARTTLS:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if settings.SMTP_USER:
            smtp.login(settings.SMTP_USER, settings.SMTP_PASSWORD)
        code, text = smtp.mail(sender_address(message.organisation))
        if code != 250:
            raise _Reply(code, text)
        code, text = smtp.rcpt(message.to_address)
        if code not in (250, 251):
            raise _Reply(code, text)
        smtp.putcmd("data")
        code, text = smtp.getreply()
        if code != 354:
            raise _Reply(code, text)
        smtp.send(content)  # everything but the terminator: the server keeps nothing yet
        if _mine(message, worker_id, SENDING).update(status=IN_DOUBT) != 1:
            raise _LeaseLost
        terminator_sent = True
        smtp.send(b".\r\n")
        code, text = smtp.getreply()
        if code != 250:
            raise _Reply(code, text)
        _quit(smtp)
        return _Outcome(DELIVERED)
    except _Reply as exc:
        _quit(smtp)
        return _Outcome(PENDING, f"SMTP {exc}", permanent=500 <= exc.code < 600)
    except _LeaseLost:
        # Closing without the terminator: the server drops the message; the row is another's.
        _close(smtp)
        return _Outcome(SENDING, "lease lost")
    except (OSError, smtplib.SMTPException) as exc:
        _close(smtp)
        if terminator_sent:
            # The terminator may have reached the server: the message may have been accepted.
            return _Outcome(IN_DOUBT, f"Geen antwoord na het einde van het bericht: {exc}")
        return _Outcome(PENDING, f"{type(exc).__name__}: {exc}")


def _quit(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        _close(smtp)


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        smtp.close()


def _finish(message: OutboxMessage, worker_id: str, outcome: _Outcome, now: dt.datetime) -> int:
    if outcome.status == DELIVERED:
        _mine(message, worker_id, IN_DOUBT).update(
            status=DELIVERED, delivered_at=now, last_error=""
        )
        return 1
    if outcome.status == IN_DOUBT:
        _mine(message, worker_id, IN_DOUBT).update(last_error=outcome.error)
        return 0
    if outcome.status == SENDING:  # the lease was lost: the row is no longer ours to change
        return 0
    message.refresh_from_db(fields=["attempts"])
    failed = outcome.permanent or message.attempts >= MAX_ATTEMPTS
    OutboxMessage.objects.filter(
        pk=message.pk, status__in=(SENDING, IN_DOUBT), claimed_by=worker_id
    ).update(
        status=FAILED if failed else PENDING,
        next_attempt_at=now + backoff(message.attempts),
        last_error=outcome.error[:2000],
    )
    return 0


def sender_address(organisation: Organisation | None) -> str:
    if organisation is None:  # a message about a user's account
        return str(settings.MAIL_FROM)
    return letterhead_of(organisation).email or settings.MAIL_FROM


def sender_name(organisation: Organisation | None) -> str:
    return organisation.name if organisation is not None else "Klachtenregister"


def message_id(message: OutboxMessage) -> str:
    return f"<{message.message_uuid}@{settings.MAIL_DOMAIN}>"


def render(message: OutboxMessage, now: dt.datetime) -> bytes:
    """The message as it goes over the wire after DATA: CRLF line ends, dot-stuffed, ending in
    CRLF, without the terminating ``.``."""
    mail = EmailMessage(policy=email.policy.SMTP)
    organisation = message.organisation
    mail["From"] = email.utils.formataddr((sender_name(organisation), sender_address(organisation)))
    mail["To"] = email.utils.formataddr((message.to_name, message.to_address))
    mail["Subject"] = message.subject
    mail["Date"] = email.utils.format_datetime(now)
    mail["Message-ID"] = message_id(message)
    # quoted-printable keeps the Dutch text 7-bit, so no server needs 8BITMIME.
    mail.set_content(message.body, cte="quoted-printable")
    if message.html_body:
        mail.add_alternative(message.html_body, subtype="html", cte="quoted-printable")
    document = message.attachment if message.attachment_id else None
    if document is not None:
        maintype, _, subtype = (document.content_type or "application/pdf").partition("/")
        with document.file.open("rb") as handle:
            mail.add_attachment(
                handle.read(), maintype=maintype, subtype=subtype, filename=document.name
            )
    data = mail.as_bytes()
    data = re.sub(rb"(?<!\r)\n", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"
