"""Due dates of a regulation's deadlines on its working-day calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from klachtenregister.calendars import WorkingDayCalendar, load_calendar
from klachtenregister.regulations.schema import Deadline, Regulation


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
        for deadline in regulation.deadlines_at_receipt()
    ]
