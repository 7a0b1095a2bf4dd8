"""The registration page offers the organisation's people as subjects (issue 16 §2), and the
correction form keeps a chosen person ticked, apart from the names typed.

Iskander: the klachtenfunctionaris Klara registers a complaint about Marieke de Boer (a
coordinator), chosen from the list; Jan de Coach is a third party the organisation works with.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import (
    ComplaintPerson,
    Organisation,
    Person,
)
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    act,
    action_forms,
    complaint_url,
    page_error,
    parse,
    problem,
    register,
    url,
)


@pytest.fixture
def marieke(iskander: Organisation) -> User:
    return UserFactory(
        username="marieke",
        full_name="Marieke de Boer",
        memberships=[(iskander, RoleKind.COORDINATOR)],
    )


@pytest.fixture
def client_of_klara(client: Client, clock: Clock, klara: User) -> Client:
    clock.set("2027-04-19")
    client.force_login(klara)
    return client


def options(html: bytes, name: str) -> dict[str, str]:
    select = parse(html).find("select", {"name": name})
    assert select is not None, name
    return {o.text(): o.attrs["value"] for o in select.find_all("option")}


def test_the_registration_page_offers_the_organisations_people_in_dutch(
    client_of_klara: Client, iskander: Organisation, marieke: User, piet: User
) -> None:
    Person.objects.create(organisation=iskander, name="Jan de Coach", kind=Person.THIRD_PARTY)

    page = client_of_klara.get(url("register", "iskander"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Beklaagden uit de organisatie" in text
    assert "Over wie gaat de klacht (beklaagden buiten de organisatie)" in text
    offered = options(page.content, "subject_people")
    assert {"Marieke de Boer", "Piet Pietersen", "Jan de Coach (derde)"} <= set(offered)
    assert set(options(page.content, "involved_people")) == set(offered)


def test_a_subject_chosen_on_the_page_is_kept_out_and_the_correction_keeps_her_ticked(
    client_of_klara: Client, client: Client, iskander: Organisation, marieke: User
) -> None:
    page = client_of_klara.get(url("register", "iskander"))
    chosen = options(page.content, "subject_people")["Marieke de Boer"]

    complaint = register(
        client_of_klara,
        "iskander",
        "2027-04-19",
        subject_people=[chosen],
        subjects=["Jan Jansen"],
    )
    subject = complaint.people.get(relation=ComplaintPerson.SUBJECT, user=marieke)
    assert subject.person is not None and subject.person.pk == int(chosen)

    # The correction form: Marieke ticked as one of the organisation's people, the typed name
    # in the text.
    page = client_of_klara.get(complaint_url(complaint))
    form = action_forms(page.content)["facts_corrected"]
    assert form.choices("subject_people") == [(str(subject.pk), "Marieke de Boer")]
    box = form.node.find("input", {"name": "subject_people"})
    assert box is not None and "checked" in box.attrs
    textarea = form.node.find("textarea", {"name": "subjects"})
    assert textarea is not None and textarea.text() == "Jan Jansen"
    assert "Marieke de Boer" not in handler_choices(page.content)

    # The typed names respelled, one resembling her: she stays out, by who she is.
    corrected = act(
        client_of_klara,
        complaint,
        "facts_corrected",
        "2027-04-19",
        subject_people=[str(subject.pk)],
        subjects="J. Jansen\nM.  de Boer",
        reason="Namen zoals de klager ze schreef.",
    )
    assert corrected.status_code == 302, problem(corrected)
    assert complaint.people.filter(relation=ComplaintPerson.SUBJECT, person=subject.person).exists()
    # She is not among the handlers the form offers: posting her anyway is refused.
    sequence = complaint.events.count()
    refused = act(client_of_klara, complaint, "handler_assigned", "2027-04-19", handler=marieke.pk)
    assert refused.status_code == 400
    assert page_error(refused.content) == "Controleer de gegevens van 'behandelaar aangewezen'."
    assert complaint.events.count() == sequence
    assert not complaint.participants.exists()

    client.force_login(marieke)
    assert client.get(complaint_url(complaint)).status_code == 403


def handler_choices(html: bytes) -> list[str]:
    forms = action_forms(html)
    if "handler_assigned" not in forms:
        return []
    return [label for _value, label in forms["handler_assigned"].choices("handler")]


def test_a_person_of_another_organisation_is_a_form_error(
    client_of_klara: Client, loket3: Organisation
) -> None:
    stranger = Person.objects.create(organisation=loket3, name="Lot Loket", kind="third_party")
    data: dict[str, Any] = {
        "received_on": "2027-04-19",
        "channel": "written",
        "complainant_name": "Mevrouw De Vries",
        "complainant_language": "nl",
        "description": "Afspraken niet nagekomen.",
        "subject_people": [str(stranger.pk)],
    }
    response = client_of_klara.post(url("register", "iskander"), data)
    assert response.status_code == 400
    assert "Lot Loket" not in response.content.decode()
