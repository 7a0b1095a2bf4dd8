"""Duties without a term become to-dos on the complaint (issue 14 §2).

A regulation's ``notifications:`` and a deadline's ``if_missed`` state no term: each becomes a
to-do when its trigger happens, done by the event that carries out the duty (``done_by``) or by
hand (``todo_done``). Every story below is taken from the seed article in its name.
"""

from __future__ import annotations

import pytest

from klachtenregister.lifecycle import ComplaintFacts, Lifecycle, Refused, record, replay
from klachtenregister.lifecycle import refusals as R
from klachtenregister.lifecycle.todos import TodoKind, TodoStatus
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.vocabulary import Event, Party
from tests.support.stories import day

SMARTPLUS = load_preset("smartplus")
INTEGRATIEWERK = load_preset("integratiewerk")
INFOCUS = load_preset("infocus-samen")
ISKANDER = load_preset("iskander")
LOKET3 = load_preset("loket3")


def todo(snapshot, todo_id):
    matches = [t for t in snapshot.todos if t.id == todo_id]
    assert len(matches) == 1, [t.id for t in snapshot.todos]
    return matches[0]


def test_smartplus_punt_5_the_employee_is_told_at_once_by_the_complaint_letter():
    facts = ComplaintFacts.of(subjects=["frank"])
    events = [record("2027-04-19", "received", channel="written")]
    snapshot = replay(SMARTPLUS, events, facts).snapshot
    informing = todo(snapshot, "medewerker_onmiddellijk_informeren")
    assert informing.kind is TodoKind.NOTIFICATION
    assert informing.status is TodoStatus.OPEN
    assert informing.created_on == day("2027-04-19")
    assert informing.notify == (Party.SUBJECT,)
    assert informing.source == "Punt 5, slotzin; Toelichting Administratieve intake"
    # Who sends the complaint letter carries the duty out.
    assert informing.roles == ("behandelaar",)

    events.append(record("2027-04-20", "subject_informed", role="behandelaar"))
    snapshot = replay(SMARTPLUS, events, facts).snapshot
    informing = todo(snapshot, "medewerker_onmiddellijk_informeren")
    assert (informing.status, informing.done_on, informing.done_with) == (
        TodoStatus.DONE,
        day("2027-04-20"),
        Event.SUBJECT_INFORMED,
    )
    assert snapshot.open_todos == ()


def test_smartplus_punt_5_no_employee_named_no_one_to_tell():
    events = [record("2027-04-19", "received", channel="written", role="medewerker")]
    assert replay(SMARTPLUS, events, ComplaintFacts()).snapshot.todos == ()


def test_smartplus_punt_8_a_founded_complaint_asks_for_action_until_measures_are_recorded():
    facts = ComplaintFacts.of(subjects=["frank"])
    events = [
        record("2027-04-19", "received", channel="written"),
        record("2027-04-19", "subject_informed"),
        record("2027-04-20", "accepted"),
        record("2027-04-20", "handler_assigned", handler="eva"),
        record("2027-05-03", "decision_made", outcome="founded"),
    ]
    lifecycle = Lifecycle(SMARTPLUS, facts)
    for event in events:
        lifecycle.apply(event)
    action = todo(lifecycle.status(day("2027-05-03")), "actie_bij_gegronde_klacht")
    assert (action.status, action.created_on) == (TodoStatus.OPEN, day("2027-05-03"))
    lifecycle.apply(record("2027-05-10", "measures_recorded", type="corrective"))
    action = todo(lifecycle.status(day("2027-05-10")), "actie_bij_gegronde_klacht")
    assert (action.status, action.done_on) == (TodoStatus.DONE, day("2027-05-10"))


def test_smartplus_toelichting_punt_7_a_missed_own_term_asks_the_reason_to_be_told():
    # Received Tue 6 Apr 2027; four weken: 6 Apr + 28 days = Tue 4 May, a working day;
    # missed from Wed 5 May.
    events = [
        record("2027-04-06", "received", channel="written"),
        record("2027-04-07", "accepted"),
    ]
    lifecycle = Lifecycle(SMARTPLUS)
    for event in events:
        lifecycle.apply(event)
    assert lifecycle.status(day("2027-05-04")).todos == ()
    told = todo(lifecycle.status(day("2027-05-05")), "eigen_termijn")
    assert told.kind is TodoKind.IF_MISSED
    assert (told.status, told.created_on) == (TodoStatus.OPEN, day("2027-05-05"))
    assert told.notify == (Party.COMPLAINANT,)
    assert told.source == "Punt 7, Toelichting, slotzin"
    # The letter "termijn niet gehaald, met de reden" is offered and carries it out.
    assert lifecycle.status(day("2027-05-05")).may(Event.PROGRESS_NOTICE_SENT)
    lifecycle.apply(record("2027-05-06", "progress_notice_sent"))
    told = todo(lifecycle.status(day("2027-05-06")), "eigen_termijn")
    assert (told.status, told.done_on) == (TodoStatus.DONE, day("2027-05-06"))


