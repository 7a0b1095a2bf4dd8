"""Correcting the facts through the back office (`facts_corrected`, issue 12 §2): the log stays
append-only and shows old and new; the complaint page shows the current facts and marks what
was corrected; the search finds the new value (and the old one: it stays in the log's payload).

An Iskander complaint registered by the klachtenfunctionaris Klara on Mon 19 Apr 2027 for
"Mevrouw De Vries"; no role of Iskander lists the event, so only the coordinator corrects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import Complaint, Organisation
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    act,
    action_forms,
    complaint_url,
    overview,
    page_error,
    parse,
    problem,
    register,
    stored_log,
    url,
)

REASON = "Naam en adres verkeerd overgenomen uit de brief."
ADDRESS = "Dorpsstraat 1\n1234 AB Ergens"


@dataclass
class Case:
    client: Client
    clock: Clock
    complaint: Complaint


@pytest.fixture
def case(client: Client, clock: Clock, iskander: Organisation, klara: User) -> Case:
    clock.set("2027-04-19")
    client.force_login(klara)
    complaint = register(client, "iskander", "2027-04-19", complainant_address="Dorpsstraat 10")
    clock.set("2027-04-20")
    return Case(client, clock, complaint)


def correct(case: Case, client: Client | None = None, **fields: Any) -> Any:
    return act(client or case.client, case.complaint, "facts_corrected", "2027-04-20", **fields)


def details_cells(html: bytes) -> list[str]:
    table = next(t for t in parse(html).find_all("table") if t.find("th").text() == "#")  # type: ignore[union-attr]
    body = table.find("tbody")
    assert body is not None
    return [tr.elements()[4].text() for tr in body.elements()]


def found(client: Client, q: str) -> list[str]:
    page = client.get(url("complaint_list", "iskander"), {"q": q})
    assert page.status_code == 200
    table = parse(page.content).find("table", {"class": "complaints"})
    if table is None:
        return []
    body = table.find("tbody")
    assert body is not None
    return [tr.elements()[0].text() for tr in body.find_all("tr") if tr.find("th") is not None]


def test_the_form_is_offered_prefilled_with_the_current_facts(case: Case) -> None:
    page = case.client.get(complaint_url(case.complaint))
    form = action_forms(page.content)["facts_corrected"]
    assert form.value("complainant_name") == "Mevrouw De Vries"
    assert {"complainant_name", "complainant_address", "channel", "reason"} <= form.field_names()


def test_correcting_name_and_address_is_logged_with_old_and_new(case: Case) -> None:
    response = correct(
        case,
        complainant_name="Mevrouw De Vries-Jansen",
        complainant_address=ADDRESS,
        reason=REASON,
    )
    assert response.status_code == 302, problem(response)

    complaint = Complaint.objects.get(pk=case.complaint.pk)
    assert complaint.complainant_name == "Mevrouw De Vries-Jansen"
    assert complaint.complainant_address == ADDRESS
    assert complaint.state == "registered"  # a correction changes no state
    log = stored_log(complaint)
    assert log[-1].event == "facts_corrected"
    assert log[-1].payload == {
        "reason": REASON,
        "changes": {
            "complainant_name": {"old": "Mevrouw De Vries", "new": "Mevrouw De Vries-Jansen"},
            "complainant_address": {"old": "Dorpsstraat 10", "new": ADDRESS},
        },
    }

    page = case.client.get(complaint_url(complaint))
    rows = overview(page.content)
    assert rows[-1]["label"] == "Gegevens gecorrigeerd"
    cell = details_cells(page.content)[-1]
    assert "Mevrouw De Vries → Mevrouw De Vries-Jansen" in cell
    assert "Dorpsstraat 10 →" in cell
    assert REASON in cell
    marks = {
        node.attrs["data-corrected"]: node.text()
        for node in parse(page.content).find_all("span", {"class": "corrected"})
    }
    assert marks == {
        "complainant_name": "(gecorrigeerd op 20-04-2027)",
        "complainant_address": "(gecorrigeerd op 20-04-2027)",
    }
    # The facts block shows the current name.
    assert "Mevrouw De Vries-Jansen" in parse(page.content).find("dl").text()  # type: ignore[union-attr]


def test_the_search_finds_the_new_name_and_the_old_one_in_the_log(case: Case) -> None:
    assert found(case.client, "Jansen") == []
    assert correct(case, complainant_name="Mevrouw Jansen", reason=REASON).status_code == 302
    reference = case.complaint.reference
    assert found(case.client, "Jansen") == [reference]
    # The old name stays in the log (the correction's payload), so it still finds the complaint.
    assert found(case.client, "de vries") == [reference]


def test_nothing_changed_is_a_form_error(case: Case) -> None:
    response = correct(case, complainant_name="Mevrouw De Vries", reason=REASON)
    assert response.status_code == 400
    assert "Er is niets gewijzigd" in response.content.decode()
    assert stored_log(case.complaint)[-1].event == "registered"


def test_an_empty_reason_is_refused_and_nothing_changes(case: Case) -> None:
    response = correct(case, complainant_name="Mevrouw Jansen", reason="")
    assert response.status_code == 400
    complaint = Complaint.objects.get(pk=case.complaint.pk)
    assert complaint.complainant_name == "Mevrouw De Vries"
    assert stored_log(complaint)[-1].event == "registered"


def test_a_handler_may_not_correct_and_nothing_changes(case: Case, piet: User) -> None:
    assigned = act(case.client, case.complaint, "handler_assigned", "2027-04-20", handler=piet.pk)
    assert assigned.status_code == 302, problem(assigned)
    handler = Client()
    handler.force_login(piet)
    page = handler.get(complaint_url(case.complaint))
    assert "facts_corrected" not in action_forms(page.content)

    response = correct(case, client=handler, complainant_name="Mevrouw Jansen", reason=REASON)
    assert response.status_code == 403
    assert "gegevens gecorrigeerd" in (page_error(response.content) or "")
    complaint = Complaint.objects.get(pk=case.complaint.pk)
    assert complaint.complainant_name == "Mevrouw De Vries"
    assert stored_log(complaint)[-1].event == "handler_assigned"


def test_a_corrected_channel_and_facts_date_are_shown(case: Case) -> None:
    response = correct(case, channel="oral", facts_date="2027-03-01", reason="Telefonisch.")
    assert response.status_code == 302, problem(response)
    complaint = Complaint.objects.get(pk=case.complaint.pk)
    assert (complaint.channel, str(complaint.facts_date)) == ("oral", "2027-03-01")
    page = case.client.get(complaint_url(complaint))
    cell = details_cells(page.content)[-1]
    assert "schriftelijk (brief) → mondeling (telefoon of gesprek)" in cell
    assert "— → 2027-03-01" in cell
    # 4 weeks after 1 March ran out before receipt: Iskander's time-limit ground is suggested.
    assert "langer dan vier weken" in page.content.decode()


def test_no_correction_of_a_voided_complaint(case: Case) -> None:
    voided = act(case.client, case.complaint, "registration_voided", "2027-04-20", reason="Test.")
    assert voided.status_code == 302, problem(voided)
    page = case.client.get(complaint_url(case.complaint))
    assert "facts_corrected" not in action_forms(page.content)
    response = correct(case, complainant_name="Mevrouw Jansen", reason=REASON)
    assert response.status_code == 422
    assert Complaint.objects.get(pk=case.complaint.pk).complainant_name == "Mevrouw De Vries"
