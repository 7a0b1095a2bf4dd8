"""A report's figures as titled tables: the one shape the page, the PDF, XLSX and CSV show.

Numbers stay numbers (XLSX cells, CSV), labels are translated here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klachtenregister.lifecycle.states import STATE_LABELS, State
from klachtenregister.regulations.labels import DEADLINE_KIND_LABELS, OUTCOME_LABELS

Cell = str | int | float | None

FIGURE_LABELS = {
    "complaints_received": gettext_lazy("Ontvangen klachten"),
    "not_taken_into_treatment": gettext_lazy("Niet in behandeling genomen"),
    "not_taken_into_treatment_in_term": gettext_lazy("Niet in behandeling genomen, binnen termijn"),
    "taken_into_treatment": gettext_lazy("In behandeling genomen"),
    "taken_into_treatment_in_term": gettext_lazy("In behandeling genomen, binnen termijn"),
    "throughput_times": gettext_lazy("Doorlooptijden"),
    "outcomes": gettext_lazy("Uitkomsten"),
    "complaint_list": gettext_lazy("Klachtenlijst"),
    "nature_of_complaints": gettext_lazy("Aard van de klachten"),
    "trends": gettext_lazy("Trends"),
    "corrective_measures_satisfaction": gettext_lazy("Tevredenheid over corrigerende maatregelen"),
    "preventive_measures_effect": gettext_lazy("Effect van preventieve maatregelen"),
    "regulation_review": gettext_lazy("Toetsing van het reglement"),
}

KEY_LABELS = {
    "total": gettext_lazy("totaal"),
    "open": gettext_lazy("nog open"),
    "undecided": gettext_lazy("nog geen besluit over behandeling"),
    "extended": gettext_lazy("waarvan na verlenging (verlengd)"),
    "late": gettext_lazy("te laat"),
    "pending": gettext_lazy("termijn loopt nog"),
    "withdrawn": gettext_lazy("ingetrokken"),
    "no_term": gettext_lazy("zonder termijn"),
    "founded": gettext_lazy("gegrond"),
    "partly_founded": gettext_lazy("deels gegrond"),
    "unfounded": gettext_lazy("ongegrond"),
    "resolved_informally": gettext_lazy("informeel opgelost"),
    "not_taken_into_treatment": gettext_lazy("niet in behandeling genomen"),
    "closed_by_silence": gettext_lazy("afgesloten na stilzwijgen"),
    "closed": gettext_lazy("afgesloten zonder oordeel"),
    "reopened": gettext_lazy("ooit heropend"),
    "escalated": gettext_lazy("ooit geëscaleerd"),
    "complaints": gettext_lazy("klachten"),
    "measures": gettext_lazy("maatregelen"),
    "in_term": gettext_lazy("binnen termijn"),
    "taken": gettext_lazy("in behandeling genomen"),
    "not_taken": gettext_lazy("niet in behandeling genomen"),
    "none": gettext_lazy("geen beklaagde"),
    "no_handler": gettext_lazy("(geen behandelaar)"),
    "unknown": gettext_lazy("onbekend (geen gebruiker)"),
    "director": gettext_lazy("directeur"),
    "manager": gettext_lazy("leidinggevende"),
    "coordinator": gettext_lazy("coördinator"),
    "handler": gettext_lazy("klachtbehandelaar"),
    "committee": gettext_lazy("commissielid"),
    "external_party": gettext_lazy("externe partij"),
    "employee": gettext_lazy("medewerker"),
    "complaint": gettext_lazy("hele klacht (ontvangst tot afsluiting)"),
    "years_without_review": gettext_lazy("afgelopen jaren zonder toetsing"),
    "carried_out": gettext_lazy("uitgevoerd"),
    "satisfied": gettext_lazy("klager tevreden"),
    "not_satisfied": gettext_lazy("klager niet tevreden"),
    "not_asked": gettext_lazy("tevredenheid niet gevraagd of onbekend"),
    "improved": gettext_lazy("verbeterd"),
    "no_change": gettext_lazy("geen verandering"),
    "effect_unknown": gettext_lazy("effect nog niet bekend"),
    "no_result": gettext_lazy("zonder vastgelegd resultaat"),
    "last": gettext_lazy("laatste toetsing"),
}


# The complaint list's columns as a reader sees them; the JSON export keeps the keys.
LIST_COLUMNS = {
    "reference": gettext_lazy("klachtnummer"),
    "received_on": gettext_lazy("ontvangen op"),
    "category": gettext_lazy("categorie"),
    "opdrachtgever": gettext_lazy("opdrachtgever"),
    "state": gettext_lazy("stand"),
    "treatment": gettext_lazy("behandeling"),
    "outcome": gettext_lazy("uitkomst"),
    "in_term": gettext_lazy("binnen termijn"),
    "closed_on": gettext_lazy("afgesloten op"),
    "throughput_working_days": gettext_lazy("doorlooptijd (werkdagen)"),
    "throughput_calendar_days": gettext_lazy("doorlooptijd (kalenderdagen)"),
    "reopened": gettext_lazy("ooit heropend"),
    "escalated": gettext_lazy("ooit geëscaleerd"),
    "complainant": gettext_lazy("klager"),
}
# Columns whose values are codes (a state, an outcome, ...), shown by their label.
CODED_COLUMNS = frozenset({"state", "treatment", "outcome", "in_term"})


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    # The column of numbers a chart draws (None: no chart), and its kind.
    chart: str = ""


def label(key: str) -> str:
    if key == "":
        return _("(geen categorie)")
    found = KEY_LABELS.get(key)
    if found is not None:
        return str(found)
    for labels in (DEADLINE_KIND_LABELS, OUTCOME_LABELS):
        if key in labels:
            return _(str(labels[key]))  # type: ignore[index]
    try:
        return _(STATE_LABELS[State(key)])
    except ValueError:
        return key


def _coded(column: str, value: str) -> str:
    if column == "state":  # "closed" is a state here, not the outcome "closed without judgement"
        try:
            return _(STATE_LABELS[State(value)])
        except ValueError:
            return value
    return label(value)


def figure_label(figure: str) -> str:
    return str(FIGURE_LABELS.get(figure, figure))


def _cell(value: Any) -> Cell:
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def _counts(title: str, counts: dict[str, Any], chart: str = "") -> Table:
    return Table(
        title,
        [_("omschrijving"), _("aantal")],
        [[label(k), _cell(v)] for k, v in counts.items() if not isinstance(v, list | dict)],
        chart,
    )


def _statistics_rows(name: str, stats: dict[str, Any]) -> list[list[Cell]]:
    rows = []
    for unit, unit_label in (
        ("working_days", _("werkdagen")),
        ("calendar_days", _("kalenderdagen")),
    ):
        s = stats[unit]
        rows.append([name, unit_label, s["count"], s["median"], s["p90"], s["max"]])
    return rows


def figure_tables(figure: str, value: Any) -> list[Table]:
    title = figure_label(figure)
    if figure == "complaints_received":
        tables = [_counts(title, value)]
        if "per_month" in value:
            tables.append(
                Table(
                    _("Ontvangen per maand"),
                    [_("maand"), _("aantal")],
                    [[m["month"], m["count"]] for m in value["per_month"]],
                    chart="bar",
                )
            )
        return tables
    if figure == "throughput_times":
        rows = _statistics_rows(label("complaint"), value["complaint"])
        for kind, stats in value["terms"].items():
            rows += _statistics_rows(label(kind), stats)
        headers = [_("wat"), _("eenheid"), _("aantal"), _("mediaan"), _("90e percentiel"), _("max")]
        return [Table(title, headers, rows, chart="throughput")]
    if figure == "nature_of_complaints":
        return [
            Table(
                _("Per categorie"),
                [_("categorie"), _("aantal")],
                [[label(k), v] for k, v in value["by_category"].items()],
                chart="bar",
            ),
            Table(
                _("Naar rol van de beklaagde"),
                [_("rol"), _("aantal")],
                [[label(k), v] for k, v in value["by_subject_role"].items()],
                chart="bar",
            ),
        ]
    if figure == "trends":
        periods = value["periods"]
        heads = [f"{p['from']} – {p['to']}" for p in periods]
        return [
            Table(
                title,
                [_("periode"), _("ontvangen"), _("in behandeling"), _("niet in behandeling")],
                [
                    [
                        h,
                        p["complaints_received"],
                        p["taken_into_treatment"],
                        p["not_taken_into_treatment"],
                    ]
                    for h, p in zip(heads, periods, strict=True)
                ],
                chart="bar",
            ),
            Table(
                _("Trend per categorie"),
                [_("categorie"), *heads],
                [[label(k), *v] for k, v in value["by_category"].items()],
            ),
        ]
    if figure == "complaint_list":
        keys = list(value[0]) if value else []
        return [
            Table(
                title,
                [str(LIST_COLUMNS.get(k, k)) for k in keys],
                [
                    [
                        label(row[k]) if k in CODED_COLUMNS and row[k] else _cell(row[k])
                        for k in keys
                    ]
                    for row in value
                ],
            )
        ]
    if figure == "regulation_review":
        tables = [
            Table(
                title,
                [_("datum"), _("door"), _("teamoverleg"), _("conclusie"), _("nieuwe versie")],
                [
                    [r["date"], r["by"], r["meeting"], r["conclusion"], _cell(r["new_version"])]
                    for r in value.get("reviews", [])
                ],
            )
        ]
        tables.append(
            _counts(
                _("Laatste toetsing"),
                {
                    "last": value.get("last") or "-",
                    "years_without_review": ", ".join(
                        str(y) for y in value.get("years_without_review", [])
                    )
                    or "-",
                },
            )
        )
        return tables
    if isinstance(value, dict):
        nested = [k for k, v in value.items() if isinstance(v, dict)]
        tables = [_counts(title, value, chart="bar" if figure == "outcomes" else "")]
        for key in nested:
            tables.append(_counts(f"{title}: {label(key)}", value[key]))
        return tables
    return [Table(title, [_("waarde")], [[_cell(value)]])]


def report_tables(report: dict[str, Any]) -> list[tuple[str, str, list[Table]]]:
    """(figure, its label, its tables) for every figure of the report, in order."""
    return [
        (figure, figure_label(figure), figure_tables(figure, value))
        for figure, value in report["figures"].items()
    ]
