"""The lifecycle stories of every seed, driven through the back office's pages (docs/backoffice.md).

Each story of tests/lifecycle/test_story_*.py is entered as people would: the complaint is
registered with the registration form and every later event is posted to the action form the
complaint page offers, with the clock set to the event's day. The deadline table the page shows,
the stored deadline rows and the state must then be what the engine derives from the same events
(``deadline_table(replay(...).snapshot)``, computed here); for Iskander also the story file's own
hand-counted tables.

Users: per organisation one member holding every kind of role (the web picks the acting role
from the kinds, so the roles it records may differ from the story's: same kind of person, first
matching role of the regulation) and one member per person the story names (handler, committee
members, subjects, involved), so the forms can choose them by user.

Registration records 'received' and, when the user's roles may, 'registered' on the clock's day.
Where the story registers right after receipt, the clock is set to that day and the story's
'registered' is not posted again. Where it registers later (IN FOCUS Samen: the committee is
appointed first and registers), the form is posted by a member holding only the kinds that may
record 'received' and none that may record 'registered', so the log keeps the story's order.

The Awb chapter 9 story is not driven: awb-h9 is a template regulation without an organisation,
and complaints are registered per organisation (see the last test).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.lifecycle import ComplaintFacts, EventRecord, State
from klachtenregister.lifecycle.events import SYSTEM_ACTOR
from klachtenregister.lifecycle.rules import roles_for
from klachtenregister.lifecycle.states import STATE_LABELS
from klachtenregister.register.models import (
    Complaint,
    ComplaintParticipant,
    Organisation,
    RegulationVersion,
)
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.regulations.labels import own_label
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import Event, RoleKind
from tests.factories import Staff, UserFactory
from tests.lifecycle import test_story_infocus_samen as infocus_story
from tests.lifecycle import test_story_integratiewerk as integratiewerk_story
from tests.lifecycle import test_story_iskander as iskander_story
from tests.lifecycle import test_story_loket3 as loket3_story
from tests.lifecycle import test_story_smartplus as smartplus_story
from tests.support.clock_and_race import Clock
from tests.support.stories import StoryRunner, deadline_table
from tests.support.webflows import (
    Row,
    action_fields,
    action_forms,
    action_url,
    complaint_url,
    letter_data,
    overview,
    page_deadlines,
    page_state,
    parse,
    problem,
    registration_fields,
    stored_deadlines,
    stored_log,
    url,
)


def index_of(events: list[EventRecord], event: str) -> int:
    return next(i for i, item in enumerate(events) if item.event == event)


@dataclass(frozen=True)
class Story:
    slug: str
    regulation: Regulation
    events: list[EventRecord]
    facts: ComplaintFacts
    # After the event at this index, look at the complaint page on these days (None: the day of
    # that event), as the story file does.
    checkpoints: dict[int, tuple[str | None, ...]] = field(default_factory=dict)

    def run(self, count: int, as_of: str | None = None) -> Any:
        return StoryRunner(self.regulation, self.facts)(self.events[:count], as_of)

    def names(self) -> list[str]:
        """Everyone the story names who must be a user: handlers, members, subjects, involved."""
        names = [*sorted(self.facts.subjects), *sorted(self.facts.involved)]
        for item in self.events:
            details: Any = item.details
            if item.event is Event.HANDLER_ASSIGNED:
                names.append(details.handler)
            elif item.event is Event.COMMITTEE_APPOINTED:
                names.extend(details.members)
        return list(dict.fromkeys(names))


ISK = iskander_story
NO_AGREEMENT = ISK.NO_AGREEMENT_STORY
AGREEMENT = ISK.AGREEMENT_STORY
IW = integratiewerk_story
IFS = infocus_story
L3 = loket3_story
SP = smartplus_story

STORIES = {
    "iskander-without-agreement": Story(
        "iskander",
        ISK.ISKANDER,
        NO_AGREEMENT,
        ISK.FACTS,
        {
            index_of(NO_AGREEMENT, "consultation_confirmation_sent"): ("2027-05-04",),
            index_of(NO_AGREEMENT, "decision_sent"): (None,),
        },
    ),
    "iskander-agreement-and-silence": Story(
        "iskander",
        ISK.ISKANDER,
        AGREEMENT,
        ISK.FACTS,
        {len(AGREEMENT) - 1: ("2027-05-18", "2027-05-19")},
    ),
    "integratiewerk": Story(
        "integratiewerk",
        IW.INTEGRATIEWERK,
        IW.STORY,
        IW.FACTS,
        {
            index_of(IW.STORY, "consultation_held"): (None,),
            index_of(IW.STORY, "extended"): ("2027-06-02",),
        },
    ),
    "infocus-samen-accepted": Story(
        "infocus-samen",
        IFS.INFOCUS,
        IFS.ACCEPTED_STORY,
        IFS.UWV_CLIENT,
        {index_of(IFS.ACCEPTED_STORY, "extended"): ("2027-06-01", "2027-06-02")},
    ),
    "infocus-samen-inadmissible": Story(
        "infocus-samen",
        IFS.INFOCUS,
        IFS.INADMISSIBLE_STORY,
        IFS.OTHER_CLIENT,
        {
            index_of(IFS.INADMISSIBLE_STORY, "acknowledged"): ("2027-04-29",),
            index_of(IFS.INADMISSIBLE_STORY, "declared_inadmissible"): (
                "2027-05-10",
                "2027-05-11",
            ),
        },
    ),
    "loket3-oral-2027": Story(
        "loket3",
        L3.REG,
        L3.CLOSED_2027,
        L3.FACTS,
        {len(L3.INTAKE_2027) - 1: (None,), len(L3.HANDLED_2027) - 1: (None,)},
    ),
    "loket3-late-2028": Story(
        "loket3",
        L3.REG,
        L3.LATE_2028,
        L3.FACTS,
        {len(L3.BEFORE_DUE_2028) - 1: ("2028-05-18", "2028-05-19")},
    ),
    "smartplus-answered-late": Story(
        "smartplus",
        SP.REG,
        SP.ANSWERED_LATE,
        SP.FACTS,
        {len(SP.BEFORE_OWN_TERM) - 1: (None, "2027-05-17", "2027-05-18", "2027-05-19")},
    ),
    "smartplus-not-taken": Story(
        "smartplus",
        SP.REG,
        SP.NOT_TAKEN,
        SP.FACTS,
        {len(SP.INTAKE_OLD) - 1: (None,), index_of(SP.NOT_TAKEN, "declared_inadmissible"): (None,)},
    ),
}


# --- the driver ---------------------------------------------------------------------------------


@dataclass
class WebStory:
    """One story being entered through the pages by the organisation's people."""

    story: Story
    client: Client
    clock: Clock
    organisation: Organisation
    staff: User
    registrar: User
    users: dict[str, User]
    complaint: Complaint | None = None

    def drive(self) -> Iterator[int]:
        """Enter the story; yields the index of the last event entered after each step."""
        events = self.story.events
        received = events[0]
        registers_now = len(events) > 1 and events[1].event is Event.REGISTERED
        start = 2 if registers_now else 1
        self.clock.set(events[start - 1].on)
        self.client.force_login(self.registrar)
        details: Any = received.details
        response = self.client.post(
            url("register", self.organisation.slug),
            registration_fields(
                received.on,
                channel=details.channel.value,
                facts_date=details.facts_date or "",
                anonymous=details.anonymous,
                subjects=sorted(self.story.facts.subjects),
                involved=sorted(self.story.facts.involved),
                uwv_client=self.story.facts.uwv_client,
            ),
        )
        assert response.status_code == 302, problem(response)
        self.complaint = Complaint.objects.get(organisation=self.organisation)
        assert response["Location"] == complaint_url(self.complaint)
        assert [(row.event, row.on) for row in stored_log(self.complaint)] == [
            (item.event.value, item.on) for item in events[:start]
        ]
        yield start - 1

        self.client.force_login(self.staff)
        for index in range(start, len(events)):
            self.post(events[index])
            yield index

    def post(self, item: EventRecord) -> None:
        """Post the event with the form the complaint page offers on its day."""
        assert self.complaint is not None
        self.clock.set(item.on)
        page = self.client.get(complaint_url(self.complaint))
        assert page.status_code == 200
        forms = action_forms(page.content)
        assert item.event.value in forms, (
            f"{item.on} {item.event}: the page offers only {sorted(forms)}"
        )
        form = forms[item.event.value]
        before = Complaint.objects.get(pk=self.complaint.pk).sequence
        assert form.value("sequence") == str(before)
        data = {
            **letter_data(form),
            "sequence": form.value("sequence"),
            "on": item.on.isoformat(),
            **action_fields(item, self.users),
        }
        for name in ("handler", "members"):
            if name in data:
                offered = {value for value, _label in form.choices(name)}
                chosen = data[name] if isinstance(data[name], list) else [data[name]]
                assert {str(pk) for pk in chosen} <= offered
        response = self.client.post(form.action, data)
        assert response.status_code == 302, f"{item.on} {item.event}: {problem(response)}"
        assert response["Location"] == complaint_url(self.complaint)
        self.complaint.refresh_from_db()
        assert self.complaint.sequence == before + 1

    def look(self, count: int, as_of: str | None = None) -> bytes:
        """The complaint page on ``as_of`` (default: the day of the last event entered) must show
        what the engine derives from the story's first ``count`` events; the stored deadlines
        and state must be the engine's as of the last event. Returns the page."""
        assert self.complaint is not None
        events = self.story.events[:count]
        self.clock.set(as_of or events[-1].on)
        response = self.client.get(complaint_url(self.complaint))
        assert response.status_code == 200
        seen = self.story.run(count, as_of)
        assert deadline_table(seen), "a story page with no deadline proves nothing"
        assert page_deadlines(response.content) == deadline_table(seen)
        assert page_state(response.content) == STATE_LABELS[seen.state]

        stored = self.story.run(count)
        self.complaint.refresh_from_db()
        assert stored_deadlines(self.complaint) == deadline_table(stored)
        assert self.complaint.state == stored.state.value
        return response.content

    def check_log(self, count: int) -> None:
        """The stored log holds the story's events with their details (and the users behind
        the names), each recorded by someone of a role that may record it."""
        assert self.complaint is not None
        rows = stored_log(self.complaint)
        events = self.story.events[:count]
        assert [(row.event, row.on) for row in rows] == [(e.event.value, e.on) for e in events]
        for row, item in zip(rows, events, strict=True):
            expected = item.details.model_dump(mode="json", exclude_none=True, exclude={"role"})
            assert {key: row.payload.get(key) for key in expected} == expected, row.event
            allowed = [role.id for role in roles_for(self.story.regulation, item.event)]
            assert row.role in allowed
            details: Any = item.details
            if item.event is Event.HANDLER_ASSIGNED:
                assert row.people == {"handler": self.users[details.handler].pk}
            if item.event is Event.COMMITTEE_APPOINTED:
                assert row.people == {"members": [self.users[m].pk for m in details.members]}


