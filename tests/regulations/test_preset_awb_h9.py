"""The Awb chapter 9 preset (title 9.1): the law's rules as data, its terms on the Atw calendar."""

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
def awb():
    return load_preset("awb-h9")


def test_only_terms_the_law_states(awb):
    assert [(d.id, d.kind) for d in awb.deadlines] == [
        ("bericht_niet_in_behandeling", DeadlineKind.INADMISSIBILITY_NOTICE),
        ("afhandeling", DeadlineKind.DECISION),
        ("afhandeling_klachtadviesprocedure", DeadlineKind.DECISION),
    ]
    # 9:6 states no term: the acknowledgement is a letter and a notification, not a deadline.
    ack = next(letter for letter in awb.letters if letter.id == "ontvangstbevestiging")
    assert ack.step is Event.ACKNOWLEDGED
    assert ack.deadline is None
    told = {n.id: n for n in awb.notifications}
    assert told["ontvangst_bevestigen"].on == EventRef(event=Event.RECEIVED)
    assert told["ontvangst_bevestigen"].notify == [Party.COMPLAINANT]


def test_decision_within_six_weeks_extendable_once_by_four(awb):
    decision = awb.deadline("afhandeling")
    assert decision.duration == DurationSpec(amount=6, unit=DurationUnit.WEEKS)
    assert decision.source == "Art. 9:11 lid 1"
    assert "ten-week term" in decision.note
    extension = decision.extension
    assert extension.max_times == 1
    assert extension.max_by == DurationSpec(amount=4, unit=DurationUnit.WEEKS)
    assert extension.notice_required is True
    assert set(extension.notify) == {Party.COMPLAINANT, Party.SUBJECT}
    assert extension.further_with_consent is True
    assert {str(r) for r in decision.cancelled_by} == {
        "declared_inadmissible",
        "resolved_informally",
        "referred_to_committee",
    }


def test_ten_weeks_when_an_advisory_committee_advises(awb):
    decision = awb.deadline("afhandeling_klachtadviesprocedure")
    assert decision.duration == DurationSpec(amount=10, unit=DurationUnit.WEEKS)
    assert decision.source == "Art. 9:15 lid 1"
    assert decision.applies_when == EventRef(event=Event.REFERRED_TO_COMMITTEE)
    assert decision.extension.max_by == DurationSpec(amount=4, unit=DurationUnit.WEEKS)


def test_grounds_of_article_9_8(awb):
    grounds = {g.id: g for g in awb.admissibility.grounds}
    assert {g.id: g.source for g in grounds.values()} == {
        "eerder_behandeld": "Art. 9:8 lid 1 sub a",
        "ouder_dan_een_jaar": "Art. 9:8 lid 1 sub b",
        "bezwaar_mogelijk_geweest": "Art. 9:8 lid 1 sub c",
        "beroep_mogelijk": "Art. 9:8 lid 1 sub d",
        "rechterlijke_procedure": "Art. 9:8 lid 1 sub e",
        "strafrechtelijk_onderzoek": "Art. 9:8 lid 1 sub f",
        "belang_of_gewicht_onvoldoende": "Art. 9:8 lid 2",
        "geen_naam_en_adres": "Art. 9:4 lid 2 sub a",
    }
    assert grounds["ouder_dan_een_jaar"].time_limit == TimeLimit(
        amount=12,
        unit=DurationUnit.MONTHS,
        measured_from=LimitAnchor.FACTS_DATE,
        measured_to=LimitAnchor.RECEIVED,
    )
    assert grounds["geen_naam_en_adres"].applies_when is Condition.ANONYMOUS
    assert awb.definitions.anonymous.accepted is False

    notice = awb.deadline("bericht_niet_in_behandeling")
    assert notice.duration == DurationSpec(amount=4, unit=DurationUnit.WEEKS)
    assert notice.applies_when == EventRef(event=Event.DECLARED_INADMISSIBLE)
    assert notice.source == "Art. 9:8 lid 3"


