"""Dates in the demo's data files, counted from the day the demo is loaded.

The demo promises each organisation an overdue complaint, one due within two working days and
one due later on whatever day it is loaded (a weekend, Christmas Eve), so its files hold no dates,
only expressions, counted on the organisation's own working-day calendar:

``today - 25 working days``
    the 25th working day before today.
``received + 2 working days``, ``received - 9 days``
    counted from the day the complaint was received (``days`` are calendar days).
``due uitspraak``
    the due date of the term ``uitspraak`` as the lifecycle engine has it after the complaint's
    events so far (counted from the event that started it, extensions included).
``ontvangstbevestiging due soon``
    the day on which an event that starts the term ``ontvangstbevestiging`` makes it fall due
    within the watch list's "soon": the latest such day on or before today, a working day where
    one fits.
``earliest(today - 3 working days, due uitspraak)``
    the earlier of two dates.

No date may lie after today: the back office does not record what has not happened yet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from klachtenregister.calendars import WorkingDayCalendar
from klachtenregister.lifecycle import Snapshot
from klachtenregister.register.selectors.watchlist import SOON_WORKING_DAYS
from klachtenregister.regulations.schema import Deadline, Regulation
from klachtenregister.regulations.terms import calendar_of, due_date

_TERM = r"[a-z][a-z0-9_]*"
_POINT = re.compile(
    rf"(?P<anchor>today|received|due (?P<due>{_TERM})|(?P<soon>{_TERM}) due soon)"
    r"(?: (?P<sign>[+-]) (?P<amount>\d+) (?P<unit>working days?|days?))?"
)
_EARLIEST = re.compile(r"earliest\((?P<first>[^,()]+), (?P<second>[^,()]+)\)")
# Earlier starts only end earlier, so the search stops long before this; it bounds a term that
# never falls due soon.
_SOON_SEARCH_DAYS = 120


class DateError(ValueError):
    """A date expression that cannot be resolved; the caller says where it stands."""


# The complaint as the engine has it after the events before the one being dated, asked for only
# where an expression needs it; None before the first event. Raises DateError where those events
# cannot be read.
SoFar = Callable[[], Snapshot | None]


class Dates:
    """Resolves date expressions for one organisation on one day."""

    def __init__(self, today: dt.date, regulation: Regulation) -> None:
        self.today = today
        self.regulation = regulation
        self.calendar: WorkingDayCalendar = calendar_of(regulation)
        self.soon_limit = self.calendar.add_working_days(today, SOON_WORKING_DAYS)

    def resolve(self, text: object, event: str, received: dt.date | None, so_far: SoFar) -> dt.date:
        """The date ``text`` stands for, in an ``event`` after the events that led to
        ``so_far``."""
        if not isinstance(text, str):
            raise DateError(
                "expected a date relative to today, such as 'today - 3 working days' "
                "or 'received + 2 working days'"
            )
        earliest = _EARLIEST.fullmatch(text)
        if earliest:
            day = min(
                self._point(earliest["first"], event, received, so_far),
                self._point(earliest["second"], event, received, so_far),
            )
        else:
            day = self._point(text, event, received, so_far)
        if day > self.today:
            raise DateError(f"{text!r} is {day}, after today ({self.today})")
        return day

    def _point(self, text: str, event: str, received: dt.date | None, so_far: SoFar) -> dt.date:
        match = _POINT.fullmatch(text)
        if match is None:
            raise DateError(f"not a date expression: {text!r}")
        if match["due"]:
            day = self._due(match["due"], so_far)
        elif match["soon"]:
            day = self._soon(match["soon"], event)
        elif match["anchor"] == "received":
            if received is None:
                raise DateError("'received' is not known before the complaint is received")
            day = received
        else:
            day = self.today
        if match["sign"]:
            amount = int(match["amount"]) * (1 if match["sign"] == "+" else -1)
            if match["unit"].startswith("working"):
                day = self.calendar.add_working_days(day, amount)
            else:
                day += dt.timedelta(days=amount)
        return day

    def _deadline(self, deadline_id: str) -> Deadline:
        for deadline in self.regulation.deadlines:
            if deadline.id == deadline_id:
                return deadline
        known = ", ".join(deadline.id for deadline in self.regulation.deadlines)
        raise DateError(f"unknown term {deadline_id!r}; the regulation's terms are: {known}")

    def _due(self, deadline_id: str, so_far: SoFar) -> dt.date:
        """The term's due date as the engine has it now: its latest start, its extensions."""
        self._deadline(deadline_id)
        snapshot = so_far()
        try:
            if snapshot is None:
                raise KeyError(deadline_id)
            return snapshot.deadline(deadline_id).due
        except KeyError:
            raise DateError(f"the term {deadline_id!r} has not started by this event") from None

    def _soon(self, deadline_id: str, event: str) -> dt.date:
        deadline = self._deadline(deadline_id)
        if not any(ref.event.value == event for ref in deadline.starts_on):
            raise DateError(f"the term {deadline_id!r} does not start on {event!r}")
        fallback: dt.date | None = None
        for days_back in range(_SOON_SEARCH_DAYS):
            start = self.today - dt.timedelta(days=days_back)
            due = due_date(self.calendar, deadline, start)
            if due < self.today:
                break
            if due <= self.soon_limit:
                # A complaint that came in on a working day reads naturally; a weekend day only
                # where no working day fits (a term in calendar days ending on a Monday).
                if self.calendar.is_working_day(start):
                    return start
                fallback = fallback or start
        if fallback is None:
            raise DateError(f"no day makes {deadline_id!r} fall due soon after {self.today}")
        return fallback
