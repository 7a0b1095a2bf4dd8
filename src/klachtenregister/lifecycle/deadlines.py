"""One running term of a complaint: when it started, when it is due, and what became of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from klachtenregister.calendars.units import Duration
from klachtenregister.regulations.labels import gettext_noop
from klachtenregister.regulations.schema import Deadline
from klachtenregister.regulations.vocabulary import Event


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    MISSED = "missed"
    EXTENDED = "extended"  # still open, with a moved due date
    CANCELLED = "cancelled"
    # A term owed to someone the register cannot reach (a letter to an anonymous complainant):
    # never met, never missed, nobody is told it ran out (GUIDE: niet van toepassing).
    NOT_APPLICABLE = "not_applicable"


DEADLINE_STATUS_LABELS: dict[DeadlineStatus, str] = {
    DeadlineStatus.OPEN: gettext_noop("loopt"),
    DeadlineStatus.MET: gettext_noop("gehaald"),
    DeadlineStatus.MISSED: gettext_noop("verstreken"),
    DeadlineStatus.EXTENDED: gettext_noop("verlengd"),
    DeadlineStatus.CANCELLED: gettext_noop("vervallen"),
    DeadlineStatus.NOT_APPLICABLE: gettext_noop("niet van toepassing"),
}


@dataclass(frozen=True, slots=True)
class ExtensionRecord:
    on: dt.date
    by: Duration
    reason: str
    consent: bool
    previous_due: dt.date
    new_due: dt.date
    # A date agreed with the complainant (term_agreed): it stays that date when the term is
    # counted again from a corrected start.
    agreed: bool = False


@dataclass(slots=True)
class DeadlineTrack:
    """A deadline of the regulation, started for this complaint.

    ``applies`` is false while a term counted from an earlier event waits for the event that
    makes it apply (an inadmissibility notice counted from receipt); such a term is not shown,
    met or missed until then.
    """

    rule: Deadline
    order: int
    start: dt.date
    started_by: Event
    due: dt.date
    applies: bool
    extensions: list[ExtensionRecord] = field(default_factory=list)
    met_on: dt.date | None = None
    cancelled_on: dt.date | None = None
    voided: bool = False  # cancelled because the registration was voided: never missed
    not_applicable: bool = False  # addressed to a complainant without contact details
    missed_todo: bool = False  # its if_missed to-do was made (or its notice was sent in time)

    def copy(self) -> DeadlineTrack:
        return replace(self, extensions=list(self.extensions))

    @property
    def settled(self) -> bool:
        """Met or cancelled: nothing can happen to it any more."""
        return self.not_applicable or self.met_on is not None or self.cancelled_on is not None

    def status(self, as_of: dt.date) -> DeadlineStatus:
        if self.not_applicable:
            return DeadlineStatus.NOT_APPLICABLE
        if self.met_on is not None:
            return DeadlineStatus.MET if self.met_on <= self.due else DeadlineStatus.MISSED
        if self.cancelled_on is not None:
            # A term that had already run out when it lapsed stays missed: the register's
            # "handled in term" figures must not forget it.
            if self.cancelled_on > self.due and not self.voided:
                return DeadlineStatus.MISSED
            return DeadlineStatus.CANCELLED
        if as_of > self.due:
            return DeadlineStatus.MISSED
        return DeadlineStatus.EXTENDED if self.extensions else DeadlineStatus.OPEN

    def is_running(self, on: dt.date) -> bool:
        """Started, applying, not settled and not past due on ``on``."""
        return self.applies and not self.settled and on <= self.due