def kinds_of_roles(regulation: Regulation, event: Event) -> set[RoleKind]:
    return {role.kind for role in roles_for(regulation, event)}


@pytest.fixture
def web_story(
    client: Client,
    clock: Clock,
    organisation: Any,
    staff: Staff,
) -> Any:
    def build(story: Story) -> WebStory:
        org = organisation(story.slug)
        everyone = staff(org, email="")
        registers_later = len(story.events) < 2 or story.events[1].event is not Event.REGISTERED
        registrar = everyone
        if registers_later:
            kinds = kinds_of_roles(story.regulation, Event.RECEIVED) - kinds_of_roles(
                story.regulation, Event.REGISTERED
            )
            assert kinds, "no kind of member may receive without registering"
            registrar = UserFactory(
                username=f"intake-{org.slug}",
                memberships=[(org, kind) for kind in sorted(kinds)],
                email="",
            )
        users = {
            name: UserFactory(username=name, memberships=[(org, RoleKind.EMPLOYEE)], email="")
            for name in story.names()
        }
        return WebStory(story, client, clock, org, everyone, registrar, users)

    return build


# --- every story --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(STORIES))
def test_story_through_the_web_shows_the_engines_deadlines(name: str, web_story: Any) -> None:
    story = STORIES[name]
    web = web_story(story)
    looked = 0
    for index in web.drive():
        for as_of in story.checkpoints.get(index, ()):
            web.look(index + 1, as_of)
            looked += 1
    assert looked == sum(len(days) for days in story.checkpoints.values())

    count = len(story.events)
    web.check_log(count)
    page = web.look(count)
    final = story.run(count)
    # Nothing happened by itself in these stories while they were entered.
    assert SYSTEM_ACTOR not in {row.role for row in stored_log(web.complaint)}
    assert [entry["pending"] for entry in overview(page)] == [False] * count
    if final.state is State.CLOSED:
        assert web.complaint.next_due is None
    # Who takes part follows the last assignment (handler or committee) in the log.
    participants = set(web.complaint.participants.values_list("user__username", "capacity"))
    expected = set()
    for item in story.events:
        details: Any = item.details
        if item.event is Event.HANDLER_ASSIGNED:
            expected = {p for p in expected if p[1] != ComplaintParticipant.HANDLER}
            expected.add((details.handler, ComplaintParticipant.HANDLER))
        if item.event is Event.COMMITTEE_APPOINTED:
            expected = {p for p in expected if p[1] != ComplaintParticipant.COMMITTEE}
            expected |= {(m, ComplaintParticipant.COMMITTEE) for m in details.members}
    assert participants == expected


