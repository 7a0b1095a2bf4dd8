"""Login throttling (issue 16 §2): after too many failed logins the account is locked out for a
while, even for the right password; every failure is logged and kept by django-axes."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory

PASSWORD = "een-lang-wachtwoord-7"


@pytest.fixture
def kim(iskander: Any) -> User:
    return UserFactory(
        username="kim",
        full_name="Kim Klachtenfunctionaris",
        memberships=[(iskander, RoleKind.COORDINATOR)],
        email="kim@example.org",
        password=PASSWORD,
    )


def _login(client: Client, username: str, password: str, prefix: str = "") -> Any:
    return client.post(f"{prefix}/inloggen/", {"username": username, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_fifty_wrong_passwords_then_the_right_one_does_not_log_in(client: Client, kim: User):
    for attempt in range(50):
        _login(client, "kim", f"fout-{attempt}")

    response = _login(client, "kim", PASSWORD)

    assert not _logged_in(client)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Te veel mislukte inlogpogingen" in text
    assert "Probeer het over 15 minuten opnieuw." in text


def test_the_lockout_comes_after_the_limit_in_the_settings(
    client: Client, kim: User, settings: Any
):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert _login(client, "kim", "fout").status_code == 200
    assert _login(client, "kim", "fout").status_code == 429  # the third failure locks

    assert _login(client, "kim", PASSWORD).status_code == 429
    assert not _logged_in(client)


def test_fewer_failures_than_the_limit_do_not_stop_the_right_password(client: Client, kim: User):
    for _ in range(4):
        _login(client, "kim", "fout")

    response = _login(client, "kim", PASSWORD)

    assert response.status_code == 302
    assert _logged_in(client)
    # A success starts the count again.
    assert not AccessAttempt.objects.filter(username="kim").exists()


def test_the_lockout_ends_after_the_cool_off(client: Client, kim: User):
    for _ in range(5):
        _login(client, "kim", "fout")
    assert _login(client, "kim", PASSWORD).status_code == 429

    # Sixteen minutes later (the records aged, not the test waiting).
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))

    assert _login(client, "kim", PASSWORD).status_code == 302
    assert _logged_in(client)


def test_the_lockout_holds_for_the_account_from_another_client(kim: User):
    for attempt in range(5):
        Client(REMOTE_ADDR=f"192.0.2.{attempt + 1}").post(
            "/inloggen/", {"username": "kim", "password": "fout"}
        )

    other = Client(REMOTE_ADDR="198.51.100.7")
    assert _login(other, "kim", PASSWORD).status_code == 429
    assert not _logged_in(other)


def test_a_locked_out_account_does_not_lock_out_another(kim: User, iskander):
    UserFactory(username="ruud", memberships=[(iskander, RoleKind.HANDLER)], password=PASSWORD)
    for _ in range(6):
        _login(Client(REMOTE_ADDR="192.0.2.1"), "kim", "fout")

    assert _login(Client(REMOTE_ADDR="198.51.100.7"), "ruud", PASSWORD).status_code == 302


def test_a_client_trying_many_accounts_is_locked_out(client: Client, kim: User):
    for attempt in range(5):
        _login(client, f"iemand-{attempt}", PASSWORD)

    assert _login(client, "kim", PASSWORD).status_code == 429
    assert _login(Client(REMOTE_ADDR="198.51.100.7"), "kim", PASSWORD).status_code == 302


def test_failed_logins_are_logged_without_the_password(
    client: Client, kim: User, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.WARNING, logger="klachtenregister.accounts"):
        for _ in range(5):
            _login(client, "kim", "geheim-fout-wachtwoord")

    ours = [r for r in caplog.records if r.name == "klachtenregister.accounts"]
    failed = [r for r in ours if r.getMessage().startswith("login failed")]
    assert len(failed) == 5
    assert "'kim'" in failed[0].getMessage()
    assert "127.0.0.1" in failed[0].getMessage()
    assert any(r.getMessage().startswith("login locked out") for r in ours)
    assert "geheim-fout-wachtwoord" not in caplog.text
    # django-axes' own records: one per failure, and the running count.
    assert AccessFailureLog.objects.filter(username="kim").count() == 5
    assert AccessAttempt.objects.get(username="kim").failures_since_start == 5
    assert "geheim-fout-wachtwoord" not in AccessAttempt.objects.get(username="kim").post_data


def test_the_lockout_message_in_english(client: Client, kim: User):
    for _ in range(5):
        _login(client, "kim", "fout", prefix="/en")

    response = _login(client, "kim", PASSWORD, prefix="/en")

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()


def test_the_admin_login_is_throttled_too(client: Client, kim: User):
    kim.is_staff = True
    kim.save()
    for _ in range(5):
        client.post("/admin/login/", {"username": "kim", "password": "fout"})

    response = client.post("/admin/login/", {"username": "kim", "password": PASSWORD})

    assert response.status_code == 429
    assert not _logged_in(client)


def test_a_login_without_a_request_still_checks_the_password(kim: User):
    # manage.py shell, the test client's login(): no client to throttle, the password counts.
    assert Client().login(username="kim", password=PASSWORD)
    assert not Client().login(username="kim", password="fout")
