"""Helpers for the HTTP tests of the back office (``from tests.support.webflows import ...``).

- ``PASSWORD``: the password of a user who logs in through the login page.
- ``parse`` and the page readers: a small DOM over the standard library's HTML parser, and what
  the tests read from the pages (the deadline table, the state, the action forms, the watch list).
- ``register`` / ``act``: POST the registration form and an action form as a browser would.
- ``action_fields``: the form fields that enter an engine ``EventRecord`` through the web.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from klachtenregister.calendars.units import DurationUnit
from klachtenregister.lifecycle import EventRecord
from klachtenregister.lifecycle.deadlines import DEADLINE_STATUS_LABELS
from klachtenregister.register import clock
from klachtenregister.register.models import Complaint, ComplaintDeadline, ComplaintEvent
from klachtenregister.register.personal import with_personal_data
from klachtenregister.regulations.vocabulary import Event
from tests.support.clock_and_race import day

PASSWORD = "geheim-wachtwoord-1"

# One deadline as the stories show it: (id, start, due, status, met_on), dates in ISO form.
Row = tuple[str, str, str, str, str | None]


# --- a small DOM --------------------------------------------------------------------------------

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, attrs: dict[str, Any] | None = None) -> list[Node]:
        """Descendants (and self) by tag and attributes: a value must be equal, ``True`` means
        present; the key ``class`` matches one class among several."""
        wanted = attrs or {}
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if all(_attr_matches(node, key, value) for key, value in wanted.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, attrs: dict[str, Any] | None = None) -> Node | None:
        found = self.find_all(tag, attrs)
        return found[0] if found else None

    def elements(self) -> list[Node]:
        return [child for child in self.children if isinstance(child, Node)]

    def text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return " ".join(" ".join(parts).split())

    def own_text(self) -> str:
        """The text directly inside this element, not in its child elements."""
        return " ".join(" ".join(c for c in self.children if isinstance(c, str)).split())


def _attr_matches(node: Node, key: str, value: Any) -> bool:
    if key not in node.attrs:
        return False
    if value is True:
        return True
    if key == "class":
        return value in node.attrs[key].split()
    return node.attrs[key] == value


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {key: value if value is not None else "" for key, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {key: value if value is not None else "" for key, value in attrs})
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str | bytes) -> Node:
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root


# --- reading the complaint page -----------------------------------------------------------------

STATUS_BY_LABEL = {label: status.value for status, label in DEADLINE_STATUS_LABELS.items()}
_DMY = re.compile(r"(\d{2})-(\d{2})-(\d{4})")


def _iso_from_dmy(text: str) -> str | None:
    match = _DMY.search(text)
    return f"{match[3]}-{match[2]}-{match[1]}" if match else None


def page_deadlines(html: str | bytes) -> list[Row]:
    """The complaint page's deadline table (Dutch page) as story rows."""
    rows = []
    for tr in parse(html).find_all("tr", {"data-deadline": True}):
        _label, start, due, status, met_on, _source = tr.elements()
        time = due.find("time")
        assert time is not None, f"no <time> in the due cell of {tr.attrs['data-deadline']}"
        rows.append(
            (
                tr.attrs["data-deadline"],
                _iso_from_dmy(start.text()) or "",
                time.attrs["datetime"],
                STATUS_BY_LABEL[status.own_text()],
                _iso_from_dmy(met_on.text()),
            )
        )
    return rows


def page_lights(html: str | bytes) -> dict[str, str | None]:
    """Per deadline on the complaint page: its traffic light text, if it has one."""
    lights: dict[str, str | None] = {}
    for tr in parse(html).find_all("tr", {"data-deadline": True}):
        span = tr.find("span", {"class": "light"})
        lights[tr.attrs["data-deadline"]] = span.text() if span else None
    return lights


def page_state(html: str | bytes) -> str:
    node = parse(html).find(attrs={"id": "complaint-state"})
    assert node is not None, "the complaint page shows no state"
    return node.text()


def page_error(html: str | bytes) -> str | None:
    node = parse(html).find(attrs={"id": "action-error"})
    return node.text() if node else None


@dataclass(frozen=True)
class FormView:
    """An action form as the page offers it."""

    action: str
    node: Node

    def value(self, name: str) -> str | None:
        node = self.node.find("input", {"name": name})
        return node.attrs.get("value") if node else None

    def choices(self, name: str) -> list[tuple[str, str]]:
        """(value, label) of a select's options or of a group of checkboxes/radios."""
        select = self.node.find("select", {"name": name})
        if select is not None:
            return [(o.attrs.get("value", ""), o.text()) for o in select.find_all("option")]
        choices = []
        for label in self.node.find_all("label"):
            box = label.find("input", {"name": name})
            if box is not None:
                choices.append((box.attrs.get("value", ""), label.text()))
        return choices

    def field_names(self) -> set[str]:
        return {
            node.attrs["name"]
            for node in self.node.iter()
            if node.tag in ("input", "select", "textarea") and "name" in node.attrs
        }


