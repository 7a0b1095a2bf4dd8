"""The watch list (termijnbewaking): open complaints by their next running deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from klachtenregister.calendars import WorkingDayCalendar
from klachtenregister.register import access
from klachtenregister.register.models import (
    OPEN_STATES,
    Complaint,
    ComplaintDeadline,
    ComplaintParticipant,
    ComplaintTodo,
    Organisation,
    RegulationVersion,
    person_name,
)
from klachtenregister.register.selectors.history import regulation_of, regulation_of_version
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.terms import calendar_of

# "Due soon": within this many working days from today.
SOON_WORKING_DAYS = 2


class Light(StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


LIGHT_LABELS = {
    Light.OVERDUE: _("verlopen"),
    Light.SOON: _("binnen 2 werkdagen"),
    Light.LATER: _("later"),
}


def calendar_for(complaint: Complaint) -> WorkingDayCalendar:
    """The working-day calendar of the complaint's regulation version (built once per process)."""
    return calendar_of(regulation_of(complaint))


@lru_cache(maxsize=256)
def _regulation_of_version(pk: int, content_sha256: str) -> Regulation:
    """A stored version's rules, read once per process: a version's text never changes (its
    hash is part of the key all the same), and it is 13-21 KB of YAML to fetch and parse."""
    return regulation_of_version(RegulationVersion.objects.get(pk=pk))


def _calendar_of_version(pk: int, content_sha256: str) -> WorkingDayCalendar:
    return calendar_of(_regulation_of_version(pk, content_sha256))


def light(due: dt.date, today: dt.date, calendar: WorkingDayCalendar) -> Light:
    return light_until(due, today, soon_until(today, calendar))


def soon_until(today: dt.date, calendar: WorkingDayCalendar) -> dt.date:
    """The last day that is "due soon" seen from today."""
    return calendar.add_working_days(today, SOON_WORKING_DAYS)


def light_until(due: dt.date, today: dt.date, soon: dt.date) -> Light:
    if due < today:
        return Light.OVERDUE
    if due <= soon:
        return Light.SOON
    return Light.LATER


@dataclass(frozen=True)
class Filters:
    state: str = ""
    handler: int | None = None
    kind: str = ""


@dataclass(frozen=True)
class WatchRow:
    complaint: Complaint
    deadline: ComplaintDeadline | None
    light: Light | None
    handlers: list[str]
    # The open to-dos (duties without a term) the viewing user's roles carry out: its own light,
    # "te doen", beside the deadline's.
    todos: list[ComplaintTodo] = field(default_factory=list)

    @property
    def light_label(self) -> str:
        return str(LIGHT_LABELS[self.light]) if self.light else ""


def open_complaints(
    user: access.AnyUser, organisation: Organisation, filters: Filters
) -> QuerySet[Complaint]:
    """The user's open complaints, with ``watch_due`` (the next running due date of the chosen
    kind), soonest first; complaints with no running deadline last.

    Without a kind the order is the stored ``next_due`` (the projection keeps it: the first
    running due date), which the partial index ``register_complaint_open_due`` serves, so the
    first page is read from the index rather than by grouping every open complaint. Filters are
    conditions (``EXISTS``), not joins: no DISTINCT is needed.
    """
    complaints = access.visible_complaints(user, organisation).filter(state__in=OPEN_STATES)
    if filters.state:
        complaints = complaints.filter(state=filters.state)
    if filters.handler:
        complaints = complaints.filter(
            Exists(
                ComplaintParticipant.objects.filter(
                    complaint=OuterRef("pk"),
                    user_id=filters.handler,
                    capacity=ComplaintParticipant.HANDLER,
                )
            )
        )
    if filters.kind:
        first_of_kind = ComplaintDeadline.objects.filter(
            complaint=OuterRef("pk"), running=True, kind=filters.kind
        ).order_by("due")
        complaints = complaints.annotate(
            watch_due=Subquery(first_of_kind.values("due")[:1])
        ).filter(watch_due__isnull=False)
    else:
        complaints = complaints.annotate(watch_due=F("next_due"))
    # The version's hash comes along (a join), so the rows' calendars need no query of their own.
    complaints = complaints.annotate(version_sha=F("regulation_version__content_sha256"))
    # The rows need neither the description nor the search text: both are large.
    return complaints.defer("search_text", "description").order_by(
        F("watch_due").asc(nulls_last=True), "received_on", "reference"
    )


