"""The AVG pages (issue 16 §5): every look at a complaint, document or dossier is recorded and
coordinators and directors see who looked; one person's data is exported as a ZIP of JSON and
PDF (on the page and with ``avg_export``); a closed complaint's personal data is erased on
request."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from klachtenregister.privacy.models import AccessRecord, Erasure
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.personal import ERASED
from klachtenregister.register.services import register_complaint
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, record
from tests.support.webflows import complaint_url, parse, url


@pytest.fixture
def complaint(iskander: Organisation, klara: User, clock: Clock) -> Complaint:
    clock.set("2027-04-19")
    made = register_complaint(
        iskander,
        klara,
        complaint_data(
            "2027-04-19",
            complainant_name="Fatima el Idrissi",
            complainant_email="f.elidrissi@example.org",
            complainant_address="Dorpsstraat 1, Ede",
            subjects=[("Jan Janssen", None)],
        ),
        files=[SimpleUploadedFile("brief-el-idrissi.pdf", b"%PDF-1.4 brief", "application/pdf")],
    )
    clock.set("2027-04-20")
    return made


def test_who_looked_at_a_complaint_is_shown_to_the_coordinator_only(
    client: Client, complaint: Complaint, klara: User, piet: User
) -> None:
    client.force_login(klara)
    assert client.get(complaint_url(complaint)).status_code == 200
    assert client.get(url("complaint_dossier", "iskander", complaint.reference)).status_code == 200
    assert [(r.user, r.what) for r in AccessRecord.objects.order_by("pk")] == [
        (klara, "complaint"),
        (klara, "dossier"),
    ]
    page = client.get(url("complaint_access_log", "iskander", complaint.reference))
    assert page.status_code == 200
    rows = parse(page.content).find("table", {"id": "access-log"}).text()
    assert "Klara" in rows and "klacht bekeken" in rows and "dossier gedownload" in rows
    # A handler does not see the access log.
    client.force_login(piet)
    refused = client.get(url("complaint_access_log", "iskander", complaint.reference))
    assert refused.status_code in (403, 404)


def test_a_persons_data_is_exported_and_the_export_recorded(
    client: Client, complaint: Complaint, klara: User
) -> None:
    client.force_login(klara)
    page = client.get(url("person_data", "iskander"), {"name": "fatima EL idrissi", "email": ""})
    assert page.status_code == 200
    assert (
        complaint.reference in parse(page.content).find("table", {"id": "person-complaints"}).text()
    )
    download = client.get(
        url("person_data", "iskander"), {"name": "Fatima el Idrissi", "email": "", "download": "1"}
    )
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    data = json.loads(archive.read("gegevens.json"))
    [entry] = data["complaints"]
    assert (entry["reference"], entry["capacity"]) == (complaint.reference, "complainant")
    assert entry["complainant"]["address"] == "Dorpsstraat 1, Ede"
    assert any(name.endswith(".pdf") for name in archive.namelist())
    assert AccessRecord.objects.filter(what="export", complaint=complaint, user=klara).exists()


def test_a_subjects_export_holds_no_data_of_the_complainant(
    complaint: Complaint, klara: User, tmp_path: Path
) -> None:
    target = tmp_path / "jan.zip"
    call_command(
        "avg_export", "iskander", "--name", "Jan Janssen", "-o", str(target), "--by", "klara"
    )
    with zipfile.ZipFile(target) as archive:
        text = archive.read("gegevens.json").decode()
        assert archive.namelist() == ["gegevens.json"]
    [entry] = json.loads(text)["complaints"]
    assert entry["capacity"] == "subject"
    assert "Idrissi" not in text and "Dorpsstraat" not in text


def test_a_form_error_for_an_empty_search(
    client: Client, complaint: Complaint, klara: User
) -> None:
    client.force_login(klara)
    page = client.get(url("person_data", "iskander"), {"name": "", "email": ""})
    assert page.status_code == 400
    assert "Vul een naam of een e-mailadres in." in page.content.decode()


def test_the_coordinator_erases_a_withdrawn_complaint_on_request(
    client: Client, complaint: Complaint, klara: User
) -> None:
    client.force_login(klara)
    erase = url("complaint_erase", "iskander", complaint.reference)
    early = client.post(erase, {"reason": "verzoek van de klager"})
    assert early.status_code == 422
    assert "wordt nog behandeld" in parse(early.content).find("div", {"id": "erase-error"}).text()
    record(complaint, klara, "withdrawn", "2027-04-20", {"reason": "ingetrokken"})
    done = client.post(erase, {"reason": "verzoek van de klager"})
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.complainant_name == ERASED
    assert Erasure.objects.get(complaint=complaint).erased_by == klara
    page = client.get(complaint_url(complaint)).content.decode()
    assert "Idrissi" not in page and "Dorpsstraat" not in page
    # The dossier still downloads, its erased files listed as missing.
    archive = client.get(url("complaint_dossier_zip", "iskander", complaint.reference))
    assert archive.status_code == 200
    packed = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content)))
    assert not any(name.startswith(("brieven/", "bijlagen/")) for name in packed.namelist())
    assert "[verwijderd].pdf" in packed.read("ontbrekende-bestanden.txt").decode()


def test_the_access_log_in_english(client: Client, complaint: Complaint, klara: User) -> None:
    client.force_login(klara)
    page = client.get(url("complaint_access_log", "iskander", complaint.reference, language="en"))
    assert f"Who looked at complaint {complaint.reference}" in page.content.decode()


def test_avg_export_refuses_an_unknown_organisation(tmp_path: Path, klara: User) -> None:
    with pytest.raises(CommandError, match="Onbekende organisatie: nergens"):
        call_command(
            "avg_export", "nergens", "--name", "X", "-o", str(tmp_path / "x.zip"), "--by", "klara"
        )


def test_an_export_of_the_complaint_list_with_names_is_recorded(
    client: Client, complaint: Complaint, klara: User
) -> None:
    client.force_login(klara)
    response = client.get(url("complaint_list", "iskander"), {"format": "csv", "q": "Idrissi"})
    assert response.status_code == 200
    assert "Idrissi" in b"".join(response.streaming_content).decode("utf-8-sig")
    [looked] = AccessRecord.objects.filter(what="export")
    assert (looked.user, looked.complaint) == (klara, None)
    assert looked.detail == "klachtenlijst (csv) format=csv&q=Idrissi"


def test_an_erased_complaint_is_not_offered_for_reopening_and_a_post_is_refused(
    client: Client, complaint: Complaint, klara: User, clock: Clock
) -> None:
    """Issue 16: without its personal data nobody can handle a complaint again; reopening it is
    refused with a Dutch reason, never a 500."""
    client.force_login(klara)
    record(
        complaint, klara, "declared_inadmissible", "2027-04-20", {"ground": "geen_vervolg_gewenst"}
    )
    record(complaint, klara, "closed", "2027-04-20")
    clock.set("2027-04-21")
    before = client.get(complaint_url(complaint)).content.decode()
    assert 'id="id_reopened_sequence"' in before  # a closed complaint may be reopened
    erase = url("complaint_erase", "iskander", complaint.reference)
    assert client.post(erase, {"reason": "verzoek van de klager"}).status_code == 302
    complaint.refresh_from_db()

    page = client.get(complaint_url(complaint))
    assert page.status_code == 200
    assert 'id="id_reopened_sequence"' not in page.content.decode()
    refused = client.post(
        url("complaint_action", "iskander", complaint.reference, "reopened"),
        {"sequence": complaint.sequence, "on": "2027-04-21", "reason": "nieuwe feiten"},
    )
    assert refused.status_code == 422
    assert "kan niet meer worden heropend" in refused.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == "closed"
