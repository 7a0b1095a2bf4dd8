"""The Iskander preset (seeds/iskander.txt): complete, and its terms on the nl-atw calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from klachtenregister.calendars.units import DurationUnit
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.terms import deadlines_at_receipt
from klachtenregister.regulations.vocabulary import (
    Channel,
    Condition,
    Content,
    Delivery,
    Event,
    Figure,
    LimitAnchor,
    Party,
    RoleKind,
)

D = dt.date


@pytest.fixture(scope="module")
def regulation():
    return load_preset("iskander")


def test_intake(regulation):
    definitions = regulation.definitions
    assert definitions.channels.accepted == [
        Channel.ORAL,
        Channel.WRITTEN,
        Channel.EMAIL,
        Channel.PORTAL,
    ]
    assert definitions.channels.preferred is Channel.WRITTEN
    assert definitions.anonymous.accepted is False
    assert definitions.representation.allowed is True
    assert definitions.representation.at_own_cost is True


def test_roles_and_handling(regulation):
    kinds = {role.id: role.kind for role in regulation.roles}
    assert kinds == {
        "procesverantwoordelijke": RoleKind.HANDLER,
        "klachtenfunctionaris": RoleKind.COORDINATOR,
        "directie": RoleKind.DIRECTOR,
        "externe_partij": RoleKind.EXTERNAL_PARTY,
        "medewerker": RoleKind.EMPLOYEE,
    }
    assert regulation.admissibility.decided_by == [
        "procesverantwoordelijke",
        "klachtenfunctionaris",
    ]
    assert regulation.handling.handled_by == [
        "procesverantwoordelijke",
        "klachtenfunctionaris",
        "externe_partij",
    ]
    assert regulation.handling.external_party is not None
    hearing = regulation.handling.hearing
    # Stroomschema rij 6: "in de gelegenheid te worden gehoord": offered, may be declined.
    assert (hearing.required, hearing.offered, hearing.counsel_allowed) == (False, True, True)
    assert set(hearing.parties) == {Party.COMPLAINANT, Party.SUBJECT}
    assert set(hearing.report.recipients) == {Party.COMPLAINANT, Party.SUBJECT}


def test_five_grounds_with_the_four_week_limit(regulation):
    grounds = {ground.id: ground for ground in regulation.admissibility.grounds}
    assert list(grounds) == [
        "geen_vervolg_gewenst",
        "elders_behandeld",
        "feit_ouder_dan_vier_weken",
        "bezwaar_of_beroep_opdrachtgever",
        "anoniem",
    ]
    limit = grounds["feit_ouder_dan_vier_weken"].time_limit
    assert (limit.amount, limit.unit) == (4, DurationUnit.WEEKS)
    assert (limit.measured_from, limit.measured_to) == (
        LimitAnchor.FACTS_DATE,
        LimitAnchor.RECEIVED,
    )
    assert grounds["anoniem"].applies_when is Condition.ANONYMOUS


def summary(deadline) -> str:
    starts = ", ".join(str(ref) for ref in deadline.starts_on)
    met = ", ".join(str(ref) for ref in deadline.met_by)
    return f"{deadline.kind.value}: {deadline.duration} after {starts}; met by {met}"


def test_deadlines(regulation):
    assert {d.id: summary(d) for d in regulation.deadlines} == {
        "ontvangstbevestiging": "acknowledgement: 5 werkdagen after received; met by acknowledged",
        "bericht_niet_in_behandeling": "inadmissibility_notice: 5 werkdagen after "
        "declared_inadmissible; met by inadmissibility_notice_sent",
        "afhandeling": "decision: 4 weken after received; "
        "met by decision_sent, resolved_informally",
        "afsprakenbrief": "agreement_letter: 5 werkdagen after consultation_held(agreement); "
        "met by agreement_letter_sent",
        "bevestiging_overleg": "consultation_confirmation: 5 werkdagen after "
        "consultation_held(no_agreement); met by consultation_confirmation_sent",
        "vervolginformatie": "follow_up_information: 5 werkdagen after "
        "consultation_held(no_agreement); met by follow_up_information_sent",
        "verslag_bijeenkomst": "hearing_report: 5 werkdagen after hearing_held; "
        "met by hearing_report_sent",
        "afronding_zonder_reactie": "silence_closure: 5 werkdagen after "
        "registered_letter_delivered; met by reaction_received",
    }
    assert [str(c) for c in regulation.deadline("afhandeling").cancelled_by] == [
        "declared_inadmissible"
    ]
    assert set(regulation.deadline("verslag_bijeenkomst").notify) == {
        Party.COMPLAINANT,
        Party.SUBJECT,
    }
    silence = regulation.deadline("afronding_zonder_reactie")
    assert silence.on_expiry.event is Event.CLOSED
    assert silence.on_expiry.reason == "naar tevredenheid afgerond"


def test_letters(regulation):
    letters = {letter.id: letter for letter in regulation.letters}
    assert {letter_id: letter.step for letter_id, letter in letters.items()} == {
        "ontvangstbevestiging": Event.ACKNOWLEDGED,
        "bericht_niet_in_behandeling": Event.INADMISSIBILITY_NOTICE_SENT,
        "afsprakenbrief": Event.AGREEMENT_LETTER_SENT,
        "bevestiging_overleg": Event.CONSULTATION_CONFIRMATION_SENT,
        "vervolginformatie": Event.FOLLOW_UP_INFORMATION_SENT,
        "uitnodiging_horen": Event.HEARING_INVITATION_SENT,
        "verslag_bijeenkomst": Event.HEARING_REPORT_SENT,
        "afhandelingsbrief": Event.DECISION_SENT,
        "aangetekende_bevestiging_afspraken": Event.REGISTERED_LETTER_DELIVERED,
    }
    assert set(letters["ontvangstbevestiging"].required_contents) == {
        Content.PROCEDURE_INFORMATION,
        Content.INVITATION_TO_CONSULTATION,
    }
    assert set(letters["afhandelingsbrief"].required_contents) == {
        Content.JUDGEMENT,
        Content.MOTIVATION,
        Content.MEASURES,
    }
    assert set(letters["vervolginformatie"].required_contents) >= {
        Content.EXPECTED_TERM,
        Content.HANDLER,
    }
    assert letters["aangetekende_bevestiging_afspraken"].delivery == [Delivery.REGISTERED_POST]


def test_reporting_and_stroomschema_rij_2_en_5_external_party_is_no_escalation(regulation):
    figures = {duty.id: duty.figures for duty in regulation.reporting}
    assert figures["jaarlijkse_check_reglement"] == [Figure.REGULATION_REVIEW]
    assert Figure.COMPLAINT_LIST in figures["digitale_klachtenregistratie"]
    assert "chronologisch_overzicht_afronding" in figures
    # Stroomschema rij 2 en 5: Iskander engages the external party itself when it cannot handle
    # the complaint impartially or the complainant does not consent; the complainant has no
    # escalation route in the seed.
    assert regulation.escalation == []
    assert regulation.handling.external_party is not None


# Due dates at receipt, computed by hand on the nl-atw calendar:
# werkdagen: the day of receipt does not count; weekends and Atw holidays are skipped.
# weken: calendar arithmetic, an end on a non-working day rolls to the next working day.
@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Mon 30 Mar 2026. 5 werkdagen: Tue 31, Wed 1 Apr, Thu 2, (Goede Vrijdag 3 Apr, weekend,
        # Tweede Paasdag Mon 6 Apr skipped) Tue 7, Wed 8 Apr. 4 weken: Mon 27 Apr is Koningsdag,
        # rolls to Tue 28 Apr.
        (D(2026, 3, 30), {"ontvangstbevestiging": D(2026, 4, 8), "afhandeling": D(2026, 4, 28)}),
        # Thu 30 Apr 2026. 5 werkdagen: Fri 1 May, (weekend) Mon 4, (5 May skipped) Wed 6, Thu 7,
        # Fri 8 May. 4 weken: Thu 28 May, a working day.
        (D(2026, 4, 30), {"ontvangstbevestiging": D(2026, 5, 8), "afhandeling": D(2026, 5, 28)}),
        # Wed 23 Dec 2026. 5 werkdagen: Thu 24, (Christmas Fri 25, weekend 26-27 skipped) Mon 28,
        # Tue 29, Wed 30, Thu 31 Dec. 4 weken: Wed 20 Jan 2027, a working day.
        (D(2026, 12, 23), {"ontvangstbevestiging": D(2026, 12, 31), "afhandeling": D(2027, 1, 20)}),
    ],
)
def test_deadlines_at_receipt(regulation, received, expected):
    due = deadlines_at_receipt(regulation, received)
    assert {item.deadline.id: item.due for item in due} == expected
    assert [item.deadline.id for item in due] == ["ontvangstbevestiging", "afhandeling"]
