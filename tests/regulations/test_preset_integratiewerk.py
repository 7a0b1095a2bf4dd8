"""The Integratiewerk preset (seeds/integratiewerk.txt): complete, and its terms on nl-atw."""

from __future__ import annotations

import datetime as dt

import pytest

from klachtenregister.calendars.units import DurationUnit
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.terms import deadlines_at_receipt
from klachtenregister.regulations.vocabulary import (
    AdviceForce,
    Channel,
    Content,
    Event,
    LimitAnchor,
    Party,
    RoleKind,
)

D = dt.date


@pytest.fixture(scope="module")
def regulation():
    return load_preset("integratiewerk")


def test_no_reporting_duty(regulation):
    assert any("no reporting duty" in note for note in regulation.notes)
    assert regulation.reporting == []


def test_intake(regulation):
    definitions = regulation.definitions
    # "Schriftelijk" (Klachtenprocedure 2): a letter, an e-mail or a web form; not orally.
    assert definitions.channels.accepted == [Channel.WRITTEN, Channel.EMAIL, Channel.PORTAL]
    assert definitions.channels.in_writing_required
    assert definitions.who_may_complain.parties == ["client"]
    assert definitions.representation.allowed is True
    assert "vertrouwenspersoon" in definitions.representation.text
    assert [p.id for p in definitions.preconditions] == [
        "bespreken_met_medewerker",
        "leidinggevende_lost_op",
    ]
    assert all(p.required for p in definitions.preconditions)
    assert [c.id for c in definitions.categories] == [
        "bejegening_door_medewerker",
        "effecten_dienstverlening",
        "discriminatie",
    ]


def test_roles_and_handling(regulation):
    kinds = {role.id: role.kind for role in regulation.roles}
    assert kinds == {
        "directeur": RoleKind.DIRECTOR,
        "leidinggevende": RoleKind.MANAGER,
        "medewerker": RoleKind.EMPLOYEE,
        "klachtencommissie": RoleKind.COMMITTEE,
    }
    committee = next(role for role in regulation.roles if role.id == "klachtencommissie")
    assert committee.committee.advice is AdviceForce.BINDING
    assert committee.committee.size is None  # the seed states no size
    assert committee.committee.note  # size and independence are not in the seed
    assert regulation.handling.handled_by == ["directeur"]


def test_the_right_to_complain_lapses_after_two_years(regulation):
    (ground,) = regulation.admissibility.grounds
    assert ground.id == "recht_vervallen"
    assert (ground.time_limit.amount, ground.time_limit.unit) == (24, DurationUnit.MONTHS)
    assert ground.time_limit.measured_from is LimitAnchor.FACTS_DATE
    assert ground.time_limit.measured_to is LimitAnchor.RECEIVED


def summary(deadline) -> str:
    starts = ", ".join(str(ref) for ref in deadline.starts_on)
    met = ", ".join(str(ref) for ref in deadline.met_by)
    return f"{deadline.kind.value}: {deadline.duration} after {starts}; met by {met}"


def test_deadlines(regulation):
    assert {d.id: summary(d) for d in regulation.deadlines} == {
        "ontvangstbevestiging": "acknowledgement: 2 weken after received; met by acknowledged",
        "eerste_contact": "first_contact: 10 werkdagen after received; met by consultation_held",
        "advies_klachtencommissie": "committee_advice: 3 weken after referred_to_committee; "
        "met by committee_advice_given",
        "besluit": "decision: 5 werkdagen after committee_advice_given; met by decision_sent",
    }
    assert set(regulation.deadline("ontvangstbevestiging").notify) == {
        Party.COMPLAINANT,
        Party.MANAGER,
    }
    extension = regulation.deadline("advies_klachtencommissie").extension
    assert extension.max_times == 1
    assert str(extension.max_by) == "3 weken"
    assert extension.notice_required is True
    assert extension.notify == [Party.COMPLAINANT]
    assert set(regulation.deadline("besluit").notify) == {
        Party.COMPLAINANT,
        Party.MANAGER,
        Party.COMMITTEE,
    }


def test_letters(regulation):
    letters = {letter.id: letter for letter in regulation.letters}
    assert {letter_id: letter.step for letter_id, letter in letters.items()} == {
        "ontvangstbevestiging": Event.ACKNOWLEDGED,
        "voorlegging_klachtencommissie": Event.REFERRED_TO_COMMITTEE,
        "bericht_voorlegging": Event.REFERRED_TO_COMMITTEE,
        "bericht_verlenging_advies": Event.EXTENDED,
        "bindend_advies": Event.COMMITTEE_ADVICE_GIVEN,
        "besluit": Event.DECISION_SENT,
        "verzoek_op_schrift": Event.WRITTEN_FORM_REQUESTED,
    }
    assert letters["ontvangstbevestiging"].copies == [Party.MANAGER]
    assert letters["bericht_voorlegging"].recipients == [Party.COMPLAINANT]
    assert letters["bericht_voorlegging"].required_contents == [Content.COMMITTEE_WORKING_METHOD]
    assert Content.STEPS_TAKEN in letters["voorlegging_klachtencommissie"].required_contents
    assert letters["besluit"].recipients == [Party.COMPLAINANT, Party.MANAGER]
    assert letters["besluit"].copies == [Party.COMMITTEE]


# Due dates at receipt, computed by hand on the nl-atw calendar:
# werkdagen: the day of receipt does not count; weekends and Atw holidays are skipped.
# weken: calendar arithmetic, an end on a non-working day rolls to the next working day.
@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Thu 30 Apr 2026. 2 weken: Thu 14 May is Hemelvaartsdag, Fri 15 May a decree day, then
        # the weekend: rolls to Mon 18 May. 10 werkdagen: Fri 1, Mon 4, (5 May skipped) Wed 6,
        # Thu 7, Fri 8, Mon 11, Tue 12, Wed 13, (14 and 15 May skipped) Mon 18, Tue 19 May.
        (
            D(2026, 4, 30),
            {"ontvangstbevestiging": D(2026, 5, 18), "eerste_contact": D(2026, 5, 19)},
        ),
        # Fri 11 Dec 2026. 2 weken: Fri 25 Dec is Eerste Kerstdag, then 26 Dec and the weekend:
        # rolls to Mon 28 Dec. 10 werkdagen: 14-18 Dec (5), Mon 21, Tue 22, Wed 23, Thu 24,
        # (25 Dec, weekend skipped) Mon 28 Dec.
        (
            D(2026, 12, 11),
            {"ontvangstbevestiging": D(2026, 12, 28), "eerste_contact": D(2026, 12, 28)},
        ),
        # Wed 23 Dec 2026. 2 weken: Wed 6 Jan 2027, a working day. 10 werkdagen: Thu 24,
        # (25 Dec, weekend) Mon 28, Tue 29, Wed 30, Thu 31, (Nieuwjaarsdag Fri 1 Jan, weekend)
        # Mon 4, Tue 5, Wed 6, Thu 7, Fri 8 Jan 2027.
        (D(2026, 12, 23), {"ontvangstbevestiging": D(2027, 1, 6), "eerste_contact": D(2027, 1, 8)}),
    ],
)
def test_deadlines_at_receipt(regulation, received, expected):
    due = deadlines_at_receipt(regulation, received)
    assert {item.deadline.id: item.due for item in due} == expected
    assert [item.deadline.id for item in due] == ["ontvangstbevestiging", "eerste_contact"]
