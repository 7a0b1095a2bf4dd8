"""Letters on the complaint page: the preview records nothing, and a letter sent by post gets its
delivery entered by hand (docs/letters.md "Sending a letter"), through HTTP.

Loket3's acknowledgement goes to the complainant; the office (a member holding every kind of
role) registers the complaint on Mon 19 Apr 2027 and sends it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader

from klachtenregister.correspondence.models import Letter, OutboxMessage
from klachtenregister.register.models import Complaint, Document, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock
from tests.support.complaints import logged, record
from tests.support.webflows import (
    act,
    letter_fields,
    parse,
    problem,
    register,
    url,
)

DESCRIPTION = "De rapportage is zonder mijn reactie naar de werkgever gestuurd."
TO_COMPLAINANT = "letter-ontvangstbevestiging__to0"


@pytest.fixture
def office(client: Client, staff: Staff, loket3: Organisation, clock: Clock) -> Client:
    client.force_login(staff(loket3, email=""))
    return client


@pytest.fixture
def complaint(office: Client) -> Complaint:
    return register(
        office,
        "loket3",
        "2027-04-19",
        complainant_name="Marloes Bakker",
        complainant_email="marloes@example.nl",
        description=DESCRIPTION,
    )


def preview_url(complaint: Complaint, event: str) -> str:
    return url("letter_preview", "loket3", complaint.reference, event)


def written(complaint: Complaint) -> tuple[int, int, int, int]:
    complaint.refresh_from_db()
    return (
        complaint.sequence,
        Letter.objects.filter(complaint=complaint).count(),
        Document.objects.filter(complaint=complaint).count(),
        OutboxMessage.objects.filter(complaint=complaint).count(),
    )


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_preview_shows_the_letter_as_it_would_be_sent_and_records_nothing(
    office: Client, complaint: Complaint
) -> None:
    before = written(complaint)
    data = {
        **letter_fields(office, complaint, "acknowledged"),
        "sequence": complaint.sequence,
        "on": "2027-04-19",
    }
    response = office.post(preview_url(complaint, "acknowledged"), data)
    assert response.status_code == 200, problem(response)
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "Marloes Bakker" in text
    assert DESCRIPTION in text
    assert "21 werkdagen" in text
    assert written(complaint) == before


def test_a_preview_of_an_action_the_engine_would_refuse_is_refused(
    office: Client, complaint: Complaint
) -> None:
    before = written(complaint)
    data = {
        **letter_fields(office, complaint, "acknowledged"),
        "sequence": complaint.sequence,
        "on": "2027-04-26",  # after today, Mon 19 Apr: the log takes no future events
    }
    response = office.post(preview_url(complaint, "acknowledged"), data)
    assert response.status_code in (400, 422), problem(response)
    assert response["Content-Type"].startswith("text/html")
    assert written(complaint) == before


def sent_by_post(office: Client, complaint: Complaint) -> Letter:
    response = act(office, complaint, "acknowledged", "2027-04-19", **{TO_COMPLAINANT: "post"})
    assert response.status_code == 302, problem(response)
    letter = Letter.objects.get(complaint=complaint)
    assert (letter.delivery, letter.posted_on, letter.delivered_on) == (
        "post",
        dt.date(2027, 4, 19),
        None,
    )
    assert not OutboxMessage.objects.filter(letter=letter).exists()
    return letter


def delivered_url(complaint: Complaint, letter: Letter) -> str:
    return url("letter_delivered", "loket3", complaint.reference, letter.pk)


def test_the_delivery_of_a_letter_by_post_is_entered_by_hand(
    office: Client, complaint: Complaint, clock: Clock
) -> None:
    letter = sent_by_post(office, complaint)
    clock.set("2027-04-21")
    response = office.post(
        delivered_url(complaint, letter),
        {"delivered_on": "2027-04-21", "tracking_number": "3SABCD1234567"},
    )
    assert response.status_code == 302, problem(response)
    letter.refresh_from_db()
    assert (letter.delivered_on, letter.tracking_number) == (
        dt.date(2027, 4, 21),
        "3SABCD1234567",
    )


def test_a_delivery_date_in_the_future_is_refused(office: Client, complaint: Complaint) -> None:
    letter = sent_by_post(office, complaint)
    response = office.post(delivered_url(complaint, letter), {"delivered_on": "2027-04-20"})
    assert response.status_code == 400
    letter.refresh_from_db()
    assert letter.delivered_on is None


def test_a_letter_by_email_is_not_delivered_by_hand(office: Client, complaint: Complaint) -> None:
    response = act(office, complaint, "acknowledged", "2027-04-19")
    assert response.status_code == 302, problem(response)
    letter = Letter.objects.get(complaint=complaint)
    assert letter.delivery == "email"
    response = office.post(delivered_url(complaint, letter), {"delivered_on": "2027-04-19"})
    assert response.status_code == 400
    letter.refresh_from_db()
    assert letter.delivered_on is None


def test_a_member_who_cannot_act_on_the_complaint_cannot_enter_a_delivery(
    office: Client,
    complaint: Complaint,
    loket3: Organisation,
) -> None:
    letter = sent_by_post(office, complaint)
    outsider: User = UserFactory(
        username="henk",
        full_name="Henk de Wit",
        memberships=[(loket3, RoleKind.HANDLER)],
        email="",
    )
    other = Client()
    other.force_login(outsider)
    response = other.post(delivered_url(complaint, letter), {"delivered_on": "2027-04-19"})
    assert response.status_code == 403
    letter.refresh_from_db()
    assert letter.delivered_on is None


FACTS = "letter-ontvangstbevestiging__facts"


@pytest.mark.parametrize("button", ["letter_preview", "complaint_action"])
def test_a_required_text_left_empty_is_marked_at_its_field_before_any_letter_is_made(
    client: Client,
    staff: Staff,
    organisation: Callable[[str], Organisation],
    clock: Clock,
    button: str,
) -> None:
    """SmartPLUS's acknowledgement requires the facts, which only the person writing it knows:
    left empty, the preview (or sending) answers with the same page, the Dutch error at the
    facts field and no PDF; nothing is written."""
    smartplus = organisation("smartplus")
    client.force_login(staff(smartplus, email=""))
    complaint = register(
        client,
        "smartplus",
        "2027-04-19",
        complainant_name="Marloes Bakker",
        complainant_email="marloes@example.nl",
        description=DESCRIPTION,
    )
    before = written(complaint)
    data = {
        **letter_fields(client, complaint, "acknowledged"),
        "sequence": complaint.sequence,
        "on": "2027-04-19",
        FACTS: "",
    }
    response = client.post(url(button, "smartplus", complaint.reference, "acknowledged"), data)

    assert response.status_code == 400, problem(response)
    assert response["Content-Type"].startswith("text/html")
    page = parse(response.content)
    field = page.find("textarea", {"name": FACTS})
    assert field is not None
    error = page.find(attrs={"id": field.attrs["aria-describedby"]})
    assert error is not None
    assert error.text().strip() == "Het reglement eist deze tekst in de brief; vul hem in."
    assert written(complaint) == before

    # Written in, the same form previews.
    data[FACTS] = "De coach sprak in drie sessies alleen Nederlands."
    response = client.post(preview_url_of(complaint, "smartplus"), data)
    assert response.status_code == 200, problem(response)
    assert response["Content-Type"] == "application/pdf"
    assert "alleen Nederlands" in text_of(response.content)
    assert written(complaint) == before


def preview_url_of(complaint: Complaint, slug: str) -> str:
    return url("letter_preview", slug, complaint.reference, "acknowledged")


def test_a_delivery_date_changed_later_needs_a_reason_and_both_are_in_the_log(
    office: Client, complaint: Complaint, clock: Clock
) -> None:
    letter = sent_by_post(office, complaint)
    clock.set("2027-04-22")
    office.post(delivered_url(complaint, letter), {"delivered_on": "2027-04-21"})

    without = office.post(delivered_url(complaint, letter), {"delivered_on": "2027-04-20"})
    assert without.status_code == 422
    assert "Geef de reden waarom de afleverdatum 21-04-2027 verandert" in without.content.decode()

    changed = office.post(
        delivered_url(complaint, letter),
        {"delivered_on": "2027-04-20", "reason": "verkeerde dag overgenomen"},
    )
    assert changed.status_code == 302, problem(changed)
    letter.refresh_from_db()
    assert letter.delivered_on == dt.date(2027, 4, 20)
    changes = [
        (logged(event).payload["delivered_on"], logged(event).payload.get("reason"))
        for event in complaint.events.filter(event="delivery_date_changed").order_by("sequence")
    ]
    assert changes == [
        # No date before the first entry: the log row leaves ``old`` out.
        ({"new": "2027-04-21"}, None),
        ({"old": "2027-04-21", "new": "2027-04-20"}, "verkeerde dag overgenomen"),
    ]
    # The log on the page: its own line with the letter, old and new, why and who.
    log = _log_text(office, complaint)
    assert "afleverdatum brief vastgelegd" in log.lower()
    assert "— → 21-04-2027" in log
    assert "21-04-2027 → 20-04-2027" in log
    assert "verkeerde dag overgenomen" in log
    assert letter.label in log
    english = _log_text(office, complaint, "en")
    assert "letter&#x27;s delivery date recorded" in english.lower()
    assert "delivery date" in english
    page = office.get(url("complaint", "loket3", complaint.reference)).content.decode()
    assert "Afleverdatum wijzigen" in page


def _log_text(office: Client, complaint: Complaint, language: str = "nl") -> str:
    page = office.get(url("complaint", "loket3", complaint.reference, language=language))
    assert page.status_code == 200, problem(page)
    return " ".join(page.content.decode().split())


def test_a_delivery_entered_before_its_own_event_type_is_still_read_as_a_note(
    office: Client, complaint: Complaint
) -> None:
    """Before ``delivery_date_changed`` a delivery was a ``note_added`` of kind other: such a
    row stays in the log and on the page as it was."""
    record(
        complaint,
        complaint.registered_by,
        "note_added",
        "2027-04-19",
        {"kind": "other", "text": "Afleverdatum van 'Ontvangstbevestiging' gewijzigd."},
    )
    log = _log_text(office, complaint)
    assert "notitie toegevoegd" in log.lower()
    assert "Afleverdatum van &#x27;Ontvangstbevestiging&#x27; gewijzigd." in log
