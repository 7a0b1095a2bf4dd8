"""The letters page (brieven): an organisation edits its letters and its letterhead
(docs/letters.md "Templates"), through HTTP.

Loket3's acknowledgement (``ontvangstbevestiging``) must hold the description, the date, place
and circumstances and the expected term. Lotte is Loket3's coordinator and keeps its letters; the
office (a member holding every kind of role) registers complaints and sends the letters, which
are read back from the PDFs the register keeps (WeasyPrint, pypdf).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader

from klachtenregister.correspondence.models import Letter, LetterTemplate
from klachtenregister.correspondence.selectors import letterhead_of
from klachtenregister.letters.defaults import default_wording
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.selectors.regulations import (
    regulation_version_for,
    stored_regulation,
)
from klachtenregister.regulations.schema import Letter as LetterRule
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    act,
    parse,
    problem,
    register,
    url,
)

ACK = "ontvangstbevestiging"
OWN_SENTENCE = "Bij Loket3 leest een medewerker elke klacht binnen een dag."
OWN_SENTENCE_EN = "At Loket3 a member of staff reads every complaint within a day."


@pytest.fixture
def lotte(loket3: Organisation) -> User:
    return UserFactory(
        username="lotte",
        full_name="Lotte Linders",
        memberships=[(loket3, RoleKind.COORDINATOR)],
        email="",
    )


@pytest.fixture
def office(staff: Staff, loket3: Organisation) -> User:
    return staff(loket3, email="")


@pytest.fixture
def as_lotte(client: Client, lotte: User, clock: Clock) -> Client:
    client.force_login(lotte)
    return client


def acknowledgement() -> LetterRule:
    """Loket3's acknowledgement as the regulation in force describes it."""
    loket3 = Organisation.objects.get(slug="loket3")
    version = regulation_version_for(loket3, dt.date(2027, 4, 19))
    regulation = stored_regulation(version).regulation
    assert regulation is not None
    return next(letter for letter in regulation.letters if letter.id == ACK)


def edit_url(language: str = "nl", letter_id: str = ACK, ui: str = "nl") -> str:
    return url("letter_template", "loket3", letter_id, language, language=ui)


def with_own_sentence(body: str, sentence: str) -> str:
    """The body with a paragraph of the organisation's own after the salutation."""
    salutation, rest = body.split("\n\n", 1)
    return f"{salutation}\n\n{sentence}\n\n{rest}"


def save(client: Client, subject: str, body: str, language: str = "nl", ui: str = "nl") -> Any:
    return client.post(
        edit_url(language, ui=ui), {"subject": subject, "body": body, "action": "save"}
    )


def problems(response: Any) -> list[str]:
    box = parse(response.content).find(attrs={"id": "wording-problems"})
    assert box is not None, "the page lists no problems"
    return [item.text() for item in box.find_all("li")]


