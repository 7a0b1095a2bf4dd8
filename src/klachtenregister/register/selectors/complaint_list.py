"""All complaints of an organisation a user may see: search, filters, order, and the export.

The search looks in ``Complaint.search_text`` (written by the projection, normalised with
``register.search.normalise``): every word of the query must occur in it. On PostgreSQL the
``LIKE '%word%'`` this makes is answered from a trigram index (migration 0003); SQLite scans the
column. A query that looks like a reference (``ISK-2026-7``) matches the reference instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connections
from django.db.models import Exists, F, Func, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from klachtenregister.lifecycle.deadlines import DeadlineStatus
from klachtenregister.lifecycle.states import STATE_LABELS
from klachtenregister.register import access, search
from klachtenregister.register.models import (
    Complaint,
    ComplaintDeadline,
    ComplaintParticipant,
    Organisation,
    person_name,
)
from klachtenregister.register.models.complaints import CHANNEL_CHOICES, STATE_CHOICES
from klachtenregister.register.selectors.regulations import stored_regulation
from klachtenregister.regulations.labels import DEADLINE_KIND_LABELS, OUTCOME_LABELS
from klachtenregister.regulations.vocabulary import EVENT_OUTCOMES, Channel, Event, RoleKind

DECISION_OUTCOMES = sorted(EVENT_OUTCOMES[Event.DECISION_MADE])
MISSED_ANY = "any"
# The columns the list may be sorted by, each to its fields (``-column`` descending; an
# empty next due date last either way).
SORTS: dict[str, tuple[str, ...]] = {
    "reference": ("year", "number"),
    "received_on": ("received_on", "year", "number"),
    "state": ("state", "year", "number"),
    "complainant_name": ("complainant_name", "year", "number"),
    "next_due": ("next_due", "year", "number"),
}
DEFAULT_SORT = "-received_on"
# Who sees the complainant's name and e-mail address in an export.
PERSONAL_DATA_KINDS = frozenset({RoleKind.COORDINATOR, RoleKind.DIRECTOR})
FIRST_YEAR, LAST_YEAR = 1900, 2999
# The full-text configuration of the search, and the shortest word also matched by a near
# spelling (trigram word similarity): shorter words would match too much.
DUTCH = "dutch"
TYPO_MIN_LENGTH = 4
# The filter choices taken from the complaints themselves, each to its column.
FACETS = {"category": "category", "commissioning_party": "commissioning_party"}
ASCII_NUMBER = re.compile(r"[0-9]{1,9}")
YES_NO = {"1": True, "0": False}


@dataclass(frozen=True)
class ComplaintQuery:
    """A search of the list, as the URL carries it; ``problems`` are the parameters ignored."""

    q: str = ""
    state: str = ""
    year: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    handler: int | None = None
    category: str = ""
    channel: str = ""
    outcome: str = ""
    commissioning_party: str = ""
    missed: str = ""
    escalated: bool | None = None
    reopened: bool | None = None
    sort: str = DEFAULT_SORT
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ComplaintQuery:
        """Read a query string; never raises: a value that does not read is left out and named
        in ``problems``."""
        problems: list[str] = []

        def text(name: str, limit: int = 200) -> str:
            value = params.get(name, "")
            return value.strip()[:limit] if isinstance(value, str) else ""

        def choice(name: str, allowed: Any) -> str:
            value = text(name)
            if value and value not in allowed:
                problems.append(_("Onbekende waarde voor %(name)s genegeerd.") % {"name": name})
                return ""
            return value

        def number(name: str, low: int = 1, high: int = 999_999_999) -> int | None:
            value = text(name)
            if not value:
                return None
            if ASCII_NUMBER.fullmatch(value) and low <= int(value) <= high:
                return int(value)
            problems.append(_("Geen geldig getal voor %(name)s genegeerd.") % {"name": name})
            return None

        def date(name: str) -> dt.date | None:
            value = text(name)
            if not value:
                return None
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                day = None
            if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
                problems.append(
                    _("Geen geldige datum (JJJJ-MM-DD) voor %(name)s genegeerd.") % {"name": name}
                )
                return None
            return day

        def yes_no(name: str) -> bool | None:
            value = choice(name, YES_NO)
            return YES_NO[value] if value else None

        sort = text("sort") or DEFAULT_SORT
        if sort.removeprefix("-") not in SORTS:
            problems.append(_("Onbekende sortering genegeerd."))
            sort = DEFAULT_SORT
        return cls(
            q=text("q"),
            state=choice("state", {state.value for state in STATE_LABELS}),
            year=number("year", FIRST_YEAR, LAST_YEAR),
            received_from=date("received_from"),
            received_to=date("received_to"),
            handler=number("handler"),
            category=text("category"),
            channel=choice("channel", {channel.value for channel in Channel}),
            outcome=choice("outcome", DECISION_OUTCOMES),
            commissioning_party=text("commissioning_party"),
            missed=choice("missed", {MISSED_ANY, *(kind.value for kind in DEADLINE_KIND_LABELS)}),
            escalated=yes_no("escalated"),
            reopened=yes_no("reopened"),
            sort=sort,
            problems=tuple(problems),
        )

    def params(self) -> dict[str, str]:
        """The query string of this search (what the page links keep), without empty values."""
        values: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "problems" or value is None or value == "":
                continue
            if item.name == "sort" and value == DEFAULT_SORT:
                continue
            if isinstance(value, bool):
                value = "1" if value else "0"
            values[item.name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return values

    def sorted_by(self, column: str) -> ComplaintQuery:
        """The same search sorted by ``column``; ascending first, descending when it already is
        sorted ascending by it."""
        return replace(self, sort=f"-{column}" if self.sort == column else column)


def search_complaints(
    user: access.AnyUser, organisation: Organisation, query: ComplaintQuery
) -> QuerySet[Complaint]:
    """The complaints the user may see that match the query, in its order, with what the rows
    show (handlers, the next running deadline) fetched in a fixed number of queries."""
    complaints = access.visible_complaints(user, organisation)
    complaints = _matching(complaints, query.q)
    if query.state:
        complaints = complaints.filter(state=query.state)
    if query.year:
        complaints = complaints.filter(received_on__year=query.year)
    if query.received_from:
        complaints = complaints.filter(received_on__gte=query.received_from)
    if query.received_to:
        complaints = complaints.filter(received_on__lte=query.received_to)
    if query.handler:
        complaints = complaints.filter(
            Exists(
                ComplaintParticipant.objects.filter(
                    complaint=OuterRef("pk"),
                    user_id=query.handler,
                    capacity=ComplaintParticipant.HANDLER,
                )
            )
        )
    for name in ("category", "channel", "outcome", "commissioning_party"):
        if getattr(query, name):
            complaints = complaints.filter(**{name: getattr(query, name)})
    if query.missed:
        missed = ComplaintDeadline.objects.filter(
            complaint=OuterRef("pk"), status=DeadlineStatus.MISSED.value
        )
        if query.missed != MISSED_ANY:
            missed = missed.filter(kind=query.missed)
        complaints = complaints.filter(Exists(missed))
    if query.escalated is not None:
        complaints = complaints.filter(escalated=query.escalated)
    if query.reopened is not None:
        complaints = complaints.filter(reopened=query.reopened)
    descending = query.sort.startswith("-")
    order = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in SORTS[query.sort.removeprefix("-")]
    ]
    return (
        # The rows need neither the regulation's text nor the search column: both are large.
        complaints.defer("search_text", "description")
        .order_by(*order)
        .prefetch_related(
            Prefetch(
                "participants",
                ComplaintParticipant.objects.filter(capacity=ComplaintParticipant.HANDLER)
                .select_related("user")
                .order_by("pk"),
                to_attr="handler_participants",
            ),
            Prefetch(
                "deadlines",
                ComplaintDeadline.objects.filter(running=True).order_by("due", "position"),
                to_attr="running_deadlines",
            ),
        )
    )


def _matching(complaints: QuerySet[Complaint], q: str) -> QuerySet[Complaint]:
    reference = search.reference_query(q)
    if reference is not None:
        prefix, code_year, number = reference
        match = Q(reference__istartswith=prefix)
        if number is not None:
            match |= Q(reference__istartswith=code_year, number=number)
        return complaints.filter(match)
    words = search.words(q)
    if not words:  # no search: nothing to ask first
        return complaints
    if connections[complaints.db].vendor != "postgresql":
        for word in words:
            complaints = complaints.filter(search_text__contains=word)
        return complaints
    # Every word as written first, from the trigram index (migration 0003). Only when that finds
    # nothing is each word also matched by its Dutch word form ("klachten" finds "klacht", from
    # the full-text index of migration 0005) and, when long enough, by a near spelling ("Idrisi"
    # finds "El Idrissi", pg_trgm word similarity): both cost several times the plain search at a
    # million complaints, and a result with the word itself needs no guessing.
    exact = complaints
    for word in words:
        exact = exact.filter(search_text__contains=word)
    if exact.exists():
        return exact
    complaints = complaints.alias(document=DutchDocument(F("search_text")))
    for word in words:
        match = Q(search_text__contains=word) | Q(
            document=SearchQuery(word, config=DUTCH, search_type="plain")
        )
        if len(word) >= TYPO_MIN_LENGTH:
            match |= Q(search_text__trigram_word_similar=word)
        complaints = complaints.filter(match)
    return complaints


class DutchDocument(Func):
    """``to_tsvector('dutch', search_text)``, written exactly as the index of migration 0005 is,
    so PostgreSQL uses it (``SearchVector`` would add a COALESCE the index does not have)."""

    function = "to_tsvector"
    template = "%(function)s('dutch'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def handler_names(complaint: Complaint) -> list[str]:
    """The complaint's handlers, from ``search_complaints``' prefetch."""
    participants = getattr(complaint, "handler_participants", None)
    if participants is None:
        participants = complaint.participants.filter(
            capacity=ComplaintParticipant.HANDLER
        ).select_related("user")
    return [person_name(p.user) for p in participants]


def next_deadline(complaint: Complaint) -> ComplaintDeadline | None:
    """The running deadline due first, from ``search_complaints``' prefetch."""
    running = getattr(complaint, "running_deadlines", None)
    if running is None:
        running = list(complaint.deadlines.filter(running=True).order_by("due", "position"))
    return running[0] if running else None


