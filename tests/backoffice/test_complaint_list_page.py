"""The page Klachten (``/o/<slug>/klachten/``) through HTTP: the table, search and filters in
the URL, 50 per page with the query kept, sortable columns, hostile parameters (200 and a
message, never 500), and the export as CSV and XLSX read back and compared with the page."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.complaints import record
from tests.support.webflows import Node, parse, url

LIST = url("complaint_list", "iskander")
ACK = next(d.label for d in load_preset("iskander").deadlines if d.id == "ontvangstbevestiging")
HEADINGS = [
    "Klachtnummer",
    "Ontvangen op",
    "Klager",
    "Stand",
    "Behandelaar",
    "Categorie",
    "Uitkomst",
    "Eerstvolgende termijn",
]


def table_rows(html: bytes) -> list[list[str]]:
    table = parse(html).find("table", {"class": "complaints"})
    assert table is not None
    assert [th.text().rstrip(" ▲▼") for th in table.find_all("th", {"scope": "col"})] == HEADINGS
    body = table.find("tbody")
    assert body is not None
    return [
        [cell.text() for cell in tr.elements()]
        for tr in body.find_all("tr")
        if tr.find("th") is not None
    ]


def references(response: Any) -> list[str]:
    assert response.status_code == 200
    return [row[0] for row in table_rows(response.content)]


def problems(response: Any) -> str:
    alert = parse(response.content).find("div", {"class": "alert"})
    return alert.text() if alert else ""


def link(page: Node, text: str) -> str:
    found = [a.attrs["href"] for a in page.find_all("a") if a.text().startswith(text)]
    assert found, text
    return found[0]


@pytest.fixture
def three(
    register: Callable[..., Complaint], klara: User, piet: User, clock: Clock
) -> list[Complaint]:
    a = register(
        "2027-04-19",
        complainant_name="Fatima el Idrissi",
        complainant_email="fatima@example.org",
        category="Bejegening",
        commissioning_party="UWV",
        description='=HYPERLINK("http://example.org")',
    )
    b = register("2027-04-20", complainant_name="Karel de Groot", category="Communicatie")
    c = register("2027-04-21", channel="email", complainant_name="Coördinator Çelik")
    clock.set("2027-04-22")
    record(
        a,
        klara,
        "handler_assigned",
        "2027-04-22",
        {"handler": "Piet Pietersen"},
        {"handler": piet.pk},
    )
    record(b, klara, "acknowledged", "2027-04-22")
    return [a, b, c]


def test_the_page_lists_every_visible_complaint_and_the_nav_links_it(
    client: Client, klara: User, three: list[Complaint]
) -> None:
    client.force_login(klara)
    response = client.get(LIST)
    rows = table_rows(response.content)
    assert [row[0] for row in rows] == ["ISK-2027-0003", "ISK-2027-0002", "ISK-2027-0001"]
    assert rows[2][:6] == [
        "ISK-2027-0001",
        "19-04-2027",
        "Fatima el Idrissi",
        "geregistreerd",
        "Piet Pietersen",
        "Bejegening",
    ]
    assert LIST in [a.attrs["href"] for a in parse(response.content).find_all("a")]
    assert client.get(url("watchlist", "iskander")).content.count(LIST.encode()) >= 1


def test_search_and_filters_are_in_the_url(
    client: Client, klara: User, three: list[Complaint]
) -> None:
    client.force_login(klara)
    assert references(client.get(LIST, {"q": "idrissi"})) == ["ISK-2027-0001"]
    assert references(client.get(LIST, {"q": "coordinator celik"})) == ["ISK-2027-0003"]
    assert references(client.get(LIST, {"q": "isk-2027-2"})) == ["ISK-2027-0002"]
    assert references(client.get(LIST, {"channel": "email"})) == ["ISK-2027-0003"]
    assert references(client.get(LIST, {"category": "Bejegening"})) == ["ISK-2027-0001"]
    response = client.get(LIST, {"q": "de", "sort": "reference"})
    page = parse(response.content)
    search_box = page.find("input", {"name": "q"})
    assert search_box is not None and search_box.attrs["value"] == "de"
    # The sort links keep the search; the export links too.
    sort_link = link(page, "Klachtnummer")
    assert parse_qs(urlparse(sort_link).query) == {"q": ["de"], "sort": ["-reference"]}
    csv_link = link(page, "CSV")
    assert parse_qs(urlparse(csv_link).query) == {
        "q": ["de"],
        "sort": ["reference"],
        "format": ["csv"],
    }


def test_a_handler_sees_only_their_complaints(
    client: Client, piet: User, three: list[Complaint]
) -> None:
    client.force_login(piet)
    assert references(client.get(LIST)) == ["ISK-2027-0001"]


def test_fifty_per_page_and_paging_keeps_the_filters(
    client: Client, klara: User, register: Callable[..., Complaint]
) -> None:
    for _ in range(52):
        register("2027-04-19", category="Bejegening")
    register("2027-04-19", category="Anders")
    client.force_login(klara)
    # The first view of the organisation remembers it in the session (a write); count after it.
    client.get(LIST)
    with CaptureQueriesContext(connection) as first:
        response = client.get(LIST, {"category": "Bejegening", "sort": "reference"})
    rows = references(response)
    assert len(rows) == 50 and rows[0] == "ISK-2027-0001"
    following = link(parse(response.content), "Volgende")
    assert parse_qs(urlparse(following).query) == {
        "category": ["Bejegening"],
        "sort": ["reference"],
        "page": ["2"],
    }
    with CaptureQueriesContext(connection) as second:
        second_page = client.get(LIST + following)
    assert references(second_page) == ["ISK-2027-0051", "ISK-2027-0052"]
    # The same queries for 50 rows as for 2: nothing is fetched per row.
    assert len(second) == len(first)


@pytest.mark.parametrize(
    "query",
    [
        "year=abc&received_from=0001-01-01&handler=%C2%B9&sort=;drop",
        "received_to=2027-13-45&page=-1&state=%00&missed=%27",
        "escalated=%F0%9F%92%A5&format=pdf&page=99999999999999999999",
    ],
)
def test_hostile_parameters_give_the_page_with_a_message(
    client: Client, klara: User, three: list[Complaint], query: str
) -> None:
    client.force_login(klara)
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert "genegeerd" in problems(response)
    assert len(references(response)) in (0, 3)


def test_a_user_of_another_organisation_gets_404(
    client: Client, loket3: Organisation, three: list[Complaint]
) -> None:
    client.force_login(UserFactory(memberships=[(loket3, RoleKind.COORDINATOR)]))
    assert client.get(LIST).status_code == 404


def _csv(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def _xlsx(response: Any) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_csv_export_matches_the_page(
    client: Client, klara: User, three: list[Complaint]
) -> None:
    client.force_login(klara)
    page = table_rows(client.get(LIST, {"sort": "reference"}).content)
    response = client.get(LIST, {"sort": "reference", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert [r["Klachtnummer"] for r in rows] == [row[0] for row in page]
    assert [r["Ontvangen op"] for r in rows] == [row[1] for row in page]
    assert [r["Naam klager"] for r in rows] == [row[2] for row in page]
    assert [r["Stand"] for r in rows] == [row[3] for row in page]
    assert [r["Behandelaar"] or "-" for r in rows] == [row[4] for row in page]
    assert rows[0]["E-mailadres klager"] == "fatima@example.org"
    assert rows[0]["Opdrachtgever"] == "UWV"
    assert rows[0]["Kanaal"] == "schriftelijk (brief)"
    assert rows[1][f"{ACK} uiterlijk"] == "28-04-2027"  # Koningsdag skipped
    assert rows[1][f"{ACK} gehaald op"] == "22-04-2027"
    assert rows[0][f"{ACK} gehaald op"] == ""


def test_the_xlsx_export_matches_the_page_and_holds_no_formula(
    client: Client, klara: User, three: list[Complaint]
) -> None:
    client.force_login(klara)
    page = table_rows(client.get(LIST, {"q": "idrissi"}).content)
    response = client.get(LIST, {"q": "idrissi", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx(response)
    assert [r["Klachtnummer"] for r in rows] == [row[0] for row in page] == ["ISK-2027-0001"]
    assert rows[0]["Naam klager"] == "Fatima el Idrissi"
    assert rows[0]["Ontvangen op"].date().isoformat() == "2027-04-19"
    assert rows[0][f"{ACK} uiterlijk"].date().isoformat() == "2027-04-26"


def test_an_entered_formula_stays_text() -> None:
    from klachtenregister.backoffice.export import csv_lines, safe

    assert safe("=1+1") == "'=1+1" and safe("-5") == "'-5" and safe("@x") == "'@x"
    assert safe("+31 6") == "'+31 6" and safe("Karel") == "Karel" and safe(5) == 5
    assert list(csv_lines(["a"], [["=cmd|' /C calc'!A0"]]))[1] == "'=cmd|' /C calc'!A0\r\n"


def test_a_handler_gets_no_personal_columns(
    client: Client, piet: User, three: list[Complaint]
) -> None:
    client.force_login(piet)
    rows = _csv(client.get(LIST, {"format": "csv"}))
    assert [r["Klachtnummer"] for r in rows] == ["ISK-2027-0001"]
    assert "Naam klager" not in rows[0] and "E-mailadres klager" not in rows[0]
    assert "Naam klager" not in _xlsx(client.get(LIST, {"format": "xlsx"}))[0]


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "vries"}, {"state": "registered", "handler": "1"}, {"category": "Bejegening"}],
    ids=["plain", "search", "filters", "category"],
)
def test_the_same_queries_for_two_and_thirty_complaints(
    client: Client,
    klara: User,
    piet: User,
    register: Callable[..., Complaint],
    clock: Clock,
    query: dict[str, str],
) -> None:
    # Each complaint with a handler, a category and a commissioning party of its own: nothing
    # on the page (handler names, next term, the filters' choices, the menu) is read per row
    # or per value, and the user's memberships once.
    def add(count: int) -> None:
        for number in range(count):
            complaint = register(
                f"2027-04-{1 + number % 20:02d}",
                complainant_name="Mevrouw De Vries",
                category=f"Categorie {number}",
                commissioning_party=f"Opdrachtgever {number}",
            )
            record(
                complaint,
                klara,
                "handler_assigned",
                complaint.received_on,
                {"handler": "Piet Pietersen"},
                {"handler": piet.pk},
            )

    def queries() -> int:
        clock.set("2027-04-26")
        client.force_login(klara)
        client.get(LIST, query)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST, query)
        assert response.status_code == 200
        return len(captured)

    add(2)
    few = queries()
    add(28)
    assert queries() == few
    # A search first asks whether the words as written find anything (then no fuzzy search).
    assert few <= (11 if "q" in query else 10), few