def pdf_text(data: bytes) -> str:
    """The PDF's text with all whitespace (line wraps included) as single spaces."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def sent_acknowledgement(client: Client, office: User, clock: Clock, **fields: Any) -> Letter:
    """Register a Loket3 complaint and acknowledge it as the office would: the letter sent."""
    client.force_login(office)
    clock.set("2027-04-19")
    complaint = register(client, "loket3", "2027-04-19", **fields)
    clock.set("2027-04-20")
    response = act(client, complaint, "acknowledged", "2027-04-20")
    assert response.status_code == 302, problem(response)
    return Letter.objects.get(complaint=Complaint.objects.get(pk=complaint.pk), letter_id=ACK)


def letter_text(letter: Letter) -> str:
    with letter.document.file.open("rb") as handle:
        return pdf_text(handle.read())


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_each_letter_with_what_it_must_hold(as_lotte: Client) -> None:
    response = as_lotte.get(url("letter_templates", "loket3"))
    assert response.status_code == 200
    page = parse(response.content)
    rows = {tr.attrs["data-letter"]: tr for tr in page.find_all("tr", {"data-letter": True})}
    assert list(rows) == [
        "ontvangstbevestiging",
        "bericht_niet_in_behandeling",
        "bevestiging_aanbod",
        "schriftelijk_verslag",
    ]
    label, step, deadline, recipients, required, optional, languages = rows[ACK].elements()
    assert label.text() == "Ontvangstbevestiging"
    assert step.text() != "" and deadline.text() != "-"
    assert recipients.text() == "klager"
    assert [li.text() for li in required.find_all("li")] == [
        "omschrijving van de klacht",
        "datum, plaats en bijzondere omstandigheden",
        "verwachte termijn",
    ]
    # What the acknowledgement says besides, when it has a text.
    assert [li.text() for li in optional.find_all("li")] == ["datum van ontvangst"]
    cells = {li.attrs["data-language"]: li for li in languages.find_all("li")}
    assert {code: li.attrs["data-own"] for code, li in cells.items()} == {"nl": "no", "en": "no"}
    link = cells["en"].find("a")
    assert link is not None and link.attrs["href"] == edit_url("en")


def test_the_list_in_english_names_the_contents_in_english(as_lotte: Client) -> None:
    response = as_lotte.get(url("letter_templates", "loket3", language="en"))
    page = parse(response.content)
    row = page.find("tr", {"data-letter": ACK})
    assert row is not None
    assert row.elements()[0].text() == "Acknowledgement of receipt"
    assert "expected term" in row.elements()[4].text()


# --- editing the wording --------------------------------------------------------------------------


def test_an_edited_acknowledgement_is_the_next_letter_sent(
    as_lotte: Client, lotte: User, office: User, clock: Clock
) -> None:
    page = parse(as_lotte.get(edit_url()).content)
    subject = page.find("input", {"name": "subject"})
    body = page.find("textarea", {"name": "body"})
    assert subject is not None and body is not None
    default = default_wording(acknowledgement(), "nl")
    assert subject.attrs["value"] == default.subject
    # The textarea holds the default as it is (Django adds one newline after the tag).
    assert body.text() == " ".join(default.body.split())
    variables = {
        tr.attrs["data-variable"]: tr for tr in page.find_all("tr", {"data-variable": True})
    }
    assert {name for name, tr in variables.items() if "data-required" in tr.attrs} == {
        "complaint_description",
        "date_place_circumstances",
        "expected_term",
    }
    assert {"reference", "addressee_name", "letter_date", "signatory"} <= set(variables)

    own_subject = "Wij hebben uw klacht {{ reference }} ontvangen"
    response = save(as_lotte, own_subject, with_own_sentence(default.body, OWN_SENTENCE))
    assert response.status_code == 302, problem(response)
    stored = LetterTemplate.objects.get(organisation__slug="loket3", letter_id=ACK, language="nl")
    assert stored.updated_by == lotte
    assert OWN_SENTENCE in stored.body
    listing = parse(as_lotte.get(url("letter_templates", "loket3")).content)
    cell = listing.find("li", {"data-language": "nl"})
    assert cell is not None and cell.attrs["data-own"] == "yes"

    letter = sent_acknowledgement(as_lotte, office, clock)
    assert letter.language == "nl"
    assert letter.subject == f"Wij hebben uw klacht {letter.complaint.reference} ontvangen"
    text = letter_text(letter)
    assert OWN_SENTENCE in text
    assert f"Wij hebben uw klacht {letter.complaint.reference} ontvangen" in text
    # The required contents are filled in as before: the description as registered.
    assert "De re-integratiespecialist kwam twee afspraken niet na." in text


def test_a_wording_without_the_expected_term_is_refused_and_nothing_is_saved(
    as_lotte: Client,
) -> None:
    default = default_wording(acknowledgement(), "nl")
    without = "\n\n".join(p for p in default.body.split("\n\n") if "expected_term" not in p)
    assert "expected_term" not in without

    response = save(as_lotte, default.subject, without)
    assert response.status_code == 400
    assert problems(response) == ["ontbreekt: verwachte termijn ({{ expected_term }})"]
    assert not LetterTemplate.objects.exists()
    # What the person wrote is still in the form, to correct.
    body = parse(response.content).find("textarea", {"name": "body"})
    assert body is not None and "verwachte termijn" not in body.text()

    # On the English page the missing content is named in English.
    response = save(as_lotte, default.subject, without, ui="en")
    assert response.status_code == 400
    assert "expected term ({{ expected_term }})" in problems(response)[0]
    assert not LetterTemplate.objects.exists()


def test_a_refused_wording_leaves_the_saved_one_as_it_was(as_lotte: Client) -> None:
    default = default_wording(acknowledgement(), "nl")
    assert save(as_lotte, "Eigen onderwerp", default.body).status_code == 302
    response = save(as_lotte, "Ander onderwerp", "Geachte {{ addressee_name }},")
    assert response.status_code == 400
    assert len(problems(response)) == 3
    stored = LetterTemplate.objects.get()
    assert (stored.subject, stored.body) == ("Eigen onderwerp", default.body)


def test_a_template_syntax_error_is_refused_with_the_part_and_line(as_lotte: Client) -> None:
    default = default_wording(acknowledgement(), "nl")
    broken = default.body + "\n\n{% if handler %}Uw behandelaar is {{ handler }}."
    line = broken.count("\n") + 1

    response = save(as_lotte, default.subject, broken)
    assert response.status_code == 400
    [message] = problems(response)
    assert f"(tekst, regel {line})" in message
    assert "endif" in message

    response = save(as_lotte, "Klacht {{ reference|onbekend }}", default.body)
    assert response.status_code == 400
    [message] = problems(response)
    assert message.endswith("(onderwerp, regel 1)")
    assert not LetterTemplate.objects.exists()


def test_restoring_the_default_removes_the_own_wording(
    as_lotte: Client, office: User, clock: Clock
) -> None:
    default = default_wording(acknowledgement(), "nl")
    assert (
        save(as_lotte, default.subject, with_own_sentence(default.body, OWN_SENTENCE)).status_code
        == 302
    )
    page = parse(as_lotte.get(edit_url()).content)
    assert page.find("button", {"value": "restore"}) is not None

    response = as_lotte.post(edit_url(), {"action": "restore"})
    assert response.status_code == 302
    assert response["Location"] == edit_url()
    assert not LetterTemplate.objects.exists()
    page = parse(as_lotte.get(edit_url()).content)
    assert page.find("button", {"value": "restore"}) is None
    body = page.find("textarea", {"name": "body"})
    assert body is not None and OWN_SENTENCE not in body.text()

    text = letter_text(sent_acknowledgement(as_lotte, office, clock))
    assert OWN_SENTENCE not in text
    assert "Hierbij bevestigen wij dat wij uw klacht hebben ontvangen." in text


def test_the_english_wording_goes_to_a_complainant_who_chose_english(
    as_lotte: Client, office: User, clock: Clock
) -> None:
    rule = acknowledgement()
    dutch, english = default_wording(rule, "nl"), default_wording(rule, "en")
    assert (
        save(as_lotte, dutch.subject, with_own_sentence(dutch.body, OWN_SENTENCE)).status_code
        == 302
    )
    page = parse(as_lotte.get(edit_url("en")).content)
    body = page.find("textarea", {"name": "body"})
    assert body is not None and body.text() == " ".join(english.body.split())
    response = save(
        as_lotte, english.subject, with_own_sentence(english.body, OWN_SENTENCE_EN), "en"
    )
    assert response.status_code == 302, problem(response)
    assert set(LetterTemplate.objects.values_list("language", flat=True)) == {"nl", "en"}

    letter = sent_acknowledgement(
        as_lotte, office, clock, complainant_language="en", complainant_name="Ms Jones"
    )
    assert letter.language == "en"
    text = letter_text(letter)
    assert OWN_SENTENCE_EN in text
    assert OWN_SENTENCE not in text
    assert "Dear Ms Jones," in text


def test_the_letterhead_is_printed_on_the_letters(
    as_lotte: Client, office: User, clock: Clock, loket3: Organisation
) -> None:
    letterhead = {
        "postal_address": "Postbus 4321\n3500 GA Utrecht",
        "phone": "030 123 45 67",
        "email": "klachten@loket3.example",
        "website": "www.loket3.example",
    }
    response = as_lotte.post(url("letterhead", "loket3"), letterhead)
    assert response.status_code == 302, problem(response)
    assert response["Location"] == url("letter_templates", "loket3")
    assert letterhead_of(loket3).postal_address == "Postbus 4321\n3500 GA Utrecht"
    form = parse(as_lotte.get(url("letter_templates", "loket3")).content)
    phone = form.find("input", {"name": "phone"})
    assert phone is not None and phone.attrs["value"] == "030 123 45 67"

    text = letter_text(sent_acknowledgement(as_lotte, office, clock))
    for part in ("Postbus 4321", "3500 GA Utrecht", "030 123 45 67", "klachten@loket3.example"):
        assert part in text


def test_a_letterhead_with_a_bad_address_is_not_saved(
    as_lotte: Client, loket3: Organisation
) -> None:
    response = as_lotte.post(
        url("letterhead", "loket3"), {"postal_address": "Postbus 1", "email": "geen adres"}
    )
    assert response.status_code == 400
    assert parse(response.content).find(attrs={"class": "errorlist"}) is not None
    saved = letterhead_of(loket3)
    assert (saved.postal_address, saved.email) == ("", "")


def test_the_preview_is_a_pdf_of_the_wording_with_sample_values(as_lotte: Client) -> None:
    default = default_wording(acknowledgement(), "nl")
    body = with_own_sentence(default.body, OWN_SENTENCE)
    response = as_lotte.post(
        edit_url(), {"subject": default.subject, "body": body, "action": "preview"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert OWN_SENTENCE in text
    assert "[verwachte termijn]" in text
    assert "[omschrijving van de klacht]" in text
    assert "Loket3" in text
    assert not LetterTemplate.objects.exists()  # a preview saves nothing

    response = as_lotte.post(
        edit_url(), {"subject": default.subject, "body": "{% if x %}", "action": "preview"}
    )
    assert response.status_code == 400
    assert "tekst, regel 1" in problems(response)[0]


# --- who may -------------------------------------------------------------------------------------


def test_only_coordinators_and_directors_of_the_organisation_reach_the_letters(
    client: Client, loket3: Organisation, clock: Clock
) -> None:
    iskander = Organisation.objects.get(slug="iskander")
    handler = UserFactory(
        username="hanna",
        memberships=[(loket3, RoleKind.HANDLER), (loket3, RoleKind.MANAGER)],
        email="",
    )
    director = UserFactory(username="dirk", memberships=[(loket3, RoleKind.DIRECTOR)], email="")
    other = UserFactory(username="klara", memberships=[(iskander, RoleKind.COORDINATOR)], email="")
    default = default_wording(acknowledgement(), "nl")
    saving = {"subject": "Gewijzigd", "body": default.body, "action": "save"}
    pages = [url("letter_templates", "loket3"), edit_url()]
    posts = [(edit_url(), saving), (url("letterhead", "loket3"), {"phone": "112"})]

    for address in pages:
        assert client.get(address).status_code == 302  # to the login page
    for address, data in posts:
        assert client.post(address, data).status_code == 302
        assert "inloggen" in client.post(address, data)["Location"]

    client.force_login(handler)
    for address in pages:
        assert client.get(address).status_code == 403
    for address, data in posts:
        assert client.post(address, data).status_code == 403

    client.force_login(other)
    for address in pages:
        assert client.get(address).status_code == 404
    for address, data in posts:
        assert client.post(address, data).status_code == 404

    assert not LetterTemplate.objects.exists()
    assert letterhead_of(loket3).phone == ""

    client.force_login(director)
    for address in pages:
        assert client.get(address).status_code == 200
    assert client.post(edit_url(), saving).status_code == 302
    assert LetterTemplate.objects.get().subject == "Gewijzigd"


def test_an_unknown_letter_or_language_is_not_found(as_lotte: Client) -> None:
    assert as_lotte.get(edit_url(letter_id="bestaat_niet")).status_code == 404
    assert as_lotte.get(edit_url("de")).status_code == 404
    # Iskander's letter is not Loket3's.
    assert as_lotte.get(edit_url(letter_id="afsprakenbrief")).status_code == 404


# --- required and optional contents on the edit page ----------------------------------------------


def variable_rows(response: Any) -> dict[str, Any]:
    page = parse(response.content)
    return {tr.attrs["data-variable"]: tr for tr in page.find_all("tr", {"data-variable": True})}


def test_the_form_marks_required_and_optional_contents_and_what_the_text_prints(
    as_lotte: Client,
) -> None:
    """Loket3's written confirmation of the offer (Handelswijze 5): the regulation requires six
    contents; the default says the complaint, the facts, the outcome and where to turn next
    besides, each only when it has a text; every other content is optional too."""
    response = as_lotte.get(edit_url(letter_id="bevestiging_aanbod"))
    assert response.status_code == 200
    rows = variable_rows(response)
    groups: dict[str, list[str]] = {}
    for name, tr in rows.items():
        groups.setdefault(tr.attrs["data-group"], []).append(name)
    assert groups["required"] == [
        "findings",
        "motivation",
        "judgement",
        "offer",
        "measures",
        "consultation_summary",
    ]
    assert groups["usual"] == ["complaint_description", "facts", "outcome", "escalation_route"]
    assert "ombudsman" in groups["other"] and "expected_term" in groups["other"]
    assert {"reference", "salutation", "signatory"} <= set(groups["general"])
    assert all("data-required" in rows[name].attrs for name in groups["required"])
    assert not any("data-required" in rows[name].attrs for name in groups["usual"])
    # The default prints the required contents whatever the texts, the usual ones only when
    # filled in, and no other content.
    in_text = {name: tr.attrs["data-in-text"] for name, tr in rows.items()}
    assert {in_text[name] for name in groups["required"]} == {"always"}
    assert {in_text[name] for name in groups["usual"]} == {"conditional"}
    assert {in_text[name] for name in groups["other"]} == {"absent"}
    cells = rows["findings"].elements()
    assert cells[2].text() == "* verplicht" and cells[3].text() == "staat erin"
    cells = rows["facts"].elements()
    assert cells[2].text() == "optioneel" and cells[3].text() == "alleen als ingevuld"
    headings = [th.text() for th in parse(response.content).find_all("th", {"scope": "rowgroup"})]
    assert [heading.split(":")[0].split(" ")[0] for heading in headings] == [
        "Verplicht",
        "Optioneel",
        "Optioneel",
        "Altijd",
    ]
    english = as_lotte.get(edit_url(letter_id="bevestiging_aanbod", ui="en"))
    facts = variable_rows(english)["facts"].elements()
    assert (facts[2].text(), facts[3].text()) == ("optional", "only when filled in")
    assert "Required by the regulation" in parse(english.content).text()


def test_a_required_content_only_under_a_condition_is_marked_missing_on_the_refused_form(
    as_lotte: Client,
) -> None:
    default = default_wording(acknowledgement(), "nl")
    conditional = default.body.replace(
        "{{ expected_term }}", "{% if expected_term %}{{ expected_term }}{% endif %}"
    )
    assert conditional != default.body

    response = save(as_lotte, default.subject, conditional)

    assert response.status_code == 400
    assert problems(response) == ["ontbreekt: verwachte termijn ({{ expected_term }})"]
    rows = variable_rows(response)
    assert rows["expected_term"].attrs["data-in-text"] == "missing"
    assert rows["expected_term"].elements()[3].text() == "ontbreekt"
    assert rows["complaint_description"].attrs["data-in-text"] == "always"
    assert not LetterTemplate.objects.exists()