def category_labels(organisation: Organisation) -> dict[str, str]:
    """Per category id of the organisation's regulation versions, its label (a later version's
    label wins): a complaint stores the id of the category chosen at registration."""
    labels: dict[str, str] = {}
    for version in organisation.regulation_versions.order_by("effective_from", "loaded_at"):
        regulation = stored_regulation(version).regulation
        if regulation is not None:
            labels.update((c.id, c.label) for c in regulation.definitions.categories)
    return labels


def choices(
    organisation: Organisation, labels: Mapping[str, str]
) -> dict[str, list[tuple[str, str]]]:
    """The categories and commissioning parties used in the organisation's complaints, as
    (value, label) pairs in the order of their labels."""
    used = _used_values(organisation)
    return {
        name: sorted(
            ((value, labels.get(value, value)) for value in used[name] if value),
            key=lambda pair: pair[1].casefold(),
        )
        for name in FACETS
    }


def _used_values(organisation: Organisation) -> dict[str, list[str]]:
    """The distinct values of each facet column in the organisation's complaints, in one query.

    A plain DISTINCT reads every complaint of the organisation (170 ms at a million). PostgreSQL
    15 has no skip scan, so on it the values are walked through the (organisation, column)
    index one jump at a time (a "loose index scan" as a recursive query): as many index probes as
    there are distinct values. The column names come from ``FACETS``, never from input.
    """
    complaints = Complaint.objects.filter(organisation=organisation)
    if connections[complaints.db].vendor != "postgresql":
        # order_by(): the model's ordering would add year and number to the DISTINCT.
        return {
            name: list(complaints.values_list(name, flat=True).order_by().distinct())
            for name in FACETS
        }
    table = Complaint._meta.db_table
    walks = []
    selects = []
    for number, column in enumerate(FACETS.values()):
        walks.append(
            f"used{number}(value) AS ("
            f" (SELECT {column} FROM {table} WHERE organisation_id = %s ORDER BY {column} LIMIT 1)"
            f" UNION ALL"
            f" SELECT (SELECT {column} FROM {table}"
            f" WHERE organisation_id = %s AND {column} > used{number}.value"
            f" ORDER BY {column} LIMIT 1)"
            f" FROM used{number} WHERE used{number}.value IS NOT NULL)"
        )
        selects.append(f"SELECT {number}, value FROM used{number} WHERE value IS NOT NULL")
    sql = f"WITH RECURSIVE {', '.join(walks)} {' UNION ALL '.join(selects)}"
    names = list(FACETS)
    used: dict[str, list[str]] = {name: [] for name in names}
    with connections[complaints.db].cursor() as cursor:
        cursor.execute(sql, [organisation.pk] * (2 * len(names)))
        for number, value in cursor.fetchall():
            used[names[number]].append(value)
    return used


