"""The demo `make run` loads (issue 4 §4): users who can log in, complaints in telling deadline
situations on whatever day it is loaded, and a second run that changes nothing.

The deadline situations are checked on days that make the date arithmetic hard: an ordinary
Monday, Christmas Eve (terms crossing both Christmas days and New Year), a Saturday, Ascension
Day followed by a decree day, and the Saturday before Easter. What does not depend on the day is
checked on the Monday.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from klachtenregister.demo.datafiles import read_demo
from klachtenregister.lifecycle.rules import roles_for
from klachtenregister.register import access
from klachtenregister.register.models import (
    Complaint,
    ComplaintDeadline,
    ComplaintEvent,
    ComplaintPerson,
    Membership,
    Organisation,
)
from klachtenregister.register.selectors.history import regulation_of
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.terms import calendar_of
from klachtenregister.regulations.vocabulary import Event, RoleKind
from tests.support.demo_days import AWKWARD_DAYS

CLOSED_OR_DECIDED = {"closed", "decided", "withdrawn"}
ORGANISATIONS = list(read_demo().codes.items())  # (slug, short code)
User = get_user_model()


def set_today(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> dt.date:
    monkeypatch.setattr("klachtenregister.register.clock.today", lambda: day)
    return day


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    return set_today(monkeypatch, dt.date(2026, 11, 23))


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """The demo sets and checks a password per user; the slow default hasher adds nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def printed_users(output: str) -> dict[str, str]:
    """username -> password from the printed table (the lines under the dashes)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("---")) + 1
    users = {}
    for line in lines[start:]:
        if not line.strip():
            break
        username, password = line.split()[:2]
        users[username] = password
    return users


def printed_line(output: str, username: str) -> str:
    return next(line for line in output.splitlines() if line.split()[:1] == [username])


def everything() -> dict[str, Any]:
    return {
        "users": sorted(
            User.objects.values_list("username", "first_name", "last_name", "password")
        ),
        "memberships": sorted(
            Membership.objects.values_list("user__username", "organisation__slug", "kind")
        ),
        "complaints": sorted(Complaint.objects.values_list("reference", "state", "sequence")),
        "events": ComplaintEvent.objects.count(),
        "deadlines": sorted(
            ComplaintDeadline.objects.values_list("complaint__reference", "deadline_id", "due")
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("day", AWKWARD_DAYS, ids=[day.isoformat() for day in AWKWARD_DAYS])
def test_on_any_day_each_organisation_has_overdue_soon_and_later_complaints(
    day: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, day)
    first = load_demo()

    assert "no regulations loaded yet" in first  # the command loads them itself
    assert not ComplaintEvent.objects.filter(on__gt=day).exists()
    for slug, _code in ORGANISATIONS:
        complaints = list(Complaint.objects.filter(organisation__slug=slug))
        assert 3 <= len(complaints) <= 5, slug
        calendar = calendar_of(regulation_of(complaints[0]))
        soon_limit = calendar.add_working_days(day, 2)
        # What the watch list shows: the next running deadline of each open complaint.
        next_dues = [c.next_due for c in complaints if c.next_due is not None]
        assert any(due < day for due in next_dues), (slug, next_dues)
        assert any(day <= due <= soon_limit for due in next_dues), (slug, next_dues)
        assert any(due > soon_limit for due in next_dues), (slug, next_dues)
        assert any(c.state in CLOSED_OR_DECIDED for c in complaints), slug
        assert any(c.state == "registered" for c in complaints), slug  # not yet acknowledged
    assert Complaint.objects.filter(events__event=Event.DECLARED_INADMISSIBLE.value).exists()
    assert ComplaintDeadline.objects.filter(extensions__gte=1, running=True).exists()

    before = everything()
    second = load_demo()

    assert "demo loaded" in first
    assert "demo already loaded: nothing changed" in second
    assert everything() == before
    # The table and the login address are printed both times.
    for output in (first, second):
        assert "http://127.0.0.1:8000/inloggen/" in output
        assert printed_users(output) == printed_users(first)


@pytest.mark.django_db
def test_every_printed_user_can_log_in(today: dt.date) -> None:
    output = load_demo()
    users = printed_users(output)

    expected = {"demo-multi"}
    for slug, code in ORGANISATIONS:
        expected |= {f"{code.lower()}-{role.kind.value}" for role in load_preset(slug).roles}
        expected.add(f"{code.lower()}-coordinator")
    assert set(users) == expected
    for username, password in users.items():
        assert password == f"demo-{username}"
        assert Client().login(username=username, password=password), username
        assert User.objects.get(username=username).get_full_name(), username
    # The table says who someone is and what they are.
    assert printed_line(output, "sp-manager").split()[2:] == [
        "Nicole",
        "Verhoeven",
        "SP:",
        "manager",
    ]
    multi = printed_line(output, "demo-multi")
    assert "ISK: coordinator, handler" in multi
    assert "L3: coordinator, handler" in multi


@pytest.mark.django_db
def test_a_changed_password_is_put_back_so_the_printed_one_works(today: dt.date) -> None:
    load_demo()
    user = User.objects.get(username="isk-handler")
    user.set_password("iets-anders")
    user.save()

    output = load_demo()

    assert "1 users reset" in output
    assert Client().login(username="isk-handler", password="demo-isk-handler")


@pytest.mark.django_db
def test_each_coordinator_may_record_every_event_of_the_regulation(today: dt.date) -> None:
    """One person takes a complaint from registration to closure: for every event some role of
    the regulation may record, the coordinator's memberships give them such a role."""
    load_demo()
    for slug, code in ORGANISATIONS:
        organisation = Organisation.objects.get(slug=slug)
        regulation = load_preset(slug)
        for username in (f"{code.lower()}-coordinator", "demo-multi"):
            user = User.objects.get(username=username)
            kinds = access.kinds_in(user, organisation)
            if username == "demo-multi" and not kinds:
                continue
            for event in Event:
                allowed = [role.id for role in roles_for(regulation, event)]
                if allowed:
                    assert access.acting_role(regulation, kinds, allowed), (username, event)
    # SmartPLUS: only a medewerker records receipt, so its coordinator is one too; Iskander's
    # medewerker records nothing, so its coordinator is not.
    sp = set(
        Membership.objects.filter(user__username="sp-coordinator").values_list("kind", flat=True)
    )
    isk = set(
        Membership.objects.filter(user__username="isk-coordinator").values_list("kind", flat=True)
    )
    assert RoleKind.EMPLOYEE.value in sp
    assert RoleKind.EMPLOYEE.value not in isk