def test_smartplus_toelichting_punt_7_a_notice_before_the_term_ran_out_did_the_duty():
    events = [
        record("2027-04-06", "received", channel="written"),
        record("2027-04-30", "progress_notice_sent"),
    ]
    snapshot = replay(SMARTPLUS, events, as_of=day("2027-06-01")).snapshot
    assert [t.id for t in snapshot.todos] == []


def test_integratiewerk_klachtenprocedure_5_referral_meteen_after_a_failed_contact():
    facts = ComplaintFacts.of(subjects=["sanne"])
    events = [
        record("2027-04-22", "received", channel="written", role="directeur"),
        record("2027-05-11", "consultation_held", outcome="no_agreement", role="directeur"),
    ]
    snapshot = replay(INTEGRATIEWERK, events, facts).snapshot
    referral = todo(snapshot, "voorleggen_aan_klachtencommissie")
    assert (referral.status, referral.created_on) == (TodoStatus.OPEN, day("2027-05-11"))
    assert referral.notify == (Party.COMMITTEE,)
    assert referral.roles == ("directeur",)
    events += [
        record("2027-05-11", "accepted", role="directeur"),
        record("2027-05-12", "referred_to_committee", role="directeur"),
    ]
    snapshot = replay(INTEGRATIEWERK, events, facts).snapshot
    referral = todo(snapshot, "voorleggen_aan_klachtencommissie")
    assert (referral.status, referral.done_on) == (TodoStatus.DONE, day("2027-05-12"))


def test_integratiewerk_klachtenprocedure_4_a_contact_that_found_a_solution_asks_nothing():
    events = [
        record("2027-04-22", "received", channel="written", role="directeur"),
        record("2027-05-11", "consultation_held", outcome="agreement", role="directeur"),
    ]
    assert replay(INTEGRATIEWERK, events).snapshot.todos == ()


def test_infocus_registratie_slotalinea_the_uwv_arbeidsdeskundige_is_told_for_a_uwv_client():
    events = [record("2027-04-22", "received", channel="written")]
    ids = [t.id for t in replay(INFOCUS, events, ComplaintFacts(uwv_client=True)).snapshot.todos]
    assert "arbeidsdeskundige_uwv_informeren" in ids
    ids = [t.id for t in replay(INFOCUS, events, ComplaintFacts()).snapshot.todos]
    assert "arbeidsdeskundige_uwv_informeren" not in ids


def test_loket3_handelswijze_7_consulting_on_preventive_measures_is_done_by_hand():
    events = [
        record("2027-04-22", "received", channel="written"),
        record("2027-04-23", "accepted"),
        record("2027-05-20", "measures_recorded", type="preventive"),
    ]
    lifecycle = Lifecycle(LOKET3)
    for event in events:
        lifecycle.apply(event)
    snapshot = lifecycle.status(day("2027-05-20"))
    consult = todo(snapshot, "overleg_preventieve_maatregelen")
    assert consult.status is TodoStatus.OPEN
    assert snapshot.may(Event.TODO_DONE)
    lifecycle.apply(record("2027-05-21", "todo_done", todo="overleg_preventieve_maatregelen"))
    snapshot = lifecycle.status(day("2027-05-21"))
    consult = todo(snapshot, "overleg_preventieve_maatregelen")
    assert (consult.status, consult.done_on, consult.done_with) == (
        TodoStatus.DONE,
        day("2027-05-21"),
        Event.TODO_DONE,
    )
    # Nothing left to do by hand: the step is not offered, and refused when tried.
    assert not snapshot.may(Event.TODO_DONE)
    with pytest.raises(Refused) as refused:
        lifecycle.apply(record("2027-05-22", "todo_done", todo="overleg_preventieve_maatregelen"))
    assert refused.value.refusal.message == R.NO_SUCH_TODO


def test_iskander_stroomschema_rij_1_the_klachtenfunctionaris_is_informed_by_registration():
    events = [record("2027-04-29", "received", channel="written")]
    informed = todo(replay(ISKANDER, events).snapshot, "klachtenfunctionaris_informeren")
    assert informed.status is TodoStatus.OPEN
    events.append(record("2027-04-29", "registered", role="klachtenfunctionaris"))
    informed = todo(replay(ISKANDER, events).snapshot, "klachtenfunctionaris_informeren")
    assert (informed.status, informed.done_with) == (TodoStatus.DONE, Event.REGISTERED)


def test_a_voided_registration_owes_nothing_its_open_todos_lapse():
    events = [
        record("2027-04-29", "received", channel="written"),
        record("2027-04-30", "registration_voided", reason="Dubbel geregistreerd"),
    ]
    informed = todo(replay(ISKANDER, events).snapshot, "klachtenfunctionaris_informeren")
    assert informed.status is TodoStatus.LAPSED