def rows(
    complaints: list[Complaint],
    filters: Filters,
    today: dt.date,
    user: access.AnyUser | None = None,
) -> list[WatchRow]:
    """The page's complaints with their next deadline and traffic light: a fixed number of
    queries whatever the page holds, one calendar per regulation version on it. With ``user``,
    each row also holds the open to-dos of that user's roles."""
    ids = [c.pk for c in complaints]
    deadlines = ComplaintDeadline.objects.filter(complaint_id__in=ids, running=True)
    if filters.kind:
        deadlines = deadlines.filter(kind=filters.kind)
    next_deadline: dict[int, ComplaintDeadline] = {}
    for deadline in deadlines.order_by("due", "position"):
        next_deadline.setdefault(deadline.complaint_id, deadline)
    # The handlers of the rows and the user's own part in them, in one query.
    handlers: dict[int, list[str]] = {}
    taking_part: dict[int, set[str]] = {}
    taking = Q(capacity=ComplaintParticipant.HANDLER)
    if user is not None and user.is_authenticated:
        taking |= Q(user_id=user.pk)
    for participant in ComplaintParticipant.objects.filter(
        taking, complaint_id__in=ids
    ).select_related("user"):
        if participant.capacity == ComplaintParticipant.HANDLER:
            handlers.setdefault(participant.complaint_id, []).append(person_name(participant.user))
        if user is not None and participant.user_id == user.pk:
            taking_part.setdefault(participant.complaint_id, set()).add(participant.capacity)
    versions = _versions_of(complaints)
    # Today plus the "soon" span once for each calendar, not once per row.
    soon = {pk: soon_until(today, _calendar_of_version(pk, sha)) for pk, sha in versions.items()}
    todos = _todos_of(user, complaints, taking_part, versions) if user is not None else {}
    result = []
    for complaint in complaints:
        upcoming = next_deadline.get(complaint.pk)
        shade = (
            light_until(upcoming.due, today, soon[complaint.regulation_version_id])
            if upcoming
            else None
        )
        result.append(
            WatchRow(
                complaint,
                upcoming,
                shade,
                handlers.get(complaint.pk, []),
                todos.get(complaint.pk, []),
            )
        )
    return result


def _versions_of(complaints: list[Complaint]) -> dict[int, str]:
    """The rows' regulation versions with their hashes: from the list's annotation, else read."""
    known = {c.regulation_version_id: getattr(c, "version_sha", None) for c in complaints}
    if all(known.values()):
        return {pk: str(sha) for pk, sha in known.items()}
    return dict(RegulationVersion.objects.filter(pk__in=known).values_list("pk", "content_sha256"))


def _todos_of(
    user: access.AnyUser,
    complaints: list[Complaint],
    taking_part: dict[int, set[str]],
    versions: dict[int, str],
) -> dict[int, list[ComplaintTodo]]:
    """Per complaint its open to-dos that a role of the user's kinds carries out: the user's
    memberships in the organisation and their part in the complaint (handler, committee)."""
    if not complaints or not user.is_authenticated:
        return {}
    ids = [c.pk for c in complaints]
    open_todos = list(
        ComplaintTodo.objects.filter(complaint_id__in=ids, status=ComplaintTodo.OPEN).order_by(
            "complaint_id", "position"
        )
    )
    if not open_todos:
        return {}
    held = access.kinds_in_organisation(user, complaints[0].organisation_id)
    version_of = {c.pk: c.regulation_version_id for c in complaints}
    result: dict[int, list[ComplaintTodo]] = {}
    for todo in open_todos:
        version = version_of[todo.complaint_id]
        regulation = _regulation_of_version(version, versions[version])
        kinds = set(held) | {
            access.PARTICIPATION_KINDS[capacity]
            for capacity in taking_part.get(todo.complaint_id, ())
        }
        mine = {role.id for role in regulation.roles if role.kind in kinds}
        if mine & set(todo.roles):
            result.setdefault(todo.complaint_id, []).append(todo)
    return result
