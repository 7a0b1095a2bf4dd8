"""The IN FOCUS Samen preset (seeds/infocus-samen.txt): complete, and its terms on nl-atw."""

from __future__ import annotations

import datetime as dt

import pytest

from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.terms import deadlines_at_receipt
from klachtenregister.regulations.vocabulary import (
    AdviceForce,
    Channel,
    Condition,
    Content,
    EscalationBody,
    Event,
    Figure,
    Impartiality,
    Party,
    ReportPeriod,
    RoleKind,
)

D = dt.date


@pytest.fixture(scope="module")
def regulation():
    return load_preset("infocus-samen")


def test_intake(regulation):
    channels = regulation.definitions.channels
    assert channels.accepted == [Channel.ORAL, Channel.WRITTEN, Channel.EMAIL, Channel.PORTAL]
    assert channels.written_form_requested is True


def test_a_committee_of_two_not_involved_decides(regulation):
    kinds = {role.id: role.kind for role in regulation.roles}
    assert kinds == {
        "in_focus_samen": RoleKind.COORDINATOR,
        "klachtencommissie": RoleKind.COMMITTEE,
        "medewerker": RoleKind.EMPLOYEE,
    }
    committee = next(role for role in regulation.roles if role.id == "klachtencommissie").committee
    assert committee.size == 2
    assert committee.independence == [Impartiality.NOT_INVOLVED]
    assert committee.appointed_on is Event.RECEIVED
    assert committee.advice is AdviceForce.DECIDES
    assert regulation.handling.handled_by == ["klachtencommissie"]
    assert regulation.admissibility.decided_by == ["klachtencommissie"]
    assert regulation.handling.hearing.required is True
    assert regulation.handling.hearing.parties == [Party.ALL_PARTIES]


def summary(deadline) -> str:
    starts = ", ".join(str(ref) for ref in deadline.starts_on)
    met = ", ".join(str(ref) for ref in deadline.met_by)
    return f"{deadline.kind.value}: {deadline.duration} after {starts}; met by {met}"


def test_deadlines(regulation):
    assert {d.id: summary(d) for d in regulation.deadlines} == {
        "ontvangstbevestiging": "acknowledgement: 5 werkdagen after received; met by acknowledged",
        "bericht_niet_in_behandeling": "inadmissibility_notice: 4 weken after received; "
        "met by inadmissibility_notice_sent",
        "uitspraak": "decision: 4 weken after received; met by decision_sent",
    }
    notice = regulation.deadline("bericht_niet_in_behandeling")
    assert str(notice.applies_when) == "declared_inadmissible"
    extension = regulation.deadline("uitspraak").extension
    assert (extension.max_times, extension.max_by) == (None, None)
    assert extension.notice_required is True
    assert extension.note
    # "Er wordt een nieuwe afspraak gemaakt": a new term agreed with the complainant.
    assert extension.by_agreement is True


def test_letters(regulation):
    letters = {letter.id: letter for letter in regulation.letters}
    assert {letter_id: letter.step for letter_id, letter in letters.items()} == {
        "ontvangstbevestiging": Event.ACKNOWLEDGED,
        "bericht_niet_in_behandeling": Event.INADMISSIBILITY_NOTICE_SENT,
        "bericht_nieuwe_termijn": Event.EXTENDED,
        # The new term agreed with the complainant, confirmed (De procedure 6; issue 14 §4).
        "bevestiging_nieuwe_termijn": Event.TERM_AGREED,
        "uitnodiging_horen": Event.HEARING_INVITATION_SENT,
        "uitspraak": Event.DECISION_SENT,
        "verzoek_op_schrift": Event.WRITTEN_FORM_REQUESTED,
    }
    assert set(letters["ontvangstbevestiging"].required_contents) == {
        Content.EXPECTED_TERM,
        Content.COMMITTEE_COMPOSITION,
        Content.PROCEDURE_INFORMATION,
    }
    assert set(letters["uitspraak"].required_contents) == {Content.JUDGEMENT, Content.MOTIVATION}


