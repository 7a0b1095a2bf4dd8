"""A computed report as a file: JSON, CSV, XLSX (one sheet per figure) or PDF (letterhead)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from klachtenregister.register.models import Organisation
from klachtenregister.reports.charts import bar_chart
from klachtenregister.reports.tables import Table, report_tables

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def filename(report: dict[str, Any], fmt: str) -> str:
    parts = [report["organisation"], report["duty"] or "rapportage", report["period"]["from"]]
    return "-".join(re.sub(r"[^A-Za-z0-9_-]", "", p) for p in parts) + f".{fmt}"


def to_json(report: dict[str, Any]) -> bytes:
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode()


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        items: list[tuple[str, Any]] = []
        for key, inner in value.items():
            items += _flatten(f"{prefix}.{key}" if prefix else str(key), inner)
        return items
    if isinstance(value, list):
        items = []
        for index, inner in enumerate(value):
            key = inner.get("reference") or inner.get("month") if isinstance(inner, dict) else None
            items += _flatten(f"{prefix}.{key or index}", inner)
        return items
    return [(prefix, value)]


def to_csv(report: dict[str, Any]) -> bytes:
    """One row per number: figure, key (dotted path), value; the heading rows say what it is."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "key", "value"])
    for name in ("organisation", "regulation", "version", "duty", "generated_on"):
        writer.writerow(["", name, report[name] or ""])
    writer.writerow(["", "period.from", report["period"]["from"]])
    writer.writerow(["", "period.to", report["period"]["to"]])
    for figure, value in report["figures"].items():
        for key, item in _flatten("", value):
            writer.writerow([figure, key, "" if item is None else item])
    return out.getvalue().encode()


def _sheet_title(text: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "", text)[:28] or "blad"
    candidate, n = title, 2
    while candidate in taken:
        candidate, n = f"{title[:25]} {n}", n + 1
    taken.add(candidate)
    return candidate


def to_xlsx(report: dict[str, Any]) -> bytes:
    # openpyxl has no type information of its own (types-openpyxl is not a dependency).
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    book = Workbook()
    summary = book.active
    summary.title = _("Rapportage")
    for row in (
        [_("organisatie"), report["organisation"]],
        [_("reglement"), f"{report['regulation']} {report['version']}"],
        [_("rapportageplicht"), report["duty"] or "-"],
        [_("periode van"), report["period"]["from"]],
        [_("periode tot en met"), report["period"]["to"]],
        [_("gemaakt op"), report["generated_on"]],
    ):
        summary.append(row)
    taken = {summary.title}
    for _figure, title, tables in report_tables(report):
        sheet = book.create_sheet(_sheet_title(title, taken))
        for table in tables:
            sheet.append([table.title])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            sheet.append(table.headers)
            for row in table.rows:
                sheet.append(row)
            sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def charted(tables: list[Table]) -> list[tuple[Table, Any]]:
    return [(table, bar_chart(table)) for table in tables]


def report_context(report: dict[str, Any], organisation: Organisation) -> dict[str, Any]:
    from klachtenregister.correspondence.selectors import letterhead_of

    return {
        "report": report,
        "organisation": organisation,
        "letterhead": letterhead_of(organisation),
        "figures": [
            (figure, title, charted(tables)) for figure, title, tables in report_tables(report)
        ],
    }


def _refuse_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    raise ValueError(f"a report fetches nothing: {url}")


def to_pdf(report: dict[str, Any], organisation: Organisation) -> bytes:
    import weasyprint

    from klachtenregister.reports.periods import Period
    from klachtenregister.reports.selectors import review_flag

    context = report_context(report, organisation)
    period = Period(
        dt.date.fromisoformat(report["period"]["from"]),
        dt.date.fromisoformat(report["period"]["to"]),
    )
    context["review_flag"] = review_flag(organisation, period)
    html = render_to_string("reports/report_pdf.html", context)
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    return pdf


def render(report: dict[str, Any], fmt: str, organisation: Organisation) -> bytes:
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "pdf":
        return to_pdf(report, organisation)
    raise ValueError(f"unknown format: {fmt}")
