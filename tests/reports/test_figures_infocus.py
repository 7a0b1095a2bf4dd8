"""IN FOCUS Samen's figures (its yearly report and the opdrachtgever's inzage), counted by hand.

Nine complaints written through the services; the report is made on Mon 2 Aug 2027 for 2027.
Working days on the Atw calendar of 2027: Koningsdag Tue 27 Apr, 5 May (Wed), Hemelvaartsdag
Thu 6 May, the decree day Fri 7 May, Goede Vrijdag 26 Mar, Tweede Paasdag 29 Mar, Tweede
Pinksterdag 17 May.

| | received | path | treatment | term | result |
|---|---|---|---|---|---|
| A | Tue 20 Apr | accepted, founded, sent 11 May, closed 12 May | taken | in term | founded|
| B | Mon 3 May | accepted, uitspraak +3 weeks, sent 14 Jun | taken | in term, verlengd | unfounded|
| C | Mon 10 May | inadmissible, notice 17 May, closed 18 May | not taken | in term | not taken |
| D | Mon 1 Mar | inadmissible, notice 5 Apr (due 29 Mar), closed 6 Apr | not taken | late | n.t. |
| E | Tue 1 Jun | accepted, nothing since (uitspraak due 29 Jun) | taken | late | open |
| F | Mon 26 Jul | committee appointed only | undecided | - | open |
| G | Mon 7 Jun | withdrawn Thu 10 Jun | undecided | - | withdrawn |
| H | Thu 1 Apr | voided | counts nowhere | | |
| I | Tue 2 Nov 2026 | (last year: only in the trends) | | | |
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from klachtenregister.regulations.vocabulary import RoleKind
from klachtenregister.reports.periods import parse_period
from klachtenregister.reports.selectors import ReportError, ReportRequest, compute

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2027, 8, 2)


@pytest.fixture
def register(desk: Any, employee: Any) -> Any:
    d = desk("infocus-samen")
    lotte = employee(d.organisation, "Lotte Dekker", RoleKind.EMPLOYEE)
    bas = employee(d.organisation, "Bas Hendriks", RoleKind.COMMITTEE)
    members = {"members": [d.sam.pk, bas.pk]}

    def appoint(c: Any, on: str) -> None:
        names = ["Sam Stafmedewerker", "Bas Hendriks"]
        d.act(c, on, "committee_appointed", members, members=names)

    a = d.receive(
        "2027-04-20",
        category="bejegening",
        commissioning_party="UWV",
        complainant_name="Karin Vos",
        subjects=[("Lotte Dekker", lotte)],
    )
    appoint(a, "2027-04-20")
    d.act(a, "2027-04-26", "acknowledged")
    d.act(a, "2027-04-26", "accepted")
    # De procedure 5: all parties are heard before the committee judges.
    d.act(a, "2027-05-10", "hearing_held", heard=["Karin Vos", "Lotte Dekker"])
    d.act(a, "2027-05-10", "decision_made", outcome="founded")
    d.act(a, "2027-05-11", "decision_sent")
    d.act(a, "2027-05-12", "closed")

    b = d.receive("2027-05-03", category="bejegening", commissioning_party="Gemeente Eindhoven")
    appoint(b, "2027-05-03")
    d.act(b, "2027-05-04", "acknowledged")
    d.act(b, "2027-05-04", "accepted")
    d.act(
        b,
        "2027-05-25",
        "extended",
        deadline="uitspraak",
        by={"amount": 3, "unit": "weken"},
        reason="Werkgever pas later bereikbaar.",
        consent=True,
    )
    d.act(b, "2027-06-10", "hearing_held", heard=["de klager"])
    d.act(b, "2027-06-10", "decision_made", outcome="unfounded")
    d.act(b, "2027-06-14", "decision_sent")

    c = d.receive("2027-05-10", category="huisvesting")
    appoint(c, "2027-05-10")
    d.act(c, "2027-05-11", "acknowledged")
    d.act(c, "2027-05-14", "declared_inadmissible", reason="Geen klacht over de dienst.")
    d.act(c, "2027-05-17", "inadmissibility_notice_sent")
    d.act(c, "2027-05-18", "closed")

    late = d.receive("2027-03-01", category="huisvesting")
    appoint(late, "2027-03-01")
    d.act(late, "2027-03-02", "acknowledged")
    d.act(late, "2027-03-05", "declared_inadmissible", reason="Geen klacht over de dienst.")
    d.act(late, "2027-04-05", "inadmissibility_notice_sent")
    d.act(late, "2027-04-06", "closed")

    e = d.receive("2027-06-01", category="communicatie", commissioning_party="UWV")
    appoint(e, "2027-06-01")
    d.act(e, "2027-06-02", "acknowledged")
    d.act(e, "2027-06-02", "accepted")

    f = d.receive("2027-07-26")
    appoint(f, "2027-07-26")

    g = d.receive("2027-06-07")
    d.act(g, "2027-06-10", "withdrawn", reason="Toch opgelost.")

    h = d.receive("2027-04-01", category="bejegening", commissioning_party="UWV")
    d.act(h, "2027-04-01", "registration_voided", reason="Dubbel ingevoerd.")

    d.receive("2026-11-02", category="bejegening")
    d.clock.set(AS_OF.isoformat())
    return d


def report(register: Any, **options: Any) -> dict[str, Any]:
    options.setdefault("period", "2027")
    period = parse_period(options.pop("period"))
    return compute(ReportRequest(register.organisation, period, **options), as_of=AS_OF)


def test_the_five_figures_counted_by_hand(register: Any) -> None:
    result = report(register)
    assert result["organisation"] == "infocus-samen"
    assert result["regulation"] == "infocus-samen"
    assert result["duty"] is None
    assert result["period"] == {"from": "2027-01-01", "to": "2027-12-31"}
    assert result["generated_on"] == "2027-08-02"
    figures = result["figures"]
    received = figures["complaints_received"]
    assert (received["total"], received["open"], received["undecided"]) == (7, 2, 2)
    assert [m["count"] for m in received["per_month"]] == [0, 0, 1, 1, 2, 2, 1, 0, 0, 0, 0, 0]
    assert figures["not_taken_into_treatment"] == {"total": 2}
    assert figures["not_taken_into_treatment_in_term"] == {
        "total": 1,
        "extended": 0,
        "late": 1,
        "pending": 0,
        "withdrawn": 0,
        "no_term": 0,
    }
    assert figures["taken_into_treatment"] == {"total": 3}
    assert figures["taken_into_treatment_in_term"] == {
        "total": 2,
        "extended": 1,
        "late": 1,
        "pending": 0,
        "withdrawn": 0,
        "no_term": 0,
    }


def test_outcomes_throughput_and_nature(register: Any) -> None:
    figures = report(register)["figures"]
    assert figures["outcomes"] == {
        "founded": 1,
        "partly_founded": 0,
        "unfounded": 1,
        "resolved_informally": 0,
        "not_taken_into_treatment": 2,
        "withdrawn": 1,
        "closed": 0,
        "open": 2,
        "closed_by_silence": 0,
        "reopened": 0,
        "escalated": 0,
    }
    # Closed (or withdrawn) complaints: G 3 days / 3 working days, C 8 / 5 (17 May off),
    # A 22 / 12 (27 Apr, 5, 6, 7 May off), D 36 / 24 (26 and 29 Mar off).
    whole = figures["throughput_times"]["complaint"]
    assert whole["calendar_days"] == {"count": 4, "median": 8, "p90": 36, "max": 36}
    assert whole["working_days"] == {"count": 4, "median": 5, "p90": 24, "max": 24}
    # The uitspraak: A from 20 Apr to 11 May (21 days), B from 3 May to 14 Jun (42 days).
    decision = figures["throughput_times"]["terms"]["decision"]
    assert decision["calendar_days"] == {"count": 2, "median": 21, "p90": 42, "max": 42}
    nature = figures["nature_of_complaints"]
    assert nature["by_category"] == {"": 2, "bejegening": 2, "huisvesting": 2, "communicatie": 1}
    assert nature["by_subject_role"] == {"none": 6, "employee": 1}
    trends = figures["trends"]
    assert [p["complaints_received"] for p in trends["periods"]] == [7, 1, 0]
    assert trends["by_category"]["bejegening"] == [2, 1, 0]


def test_the_yearly_report_is_made_per_opdrachtgever(register: Any) -> None:
    with pytest.raises(ReportError, match="per opdrachtgever"):
        report(register, duty="jaarrapportage")
    # UWV's: A (taken, in term) and E (taken, late); H is voided.
    result = report(register, duty="jaarrapportage", opdrachtgever="UWV")
    figures = result["figures"]
    assert list(figures) == [
        "complaints_received",
        "not_taken_into_treatment",
        "not_taken_into_treatment_in_term",
        "taken_into_treatment",
        "taken_into_treatment_in_term",
    ]
    assert figures["complaints_received"]["total"] == 2
    assert figures["not_taken_into_treatment"] == {"total": 0}
    assert figures["not_taken_into_treatment_in_term"]["total"] == 0
    assert figures["taken_into_treatment"] == {"total": 2}
    in_term = figures["taken_into_treatment_in_term"]
    assert (in_term["total"], in_term["late"], in_term["extended"]) == (1, 1, 0)


def test_complaint_list_names_only_when_allowed(register: Any) -> None:
    listing = report(register)["figures"]["complaint_list"]
    assert [row["reference"][-4:] for row in listing] == [
        "0004",  # D, 1 Mar
        "0001",  # A, 20 Apr
        "0002",  # B
        "0003",  # C
        "0005",  # E
        "0007",  # G
        "0006",  # F
    ]
    assert all("complainant" not in row for row in listing)
    named = report(register, names=True)["figures"]
    assert named["complaint_list"][1]["complainant"] == "Karin Vos"
    assert named["complaint_list"][1]["in_term"] == "in_term"
    assert named["complaint_list"][1]["throughput_working_days"] == 12


def test_opdrachtgever_sees_only_its_complaints(register: Any) -> None:
    figures = report(register, duty="inzage_opdrachtgever", opdrachtgever="uwv")["figures"]
    assert [row["category"] for row in figures["complaint_list"]] == ["bejegening", "communicatie"]
    assert figures["outcomes"]["founded"] == 1
    assert figures["outcomes"]["open"] == 1
    assert figures["throughput_times"]["complaint"]["calendar_days"]["count"] == 1


def test_unknown_duty_and_opdrachtgever_are_refused(register: Any) -> None:
    with pytest.raises(ReportError, match="managementrapportage"):
        report(register, duty="managementrapportage")
    with pytest.raises(ReportError, match="Onbekende opdrachtgever"):
        report(register, opdrachtgever="Niemand BV")
