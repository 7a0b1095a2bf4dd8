"""The outbox drill: SMTP goes down, messages wait; SMTP comes back, each arrives exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from klachtenregister.correspondence import delivery, outbox
from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import DELIVERED, LETTER, PENDING
from klachtenregister.register.models import Organisation
from tests.support.mail import Mailbox

NOW = dt.datetime(2027, 4, 21, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


@pytest.mark.django_db
def test_an_smtp_outage_loses_nothing_and_sends_nothing_twice(
    mailbox: Mailbox, iskander: Organisation
) -> None:
    with transaction.atomic():
        messages = [
            outbox.queue_message(
                organisation=iskander,
                kind=LETTER,
                key=f"letter:{n}",
                to_address=f"klager{n}@example.org",
                to_name=f"Klager {n}",
                subject=f"Brief {n}",
                body="Geachte heer, mevrouw,\n",
                now=NOW,
            )
            for n in range(3)
        ]
    mailbox.stop()

    # Down: every message is tried once and waits a minute, with the reason.
    assert delivery.deliver_due(NOW) == 0
    for message in messages:
        message.refresh_from_db()
        assert (message.status, message.attempts) == (PENDING, 1)
        assert message.next_attempt_at == NOW + MINUTE
        assert "ConnectionRefusedError" in message.last_error

    # Within the back-off nothing is tried.
    assert delivery.deliver_due(NOW + 30 * dt.timedelta(seconds=1)) == 0
    assert {m.attempts for m in OutboxMessage.objects.all()} == {1}

    # Still down a minute later: the second attempt fails too and the wait doubles.
    assert delivery.deliver_due(NOW + MINUTE) == 0
    for message in OutboxMessage.objects.all():
        assert (message.status, message.attempts) == (PENDING, 2)
        assert message.next_attempt_at == NOW + 3 * MINUTE

    mailbox.start()
    # Back up, but the back-off has not run out: the messages keep waiting.
    assert delivery.deliver_due(NOW + 2 * MINUTE) == 0
    assert mailbox.received == []

    assert delivery.deliver_due(NOW + 3 * MINUTE) == 3
    assert delivery.deliver_due(NOW + 4 * MINUTE) == 0
    assert delivery.deliver_due(NOW + dt.timedelta(days=1)) == 0

    expected = {delivery.message_id(m) for m in messages}
    assert mailbox.message_ids() == dict.fromkeys(expected, 1)
    for message in OutboxMessage.objects.all():
        assert (message.status, message.attempts, message.delivered_at) == (
            DELIVERED,
            3,
            NOW + 3 * MINUTE,
        )
