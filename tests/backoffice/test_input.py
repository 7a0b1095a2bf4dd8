"""Input the register refuses or cleans up (issue 16 §3): text fields with limits and without
control characters, names normalised, dates in the calendar's range, query parameters that do
not break a page, uploads of allowed kinds and sizes only; never a 500.

Iskander; Klara (klachtenfunctionaris) registers; Marieke de Boer is a member named "M. de Boer".
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klachtenregister.backoffice.forms.text import normalise_name
from klachtenregister.register.models import Complaint, ComplaintPerson, Document, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import complaint_url, register, registration_fields, url

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def logged_in(client: Client, clock: Clock, iskander: Organisation, klara: User) -> Client:
    clock.set("2027-04-19")
    client.force_login(klara)
    return client


def post_registration(client: Client, received_on: str = "2027-04-19", **fields: object) -> object:
    data = registration_fields(received_on, confirmed="1", **fields)
    return client.post(url("register", "iskander"), data)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("M.  de Boer", "M. de Boer"),
        ("M.\u00a0de Boer", "M. de Boer"),
        ("M. de\u200b Boer", "M. de Boer"),
        (" M.\u2003de\tBoer ", "M. de Boer"),
        ("Rene\u0301 Smit", "René Smit"),  # e + combining acute: one NFC character
    ],
)
def test_names_are_normalised(typed: str, stored: str) -> None:
    assert normalise_name(typed) == stored


@pytest.mark.django_db
def test_a_subject_spelled_with_odd_spaces_is_the_member_and_kept_out(
    logged_in: Client, iskander: Organisation
) -> None:
    marieke = UserFactory(
        username="mdeboer",
        full_name="M. de Boer",
        memberships=[(iskander, RoleKind.COORDINATOR)],
        email="",
    )

    complaint = register(logged_in, "iskander", "2027-04-19", subjects=["M.\u00a0de\u200b  Boer"])

    subject = ComplaintPerson.objects.get(complaint=complaint, relation=ComplaintPerson.SUBJECT)
    assert subject.name == "M. de Boer"
    assert subject.user == marieke
    marieke_client = Client()
    marieke_client.force_login(marieke)
    assert marieke_client.get(complaint_url(complaint)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("complainant_name", "Jan\nJansen", "één regel"),
        ("complainant_name", "\u200b\u200b\u00a0", "zichtbare letters"),
        ("complainant_name", "Jan \u202eneznaJ", "schrijfrichting"),
        ("complainant_phone", "06\x0712345678", "stuurteken"),
        ("category", "x" * 201, "200"),
        ("description", "Een klacht\x00", "Null"),
        ("description", "Een klacht\x1b[31m", "stuurteken"),
        ("subjects", "\u2800", "zichtbare letters"),
        ("received_on", "0001-01-01", "tussen 01-01-1991"),
        ("facts_date", "0001-01-01", "tussen 01-01-1991"),
        ("received_on", "9999-12-31", "tussen 01-01-1991"),
    ],
)
def test_bad_text_and_dates_are_a_form_error_and_nothing_is_registered(
    logged_in: Client, field: str, value: str, message: str
) -> None:
    response = post_registration(logged_in, **{field: value})

    assert response.status_code == 400
    assert message.lower() in response.text.lower()
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_line_breaks_are_fine_in_a_multi_line_field(logged_in: Client) -> None:
    complaint = register(
        logged_in,
        "iskander",
        "2027-04-19",
        description="Eerste alinea.\r\n\r\nTweede alinea,\tmet een tab.",
        complainant_address="Straat 1\r\n1234 AB Plaats",
    )
    assert "Tweede alinea" in complaint.description


@pytest.mark.django_db
@pytest.mark.parametrize("handler", ["¹", "٣", "99999999999999999999999", "-1", "1e3"])
def test_odd_query_parameters_on_the_lists_are_ignored_not_a_500(
    logged_in: Client, handler: str
) -> None:
    for name in ("watchlist", "complaint_list"):
        response = logged_in.get(url(name, "iskander"), {"handler": handler, "year": handler})
        assert response.status_code == 200, name


@pytest.mark.django_db
def test_allowed_files_are_kept_under_a_generated_name(logged_in: Client) -> None:
    files = [
        SimpleUploadedFile("klachtbrief.pdf", PDF),
        SimpleUploadedFile("verslag.docx", docx()),
        SimpleUploadedFile("mail.eml", b"From: a@example.nl\nSubject: klacht\n\nTekst\n"),
        SimpleUploadedFile("notitie.txt", "Gesprek met mevrouw Müller.\n".encode()),
    ]
    complaint = register(logged_in, "iskander", "2027-04-19", attachments=files)

    documents = Document.objects.filter(complaint=complaint).order_by("name")
    assert [d.name for d in documents] == [
        "klachtbrief.pdf",
        "mail.eml",
        "notitie.txt",
        "verslag.docx",
    ]
    for document in documents:
        assert document.name not in document.file.name
    response = logged_in.get(url("document", "iskander", complaint.reference, documents[0].pk))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", EXE, "dit soort bestand kan niet"),
        ("brief.pdf", EXE, "geen PDF-bestand"),
        ("foto.jpg", PDF, "geen JPG-bestand"),
        ("verslag.docx", b"PK\x03\x04" + b"\x00" * 40, "geen DOCX-bestand"),
        ("notitie.txt", b"tekst\x00met nul", "geen TXT-bestand"),
        ("script.html", b"<script>alert(1)</script>", "dit soort bestand kan niet"),
    ],
)
def test_files_of_other_kinds_are_refused_with_a_clear_error(
    logged_in: Client, name: str, content: bytes, message: str
) -> None:
    response = post_registration(logged_in, attachments=[SimpleUploadedFile(name, content)])

    assert response.status_code == 400
    assert message in response.text
    assert not Complaint.objects.exists()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_file_or_files_too_large_are_refused(logged_in: Client, settings) -> None:
    settings.UPLOAD_MAX_FILE_SIZE = 1000
    settings.UPLOAD_MAX_REQUEST_SIZE = 1500

    big = post_registration(
        logged_in, attachments=[SimpleUploadedFile("groot.pdf", PDF + b"x" * 1000)]
    )
    together = post_registration(
        logged_in,
        attachments=[
            SimpleUploadedFile("een.pdf", PDF + b"x" * 800),
            SimpleUploadedFile("twee.pdf", PDF + b"x" * 800),
        ],
    )

    assert big.status_code == together.status_code == 400
    assert "groot.pdf is te groot" in big.text
    assert "samen te groot" in together.text
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_a_request_far_over_the_limit_is_refused_before_it_is_read(logged_in: Client) -> None:
    response = logged_in.generic(
        "POST",
        url("register", "iskander"),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(150 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "samen te groot" in response.text


@pytest.mark.django_db
def test_adding_a_document_of_a_refused_kind_says_why(logged_in: Client) -> None:
    complaint = register(logged_in, "iskander", "2027-04-19")

    response = logged_in.post(
        url("add_document", "iskander", complaint.reference),
        {"file": SimpleUploadedFile("virus.exe", EXE), "description": "zie bijlage"},
    )

    assert response.status_code == 400
    assert "dit soort bestand kan niet" in response.text
    assert not Document.objects.filter(complaint=complaint).exists()


@pytest.mark.django_db
def test_a_registration_form_submitted_twice_makes_one_complaint(logged_in: Client) -> None:
    page = logged_in.get(url("register", "iskander"))
    token = re.search(r'name="submission" value="([0-9a-f-]{36})"', page.text)
    assert token is not None
    data = registration_fields("2027-04-19", confirmed="1", submission=token.group(1))

    first = logged_in.post(url("register", "iskander"), data)
    second = logged_in.post(url("register", "iskander"), data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1
    # Another form (another token) is another complaint.
    other = logged_in.get(url("register", "iskander"))
    assert token.group(1) not in other.text
