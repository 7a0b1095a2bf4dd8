"""Registering a complaint: its reference number, its first events, its regulation version and
the documents that came with it (``register.services.register_complaint``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from klachtenregister.register.errors import NotPermitted, Refusal
from klachtenregister.register.loading import load_regulations
from klachtenregister.register.models import (
    Complaint,
    ComplaintEvent,
    ComplaintPerson,
    Document,
    Organisation,
    ReferenceCounter,
)
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.loader import read_regulation_text
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.complaints import complaint_data, day, log_of, record

# --- reference numbers ---------------------------------------------------------------------------


def test_reference_numbers_count_per_organisation_per_year_of_receipt(
    iskander: Organisation,
    integratiewerk: Organisation,
    coordinator: User,
    today: Any,
) -> None:
    director = UserFactory(
        username="dora",
        full_name="Dora Directeur",
        memberships=[(integratiewerk, RoleKind.DIRECTOR)],
    )
    today.set("2028-01-03")

    first = register_complaint(iskander, coordinator, complaint_data("2027-04-19"))
    second = register_complaint(iskander, coordinator, complaint_data("2027-06-01"))
    other_org = register_complaint(integratiewerk, director, complaint_data("2027-06-01"))
    next_year = register_complaint(iskander, coordinator, complaint_data("2028-01-03"))
    # Received on the last day of 2027, registered in 2028: it counts in the year it came in.
    late = register_complaint(iskander, coordinator, complaint_data("2027-12-31"))

    assert [c.reference for c in (first, second, other_org, next_year, late)] == [
        "ISK-2027-0001",
        "ISK-2027-0002",
        "IW-2027-0001",
        "ISK-2028-0001",
        "ISK-2027-0003",
    ]
    assert [(c.year, c.number) for c in (first, second, other_org, next_year, late)] == [
        (2027, 1),
        (2027, 2),
        (2027, 1),
        (2028, 1),
        (2027, 3),
    ]
    assert late.events.get(event="registered").on == day("2028-01-03")


# --- the first events ---------------------------------------------------------------------------


def test_iskander_coordinator_records_received_and_registered(
    iskander: Organisation, coordinator: User, today: Any
) -> None:
    """The preset names no role for 'received'; the klachtenfunctionaris (the coordinator, who
    keeps the register) records it, and registers the complaint on the day it is entered."""
    today.set("2027-04-19")
    complaint = register_complaint(
        iskander,
        coordinator,
        complaint_data(
            "2027-04-16",
            channel="oral",
            facts_date=day("2027-04-09"),
            subjects=[("Jan Jansen", None)],
            involved=[("Kees", None)],
        ),
    )

    assert log_of(complaint) == [
        (1, "received", day("2027-04-16"), "klachtenfunctionaris"),
        (2, "registered", day("2027-04-19"), "klachtenfunctionaris"),
    ]
    received = complaint.events.get(sequence=1)
    assert received.payload == {"channel": "oral", "anonymous": False, "facts_date": "2027-04-09"}
    assert (received.actor, received.people) == (coordinator, {})
    assert complaint.registered_by == coordinator
    assert (complaint.state, complaint.sequence) == ("registered", 2)
    assert complaint.regulation_version.version == "seed-1"
    assert sorted(complaint.people.values_list("relation", "name")) == [
        (ComplaintPerson.INVOLVED, "Kees"),
        (ComplaintPerson.SUBJECT, "Jan Jansen"),
    ]
    # ontvangstbevestiging: 5 werkdagen after Fri 16 Apr: Mon 19, Tue 20, Wed 21, Thu 22, Fri 23.
    assert complaint.deadlines.get(deadline_id="ontvangstbevestiging").due == day("2027-04-23")


def test_registered_on_a_given_day(iskander: Organisation, coordinator: User, today: Any) -> None:
    today.set("2027-04-21")
    complaint = register_complaint(
        iskander, coordinator, complaint_data("2027-04-19"), registered_on=day("2027-04-20")
    )
    assert [row[1:3] for row in log_of(complaint)] == [
        ("received", day("2027-04-19")),
        ("registered", day("2027-04-20")),
    ]


def test_in_focus_samen_coordinator_records_only_received_and_the_committee_registers(
    infocus: Organisation, today: Any
) -> None:
    """IN FOCUS Samen: the organisation (coordinator) receives; the Klachtencommissie registers,
    acknowledges and judges (infocus-samen.yaml, roles)."""
    coordinator = UserFactory(
        username="ina", full_name="Ina Focus", memberships=[(infocus, RoleKind.COORDINATOR)]
    )
    member = UserFactory(
        username="cor", full_name="Cor Commissie", memberships=[(infocus, RoleKind.COMMITTEE)]
    )
    today.set("2027-04-19")

    complaint = register_complaint(infocus, coordinator, complaint_data("2027-04-19"))

    assert complaint.reference == "IFS-2027-0001"
    assert log_of(complaint) == [(1, "received", day("2027-04-19"), "in_focus_samen")]
    assert (complaint.state, complaint.sequence) == ("received", 1)

    # The coordinator may not register it afterwards either; the committee may.
    with pytest.raises(NotPermitted):
        record(complaint, coordinator, "registered", "2027-04-19")
    record(complaint, member, "registered", "2027-04-19")

    assert log_of(complaint)[1:] == [(2, "registered", day("2027-04-19"), "klachtencommissie")]
    complaint.refresh_from_db()
    assert (complaint.state, complaint.sequence) == ("registered", 2)


@pytest.mark.parametrize(
    ("organisation_slug", "kind"),
    [
        ("iskander", RoleKind.HANDLER),
        ("iskander", RoleKind.DIRECTOR),
        ("iskander", RoleKind.EMPLOYEE),
        ("infocus-samen", RoleKind.COMMITTEE),
        ("integratiewerk", RoleKind.COORDINATOR),  # Integratiewerk has no coordinator role
    ],
)
def test_a_user_without_a_role_for_received_writes_nothing(
    regulations: Any,
    today: Any,
    organisation_slug: str,
    kind: RoleKind,
) -> None:
    organisation = Organisation.objects.get(slug=organisation_slug)
    user = UserFactory(
        username="niemand", full_name="Nienke Niemand", memberships=[(organisation, kind)]
    )
    allowed = UserFactory(
        username="mag",
        full_name="Mag Wel",
        memberships=[
            (organisation, k) for k in (RoleKind.COORDINATOR, RoleKind.DIRECTOR) if k != kind
        ],
    )
    today.set("2027-04-19")

    with pytest.raises(NotPermitted) as refused:
        register_complaint(organisation, user, complaint_data("2027-04-19"))

    assert refused.value.message
    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()
    assert not ComplaintPerson.objects.exists()
    # The reference number was not used up: the next registration gets number 1.
    assert not ReferenceCounter.objects.filter(organisation=organisation, last__gt=0).exists()
    complaint = register_complaint(organisation, allowed, complaint_data("2027-04-19"))
    assert complaint.reference == f"{organisation.short_code}-2027-0001"


def test_a_member_of_another_organisation_cannot_register(
    iskander: Organisation, infocus: Organisation, today: Any
) -> None:
    outsider = UserFactory(
        username="ina", full_name="Ina Focus", memberships=[(infocus, RoleKind.COORDINATOR)]
    )
    with pytest.raises(NotPermitted):
        register_complaint(iskander, outsider, complaint_data("2027-04-19"))
    assert not Complaint.objects.exists()


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "registered_on"),
    [
        ("2027-04-20", None),  # received tomorrow
        ("2027-04-19", "2027-04-20"),  # registered tomorrow
        ("2027-04-19", "2027-04-16"),  # registered before it was received
    ],
    ids=["received-in-the-future", "registered-in-the-future", "registered-before-received"],
)
def test_a_registration_with_impossible_dates_is_refused_and_writes_nothing(
    iskander: Organisation,
    coordinator: User,
    today: Any,
    received_on: str,
    registered_on: str | None,
) -> None:
    today.set("2027-04-19")

    with pytest.raises(Refusal) as refused:
        register_complaint(
            iskander,
            coordinator,
            complaint_data(received_on, subjects=[("Jan Jansen", None)]),
            registered_on=day(registered_on) if registered_on else None,
        )

    assert refused.value.message
    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()
    assert not ComplaintPerson.objects.exists()
    assert register_complaint(iskander, coordinator, complaint_data("2027-04-19")).number == 1


def test_a_future_received_on_names_the_dates(
    iskander: Organisation, coordinator: User, today: Any
) -> None:
    today.set("2027-04-19")
    with pytest.raises(Refusal) as refused:
        register_complaint(iskander, coordinator, complaint_data("2027-04-26"))
    assert "2027-04-26" in refused.value.message
    assert "2027-04-19" in refused.value.message


# --- the regulation version is pinned ----------------------------------------------------------


@pytest.fixture
def iskander_2028(iskander: Organisation, tmp_path: Path) -> Path:
    """A second Iskander version, in force from 1 Jan 2028: ten werkdagen to acknowledge."""
    text = read_regulation_text("iskander").text
    changes = {
        "version: seed-1": 'version: "2028-1"',
        "effective_from: 2026-01-01": "effective_from: 2028-01-01",
        "starts_on: received\n    duration: {amount: 5, unit: werkdagen}": (
            "starts_on: received\n    duration: {amount: 10, unit: werkdagen}"
        ),
    }
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "iskander-2028.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_complaint_keeps_the_version_it_was_received_under(
    iskander: Organisation, coordinator: User, today: Any, iskander_2028: Path
) -> None:
    today.set("2027-12-31")
    before = register_complaint(iskander, coordinator, complaint_data("2027-12-31"))

    load_regulations([iskander_2028])
    today.set("2028-01-03")
    # Received on the last day of the old version, registered under the new one's reign.
    late = register_complaint(iskander, coordinator, complaint_data("2027-12-31"))
    after = register_complaint(iskander, coordinator, complaint_data("2028-01-03"))

    versions = [c.regulation_version.version for c in (before, late, after)]
    assert versions == ["seed-1", "seed-1", "2028-1"]
    assert [lifecycle_of(c).regulation.version for c in (before, late, after)] == versions

    # seed-1, 5 werkdagen after Fri 31 Dec 2027: Mon 3, Tue 4, Wed 5, Thu 6, Fri 7 Jan 2028.
    # 2028-1, 10 werkdagen after Mon 3 Jan 2028: Tue 4 ... Fri 7, Mon 10 ... Fri 14, Mon 17 Jan.
    dues = [c.deadlines.get(deadline_id="ontvangstbevestiging").due for c in (before, late, after)]
    assert dues == [day("2028-01-07"), day("2028-01-07"), day("2028-01-17")]


def test_an_older_complaint_is_handled_under_its_own_version_after_a_new_one_is_loaded(
    iskander: Organisation, coordinator: User, today: Any, iskander_2028: Path
) -> None:
    today.set("2027-12-31")
    complaint = register_complaint(iskander, coordinator, complaint_data("2027-12-31"))
    load_regulations([iskander_2028])

    today.set("2028-01-10")
    record(complaint, coordinator, "acknowledged", "2028-01-10")

    complaint.refresh_from_db()
    assert complaint.regulation_version.version == "seed-1"
    acknowledgement = complaint.deadlines.get(deadline_id="ontvangstbevestiging")
    # Due Fri 7 Jan under seed-1 (it would be Fri 14 Jan under 2028-1): acknowledged late.
    assert (acknowledgement.due, acknowledgement.met_on) == (day("2028-01-07"), day("2028-01-10"))
    assert acknowledgement.status == "missed"


# --- documents -----------------------------------------------------------------------------------


def test_attachments_become_documents_of_the_received_event(
    iskander: Organisation, coordinator: User, today: Any, media_root: Path
) -> None:
    letter = SimpleUploadedFile("klachtbrief.pdf", b"%PDF-1.4 brief", "application/pdf")
    photo = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0 foto", "image/jpeg")

    complaint = register_complaint(
        iskander, coordinator, complaint_data("2027-04-19"), files=[letter, photo]
    )

    received = complaint.events.get(event="received")
    documents = list(Document.objects.filter(complaint=complaint).order_by("pk"))
    assert [(d.name, d.content_type, d.size) for d in documents] == [
        ("klachtbrief.pdf", "application/pdf", len(b"%PDF-1.4 brief")),
        ("foto.jpg", "image/jpeg", len(b"\xff\xd8\xff\xe0 foto")),
    ]
    assert all(d.event == received for d in documents)
    assert all(d.uploaded_by == coordinator for d in documents)
    assert all(d.description for d in documents)
    # Kept under a generated name in the complaint's folder; the uploader's name is only data.
    stored = media_root / documents[0].file.name
    assert stored.parent == media_root / "complaints" / "iskander" / "ISK-2027-0001"
    assert stored.suffix == ".pdf"
    assert "klachtbrief" not in stored.name
    assert stored.read_bytes() == b"%PDF-1.4 brief"
    with documents[1].file.open("rb") as handle:
        assert handle.read() == b"\xff\xd8\xff\xe0 foto"


def test_a_registration_without_attachments_has_no_documents(
    iskander: Organisation, coordinator: User, today: Any
) -> None:
    complaint = register_complaint(iskander, coordinator, complaint_data("2027-04-19"))
    assert not complaint.documents.exists()


def test_a_refused_registration_leaves_no_file_behind(
    iskander: Organisation, coordinator: User, today: Any, media_root: Path
) -> None:
    letter = SimpleUploadedFile("klachtbrief.pdf", b"%PDF-1.4 brief", "application/pdf")
    today.set("2027-04-19")

    with pytest.raises(Refusal):
        register_complaint(
            iskander,
            coordinator,
            complaint_data("2027-04-19"),
            files=[letter],
            registered_on=day("2027-04-20"),  # tomorrow: refused after 'received' was applied
        )

    assert not Document.objects.exists()
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
