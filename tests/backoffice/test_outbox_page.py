"""The outbox page through HTTP: who sees it, what it shows, and what a coordinator does with a
message that is in doubt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from klachtenregister.correspondence import delivery, outbox
from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import DELIVERED, IN_DOUBT, LETTER, PENDING
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.services import add_document
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.mail import Mailbox

pytestmark = pytest.mark.django_db

PAGE = "/o/iskander/uitgaande-post/"
PDF = b"%PDF-1.4\n% een brief\n"


def message_url(message: OutboxMessage, action: str = "") -> str:
    return f"{PAGE}{message.pk}/{action}"


@pytest.fixture
def letter(
    iskander: Organisation, klara: User, register: Callable[..., Complaint]
) -> OutboxMessage:
    """A letter with its PDF that the worker sent whole but never heard back about."""
    complaint = register("2027-04-20")
    document = add_document(
        complaint, klara, SimpleUploadedFile("beslissing.pdf", PDF, "application/pdf")
    )
    with transaction.atomic():
        message = outbox.queue_message(
            organisation=iskander,
            kind=LETTER,
            key=f"letter:{complaint.pk}:beslissing",
            to_address="de.vries@example.org",
            to_name="Mevrouw De Vries",
            subject="Beslissing op uw klacht",
            body="Geachte mevrouw De Vries,\n\nUw klacht is gegrond.\n",
            complaint=complaint,
            attachment=document,
        )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=IN_DOUBT,
        attempts=1,
        claimed_by="worker-1",
        last_error="Geen antwoord na het einde van het bericht: timed out",
    )
    message.refresh_from_db()
    return message


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_coordinators_and_directors_see_the_outbox(
    client: Client,
    letter: OutboxMessage,
    klara: User,
    iskander: Organisation,
) -> None:
    dirk = UserFactory(
        username="dirk", full_name="Dirk Directeur", memberships=[(iskander, RoleKind.DIRECTOR)]
    )
    for user in (klara, dirk):
        response = logged_in(client, user).get(PAGE)
        assert response.status_code == 200
        assert "Beslissing op uw klacht" in response.content.decode()


def test_other_staff_get_403_and_other_organisations_404(
    client: Client,
    letter: OutboxMessage,
    piet: User,
    regulations: Any,
) -> None:
    for url in (PAGE, message_url(letter)):
        assert logged_in(client, piet).get(url).status_code == 403
    assert logged_in(client, piet).post(message_url(letter, "opnieuw/")).status_code == 403

    smartplus = Organisation.objects.get(slug="smartplus")
    stranger = UserFactory(
        username="sanne",
        full_name="Sanne Smart",
        memberships=[(smartplus, RoleKind.COORDINATOR)],
    )
    for url in (PAGE, message_url(letter)):
        assert logged_in(client, stranger).get(url).status_code == 404
    # Smartplus's own outbox does not show Iskander's message either.
    own_outbox = f"/o/smartplus/uitgaande-post/{letter.pk}/"
    assert logged_in(client, stranger).get(own_outbox).status_code == 404

    client.logout()
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_the_page_shows_the_message_its_complaint_its_pdf_and_its_text(
    client: Client, letter: OutboxMessage, klara: User
) -> None:
    logged_in(client, klara)
    listing = client.get(PAGE).content.decode()
    reference = letter.complaint.reference
    for text in (
        "Beslissing op uw klacht",
        "de.vries@example.org",
        "verzonden, niet bevestigd",
        "brief",
        f'href="/o/iskander/klachten/{reference}/"',
        f'href="{message_url(letter)}"',
        "Van 1 bericht staat niet vast dat het is aangekomen",
    ):
        assert text in listing, text

    detail = client.get(message_url(letter)).content.decode()
    pdf_url = f"/o/iskander/klachten/{reference}/documenten/{letter.attachment_id}/"
    for text in (
        "Uw klacht is gegrond.",
        f'href="{pdf_url}"',
        "beslissing.pdf",
        delivery.message_id(letter).replace("<", "&lt;").replace(">", "&gt;"),
        "Geen antwoord na het einde van het bericht",
        f'action="{message_url(letter, "opnieuw/")}"',
        f'action="{message_url(letter, "afgeleverd/")}"',
    ):
        assert text in detail, text
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content) == PDF


def test_a_message_in_doubt_is_resent_with_the_same_message_id(
    client: Client, letter: OutboxMessage, klara: User, mailbox: Mailbox
) -> None:
    response = logged_in(client, klara).post(message_url(letter, "opnieuw/"))
    assert response.status_code == 302
    assert response["Location"] == message_url(letter)
    letter.refresh_from_db()
    assert letter.status == PENDING

    assert delivery.deliver_due(timezone.now() + dt.timedelta(seconds=1)) == 1
    assert mailbox.message_ids() == {delivery.message_id(letter): 1}
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (DELIVERED, 2)


def test_a_message_in_doubt_is_marked_delivered(
    client: Client, letter: OutboxMessage, klara: User
) -> None:
    response = logged_in(client, klara).post(message_url(letter, "afgeleverd/"))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == DELIVERED
    assert letter.delivered_at is not None
    assert "Opnieuw versturen" not in client.get(message_url(letter)).content.decode()


@pytest.mark.parametrize("status", [PENDING, DELIVERED])
@pytest.mark.parametrize("action", ["opnieuw/", "afgeleverd/"])
def test_only_a_message_in_doubt_is_resent_or_marked(
    client: Client, letter: OutboxMessage, klara: User, status: str, action: str
) -> None:
    OutboxMessage.objects.filter(pk=letter.pk).update(status=status)
    before = OutboxMessage.objects.values().get(pk=letter.pk)

    response = logged_in(client, klara).post(message_url(letter, action))

    assert response.status_code == 409
    assert "Alleen een bericht waarvan niet vaststaat" in response.content.decode()
    assert OutboxMessage.objects.values().get(pk=letter.pk) == before


def test_the_actions_need_a_post(client: Client, letter: OutboxMessage, klara: User) -> None:
    logged_in(client, klara)
    assert client.get(message_url(letter, "opnieuw/")).status_code == 405
    assert client.get(message_url(letter, "afgeleverd/")).status_code == 405
    letter.refresh_from_db()
    assert letter.status == IN_DOUBT
