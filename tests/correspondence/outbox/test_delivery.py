"""Delivering the outbox to a real SMTP server (aiosmtpd, in-process).

The worker's functions are called with an explicit ``now``; the server records what arrives.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader, PdfWriter

from klachtenregister.correspondence import delivery, outbox
from klachtenregister.correspondence.models import Letterhead, OutboxMessage
from klachtenregister.correspondence.models.outbox import DELIVERED, FAILED, LETTER, PENDING
from klachtenregister.correspondence.selectors import letterhead_of
from klachtenregister.register.models import Complaint, Document, Organisation
from klachtenregister.register.services import add_document
from tests.support.mail import Mailbox, text_of

NOW = dt.datetime(2027, 4, 21, 9, 30, tzinfo=dt.UTC)


def pdf_bytes(text: str = "Ontvangstbevestiging") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_document(complaint: Complaint, actor: User, data: bytes) -> Document:
    upload = SimpleUploadedFile("ontvangstbevestiging.pdf", data, "application/pdf")
    return add_document(complaint, actor, upload, description="Ontvangstbevestiging")


def queue(
    organisation: Organisation, key: str = "letter:1", now: dt.datetime = NOW, **fields: Any
) -> OutboxMessage:
    values: dict[str, Any] = {
        "organisation": organisation,
        "kind": LETTER,
        "key": key,
        "to_address": "de.vries@example.org",
        "to_name": "Mevrouw De Vries",
        "subject": "Ontvangstbevestiging van uw klacht",
        "body": "Geachte mevrouw De Vries,\n\nWij hebben uw klacht ontvangen.\n",
        "now": now,
    }
    values.update(fields)
    with transaction.atomic():
        return outbox.queue_message(**values)


@pytest.mark.django_db
def test_a_queued_message_arrives_with_its_pdf_and_message_id(
    mailbox: Mailbox,
    iskander: Organisation,
    klara: User,
    register: Callable[..., Complaint],
) -> None:
    complaint = register("2027-04-20")
    data = pdf_bytes()
    document = pdf_document(complaint, klara, data)
    Letterhead.objects.create(organisation=iskander, email="klachten@iskander.example")
    message = queue(iskander, complaint=complaint, attachment=document)

    assert delivery.deliver_due(NOW, "worker-1") == 1

    [received] = mailbox.received
    assert received.mail_from == "klachten@iskander.example"
    assert received.rcpt_tos == ["de.vries@example.org"]
    mail = received.message
    assert mail["Message-ID"] == f"<{message.message_uuid}@{settings.MAIL_DOMAIN}>"
    assert mail["From"].addresses[0].addr_spec == "klachten@iskander.example"
    assert mail["To"].addresses[0].display_name == "Mevrouw De Vries"
    assert mail["Subject"] == "Ontvangstbevestiging van uw klacht"
    assert text_of(mail) == message.body
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "ontvangstbevestiging.pdf"
    assert attachment.get_content() == data
    assert PdfReader(io.BytesIO(attachment.get_content())).metadata.title == "Ontvangstbevestiging"

    message.refresh_from_db()
    assert (message.status, message.attempts, message.delivered_at) == (DELIVERED, 1, NOW)
    assert (message.claimed_by, message.last_error) == ("worker-1", "")
    assert delivery.deliver_due(NOW + dt.timedelta(hours=1)) == 0
    assert len(mailbox.received) == 1


@pytest.mark.django_db
def test_without_an_organisation_address_the_sender_is_mail_from(
    mailbox: Mailbox, iskander: Organisation
) -> None:
    assert letterhead_of(iskander).email == ""
    queue(iskander)
    delivery.deliver_due(NOW)
    [received] = mailbox.received
    assert received.mail_from == settings.MAIL_FROM


@pytest.mark.django_db
def test_a_message_with_an_html_body_arrives_with_a_plain_text_and_an_html_part(
    mailbox: Mailbox, iskander: Organisation
) -> None:
    html = '<p>Zie <a href="https://klachten.example.nl/o/iskander/">de klachten</a>.</p>\n'
    queue(iskander, body="Zie https://klachten.example.nl/o/iskander/\n", html_body=html)
    assert delivery.deliver_due(NOW) == 1
    mail = mailbox.received[0].message
    assert mail.get_content_type() == "multipart/alternative"
    assert text_of(mail) == "Zie https://klachten.example.nl/o/iskander/\n"
    html_part = mail.get_body(("html",))
    assert html_part is not None
    assert str(html_part.get_content()).replace("\r\n", "\n") == html


@pytest.mark.django_db
def test_a_body_with_lines_that_start_with_a_dot_arrives_unchanged(
    mailbox: Mailbox, iskander: Organisation
) -> None:
    # A line holding only "." would end the message early if it were not dot-stuffed.
    body = "Punten:\n.\n.. twee\n. een\nÉén klacht, ’s morgens ontvangen.\n"
    queue(iskander, body=body)
    assert delivery.deliver_due(NOW) == 1
    assert text_of(mailbox.received[0].message) == body


@pytest.mark.django_db
def test_queueing_is_idempotent_on_the_key(iskander: Organisation) -> None:
    first = queue(iskander, key="digest:iskander:1:2027-04-21")
    again = queue(iskander, key="digest:iskander:1:2027-04-21", subject="Iets anders")
    assert again.pk == first.pk
    assert OutboxMessage.objects.get().subject == "Ontvangstbevestiging van uw klacht"


@pytest.mark.django_db
def test_a_message_is_kept_only_when_its_transaction_commits(iskander: Organisation) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue_message(
            organisation=iskander,
            kind=LETTER,
            key="letter:rolled-back",
            to_address="a@example.org",
            to_name="",
            subject="s",
            body="b",
        )
        raise RuntimeError("the event was refused")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_the_commit_enqueues_the_delivery_task(
    iskander: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue(iskander)
        assert not DBTaskResult.objects.exists()  # not before the commit
    assert len(callbacks) == 1
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "klachtenregister.correspondence.tasks.deliver_message"
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queue(iskander)  # the same key: nothing new to deliver
    assert callbacks == []


@pytest.mark.django_db
def test_a_temporary_refusal_of_the_message_waits_and_a_permanent_one_fails(
    mailbox: Mailbox, iskander: Organisation
) -> None:
    message = queue(iskander)
    mailbox.data_reply = "451 4.3.0 Mailbox tijdelijk niet beschikbaar"
    assert delivery.deliver_due(NOW) == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (PENDING, 1)
    assert message.next_attempt_at == NOW + dt.timedelta(minutes=1)
    assert "451" in message.last_error

    mailbox.data_reply = "554 5.7.1 Bericht geweigerd"
    assert delivery.deliver_due(NOW + dt.timedelta(minutes=1)) == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (FAILED, 2)
    assert "554" in message.last_error
    assert delivery.deliver_due(NOW + dt.timedelta(days=1)) == 0
    assert mailbox.received == []


@pytest.mark.django_db
def test_a_refused_recipient_fails_without_sending(
    mailbox: Mailbox, iskander: Organisation
) -> None:
    message = queue(iskander, to_address="onbekend@example.org")
    mailbox.rcpt_reply = "550 5.1.1 Onbekende ontvanger"
    assert delivery.deliver_due(NOW) == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (FAILED, 1)
    assert "550" in message.last_error
    assert mailbox.received == []


def test_backoff_doubles_from_one_minute_up_to_six_hours() -> None:
    minutes = [delivery.backoff(n) / dt.timedelta(minutes=1) for n in range(1, 12)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]


@pytest.mark.django_db
def test_a_message_fails_after_ten_attempts(settings: Any, iskander: Organisation) -> None:
    settings.SMTP_HOST = "127.0.0.1"
    settings.SMTP_PORT = 1  # nobody listens: connection refused
    message = queue(iskander)
    when = NOW
    for attempt in range(1, 11):
        assert delivery.deliver_due(when) == 0
        message.refresh_from_db()
        assert message.attempts == attempt
        when = message.next_attempt_at
    assert message.status == FAILED
    assert delivery.deliver_due(when + dt.timedelta(days=1)) == 0
    assert OutboxMessage.objects.get().attempts == 10
