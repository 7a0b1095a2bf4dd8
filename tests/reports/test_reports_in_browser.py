"""In a real browser: a coordinator opens the reports from the menu, chooses IN FOCUS Samen's
yearly report for 2027 (for an opdrachtgever, as the form asks), reads the figures in tables
beside their charts, and downloads the XLSX.

Runs like tests/backoffice/test_search_in_browser.py (Debian's Chromium through Playwright;
skipped without it unless KLACHTENREGISTER_REQUIRE_BROWSER=1). The register is written before the
browser starts: Django refuses the ORM in the thread where Playwright's event loop runs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect, sync_playwright

from klachtenregister.register.loading import load_regulations
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory, loaded_organisation
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.support.complaints import complaint_data

TODAY = dt.date(2027, 8, 2)
USERNAME = "wendy"
PASSWORD = "een-lang-wachtwoord-7"


@pytest.fixture
def infocus_register(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("klachtenregister.register.clock.today", lambda: TODAY)
    load_regulations(["infocus-samen"])
    infocus = loaded_organisation("infocus-samen")
    wendy = UserFactory(
        username=USERNAME,
        full_name="Wendy Jansen",
        memberships=[(infocus, RoleKind.COORDINATOR)],
        email="",
        password=PASSWORD,
    )
    for on, category in (("2027-03-01", "bejegening"), ("2027-05-03", "planning")):
        data = complaint_data(on, category=category, commissioning_party="UWV")
        register_complaint(infocus, wendy, data, registered_on=TODAY)


@pytest.mark.django_db(transaction=True)
def test_the_yearly_report_is_read_and_downloaded(
    live_server: Any, infocus_register: None, tmp_path: Path
) -> None:
    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="nl-NL", accept_downloads=True).new_page()
            try:
                page.goto(f"{live_server.url}/inloggen/")
                page.get_by_label("Gebruikersnaam").fill(USERNAME)
                page.get_by_label("Wachtwoord").fill(PASSWORD)
                page.get_by_role("button", name="Inloggen").click()
                page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
                    "link", name="Rapportages", exact=True
                ).click()
                expect(page).to_have_url(re.compile(r"/o/infocus-samen/rapportages/"))
                page.get_by_label("Rapportageplicht").select_option("jaarrapportage")
                page.get_by_label("Periode").fill("2027")
                page.get_by_role("button", name="Toon").click()
                # The yearly report goes to an opdrachtgever: without one, the form says so.
                expect(page.get_by_role("alert")).to_contain_text("per opdrachtgever")
                page.get_by_label("Opdrachtgever").select_option("UWV")
                page.get_by_role("button", name="Toon").click()
                expect(page).to_have_url(re.compile(r"duty=jaarrapportage"))
                received = page.get_by_role("table", name="Ontvangen klachten")
                expect(received.get_by_role("row").filter(has_text="totaal")).to_contain_text("2")
                expect(page.get_by_role("table", name="Ontvangen per maand")).to_be_visible()
                expect(page.locator("svg.chart").first).to_be_visible()
                # The site's style sheet applies (no inline style the CSP would refuse): the
                # chart stands beside its table on a desk.
                chart = page.locator("#figuur-complaints_received svg.chart").bounding_box()
                table = page.get_by_role("table", name="Ontvangen per maand").bounding_box()
                assert chart is not None and table is not None
                assert chart["x"] + chart["width"] <= table["x"]
                with page.expect_download() as download_info:
                    page.get_by_role("link", name="XLSX").click()
                target = tmp_path / "rapport.xlsx"
                download_info.value.save_as(target)

                # On a phone neither the report (a wide complaint list, long duty names) nor
                # the dashboard scrolls sideways: wide tables scroll inside their own box.
                phone = page.context.new_page()
                phone.set_viewport_size({"width": 390, "height": 844})
                for address in (page.url, f"{live_server.url}/o/infocus-samen/overzicht/"):
                    phone.goto(address)
                    width = phone.evaluate("document.documentElement.scrollWidth")
                    assert width <= 390, (address, width)
            except Exception:
                screenshot = tmp_path / "failure.png"
                page.screenshot(path=str(screenshot), full_page=True)
                print(f"screenshot of the failing page: {screenshot}")
                raise
        finally:
            browser.close()
    book = load_workbook(target)
    values = [[c.value for c in row] for row in book["Ontvangen klachten"].iter_rows()]
    assert ["totaal", 2] in values
