"""Reads of the deadline watch: the open complaints, who gets a morning digest and what is in it,
the deadlines that passed unmet and the directors who hear of them (``services`` writes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F, Max, Q, QuerySet

from klachtenregister.register import access
from klachtenregister.register.models import (
    OPEN_STATES,
    Complaint,
    ComplaintDeadline,
    ComplaintParticipant,
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


@dataclass(frozen=True)
class DigestLine:
    complaint: Complaint
    deadline: ComplaintDeadline
    light: watchlist.Light


def working_day_organisations(today: dt.date) -> list[Organisation]:
    """The organisations for which ``today`` is a working day in the calendar of the regulation
    version in force."""
    result = []
    for item in organisations_with_regulations(today):
        regulation = item.current.regulation
        if regulation is not None and calendar_of(regulation).is_working_day(today):
            result.append(item.organisation)
    return result


def digest_recipients(organisation: Organisation) -> dict[int, tuple[User, bool]]:
    """user id -> (user, is coordinator): the coordinators and the handlers of open complaints."""
    recipients: dict[int, tuple[User, bool]] = {}
    for membership in Membership.objects.filter(
        organisation=organisation, kind=RoleKind.COORDINATOR.value
    ).select_related("user"):
        recipients[membership.user_id] = (membership.user, True)
    for participant in ComplaintParticipant.objects.filter(
        complaint__in=open_complaints().filter(organisation=organisation),
        capacity=ComplaintParticipant.HANDLER,
    ).select_related("user"):
        recipients.setdefault(participant.user_id, (participant.user, False))
    return recipients


def _digest_complaints(
    user: User, organisation: Organisation, coordinator: bool
) -> QuerySet[Complaint]:
    """All open complaints the user may see for a coordinator, the complaints they handle (and
    are not a party to) for a handler."""
    complaints = open_complaints().filter(organisation=organisation)
    if coordinator:
        return complaints.filter(pk__in=access.visible_complaints(user, organisation))
    return complaints.filter(
        participants__user=user, participants__capacity=ComplaintParticipant.HANDLER
    ).exclude(people__user=user)


def digest_lines(
    user: User, organisation: Organisation, coordinator: bool, today: dt.date
) -> list[DigestLine]:
    """The user's running deadlines that are overdue or due within two working days: all open
    complaints the user may see for a coordinator, the complaints they handle for a handler."""
    complaints = _digest_complaints(user, organisation, coordinator)
    # Only what can be overdue or due soon: due by the last "soon" day of any calendar in use
    # (each row's own calendar decides below). Not every running term of the organisation.
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
        return []
    deadlines = (
        ComplaintDeadline.objects.filter(
            complaint__in=complaints, running=True, due__lte=max(soon.values())
        )
        .select_related("complaint", "complaint__organisation")
        .defer("complaint__description", "complaint__search_text")
        .annotate(version_id=F("complaint__regulation_version_id"))
        .order_by("due", "complaint__reference", "position")
    )
    lines = []
    for deadline in deadlines:
        shade = watchlist.light_until(deadline.due, today, soon[deadline.version_id])  # type: ignore[attr-defined]
        if shade in (watchlist.Light.OVERDUE, watchlist.Light.SOON):
            lines.append(DigestLine(deadline.complaint, deadline, shade))
    return lines


@dataclass(frozen=True)
class DigestTodo:
    complaint: Complaint
    todo: ComplaintTodo


def digest_todos(user: User, organisation: Organisation, coordinator: bool) -> list[DigestTodo]:
    """The open to-dos (duties without a term) the user's roles carry out, on the same
    complaints as the digest's deadlines: as the watch list shows them to this user. One query
    for the to-dos and one for the user's part in their complaints."""
    complaints = _digest_complaints(user, organisation, coordinator)
    todos = list(
        ComplaintTodo.objects.filter(complaint__in=complaints, status=ComplaintTodo.OPEN)
        .select_related("complaint", "complaint__organisation", "complaint__regulation_version")
        .defer("complaint__description", "complaint__search_text")
        .order_by("created_on", "complaint__reference", "position")
    )
    if not todos:
        return []
    taking_part: dict[int, set[str]] = {}
    for complaint_id, capacity in ComplaintParticipant.objects.filter(
        user=user, complaint_id__in={todo.complaint_id for todo in todos}
    ).values_list("complaint_id", "capacity"):
        taking_part.setdefault(complaint_id, set()).add(capacity)
    held = access.kinds_in_organisation(user, organisation.pk)
    lines = []
    for todo in todos:
        version = todo.complaint.regulation_version
        regulation = watchlist._regulation_of_version(version.pk, version.content_sha256)
        kinds = set(held) | {
            access.PARTICIPATION_KINDS[capacity]
            for capacity in taking_part.get(todo.complaint_id, ())
        }
        mine = {role.id for role in regulation.roles if role.kind in kinds}
        if mine & set(todo.roles):
            lines.append(DigestTodo(todo.complaint, todo))
    return lines


# --- missed deadlines --------------------------------------------------------------------------


def missed_deadlines(today: dt.date) -> QuerySet[ComplaintDeadline]:
    """Running deadlines of open complaints whose last day has passed; the silence closure is
    not a deadline anyone misses (the regulation closes the complaint when it passes)."""
    return (
        ComplaintDeadline.objects.filter(
            complaint__in=open_complaints(), running=True, due__lt=today
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


def missed_deadline_batches(
    today: dt.date, organisation: Organisation, since: Since | None = None
) -> Iterator[list[ComplaintDeadline]]:
    """The organisation's ``missed_deadlines`` in batches of ``BATCH`` in the same order, each
    with its complaint's people (the access rules), read by keyset: constant memory, one query
    or two per batch. After ``since`` only what it did not see: the terms that ran out from its
    day on (the (running, due) index) and the rows written after it (the primary key)."""
    missed = missed_deadlines(today).filter(complaint__organisation=organisation)
    if since is not None:
        missed = missed.filter(Q(due__gte=since.day) | Q(pk__gt=since.below_id))
    after: tuple[int, int] | None = None
    while True:
        deadlines = missed
        if after is not None:
            deadlines = deadlines.filter(
                Q(complaint_id__gt=after[0]) | Q(complaint_id=after[0], position__gt=after[1])
            )
        batch = list(deadlines.prefetch_related("complaint__people")[:BATCH])
        if not batch:
            return
        yield batch
        after = (batch[-1].complaint_id, batch[-1].position)


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