def action_forms(html: str | bytes) -> dict[str, FormView]:
    """The actions the complaint page offers this user, by event."""
    forms = {}
    for details in parse(html).find_all("details", {"class": "action"}):
        event = details.attrs["id"].removeprefix("action-")
        form = details.find("form")
        assert form is not None
        forms[event] = FormView(form.attrs["action"], form)
    return forms


def overview(html: str | bytes) -> list[dict[str, str]]:
    """The chronological overview's rows: sequence, date, label, actor, recorded (or pending)."""
    page = parse(html)
    assert page.find("h2", {"id": "overview"}) is not None
    # The overview is the table whose first column is the sequence number, headed '#'.
    table = next(t for t in page.find_all("table") if t.find("th").text() == "#")  # type: ignore[union-attr]
    body = table.find("tbody")
    assert body is not None
    rows = []
    for tr in body.elements():
        cells = tr.elements()
        rows.append(
            {
                "sequence": cells[0].text(),
                "on": _iso_from_dmy(cells[1].text()) or "",
                "label": cells[2].text(),
                "actor": cells[3].text(),
                "recorded": cells[5].text(),
                "pending": "pending" in tr.attrs.get("class", "").split(),
            }
        )
    return rows


# --- reading the watch list ---------------------------------------------------------------------


@dataclass(frozen=True)
class WatchRow:
    reference: str
    state: str
    handlers: str
    deadline: str
    due: str | None
    light: str | None  # overdue / soon / later, from the class
    light_text: str


def watch_rows(html: str | bytes) -> list[WatchRow]:
    page = parse(html)
    rows = []
    for tr in page.find_all("tr"):
        cells = tr.elements()
        link = cells[0].find("a") if cells and cells[0].tag == "th" else None
        if link is None or len(cells) != 7:
            continue
        time = cells[5].find("time")
        span = cells[6].find("span", {"class": "light"})
        light = None
        if span is not None:
            light = next(
                c.removeprefix("light-")
                for c in span.attrs["class"].split()
                if c.startswith("light-")
            )
        rows.append(
            WatchRow(
                reference=link.text(),
                state=cells[2].text(),
                handlers=cells[3].text(),
                deadline=cells[4].text(),
                due=time.attrs["datetime"] if time else None,
                light=light,
                light_text=span.text() if span else "",
            )
        )
    return rows


# --- posting ------------------------------------------------------------------------------------


def url(name: str, *args: Any, language: str = "nl") -> str:
    """The page's address in the language (Dutch by default). ``reverse`` alone follows the
    language of the last request, which the test client leaves active."""
    with translation.override(language):
        return reverse(name, args=args)


def complaint_url(complaint: Complaint, language: str = "nl") -> str:
    return url("complaint", complaint.organisation.slug, complaint.reference, language=language)


def action_url(complaint: Complaint, event: str, language: str = "nl") -> str:
    slug, reference = complaint.organisation.slug, complaint.reference
    return url("complaint_action", slug, reference, event, language=language)


def registration_fields(received_on: str | dt.date, **fields: Any) -> dict[str, Any]:
    """The registration form of a written complaint with a named complainant; ``fields``
    override (``subjects`` and ``involved`` may be lists of names)."""
    data: dict[str, Any] = {
        "received_on": day(received_on).isoformat(),
        "channel": "written",
        "complainant_name": "Mevrouw De Vries",
        "complainant_language": "nl",
        "description": "De re-integratiespecialist kwam twee afspraken niet na.",
        "subjects": "",
        "involved": "",
    }
    for key, value in fields.items():
        if key in ("subjects", "involved") and not isinstance(value, str):
            value = "\n".join(value)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, bool):
            if not value:
                continue
            value = "on"
        data[key] = value
    return data


def register(client: Client, slug: str, received_on: str | dt.date, **fields: Any) -> Complaint:
    """POST the registration form; it must succeed (302 to the new complaint's page). It posts
    ``confirmed`` as "Toch registreren" does, so the warnings before saving (a date long ago, the
    same complainant twice; tests/backoffice/test_registration_warnings.py) do not stop it."""
    data = registration_fields(received_on, **{"confirmed": "1", **fields})
    response = client.post(url("register", slug), data)
    assert response.status_code == 302, _problem(response)
    reference = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    complaint = Complaint.objects.get(reference=reference)
    assert response["Location"] == complaint_url(complaint)
    return complaint


def act(
    client: Client,
    complaint: Complaint,
    event: str,
    on: str | dt.date,
    *,
    sequence: int | None = None,
    language: str = "nl",
    **fields: Any,
) -> Any:
    """POST an action form as a person fills it in; ``sequence`` defaults to the complaint's
    current one. The letters part is taken as the page offers it (texts the register filled in,
    the first way of sending), with every text it left empty written by "the person"."""
    if sequence is None:
        sequence = Complaint.objects.get(pk=complaint.pk).sequence
    data = {
        **letter_fields(client, complaint, event, language),
        "sequence": sequence,
        "on": day(on).isoformat(),
        **fields,
    }
    return client.post(action_url(complaint, event, language), data)


