"""The login lockout behind a reverse proxy (issue 16 §2): with the proxy named in the
environment, each client behind it has its own count of failed logins; a client that talks to the
app directly cannot choose the address it is counted under."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory

PASSWORD = "een-lang-wachtwoord-7"
PROXY = "10.0.0.7"


@pytest.fixture
def kim(iskander: Any) -> User:
    return UserFactory(
        username="kim",
        full_name="Kim Klachtenfunctionaris",
        memberships=[(iskander, RoleKind.COORDINATOR)],
        password=PASSWORD,
    )


def _login(username: str, password: str, remote: str, forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    client = Client()
    response = client.post("/inloggen/", {"username": username, "password": password}, **extra)
    return response, "_auth_user_id" in client.session


def _lock_out(remote: str, forwarded: str | None) -> None:
    # Wrong passwords for accounts that do not exist: only the client's count grows.
    for attempt in range(5):
        _login(f"iemand-{attempt}", "fout", remote, forwarded)


def test_behind_a_trusted_proxy_one_locked_out_client_does_not_lock_out_the_others(
    kim: User, settings: Any
):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network(PROXY),)
    _lock_out(PROXY, "203.0.113.5")

    locked, _ = _login("kim", PASSWORD, PROXY, "203.0.113.5")
    response, logged_in = _login("kim", PASSWORD, PROXY, "198.51.100.9")

    assert locked.status_code == 429
    assert response.status_code == 302 and logged_in
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_the_client_is_the_right_most_address_that_is_not_a_trusted_proxy(kim: User, settings: Any):
    # Two proxies in the 10.0.0.0/8 network; the client made up the left-most entry itself.
    settings.TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    _login("kim", "fout", PROXY, "1.2.3.4, 203.0.113.5, 10.9.9.9")

    assert list(AccessFailureLog.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]


def test_a_header_sent_straight_to_the_app_is_not_believed(kim: User, settings: Any):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network(PROXY),)
    for attempt in range(5):
        # An attacker changing the header on every try still counts under its own address.
        _login("iemand", "fout", "192.0.2.66", f"203.0.113.{attempt}")

    response, logged_in = _login("kim", PASSWORD, "192.0.2.66", "198.51.100.9")

    assert response.status_code == 429 and not logged_in
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"192.0.2.66"}


def test_with_a_number_of_proxies_the_client_is_that_many_hops_from_the_right(
    kim: User, settings: Any
):
    settings.PROXY_COUNT = 2
    _lock_out(PROXY, "1.2.3.4, 203.0.113.5, 10.0.0.3")

    locked, _ = _login("kim", PASSWORD, PROXY, "203.0.113.5, 10.0.0.3")
    response, logged_in = _login("kim", PASSWORD, PROXY, "198.51.100.9, 10.0.0.3")

    assert locked.status_code == 429
    assert response.status_code == 302 and logged_in


def test_without_proxy_settings_the_header_is_ignored(kim: User):
    _lock_out(PROXY, "203.0.113.5")

    response, logged_in = _login("kim", PASSWORD, PROXY, "198.51.100.9")

    # Everyone behind an unnamed proxy shares its count: the reason to set the variable.
    assert response.status_code == 429 and not logged_in