# --- Iskander: the story file's own tables ------------------------------------------------------

# tests/lifecycle/test_story_iskander.py, test_story_without_agreement_halfway_after_the_
# confirmation and test_story_without_agreement_from_intake_to_closure, counted by hand there.
NO_AGREEMENT_HALFWAY: list[Row] = [
    ("ontvangstbevestiging", "2027-04-19", "2027-04-26", "met", "2027-04-21"),
    ("afhandeling", "2027-04-19", "2027-05-18", "open", None),
    ("bevestiging_overleg", "2027-04-29", "2027-05-11", "met", "2027-05-03"),
    ("vervolginformatie", "2027-04-29", "2027-05-11", "open", None),
]
NO_AGREEMENT_CLOSED: list[Row] = [
    ("ontvangstbevestiging", "2027-04-19", "2027-04-26", "met", "2027-04-21"),
    ("afhandeling", "2027-04-19", "2027-05-18", "met", "2027-05-18"),
    ("bevestiging_overleg", "2027-04-29", "2027-05-11", "met", "2027-05-03"),
    ("vervolginformatie", "2027-04-29", "2027-05-11", "met", "2027-05-11"),
    ("verslag_bijeenkomst", "2027-05-12", "2027-05-20", "met", "2027-05-18"),
]


def test_iskander_without_agreement_shows_the_hand_counted_tables(web_story: Any) -> None:
    web = web_story(STORIES["iskander-without-agreement"])
    halfway = index_of(NO_AGREEMENT, "consultation_confirmation_sent")
    for index in web.drive():
        if index == halfway:
            page = web.look(index + 1, "2027-05-04")
            assert page_deadlines(page) == NO_AGREEMENT_HALFWAY
            assert page_state(page) == "in behandeling"
    page = web.look(len(NO_AGREEMENT))
    assert page_deadlines(page) == NO_AGREEMENT_CLOSED
    assert stored_deadlines(web.complaint) == NO_AGREEMENT_CLOSED
    assert page_state(page) == "afgesloten"


