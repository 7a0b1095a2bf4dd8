"""In a real browser: a coordinator finds a withdrawn complaint on the Klachten page by the
complainant's surname, typed without its accent and in lower case, and opens it.

Runs like ``test_register_in_browser.py`` (Debian's Chromium through Playwright; skipped without
it unless KLACHTENREGISTER_REQUIRE_BROWSER=1). The complaints are stored before the browser starts:
Django refuses the ORM in the thread where Playwright's event loop runs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from klachtenregister.register.loading import load_regulations
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory, loaded_organisation
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.support.complaints import complaint_data, record

TODAY = dt.date(2027, 4, 19)
USERNAME = "klara"
PASSWORD = "een-lang-wachtwoord-7"


@pytest.fixture
def withdrawn_and_open(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> tuple[str, str]:
    """Two Iskander complaints: Zoë Çelik's, withdrawn (closed), and another's, still open."""
    monkeypatch.setattr("klachtenregister.register.clock.today", lambda: TODAY)
    settings.MEDIA_ROOT = tmp_path / "media"
    load_regulations(["iskander"])
    iskander = loaded_organisation("iskander")
    klara = UserFactory(
        username=USERNAME,
        full_name="Klara de Klachtenfunctionaris",
        memberships=[(iskander, RoleKind.COORDINATOR)],
        email="",
        password=PASSWORD,
    )
    withdrawn = register_complaint(
        iskander, klara, complaint_data(TODAY, complainant_name="Zoë Çelik")
    )
    record(withdrawn, klara, "withdrawn", TODAY)
    other = register_complaint(
        iskander, klara, complaint_data(TODAY, complainant_name="Pieter de Vries")
    )
    withdrawn.refresh_from_db()
    assert withdrawn.state == "withdrawn"
    return withdrawn.reference, other.reference


@pytest.mark.django_db(transaction=True)
def test_a_withdrawn_complaint_is_found_by_surname_and_opened(
    live_server: Any, withdrawn_and_open: tuple[str, str], tmp_path: Path
) -> None:
    require_chromium()
    withdrawn, other = withdrawn_and_open
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="nl-NL").new_page()
            try:
                page.goto(f"{live_server.url}/inloggen/")
                page.get_by_label("Gebruikersnaam").fill(USERNAME)
                page.get_by_label("Wachtwoord").fill(PASSWORD)
                page.get_by_role("button", name="Inloggen").click()
                expect(page).to_have_url(re.compile(r"/o/iskander/overzicht/$"))
                page.get_by_role("link", name="Termijnbewaking").click()
                expect(page).to_have_url(re.compile(r"/o/iskander/$"))
                # The watch list holds open complaints only: the withdrawn one is not there.
                expect(page.get_by_role("row").filter(has_text=withdrawn)).to_have_count(0)

                page.get_by_role("link", name="Klachten", exact=True).click()
                expect(page).to_have_url(re.compile(r"/o/iskander/klachten/$"))
                page.get_by_label("Zoeken").fill("celik")
                page.get_by_role("button", name="Zoeken").click()
                expect(page).to_have_url(re.compile(r"[?&]q=celik"))
                rows = page.get_by_role("row").filter(has_text=withdrawn)
                expect(rows).to_have_count(1)
                expect(rows).to_contain_text("Zoë Çelik")
                expect(page.get_by_role("row").filter(has_text=other)).to_have_count(0)

                rows.get_by_role("link", name=withdrawn).click()
                expect(page).to_have_url(re.compile(rf"/o/iskander/klachten/{withdrawn}/$"))
                expect(page.get_by_role("heading", level=1)).to_contain_text(withdrawn)
                expect(page.locator("main")).to_contain_text("ingetrokken")
            except Exception:
                screenshot = tmp_path / "failure.png"
                page.screenshot(path=str(screenshot), full_page=True)
                print(f"screenshot of the failing page: {screenshot}")
                raise
        finally:
            browser.close()
