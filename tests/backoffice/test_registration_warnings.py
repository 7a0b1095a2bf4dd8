"""Warnings before a registration is saved (issue 12 §2): a received date more than 30 days
back, before the regulation's first version took effect, or another open complaint of the same
complainant. The form comes back (200) with the warnings and "Toch registreren"; nothing is saved
until the user confirms (``confirmed=1``) or corrects.

Iskander (its regulation takes effect on 1 Jan 2026), registered by the klachtenfunctionaris Klara.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klachtenregister.register.models import Complaint, Organisation
from tests.support.clock_and_race import Clock
from tests.support.webflows import act, parse, problem, register, registration_fields, url


@pytest.fixture
def client_of_klara(client: Client, clock: Clock, iskander: Organisation, klara: User) -> Client:
    clock.set("2027-04-19")
    client.force_login(klara)
    return client


def post(client: Client, received_on: str, **fields: Any) -> Any:
    return client.post(url("register", "iskander"), registration_fields(received_on, **fields))


def shown_warnings(response: Any) -> list[str]:
    node = parse(response.content).find(attrs={"id": "registration-warnings"})
    if node is None:
        return []
    return [li.text() for li in node.find_all("li")]


def confirm_button(response: Any) -> bool:
    return any(
        button.attrs.get("name") == "confirmed" and button.attrs.get("value") == "1"
        for button in parse(response.content).find_all("button")
    )


def asked(response: Any, count: int = 0) -> list[str]:
    """The form came back with warnings and the confirm button; nothing was saved: the register
    still holds ``count`` complaints."""
    assert response.status_code == 200, problem(response)
    assert confirm_button(response)
    assert Complaint.objects.count() == count
    return shown_warnings(response)


def test_a_normal_registration_saves_at_once(client_of_klara: Client) -> None:
    response = post(client_of_klara, "2027-04-12")
    assert response.status_code == 302, problem(response)
    assert Complaint.objects.count() == 1


def test_a_received_date_more_than_30_days_back_is_asked_then_confirmed(
    client_of_klara: Client,
) -> None:
    # 30 days back is no question; 31 days back is.
    assert post(client_of_klara, "2027-03-20", complainant_name="A").status_code == 302
    response = post(client_of_klara, "2027-03-19", complainant_name="B")
    assert response.status_code == 200
    warnings = shown_warnings(response)
    assert len(warnings) == 1 and "19-03-2027" in warnings[0] and "30 dagen" in warnings[0]
    assert Complaint.objects.count() == 1
    # The form keeps what was typed.
    field = parse(response.content).find("input", {"name": "received_on"})
    assert field is not None and field.attrs["value"] == "2027-03-19"

    confirmed = post(client_of_klara, "2027-03-19", complainant_name="B", confirmed="1")

    assert confirmed.status_code == 302, problem(confirmed)
    assert Complaint.objects.filter(received_on="2027-03-19").count() == 1


def test_a_received_date_before_the_regulation_took_effect_is_asked(
    client_of_klara: Client, clock: Clock
) -> None:
    clock.set("2026-01-10")
    response = post(client_of_klara, "2025-12-20")
    assert asked(response) == [
        "De ontvangstdatum 20-12-2025 ligt vóór de ingangsdatum van het klachtenreglement "
        "(01-01-2026). De klacht wordt toch onder de eerste versie behandeld."
    ]


def test_another_open_complaint_of_the_same_complainant_is_asked(
    client_of_klara: Client,
) -> None:
    first = register(client_of_klara, "iskander", "2027-04-19", complainant_email="v@example.org")
    # The same name, other case and accents; and the same e-mail under another name.
    for fields in [
        {"complainant_name": "mevrouw de vriës"},
        {"complainant_name": "M. de Vries", "complainant_email": "V@Example.org"},
    ]:
        warnings = asked(post(client_of_klara, "2027-04-19", **fields), count=1)
        assert len(warnings) == 1 and first.reference in warnings[0], warnings
    # Another complainant, or an anonymous complaint: no question.
    response = post(client_of_klara, "2027-04-19", complainant_name="Meneer Jansen")
    assert response.status_code == 302, problem(response)
    response = post(client_of_klara, "2027-04-19", complainant_name="", anonymous=True)
    assert response.status_code == 302, problem(response)


def test_a_voided_complaint_of_the_same_complainant_is_no_reason_to_ask(
    client_of_klara: Client, clock: Clock
) -> None:
    first = register(client_of_klara, "iskander", "2027-04-19")
    clock.set("2027-04-20")
    voided = act(client_of_klara, first, "registration_voided", "2027-04-20", reason="Test.")
    assert voided.status_code == 302, problem(voided)

    response = post(client_of_klara, "2027-04-20")

    assert response.status_code == 302, problem(response)


def test_attachments_must_be_added_again_after_the_warnings(client_of_klara: Client) -> None:
    upload = SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief", content_type="application/pdf")
    response = post(client_of_klara, "2027-01-04", attachments=upload)
    assert response.status_code == 200
    warnings = shown_warnings(response)
    assert any("voeg de bijlagen opnieuw toe" in warning for warning in warnings), warnings
    assert Complaint.objects.count() == 0


# --- a subject whose name resembles a member's (issue 16 §2) -----------------------------------


@pytest.fixture
def marieke(iskander: Organisation) -> User:
    from klachtenregister.regulations.vocabulary import RoleKind
    from tests.factories import UserFactory

    return UserFactory(
        username="marieke",
        full_name="Marieke de Boer",
        memberships=[(iskander, RoleKind.COORDINATOR)],
    )


def _checkboxes(response: Any) -> list[str]:
    node = parse(response.content).find(attrs={"id": "registration-warnings"})
    return [
        box.attrs["value"]
        for box in (node.find_all("input") if node is not None else [])
        if box.attrs.get("name") == "different_people"
    ]


def test_a_subject_resembling_a_member_is_asked_and_she_is_kept_out_unless_ticked(
    client_of_klara: Client, marieke: User
) -> None:
    response = post(client_of_klara, "2027-04-19", subjects=["M. de Boer"])

    warnings = asked(response)
    assert any("'M. de Boer' lijkt op Marieke de Boer van uw organisatie" in w for w in warnings)
    assert _checkboxes(response) == ["M. de Boer"]

    confirmed = post(client_of_klara, "2027-04-19", subjects=["M. de Boer"], confirmed="1")
    assert confirmed.status_code == 302
    page = client_of_klara.get(confirmed["Location"])
    text = parse(page.content).text()
    assert "Marieke de Boer is van klacht ISK-2027-0001 uitgesloten" in text
    assert "Marieke de Boer: de naam lijkt op 'M. de Boer'" in text
    marieke_client = Client()
    marieke_client.force_login(marieke)
    assert marieke_client.get(confirmed["Location"]).status_code == 403

    # The coordinator confirms on the complaint page that it is someone else.
    button = parse(page.content).find(attrs={"id": "lookalikes"}).find("form")
    done = client_of_klara.post(button.attrs["action"])
    assert done.status_code == 302
    assert marieke_client.get(confirmed["Location"]).status_code == 200


def test_ticked_as_someone_else_she_is_not_kept_out(client_of_klara: Client, marieke: User) -> None:
    response = post(
        client_of_klara,
        "2027-04-19",
        subjects=["M. de Boer"],
        confirmed="1",
        different_people="M. de Boer",
    )

    assert response.status_code == 302
    marieke_client = Client()
    marieke_client.force_login(marieke)
    assert marieke_client.get(response["Location"]).status_code == 200


def test_only_a_posted_name_can_be_ticked(client_of_klara: Client, marieke: User) -> None:
    response = post(
        client_of_klara,
        "2027-04-19",
        subjects=["M. de Boer"],
        confirmed="1",
        different_people="Iemand anders",
    )

    assert response.status_code == 400
    assert Complaint.objects.count() == 0