def test_iskander_closure_by_silence_is_shown_pending_then_recorded_by_the_next_write(
    web_story: Any,
) -> None:
    web = web_story(STORIES["iskander-agreement-and-silence"])
    for _index in web.drive():
        pass
    count = len(AGREEMENT)

    # The last day of the silence term: nothing is due yet.
    page = web.look(count, "2027-05-18")
    assert page_deadlines(page) == [
        *ISK.AGREEMENT_DEADLINES_BEFORE_SILENCE,
        ("afronding_zonder_reactie", "2027-05-10", "2027-05-18", "open", None),
    ]
    assert page_state(page) == "informeel opgelost"
    assert not any(entry["pending"] for entry in overview(page))
    assert "reaction_received" in action_forms(page)

    # The day after: the page shows the closure the regulation brings about, not yet in the log.
    page = web.look(count, "2027-05-19")
    assert page_deadlines(page) == [
        *ISK.AGREEMENT_DEADLINES_BEFORE_SILENCE,
        ("afronding_zonder_reactie", "2027-05-10", "2027-05-18", "missed", None),
    ]
    assert page_state(page) == "afgesloten"
    entries = overview(page)
    assert [e["pending"] for e in entries] == [False] * count + [True]
    pending = entries[-1]
    assert (pending["on"], pending["sequence"]) == ("2027-05-19", "")
    assert "nog vast te leggen" in pending["recorded"]
    assert "het systeem" in pending["actor"]
    forms = action_forms(page)
    assert {"note_added", "reopened"} <= set(forms)
    # What was allowed before the closure may still be entered, dated on or before 18 May.
    assert "reaction_received" in forms
    assert forms["reaction_received"].value("on") == "2027-05-18"
    assert "tot en met dinsdag 18 mei 2027" in page.decode()
    web.complaint.refresh_from_db()
    assert (web.complaint.state, web.complaint.sequence) == ("resolved", count)

    # The next write records the system's closure first, then the event.
    web.clock.set("2027-05-24")
    page = web.client.get(complaint_url(web.complaint)).content
    # Iskander names no escalation route (the external party is engaged by Iskander itself,
    # Stroomschema rij 2 en 5); a telephone call after the closure is still noted.
    form = action_forms(page)["note_added"]
    assert form.value("sequence") == str(count)
    response = web.client.post(
        form.action,
        {"sequence": count, "on": "2027-05-24", "kind": "telephone", "text": "Melder belde"},
    )
    assert response.status_code == 302, problem(response)

    rows = stored_log(web.complaint)
    assert len(rows) == count + 2
    closed, noted = rows[-2:]
    assert (closed.sequence, closed.event, closed.on, closed.role) == (
        count + 1,
        "closed",
        dt.date(2027, 5, 19),
        SYSTEM_ACTOR,
    )
    assert closed.actor is None
    assert closed.payload == {"reason": "naar tevredenheid afgerond"}
    assert (noted.event, noted.on, noted.actor) == (
        "note_added",
        dt.date(2027, 5, 24),
        web.staff,
    )
    with_note = [
        *AGREEMENT,
        iskander_story.record(
            "2027-05-24",
            "note_added",
            kind="telephone",
            text="Melder belde",
            role="klachtenfunctionaris",
        ),
    ]
    engine = StoryRunner(ISK.ISKANDER, ISK.FACTS)(with_note)
    web.complaint.refresh_from_db()
    assert stored_deadlines(web.complaint) == deadline_table(engine)
    assert web.complaint.state == "closed"
    page = web.client.get(complaint_url(web.complaint)).content
    assert page_deadlines(page) == deadline_table(engine)
    assert not any(entry["pending"] for entry in overview(page))
    assert [entry["sequence"] for entry in overview(page)][-2:] == [str(count + 1), str(count + 2)]


