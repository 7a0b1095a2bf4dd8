"""The Loket3 preset (seeds/loket3.txt): its rules as data, and its terms on the Atw calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from klachtenregister.calendars.units import DurationUnit
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.schema import DurationSpec, EventRef
from klachtenregister.regulations.terms import deadlines_at_receipt
from klachtenregister.regulations.vocabulary import (
    Content,
    DeadlineKind,
    EscalationBody,
    Event,
    Figure,
    Impartiality,
    Party,
    ReportPeriod,
)

WERKDAGEN = DurationUnit.WORKING_DAYS


@pytest.fixture(scope="module")
def loket3():
    return load_preset("loket3")


def test_the_complaint_form_is_the_verbeterformulier(loket3):
    assert loket3.event_labels[Event.RECEIVED] == "Verbeterformulier ontvangen"
    assert set(loket3.definitions.channels.accepted) == {"oral", "written", "email", "portal"}


def test_handler_is_neutral_and_never_gave_the_service(loket3):
    assert loket3.handling.handled_by == ["klachtbehandelaar"]
    assert Impartiality.NOT_INVOLVED in loket3.handling.impartiality
    assert loket3.handling.impartiality_source == "Handelswijze 2"
    hearing = loket3.handling.hearing
    assert (hearing.required, hearing.offered) == (False, True)  # Handelswijze 1
    assert hearing.on_request_of == [Party.COMPLAINANT]
    assert hearing.report.for_signature is True  # the employee agrees with the summary


def test_no_grounds_but_a_motivated_notice_within_21_werkdagen(loket3):
    assert loket3.admissibility.grounds == []
    notice = loket3.deadline("bericht_niet_in_behandeling")
    assert notice.kind is DeadlineKind.INADMISSIBILITY_NOTICE
    assert notice.duration == DurationSpec(amount=21, unit=WERKDAGEN)
    assert notice.applies_when == EventRef(event=Event.DECLARED_INADMISSIBLE)
    assert notice.starts_at_receipt


def test_terms(loket3):
    ack = loket3.deadline("ontvangstbevestiging")
    assert (ack.kind, ack.duration) == (
        DeadlineKind.ACKNOWLEDGEMENT,
        DurationSpec(amount=5, unit=WERKDAGEN),
    )
    assert [str(r) for r in ack.met_by] == ["acknowledged"]

    decision = loket3.deadline("afhandeling")
    assert decision.kind is DeadlineKind.DECISION
    assert decision.duration == DurationSpec(amount=21, unit=WERKDAGEN)
    assert [str(r) for r in decision.starts_on] == ["received"]
    assert [str(r) for r in decision.met_by] == ["decision_sent"]
    assert "three weeks" in decision.note

    report = loket3.deadline("schriftelijk_verslag")
    assert report.kind is DeadlineKind.FINAL_REPORT
    assert report.duration == DurationSpec(amount=21, unit=WERKDAGEN)
    assert [str(r) for r in report.starts_on] == [
        "consultation_held(agreement)",
        "resolved_informally",
    ]
    assert [str(r) for r in report.met_by] == ["report_sent"]
    assert set(report.notify) == {Party.COMPLAINANT, Party.ALL_PARTIES}
    assert not report.starts_at_receipt


def test_letters(loket3):
    letters = {letter.id: letter for letter in loket3.letters}
    assert set(letters["ontvangstbevestiging"].required_contents) == {
        Content.COMPLAINT_DESCRIPTION,
        Content.DATE_PLACE_CIRCUMSTANCES,
        Content.EXPECTED_TERM,
    }
    assert letters["bevestiging_aanbod"].deadline == "afhandeling"
    assert Content.OFFER in letters["bevestiging_aanbod"].required_contents
    assert letters["schriftelijk_verslag"].step is Event.REPORT_SENT


def test_escalation_routes(loket3):
    routes = {route.id: route for route in loket3.escalation}
    assert {route.to for route in routes.values()} == {
        EscalationBody.OPDRACHTGEVER,
        EscalationBody.UWV_KLACHTENBUREAU,
        EscalationBody.NATIONALE_OMBUDSMAN,
        EscalationBody.GEMEENTELIJKE_OMBUDSMAN,
        EscalationBody.INTEREST_GROUPS,
    }
    assert "Arcon" in routes["belangenbehartigers"].label


def test_escalation_routes_name_their_bodies(loket3):
    """Handelswijze 5 and 9 as the letter names them; websites only of the public bodies, no
    address (the seed gives none)."""
    routes = {route.id: route for route in loket3.escalation}
    assert {key: (r.name, r.website) for key, r in routes.items()} == {
        "opdrachtgever": (
            "de opdrachtgever van uw re-integratietraject (bijvoorbeeld uw werkgever, het UWV, "
            "de gemeente of de verzekeringsinstelling)",
            None,
        ),
        "klachtenbureau_uwv": ("het klachtenbureau UWV", "www.uwv.nl"),
        "nationale_ombudsman": ("de Nationale Ombudsman", "www.nationaleombudsman.nl"),
        "gemeentelijke_ombudsman": ("de Ombudsman in uw gemeente", None),
        "belangenbehartigers": (routes["belangenbehartigers"].name, None),
    }
    assert "CG-Raad (Raad voor Chronisch Zieken en Gehandicapten)" in (
        routes["belangenbehartigers"].name or ""
    )
    assert all(route.name_en for route in routes.values())
    assert all(route.address is None for route in routes.values())


def test_yearly_analysis(loket3):
    analysis = next(r for r in loket3.reporting if r.id == "jaarlijkse_analyse")
    assert analysis.period is ReportPeriod.YEARLY
    assert {
        Figure.TRENDS,
        Figure.CORRECTIVE_MEASURES_SATISFACTION,
        Figure.PREVENTIVE_MEASURES_EFFECT,
    } <= set(analysis.figures)


# Due dates computed by hand on the Atw calendar. werkdagen: the day of receipt does not count;
# skipped are weekends, Goede Vrijdag 3 Apr 2026, Tweede Paasdag 6 Apr 2026, Koningsdag 27 Apr,
# 5 May, Hemelvaartsdag (14 May 2026, 6 May 2027) with the decree Fridays 15 May 2026 and 7 May
# 2027, Tweede Pinksterdag (25 May 2026, 17 May 2027), 25-26 Dec and 1 Jan.
DUE = {
    # Thu before Goede Vrijdag. 5 wd: Apr 7, 8, 9, 10, 13. 21 wd: ... Apr 24 (14), Apr 28 (15),
    # 29, 30, May 1, 4 (19), May 6 (20), May 7 (21); Koningsdag and 5 May skipped.
    dt.date(2026, 4, 2): {
        "ontvangstbevestiging": dt.date(2026, 4, 13),
        "bericht_niet_in_behandeling": dt.date(2026, 5, 7),
        "afhandeling": dt.date(2026, 5, 7),
    },
    # Thu before 5 May. 5 wd: May 1, 4, 6, 7, 8. 21 wd: May 11-13 (8), 18-22 (13), 26-29 (17),
    # Jun 1-4 (21); Hemelvaart, 15 May and Pinkstermaandag skipped.
    dt.date(2026, 4, 30): {
        "ontvangstbevestiging": dt.date(2026, 5, 8),
        "bericht_niet_in_behandeling": dt.date(2026, 6, 4),
        "afhandeling": dt.date(2026, 6, 4),
    },
    # Wed before Hemelvaart and the decree Friday. 5 wd: May 18-22. 21 wd: May 26-29 (9),
    # Jun 1-5 (14), Jun 8-12 (19), Jun 15, 16 (21).
    dt.date(2026, 5, 13): {
        "ontvangstbevestiging": dt.date(2026, 5, 22),
        "bericht_niet_in_behandeling": dt.date(2026, 6, 16),
        "afhandeling": dt.date(2026, 6, 16),
    },
    # Wed before Christmas. 5 wd: Dec 24, 28, 29, 30, 31. 21 wd: Jan 4-8 (10), 11-15 (15),
    # 18-22 (20), Jan 25 (21).
    dt.date(2026, 12, 23): {
        "ontvangstbevestiging": dt.date(2026, 12, 31),
        "bericht_niet_in_behandeling": dt.date(2027, 1, 25),
        "afhandeling": dt.date(2027, 1, 25),
    },
    # Received on 5 May 2027 (Wed), before Hemelvaart (6 May) and the decree Friday (7 May).
    # 5 wd: May 10-14. 21 wd: May 18-21 (9), 24-28 (14), May 31-Jun 4 (19), Jun 7, 8 (21).
    dt.date(2027, 5, 5): {
        "ontvangstbevestiging": dt.date(2027, 5, 14),
        "bericht_niet_in_behandeling": dt.date(2027, 6, 8),
        "afhandeling": dt.date(2027, 6, 8),
    },
}


@pytest.mark.parametrize("received", sorted(DUE), ids=str)
def test_due_dates_at_receipt(loket3, received):
    due = {d.deadline.id: d.due for d in deadlines_at_receipt(loket3, received)}
    assert due == DUE[received]
