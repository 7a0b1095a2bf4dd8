"""The dashboard of an organisation (coordinators and directors): open complaints by state,
overdue and soon-due terms per handler, this year so far against the same stretch of last year,
and complaints received per month. Each part is one aggregate query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from klachtenregister.register import clock
from klachtenregister.register.models import (
    OPEN_STATES,
    Complaint,
    ComplaintDeadline,
    ComplaintParticipant,
    ComplaintTodo,
    Organisation,
)
from klachtenregister.register.selectors.regulations import regulation_version_for
from klachtenregister.register.selectors.watchlist import SOON_WORKING_DAYS
from klachtenregister.reports import figures
from klachtenregister.reports.periods import Period
from klachtenregister.reports.tables import Table, label
from klachtenregister.reports.working_memory import room_to_aggregate


@dataclass(frozen=True)
class HandlerLoad:
    name: str
    overdue: int
    soon: int


@dataclass(frozen=True)
class OldTodo:
    reference: str
    label: str
    created_on: dt.date


# At most this many old to-dos are listed, the oldest first.
OLD_TODOS_SHOWN = 50


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    open_by_state: list[tuple[str, int]]
    handlers: list[HandlerLoad]
    comparison: list[tuple[str, int, int]]  # (figure label, this year so far, last year)
    per_month: Table
    this_year: Period
    last_year: Period
    # Open to-dos (duties without a term) older than settings.TODO_OPEN_DAYS, oldest first.
    old_todos: list[OldTodo]
    todo_days: int


def _old_todos(organisation: Organisation, today: dt.date, days: int) -> list[OldTodo]:
    rows = (
        ComplaintTodo.objects.filter(
            organisation=organisation,
            status=ComplaintTodo.OPEN,
            created_on__lt=today - dt.timedelta(days=days),
        )
        .order_by("created_on", "complaint__reference", "position")
        .values_list("complaint__reference", "label", "created_on")[:OLD_TODOS_SHOWN]
    )
    return [OldTodo(reference, text, created_on) for reference, text, created_on in rows]


def _open_by_state(organisation: Organisation) -> list[tuple[str, int]]:
    rows = (
        Complaint.objects.filter(organisation=organisation)
        .filter(state__in=OPEN_STATES)
        .order_by()
        .values("state")
        .annotate(n=Count("*"))
        .order_by("-n", "state")
    )
    return [(label(row["state"]), row["n"]) for row in rows]


def _handlers(organisation: Organisation, today: dt.date) -> list[HandlerLoad]:
    """Complaints with a term overdue or due within 2 working days, per current handler."""
    version = regulation_version_for(organisation, today)
    calendar = figures._calendar(version.calendar)
    soon_until = calendar.add_working_days(today, SOON_WORKING_DAYS)
    # Per open complaint, not per term row: a complaint is overdue when its first running term
    # (the stored next_due) is, and soon when a running term falls due within the days; its
    # handler is looked up once. Starts from the open complaints' (organisation, state,
    # next_due) index (docs/performance.md).
    handler = ComplaintParticipant.objects.filter(
        complaint=OuterRef("pk"), capacity=ComplaintParticipant.HANDLER
    ).order_by("pk")
    due_soon = ComplaintDeadline.objects.filter(
        complaint=OuterRef("pk"), running=True, due__gte=today, due__lte=soon_until
    )
    rows = (
        Complaint.objects.filter(
            organisation=organisation, state__in=OPEN_STATES, next_due__lte=soon_until
        )
        .annotate(handler=Subquery(handler.values("user_id")[:1]))
        .order_by()
        .values("handler")
        .annotate(
            overdue=Count("pk", filter=Q(next_due__lt=today)),
            soon=Count("pk", filter=Q(Exists(due_soon))),
        )
    )
    # The few handlers' names in one more query, not three subqueries per term row.
    counts = {row["handler"]: (row["overdue"], row["soon"]) for row in rows}
    users = User.objects.in_bulk([pk for pk in counts if pk is not None])
    loads = []
    for pk, (overdue, soon) in counts.items():
        user = users.get(pk) if pk is not None else None
        name = (user.get_full_name() or user.username) if user else label("no_handler")
        loads.append(HandlerLoad(name, overdue, soon))
    return sorted(loads, key=lambda load: (-load.overdue, -load.soon, load.name))


def dashboard(organisation: Organisation) -> Dashboard:
    with room_to_aggregate():
        return _dashboard(organisation)


def _dashboard(organisation: Organisation) -> Dashboard:
    today = clock.today()
    this_year = Period(dt.date(today.year, 1, 1), today)
    last_year = this_year.shifted_years(1)
    now, before = figures.treatment_families(organisation, [this_year, last_year], today)
    comparison = [
        (label_text, now[key]["total"], before[key]["total"])
        for key, label_text in (
            ("complaints_received", _("Ontvangen klachten")),
            ("taken_into_treatment", _("In behandeling genomen")),
            ("taken_into_treatment_in_term", _("In behandeling genomen, binnen termijn")),
            ("not_taken_into_treatment", _("Niet in behandeling genomen")),
        )
    ]
    months = figures.received_per_month(
        figures.Scope(organisation, Period(this_year.start, dt.date(today.year, 12, 31)), today)
    )
    per_month = Table(
        _("Ontvangen per maand"),
        [_("maand"), _("aantal")],
        [[m["month"], m["count"]] for m in months if m["month"] <= today.strftime("%Y-%m")],
        chart="bar",
    )
    return Dashboard(
        today,
        _open_by_state(organisation),
        _handlers(organisation, today),
        comparison,
        per_month,
        this_year,
        last_year,
        _old_todos(organisation, today, settings.TODO_OPEN_DAYS),
        settings.TODO_OPEN_DAYS,
    )