# --- entered a few days later -------------------------------------------------------------------


def test_an_extension_agreed_before_the_due_date_may_be_entered_after_it(web_story: Any) -> None:
    story = STORIES["integratiewerk"]
    web = web_story(story)
    extended = index_of(story.events, "extended")
    for index in web.drive():
        if index == extended - 1:
            break
    item = story.events[extended]  # Mon 31 May, the day before the advice term's due date
    assert lifecycle_of(web.complaint).refusal(item) is None  # the engine takes it

    web.clock.set("2027-06-02")
    response = web.client.post(
        action_url(web.complaint, "extended"),
        {
            "sequence": web.complaint.sequence,
            "on": item.on.isoformat(),
            **action_fields(item, web.users),
        },
    )
    assert response.status_code == 302, problem(response)
    web.check_log(extended + 1)
    web.look(extended + 1, "2027-06-02")


# --- SmartPLUS: the suggested ground ----------------------------------------------------------


def test_the_suggested_ground_is_shown_and_preselected(web_story: Any) -> None:
    # Conduct on Sun 3 May 2026, received Tue 4 May 2027: more than a year (Punt 8, grond 2).
    web = web_story(STORIES["smartplus-not-taken"])
    for index in web.drive():
        if index == len(SP.INTAKE_OLD) - 1:
            break
    page = web.client.get(complaint_url(web.complaint)).content
    ground = next(g for g in SP.REG.admissibility.grounds if g.id == "ouder_dan_een_jaar")
    note = parse(page).find(attrs={"role": "note"})
    assert note is not None and own_label(ground, "nl") in note.text()
    select = action_forms(page)["declared_inadmissible"].node.find("select", {"name": "ground"})
    assert select is not None
    chosen = [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs]
    assert chosen == ["ouder_dan_een_jaar"]


# --- Awb chapter 9 ------------------------------------------------------------------------------


def test_the_awb_template_has_no_organisation_to_register_under(
    client: Client, staff: Staff, organisation: Any
) -> None:
    # Why the awb-h9 story is not driven through the web: it is a template, loaded without an
    # organisation; complaints are registered per organisation.
    template = RegulationVersion.objects.get(regulation_id="awb-h9")
    assert template.organisation is None
    client.force_login(staff(organisation("iskander"), email=""))
    response = client.get(url("register", "awb-h9"))
    assert response.status_code == 404