def test_impartial_handler_copy_to_the_subject_and_hearing(awb):
    assert set(awb.handling.impartiality) == {Impartiality.NOT_SUBJECT, Impartiality.NOT_INVOLVED}
    assert awb.handling.impartiality_source == "Art. 9:7 lid 1"
    copy = next(letter for letter in awb.letters if letter.id == "afschrift_klaagschrift")
    assert copy.recipients == [Party.SUBJECT]
    assert copy.required_contents == [Content.COMPLAINT_COPY]
    hearing = awb.handling.hearing
    assert (hearing.required, hearing.offered) == (False, True)  # 9:10: in de gelegenheid
    assert set(hearing.parties) == {Party.COMPLAINANT, Party.SUBJECT}
    assert hearing.report.source == "Art. 9:10 lid 3"
    assert "9:10 lid 2" in hearing.note


def test_outcome_names_the_ombudsman_and_its_term(awb):
    outcome = next(letter for letter in awb.letters if letter.id == "afhandeling")
    assert outcome.deadline == "afhandeling"
    assert {Content.FINDINGS, Content.JUDGEMENT, Content.MOTIVATION, Content.OMBUDSMAN} <= set(
        outcome.required_contents
    )
    routes = {route.to: route for route in awb.escalation}
    ombudsman = routes[EscalationBody.NATIONALE_OMBUDSMAN]
    assert ombudsman.mentioned_in_decision is True
    assert ombudsman.term == DurationSpec(amount=12, unit=DurationUnit.MONTHS)
    assert (ombudsman.name, ombudsman.website) == (
        "de Nationale ombudsman",
        "www.nationaleombudsman.nl",
    )
    local = routes[EscalationBody.GEMEENTELIJKE_OMBUDSMAN]
    assert local.name is not None and local.name.startswith("de ombudsman of ombudscommissie")
    assert local.website is None  # every decentrale overheid has its own


def test_registration_and_yearly_publication(awb):
    reports = {r.id: r for r in awb.reporting}
    assert reports["registratie_klaagschriften"].period is ReportPeriod.CONTINUOUS
    assert reports["jaarlijkse_publicatie"].period is ReportPeriod.YEARLY


# Due dates computed by hand on the Atw calendar: weken are calendar arithmetic; an end on a
# Saturday, Sunday or feestdag rolls to the next working day (Atw art. 1).
DUE = {
    # Thu before Goede Vrijdag. 4 weken: Apr 30 (Thu). 6 weken: May 14 Hemelvaartsdag ->
    # May 15 decree day -> weekend -> Mon May 18.
    dt.date(2026, 4, 2): {
        "bericht_niet_in_behandeling": dt.date(2026, 4, 30),
        "afhandeling": dt.date(2026, 5, 18),
        "afhandeling_klachtadviesprocedure": dt.date(2026, 6, 11),  # 10 weken: Thu Jun 11
    },
    # Received on Koningsdag (Mon 27 Apr 2026). 4 weken: May 25 Tweede Pinksterdag -> May 26.
    # 6 weken: Jun 8 (Mon).
    dt.date(2026, 4, 27): {
        "bericht_niet_in_behandeling": dt.date(2026, 5, 26),
        "afhandeling": dt.date(2026, 6, 8),
        "afhandeling_klachtadviesprocedure": dt.date(2026, 7, 6),  # 10 weken: Mon Jul 6
    },
    # Fri four weeks before Christmas. 4 weken: Dec 25 (Fri) -> Dec 26 Tweede Kerstdag and
    # Saturday -> Sunday -> Mon Dec 28. 6 weken: Fri Jan 8 2027.
    dt.date(2026, 11, 27): {
        "bericht_niet_in_behandeling": dt.date(2026, 12, 28),
        "afhandeling": dt.date(2027, 1, 8),
        "afhandeling_klachtadviesprocedure": dt.date(2027, 2, 5),  # 10 weken: Fri Feb 5
    },
    # Wed before Christmas: the holidays fall inside the terms, not at their ends.
    # 4 weken: Wed Jan 20 2027. 6 weken: Wed Feb 3 2027.
    dt.date(2026, 12, 23): {
        "bericht_niet_in_behandeling": dt.date(2027, 1, 20),
        "afhandeling": dt.date(2027, 2, 3),
        "afhandeling_klachtadviesprocedure": dt.date(2027, 3, 3),  # 10 weken: Wed Mar 3
    },
}


@pytest.mark.parametrize("received", sorted(DUE), ids=str)
def test_due_dates_at_receipt(awb, received):
    due = {d.deadline.id: d.due for d in deadlines_at_receipt(awb, received)}
    assert due == DUE[received]
