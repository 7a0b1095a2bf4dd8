"""A complaint's dossier: the PDF and the ZIP with its letters and attachments, through HTTP
(docs/backoffice.md "Dossier").

Loket3's office (a member holding every kind of role) registers Marloes Bakker's complaint about
Wim on Mon 19 Apr 2027 with her letter attached, acknowledges it the same day with a letter by
post, assigns a handler the next day and adds a report.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from klachtenregister.correspondence.models import Letter
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import act, complaint_url, overview, parse, problem, register, url

LETTER = b"Geachte heer, mevrouw,\n\nIk wil een klacht indienen over de rapportage.\n"
REPORT = b"Verslag van het telefoongesprek met mevrouw Bakker.\n"
DESCRIPTION = "De rapportage is zonder mijn reactie naar de werkgever gestuurd."


@pytest.fixture
def wim(loket3: Organisation) -> User:
    return UserFactory(
        username="wim",
        full_name="Wim Jansen",
        memberships=[(loket3, RoleKind.HANDLER)],
        email="",
    )


@pytest.fixture
def office(client: Client, staff: Staff, loket3: Organisation, clock: Clock) -> Client:
    client.force_login(staff(loket3, email=""))
    return client


@pytest.fixture
def complaint(office: Client, clock: Clock, wim: User) -> Complaint:
    complaint = register(
        office,
        "loket3",
        "2027-04-19",
        complainant_name="Marloes Bakker",
        description=DESCRIPTION,
        subjects=["wim"],
        attachments=SimpleUploadedFile("klachtbrief.txt", LETTER, content_type="text/plain"),
    )
    response = act(
        office,
        complaint,
        "acknowledged",
        "2027-04-19",
        **{"letter-ontvangstbevestiging__to0": "post"},
    )
    assert response.status_code == 302, problem(response)
    clock.set("2027-04-20")
    response = office.post(
        url("add_document", "loket3", complaint.reference),
        {
            "file": SimpleUploadedFile("gespreksverslag.txt", REPORT, content_type="text/plain"),
            "description": "telefoongesprek",
        },
    )
    assert response.status_code == 302, problem(response)
    return complaint


def dossier_url(complaint: Complaint, kind: str = "pdf", language: str = "nl") -> str:
    name = "complaint_dossier" if kind == "pdf" else "complaint_dossier_zip"
    return url(name, "loket3", complaint.reference, language=language)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def normal(text: str) -> str:
    return " ".join(text.split())


def squashed(text: str) -> str:
    """Without any whitespace: a long file name may break over two lines in a table cell."""
    return "".join(text.split())


def test_the_dossier_pdf_holds_the_facts_the_whole_log_the_letters_and_documents(
    office: Client, complaint: Complaint
) -> None:
    page = office.get(complaint_url(complaint))
    labels = [row["label"] for row in overview(page.content)]
    assert len(labels) >= 3  # received, registered, acknowledged
    letters = list(Letter.objects.filter(complaint=complaint))
    assert letters

    response = office.get(dossier_url(complaint))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="dossier-{complaint.reference}.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    text = text_of(response.content)
    assert complaint.organisation.name in text
    assert complaint.reference in text
    assert "Marloes Bakker" in text
    assert "Beklaagden wim" in text
    assert DESCRIPTION in text
    assert "Opgemaakt op 20 april 2027" in text
    for label in labels:
        assert normal(label) in text, label
    for letter in letters:
        assert normal(letter.subject) in text, letter.subject
        assert letter.dated_on.strftime("%d-%m-%Y") in text
    for document in complaint.documents.all():
        assert squashed(document.name) in squashed(text), document.name
    # The terms table: the acknowledgement was met on the day.
    assert "19-04-2027" in text


def test_the_dossier_pdf_is_in_english_under_en(office: Client, complaint: Complaint) -> None:
    response = office.get(dossier_url(complaint, language="en"))
    assert response.status_code == 200
    text = text_of(response.content)
    assert "Chronological overview" in text
    assert "Chronologisch overzicht" not in text


def test_the_zip_holds_the_dossier_every_letter_and_every_attachment(
    office: Client, complaint: Complaint
) -> None:
    response = office.get(dossier_url(complaint, "zip"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="dossier-{complaint.reference}.zip"'
    )
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[arg-type]
    assert archive.testzip() is None
    names = archive.namelist()
    assert len(names) == len(set(names))
    dossier_name = f"dossier-{complaint.reference}.pdf"
    assert complaint.reference in text_of(archive.read(dossier_name))

    documents = list(complaint.documents.all())
    letter_documents = {letter.document_id for letter in Letter.objects.filter(complaint=complaint)}
    assert len(names) == 1 + len(documents)
    assert len(letter_documents) >= 1
    for document in documents:
        folder = "brieven/" if document.pk in letter_documents else "bijlagen/"
        entry = next(n for n in names if n.startswith(folder) and n.endswith(document.name))
        with document.file.open("rb") as stored:
            assert archive.read(entry) == stored.read(), entry
    contents = {name: archive.read(name) for name in names}
    assert LETTER in contents.values()
    assert REPORT in contents.values()
    assert all(".." not in name and not name.startswith("/") for name in names)


def test_two_documents_with_the_same_name_get_two_entries(
    office: Client, complaint: Complaint
) -> None:
    response = office.post(
        url("add_document", "loket3", complaint.reference),
        {"file": SimpleUploadedFile("gespreksverslag.txt", b"tweede gesprek\n")},
    )
    assert response.status_code == 302, problem(response)
    response = office.get(dossier_url(complaint, "zip"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[arg-type]
    reports = sorted(n for n in archive.namelist() if "gespreksverslag" in n)
    assert len(reports) == 2
    assert {archive.read(n) for n in reports} == {REPORT, b"tweede gesprek\n"}


def test_the_complaint_page_links_to_the_dossier_and_can_be_printed(
    office: Client, complaint: Complaint
) -> None:
    page = parse(office.get(complaint_url(complaint)).content)
    pdf = page.find("a", {"id": "dossier-pdf"})
    archive = page.find("a", {"id": "dossier-zip"})
    assert pdf is not None and pdf.attrs["href"] == dossier_url(complaint)
    assert archive is not None and archive.attrs["href"] == dossier_url(complaint, "zip")
    # What is interactive is left off the print-out.
    actions = page.find("h2", {"id": "actions"})
    section = next(s for s in page.find_all("section") if actions in s.iter())
    assert "no-print" in section.attrs["class"].split()
    for form in page.find_all("form"):
        inside_header = any(form in n.iter() for n in page.find_all("header"))
        inside_section = form in section.iter()
        assert inside_header or inside_section or "no-print" in form.attrs["class"].split()


def test_a_subject_of_the_complaint_may_not_download_its_dossier(
    complaint: Complaint, wim: User
) -> None:
    client = Client()
    client.force_login(wim)
    for kind in ("pdf", "zip"):
        assert client.get(dossier_url(complaint, kind)).status_code == 403, kind


def test_a_member_who_does_not_see_the_complaint_gets_forbidden(
    complaint: Complaint, loket3: Organisation
) -> None:
    henk = UserFactory(username="henk", memberships=[(loket3, RoleKind.HANDLER)], email="")
    client = Client()
    client.force_login(henk)
    for kind in ("pdf", "zip"):
        assert client.get(dossier_url(complaint, kind)).status_code == 403, kind


def test_another_organisations_user_does_not_find_the_dossier(complaint: Complaint) -> None:
    smartplus = Organisation.objects.get(slug="smartplus")
    sander = UserFactory(
        username="sander", memberships=[(smartplus, kind) for kind in RoleKind], email=""
    )
    client = Client()
    client.force_login(sander)
    for kind in ("pdf", "zip"):
        assert client.get(dossier_url(complaint, kind)).status_code == 404, kind
        other = url(
            "complaint_dossier" if kind == "pdf" else "complaint_dossier_zip",
            "smartplus",
            complaint.reference,
        )
        assert client.get(other).status_code == 404, kind


def test_someone_not_logged_in_is_sent_to_the_login_page(complaint: Complaint) -> None:
    client = Client()
    for kind in ("pdf", "zip"):
        response = client.get(dossier_url(complaint, kind))
        assert response.status_code == 302, kind
        assert response["Location"].startswith("/inloggen/?next="), kind


def test_the_dossier_is_only_read(office: Client, complaint: Complaint) -> None:
    for kind in ("pdf", "zip"):
        assert office.post(dossier_url(complaint, kind)).status_code == 405, kind


def test_a_file_missing_from_storage_is_named_in_the_zip(
    office: Client, complaint: Complaint
) -> None:
    report = complaint.documents.get(name="gespreksverslag.txt")
    report.file.storage.delete(report.file.name)
    response = office.get(dossier_url(complaint, "zip"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[arg-type]
    assert not any("gespreksverslag" in name for name in archive.namelist())
    note = archive.read("ontbrekende-bestanden.txt").decode()
    assert "gespreksverslag.txt" in note


def test_the_dossier_names_the_handler(
    office: Client, complaint: Complaint, loket3: Organisation
) -> None:
    text = text_of(office.get(dossier_url(complaint)).content)
    assert "Behandelaar nog niet aangewezen" in text
    handler = UserFactory(
        username="hanna", full_name="Hanna Handel", memberships=[(loket3, RoleKind.HANDLER)]
    )
    response = act(office, complaint, "handler_assigned", "2027-04-20", handler=handler.pk)
    assert response.status_code == 302, problem(response)
    text = text_of(office.get(dossier_url(complaint)).content)
    assert "Behandelaar Hanna Handel" in text
    assert "Klachtencommissie" not in text  # Loket3's regulation knows no committee


def test_the_dossier_prints_the_form_of_address_and_the_greeting_it_gives(
    office: Client, clock: Clock
) -> None:
    complaint = register(
        office,
        "loket3",
        "2027-04-19",
        complainant_name="Fatima el Idrissi",
        form_of_address="ms",
        description=DESCRIPTION,
    )
    text = text_of(office.get(dossier_url(complaint)).content)
    assert "Aanspreekvorm in brieven mevrouw (Geachte mevrouw El Idrissi,)" in text

    anonymous = register(
        office, "loket3", "2027-04-19", anonymous=True, complainant_name="", description="Anoniem."
    )
    assert "Aanspreekvorm" not in text_of(office.get(dossier_url(anonymous)).content)
