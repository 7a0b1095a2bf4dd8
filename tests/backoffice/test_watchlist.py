"""The watch list (termijnbewaking) through HTTP: traffic lights, filters, order, pages, htmx.

Iskander's acknowledgement term is 5 werkdagen after receipt (Stroomschema rij 1), its handling
term 4 weken. Counted by hand on the nl-atw calendar, with Koningsdag Tue 27 Apr 2027:
- received Thu 15 Apr: Fri 16, Mon 19, Tue 20, Wed 21, Thu 22 -> due Thu 22 Apr;
- received Fri 16 Apr: Mon 19 .. Fri 23 -> due Fri 23 Apr;
- received Tue 20 Apr: Wed 21, Thu 22, Fri 23, Mon 26, (Koningsdag) Wed 28 -> due Wed 28 Apr;
- received Wed 21 Apr: Thu 22, Fri 23, Mon 26, (Koningsdag) Wed 28, Thu 29 -> due Thu 29 Apr.
"Binnen 2 werkdagen" is due no later than two working days after today.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from klachtenregister.backoffice.pagination import CappedPaginator
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.vocabulary import RoleKind
from klachtenregister.watch.services import carry_out_closures
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, record
from tests.support.webflows import (
    act,
    action_url,
    complaint_url,
    page_lights,
    parse,
    problem,
    register,
    url,
    watch_rows,
)

ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
WATCH = url("watchlist", "iskander")
LABELS = {deadline.id: deadline.label for deadline in load_preset("iskander").deadlines}
ACKNOWLEDGEMENT, HANDLING = LABELS["ontvangstbevestiging"], LABELS["afhandeling"]


@dataclass
class Office:
    client: Client
    clock: Clock
    klara: User
    piet: User
    anna: User

    def register(self, received_on: str, **fields: Any) -> Complaint:
        self.clock.set(received_on)
        self.client.force_login(self.klara)
        return register(self.client, "iskander", received_on, **fields)

    def act(self, complaint: Complaint, event: str, on: str, **fields: Any) -> None:
        self.clock.set(on)
        self.client.force_login(self.klara)
        response = act(self.client, complaint, event, on, **fields)
        assert response.status_code == 302, problem(response)

    def watch(self, today: str, user: User | None = None, **query: Any) -> Any:
        self.clock.set(today)
        self.client.force_login(user or self.klara)
        response = self.client.get(WATCH, query)
        assert response.status_code == 200
        return response


@pytest.fixture
def office(client: Client, clock: Clock, iskander: Organisation) -> Office:
    klara = UserFactory(username="klara", memberships=[(iskander, RoleKind.COORDINATOR)], email="")
    piet = UserFactory(username="piet", memberships=[(iskander, RoleKind.HANDLER)], email="")
    anna = UserFactory(username="anna", memberships=[(iskander, RoleKind.HANDLER)], email="")
    return Office(client, clock, klara, piet, anna)


@pytest.fixture
def four(office: Office) -> dict[str, Complaint]:
    """Four complaints whose acknowledgement falls due on Thu 22, Fri 23, Wed 28, Thu 29 Apr."""
    return {
        "2027-04-22": office.register("2027-04-15"),
        "2027-04-23": office.register("2027-04-16"),
        "2027-04-28": office.register("2027-04-20"),
        "2027-04-29": office.register("2027-04-21"),
    }


LIGHT_TEXT = {"overdue": "verlopen", "soon": "binnen 2 werkdagen", "later": "later"}


@pytest.mark.parametrize(
    ("today", "lights"),
    [
        # Due today is still within the term.
        ("2027-04-22", ["soon", "soon", "later", "later"]),
        # Friday: Mon 26 and (Koningsdag skipped) Wed 28 are the next two working days; without
        # the weekend and the holiday Wed 28 would be 'later'.
        ("2027-04-23", ["overdue", "soon", "soon", "later"]),
        # Saturday: the same two working days ahead.
        ("2027-04-24", ["overdue", "overdue", "soon", "later"]),
        # Monday: Wed 28 and Thu 29, only because Koningsdag does not count.
        ("2027-04-26", ["overdue", "overdue", "soon", "soon"]),
        ("2027-04-29", ["overdue", "overdue", "overdue", "soon"]),
        ("2027-04-30", ["overdue", "overdue", "overdue", "overdue"]),
    ],
)
def test_traffic_lights_count_working_days_around_weekend_and_koningsdag(
    office: Office, four: dict[str, Complaint], today: str, lights: list[str]
) -> None:
    rows = watch_rows(office.watch(today).content)

    assert [(row.reference, row.due) for row in rows] == [
        (complaint.reference, due) for due, complaint in four.items()
    ]
    assert [row.light for row in rows] == lights
    assert [row.light_text for row in rows] == [LIGHT_TEXT[light] for light in lights]
    assert [row.deadline for row in rows] == [ACKNOWLEDGEMENT] * 4
    # The complaint page shows the same light for its acknowledgement term.
    for (due, complaint), light in zip(four.items(), lights, strict=True):
        page = office.client.get(complaint_url(complaint))
        assert page_lights(page.content)["ontvangstbevestiging"] == LIGHT_TEXT[light], due


def test_the_english_watch_list_translates_the_lights(
    office: Office, four: dict[str, Complaint]
) -> None:
    office.clock.set("2027-04-23")
    response = office.client.get(url("watchlist", "iskander", language="en"))
    assert [row.light_text for row in watch_rows(response.content)] == [
        "overdue",
        "within 2 working days",
        "within 2 working days",
        "later",
    ]


def test_sorted_by_the_next_due_date_whatever_the_order_of_registration(office: Office) -> None:
    late = office.register("2027-04-21")  # due Thu 29 Apr
    early = office.register("2027-04-15")  # due Thu 22 Apr
    middle = office.register("2027-04-20")  # due Wed 28 Apr
    # Acknowledging the early one leaves its handling term (15 Apr + 4 weken = Thu 13 May).
    office.act(early, "acknowledged", "2027-04-21")

    rows = watch_rows(office.watch("2027-04-23").content)
    assert [(row.reference, row.due) for row in rows] == [
        (middle.reference, "2027-04-28"),
        (late.reference, "2027-04-29"),
        (early.reference, "2027-05-13"),
    ]
    assert [row.deadline for row in rows] == [ACKNOWLEDGEMENT, ACKNOWLEDGEMENT, HANDLING]


def settle_by_agreement(office: Office, complaint: Any) -> None:
    """Iskander received Tue 20 Apr 2027: acknowledged, settled by agreement on 28 April and the
    agreement letter sent on 4 May: no term runs any more."""
    office.act(complaint, "acknowledged", "2027-04-26")
    office.act(complaint, "handler_assigned", "2027-04-26", handler=office.piet.pk)
    office.act(complaint, "consultation_held", "2027-04-28", outcome="agreement")
    office.act(complaint, "resolved_informally", "2027-04-28")
    office.act(complaint, "agreement_letter_sent", "2027-05-04")


def test_a_complaint_with_no_running_term_comes_last(office: Office) -> None:
    settled = office.register("2027-04-20")
    settle_by_agreement(office, settled)
    other = office.register("2027-05-04")

    rows = watch_rows(office.watch("2027-05-05").content)
    assert [row.reference for row in rows] == [other.reference, settled.reference]
    assert (rows[-1].state, rows[-1].due, rows[-1].light) == ("informeel opgelost", None, None)


def test_filter_by_state(office: Office, four: dict[str, Complaint]) -> None:
    accepted = four["2027-04-28"]
    office.act(accepted, "accepted", "2027-04-22")

    rows = watch_rows(office.watch("2027-04-23", state="accepted").content)
    assert [(row.reference, row.state) for row in rows] == [(accepted.reference, "in behandeling")]
    rows = watch_rows(office.watch("2027-04-23", state="registered").content)
    assert [row.reference for row in rows] == [c.reference for c in four.values() if c != accepted]
    # An unknown state filters nothing.
    assert len(watch_rows(office.watch("2027-04-23", state="onbekend").content)) == 4


def test_filter_by_handler(office: Office, four: dict[str, Complaint]) -> None:
    for_piet, for_anna = four["2027-04-29"], four["2027-04-23"]
    office.act(for_piet, "handler_assigned", "2027-04-22", handler=office.piet.pk)
    office.act(for_anna, "handler_assigned", "2027-04-22", handler=office.anna.pk)

    response = office.watch("2027-04-23", handler=office.piet.pk)
    assert [(r.reference, r.handlers) for r in watch_rows(response.content)] == [
        (for_piet.reference, "piet")
    ]
    response = office.watch("2027-04-23", handler=office.anna.pk)
    assert [(r.reference, r.handlers) for r in watch_rows(response.content)] == [
        (for_anna.reference, "anna")
    ]
    select = parse(response.content).find("select", {"name": "handler"})
    assert select is not None
    options = [(o.attrs["value"], o.text()) for o in select.find_all("option")]
    # Everyone who may be assigned: the organisation's members, by name.
    assert options[1:] == [
        (str(office.anna.pk), "anna"),
        (str(office.klara.pk), "klara"),
        (str(office.piet.pk), "piet"),
    ]
    assert "selected" in select.find("option", {"value": str(office.anna.pk)}).attrs  # type: ignore[union-attr]
    # The handler's own watch list holds what is assigned to them.
    own = watch_rows(office.watch("2027-04-23", user=office.piet).content)
    assert [row.reference for row in own] == [for_piet.reference]


def test_filter_by_deadline_kind(office: Office, four: dict[str, Complaint]) -> None:
    acknowledged = four["2027-04-22"]
    office.act(acknowledged, "acknowledged", "2027-04-21")

    rows = watch_rows(office.watch("2027-04-23", kind="acknowledgement").content)
    assert [row.reference for row in rows] == [
        c.reference for c in four.values() if c != acknowledged
    ]
    # By the handling term: every complaint, each with that term (received + 4 weken).
    rows = watch_rows(office.watch("2027-04-23", kind="decision").content)
    assert [(row.reference, row.due, row.light) for row in rows] == [
        (four["2027-04-22"].reference, "2027-05-13", "later"),
        (four["2027-04-23"].reference, "2027-05-14", "later"),
        # 20 Apr + 28 days = Tue 18 May; 21 Apr + 28 days = Wed 19 May.
        (four["2027-04-28"].reference, "2027-05-18", "later"),
        (four["2027-04-29"].reference, "2027-05-19", "later"),
    ]
    assert [row.deadline for row in rows] == [HANDLING] * 4
    response = office.watch("2027-04-23", kind="hearing_report")
    assert watch_rows(response.content) == []
    assert "Geen open klachten die aan de filters voldoen." in response.content.decode()


def test_closed_and_withdrawn_complaints_are_not_listed(
    office: Office, four: dict[str, Complaint]
) -> None:
    withdrawn, closed = four["2027-04-22"], four["2027-04-23"]
    office.act(withdrawn, "withdrawn", "2027-04-21", reason="De klager trekt de klacht in")
    office.act(closed, "declared_inadmissible", "2027-04-21", ground="geen_vervolg_gewenst")
    office.act(closed, "closed", "2027-04-22")
    assert {Complaint.objects.get(pk=c.pk).state for c in (withdrawn, closed)} == {
        "withdrawn",
        "closed",
    }

    rows = watch_rows(office.watch("2027-04-23").content)
    assert [row.reference for row in rows] == [
        four["2027-04-28"].reference,
        four["2027-04-29"].reference,
    ]
    for state in ("withdrawn", "closed"):
        assert watch_rows(office.watch("2027-04-23", state=state).content) == []


def test_twenty_six_complaints_make_two_pages(office: Office) -> None:
    # One complaint a day from Thu 1 Apr 2027 on working days and weekends alike.
    received = [f"2027-04-{d:02d}" for d in range(1, 27)]
    references = [office.register(day).reference for day in received]

    first = office.watch("2027-04-26")
    second = office.watch("2027-04-26", page=2)
    page_one, page_two = watch_rows(first.content), watch_rows(second.content)
    assert (len(page_one), len(page_two)) == (25, 1)
    assert sorted(r.reference for r in page_one + page_two) == sorted(references)
    dues = [row.due for row in page_one + page_two]
    assert dues == sorted(dues)  # type: ignore[type-var]
    assert "26 open klachten" in first.content.decode()
    assert "Pagina 1 van 2" in first.content.decode()
    assert "Pagina 2 van 2" in second.content.decode()
    links = {a.text(): a.attrs["href"] for a in parse(first.content).find_all("a")}
    assert links["Volgende"] == "?page=2"

    # Filters are kept when paging.
    filtered = office.watch("2027-04-26", state="registered")
    links = {a.text(): a.attrs["href"] for a in parse(filtered.content).find_all("a")}
    assert links["Volgende"] == "?state=registered&page=2"
    # A page number past the end shows the last page.
    assert watch_rows(office.watch("2027-04-26", page=9).content) == page_two


def test_an_htmx_request_gets_only_the_table(office: Office, four: dict[str, Complaint]) -> None:
    office.clock.set("2027-04-23")
    full = office.client.get(WATCH, {"state": "registered"})
    fragment = office.client.get(WATCH, {"state": "registered"}, HTTP_HX_REQUEST="true")

    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "<html" not in text and "<form" not in text and 'id="watch-results"' not in text
    assert text.lstrip().startswith('<div class="table-wrap">')
    assert watch_rows(fragment.content) == watch_rows(full.content)
    assert len(watch_rows(fragment.content)) == 4
    assert 'hx-get="/o/iskander/"' in full.content.decode()
    assert 'hx-target="#watch-results"' in full.content.decode()


def test_the_organisation_switcher_remembers_the_choice(
    office: Office, iskander: Organisation
) -> None:
    smartplus = Organisation.objects.get(slug="smartplus")
    both = UserFactory(
        username="bo",
        memberships=[(iskander, RoleKind.COORDINATOR), (smartplus, RoleKind.MANAGER)],
        email="",
    )
    office.client.force_login(both)
    home = url("home")
    # The first organisation by name: Iskander, where bo coordinates: its dashboard.
    assert office.client.get(home)["Location"] == "/o/iskander/overzicht/"
    assert office.client.get(home, {"organisation": "smartplus"})["Location"] == "/o/smartplus/"
    assert office.client.get("/o/smartplus/").status_code == 200
    assert office.client.get(home)["Location"] == "/o/smartplus/"
    # An organisation one does not belong to is not chosen.
    assert office.client.get(home, {"organisation": "loket3"})["Location"] in (
        "/o/iskander/overzicht/",
        "/o/smartplus/",
    )


def test_a_complaint_closed_by_silence_leaves_the_watch_list(office: Office) -> None:
    complaint = office.register("2027-04-20")
    settle_by_agreement(office, complaint)
    office.act(complaint, "registered_letter_delivered", "2027-05-10")
    assert [r.light for r in watch_rows(office.watch("2027-05-18").content)] == ["soon"]

    # Wed 19 May: closed by the regulation; the worker's closure job stores it as an event.
    carry_out_closures(office.clock.set("2027-05-19"))
    rows = watch_rows(office.watch("2027-05-19").content)
    assert [r.reference for r in rows] == []
    complaint.refresh_from_db()
    assert complaint.state == "closed"


def test_a_reaction_on_the_last_day_entered_the_day_after_stops_the_closure(
    office: Office,
) -> None:
    # Not offered on the page on Wed 19 May (the page shows the complaint as closed by then),
    # but the form accepts the reaction dated Tue 18 May, the last day of the silence term.
    complaint = office.register("2027-04-20")
    settle_by_agreement(office, complaint)
    office.act(complaint, "registered_letter_delivered", "2027-05-10")

    office.clock.set("2027-05-19")
    response = office.client.post(
        action_url(complaint, "reaction_received"),
        {"sequence": 8, "on": "2027-05-18", "note": "Brief van de klager, ontvangen 18 mei"},
    )
    assert response.status_code == 302, problem(response)
    complaint.refresh_from_db()
    assert (complaint.state, complaint.sequence) == ("resolved", 9)
    assert not complaint.events.filter(event="closed").exists()
    rows = watch_rows(office.watch("2027-05-19").content)
    assert [(r.reference, r.state) for r in rows] == [(complaint.reference, "informeel opgelost")]


def test_the_queries_do_not_grow_with_the_complaints_on_the_page(office: Office) -> None:
    # Two complaints with a handler, then six with two different handlers: the rows' handlers,
    # deadlines and calendars are fetched in a fixed number of queries.
    for day in ("2027-04-01", "2027-04-02"):
        complaint = office.register(day)
        office.act(complaint, "handler_assigned", day, handler=office.piet.pk)
    office.watch("2027-04-26")
    with CaptureQueriesContext(connection) as two:
        office.watch("2027-04-26")
    for day, handler in [(f"2027-04-{d:02d}", h) for d, h in ((5, "piet"), (6, "anna"))] * 2:
        complaint = office.register(day)
        office.act(complaint, "handler_assigned", day, handler=getattr(office, handler).pk)
    with CaptureQueriesContext(connection) as six:
        response = office.watch("2027-04-26")
    assert len(watch_rows(response.content)) == 6
    assert len(six) == len(two)
    # Looking at the list again (logged in already) writes nothing: no session save per view.
    with CaptureQueriesContext(connection) as again:
        assert office.client.get(WATCH).status_code == 200
    assert not [q for q in again.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]


def test_the_count_stops_at_the_cap(office: Office) -> None:
    for day in ("2027-04-01", "2027-04-02", "2027-04-05"):
        office.register(day)
    complaints = Complaint.objects.order_by("pk")
    capped = CappedPaginator(complaints, 1, cap=2)
    assert (capped.count, capped.capped, capped.num_pages) == (2, True, 2)
    exact = CappedPaginator(complaints, 1, cap=3)
    assert (exact.count, exact.capped, exact.num_pages) == (3, False, 3)


def _complaints_with_handler(office: Office, count: int) -> None:
    """``count`` complaints, each with Piet or Anna as handler, through the services (fast)."""
    iskander = Organisation.objects.get(slug="iskander")
    for number in range(count):
        day = f"2027-04-{1 + number % 20:02d}"
        office.clock.set(day)
        complaint = register_complaint(iskander, office.klara, complaint_data(day))
        handler = office.piet if number % 2 else office.anna
        record(
            complaint,
            office.klara,
            "handler_assigned",
            day,
            {"handler": handler.get_full_name() or handler.username},
            {"handler": handler.pk},
        )


def _signed_in_with_second_factor(client: Client, user: User) -> None:
    """Logged in and past the second factor, as a coordinator works in production."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.mark.parametrize("who", ["klara", "piet"])