def sees_personal_data(user: access.AnyUser, organisation: Organisation) -> bool:
    return bool(access.kinds_in(user, organisation) & PERSONAL_DATA_KINDS)


@dataclass(frozen=True)
class Term:
    deadline_id: str
    label: str


@dataclass(frozen=True)
class ExportTable:
    """The export of a search: headings and, lazily, one row per complaint."""

    headings: list[str]
    rows: Iterator[list[object]]


def export_table(
    user: access.AnyUser, organisation: Organisation, query: ComplaintQuery
) -> ExportTable:
    """Every complaint of the search (all pages) as rows of plain values (str, date, int, None):
    the register's columns, the complainant's name and e-mail address only for coordinators and
    directors, each term of the result (due date, met date) and the throughput in working days.
    """
    complaints = search_complaints(user, organisation, query)
    personal = sees_personal_data(user, organisation)
    terms = [
        Term(row["deadline_id"], row["name"])
        for row in ComplaintDeadline.objects.filter(
            complaint__in=complaints.order_by().values("pk")
        )
        .values("deadline_id")
        .annotate(first=Min("position"), name=Max("label"))
        .order_by("first", "deadline_id")
    ]
    headings = [_("Klachtnummer"), _("Ontvangen op")]
    if personal:
        headings += [_("Naam klager"), _("E-mailadres klager")]
    headings += [
        _("Stand"),
        _("Afgesloten op"),
        _("Behandelaar"),
        _("Categorie"),
        _("Kanaal"),
        _("Uitkomst"),
        _("Opdrachtgever"),
    ]
    for term in terms:
        headings += [
            _("%(term)s uiterlijk") % {"term": term.label},
            _("%(term)s gehaald op") % {"term": term.label},
        ]
    headings.append(_("Doorlooptijd in werkdagen"))
    rows = _export_rows(complaints, terms, personal, category_labels(organisation))
    return ExportTable(headings, rows)


