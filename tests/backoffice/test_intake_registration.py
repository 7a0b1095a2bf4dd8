"""Intake by the regulation at registration (issue 14 §3), through HTTP.

- Integratiewerk ("Wat is een klacht?": "Een klacht kan gaan over: ..."): the regulation's three
  categories are the category's choices, a closed list (no "anders").
- Loket3 (Definitie van een klacht: "iedere uiting ... van ontevredenheid"): its categories and
  "anders", with the other subject typed.
- Integratiewerk (Indienen, stap 1 en 2): first the employee, then the manager. Each step is asked
  and recorded with the receipt; a step not taken is a warning that tells what the regulation
  advises, and the complaint is still registered when confirmed.
- Integratiewerk (Klachtenprocedure 2): an oral complaint is registered with the to-do to ask for
  it in writing, which the written complaint carries out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from klachtenregister.register.models import Complaint, Organisation
from tests.factories import Staff
from tests.support.clock_and_race import Clock
from tests.support.webflows import act, parse, problem, registration_fields, stored_log, url


def form_page(client: Client, slug: str) -> Any:
    response = client.get(url("register", slug))
    assert response.status_code == 200, problem(response)
    return parse(response.content)


def options(page: Any, name: str) -> list[str]:
    select = page.find("select", {"name": name})
    assert select is not None, name
    return [option.attrs.get("value", "") for option in select.find_all("option")]


def warnings_of(response: Any) -> list[str]:
    node = parse(response.content).find(attrs={"id": "registration-warnings"})
    return [] if node is None else [li.text() for li in node.find_all("li")]


def signed_in(client: Client, staff: Staff, organisation: Organisation, clock: Clock) -> Client:
    clock.set("2027-04-22")
    client.force_login(staff(organisation, email=""))
    return client


def test_integratiewerk_wat_is_een_klacht_categories_are_the_choices(
    client: Client, staff: Staff, organisation: Callable[[str], Organisation], clock: Clock
) -> None:
    signed_in(client, staff, organisation("integratiewerk"), clock)
    page = form_page(client, "integratiewerk")
    assert options(page, "category") == [
        "",
        "bejegening_door_medewerker",
        "effecten_dienstverlening",
        "discriminatie",
    ]
    response = client.post(
        url("register", "integratiewerk"),
        registration_fields("2027-04-22", category="discriminatie"),
    )
    assert response.status_code == 302, problem(response)
    assert Complaint.objects.get().category == "discriminatie"
    # Another subject is not one of the regulation's choices.
    refused = client.post(
        url("register", "integratiewerk"), registration_fields("2027-04-22", category="parkeren")
    )
    assert refused.status_code == 400
    assert Complaint.objects.count() == 1


def test_loket3_definitie_van_een_klacht_allows_anders(
    client: Client, staff: Staff, organisation: Callable[[str], Organisation], clock: Clock
) -> None:
    signed_in(client, staff, organisation("loket3"), clock)
    page = form_page(client, "loket3")
    assert options(page, "category")[-1] == "anders"
    assert page.find("input", {"name": "category_other"}) is not None
    response = client.post(
        url("register", "loket3"),
        registration_fields(
            "2027-04-22", channel="written", category="anders", category_other="Parkeren"
        ),
    )
    assert response.status_code == 302, problem(response)
    assert Complaint.objects.get().category == "Parkeren"


def test_integratiewerk_indienen_stap_1_en_2_preconditions_are_asked_and_recorded(
    client: Client, staff: Staff, organisation: Callable[[str], Organisation], clock: Clock
) -> None:
    signed_in(client, staff, organisation("integratiewerk"), clock)
    page = form_page(client, "integratiewerk")
    fieldset = page.find("fieldset", {"id": "preconditions"})
    assert fieldset is not None
    assert "bespreekt de klacht eerst met de betrokken medewerker" in fieldset.text()
    assert options(page, "precondition_bespreken_met_medewerker") == ["", "yes", "no"]

    fields = registration_fields(
        "2027-04-22",
        precondition_bespreken_met_medewerker="yes",
        precondition_leidinggevende_lost_op="yes",
    )
    response = client.post(url("register", "integratiewerk"), fields)
    assert response.status_code == 302, problem(response)
    received = stored_log(Complaint.objects.get())[0]
    assert received.event == "received"
    assert received.payload["preconditions"] == {
        "bespreken_met_medewerker": True,
        "leidinggevende_lost_op": True,
    }


def test_integratiewerk_indienen_stap_2_not_taken_is_a_warning_then_registered(
    client: Client, staff: Staff, organisation: Callable[[str], Organisation], clock: Clock
) -> None:
    signed_in(client, staff, organisation("integratiewerk"), clock)
    fields = registration_fields(
        "2027-04-22",
        precondition_bespreken_met_medewerker="yes",
        precondition_leidinggevende_lost_op="no",
    )
    response = client.post(url("register", "integratiewerk"), fields)
    assert response.status_code == 200, problem(response)
    (warning,) = warnings_of(response)
    assert "Indienen, stap 2" in warning
    assert "vraagt de medewerker de leidinggevende" in warning
    assert "raadt aan" in warning
    assert Complaint.objects.count() == 0

    confirmed = client.post(url("register", "integratiewerk"), {**fields, "confirmed": "1"})
    assert confirmed.status_code == 302, problem(confirmed)
    received = stored_log(Complaint.objects.get())[0]
    assert received.payload["preconditions"] == {
        "bespreken_met_medewerker": True,
        "leidinggevende_lost_op": False,
    }


def test_an_optional_precondition_not_taken_is_recorded_without_a_warning(
    client: Client, staff: Staff, organisation: Callable[[str], Organisation], clock: Clock
) -> None:
    # SmartPLUS (Inleiding, 3e alinea): a personal talk first is advice, not a condition.
    signed_in(client, staff, organisation("smartplus"), clock)
    fields = registration_fields("2027-04-22", precondition_persoonlijk_gesprek="no")
    response = client.post(url("register", "smartplus"), fields)
    assert response.status_code == 302, problem(response)
    received = stored_log(Complaint.objects.get())[0]
    assert received.payload["preconditions"] == {"persoonlijk_gesprek": False}


def test_integratiewerk_klachtenprocedure_2_oral_complaint_gets_the_to_do_in_writing(
    client: Client, staff: Staff, organisation: Callable[[str], Organisation], clock: Clock
) -> None:
    signed_in(client, staff, organisation("integratiewerk"), clock)
    response = client.post(
        url("register", "integratiewerk"), registration_fields("2027-04-22", channel="oral")
    )
    assert response.status_code == 302, problem(response)
    complaint = Complaint.objects.get()
    page = parse(client.get(response["Location"]).content)
    row = page.find("tr", {"data-todo": "klacht_op_schrift"})
    assert row is not None and row.attrs["data-todo-status"] == "open"
    assert "op schrift" in row.text()

    clock.set("2027-05-03")
    done = act(client, complaint, "complaint_put_in_writing", "2027-05-03", form="letter")
    assert done.status_code == 302, problem(done)
    page = parse(client.get(response["Location"]).content)
    row = page.find("tr", {"data-todo": "klacht_op_schrift"})
    assert row is not None and row.attrs["data-todo-status"] == "done"
