"""How a complaint counts in the figures (docs/reports.md): its treatment class, its result and
its term class, worked out from its lifecycle as of its last event.

The register stores these with the complaint in the same transaction as every event
(register.projection), so a report aggregates stored columns instead of reading every
complaint's log and terms. Only the term class depends on the day a report is made: a term
still running past its due date on that day is late. That is why ``term_running_due`` is kept
beside it, and ``term_on`` gives the class on a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from klachtenregister.calendars import WorkingDayCalendar
from klachtenregister.calendars.errors import CalendarRangeError
from klachtenregister.lifecycle.deadlines import DeadlineStatus
from klachtenregister.lifecycle.engine import DeadlineView
from klachtenregister.lifecycle.events import SYSTEM_ACTOR, EventRecord
from klachtenregister.lifecycle.states import State
from klachtenregister.regulations.vocabulary import DeadlineKind, Event

# Which terms say whether a complaint was handled "in term" (docs/reports.md, "In term").
NOT_TAKEN_TERMS = (DeadlineKind.INADMISSIBILITY_NOTICE,)
TAKEN_TERMS = (DeadlineKind.DECISION, DeadlineKind.FINAL_REPORT)

# Treatment (admissibility) classes; they partition the complaints that count.
TAKEN, NOT_TAKEN, UNDECIDED = "taken", "not_taken", "undecided"

# Results (outcomes): every counted complaint has exactly one.
RESULTS = (
    "founded",
    "partly_founded",
    "unfounded",
    "resolved_informally",
    "not_taken_into_treatment",
    "withdrawn",
    "closed",
    "open",
)

# Term classes of a complaint for the "in term" figures; they partition each treatment class.
IN_TERM, LATE, PENDING, WITHDRAWN, NO_TERM = "in_term", "late", "pending", "withdrawn", "no_term"


@dataclass(frozen=True)
class Classes:
    treatment: str
    result: str
    # Closed by the system (a silence the regulation reads as consent), not by a person.
    silence_closed: bool
    # As of the last event; '' for an undecided complaint (no class of terms applies yet).
    term: str
    # The earliest due date of a running term of the class: on any later day the term is late.
    term_running_due: dt.date | None
    term_extended: bool
    # From receipt to closing or withdrawal, on the regulation's calendar; None while open.
    throughput_working_days: int | None


def classify(
    history: Sequence[EventRecord],
    state: State,
    outcome: str,
    deadlines: Iterable[DeadlineView],
    received_on: dt.date,
    closed_on: dt.date | None,
    calendar: WorkingDayCalendar,
) -> Classes:
    """The classes of a complaint from its whole log (earlier rounds before a reopening count:
    an inadmissibility later undone by acceptance is 'taken'), its state and outcome now and its
    deadline views as of its last event."""
    admissions = [
        r.event for r in history if r.event in (Event.ACCEPTED, Event.DECLARED_INADMISSIBLE)
    ]
    last_admission = admissions[-1] if admissions else None
    resolved = any(r.event is Event.RESOLVED_INFORMALLY for r in history)
    silence_closed = any(r.event is Event.CLOSED and r.role == SYSTEM_ACTOR for r in history)

    if last_admission is Event.DECLARED_INADMISSIBLE:
        treatment = NOT_TAKEN
    elif last_admission is Event.ACCEPTED or outcome or resolved:
        treatment = TAKEN
    else:
        treatment = UNDECIDED

    if state is State.WITHDRAWN:
        result = "withdrawn"
    elif outcome:
        result = outcome
    elif resolved:
        result = "resolved_informally"
    elif treatment == NOT_TAKEN:
        result = "not_taken_into_treatment"
    elif state is State.CLOSED:
        result = "closed"
    else:
        result = "open"

    term, running_due, extended = "", None, False
    if treatment != UNDECIDED:
        kinds = NOT_TAKEN_TERMS if treatment == NOT_TAKEN else TAKEN_TERMS
        views = [view for view in deadlines if view.kind in kinds]
        running = [view.due for view in views if not view.settled]
        running_due = min(running) if running else None
        extended = any(view.extensions for view in views)
        if result == "withdrawn":
            term = WITHDRAWN
        elif any(view.status is DeadlineStatus.MISSED for view in views):
            term = LATE
        elif running or result == "open":
            term = PENDING
        elif not views:
            term = NO_TERM
        else:
            term = IN_TERM

    return Classes(
        treatment=treatment,
        result=result,
        silence_closed=silence_closed,
        term=term,
        term_running_due=running_due,
        term_extended=extended,
        throughput_working_days=working_days(calendar, received_on, closed_on),
    )


def term_on(term: str, running_due: dt.date | None, day: dt.date) -> str:
    """The term class on ``day``: a term still running past its due date is late by then."""
    if term == PENDING and running_due is not None and running_due < day:
        return LATE
    return term


def working_days(calendar: WorkingDayCalendar, start: dt.date, end: dt.date | None) -> int | None:
    """Working days in (start, end] on the calendar; None without an end or outside its range."""
    if end is None:
        return None
    try:
        return calendar.working_days_between(start, end)
    except CalendarRangeError:
        return None
