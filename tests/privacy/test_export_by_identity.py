"""One person's AVG export (art. 15) finds the complaints they are in by who they are (issue 16
§2), not by how their name was spelled: as a subject linked to them, as the handler an
assignment identified (a third party without an account too, or a member named by user in an
older assignment). A name search does not find those.

Iskander: the klachtenfunctionaris Klara; Marieke de Boer (a handler) is the subject of one
complaint and handles another; Jan de Coach, a hired coach without an account, handles a third.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from klachtenregister.privacy.export import found_for
from klachtenregister.privacy.models import AccessRecord
from klachtenregister.register.models import Complaint, Organisation, Person
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, record
from tests.support.webflows import parse, url


@pytest.fixture
def marieke(iskander: Organisation) -> User:
    return UserFactory(
        username="marieke", full_name="Marieke de Boer", memberships=[(iskander, RoleKind.HANDLER)]
    )


@pytest.fixture
def people(iskander: Organisation, marieke: User) -> tuple[Person, Person]:
    coach = Person.objects.create(
        organisation=iskander, name="Jan de Coach", kind=Person.THIRD_PARTY
    )
    return Person.objects.get(organisation=iskander, user=marieke), coach


@pytest.fixture
def complaints(
    iskander: Organisation, klara: User, marieke: User, people: tuple[Person, Person], clock: Clock
) -> dict[str, Complaint]:
    her, coach = people
    clock.set("2027-04-19")
    about_her = register_complaint(
        iskander,
        klara,
        complaint_data("2027-04-19", complainant_name="Fatima el Idrissi", subject_people=[her]),
    )
    handled_by_her = register_complaint(
        iskander, klara, complaint_data("2027-04-19", subjects=[("Jan Janssen", None)])
    )
    handled_by_coach = register_complaint(
        iskander, klara, complaint_data("2027-04-19", subjects=[("Kees Klaassen", None)])
    )
    other = register_complaint(
        iskander, klara, complaint_data("2027-04-19", subjects=[("Kees Klaassen", None)])
    )
    clock.set("2027-04-20")
    # By user, as an older caller names her: the register identifies her person.
    record(
        handled_by_her,
        klara,
        "handler_assigned",
        "2027-04-20",
        {"handler": "Marieke de Boer"},
        {"handler": marieke.pk},
    )
    record(
        handled_by_coach,
        klara,
        "handler_assigned",
        "2027-04-20",
        {"handler": "Jan de Coach", "handler_id": str(coach.pk)},
    )
    return {
        "about_her": about_her,
        "handled_by_her": handled_by_her,
        "handled_by_coach": handled_by_coach,
        "other": other,
    }


def found(organisation: Organisation, person: Person) -> set[tuple[str, str]]:
    return {
        (item.complaint.reference, item.capacity)
        for item in found_for(organisation, "", "", person)
    }


def test_a_persons_complaints_are_found_by_identity(
    iskander: Organisation, complaints: dict[str, Complaint], people: tuple[Person, Person]
) -> None:
    her, coach = people
    assert found(iskander, her) == {
        (complaints["about_her"].reference, "subject"),
        (complaints["handled_by_her"].reference, "handler"),
    }
    assert found(iskander, coach) == {(complaints["handled_by_coach"].reference, "handler")}
    # By name the coach's complaint is not found: he is nobody's complainant or subject.
    assert found_for(iskander, "Jan de Coach", "") == []


def test_the_page_exports_by_person_and_records_the_export(
    client: Client,
    iskander: Organisation,
    klara: User,
    complaints: dict[str, Complaint],
    people: tuple[Person, Person],
) -> None:
    her, _coach = people
    client.force_login(klara)
    page = client.get(url("person_data", "iskander"), {"person": her.pk})
    assert page.status_code == 200
    table = parse(page.content).find("table", {"id": "person-complaints"}).text()
    assert complaints["about_her"].reference in table and "beklaagde" in table
    assert complaints["handled_by_her"].reference in table and "klachtbehandelaar" in table
    assert complaints["other"].reference not in table

    download = client.get(url("person_data", "iskander"), {"person": her.pk, "download": "1"})
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    data = json.loads(archive.read("gegevens.json"))
    assert data["person"]["person"]["id"] == her.pk
    assert {(e["reference"], e["capacity"]) for e in data["complaints"]} == found(iskander, her)
    # Neither complaint is hers as complainant: no dossier of another person's complaint.
    assert archive.namelist() == ["gegevens.json"]
    text = archive.read("gegevens.json").decode()
    assert "Idrissi" not in text
    assert AccessRecord.objects.filter(
        what="export", complaint=complaints["about_her"], user=klara
    ).exists()


def test_another_organisations_person_is_a_dutch_form_error(
    client: Client,
    klara: User,
    complaints: dict[str, Complaint],
    organisation: Callable[[str], Organisation],
) -> None:
    stranger = Person.objects.create(
        organisation=organisation("loket3"), name="Els Extern", kind=Person.THIRD_PARTY
    )
    client.force_login(klara)
    page = client.get(url("person_data", "iskander"), {"person": stranger.pk})
    assert page.status_code == 400
    assert "Kies een persoon van deze organisatie." in page.content.decode()
    for hostile in ("abc", "99999999999999999999999", "-1"):
        response = client.get(url("person_data", "iskander"), {"person": hostile})
        assert response.status_code == 400, hostile


def test_the_command_exports_by_person(
    iskander: Organisation,
    complaints: dict[str, Complaint],
    people: tuple[Person, Person],
    tmp_path: Path,
) -> None:
    _her, coach = people
    target = tmp_path / "coach.zip"
    call_command(
        "avg_export", "iskander", "--person", str(coach.pk), "-o", str(target), "--by", "klara"
    )
    with zipfile.ZipFile(target) as archive:
        data = json.loads(archive.read("gegevens.json"))
    assert [(e["reference"], e["capacity"]) for e in data["complaints"]] == [
        (complaints["handled_by_coach"].reference, "handler")
    ]
