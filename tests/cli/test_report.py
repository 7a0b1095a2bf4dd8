"""`klachten report`: the JSON shape is a contract (docs/reports.md); bad input exits 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from klachtenregister.cli.main import main
from tests.support.registers import Desk

pytestmark = pytest.mark.django_db


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def smartplus(clock: Any, staff: Any, organisation: Any) -> Desk:
    org = organisation("smartplus")
    desk = Desk(org, staff(org), clock)
    desk.receive("2027-02-01", category="bejegening", complainant_name="Henk Geheim")
    desk.receive("2027-03-01", category="bejegening", complainant_name="Henk Geheim")
    desk.receive("2027-03-02", category="planning", complainant_name="Truus Verborgen")
    desk.receive("2026-03-02", category="planning", commissioning_party="UWV")
    clock.set("2027-08-02")
    return desk


def test_report_json_has_exactly_the_contracted_shape(smartplus: Desk) -> None:
    code, output = run("report", "smartplus", "--period", "2027", "--duty", "managementrapportage")
    assert code == 0
    report = json.loads(output)
    assert set(report) == {
        "organisation",
        "regulation",
        "version",
        "duty",
        "period",
        "generated_on",
        "figures",
    }
    assert report["organisation"] == "smartplus"
    assert report["duty"] == "managementrapportage"
    assert report["period"] == {"from": "2027-01-01", "to": "2027-12-31"}
    assert report["generated_on"] == "2027-08-02"
    assert list(report["figures"]) == ["complaints_received", "nature_of_complaints", "outcomes"]
    assert report["figures"]["complaints_received"]["total"] == 3
    # Anonymised: a category of 1 or 2 complaints is shown as "< 3".
    assert report["figures"]["nature_of_complaints"]["by_category"] == {
        "bejegening": "< 3",
        "planning": "< 3",
    }
    assert "Henk" not in output and "Truus" not in output


def test_without_a_duty_every_figure_is_reported(smartplus: Desk) -> None:
    code, output = run("report", "smartplus", "--period", "2027-Q1")
    assert code == 0
    report = json.loads(output)
    assert report["duty"] is None
    assert report["period"] == {"from": "2027-01-01", "to": "2027-03-31"}
    assert len(report["figures"]) == 13
    assert all("complainant" not in row for row in report["figures"]["complaint_list"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["niemand", "--period", "2027"], "Onbekende organisatie: niemand"),
        (["smartplus", "--period", "2027", "--duty", "jaarrapportage"], "managementrapportage"),
        (["smartplus", "--period", "twintig"], "not a period"),
        (["smartplus", "--period", "2027-13"], "not a period"),
        (["smartplus", "--period", "2027", "--opdrachtgever", "Niemand"], "opdrachtgever"),
    ],
)
def test_unknown_input_exits_2_with_a_message(
    smartplus: Desk, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, output = run("report", *argv)
    assert code == 2
    assert output == ""
    assert message in capsys.readouterr().err


def test_csv_xlsx_and_pdf(smartplus: Desk, tmp_path: Path) -> None:
    code, output = run("report", "smartplus", "--period", "2027", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(output)))
    assert ["complaints_received", "total", "3"] in rows

    xlsx = tmp_path / "r.xlsx"
    assert (
        run("report", "smartplus", "--period", "2027", "--format", "xlsx", "-o", str(xlsx))[0] == 0
    )
    book = load_workbook(xlsx)
    assert "Ontvangen klachten" in book.sheetnames
    sheet = book["Ontvangen klachten"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["totaal", 3] in values  # a number, not text

    pdf = tmp_path / "r.pdf"
    assert run("report", "smartplus", "--period", "2027", "--format", "pdf", "-o", str(pdf))[0] == 0
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Ontvangen klachten" in text
    assert "Henk" not in text

    assert run("report", "smartplus", "--period", "2027", "--format", "pdf")[0] == 2


def test_messages_in_english(smartplus: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--lang", "en", "report", "niemand", "--period", "2027")[0] == 2
    assert "Unknown organisation: niemand" in capsys.readouterr().err
