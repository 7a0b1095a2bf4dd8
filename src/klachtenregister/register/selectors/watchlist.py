"""The watch list (termijnbewaking): open complaints by their next running deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import F, Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from klachtenregister.calendars import WorkingDayCalendar
from klachtenregister.lifecycle.states import State
from klachtenregister.register import access
from klachtenregister.register.models import (
    Complaint,
    ComplaintDeadline,
    ComplaintParticipant,
    Organisation,
    person_name,
)
from klachtenregister.register.selectors.history import regulation_of
from klachtenregister.regulations.terms import calendar_of

# "Due soon": within this many working days from today.
SOON_WORKING_DAYS = 2
# Complaints no longer watched: done, or registered by mistake (voided; also out of every figure).
CLOSED_STATES = (State.CLOSED.value, State.WITHDRAWN.value, State.VOIDED.value)


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


def light(due: dt.date, today: dt.date, calendar: WorkingDayCalendar) -> Light:
    if due < today:
        return Light.OVERDUE
    if due <= calendar.add_working_days(today, SOON_WORKING_DAYS):
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

    @property
    def light_label(self) -> str:
        return str(LIGHT_LABELS[self.light]) if self.light else ""


def open_complaints(
    user: access.AnyUser, organisation: Organisation, filters: Filters
) -> QuerySet[Complaint]:
    """The user's open complaints, with ``watch_due`` (the next running due date of the chosen
    kind), soonest first; complaints with no running deadline last."""
    complaints = access.visible_complaints(user, organisation).exclude(state__in=CLOSED_STATES)
    if filters.state:
        complaints = complaints.filter(state=filters.state)
    if filters.handler:
        complaints = complaints.filter(
            participants__user_id=filters.handler,
            participants__capacity=ComplaintParticipant.HANDLER,
        )
    running = Q(deadlines__running=True)
    if filters.kind:
        running &= Q(deadlines__kind=filters.kind)
        complaints = complaints.filter(deadlines__running=True, deadlines__kind=filters.kind)
    return (
        complaints.annotate(watch_due=Min("deadlines__due", filter=running))
        .order_by(F("watch_due").asc(nulls_last=True), "received_on", "reference")
        .distinct()
    )


def rows(complaints: list[Complaint], filters: Filters, today: dt.date) -> list[WatchRow]:
    """The page's complaints with their next deadline and traffic light."""
    ids = [c.pk for c in complaints]
    deadlines = ComplaintDeadline.objects.filter(complaint_id__in=ids, running=True)
    if filters.kind:
        deadlines = deadlines.filter(kind=filters.kind)
    next_deadline: dict[int, ComplaintDeadline] = {}
    for deadline in deadlines.order_by("due", "position"):
        next_deadline.setdefault(deadline.complaint_id, deadline)
    handlers: dict[int, list[str]] = {}
    for participant in ComplaintParticipant.objects.filter(
        complaint_id__in=ids, capacity=ComplaintParticipant.HANDLER
    ).select_related("user"):
        handlers.setdefault(participant.complaint_id, []).append(person_name(participant.user))
    result = []
    for complaint in complaints:
        upcoming = next_deadline.get(complaint.pk)
        shade = light(upcoming.due, today, calendar_for(complaint)) if upcoming else None
        result.append(WatchRow(complaint, upcoming, shade, handlers.get(complaint.pk, [])))
    return result
