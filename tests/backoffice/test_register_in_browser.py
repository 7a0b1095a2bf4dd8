"""In a real browser: a coordinator logs in, registers a complaint and sees its
acknowledgement deadline on the watch list.

Headless Chromium from Debian's ``chromium`` package, driven by Playwright (``playwright install``
cannot download browsers here). Without /usr/bin/chromium the test is skipped, unless
KLACHTENREGISTER_REQUIRE_BROWSER=1 (as in CI), when it fails.

The database work happens before and after the browser runs: Playwright's sync API keeps an
event loop running in this thread, and Django refuses the ORM there. The live server answers from
its own thread.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from klachtenregister.register.loading import load_regulations
from klachtenregister.register.models import Complaint, ComplaintPerson
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory, loaded_organisation
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

# Mon 19 Apr 2027. ontvangstbevestiging (5 werkdagen after receipt, Stroomschema rij 1):
# Tue 20, Wed 21, Thu 22, Fri 23, Mon 26 Apr -> due Mon 26 Apr 2027; more than two working days
# away, so the traffic light says "later".
TODAY = dt.date(2027, 4, 19)
ACKNOWLEDGEMENT_DUE = "2027-04-26"
EMAIL = "wilhelmina.van-den-heuvel-hoogendoorn@voorbeeld-re-integratie.example.nl"
USERNAME = "klara"
PASSWORD = "een-lang-wachtwoord-7"
COMPLAINANT = "Mevrouw Annemarie Jacobs"


@pytest.fixture
def iskander_coordinator(
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    tmp_path: Path,
) -> Any:
    """Iskander with its regulation, a klachtenfunctionaris (coordinator) and the clock set."""
    monkeypatch.setattr("klachtenregister.register.clock.today", lambda: TODAY)
    settings.MEDIA_ROOT = tmp_path / "media"
    load_regulations(["iskander"])
    return UserFactory(
        username=USERNAME,
        full_name="Klara de Klachtenfunctionaris",
        memberships=[(loaded_organisation("iskander"), RoleKind.COORDINATOR)],
        email="",
        password=PASSWORD,
    )


def register_through_the_pages(page: Page, base_url: str) -> str:
    """Log in, register a complaint, go to the watch list; returns the complaint's reference."""
    page.goto(f"{base_url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(USERNAME)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # A coordinator's home is the dashboard of their (only) organisation; the menu leads on.
    expect(page).to_have_url(re.compile(r"/o/iskander/overzicht/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Overzicht")
    page.get_by_role("link", name="Termijnbewaking").click()
    expect(page).to_have_url(re.compile(r"/o/iskander/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Termijnbewaking")

    page.get_by_role("link", name="Klacht registreren").click()
    expect(page).to_have_url(re.compile(r"/o/iskander/klachten/nieuw/$"))
    page.get_by_label("Ontvangen op").fill(TODAY.isoformat())
    page.get_by_label("Ontvangen via").select_option("written")
    page.get_by_label("Omschrijving van de klacht").fill(
        "De re-integratiecoach kwam twee afspraken niet na en belde niet af."
    )
    page.get_by_label("Naam klager").fill(COMPLAINANT)
    page.locator("#id_complainant_email").fill(EMAIL)
    page.get_by_label("Over wie gaat de klacht").fill("Jan de Coach")
    page.get_by_role("button", name="Registreren").click()

    expect(page).to_have_url(re.compile(r"/o/iskander/klachten/ISK-2027-\d{4}/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("ISK-2027-")
    reference = re.search(r"ISK-2027-\d{4}", heading.inner_text())
    assert reference is not None
    # The complaint page lists the acknowledgement term with its due date.
    acknowledgement = page.locator("tr[data-deadline='ontvangstbevestiging']")
    expect(acknowledgement.locator(f"time[datetime='{ACKNOWLEDGEMENT_DUE}']")).to_be_visible()
    # On a phone the page does not scroll sideways, even for a long e-mail address (one word).
    desk = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("dl.facts").get_by_text(EMAIL)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if desk is not None:
        page.set_viewport_size(desk)

    page.get_by_role("link", name="Termijnbewaking").click()
    expect(page).to_have_url(re.compile(r"/o/iskander/$"))
    row = page.get_by_role("row").filter(has_text=reference.group())
    expect(row).to_have_count(1)
    expect(row).to_contain_text(COMPLAINANT)
    expect(row).to_contain_text(re.compile("ontvangstbevestiging", re.IGNORECASE))
    expect(row.locator(f"time[datetime='{ACKNOWLEDGEMENT_DUE}']")).to_be_visible()
    expect(row).to_contain_text("later")
    return reference.group()


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_registers_a_complaint_and_sees_its_acknowledgement_deadline(
    live_server: Any, iskander_coordinator: Any, tmp_path: Path
) -> None:
    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="nl-NL")
            page = context.new_page()
            try:
                reference = register_through_the_pages(page, live_server.url)
            except Exception:
                screenshot = tmp_path / "failure.png"
                page.screenshot(path=str(screenshot), full_page=True)
                print(f"screenshot of the failing page: {screenshot}")
                raise
        finally:
            browser.close()

    # What the pages showed is what was stored.
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.received_on == TODAY
    assert complaint.registered_by == iskander_coordinator
    assert complaint.complainant_name == COMPLAINANT
    assert list(complaint.events.values_list("event", flat=True)) == ["received", "registered"]
    assert list(complaint.people.values_list("relation", "name")) == [
        (ComplaintPerson.SUBJECT, "Jan de Coach")
    ]
    acknowledgement = complaint.deadlines.get(deadline_id="ontvangstbevestiging")
    assert acknowledgement.due.isoformat() == ACKNOWLEDGEMENT_DUE
    assert acknowledgement.running