EXPORT_CHUNK = 2000
EXPORT_COLUMNS = (
    "pk",
    "reference",
    "received_on",
    "anonymous",
    "complainant_name",
    "complainant_email",
    "state",
    "closed_on",
    "category",
    "channel",
    "outcome",
    "commissioning_party",
    "throughput_working_days",
)


def _export_rows(
    complaints: QuerySet[Complaint], terms: list[Term], personal: bool, categories: dict[str, str]
) -> Iterator[list[object]]:
    # Plain values, a chunk of complaints at a time with their handlers and terms in one query
    # each: model instances for every complaint, deadline and handler were most of a
    # 10,000-row export (docs/performance.md), and the memory stays that of one chunk.
    # Labels looked up once: get_FIELD_display hashes the lazily translated choices per call.
    states = {value: str(label) for value, label in STATE_CHOICES}
    channels = {value: str(label) for value, label in CHANNEL_CHOICES}
    outcomes = {value: _(label) for value, label in OUTCOME_LABELS.items()}
    chunk: list[dict[str, Any]] = []
    rows = complaints.prefetch_related(None).values(*EXPORT_COLUMNS)
    for values in rows.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(values)
        if len(chunk) == EXPORT_CHUNK:
            yield from _export_chunk(chunk, terms, personal, states, channels, outcomes, categories)
            chunk = []
    if chunk:
        yield from _export_chunk(chunk, terms, personal, states, channels, outcomes, categories)


def _export_chunk(
    chunk: list[dict[str, Any]],
    terms: list[Term],
    personal: bool,
    states: dict[str, str],
    channels: dict[str, str],
    outcomes: dict[Any, str],
    categories: dict[str, str],
) -> Iterator[list[object]]:
    pks = [values["pk"] for values in chunk]
    handlers: dict[int, list[str]] = {}
    for participant in (
        ComplaintParticipant.objects.filter(
            complaint_id__in=pks, capacity=ComplaintParticipant.HANDLER
        )
        .select_related("user")
        .only("complaint_id", "user__first_name", "user__last_name", "user__username")
        .order_by("pk")
    ):
        handlers.setdefault(participant.complaint_id, []).append(person_name(participant.user))
    due_and_met: dict[int, dict[str, tuple[object, object]]] = {}
    # In position order, so the last row of a term counts (a term runs again after a reopening).
    for complaint_id, deadline_id, due, met_on in (
        ComplaintDeadline.objects.filter(complaint_id__in=pks)
        .order_by("complaint_id", "position")
        .values_list("complaint_id", "deadline_id", "due", "met_on")
    ):
        due_and_met.setdefault(complaint_id, {})[deadline_id] = (due, met_on)
    for values in chunk:
        pk = values["pk"]
        row: list[object] = [values["reference"], values["received_on"]]
        if personal:
            name = "" if values["anonymous"] else values["complainant_name"]
            row += [name, values["complainant_email"]]
        outcome = values["outcome"]
        row += [
            states.get(values["state"], values["state"]),
            values["closed_on"],
            ", ".join(handlers.get(pk, [])),
            categories.get(values["category"], values["category"]),
            channels.get(values["channel"], values["channel"]),
            outcomes.get(outcome, outcome) if outcome else "",
            values["commissioning_party"],
        ]
        deadlines = due_and_met.get(pk, {})
        for term in terms:
            row += deadlines.get(term.deadline_id, (None, None))
        # Stored by the projection: receipt to closing or withdrawal, on the complaint's calendar.
        row.append(values["throughput_working_days"])
        yield row
