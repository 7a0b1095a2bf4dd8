"""Two-factor authentication (issue 16 §2): coordinators and directors must use an
authenticator app (TOTP) when REQUIRE_TWO_FACTOR is on; after the password the register asks
for a code; recovery codes work once; the middleware lets an unverified session nowhere else."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from base64 import b32encode
from binascii import unhexlify
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from klachtenregister.accounts import services
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory

PASSWORD = "een-lang-wachtwoord-7"


@pytest.fixture
def required(settings: Any) -> None:
    settings.REQUIRE_TWO_FACTOR = True


@pytest.fixture
def kim(iskander: Any) -> User:
    return UserFactory(
        username="kim",
        full_name="Kim Klachtenfunctionaris",
        memberships=[(iskander, RoleKind.COORDINATOR)],
        email="",
        password=PASSWORD,
    )


@pytest.fixture
def hans(iskander: Any) -> User:
    return UserFactory(
        username="hans", memberships=[(iskander, RoleKind.HANDLER)], email="", password=PASSWORD
    )


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the user's app shows now (or ``steps_ahead`` periods later: one code is accepted
    only once, and the device allows one period of clock drift)."""
    return f"{totp(unhexlify(device.key), drift=steps_ahead):06d}"


def _login(client: Client, username: str, next_page: str = "") -> Any:
    data = {"username": username, "password": PASSWORD}
    if next_page:
        data["next"] = next_page
    return client.post("/inloggen/", data)


def _app(user: User) -> TOTPDevice:
    device = services.start_authenticator(user)
    services.confirm_authenticator(user, device.pk, code_for(device))
    device.refresh_from_db()
    return device


def test_a_coordinator_must_set_up_an_app_before_anything_else(
    client: Client, kim: User, required: None
):
    _login(client, "kim")

    response = client.get("/o/iskander/")

    assert response.status_code == 302
    assert response["Location"] == "/account/tweestapsverificatie/?next=%2Fo%2Fiskander%2F"
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page  # the QR code
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1)
    device = TOTPDevice.objects.get(user=kim, confirmed=False)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()

    wrong = client.post("/account/tweestapsverificatie/", {"code": "000000"})
    assert "Deze code klopt niet" in wrong.content.decode()
    assert client.get("/o/iskander/").status_code == 302

    # The wrong code throttled the device for a second; lifted here rather than waited for.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    done = client.post(
        "/account/tweestapsverificatie/", {"code": code_for(device), "next": "/o/iskander/"}
    )
    page = done.content.decode()
    assert "Tweestapsverificatie staat aan." in page
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", page)) == 10
    assert client.get("/o/iskander/").status_code == 200


def test_after_the_password_the_code_is_asked(client: Client, kim: User, required: None):
    device = _app(kim)

    response = _login(client, "kim", next_page="/o/iskander/klachten/")
    assert client.get(response["Location"])["Location"] == (
        "/inloggen/code/?next=%2Fo%2Fiskander%2Fklachten%2F"
    )
    for address in ("/o/iskander/", "/account/", "/account/wachtwoord/", "/admin/"):
        assert client.get(address)["Location"].startswith("/inloggen/code/"), address

    verified = client.post(
        "/inloggen/code/", {"code": code_for(device, 1), "next": "/o/iskander/klachten/"}
    )

    assert verified["Location"] == "/o/iskander/klachten/"
    assert client.get("/o/iskander/klachten/").status_code == 200


def test_a_wrong_code_does_not_let_in(client: Client, kim: User, required: None):
    _app(kim)
    _login(client, "kim")

    response = client.post("/inloggen/code/", {"code": "123456"})

    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get("/o/iskander/").status_code == 302


def test_repeated_wrong_codes_are_slowed_down(client: Client, kim: User, required: None):
    device = _app(kim)
    _login(client, "kim")
    client.post("/inloggen/code/", {"code": "123456"})

    # Even the right code waits out the throttle (1 s after one failure, doubling).
    response = client.post("/inloggen/code/", {"code": code_for(device, 1)})

    assert "Te veel onjuiste codes" in response.content.decode()
    assert client.get("/o/iskander/").status_code == 302


def test_a_recovery_code_works_once(client: Client, kim: User, required: None):
    _app(kim)
    (code, *_rest) = services.new_recovery_codes(kim)

    _login(client, "kim")
    response = client.post("/inloggen/code/", {"code": code.upper()})
    assert response.status_code == 302
    assert "herstelcode" in client.get("/o/iskander/").content.decode()

    other = Client()
    _login(other, "kim")
    assert other.post("/inloggen/code/", {"code": code}).status_code == 200
    assert other.get("/o/iskander/").status_code == 302


def test_a_handler_needs_no_second_factor(client: Client, hans: User, required: None):
    _login(client, "hans")

    assert client.get("/o/iskander/").status_code == 200


def test_a_handler_who_set_up_an_app_is_asked_for_the_code_too(
    client: Client, hans: User, required: None
):
    _app(hans)
    _login(client, "hans")

    assert client.get("/o/iskander/")["Location"].startswith("/inloggen/code/")


def test_without_the_requirement_a_coordinator_logs_in_with_the_password(
    client: Client, kim: User, settings: Any
):
    settings.REQUIRE_TWO_FACTOR = False
    _login(client, "kim")

    assert client.get("/o/iskander/").status_code == 200


def test_new_recovery_codes_replace_the_old(client: Client, kim: User, required: None):
    _app(kim)
    old = services.new_recovery_codes(kim)
    client.force_login(kim)
    client.post("/inloggen/code/", {"code": old[0]})

    page = client.post("/account/tweestapsverificatie/herstelcodes/").content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)

    assert len(new) == 10 and not set(new) & set(old)
    other = Client()
    other.force_login(kim)
    assert other.post("/inloggen/code/", {"code": old[1]}).status_code == 200


def test_a_required_user_cannot_turn_it_off(client: Client, kim: User, required: None):
    device = _app(kim)
    client.force_login(kim)
    client.post("/inloggen/code/", {"code": code_for(device, 1)})

    client.post("/account/tweestapsverificatie/uitzetten/")

    assert TOTPDevice.objects.filter(user=kim, confirmed=True).exists()


def _required_in_a_fresh_process(**env: str) -> bool:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KLACHTEN"))}
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps(s.REQUIRE_TWO_FACTOR))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "klachtenregister.config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return bool(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_requirement_is_on_in_production_and_off_in_development():
    assert _required_in_a_fresh_process(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="klachten.example"
    )
    # The development settings of ``make run`` (DEBUG on): the demo users log in with a password.
    assert not _required_in_a_fresh_process(KLACHTENREGISTER_ENV="development")
    assert not _required_in_a_fresh_process(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="klachten.example",
        KLACHTENREGISTER_REQUIRE_2FA="false",
    )