@pytest.mark.django_db
def test_handlers_are_assigned_as_users_named_in_the_events(today: dt.date) -> None:
    load_demo()

    assignments = ComplaintEvent.objects.filter(event=Event.HANDLER_ASSIGNED.value)
    assert assignments.count() >= 5
    for event in assignments:
        user = User.objects.get(pk=event.people["handler"])
        assert event.payload["handler"] == user.get_full_name()
        assert event.complaint.participants.filter(user=user, capacity="handler").exists()


@pytest.mark.django_db
def test_integratiewerk_complaints_about_an_employee_record_their_manager_who_gets_the_copy(
    today: dt.date,
) -> None:
    # Integratiewerk, Klachtenprocedure 3: the acknowledgement's copy goes to "de betreffende
    # leidinggevende", the manager the complaint records (not every manager).
    load_demo()
    ingrid = User.objects.get(username="iw-manager")
    about_employees = Complaint.objects.filter(
        organisation__slug="integratiewerk", people__relation=ComplaintPerson.SUBJECT
    ).distinct()
    assert about_employees.count() == 3
    for complaint in about_employees:
        assert (complaint.manager_name, complaint.manager) == (ingrid.get_full_name(), ingrid)
    copies = [
        letter.addressee_name
        for complaint in about_employees
        for letter in complaint.letters.filter(is_copy=True, party="manager")
    ]
    assert copies and set(copies) == {ingrid.get_full_name()}


@pytest.mark.django_db
def test_the_multi_organisation_user_has_two_organisations(today: dt.date) -> None:
    load_demo()
    user = User.objects.get(username="demo-multi")

    assert [o.slug for o in access.organisations_of(user)] == ["iskander", "loket3"]
    client = Client()
    assert client.login(username="demo-multi", password="demo-demo-multi")
    for slug in ("iskander", "loket3"):
        assert client.get(reverse("watchlist", kwargs={"slug": slug})).status_code == 200
    assert client.get(reverse("watchlist", kwargs={"slug": "smartplus"})).status_code == 404


@pytest.mark.django_db
def test_each_organisations_employee_is_the_subject_of_a_complaint_they_cannot_open(
    today: dt.date,
) -> None:
    load_demo()
    for slug, code in ORGANISATIONS:
        employee = User.objects.get(username=f"{code.lower()}-employee")
        person = ComplaintPerson.objects.get(
            user=employee, relation=ComplaintPerson.SUBJECT, complaint__organisation__slug=slug
        )
        assert person.name == employee.get_full_name()
        url = reverse("complaint", kwargs={"slug": slug, "reference": person.complaint.reference})
        client = Client()
        assert client.login(username=employee.username, password=f"demo-{employee.username}")
        assert client.get(url).status_code == 403
        coordinator = Client()
        assert coordinator.login(
            username=f"{code.lower()}-coordinator", password=f"demo-{code.lower()}-coordinator"
        )
        assert coordinator.get(url).status_code == 200
