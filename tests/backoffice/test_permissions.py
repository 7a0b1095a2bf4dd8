"""Who may see and do what, through HTTP (docs/backoffice.md "Permissions").

One Iskander complaint about Jan (a coordinator himself) and Marieke van den Berg (named by her
full name), with Kees involved, registered by the klachtenfunctionaris Klara with a letter
attached. Piet and Anna are procesverantwoordelijken (handlers); Sander works for SmartPLUS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from klachtenregister.lifecycle import record
from klachtenregister.register.models import Complaint, Document, Organisation
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    PASSWORD,
    act,
    action_forms,
    action_url,
    complaint_url,
    page_error,
    parse,
    problem,
    register,
    registration_fields,
    stored_log,
    url,
    watch_rows,
)
from tests.support.written_state import written_state

LETTER = b"Geachte heer, mevrouw,\n\nIk wil een klacht indienen.\n"


@dataclass
class Case:
    client: Client
    clock: Clock
    iskander: Organisation
    complaint: Complaint
    document: Document
    klara: User
    karel: User  # a second klachtenfunctionaris
    piet: User
    anna: User
    jan: User
    marieke: User
    kees: User
    sander: User

    def as_user(self, user: User | None) -> Client:
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return self.client

    @property
    def page(self) -> str:
        return complaint_url(self.complaint)

    @property
    def document_url(self) -> str:
        return url("document", "iskander", self.complaint.reference, self.document.pk)

    @property
    def add_document_url(self) -> str:
        return url("add_document", "iskander", self.complaint.reference)


@pytest.fixture
def case(client: Client, clock: Clock, iskander: Organisation) -> Case:
    smartplus = Organisation.objects.get(slug="smartplus")
    klara = UserFactory(
        username="klara",
        full_name="Klara Klachtenfunctionaris",
        memberships=[(iskander, RoleKind.COORDINATOR)],
        email="",
        password=PASSWORD,  # she also logs in through the login page
    )
    karel = UserFactory(username="karel", memberships=[(iskander, RoleKind.COORDINATOR)], email="")
    piet = UserFactory(username="piet", memberships=[(iskander, RoleKind.HANDLER)], email="")
    anna = UserFactory(username="anna", memberships=[(iskander, RoleKind.HANDLER)], email="")
    jan = UserFactory(
        username="jan",
        memberships=[(iskander, RoleKind.COORDINATOR), (iskander, RoleKind.HANDLER)],
        email="",
    )
    marieke = UserFactory(
        username="mvdb",
        full_name="Marieke van den Berg",
        memberships=[(iskander, RoleKind.EMPLOYEE)],
        email="",
    )
    kees = UserFactory(username="kees", memberships=[(iskander, RoleKind.EMPLOYEE)], email="")
    sander = UserFactory(
        username="sander", memberships=[(smartplus, kind) for kind in RoleKind], email=""
    )
    clock.set("2027-04-19")
    client.force_login(klara)
    complaint = register(
        client,
        "iskander",
        "2027-04-19",
        facts_date="2027-04-09",
        subjects=["jan", "Marieke van den Berg"],
        involved=["kees"],
        attachments=SimpleUploadedFile("klachtbrief.txt", LETTER, content_type="text/plain"),
    )
    client.logout()
    document = complaint.documents.get()
    return Case(
        client,
        clock,
        iskander,
        complaint,
        document,
        klara,
        karel,
        piet,
        anna,
        jan,
        marieke,
        kees,
        sander,
    )


def assign(case: Case, handler: User, on: str = "2027-04-20") -> None:
    case.clock.set(on)
    response = act(
        case.as_user(case.klara), case.complaint, "handler_assigned", on, handler=handler.pk
    )
    assert response.status_code == 302, problem(response)


# --- not logged in ------------------------------------------------------------------------------


def test_pages_send_someone_not_logged_in_to_the_login_page(case: Case) -> None:
    client = case.as_user(None)
    for address in [
        url("home"),
        url("watchlist", "iskander"),
        url("register", "iskander"),
        case.page,
        case.document_url,
    ]:
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith("/inloggen/?next="), address
    for address in [action_url(case.complaint, "acknowledged"), case.add_document_url]:
        response = client.post(address, {"sequence": 2, "on": "2027-04-19"})
        assert response.status_code == 302, address
        assert response["Location"].startswith("/inloggen/?next="), address
    assert client.get(f"/en{case.page}")["Location"].startswith("/en/inloggen/?next=")
    assert len(stored_log(case.complaint)) == 2


def test_logging_in_leads_a_coordinator_to_the_dashboard_and_a_handler_to_the_watch_list(
    case: Case,
) -> None:
    client = case.as_user(None)
    response = client.post(url("login"), {"username": "klara", "password": "geheim-wachtwoord-1"})
    assert (response.status_code, response["Location"]) == (302, url("home"))
    response = client.get(url("home"))
    assert (response.status_code, response["Location"]) == (302, "/o/iskander/overzicht/")
    dashboard = client.get("/o/iskander/overzicht/")
    assert dashboard.status_code == 200
    # The menu leads on to the watch list, where the complaint is.
    assert 'href="/o/iskander/"' in dashboard.content.decode()
    rows = watch_rows(client.get("/o/iskander/").content)
    assert [row.reference for row in rows] == [case.complaint.reference]

    handler = case.as_user(case.piet)
    assert handler.get(url("home"))["Location"] == "/o/iskander/"
    assert handler.get("/o/iskander/overzicht/").status_code == 403


# --- another organisation ---------------------------------------------------------------------


def test_another_organisations_pages_are_not_found(case: Case) -> None:
    before = written_state(case.complaint)
    client = case.as_user(case.sander)
    for address in [
        url("watchlist", "iskander"),
        url("register", "iskander"),
        case.page,
        case.document_url,
        # The reference under one's own organisation does not find it either.
        url("complaint", "smartplus", case.complaint.reference),
        url("document", "smartplus", case.complaint.reference, case.document.pk),
    ]:
        assert client.get(address).status_code == 404, address
    response = act(client, case.complaint, "acknowledged", "2027-04-19")
    assert response.status_code == 404
    assert client.post(case.add_document_url, {}).status_code == 404
    assert client.get(url("watchlist", "smartplus")).status_code == 200
    assert written_state(case.complaint) == before


# --- the people a complaint is about ------------------------------------------------------------


@pytest.mark.parametrize("who", ["jan", "marieke", "kees"])
def test_a_person_the_complaint_is_about_never_opens_it(case: Case, who: str) -> None:
    # Jan is a coordinator and a handler: his roles would see every complaint but this one.
    person = getattr(case, who)
    before = written_state(case.complaint)
    client = case.as_user(person)

    assert client.get(case.page).status_code == 403
    assert client.get(f"/en{case.page}").status_code == 403
    assert client.get(case.document_url).status_code == 403
    for event, fields in [
        ("acknowledged", {}),
        ("handler_assigned", {"handler": person.pk}),
        ("closed", {"reason": "Zelf afgesloten"}),
    ]:
        response = act(client, case.complaint, event, "2027-04-19", **fields)
        assert response.status_code == 403, event
    upload = SimpleUploadedFile("weerwoord.txt", b"Mijn kant", content_type="text/plain")
    assert client.post(case.add_document_url, {"file": upload}).status_code == 403
    watch = client.get(url("watchlist", "iskander"))
    assert watch.status_code == 200
    assert case.complaint.reference not in [row.reference for row in watch_rows(watch.content)]
    assert written_state(case.complaint) == before


def test_the_subjects_are_linked_by_user_name_and_by_full_name(case: Case) -> None:
    people = {(p.name, p.relation, p.user_id) for p in case.complaint.people.all()}
    assert people == {
        ("jan", "subject", case.jan.pk),
        ("Marieke van den Berg", "subject", case.marieke.pk),
        ("kees", "involved", case.kees.pk),
    }


def test_the_handler_and_committee_forms_never_offer_the_people_it_is_about(case: Case) -> None:
    forms = action_forms(case.as_user(case.klara).get(case.page).content)
    offered = {label for _value, label in forms["handler_assigned"].choices("handler")}
    assert {"piet", "anna", "Klara Klachtenfunctionaris", "karel"} <= offered
    assert offered.isdisjoint({"jan", "Marieke van den Berg", "kees"})
    if "committee_appointed" in forms:
        members = {label for _value, label in forms["committee_appointed"].choices("members")}
        assert members.isdisjoint({"jan", "Marieke van den Berg", "kees"})

    # Posting one of them anyway is an invalid choice: nothing is written.
    before = written_state(case.complaint)
    response = act(
        case.client, case.complaint, "handler_assigned", "2027-04-19", handler=case.jan.pk
    )
    assert response.status_code == 400
    assert written_state(case.complaint) == before


# --- handlers -----------------------------------------------------------------------------------


def test_an_unassigned_handler_sees_the_complaint_only_once_assigned(case: Case) -> None:
    client = case.as_user(case.piet)
    assert client.get(case.page).status_code == 403
    assert client.get(case.document_url).status_code == 403
    watch = client.get(url("watchlist", "iskander"))
    assert watch_rows(watch.content) == []

    assign(case, case.piet)

    client = case.as_user(case.piet)
    watch = client.get(url("watchlist", "iskander"))
    assert [(row.reference, row.handlers) for row in watch_rows(watch.content)] == [
        (case.complaint.reference, "piet")
    ]
    page = client.get(case.page)
    assert page.status_code == 200
    forms = action_forms(page.content)
    assert "consultation_held" in forms
    # Only the klachtenfunctionaris acknowledges (Stroomschema rij 1).
    assert "acknowledged" not in forms
    download = client.get(case.document_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == LETTER

    case.clock.set("2027-04-22")
    response = act(
        client, case.complaint, "consultation_held", "2027-04-22", outcome="no_agreement"
    )
    assert response.status_code == 302, problem(response)
    last = stored_log(case.complaint)[-1]
    assert (last.event, last.role, last.actor, last.actor_name) == (
        "consultation_held",
        "procesverantwoordelijke",
        case.piet,
        "piet",
    )
    # Anna, not assigned, still cannot open it.
    assert case.as_user(case.anna).get(case.page).status_code == 403


def test_an_action_the_users_roles_may_not_record_is_forbidden_and_not_written(
    case: Case,
) -> None:
    assign(case, case.piet)
    before = written_state(case.complaint)
    client = case.as_user(case.piet)
    case.clock.set("2027-04-21")
    response = act(client, case.complaint, "acknowledged", "2027-04-21")

    assert response.status_code == 403
    error = page_error(response.content)
    assert error is not None
    assert "U heeft geen rol die" in error and "klachtenfunctionaris" in error
    assert written_state(case.complaint) == before


# --- what the regulation refuses --------------------------------------------------------------


def engine_reason(case: Case, event: str, on: str, language: str, **details: Any) -> str:
    refusal = lifecycle_of(case.complaint).refusal(
        record(on, event, role="klachtenfunctionaris", **details)
    )
    assert refusal is not None
    with translation.override(language):
        return refusal.render(gettext)


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "Er is nog geen oordeel gegeven"), ("en", "No judgement has been given yet")],
)
def test_a_refused_action_shows_the_regulations_reason(
    case: Case, language: str, words: str
) -> None:
    before = written_state(case.complaint)
    client = case.as_user(case.klara)
    response = act(client, case.complaint, "decision_sent", "2027-04-19", language=language)

    assert response.status_code == 422
    reason = engine_reason(case, "decision_sent", "2027-04-19", language)
    assert words in reason
    assert reason in (page_error(response.content) or "")
    assert parse(response.content).find("html").attrs["lang"] == language  # type: ignore[union-attr]
    assert written_state(case.complaint) == before


def test_a_stale_sequence_is_a_conflict_and_not_written(case: Case) -> None:
    # Klara opens the page; meanwhile Karel acknowledges the complaint.
    seen = action_forms(case.as_user(case.klara).get(case.page).content)
    stale = seen["handler_assigned"].value("sequence")
    assert stale == "2"
    response = act(case.as_user(case.karel), case.complaint, "acknowledged", "2027-04-19")
    assert response.status_code == 302, problem(response)
    before = written_state(case.complaint)

    client = case.as_user(case.klara)
    response = act(
        client,
        case.complaint,
        "handler_assigned",
        "2027-04-19",
        sequence=stale,
        handler=case.piet.pk,
    )

    assert response.status_code == 409
    error = page_error(response.content) or ""
    assert f"Iemand anders heeft klacht {case.complaint.reference} intussen gewijzigd" in error
    # The page shows the complaint as it is now, so the next try carries the new sequence.
    assert action_forms(response.content)["handler_assigned"].value("sequence") == "3"
    assert written_state(case.complaint) == before


@pytest.mark.parametrize(
    ("event", "fields"),
    [
        ("consultation_held", {"outcome": "misschien"}),
        ("consultation_held", {}),
        ("handler_assigned", {"handler": "iemand"}),
        ("extended", {"deadline": "afhandeling", "amount": "0", "unit": "weeks", "reason": "x"}),
        ("decision_made", {"outcome": "founded"}),  # no motivation
    ],
)
def test_an_invalid_form_is_a_bad_request_and_not_written(
    case: Case, event: str, fields: dict[str, str]
) -> None:
    before = written_state(case.complaint)
    response = act(case.as_user(case.klara), case.complaint, event, "2027-04-19", **fields)
    assert response.status_code == 400
    assert "Controleer de gegevens" in (page_error(response.content) or "")
    assert written_state(case.complaint) == before


def test_a_missing_sequence_or_date_is_a_bad_request(case: Case) -> None:
    before = written_state(case.complaint)
    client = case.as_user(case.klara)
    url = action_url(case.complaint, "acknowledged")
    assert client.post(url, {"on": "2027-04-19"}).status_code == 400
    assert client.post(url, {"sequence": "2"}).status_code == 400
    assert client.post(url, {"sequence": "2", "on": "19 april"}).status_code == 400
    assert written_state(case.complaint) == before


def test_unknown_actions_are_not_found(case: Case) -> None:
    client = case.as_user(case.klara)
    assert act(client, case.complaint, "koffie_gedronken", "2027-04-19").status_code == 404
    # A complaint is received by registering it, not by an action.
    assert act(client, case.complaint, "received", "2027-04-19", channel="oral").status_code == 404
    assert client.get(action_url(case.complaint, "acknowledged")).status_code == 405


def test_a_date_in_the_future_is_refused(case: Case) -> None:
    before = written_state(case.complaint)
    client = case.as_user(case.klara)
    case.clock.set("2027-04-19")
    response = act(client, case.complaint, "acknowledged", "2027-04-20")
    assert response.status_code == 400
    assert "Deze datum ligt in de toekomst." in response.content.decode()
    assert written_state(case.complaint) == before

    # Nor can a complaint be registered as received tomorrow.
    count = Complaint.objects.count()
    response = client.post(
        url("register", "iskander"),
        registration_fields(dt.date(2027, 4, 20), subjects=["jan"]),
    )
    assert response.status_code == 400
    assert "Deze datum ligt in de toekomst." in response.content.decode()
    assert Complaint.objects.count() == count


def test_an_invalid_registration_is_a_bad_request_and_registers_nothing(case: Case) -> None:
    client = case.as_user(case.klara)
    count = Complaint.objects.count()
    for fields in [
        {"description": ""},
        {"complainant_name": ""},  # neither a name nor 'anonymous'
        {"channel": "postduif"},
        {"facts_date": "2027-04-20"},  # after the day of receipt
    ]:
        response = client.post(
            url("register", "iskander"), registration_fields("2027-04-19", **fields)
        )
        assert response.status_code == 400, fields
    assert Complaint.objects.count() == count


def test_a_member_whose_roles_may_not_receive_cannot_register(case: Case) -> None:
    # Iskander: only the klachtenfunctionaris records a received complaint.
    client = case.as_user(case.piet)
    count = Complaint.objects.count()
    page = client.get(url("register", "iskander"))
    assert page.status_code == 200
    assert "mag volgens het reglement geen ontvangen klacht vastleggen" in page.content.decode()
    response = client.post(url("register", "iskander"), registration_fields("2027-04-19"))
    assert response.status_code == 403
    assert Complaint.objects.count() == count


# --- documents ----------------------------------------------------------------------------------


def test_a_document_is_found_only_under_its_own_complaint(case: Case) -> None:
    client = case.as_user(case.klara)
    case.clock.set("2027-04-20")
    other = register(
        client,
        "iskander",
        "2027-04-20",
        attachments=SimpleUploadedFile("tweede.txt", b"Andere klacht", content_type="text/plain"),
    )
    others_document = other.documents.get()
    own = url("document", "iskander", case.complaint.reference, others_document.pk)
    assert client.get(own).status_code == 404
    assert (
        client.get(url("document", "iskander", other.reference, others_document.pk)).status_code
        == 200
    )

    # Piet handles the first complaint only: the second one's document stays closed to him.
    assign(case, case.piet)
    client = case.as_user(case.piet)
    assert client.get(own).status_code == 404
    assert (
        client.get(url("document", "iskander", other.reference, others_document.pk)).status_code
        == 403
    )


def test_a_document_with_an_action_is_listed_with_it_and_guarded_like_the_complaint(
    case: Case,
) -> None:
    client = case.as_user(case.klara)
    report = SimpleUploadedFile(
        "verslag.txt", b"Verslag van het gesprek", content_type="text/plain"
    )
    response = act(
        client,
        case.complaint,
        "hearing_held",
        "2027-04-19",
        heard="Mevrouw De Vries\njan",
        document=report,
    )
    assert response.status_code == 302, problem(response)
    document = case.complaint.documents.get(name="verslag.txt")
    assert document.event == stored_log(case.complaint)[-1]
    address = url("document", "iskander", case.complaint.reference, document.pk)

    page = parse(client.get(case.page).content)
    assert address in [a.attrs.get("href") for a in page.find_all("a")]
    download = client.get(address)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Verslag van het gesprek"
    assert case.as_user(case.jan).get(address).status_code == 403
    assert case.as_user(case.piet).get(address).status_code == 403
    assert case.as_user(case.sander).get(address).status_code == 404


def test_adding_a_document_needs_access_to_the_complaint(case: Case) -> None:
    before = written_state(case.complaint)
    for user, status in [(case.piet, 403), (case.jan, 403), (case.sander, 404)]:
        upload = SimpleUploadedFile("extra.txt", b"extra", content_type="text/plain")
        response = case.as_user(user).post(case.add_document_url, {"file": upload})
        assert response.status_code == status, user
    assert written_state(case.complaint) == before

    assign(case, case.piet)
    upload = SimpleUploadedFile("aantekening.txt", b"extra", content_type="text/plain")
    response = case.as_user(case.piet).post(
        case.add_document_url, {"file": upload, "description": "aantekening"}
    )
    assert response.status_code == 302
    added = case.complaint.documents.get(name="aantekening.txt")
    assert (added.uploaded_by, added.event, added.description) == (case.piet, None, "aantekening")


# --- more on who acts -----------------------------------------------------------------------------


def test_a_replaced_handler_loses_the_complaint(case: Case) -> None:
    assign(case, case.piet)
    assign(case, case.anna, on="2027-04-21")

    assert case.as_user(case.piet).get(case.page).status_code == 403
    assert watch_rows(case.client.get(url("watchlist", "iskander")).content) == []
    assert case.as_user(case.anna).get(case.page).status_code == 200
    rows = watch_rows(case.client.get(url("watchlist", "iskander")).content)
    assert [(row.reference, row.handlers) for row in rows] == [(case.complaint.reference, "anna")]


def test_a_committee_member_acts_as_the_committee_once_appointed(
    client: Client, clock: Clock, organisation: Any
) -> None:
    # IN FOCUS Samen: the organisation appoints the committee; the committee registers.
    infocus = organisation("infocus-samen")
    coordinator = UserFactory(
        username="ifs", memberships=[(infocus, RoleKind.COORDINATOR)], email=""
    )
    anna, bert, carla = (
        UserFactory(username=name, memberships=[(infocus, RoleKind.EMPLOYEE)], email="")
        for name in ("anna", "bert", "carla")
    )
    clock.set("2027-04-20")
    client.force_login(coordinator)
    complaint = register(client, "infocus-samen", "2027-04-20")
    assert [row.event for row in stored_log(complaint)] == ["received"]
    # Only the committee registers: the coordinator is not offered it and may not post it.
    assert "registered" not in action_forms(client.get(complaint_url(complaint)).content)
    assert act(client, complaint, "registered", "2027-04-20").status_code == 403

    client.force_login(anna)
    assert client.get(complaint_url(complaint)).status_code == 403
    client.force_login(coordinator)
    response = act(
        client, complaint, "committee_appointed", "2027-04-20", members=[anna.pk, bert.pk]
    )
    assert response.status_code == 302, problem(response)

    client.force_login(anna)
    page = client.get(complaint_url(complaint))
    assert page.status_code == 200
    assert "registered" in action_forms(page.content)
    response = act(client, complaint, "registered", "2027-04-20")
    assert response.status_code == 302, problem(response)
    last = stored_log(complaint)[-1]
    assert (last.event, last.role, last.actor) == ("registered", "klachtencommissie", anna)
    client.force_login(carla)
    assert client.get(complaint_url(complaint)).status_code == 403


def test_a_name_too_long_for_the_engine_is_a_form_error(case: Case) -> None:
    before = written_state(case.complaint)
    client = case.as_user(case.klara)
    response = act(client, case.complaint, "hearing_held", "2027-04-19", heard="x" * 201)
    assert response.status_code == 400
    assert "Een naam is ten hoogste 200 tekens lang." in response.content.decode()
    assert written_state(case.complaint) == before


def test_actions_need_the_csrf_token_of_the_page(case: Case) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(case.klara)
    form = action_forms(browser.get(case.page).content)["acknowledged"]
    token = form.value("csrfmiddlewaretoken")
    assert token
    data = {"sequence": form.value("sequence"), "on": "2027-04-19"}

    assert browser.post(form.action, data).status_code == 403
    assert len(stored_log(case.complaint)) == 2
    response = browser.post(form.action, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, problem(response)
    assert stored_log(case.complaint)[-1].event == "acknowledged"


def test_what_people_typed_is_shown_as_text(case: Case) -> None:
    client = case.as_user(case.klara)
    complaint = register(
        client,
        "iskander",
        "2027-04-19",
        complainant_name="<script>alert('naam')</script>",
        description="<img src=x onerror=alert(1)> kwam niet",
    )
    page = client.get(complaint_url(complaint)).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;naam&#x27;)&lt;/script&gt;" in page
