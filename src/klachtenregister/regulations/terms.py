"""Due dates of a regulation's deadlines on its working-day calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from klachtenregister.calendars import WorkingDayCalendar, load_calendar
from klachtenregister.regulations.schema import Deadline, Regulation
from klachtenregister.regulations.vocabulary import DeadlineKind

# Awb art. 9:11 lid 1: a bestuursorgaan decides within six weeks. A regulation that states no
# decision term is not bound by it; the register offers it as an advisory target only.
ADVISORY_DECISION_TERM_ID = "advies_awb_9_11"
ADVISORY_DECISION_TERM = Deadline.model_validate(
    {
        "id": ADVISORY_DECISION_TERM_ID,
        "kind": DeadlineKind.SERVICE_NORM,
        "label": "Geen termijn in het reglement; advies: zes weken (Awb 9:11), niet bindend",
        "label_en": "No term in the regulation; advice: six weeks (Awb 9:11), not binding",
        "source": "Awb art. 9:11 lid 1 (advies; het reglement noemt geen termijn)",
        "starts_on": "received",
        "duration": {"amount": 6, "unit": "weken"},
        "met_by": ["decision_sent", "resolved_informally"],
        "cancelled_by": ["declared_inadmissible"],
        "binding": False,
        "note": (
            "The regulation states no term for the decision; the six weeks of Awb 9:11 are shown "
            "as an advisory target, never as a term of the regulation."
        ),
    }
)


def has_decision_term(regulation: Regulation) -> bool:
    return any(d.kind is DeadlineKind.DECISION for d in regulation.deadlines)


def terms_of(regulation: Regulation) -> tuple[Deadline, ...]:
    """The regulation's deadlines, plus the advisory Awb 9:11 target where it names no decision
    term (issue 14 §5)."""
    if has_decision_term(regulation):
        return tuple(regulation.deadlines)
    return (*regulation.deadlines, ADVISORY_DECISION_TERM)


@dataclass(frozen=True, slots=True)
class DueDeadline:
    deadline: Deadline
    start: dt.date
    due: dt.date


def calendar_of(regulation: Regulation) -> WorkingDayCalendar:
    return load_calendar(regulation.calendar)


def due_date(calendar: WorkingDayCalendar, deadline: Deadline, start: dt.date) -> dt.date:
    return calendar.add(start, deadline.duration.as_duration())


def deadlines_at_receipt(
    regulation: Regulation,
    received: dt.date,
    calendar: WorkingDayCalendar | None = None,
) -> list[DueDeadline]:
    """Every deadline counted from receipt, in the order the regulation lists them.

    This includes terms that only apply if something happens later but are counted from
    receipt (an inadmissibility notice "within 4 weeks after receipt").
    """
    calendar = calendar or calendar_of(regulation)
    return [
        DueDeadline(deadline, received, due_date(calendar, deadline, received))
        for deadline in terms_of(regulation)
        if deadline.starts_at_receipt
    ]
