"""The complaint's own manager ("de betreffende leidinggevende", Integratiewerk Klachtenprocedure
3 en 7; issue 14 §1 f): set on the registration form, shown on the complaint page, correctable
with the facts, and the only manager the copies go to."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import act, action_forms, complaint_url, parse, problem, register, url


@pytest.fixture
def integratiewerk(organisation) -> Organisation:  # type: ignore[no-untyped-def]
    return organisation("integratiewerk")


@pytest.fixture
def director(integratiewerk: Organisation) -> User:
    return UserFactory(
        username="dora",
        full_name="Dora Directeur",
        memberships=[(integratiewerk, RoleKind.DIRECTOR)],
        email="",
    )


@pytest.fixture
def managers(integratiewerk: Organisation) -> dict[str, User]:
    return {
        username: UserFactory(
            username=username,
            full_name=name,
            memberships=[(integratiewerk, RoleKind.MANAGER)],
            email=f"{username}@integratiewerk.example",
        )
        for username, name in (("ingrid", "Ingrid de Graaf"), ("karel", "Karel Kok"))
    }


@pytest.fixture
def client_of_dora(client: Client, clock: Clock, director: User) -> Client:
    clock.set("2027-04-22")
    client.force_login(director)
    return client


def test_the_registration_form_records_the_manager_and_links_the_member(
    client_of_dora: Client, managers: dict[str, User]
) -> None:
    page = client_of_dora.get(url("register", "integratiewerk"))
    assert parse(page.content).find("input", {"name": "manager_name"}) is not None
    complaint = register(
        client_of_dora, "integratiewerk", "2027-04-22", manager_name="ingrid de graaf"
    )
    assert complaint.manager_name == "ingrid de graaf"
    assert complaint.manager == managers["ingrid"]
    shown = parse(client_of_dora.get(complaint_url(complaint)).content).find(
        attrs={"id": "fact-manager"}
    )
    assert shown is not None and shown.text().startswith("ingrid de graaf")


def test_a_manager_the_register_does_not_know_is_kept_by_name(
    client_of_dora: Client, managers: dict[str, User]
) -> None:
    complaint = register(client_of_dora, "integratiewerk", "2027-04-22", manager_name="Bas Buiten")
    assert (complaint.manager_name, complaint.manager) == ("Bas Buiten", None)


def test_the_manager_is_corrected_with_the_facts_and_the_copy_follows(
    client_of_dora: Client, clock: Clock, managers: dict[str, User]
) -> None:
    complaint = register(
        client_of_dora, "integratiewerk", "2027-04-22", manager_name="Ingrid de Graaf"
    )
    clock.set("2027-04-23")
    form = action_forms(client_of_dora.get(complaint_url(complaint)).content)["facts_corrected"]
    field = form.node.find("input", {"name": "manager_name"})
    assert field is not None and field.attrs["value"] == "Ingrid de Graaf"

    response = act(
        client_of_dora,
        complaint,
        "facts_corrected",
        "2027-04-23",
        manager_name="Karel Kok",
        reason="Karel is de leidinggevende van de betrokken medewerker.",
    )
    assert response.status_code == 302, problem(response)
    complaint.refresh_from_db()
    assert (complaint.manager_name, complaint.manager) == ("Karel Kok", managers["karel"])
    change = complaint.events.get(event="facts_corrected").payload["changes"]
    assert change == {"manager_name": {"old": "Ingrid de Graaf", "new": "Karel Kok"}}
    page = parse(client_of_dora.get(complaint_url(complaint)).content).text()
    assert "Ingrid de Graaf → Karel Kok" in page

    # Klachtenprocedure 3: the acknowledgement's copy goes to Karel, not to Ingrid.
    clock.set("2027-04-26")
    response = act(client_of_dora, complaint, "acknowledged", "2027-04-26")
    assert response.status_code == 302, problem(response)
    copies = [letter for letter in complaint.letters.all() if letter.is_copy]
    assert [(letter.addressee_name, letter.party) for letter in copies] == [
        ("Karel Kok", "manager")
    ]


def test_no_complaint_registered_keeps_a_manager_when_none_is_given(
    client_of_dora: Client,
) -> None:
    complaint = register(client_of_dora, "integratiewerk", "2027-04-22")
    assert (complaint.manager_name, complaint.manager) == ("", None)
    assert Complaint.objects.count() == 1
