"""The transactional outbox: queue an e-mail with the change it reports; settle a message in doubt.

``queue_message`` is called inside the caller's transaction (the event that sends a letter, a
digest): the ``OutboxMessage`` row commits or rolls back with it, so an e-mail is never promised
without being kept. The row's ``key`` makes queueing idempotent. After the commit the delivery
task is enqueued; if that enqueue is lost (a crash right after the commit), the minute-by-minute
sweep (``delivery.deliver_due``) still finds the row, so nothing waits on the enqueue.

A message left IN_DOUBT by ``delivery`` is never resent automatically; the outbox page shows it
and a coordinator resends it (``resend``, the same Message-ID, so a receiver can recognise the
copy) or marks it delivered (``mark_delivered``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from klachtenregister.correspondence.models import Letter, OutboxMessage
from klachtenregister.correspondence.models.outbox import DELIVERED, IN_DOUBT, PENDING
from klachtenregister.correspondence.tasks import deliver_message
from klachtenregister.register.models import Complaint, Document, Organisation


def queue_message(
    *,
    organisation: Organisation | None,
    kind: str,
    key: str,
    to_address: str,
    to_name: str,
    subject: str,
    body: str,
    html_body: str = "",
    complaint: Complaint | None = None,
    letter: Letter | None = None,
    attachment: Document | None = None,
    now: dt.datetime | None = None,
) -> OutboxMessage:
    """Keep an e-mail for delivery, in the caller's transaction; idempotent on ``key``: an
    existing message with the key is returned and nothing is added. ``organisation`` is None
    only for a message about a user's account (a password reset), which no outbox page shows."""
    with transaction.atomic():
        # get_or_create: a concurrent writer of the same key loses on the unique index and gets
        # the winner's row back (Django retries the get after the IntegrityError).
        message, created = OutboxMessage.objects.get_or_create(
            key=key,
            defaults={
                "organisation": organisation,
                "kind": kind,
                "to_address": to_address,
                "to_name": to_name,
                "subject": subject,
                "body": body,
                "html_body": html_body,
                "complaint": complaint,
                "letter": letter,
                "attachment": attachment,
                "next_attempt_at": now or timezone.now(),
            },
        )
        if created:
            transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return message


def _enqueue_delivery(message_id: int) -> None:
    deliver_message.enqueue(message_id)


def resend(message: OutboxMessage, now: dt.datetime | None = None) -> bool:
    """Send an IN_DOUBT message again, with the same Message-ID; False if it is not in doubt."""
    now = now or timezone.now()
    with transaction.atomic():
        changed = OutboxMessage.objects.filter(pk=message.pk, status=IN_DOUBT).update(
            status=PENDING, next_attempt_at=now, claimed_by=""
        )
        if changed:
            transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return bool(changed)


def mark_delivered(message: OutboxMessage, now: dt.datetime | None = None) -> bool:
    """Record that an IN_DOUBT message did arrive; False if it is not in doubt."""
    changed = OutboxMessage.objects.filter(pk=message.pk, status=IN_DOUBT).update(
        status=DELIVERED, delivered_at=now or timezone.now()
    )
    return bool(changed)
