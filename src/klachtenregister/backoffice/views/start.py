"""Views: the start page (organisations, their regulations and terms) and a health check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from klachtenregister.backoffice.views.common import language, language_links
from klachtenregister.calendars import CalendarError
from klachtenregister.register.labels import deadline_kind_label, duration_label, event_label
from klachtenregister.register.selectors.regulations import (
    StoredRegulation,
    database_status,
    organisations_with_regulations,
    template_regulations,
)
from klachtenregister.regulations.labels import own_label
from klachtenregister.regulations.schema import Deadline, Regulation
from klachtenregister.regulations.terms import deadlines_at_receipt
from klachtenregister.watch.health import worker_status


@dataclass(frozen=True)
class DeadlineRow:
    id: str
    label: str
    kind: str
    duration: str
    binding: bool
    extension: str | None
    starts_on: list[str]
    applies_when: str | None
    met_by: list[str]
    source: str
    note: str | None
    due_at_receipt: dt.date | None


@dataclass(frozen=True)
class RegulationView:
    stored: StoredRegulation
    deadlines: list[DeadlineRow]
    due_problem: str | None


def _extension_text(deadline: Deadline) -> str | None:
    extension = deadline.extension
    if extension is None:
        return None
    if extension.max_by is None:
        return _("verlengbaar")
    return _("verlengbaar met ten hoogste %(duration)s") % {
        "duration": duration_label(extension.max_by.amount, extension.max_by.unit)
    }


def _due_at_receipt(regulation: Regulation, today: dt.date) -> dict[str, dt.date]:
    return {item.deadline.id: item.due for item in deadlines_at_receipt(regulation, today)}


def regulation_view(stored: StoredRegulation, today: dt.date) -> RegulationView:
    regulation = stored.regulation
    if regulation is None:
        return RegulationView(stored, [], None)
    lang = language()
    due_problem = None
    try:
        due = _due_at_receipt(regulation, today)
    except CalendarError as exc:
        due, due_problem = {}, str(exc)
    rows = [
        DeadlineRow(
            id=deadline.id,
            label=own_label(deadline, lang),
            kind=deadline_kind_label(deadline.kind),
            duration=duration_label(deadline.duration.amount, deadline.duration.unit),
            binding=deadline.binding,
            extension=_extension_text(deadline),
            starts_on=[event_label(regulation, ref, lang) for ref in deadline.starts_on],
            applies_when=(
                event_label(regulation, deadline.applies_when, lang)
                if deadline.applies_when
                else None
            ),
            met_by=[event_label(regulation, ref, lang) for ref in deadline.met_by],
            source=deadline.source,
            note=deadline.note,
            due_at_receipt=due.get(deadline.id),
        )
        for deadline in regulation.deadlines
    ]
    return RegulationView(stored, rows, due_problem)


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisations = [
        (entry, regulation_view(entry.current, today))
        for entry in organisations_with_regulations(today)
    ]
    templates = [regulation_view(stored, today) for stored in template_regulations(today)]
    return render(
        request,
        "backoffice/start.html",
        {
            "today": today,
            "organisations": organisations,
            "templates": templates,
            "language_links": language_links(request),
        },
    )


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: 200 when the database answers and a worker beat
    recently; 503 otherwise, saying which. Also the outbox backlog (due, oldest waiting)."""
    reachable, vendor = database_status()
    if not reachable:
        return JsonResponse({"status": "error", "database": vendor}, status=503)
    worker = worker_status(timezone.now())
    body = {
        "status": "error" if worker.silent else "ok",
        "database": vendor,
        "worker": {
            "status": "silent" if worker.silent else "ok",
            "last_heartbeat": worker.last_beat.isoformat() if worker.last_beat else None,
            "silent_for_seconds": _rounded(worker.silent_for),
        },
        "outbox": {
            "due": worker.outbox_due,
            "oldest_due_for_seconds": _rounded(worker.oldest_due_for),
        },
    }
    return JsonResponse(body, status=503 if worker.silent else 200)


def _rounded(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds)
