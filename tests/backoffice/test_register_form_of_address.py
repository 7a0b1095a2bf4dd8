"""The form of address (heer / mevrouw / neutraal) on the registration form and in the correction
of the facts (issue 15, *Addressing*). Iskander, registered by the klachtenfunctionaris Klara."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import Complaint, Organisation
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    act,
    action_forms,
    complaint_url,
    parse,
    problem,
    register,
    registration_fields,
    stored_log,
    url,
)


@pytest.fixture
def client_of_klara(client: Client, clock: Clock, iskander: Organisation, klara: User) -> Client:
    clock.set("2027-04-19")
    client.force_login(klara)
    return client


def test_the_form_offers_the_three_forms_neutral_first(client_of_klara: Client) -> None:
    page = client_of_klara.get(url("register", "iskander"))
    select = parse(page.content).find("select", {"name": "form_of_address"})
    assert select is not None
    options = select.find_all("option")
    assert [o.attrs["value"] for o in options] == ["neutral", "mr", "ms"]
    assert [o.text() for o in options] == ["neutraal", "heer", "mevrouw"]
    assert "selected" in options[0].attrs


def test_the_form_of_address_is_stored_and_shown(client_of_klara: Client) -> None:
    complaint = register(
        client_of_klara,
        "iskander",
        "2027-04-19",
        complainant_name="Fatima el Idrissi",
        form_of_address="ms",
    )
    assert complaint.form_of_address == "ms"
    page = client_of_klara.get(complaint_url(complaint))
    shown = parse(page.content).find(attrs={"id": "fact-form-of-address"})
    assert shown is not None and shown.text() == "mevrouw"


def test_without_a_choice_the_form_is_neutral(client_of_klara: Client) -> None:
    complaint = register(client_of_klara, "iskander", "2027-04-19")
    assert complaint.form_of_address == "neutral"


def test_an_unknown_form_is_a_form_error(client_of_klara: Client) -> None:
    response = client_of_klara.post(
        url("register", "iskander"), registration_fields("2027-04-19", form_of_address="dr")
    )
    assert response.status_code == 400
    assert "De klacht is niet geregistreerd" in parse(response.content).text()
    assert Complaint.objects.count() == 0


def test_the_form_of_address_is_corrected_with_the_facts(
    client_of_klara: Client, clock: Clock
) -> None:
    complaint = register(
        client_of_klara, "iskander", "2027-04-19", complainant_name="Pieter de Vries"
    )
    clock.set("2027-04-20")
    form = action_forms(client_of_klara.get(complaint_url(complaint)).content)["facts_corrected"]
    select = form.node.find("select", {"name": "form_of_address"})
    assert select is not None
    [chosen] = [o for o in select.find_all("option") if "selected" in o.attrs]
    assert chosen.attrs["value"] == "neutral"

    response = act(
        client_of_klara,
        complaint,
        "facts_corrected",
        "2027-04-20",
        form_of_address="mr",
        reason="De klager schreef 'de heer' in zijn brief.",
    )

    assert response.status_code == 302, problem(response)
    complaint.refresh_from_db()
    assert complaint.form_of_address == "mr"
    change = stored_log(complaint)[-1].payload["changes"]
    assert change == {"form_of_address": {"old": "neutral", "new": "mr"}}
    page = client_of_klara.get(complaint_url(complaint)).content
    shown = parse(page).find(attrs={"id": "fact-form-of-address"})
    assert shown is not None and shown.text().startswith("heer")
    assert "neutraal → heer" in parse(page).text()
