"""Iskander's, Integratiewerk's and SmartPLUS's figures for 2027, written through the services
and counted by hand; the report is made on Mon 2 Aug 2027. Days off in 2027 (Atw): Koningsdag
Tue 27 Apr, 5 May, Hemelvaartsdag 6 May, the decree day 7 May, Tweede Pinksterdag 17 May.

Iskander (the decision term "afhandeling" is 4 weeks after receipt):
- K1, Tue 20 Apr: agreement 28 Apr, resolved; registered letter delivered 10 May, no reaction:
  closed by the system Wed 19 May. Taken, term met 28 Apr; resolved informally.
- K2, Mon 3 May: inadmissible 4 May, notice 13 May (due 14 May). Not taken, in term.
- K3, Tue 1 Jun: withdrawn Thu 3 Jun. Undecided; withdrawn.
- K4, Mon 7 Jun: accepted; decision sent Tue 13 Jul (due 5 Jul), closed 14 Jul. Taken, late.
- K5, Mon 26 Jul: acknowledged only. Undecided; open.

Integratiewerk: W1 is its story (committee advice extended 3 weeks, decision sent 24 Jun, in
its 5-working-day term after the advice of 18 Jun; closed 25 Jun); W2 received Mon 3 May, first
contact 20 May, withdrawn 25 May.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from klachtenregister.register.models import Complaint
from klachtenregister.register.services import carry_out_due
from klachtenregister.regulations.vocabulary import RoleKind
from klachtenregister.reports.periods import parse_period
from klachtenregister.reports.selectors import ReportRequest, compute

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2027, 8, 2)


def figures_of(desk: Any) -> dict[str, Any]:
    desk.clock.set(AS_OF.isoformat())
    request = ReportRequest(desk.organisation, parse_period("2027"))
    return compute(request, as_of=AS_OF)["figures"]


def test_iskander(desk: Any) -> None:
    d = desk("iskander")
    handler = {"handler": d.sam.pk}

    k1 = d.receive("2027-04-20", category="afspraken")
    d.act(k1, "2027-04-26", "acknowledged")
    d.act(k1, "2027-04-26", "handler_assigned", handler, handler="Sam Stafmedewerker")
    d.act(k1, "2027-04-28", "consultation_held", outcome="agreement")
    d.act(k1, "2027-04-28", "resolved_informally")
    d.act(k1, "2027-05-04", "agreement_letter_sent")
    d.act(k1, "2027-05-10", "registered_letter_delivered")
    carry_out_due(k1, dt.date(2027, 5, 24))

    k2 = d.receive("2027-05-03", category="bejegening")
    d.act(k2, "2027-05-04", "acknowledged")
    d.act(k2, "2027-05-04", "declared_inadmissible", ground="geen_vervolg_gewenst")
    d.act(k2, "2027-05-13", "inadmissibility_notice_sent")

    k3 = d.receive("2027-06-01")
    d.act(k3, "2027-06-03", "withdrawn", reason="Opgelost.")

    k4 = d.receive("2027-06-07", category="bejegening")
    d.act(k4, "2027-06-08", "acknowledged")
    d.act(k4, "2027-06-08", "handler_assigned", handler, handler="Sam Stafmedewerker")
    d.act(k4, "2027-06-10", "consultation_held", outcome="no_agreement")
    d.act(k4, "2027-06-10", "accepted")
    d.act(k4, "2027-06-14", "consultation_confirmation_sent")
    d.act(k4, "2027-06-14", "follow_up_information_sent")
    # Stroomschema rij 6: the hearing is offered, and declined here.
    d.act(k4, "2027-07-12", "hearing_invitation_sent")
    d.act(k4, "2027-07-12", "hearing_declined")
    d.act(k4, "2027-07-12", "decision_made", outcome="unfounded")
    d.act(k4, "2027-07-13", "decision_sent")
    d.act(k4, "2027-07-14", "closed")

    k5 = d.receive("2027-07-26", category="afspraken")
    d.act(k5, "2027-07-27", "acknowledged")

    assert Complaint.objects.get(pk=k1.pk).state == "closed"
    f = figures_of(d)
    assert f["complaints_received"]["total"] == 5
    assert f["complaints_received"]["undecided"] == 2
    assert f["taken_into_treatment"] == {"total": 2}
    assert f["taken_into_treatment_in_term"]["total"] == 1
    assert f["taken_into_treatment_in_term"]["late"] == 1
    assert f["not_taken_into_treatment"] == {"total": 1}
    assert f["not_taken_into_treatment_in_term"]["total"] == 1
    outcomes = {k: v for k, v in f["outcomes"].items() if v}
    assert outcomes == {
        "unfounded": 1,
        "resolved_informally": 1,
        "not_taken_into_treatment": 1,
        "withdrawn": 1,
        "open": 1,
        "closed_by_silence": 1,
    }
    # K3 2 days (2 working days), K1 29 (16: 27 Apr, 5-7 and 17 May off), K4 37 (27).
    whole = f["throughput_times"]["complaint"]
    assert whole["calendar_days"] == {"count": 3, "median": 29, "p90": 37, "max": 37}
    assert whole["working_days"] == {"count": 3, "median": 16, "p90": 27, "max": 27}
    # afhandeling: K1 20 -> 28 Apr (8 days), K4 7 Jun -> 13 Jul (36 days).
    decision = f["throughput_times"]["terms"]["decision"]["calendar_days"]
    assert decision == {"count": 2, "median": 8, "p90": 36, "max": 36}
    assert f["nature_of_complaints"]["by_category"] == {"afspraken": 2, "bejegening": 2, "": 1}


def test_integratiewerk(desk: Any) -> None:
    d = desk("integratiewerk")
    w1 = d.receive("2027-04-22", facts_date=dt.date(2027, 3, 15))
    d.act(w1, "2027-05-10", "acknowledged")
    d.act(w1, "2027-05-11", "consultation_held", outcome="no_agreement")
    d.act(w1, "2027-05-11", "accepted")
    d.act(w1, "2027-05-11", "referred_to_committee")
    d.act(
        w1,
        "2027-05-31",
        "extended",
        deadline="advies_klachtencommissie",
        by={"amount": 3, "unit": "weken"},
        reason="Betrokken medewerker met verlof.",
    )
    d.act(w1, "2027-06-18", "committee_advice_given")
    d.act(w1, "2027-06-22", "decision_made", outcome="founded")
    d.act(w1, "2027-06-24", "decision_sent")
    d.act(w1, "2027-06-25", "closed")

    w2 = d.receive("2027-05-03")
    d.act(w2, "2027-05-20", "consultation_held", outcome="no_agreement")
    d.act(w2, "2027-05-25", "withdrawn", reason="Toch niet.")

    f = figures_of(d)
    assert f["complaints_received"]["total"] == 2
    assert f["taken_into_treatment"] == {"total": 1}
    # In term by the decision term; the committee's advice term was extended, which is not a
    # term of the kinds that say "in term", so it is not counted as verlengd.
    assert f["taken_into_treatment_in_term"] == {
        "total": 1,
        "extended": 0,
        "late": 0,
        "pending": 0,
        "withdrawn": 0,
        "no_term": 0,
    }
    assert f["complaints_received"]["undecided"] == 1
    assert f["outcomes"]["founded"] == 1 and f["outcomes"]["withdrawn"] == 1
    # W1 22 Apr -> 25 Jun (64 days), W2 3 -> 25 May (22 days).
    whole = f["throughput_times"]["complaint"]["calendar_days"]
    assert whole == {"count": 2, "median": 22, "p90": 64, "max": 64}
    # eerste_contact: W1 22 Apr -> 11 May, W2 3 -> 20 May: 9 working days each.
    first = f["throughput_times"]["terms"]["first_contact"]
    assert first["working_days"] == {"count": 2, "median": 9, "p90": 9, "max": 9}
    assert first["calendar_days"] == {"count": 2, "median": 17, "p90": 19, "max": 19}
    # The advice term extended by 3 weeks: 11 May + 3 weeks (1 Jun) + 3 weeks = 22 Jun, met 18 Jun.
    advice = f["throughput_times"]["terms"]["committee_advice"]["calendar_days"]
    assert advice == {"count": 1, "median": 38, "p90": 38, "max": 38}


def test_smartplus(desk: Any, employee: Any) -> None:
    """S1, Mon 19 Apr: decision sent 25 May, in the 6 weeks (31 May), past SmartPLUS's own
    4-week norm (17 May), which is not binding and says nothing of "in term". S2, Mon 3 May:
    resolved informally 10 May without being formally accepted: taken, in term. S3, Tue 1 Jun:
    inadmissible, told Mon 5 Jul, after the 4 weeks (29 Jun): late."""
    d = desk("smartplus")
    frank = employee(d.organisation, "Frank de Boer", RoleKind.EMPLOYEE)
    handler = {"handler": d.sam.pk}

    s1 = d.receive("2027-04-19", category="bejegening", subjects=[("Frank de Boer", frank)])
    d.act(s1, "2027-04-20", "handler_assigned", handler, handler="Sam Stafmedewerker")
    d.act(s1, "2027-04-22", "acknowledged")
    d.act(s1, "2027-04-22", "accepted")
    d.act(s1, "2027-05-24", "decision_made", outcome="founded")
    d.act(s1, "2027-05-25", "decision_sent")
    d.act(s1, "2027-05-26", "closed")

    s2 = d.receive("2027-05-03", category="planning", subjects=[("Iemand Extern", None)])
    d.act(s2, "2027-05-03", "handler_assigned", handler, handler="Sam Stafmedewerker")
    d.act(s2, "2027-05-04", "acknowledged")
    d.act(s2, "2027-05-10", "resolved_informally")

    s3 = d.receive("2027-06-01", category="planning")
    d.act(s3, "2027-06-02", "acknowledged")
    d.act(s3, "2027-06-10", "declared_inadmissible", ground="eerder_behandeld")
    d.act(s3, "2027-07-05", "inadmissibility_notice_sent")

    f = figures_of(d)
    assert f["complaints_received"]["total"] == 3
    assert f["taken_into_treatment"] == {"total": 2}
    assert f["taken_into_treatment_in_term"]["total"] == 2
    assert f["taken_into_treatment_in_term"]["late"] == 0
    assert f["not_taken_into_treatment_in_term"]["total"] == 0
    assert f["not_taken_into_treatment_in_term"]["late"] == 1
    assert f["outcomes"]["founded"] == 1
    assert f["outcomes"]["resolved_informally"] == 1
    assert f["outcomes"]["not_taken_into_treatment"] == 1
    norm = f["throughput_times"]["terms"]["service_norm"]["calendar_days"]
    assert norm == {"count": 2, "median": 7, "p90": 36, "max": 36}
    assert f["nature_of_complaints"]["by_subject_role"] == {"employee": 1, "none": 1, "unknown": 1}