def test_at_most_ten_queries_the_same_at_few_and_many_complaints(
    office: Office, settings: Any, who: str
) -> None:
    # With the second factor required, as in production: Klara (coordinator) has entered her
    # code; Piet (handler) needs none. The memberships are read once per request, however often
    # the page and the second factor's check ask who the user is.
    settings.REQUIRE_TWO_FACTOR = True
    user = getattr(office, who)
    if who == "klara":
        _signed_in_with_second_factor(office.client, user)
    else:
        office.client.force_login(user)
    office.clock.set("2027-04-26")

    def queries(**query: Any) -> int:
        office.client.get(WATCH, query)  # the session as it settles after a login
        with CaptureQueriesContext(connection) as captured:
            response = office.client.get(WATCH, query)
        assert response.status_code == 200
        assert not [q for q in captured if q["sql"].startswith(("UPDATE", "INSERT"))]
        return len(captured)

    _complaints_with_handler(office, 2)
    few = {
        "": queries(),
        "handler": queries(handler=office.piet.pk),
        "kind": queries(kind="acknowledgement"),
    }
    _complaints_with_handler(office, 28)
    assert len(watch_rows(office.client.get(WATCH).content)) == (25 if who == "klara" else 15)
    many = {
        "": queries(),
        "handler": queries(handler=office.piet.pk),
        "kind": queries(kind="acknowledgement"),
    }
    assert many == few
    assert max(many.values()) <= 10, many
