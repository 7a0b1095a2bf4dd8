"""Loket3's yearly analysis (measures and their results) and Iskander's yearly review of the
regulation, counted by hand; results and reviews entered through their pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from klachtenregister.register.models import ComplaintEvent
from klachtenregister.regulations.vocabulary import RoleKind
from klachtenregister.reports import services
from klachtenregister.reports.periods import parse_period
from klachtenregister.reports.selectors import ReportRequest, compute
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loket3(desk: Any, employee: Any) -> Any:
    d = desk("loket3")
    bram = employee(d.organisation, "Bram Bakker", RoleKind.EMPLOYEE)
    mia = employee(d.organisation, "Mia Manager", RoleKind.MANAGER)
    handler = {"handler": d.sam.pk}

    def handled(on: str, category: str, subject: Any, name: str) -> Any:
        c = d.receive(on, category=category, subjects=[(name, subject)])
        d.act(c, on, "handler_assigned", handler, handler="Sam Stafmedewerker")
        return c

    one = handled("2027-04-22", "dienstverlening", bram, "Bram Bakker")
    d.act(one, "2027-04-30", "acknowledged")
    d.act(one, "2027-04-30", "accepted")
    # Handelswijze 1: the hearing is offered, and declined here.
    d.act(one, "2027-05-11", "hearing_invitation_sent")
    d.act(one, "2027-05-11", "hearing_declined")
    d.act(one, "2027-05-11", "decision_made", outcome="founded")
    d.act(one, "2027-05-12", "measures_recorded", type="corrective")
    d.act(one, "2027-05-20", "decision_sent")
    d.act(one, "2027-06-09", "measures_recorded", type="preventive")

    two = handled("2027-05-03", "bereikbaarheid", mia, "Mia Manager")
    d.act(two, "2027-05-06", "acknowledged")
    d.act(two, "2027-05-06", "accepted")
    d.act(two, "2027-05-18", "hearing_invitation_sent")
    d.act(two, "2027-05-18", "hearing_declined")
    d.act(two, "2027-05-18", "decision_made", outcome="partly_founded")
    d.act(two, "2027-05-19", "measures_recorded", type="corrective")

    d.receive("2026-09-01", category="dienstverlening")
    d.clock.set("2027-08-02")
    return d


def measure(complaint_ref_end: str, kind: str) -> ComplaintEvent:
    return ComplaintEvent.objects.get(
        complaint__reference__endswith=complaint_ref_end,
        event="measures_recorded",
        payload__type=kind,
    )


def test_loket3_analysis_counts_measures_and_their_results(loket3: Any) -> None:
    coordinator = UserFactory(memberships=[(loket3.organisation, RoleKind.COORDINATOR)])
    client = Client()
    client.force_login(coordinator)
    corrective = measure("2027-0001", "corrective")
    page = "/o/loket3/rapportages/maatregelen/"
    assert client.get(page).status_code == 200
    prefix = f"m{corrective.pk}"
    # Carried out before the measure was recorded: a form error, nothing stored.
    bad = client.post(
        f"{page}{corrective.pk}/",
        {
            f"{prefix}-carried_out_on": "2027-05-01",
            f"{prefix}-effect": "unknown",
            f"{prefix}-satisfaction": "satisfied",
        },
    )
    assert bad.status_code == 200
    assert "voordat hij is vastgelegd" in bad.content.decode()
    ok = client.post(
        f"{page}{corrective.pk}/",
        {
            f"{prefix}-carried_out_on": "2027-05-15",
            f"{prefix}-effect": "unknown",
            f"{prefix}-satisfaction": "satisfied",
        },
    )
    assert ok.status_code == 302
    services.record_measure_result(
        loket3.organisation,
        coordinator,
        measure("2027-0001", "preventive").pk,
        services.MeasureResultData(dt.date(2027, 6, 20), "improved", "not_asked"),
    )
    report = compute(
        ReportRequest(loket3.organisation, parse_period("2027"), "jaarlijkse_analyse"),
        as_of=dt.date(2027, 8, 2),
    )
    figures = report["figures"]
    assert list(figures) == [
        "complaints_received",
        "nature_of_complaints",
        "trends",
        "corrective_measures_satisfaction",
        "preventive_measures_effect",
    ]
    assert figures["complaints_received"]["total"] == 2
    assert figures["nature_of_complaints"]["by_subject_role"] == {"employee": 1, "manager": 1}
    assert figures["trends"]["by_category"] == {
        "bereikbaarheid": [1, 0, 0],
        "dienstverlening": [1, 1, 0],
    }
    assert figures["corrective_measures_satisfaction"] == {
        "complaints": 2,
        "measures": 2,
        "carried_out": 1,
        "satisfied": 1,
        "not_satisfied": 0,
        "not_asked": 1,
        "no_result": 1,
    }
    assert figures["preventive_measures_effect"] == {
        "complaints": 1,
        "measures": 1,
        "carried_out": 1,
        "improved": 1,
        "no_change": 0,
        "effect_unknown": 0,
        "no_result": 0,
    }


def test_iskander_report_flags_a_year_without_a_review(desk: Any, clock: Any) -> None:
    d = desk("iskander")
    d.receive("2027-03-01", category="bejegening")
    clock.set("2028-02-01")
    client = Client()
    client.force_login(UserFactory(memberships=[(d.organisation, RoleKind.DIRECTOR)]))
    page = "/o/iskander/rapportages/"
    query = {"period": "2027", "duty": "jaarlijkse_check_reglement"}
    html = client.get(page, query).content.decode()
    assert "Geen toetsing van het reglement vastgelegd in: 2027." in html

    reviews = "/o/iskander/rapportages/toetsingen/"
    future = client.post(
        reviews, {"reviewed_on": "2028-03-01", "reviewed_by": "Klara", "conclusion": "Goed."}
    )
    assert "niet in de toekomst" in future.content.decode()
    missing = client.post(reviews, {"reviewed_on": "2027-06-01", "reviewed_by": "Klara"})
    assert missing.status_code == 200 and "Dit veld is verplicht" in missing.content.decode()
    done = client.post(
        reviews,
        {
            "reviewed_on": "2027-06-01",
            "reviewed_by": "Klara Klacht",
            "meeting": "Teamoverleg 1 juni 2027",
            "conclusion": "Reglement up-to-date.",
        },
    )
    assert done.status_code == 302
    html = client.get(page, query).content.decode()
    assert "Geen toetsing van het reglement" not in html
    report = compute(
        ReportRequest(d.organisation, parse_period("2027"), "jaarlijkse_check_reglement"),
        as_of=dt.date(2028, 2, 1),
    )
    review = report["figures"]["regulation_review"]
    assert review["last"] == "2027-06-01"
    assert review["years_without_review"] == []
    assert review["reviews"][0]["meeting"] == "Teamoverleg 1 juni 2027"
    assert review["reviews"][0]["new_version"] is False
    # 2026 had none: a report over both years flags it.
    both = compute(
        ReportRequest(d.organisation, parse_period("2026-01-01:2027-12-31")),
        as_of=dt.date(2028, 2, 1),
    )
    assert both["figures"]["regulation_review"]["years_without_review"] == [2026]


def test_a_regulation_without_a_review_duty_is_not_flagged(desk: Any, clock: Any) -> None:
    d = desk("smartplus")
    clock.set("2028-02-01")
    client = Client()
    client.force_login(UserFactory(memberships=[(d.organisation, RoleKind.COORDINATOR)]))
    html = client.get("/o/smartplus/rapportages/", {"period": "2027"}).content.decode()
    assert "Geen toetsing" not in html