def test_uwv_client(regulation):
    notifications = {n.id: n for n in regulation.notifications}
    uwv = notifications["arbeidsdeskundige_uwv_informeren"]
    assert (uwv.notify, uwv.condition) == ([Party.UWV_ARBEIDSDESKUNDIGE], Condition.UWV_CLIENT)
    (route,) = regulation.escalation
    assert route.to is EscalationBody.UWV_ARBEIDSDESKUNDIGE
    assert route.condition is Condition.UWV_CLIENT
    assert route.mentioned_in_decision is True
    # "escaleren naar de arbeidsdeskundige": the client's own, so no website or address.
    assert (route.name, route.website, route.address) == (
        "uw arbeidsdeskundige van UWV",
        None,
        None,
    )


def test_reporting(regulation):
    duties = {duty.id: duty for duty in regulation.reporting}
    yearly = duties["jaarrapportage"]
    assert (yearly.period, yearly.on_request) == (ReportPeriod.YEARLY, True)
    assert yearly.figures == [
        Figure.COMPLAINTS_RECEIVED,
        Figure.NOT_TAKEN_INTO_TREATMENT,
        Figure.NOT_TAKEN_INTO_TREATMENT_IN_TERM,
        Figure.TAKEN_INTO_TREATMENT,
        Figure.TAKEN_INTO_TREATMENT_IN_TERM,
    ]
    inspection = duties["inzage_opdrachtgever"]
    assert inspection.audience == [Party.OPDRACHTGEVER]
    assert inspection.figures == [Figure.COMPLAINT_LIST, Figure.THROUGHPUT_TIMES, Figure.OUTCOMES]


# Due dates at receipt, computed by hand on the nl-atw calendar:
# werkdagen: the day of receipt does not count; weekends and Atw holidays are skipped.
# weken: calendar arithmetic, an end on a non-working day rolls to the next working day.
# The inadmissibility notice counts from receipt too, so it is due with the decision.
@pytest.mark.parametrize(
    ("received", "ack", "four_weeks"),
    [
        # Wed 13 May 2026. 5 werkdagen: (Hemelvaartsdag Thu 14, decree day Fri 15, weekend
        # skipped) Mon 18, Tue 19, Wed 20, Thu 21, Fri 22 May. 4 weken: Wed 10 Jun, a working day.
        (D(2026, 5, 13), D(2026, 5, 22), D(2026, 6, 10)),
        # Thu 30 Apr 2026. 5 werkdagen: Fri 1 May, Mon 4, (5 May skipped) Wed 6, Thu 7, Fri 8 May.
        # 4 weken: Thu 28 May, a working day.
        (D(2026, 4, 30), D(2026, 5, 8), D(2026, 5, 28)),
        # Wed 7 Apr 2027. 5 werkdagen: Thu 8, Fri 9, Mon 12, Tue 13, Wed 14 Apr. 4 weken: Wed 5 May
        # 2027 (Bevrijdingsdag); Thu 6 May is Hemelvaartsdag, Fri 7 May a decree day, then the
        # weekend: rolls to Mon 10 May.
        (D(2027, 4, 7), D(2027, 4, 14), D(2027, 5, 10)),
        # Wed 21 Apr 2027. 5 werkdagen: Thu 22, Fri 23, Mon 26, (Koningsdag Tue 27 skipped)
        # Wed 28, Thu 29 Apr. 4 weken: Wed 19 May 2027, a working day.
        (D(2027, 4, 21), D(2027, 4, 29), D(2027, 5, 19)),
    ],
)
def test_deadlines_at_receipt(regulation, received, ack, four_weeks):
    due = deadlines_at_receipt(regulation, received)
    assert {item.deadline.id: item.due for item in due} == {
        "ontvangstbevestiging": ack,
        "bericht_niet_in_behandeling": four_weeks,
        "uitspraak": four_weeks,
    }
    assert [item.deadline.id for item in due] == [
        "ontvangstbevestiging",
        "bericht_niet_in_behandeling",
        "uitspraak",
    ]
