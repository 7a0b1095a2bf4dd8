"""The reports page through HTTP: who sees it, the choices, the figures with their charts and
tables, the downloads; and no name or address of anyone in the register in any anonymised report.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.registers import Desk

pytestmark = pytest.mark.django_db

PAGE = "/o/smartplus/rapportages/"
PEOPLE = {
    "Henk Geheim": "Kerkstraat 1\n1234 AB Utrecht",
    "Truus Verborgen": "Dorpsweg 9\n4321 BA Zwolle",
    "Anne Anoniem": "Laan 3\n1111 AA Ede",
    "Willem Werknemer": "",
}


@pytest.fixture(autouse=True)
def keep_language() -> Iterator[None]:
    before = translation.get_language()
    yield
    translation.activate(before or "nl")


@pytest.fixture
def smartplus(clock: Any, staff: Any, organisation: Any, employee: Any) -> Desk:
    org = organisation("smartplus")
    desk = Desk(org, staff(org, email=""), clock)
    willem = employee(org, "Willem Werknemer", RoleKind.EMPLOYEE)
    for on, name, category in (
        ("2027-02-01", "Henk Geheim", "bejegening"),
        ("2027-03-01", "Truus Verborgen", "bejegening"),
        ("2027-03-02", "Anne Anoniem", "planning"),
        ("2027-03-03", "Henk Geheim", "bejegening"),
    ):
        desk.receive(
            on,
            category=category,
            complainant_name=name,
            complainant_address=PEOPLE[name],
            complainant_email=f"{name.split()[0].lower()}@example.nl",
            subjects=[("Willem Werknemer", willem)],
        )
    clock.set("2027-08-02")
    return desk


def client_for(desk: Desk, kind: RoleKind) -> Client:
    user = UserFactory(full_name=f"Iemand {kind.value}", memberships=[(desk.organisation, kind)])
    client = Client()
    client.force_login(user)
    return client


def test_only_coordinators_directors_and_managers_see_reports(smartplus: Desk) -> None:
    for kind in (RoleKind.COORDINATOR, RoleKind.DIRECTOR, RoleKind.MANAGER):
        assert client_for(smartplus, kind).get(PAGE).status_code == 200
    assert client_for(smartplus, RoleKind.EMPLOYEE).get(PAGE).status_code == 403
    assert client_for(smartplus, RoleKind.HANDLER).get(PAGE).status_code == 403
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(PAGE).status_code == 404


def test_the_page_shows_tables_and_charts_for_a_duty(smartplus: Desk) -> None:
    client = client_for(smartplus, RoleKind.COORDINATOR)
    response = client.get(PAGE, {"period": "2027", "duty": "managementrapportage"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Periodieke managementrapportage" in html
    assert "<svg" in html and "<table" in html
    assert "Ontvangen per maand" in html
    assert "&lt; 3" in html  # planning: 1 complaint, anonymised
    for name in PEOPLE:
        assert name not in html


def test_a_bad_period_is_a_form_error(smartplus: Desk) -> None:
    client = client_for(smartplus, RoleKind.COORDINATOR)
    response = client.get(PAGE, {"period": "vorig jaar"})
    assert response.status_code == 200
    assert "Geen geldige periode" in response.content.decode()
    response = client.get(PAGE, {"period": "2027", "duty": "bestaat_niet"})
    assert response.status_code == 200
    assert "bestaat_niet" in response.content.decode()  # Django's choice error names the value


def test_names_only_for_roles_allowed_personal_data(smartplus: Desk) -> None:
    coordinator = client_for(smartplus, RoleKind.COORDINATOR)
    manager = client_for(smartplus, RoleKind.MANAGER)
    query = {"period": "2027", "duty": "registratie_op_datum_binnenkomst", "format": "json"}
    assert "Henk Geheim" in coordinator.get(PAGE, query).content.decode()
    assert "Henk Geheim" not in manager.get(PAGE, query).content.decode()


def _texts(response: Any, fmt: str) -> str:
    if fmt == "pdf":
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
        )
    return response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "pdf"])
def test_no_anonymised_report_names_anyone(smartplus: Desk, fmt: str) -> None:
    client = client_for(smartplus, RoleKind.COORDINATOR)
    response = client.get(PAGE, {"period": "2027", "duty": "managementrapportage", "format": fmt})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] or fmt == "json"
    text = _texts(response, fmt)
    assert "bejegening" in text
    for name, address in PEOPLE.items():
        for part in [name, *name.split(), *address.splitlines()]:
            assert part not in text, (fmt, part)
        assert f"{name.split()[0].lower()}@example.nl" not in text


def test_downloads_carry_the_same_numbers(smartplus: Desk) -> None:
    client = client_for(smartplus, RoleKind.DIRECTOR)
    query = {"period": "2027", "duty": "managementrapportage"}
    report = json.loads(client.get(PAGE, {**query, "format": "json"}).content)
    assert report["figures"]["complaints_received"]["total"] == 4
    rows = list(
        csv.reader(io.StringIO(client.get(PAGE, {**query, "format": "csv"}).content.decode()))
    )
    assert ["complaints_received", "total", "4"] in rows
    book = load_workbook(io.BytesIO(client.get(PAGE, {**query, "format": "xlsx"}).content))
    values = [[c.value for c in row] for row in book["Ontvangen klachten"].iter_rows()]
    assert ["totaal", 4] in values
    assert {"Rapportage", "Ontvangen klachten", "Aard van de klachten", "Uitkomsten"} <= set(
        book.sheetnames
    )


def test_the_page_in_english(smartplus: Desk) -> None:
    client = client_for(smartplus, RoleKind.COORDINATOR)
    html = client.get("/en" + PAGE, {"period": "2027"}).content.decode()
    assert "Complaints received" in html and "Received per month" in html
    bad = client.get("/en" + PAGE, {"period": "last year"}).content.decode()
    assert "Not a valid period" in bad
