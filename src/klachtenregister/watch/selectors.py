"""Reads of the deadline watch: the open complaints, who gets a morning digest and what is in it,
the deadlines that passed unmet and the directors who hear of them (``services`` writes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet

from klachtenregister.register import access
from klachtenregister.register.models import (
    OPEN_STATES,
    Complaint,
    ComplaintDeadline,
    ComplaintParticipant,
    ComplaintPerson,
    ComplaintTodo,
    Membership,
    Organisation,
    RegulationVersion,
)
from klachtenregister.register.selectors import watchlist
from klachtenregister.register.selectors.history import regulation_of_version
from klachtenregister.register.selectors.regulations import organisations_with_regulations
from klachtenregister.regulations.terms import calendar_of
from klachtenregister.regulations.vocabulary import DeadlineKind, RoleKind


def open_complaints() -> QuerySet[Complaint]:
    return Complaint.objects.filter(state__in=OPEN_STATES)


# The jobs work through their complaints in batches of this many: constant memory however many.
BATCH = 500


@lru_cache(maxsize=256)
def _acting_terms(pk: int, content_sha256: str) -> tuple[str, ...]:
    """The terms of a stored version that act by themselves when they run out (``on_expiry``:
    Iskander's closure by silence); read once per process (a version never changes)."""
    regulation = regulation_of_version(RegulationVersion.objects.get(pk=pk))
    return tuple(d.id for d in regulation.deadlines if d.on_expiry is not None)


def expired_acting_terms(today: dt.date) -> QuerySet[ComplaintDeadline]:
    """The running terms of open complaints that act by themselves and have run out by
    ``today`` (the day after the due date): only their complaints have anything for
    ``carry_out_due`` to store. From the (running, due) index, not a scan of open complaints."""
    condition = Q(pk__in=[])
    for pk, sha in RegulationVersion.objects.filter(is_template=False).values_list(
        "pk", "content_sha256"
    ):
        ids = _acting_terms(pk, sha)
        if ids:
            condition |= Q(complaint__regulation_version_id=pk, deadline_id__in=ids)
    return ComplaintDeadline.objects.filter(
        condition, running=True, due__lt=today, complaint__state__in=OPEN_STATES
    )


def complaint_ids_in_batches(deadlines: QuerySet[ComplaintDeadline]) -> Iterator[list[int]]:
    """The complaints of ``deadlines``, by id, in batches of ``BATCH`` (keyset: each batch is
    one indexed query, whatever came before)."""
    last = 0
    while True:
        ids = list(
            deadlines.filter(complaint_id__gt=last)
            .order_by("complaint_id")
            .values_list("complaint_id", flat=True)
            .distinct()[:BATCH]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


# --- the morning digest ------------------------------------------------------------------------
#
# Per organisation a handful of set-based queries, whatever the number of complaints and
# recipients: who gets a digest, who takes part in or is a person of which open complaint, and
# the deadline and to-do rows streamed once in the digest's order (``iterator``: a server-side
# cursor on PostgreSQL), as tuples, not model instances. Each recipient's share is decided per
# row in Python from those sets (``Audience.sees``), as ``access.visible_complaints`` would.

# Rows fetched per round trip while streaming.
STREAM_CHUNK = 2000


def working_day_organisations(today: dt.date) -> list[Organisation]:
    """The organisations for which ``today`` is a working day in the calendar of the regulation
    version in force."""
    result = []
    for item in organisations_with_regulations(today):
        regulation = item.current.regulation
        if regulation is not None and calendar_of(regulation).is_working_day(today):
            result.append(item.organisation)
    return result


def _open_of(organisation: Organisation) -> Q:
    """The rows of the organisation's open complaints (on a model with a ``complaint``)."""
    return Q(complaint__organisation=organisation, complaint__state__in=OPEN_STATES)


@dataclass
class Audience:
    """Who gets the organisation's digest (its coordinators and the handlers of its open
    complaints, with an address and active), which open complaint each of them sees, and in
    which capacities they take part in it (for the to-dos of their roles)."""

    recipients: dict[int, User]
    coordinators: set[int]
    # complaint id -> {user id: capacities} of the recipients taking part in it
    taking_part: dict[int, dict[int, set[str]]]
    # complaint id -> the recipients it is about (a subject, involved: never its handling)
    persons: dict[int, set[int]]
    # user id -> the kinds of role their memberships give them in the organisation
    held: dict[int, frozenset[RoleKind]]

    def sees(self, complaint_id: int) -> list[int]:
        """The recipients whose digest lists this complaint: every coordinator (all open
        complaints they may see) and its handlers, not a person of it."""
        handlers = [
            user_id
            for user_id, capacities in self.taking_part.get(complaint_id, {}).items()
            if ComplaintParticipant.HANDLER in capacities and user_id not in self.coordinators
        ]
        persons = self.persons.get(complaint_id)
        if not persons:
            return [*self.coordinators, *handlers]
        return [u for u in (*self.coordinators, *handlers) if u not in persons]


def digest_audience(organisation: Organisation) -> Audience:
    """The organisation's ``Audience``: five queries, whatever its number of complaints (its
    coordinators, the participants of its open complaints, the handlers' users, the people
    rows of the recipients and their memberships)."""
    users = {
        membership.user_id: membership.user
        for membership in Membership.objects.filter(
            organisation=organisation, kind=RoleKind.COORDINATOR.value
        ).select_related("user")
    }
    coordinators = set(users)
    participants = list(
        ComplaintParticipant.objects.filter(_open_of(organisation)).values_list(
            "complaint_id", "user_id", "capacity"
        )
    )
    handlers = {u for _c, u, capacity in participants if capacity == ComplaintParticipant.HANDLER}
    users.update(User.objects.in_bulk(handlers - coordinators))
    recipients = {pk: user for pk, user in users.items() if user.email and user.is_active}
    taking_part: dict[int, dict[int, set[str]]] = {}
    for complaint_id, user_id, capacity in participants:
        if user_id in recipients:
            taking_part.setdefault(complaint_id, {}).setdefault(user_id, set()).add(capacity)
    del participants
    persons: dict[int, set[int]] = {}
    for complaint_id, user_id in ComplaintPerson.objects.filter(
        _open_of(organisation), user_id__in=recipients
    ).values_list("complaint_id", "user_id"):
        persons.setdefault(complaint_id, set()).add(user_id)
    kinds: dict[int, set[RoleKind]] = {}
    for user_id, kind in Membership.objects.filter(
        organisation=organisation, user_id__in=recipients
    ).values_list("user_id", "kind"):
        kinds.setdefault(user_id, set()).add(RoleKind(kind))
    return Audience(
        recipients,
        coordinators & set(recipients),
        taking_part,
        persons,
        {user_id: frozenset(held) for user_id, held in kinds.items()},
    )


class DigestLine(NamedTuple):
    """A running deadline in the digest: overdue or due within two working days."""

    complaint_id: int
    reference: str
    label: str
    due: dt.date
    light: watchlist.Light


def digest_lines(organisation: Organisation, today: dt.date) -> Iterator[DigestLine]:
    """The running deadlines of the organisation's open complaints that are overdue or due
    within two working days (each row's own calendar), by due date and reference: one query,
    streamed: the open complaints with something due by the last "soon" day of any calendar in
    use (their ``next_due`` index), their running terms from ``register_deadline_running``."""
    versions = dict(
        RegulationVersion.objects.filter(organisation=organisation).values_list(
            "pk", "content_sha256"
        )
    )
    soon = {
        pk: watchlist.soon_until(today, watchlist._calendar_of_version(pk, sha))
        for pk, sha in versions.items()
    }
    if not soon:
        return
    rows = (
        ComplaintDeadline.objects.filter(
            _open_of(organisation),
            # Implied by the row's due date (a complaint's next_due is its first running due
            # date, kept by the projection), but it lets PostgreSQL start from the open
            # complaints' (organisation, next_due) index: only those with something due soon.
            complaint__next_due__lte=max(soon.values()),
            running=True,
            due__lte=max(soon.values()),
        )
        .order_by("due", "complaint__reference", "position")
        .values_list(
            "complaint_id",
            "complaint__reference",
            "complaint__regulation_version_id",
            "label",
            "due",
        )
    )
    for complaint_id, reference, version_id, label, due in rows.iterator(STREAM_CHUNK):
        shade = watchlist.light_until(due, today, soon[version_id])
        if shade in (watchlist.Light.OVERDUE, watchlist.Light.SOON):
            yield DigestLine(complaint_id, reference, label, due, shade)


class DigestTodo(NamedTuple):
    """An open to-do (a duty without a term) in the digest."""

    complaint_id: int
    reference: str
    label: str
    created_on: dt.date
    # The regulation's roles that carry it out, and the version they are of.
    roles: frozenset[str]
    version: tuple[int, str]


def digest_todos(organisation: Organisation) -> Iterator[DigestTodo]:
    """The open to-dos of the organisation's open complaints, oldest first: one query from the
    open to-dos' index, streamed. Whose roles carry each out: ``todo_is_for``."""
    rows = (
        # By the complaint's organisation, not the to-do's own column: PostgreSQL then starts
        # from the open complaints (a register keeps many open to-dos of closed complaints).
        ComplaintTodo.objects.filter(_open_of(organisation), status=ComplaintTodo.OPEN)
        .order_by("created_on", "complaint__reference", "position")
        .values_list(
            "complaint_id",
            "complaint__reference",
            "label",
            "created_on",
            "roles",
            "complaint__regulation_version_id",
            "complaint__regulation_version__content_sha256",
        )
    )
    for complaint_id, reference, label, created_on, roles, version_id, sha in rows.iterator(
        STREAM_CHUNK
    ):
        yield DigestTodo(
            complaint_id, reference, label, created_on, frozenset(roles), (version_id, sha)
        )


@lru_cache(maxsize=1024)
def _role_ids(version: tuple[int, str], kinds: frozenset[RoleKind]) -> frozenset[str]:
    """The ids of the version's roles of these kinds (the version's rules read once)."""
    regulation = watchlist._regulation_of_version(*version)
    return frozenset(role.id for role in regulation.roles if role.kind in kinds)


def todo_is_for(todo: DigestTodo, user_id: int, audience: Audience) -> bool:
    """Whether one of the user's roles carries the to-do out: the kinds their memberships give
    them and those their part in its complaint makes them (as the watch list shows it)."""
    kinds = audience.held.get(user_id, frozenset()) | {
        access.PARTICIPATION_KINDS[capacity]
        for capacity in audience.taking_part.get(todo.complaint_id, {}).get(user_id, ())
    }
    return bool(_role_ids(todo.version, frozenset(kinds)) & todo.roles)


# --- missed deadlines --------------------------------------------------------------------------


def missed_deadlines(today: dt.date) -> QuerySet[ComplaintDeadline]:
    """Running deadlines of open complaints whose last day has passed; the silence closure is
    not a deadline anyone misses (the regulation closes the complaint when it passes)."""
    return (
        ComplaintDeadline.objects.filter(
            complaint__in=open_complaints(),
            # Implied (next_due is the first running due date): the open complaints' index.
            complaint__next_due__lt=today,
            running=True,
            due__lt=today,
        )
        .exclude(kind=DeadlineKind.SILENCE_CLOSURE.value)
        .select_related("complaint", "complaint__organisation")
        .order_by("complaint__pk", "position")
    )


@dataclass(frozen=True)
class Since:
    """What an earlier run of the notices looked at (``watch.models.MissedDeadlineMark``): the
    deadlines that had run out by ``day`` in rows up to ``below_id``."""

    day: dt.date
    below_id: int


class MissedKey(NamedTuple):
    """A missed deadline as far as its notices' keys go."""

    pk: int
    complaint_id: int
    deadline_id: str
    start: dt.date
    position: int


@dataclass(frozen=True)
class MissedBatch:
    deadlines: list[MissedKey]
    # complaint id -> the given users it is about (they do not see its handling)
    persons: dict[int, set[int]]


def missed_deadline_batches(
    today: dt.date, organisation: Organisation, users: list[int], since: Since | None = None
) -> Iterator[MissedBatch]:
    """The organisation's ``missed_deadlines`` as keys, in batches of ``BATCH`` in the same
    order, each with which of ``users`` (its directors) its complaints are about: one query,
    streamed (a server-side cursor on PostgreSQL: constant memory, and not the open complaints
    read again per batch as a keyset would), and one light query per batch; no model instances
    (most missed deadlines were told before: only those that were not are read whole,
    ``missed_rows``). After ``since`` only what it did not see: the terms that ran out from its
    day on and the rows written after it (the primary key)."""
    missed = missed_deadlines(today).filter(complaint__organisation=organisation)
    if since is not None:
        missed = missed.filter(Q(due__gte=since.day) | Q(pk__gt=since.below_id))
    rows = missed.values_list("pk", "complaint_id", "deadline_id", "start", "position")
    batch: list[MissedKey] = []
    for row in rows.iterator(STREAM_CHUNK):
        batch.append(MissedKey(*row))
        if len(batch) == BATCH:
            yield _with_persons(batch, users)
            batch = []
    if batch:
        yield _with_persons(batch, users)


def _with_persons(batch: list[MissedKey], users: list[int]) -> MissedBatch:
    persons: dict[int, set[int]] = {}
    for complaint_id, user_id in ComplaintPerson.objects.filter(
        complaint_id__in={key.complaint_id for key in batch}, user_id__in=users
    ).values_list("complaint_id", "user_id"):
        persons.setdefault(complaint_id, set()).add(user_id)
    return MissedBatch(batch, persons)


def missed_rows(pks: set[int]) -> dict[int, ComplaintDeadline]:
    """The deadline rows by id, with their complaints and organisation (a row replaced by a
    newer event since it was read is not among them: its successor is new to the next run)."""
    return ComplaintDeadline.objects.select_related("complaint", "complaint__organisation").in_bulk(
        pks
    )


def last_deadline_id() -> int:
    """The highest deadline row id, read once every transaction that writes deadline rows has
    finished: every row with a lower id is then committed (or never will be), so a later run
    that looks only above it misses none. PostgreSQL hands out ids before the commit, so a
    plain ``max(id)`` could pass over a row still being written; the SHARE lock waits for
    those writers (and holds new ones back for the length of one index lookup). SQLite has one
    writer at a time: what it reads is committed."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {ComplaintDeadline._meta.db_table} IN SHARE MODE")
        last = ComplaintDeadline.objects.aggregate(last=Max("pk"))["last"]
    return last or 0


def directors(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's director memberships, with their users."""
    return Membership.objects.filter(
        organisation=organisation, kind=RoleKind.DIRECTOR.value
    ).select_related("user")
