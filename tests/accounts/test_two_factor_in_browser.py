"""In a real browser: a coordinator, who must use a second factor, logs in for the first time,
sets up an authenticator app from the key on the page, keeps the recovery codes, logs out, and
logs in again with a code the test computes as the app would (TOTP, RFC 6238).

Runs like tests/backoffice/test_search_in_browser.py (Debian's Chromium through Playwright;
skipped without it unless KLACHTENREGISTER_REQUIRE_BROWSER=1). The user is stored before the
browser starts: Django refuses the ORM in the thread where Playwright's event loop runs.
"""

from __future__ import annotations

import re
from base64 import b32decode
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect, sync_playwright

from klachtenregister.register.loading import load_regulations
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory, loaded_organisation
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

USERNAME = "klara"
PASSWORD = "een-lang-wachtwoord-7"


@pytest.fixture
def coordinator(transactional_db: None, settings: Any) -> None:
    settings.REQUIRE_TWO_FACTOR = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_regulations(["iskander"])
    UserFactory(
        username=USERNAME,
        full_name="Klara de Klachtenfunctionaris",
        memberships=[(loaded_organisation("iskander"), RoleKind.COORDINATOR)],
        email="",
        password=PASSWORD,
    )


def _code(secret: str, steps_ahead: int = 0) -> str:
    return f"{totp(b32decode(secret), drift=steps_ahead):06d}"


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_sets_up_an_app_and_logs_in_with_a_code(
    live_server: Any, coordinator: None, tmp_path: Path
) -> None:
    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="nl-NL").new_page()
            try:
                page.goto(f"{live_server.url}/inloggen/")
                page.get_by_label("Gebruikersnaam").fill(USERNAME)
                page.get_by_label("Wachtwoord").fill(PASSWORD)
                page.get_by_role("button", name="Inloggen").click()

                # First login: the app must be set up before the watch list.
                expect(page).to_have_url(re.compile(r"/account/tweestapsverificatie/\?next="))
                expect(page.locator(".qr-code svg")).to_be_visible()
                secret = page.locator("#totp-secret").inner_text().replace(" ", "")
                page.get_by_label("Code").fill(_code(secret))
                page.get_by_role("button", name="Bevestigen").click()
                expect(page.get_by_role("heading", level=1)).to_have_text("Herstelcodes")
                expect(page.locator(".recovery-codes li")).to_have_count(10)
                page.get_by_role("link", name="Doorgaan").click()
                expect(page).to_have_url(re.compile(r"/o/iskander/overzicht/$"))

                page.get_by_role("button", name="Uitloggen").click()
                page.goto(f"{live_server.url}/o/iskander/klachten/")
                page.get_by_label("Gebruikersnaam").fill(USERNAME)
                page.get_by_label("Wachtwoord").fill(PASSWORD)
                page.get_by_role("button", name="Inloggen").click()

                # Second login: the password, then a code from the app.
                expect(page).to_have_url(re.compile(r"/inloggen/code/\?next="))
                # The code of the next period: the one of this period was used at the setup,
                # and one period of clock drift is allowed.
                page.get_by_label("Code").fill(_code(secret, steps_ahead=1))
                page.get_by_role("button", name="Bevestigen").click()
                expect(page).to_have_url(re.compile(r"/o/iskander/klachten/$"))
                expect(page.get_by_role("heading", level=1)).to_contain_text("Klachten")
            except Exception:
                screenshot = tmp_path / "failure.png"
                page.screenshot(path=str(screenshot), full_page=True)
                print(f"screenshot of the failing page: {screenshot}")
                raise
        finally:
            browser.close()
