"""The SmartPLUS preset (seeds/smartplus.txt): its rules as data, its terms on the Atw calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from klachtenregister.calendars.units import DurationUnit
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.schema import DurationSpec, EventRef, TimeLimit
from klachtenregister.regulations.terms import deadlines_at_receipt
from klachtenregister.regulations.vocabulary import (
    Condition,
    Content,
    DeadlineKind,
    EscalationBody,
    Event,
    Impartiality,
    LimitAnchor,
    Party,
    ReportPeriod,
)


@pytest.fixture(scope="module")
def smartplus():
    return load_preset("smartplus")


def test_who_and_how(smartplus):
    definitions = smartplus.definitions
    assert set(definitions.who_may_complain.parties) == {
        "anyone",
        "opdrachtgever",
        "client",
        "employer",
    }
    assert definitions.channels.preferred == "written"
    assert definitions.channels.written_form_requested is True
    assert [(p.id, p.required) for p in definitions.preconditions] == [
        ("persoonlijk_gesprek", False)
    ]
    assert [c.id for c in definitions.categories] == [
        "onheus_optreden",
        "traagheid",
        "schending_privacy",
        "voorlichting_communicatie",
        "serviceverlening",
    ]


def test_acknowledgement_is_five_calendar_days_not_werkdagen(smartplus):
    ack = smartplus.deadline("ontvangstbevestiging")
    assert ack.kind is DeadlineKind.ACKNOWLEDGEMENT
    assert ack.duration == DurationSpec(amount=5, unit=DurationUnit.DAYS)
    assert ack.duration.unit is not DurationUnit.WORKING_DAYS
    letter = next(letter for letter in smartplus.letters if letter.id == "ontvangstbevestiging")
    assert letter.deadline == "ontvangstbevestiging"
    assert {
        Content.FACTS_DATE,
        Content.ACKNOWLEDGEMENT_DATE,
        Content.HANDLER,
        Content.FACTS,
        Content.EXPECTED_TERM,
    } <= set(letter.required_contents)
    # Punt 5 also names "de uitkomst van de klacht", unknowable five days after receipt (issue
    # 15): not required in an acknowledgement, and the note says why.
    assert Content.OUTCOME not in letter.required_contents
    assert "uitkomst" in letter.note


def test_answer_within_six_weeks_own_target_four_weeks(smartplus):
    answer = smartplus.deadline("beantwoording")
    assert answer.kind is DeadlineKind.DECISION
    assert answer.binding is True
    assert answer.duration == DurationSpec(amount=6, unit=DurationUnit.WEEKS)
    assert [str(r) for r in answer.met_by] == ["decision_sent", "resolved_informally"]
    assert answer.extension is None

    target = smartplus.deadline("eigen_termijn")
    assert target.kind is DeadlineKind.SERVICE_NORM
    assert target.binding is False
    assert target.duration == DurationSpec(amount=4, unit=DurationUnit.WEEKS)
    assert target.if_missed is not None
    assert target.if_missed.notify == [Party.COMPLAINANT]
    assert target.if_missed.with_reason is True


def test_inadmissibility_three_grounds_notice_within_four_weeks(smartplus):
    grounds = {g.id: g for g in smartplus.admissibility.grounds}
    assert list(grounds) == ["eerder_behandeld", "ouder_dan_een_jaar", "belang_onvoldoende"]
    assert grounds["ouder_dan_een_jaar"].time_limit == TimeLimit(
        amount=12,
        unit=DurationUnit.MONTHS,
        measured_from=LimitAnchor.FACTS_DATE,
        measured_to=LimitAnchor.RECEIVED,
    )
    assert grounds["eerder_behandeld"].time_limit is None
    assert grounds["belang_onvoldoende"].time_limit is None

    notice = smartplus.deadline("bericht_niet_in_behandeling")
    assert notice.kind is DeadlineKind.INADMISSIBILITY_NOTICE
    assert notice.duration == DurationSpec(amount=4, unit=DurationUnit.WEEKS)
    assert notice.applies_when == EventRef(event=Event.DECLARED_INADMISSIBLE)


def test_accused_employee_told_at_once_and_never_handles(smartplus):
    (notification,) = [n for n in smartplus.notifications if n.on.event is Event.RECEIVED]
    assert notification.notify == [Party.SUBJECT]
    assert notification.condition is Condition.SUBJECT_NAMED
    assert set(smartplus.handling.impartiality) == {
        Impartiality.NOT_SUBJECT,
        Impartiality.SUFFICIENT_DISTANCE,
    }


def test_hearing_and_informal_resolution(smartplus):
    hearing = smartplus.handling.hearing
    assert hearing.required is False
    assert set(hearing.on_request_of) == {Party.COMPLAINANT, Party.HANDLER}
    assert set(hearing.parties) == {Party.COMPLAINANT, Party.SUBJECT}
    assert set(hearing.inspection_of_documents) == {Party.COMPLAINANT, Party.SUBJECT}
    assert hearing.report.for_signature is True
    assert hearing.report.recipients == [Party.ALL_PARTIES]
    informal = smartplus.handling.informal_resolution
    assert (informal.allowed, informal.recorded_in_file) == (True, True)


def test_decision_letter_points_to_the_nationale_ombudsman(smartplus):
    decision = next(letter for letter in smartplus.letters if letter.id == "beslissing")
    assert decision.deadline == "beantwoording"
    assert set(decision.required_contents) == {
        Content.COMPLAINT_DESCRIPTION,
        Content.FACTS,
        Content.MOTIVATION,
        Content.JUDGEMENT,
        Content.OMBUDSMAN,
    }
    (route,) = smartplus.escalation
    assert route.to is EscalationBody.NATIONALE_OMBUDSMAN
    assert route.mentioned_in_decision is True
    # The body the letter names, with its public website (the seed gives no address).
    assert (route.name, route.website, route.address) == (
        "de Nationale Ombudsman",
        "www.nationaleombudsman.nl",
        None,
    )


def test_reporting(smartplus):
    reports = {r.id: r for r in smartplus.reporting}
    management = reports["managementrapportage"]
    assert management.period is ReportPeriod.PERIODIC
    assert management.anonymised is True
    assert reports["registratie_op_datum_binnenkomst"].period is ReportPeriod.CONTINUOUS


# Due dates computed by hand on the Atw calendar. dagen and weken are calendar arithmetic; an end
# on a Saturday, Sunday or feestdag rolls to the next working day (Atw art. 1); a term of 3 days
# or more must hold at least two working days after the day of receipt, else it runs to the
# second one (Atw art. 2).
DUE = {
    # Thu before Goede Vrijdag. 5 dagen: Apr 7 (Tue), but Apr 3-7 holds only one working day
    # (Apr 3 Goede Vrijdag, 4-5 weekend, 6 Tweede Paasdag), so art. 2 extends to Apr 8.
    # 4 weken: Apr 30. 6 weken: May 14 Hemelvaartsdag -> 15 decree day -> weekend -> May 18.
    dt.date(2026, 4, 2): {
        "ontvangstbevestiging": dt.date(2026, 4, 8),
        "bericht_niet_in_behandeling": dt.date(2026, 4, 30),
        "beantwoording": dt.date(2026, 5, 18),
        "eigen_termijn": dt.date(2026, 4, 30),
    },
    # Thu before 5 May. 5 dagen: May 5 is a feestdag -> May 6 (May 1 and 4 are working days, so
    # art. 2 is met). 4 weken: May 28. 6 weken: Jun 11.
    dt.date(2026, 4, 30): {
        "ontvangstbevestiging": dt.date(2026, 5, 6),
        "bericht_niet_in_behandeling": dt.date(2026, 5, 28),
        "beantwoording": dt.date(2026, 6, 11),
        "eigen_termijn": dt.date(2026, 5, 28),
    },
    # Wed before Hemelvaartsdag. 5 dagen: May 18 (Mon), a working day, but May 14-18 holds only
    # May 18 as a working day (14 Hemelvaart, 15 decree day, 16-17 weekend): art. 2 -> May 19.
    # 4 weken: Jun 10. 6 weken: Jun 24.
    dt.date(2026, 5, 13): {
        "ontvangstbevestiging": dt.date(2026, 5, 19),
        "bericht_niet_in_behandeling": dt.date(2026, 6, 10),
        "beantwoording": dt.date(2026, 6, 24),
        "eigen_termijn": dt.date(2026, 6, 10),
    },
    # Wed before Christmas. 5 dagen: Dec 28 (Mon); Dec 24-28 holds Dec 24 and Dec 28 as working
    # days, so art. 2 is met. 4 weken: Jan 20 2027. 6 weken: Feb 3 2027.
    dt.date(2026, 12, 23): {
        "ontvangstbevestiging": dt.date(2026, 12, 28),
        "bericht_niet_in_behandeling": dt.date(2027, 1, 20),
        "beantwoording": dt.date(2027, 2, 3),
        "eigen_termijn": dt.date(2027, 1, 20),
    },
    # Received on 5 May 2027 (Wed). 5 dagen: May 10 (Mon), but May 6-10 holds only May 10 as a
    # working day (6 Hemelvaart, 7 decree day, 8-9 weekend): art. 2 -> May 11.
    # 4 weken: Jun 2. 6 weken: Jun 16.
    dt.date(2027, 5, 5): {
        "ontvangstbevestiging": dt.date(2027, 5, 11),
        "bericht_niet_in_behandeling": dt.date(2027, 6, 2),
        "beantwoording": dt.date(2027, 6, 16),
        "eigen_termijn": dt.date(2027, 6, 2),
    },
}


@pytest.mark.parametrize("received", sorted(DUE), ids=str)
def test_due_dates_at_receipt(smartplus, received):
    due = {d.deadline.id: d.due for d in deadlines_at_receipt(smartplus, received)}
    assert due == DUE[received]
