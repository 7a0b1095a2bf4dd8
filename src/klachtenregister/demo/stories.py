"""The demo's complaints, read from the organisations' files and dated for today.

Each demo complaint is a ``klachten simulate`` scenario (lifecycle/scenario.py): the same
``subjects``, ``involved``, ``uwv_client`` and ``events``, with the same event names and details,
read by the same parser. The demo adds only what it needs to enter the complaint in the back
office the way a person would:

- what the registration form asks besides the facts: ``complainant`` (``name``, ``email``,
  ``phone``, ``address``, ``language``), ``representative`` (``name``, ``capacity``),
  ``description``, ``category``, ``commissioning_party``;
- dates relative to the day the demo is loaded (``dates.py``), e.g.
  ``{on: received + 2 working days, event: acknowledged}``;
- a demo user's username wherever a person is named (``handler: isk-handler``): the event gets
  the user's name; ``handler`` and ``members`` also the user behind it, as the back office's
  action forms link them; a subject or involved person named so is that user, who then cannot
  open the complaint;
- ``actor``: the demo user who records the event; without it, whoever may (``loading.py``).
  The first event is ``received``: the registration, by its ``actor`` or the coordinator, which
  also records ``registered`` that day where that user's role may.

The letters each event sends are the regulation's for that event (``correspondence``), with the
texts of ``demo.yaml`` where the register has nothing to fill in.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from klachtenregister.demo.datafiles import ComplaintEntry, DemoFileError, OrganisationData
from klachtenregister.demo.dates import DateError, Dates, SoFar
from klachtenregister.lifecycle import Snapshot, replay
from klachtenregister.lifecycle.events import EventRecord, ReceivedDetails
from klachtenregister.lifecycle.scenario import Scenario, ScenarioError, scenario_from_document
from klachtenregister.register.services import ComplaintData
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import Event
from klachtenregister.yamlio import Location, Problem, YamlDocument

# The details the back office's action forms fill from a choice of users, and those it takes
# as names only (who was heard may be someone outside the organisation).
LINKED_PEOPLE = ("handler", "members")
NAMED_PEOPLE = ("heard",)
# A real name has a capital or a space; this is a username that names no demo user (a typo, or a
# kind of role the organisation's regulation does not have).
_USERNAME = re.compile(r"[a-z0-9]+-[a-z0-9_]+")

Person = tuple[str, str | None]  # (name, the demo user's username or None)


@dataclass(frozen=True)
class DemoEvent:
    """An event as the demo enters it after registration."""

    record: EventRecord
    details: dict[str, object]  # as an action form passes them: names, not users
    people: dict[str, str | list[str]]  # detail -> the usernames behind its names
    actor: str | None


@dataclass(frozen=True)
class Story:
    """One demo complaint, dated for the day the demo is loaded."""

    registrar: str
    data: ComplaintData  # without subjects and involved: they may be users, see below
    subjects: tuple[Person, ...]
    involved: tuple[Person, ...]
    events: tuple[DemoEvent, ...]
    scenario: Scenario  # the same complaint as `klachten simulate` replays it
    manager: Person | None = None  # the manager concerned: a name, maybe a demo user


@dataclass(frozen=True)
class _Entered:
    """An event of a demo complaint as written, its dates resolved and its people named."""

    event: str
    on: dt.date
    details: dict[str, object]  # still to be read by the scenario parser
    people: dict[str, str | list[str]]
    actor: str | None


def _registration(entry: ComplaintEntry, on: dt.date, received: ReceivedDetails) -> ComplaintData:
    """What the registration form would pass for the complaint (its people aside)."""
    complainant, representative = entry.complainant, entry.representative
    return ComplaintData(
        received_on=on,
        channel=received.channel.value,
        description=entry.description,
        anonymous=received.anonymous,
        facts_date=received.facts_date,
        complainant_name=complainant.name,
        complainant_email=complainant.email,
        complainant_phone=complainant.phone,
        complainant_address=complainant.address,
        complainant_language=complainant.language,
        representative_name=representative.name if representative else "",
        representative_capacity=representative.capacity if representative else "",
        category=entry.category,
        commissioning_party=entry.commissioning_party,
        uwv_client=entry.uwv_client,
    )


@dataclass
class _Reader:
    """Reads the complaints of one organisation's file; collects every problem it finds."""

    organisation: OrganisationData
    regulation: Regulation
    names: Mapping[str, str]  # username -> full name of every demo user
    dates: Dates
    problems: list[Problem] = field(default_factory=list)

    def problem(self, location: Location, message: str) -> None:
        document = self.organisation.document
        self.problems.append(Problem(document.path, location, document.line_of(location), message))

    def _lookup(self, value: object) -> Person:
        if not isinstance(value, str):
            return (str(value), None)  # the scenario parser names the problem
        if value in self.names:
            return (self.names[value], value)
        return (value, None)

    def person(self, value: object, location: Location) -> Person:
        found = self._lookup(value)
        if isinstance(value, str) and found[1] is None and _USERNAME.fullmatch(value):
            prefix = f"{self.organisation.file.code.lower()}-"
            own = ", ".join(name for name in self.names if name.startswith(prefix))
            self.problem(location, f"unknown demo user {value!r}; this organisation has: {own}")
        return found

    def named(self, value: object, location: Location) -> tuple[object, str | list[str] | None]:
        """``value`` (a person or a list of them) by name, and the usernames behind the names."""
        if isinstance(value, list):
            persons = [self.person(item, (*location, i)) for i, item in enumerate(value)]
            users = [username for _, username in persons if username is not None]
            return [name for name, _ in persons], users or None
        return self.person(value, location)

    def story(self, index: int, entry: ComplaintEntry) -> Story | None:
        where: Location = ("complaints", index)
        problems_before = len(self.problems)
        entered: list[_Entered] = []
        for number, item in enumerate(entry.events):
            so_far = self.so_far(where, entry, tuple(entered))
            one = self.event((*where, "events", number), item, entered, so_far)
            if one is None:
                return None  # the dates after it may count from it
            entered.append(one)
        subjects = [self.person(v, (*where, "subjects", i)) for i, v in enumerate(entry.subjects)]
        involved = [self.person(v, (*where, "involved", i)) for i, v in enumerate(entry.involved)]
        manager = self.person(entry.manager, (*where, "manager")) if entry.manager else None
        if len(self.problems) > problems_before:
            return None
        scenario = self.scenario(where, entry, [one.details for one in entered], subjects, involved)
        if scenario is None:
            return None
        received = scenario.events[0]
        assert isinstance(received.details, ReceivedDetails)  # the first event was checked
        if received.details.note is not None:
            self.problem((*where, "events", 0, "note"), "the registration keeps no note")
            return None
        events = tuple(
            DemoEvent(
                record,
                {key: value for key, value in one.details.items() if key not in ("on", "event")},
                one.people,
                one.actor,
            )
            for record, one in zip(scenario.events[1:], entered[1:], strict=True)
        )
        registrar = entered[0].actor or f"{self.organisation.file.code.lower()}-coordinator"
        data = _registration(entry, received.on, received.details)
        return Story(registrar, data, tuple(subjects), tuple(involved), events, scenario, manager)

    def so_far(self, where: Location, entry: ComplaintEntry, before: tuple[_Entered, ...]) -> SoFar:
        """The complaint as the engine has it after the events ``before``, replayed once and
        only when a date asks for it. An event the engine refuses ends the replay there: the
        register refuses it when the demo is loaded."""

        @functools.cache
        def snapshot() -> Snapshot | None:
            if not before:
                return None
            subjects = [self._lookup(value) for value in entry.subjects]
            involved = [self._lookup(value) for value in entry.involved]
            events = [one.details for one in before]
            scenario = self.scenario(where, entry, events, subjects, involved)
            if scenario is None:  # its problems are reported
                raise DateError("the events before this one cannot be replayed")
            return replay(self.regulation, scenario.events, scenario.facts).snapshot

        return snapshot

    def event(
        self, at: Location, item: dict[str, object], before: list[_Entered], so_far: SoFar
    ) -> _Entered | None:
        """The event with its dates resolved and demo users named; None where a date is wrong."""
        details = dict(item)
        event = str(details.get("event"))
        actor = details.pop("actor", None)
        if not before and event != Event.RECEIVED.value:
            self.problem((*at, "event"), "a demo complaint starts with 'received'")
            return None
        if "on" not in details:
            self.problem((*at, "on"), "required field is missing")
            return None
        if "role" in details:
            self.problem((*at, "role"), "the role follows from the actor's memberships")
        if actor is not None and (not isinstance(actor, str) or actor not in self.names):
            self.problem((*at, "actor"), f"unknown demo user {actor!r}")
        if event == Event.EXTENDED.value and "deadline" in details:
            terms = [deadline.id for deadline in self.regulation.deadlines]
            if details["deadline"] not in terms:
                self.problem(
                    (*at, "deadline"),
                    f"unknown term; the regulation's terms are: {', '.join(terms)}",
                )
        received = before[0].on if before else None
        key = "on"
        try:
            on = self.dates.resolve(details[key], event, received, so_far)
            details[key] = on
            if "facts_date" in details:
                key = "facts_date"  # of the receipt: counted from its own date
                details[key] = self.dates.resolve(details[key], event, received or on, so_far)
        except DateError as exc:
            self.problem((*at, key), str(exc))
            return None
        linked: dict[str, str | list[str]] = {}
        for key in (*LINKED_PEOPLE, *NAMED_PEOPLE):
            if key in details:
                details[key], users = self.named(details[key], (*at, key))
                if key in LINKED_PEOPLE and users is not None:
                    linked[key] = users
        return _Entered(event, on, details, linked, actor if isinstance(actor, str) else None)

    def scenario(
        self,
        where: Location,
        entry: ComplaintEntry,
        events: list[dict[str, object]],
        subjects: list[Person],
        involved: list[Person],
    ) -> Scenario | None:
        """The complaint as a scenario, read by the scenario files' own parser."""
        document = self.organisation.document
        lines = {
            location[len(where) :]: line
            for location, line in document.lines.items()
            if location[: len(where)] == where
        }
        data = {
            "subjects": [name for name, _ in subjects],
            "involved": [name for name, _ in involved],
            "uwv_client": entry.uwv_client,
            "events": events,
        }
        try:
            return scenario_from_document(YamlDocument(document.path, data, lines))
        except ScenarioError as exc:
            self.problems.extend(
                Problem(p.path, (*where, *p.location), p.line, p.message) for p in exc.problems
            )
            return None


def stories_of(
    organisation: OrganisationData,
    regulation: Regulation,
    names: Mapping[str, str],
    today: dt.date,
) -> list[Story]:
    """The organisation's demo complaints as of ``today``; ``names`` maps every demo user's
    username to their full name. Refused whole, with every problem, like a scenario file."""
    reader = _Reader(organisation, regulation, names, Dates(today, regulation))
    stories = [reader.story(i, entry) for i, entry in enumerate(organisation.file.complaints)]
    if reader.problems:
        raise DemoFileError(reader.problems)
    return [story for story in stories if story is not None]
