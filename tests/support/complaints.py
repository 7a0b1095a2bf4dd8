"""Complaints written through the services: shared by tests/register, tests/watch and the
``register`` fixture in tests/conftest.py (``from tests.support.complaints import ...``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klachtenregister.register.models import Complaint, ComplaintEvent
from klachtenregister.register.personal import with_personal_data
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import ComplaintData, NewEvent, record_event
from tests.support.clock_and_race import day

# One deadline as the database or the engine has it: (id, start, due, status, met_on, running).
DeadlineRow = tuple[str, dt.date, dt.date, str, dt.date | None, bool]


def complaint_data(received_on: str | dt.date, **fields: Any) -> ComplaintData:
    """A written complaint received on the day, with a description; ``fields`` override."""
    on = received_on if isinstance(received_on, dt.date) else day(received_on)
    values: dict[str, Any] = {
        "received_on": on,
        "channel": "written",
        "description": "De re-integratiespecialist kwam twee afspraken niet na.",
        "complainant_name": "Mevrouw De Vries",
    }
    values.update(fields)
    return ComplaintData(**values)


def record(
    complaint: Complaint,
    actor: Any,
    event: str,
    on: str | dt.date,
    details: dict[str, Any] | None = None,
    people: dict[str, Any] | None = None,
    **options: Any,
) -> list[ComplaintEvent]:
    """``record_event`` with the complaint's current sequence as the caller's view."""
    complaint.refresh_from_db()
    new = NewEvent(
        event,  # type: ignore[arg-type]  # the engine's Event is a StrEnum
        on if isinstance(on, dt.date) else day(on),
        details=details or {},
        people=people or {},
        **options,
    )
    return record_event(complaint, actor, complaint.sequence, new)


def stored_deadlines(complaint: Complaint) -> list[DeadlineRow]:
    return [
        (d.deadline_id, d.start, d.due, d.status, d.met_on, d.running)
        for d in complaint.deadlines.order_by("position")
    ]


def engine_deadlines(complaint: Complaint, as_of: dt.date) -> list[DeadlineRow]:
    """The deadlines as the engine derives them from the stored log, as of ``as_of``."""
    snapshot = lifecycle_of(complaint).status(as_of)
    return [
        (d.id, d.start, d.due, d.status.value, d.met_on, not d.settled) for d in snapshot.deadlines
    ]


def log_of(complaint: Complaint) -> list[tuple[int, str, dt.date, str]]:
    """The stored log as (sequence, event, on, role)."""
    return list(
        ComplaintEvent.objects.filter(complaint=complaint)
        .order_by("sequence")
        .values_list("sequence", "event", "on", "role")
    )


def logged(row: ComplaintEvent) -> ComplaintEvent:
    """A log row as the register reads it: with its personal data (kept apart from the row,
    register.personal) put back."""
    return with_personal_data([row])[0]