def letter_fields(
    client: Client, complaint: Complaint, event: str, language: str = "nl"
) -> dict[str, str]:
    """The letters part of an action form as offered on the page, empty texts written."""
    page = client.get(complaint_url(complaint, language))
    form = action_forms(page.content).get(event)
    return {} if form is None else letter_data(form)


def letter_data(form: FormView) -> dict[str, str]:
    """The letters part of a parsed action form, as a person leaves it: the offered texts, the
    first way of sending, and a text of their own wherever the register left one empty."""
    data: dict[str, str] = {}
    for node in form.node.iter():
        name = node.attrs.get("name", "")
        if not name.startswith("letter-"):
            continue
        if node.tag == "textarea" or (node.tag == "input" and node.attrs.get("type") == "text"):
            offered = node.text() if node.tag == "textarea" else node.attrs.get("value", "")
            if name.rsplit("__", 1)[-1].startswith("track"):
                data[name] = offered or ""
            else:
                data[name] = offered or f"Tekst van de behandelaar ({name})"
        elif node.tag == "select":
            chosen = node.find("option", {"selected": True}) or node.find("option")
            data[name] = chosen.attrs.get("value", "") if chosen else ""
        elif node.tag == "input" and node.attrs.get("type") == "date":
            data[name] = node.attrs.get("value", "") or clock.today().isoformat()
    return data


def _problem(response: Any) -> str:
    """What went wrong on a page that should have redirected: its error texts."""
    if response.status_code in (301, 302):
        return f"{response.status_code} to {response['Location']}"
    page = parse(response.content)
    errors = [n.text() for n in page.find_all(attrs={"class": "errorlist"})]
    errors += [n.text() for n in page.find_all(attrs={"role": "alert"})]
    return f"{response.status_code}: {errors}"


def problem(response: Any) -> str:
    return _problem(response)


# --- an engine event as the web enters it -------------------------------------------------------

UNIT_FIELD = {
    DurationUnit.WORKING_DAYS: "working_days",
    DurationUnit.DAYS: "days",
    DurationUnit.WEEKS: "weeks",
    DurationUnit.MONTHS: "months",
}
# DecisionForm requires a motivation; the stories leave it out.
MOTIVATION = "Gemotiveerd oordeel; zie de brief aan de klager."


def action_fields(item: EventRecord, users: dict[str, User]) -> dict[str, Any]:
    """The action form's fields (besides sequence and on) for the story's event; people are
    chosen by user pk from ``users`` (by the name the story uses)."""
    d: Any = item.details
    data: dict[str, Any] = {}
    if d.note:
        data["note"] = d.note
    event = item.event
    if event is Event.DECLARED_INADMISSIBLE:
        data.update(ground=d.ground or "", reason=d.reason or "")
    elif event is Event.HANDLER_ASSIGNED:
        data["handler"] = users[d.handler].pk
    elif event is Event.COMMITTEE_APPOINTED:
        data["members"] = [users[name].pk for name in d.members]
    elif event is Event.EXTERNAL_PARTY_ENGAGED:
        data["party"] = d.party or ""
    elif event is Event.CONSULTATION_HELD:
        data["outcome"] = d.outcome
    elif event is Event.HEARING_HELD:
        data["heard"] = "\n".join(d.heard)
    elif event is Event.EXTENDED:
        assert d.deadline, "the web extends a deadline named by its id"
        data.update(
            deadline=d.deadline,
            amount=d.by.amount,
            unit=UNIT_FIELD[d.by.unit],
            reason=d.reason,
        )
        if d.consent:
            data["consent"] = "on"
    elif event is Event.DECISION_MADE:
        data.update(outcome=d.outcome, motivation=d.motivation or MOTIVATION)
    elif event is Event.MEASURES_RECORDED:
        data.update(type=d.type, description=d.description or "")
    elif event is Event.ESCALATED:
        data["to"] = d.to
    elif event in (Event.WITHDRAWN, Event.CLOSED, Event.REOPENED):
        data["reason"] = d.reason or ""
    return data


# --- what is stored -----------------------------------------------------------------------------


def stored_deadlines(complaint: Complaint) -> list[Row]:
    return [
        (
            d.deadline_id,
            d.start.isoformat(),
            d.due.isoformat(),
            d.status,
            d.met_on.isoformat() if d.met_on else None,
        )
        for d in ComplaintDeadline.objects.filter(complaint=complaint).order_by("position")
    ]


def stored_log(complaint: Complaint) -> list[ComplaintEvent]:
    """The log as the register reads it: each row with its personal data (kept apart from the
    row, register.personal) put back."""
    rows = list(ComplaintEvent.objects.filter(complaint=complaint).order_by("sequence"))
    return list(with_personal_data(rows))
