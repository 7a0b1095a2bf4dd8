"""Passwords (issue 16 §2): every logged-in user changes their own; a forgotten one is reset by a
link in an e-mail that goes through the outbox and is delivered by the worker like every other
message; Django's password validators judge every new password."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from klachtenregister.correspondence import delivery
from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import PASSWORD_RESET
from klachtenregister.correspondence.selectors import outbox_messages
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.mail import Mailbox, text_of

PASSWORD = "een-lang-wachtwoord-7"
NEW_PASSWORD = "nog-een-heel-ander-wachtwoord-9"


@pytest.fixture
def kim(iskander: Any) -> User:
    return UserFactory(
        username="kim",
        full_name="Kim Klachtenfunctionaris",
        memberships=[(iskander, RoleKind.COORDINATOR)],
        email="kim@example.org",
        password=PASSWORD,
    )


def _logs_in(username: str, password: str) -> bool:
    client = Client()
    client.post("/inloggen/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_a_user_changes_their_password(client: Client, kim: User):
    client.force_login(kim)
    assert client.get("/account/").status_code == 200
    page = client.get("/account/wachtwoord/")
    assert "Wachtwoord wijzigen" in page.content.decode()

    response = client.post(
        "/account/wachtwoord/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert "Uw wachtwoord is gewijzigd." in client.get("/account/").content.decode()
    assert _logs_in("kim", NEW_PASSWORD)
    assert not _logs_in("kim", PASSWORD)


def test_a_wrong_old_password_changes_nothing(client: Client, kim: User):
    client.force_login(kim)

    response = client.post(
        "/account/wachtwoord/",
        {"old_password": "fout", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "oude wachtwoord" in response.content.decode()  # Django's Dutch error
    kim.refresh_from_db()
    assert kim.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "complaint"),
    [
        ("kort1", "te kort"),
        ("12345678901", "volledig uit cijfers"),
        ("password123", "te algemeen"),
        ("kimklachtenfunctionaris", "te veel op"),
    ],
)
def test_the_password_validators_refuse_a_weak_password(
    client: Client, kim: User, new: str, complaint: str
):
    client.force_login(kim)

    response = client.post(
        "/account/wachtwoord/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 200
    assert complaint in response.content.decode()
    kim.refresh_from_db()
    assert kim.check_password(PASSWORD)


def test_the_password_pages_need_a_login(client: Client):
    for address in ("/account/", "/account/wachtwoord/"):
        assert client.get(address)["Location"].startswith("/inloggen/?next=")


def test_the_menu_links_to_the_account_page(client: Client, kim: User):
    client.force_login(kim)

    page = client.get("/o/iskander/").content.decode()

    assert 'href="/account/"' in page


def _reset_link(mailbox: Mailbox) -> str:
    (received,) = mailbox.received
    match = re.search(r"http://testserver(/\S+/)", text_of(received.message))
    assert match, text_of(received.message)
    return match.group(1)


def test_a_forgotten_password_is_reset_by_a_link_delivered_through_the_outbox(
    client: Client, kim: User, mailbox: Mailbox
):
    response = client.post("/wachtwoord-vergeten/", {"email": "KIM@example.org"})
    assert response["Location"] == "/wachtwoord-vergeten/verzonden/"

    # Queued, not sent from the request: the worker delivers it.
    message = OutboxMessage.objects.get(kind=PASSWORD_RESET)
    assert (message.to_address, message.organisation) == ("kim@example.org", None)
    assert mailbox.received == []
    assert delivery.deliver_due(timezone.now()) == 1
    mail = mailbox.received[0].message
    assert mail["To"] == "Kim Klachtenfunctionaris <kim@example.org>"
    assert mail["Subject"] == "Nieuw wachtwoord voor het Klachtenregister"
    assert "Uw gebruikersnaam is: kim" in text_of(mail)

    link = _reset_link(mailbox)
    form = client.get(link, follow=True)
    assert "Nieuw wachtwoord" in form.content.decode()
    weak = client.post(
        form.redirect_chain[-1][0], {"new_password1": "1234", "new_password2": "1234"}
    )
    assert weak.status_code == 200 and "te kort" in weak.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == "/wachtwoord-herstellen/klaar/"

    assert _logs_in("kim", NEW_PASSWORD)
    assert not _logs_in("kim", PASSWORD)
    # The link works once.
    again = Client().get(link, follow=True).content.decode()
    assert "niet (meer) geldig" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client, kim: User):
    response = client.post("/wachtwoord-vergeten/", {"email": "onbekend@example.org"})

    assert response["Location"] == "/wachtwoord-vergeten/verzonden/"
    assert not OutboxMessage.objects.exists()


def test_asking_again_at_once_sends_no_second_mail(client: Client, kim: User):
    for _ in range(3):
        response = client.post("/wachtwoord-vergeten/", {"email": "kim@example.org"})
        assert response["Location"] == "/wachtwoord-vergeten/verzonden/"

    assert OutboxMessage.objects.filter(kind=PASSWORD_RESET).count() == 1
    OutboxMessage.objects.update(created_at=timezone.now() - dt.timedelta(minutes=6))
    client.post("/wachtwoord-vergeten/", {"email": "kim@example.org"})
    assert OutboxMessage.objects.filter(kind=PASSWORD_RESET).count() == 2


def test_the_reset_link_is_on_no_outbox_page(client: Client, kim: User, iskander: Any):
    client.post("/wachtwoord-vergeten/", {"email": "kim@example.org"})
    coordinator = UserFactory(username="co", memberships=[(iskander, RoleKind.COORDINATOR)])

    assert OutboxMessage.objects.filter(kind=PASSWORD_RESET).count() == 1
    assert not outbox_messages(coordinator, iskander).exists()
    client.force_login(coordinator)
    assert "Nieuw wachtwoord" not in client.get("/o/iskander/uitgaande-post/").content.decode()


def test_a_reset_ends_a_lockout(client: Client, kim: User, mailbox: Mailbox):
    for _ in range(5):
        Client(REMOTE_ADDR="192.0.2.1").post("/inloggen/", {"username": "kim", "password": "x"})
    client.post("/wachtwoord-vergeten/", {"email": "kim@example.org"})
    delivery.deliver_due(timezone.now())

    form = client.get(_reset_link(mailbox), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert _logs_in("kim", NEW_PASSWORD)


def test_the_reset_pages_in_english(client: Client, kim: User, mailbox: Mailbox):
    client.post("/en/wachtwoord-vergeten/", {"email": "kim@example.org"})
    delivery.deliver_due(timezone.now())

    mail = mailbox.received[0].message
    assert mail["Subject"] == "A new password for the Klachtenregister"
    assert "/en/wachtwoord-herstellen/" in text_of(mail)
    assert "Check your e-mail" in client.get("/en/wachtwoord-vergeten/verzonden/").content.decode()
