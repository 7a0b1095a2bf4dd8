"""Reads of the deadline watch: the open complaints, who gets a morning digest and what is in it,
the deadlines that passed unmet and the directors who hear of them (``services`` writes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import QuerySet

from klachtenregister.register import access
from klachtenregister.register.models import (
    OPEN_STATES,
    Complaint,
    ComplaintDeadline,
    ComplaintParticipant,
    Membership,
    Organisation,
)
from klachtenregister.register.selectors import watchlist
from klachtenregister.register.selectors.regulations import organisations_with_regulations
from klachtenregister.regulations.terms import calendar_of
from klachtenregister.regulations.vocabulary import DeadlineKind, RoleKind


def open_complaints() -> QuerySet[Complaint]:
    return Complaint.objects.filter(state__in=OPEN_STATES)


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


def digest_lines(
    user: User, organisation: Organisation, coordinator: bool, today: dt.date
) -> list[DigestLine]:
    """The user's running deadlines that are overdue or due within two working days: all open
    complaints the user may see for a coordinator, the complaints they handle for a handler."""
    complaints = open_complaints().filter(organisation=organisation)
    if coordinator:
        complaints = complaints.filter(pk__in=access.visible_complaints(user, organisation))
    else:
        complaints = complaints.filter(
            participants__user=user, participants__capacity=ComplaintParticipant.HANDLER
        ).exclude(people__user=user)
    deadlines = (
        ComplaintDeadline.objects.filter(complaint__in=complaints, running=True)
        .select_related("complaint", "complaint__organisation", "complaint__regulation_version")
        .order_by("due", "complaint__reference", "position")
    )
    lines = []
    for deadline in deadlines:
        shade = watchlist.light(deadline.due, today, watchlist.calendar_for(deadline.complaint))
        if shade in (watchlist.Light.OVERDUE, watchlist.Light.SOON):
            lines.append(DigestLine(deadline.complaint, deadline, shade))
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


def directors(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's director memberships, with their users."""
    return Membership.objects.filter(
        organisation=organisation, kind=RoleKind.DIRECTOR.value
    ).select_related("user")
