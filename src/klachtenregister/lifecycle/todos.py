"""Duties without a term: to-dos on a complaint.

A regulation states duties that have no term: someone must be told when something happens
(``notifications:``), or the complainant must be told why a term was missed (a deadline's
``if_missed``). Each becomes a to-do when its trigger happens. It is done by the event that
carries out the duty (the regulation's ``done_by``: the letter that informs, the referral) or,
where no event does, by hand (event ``todo_done``). Nothing is missed: a to-do has no due date,
it stays open until done (a voided registration owes nothing, so its open to-dos lapse).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from klachtenregister.regulations.labels import gettext_noop
from klachtenregister.regulations.schema import EventRef
from klachtenregister.regulations.vocabulary import Event, Party


class TodoKind(StrEnum):
    NOTIFICATION = "notification"  # notifications: someone must be told
    IF_MISSED = "if_missed"  # a deadline's if_missed: tell why the term was missed
    SIGNATURE = "signature"  # a hearing report sent for signature, until it is returned
    # Intake (issue 14 §3): a complaint not in writing where the regulation wants it in writing.
    WRITTEN_FORM = "written_form"


TODO_KIND_LABELS: dict[TodoKind, str] = {
    TodoKind.NOTIFICATION: gettext_noop("Melding"),
    TodoKind.IF_MISSED: gettext_noop("Termijn niet gehaald: reden melden"),
    TodoKind.SIGNATURE: gettext_noop("Ter ondertekening"),
    TodoKind.WRITTEN_FORM: gettext_noop("Klacht op schrift"),
}


# Intake (issue 14 §3): the to-do of a complaint not in writing where the regulation wants it
# in writing; its id, and its label as the regulation's own labels are kept (Dutch, English).
WRITTEN_FORM_TODO = "klacht_op_schrift"
WRITTEN_FORM_LABEL = (
    "Vraag de klager de klacht op schrift te stellen (brief), of help daarbij",
    "Ask the complainant to put the complaint in writing (letter), or help to do so",
)


class TodoStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    LAPSED = "lapsed"  # the registration was voided: nothing is owed


TODO_STATUS_LABELS: dict[TodoStatus, str] = {
    TodoStatus.OPEN: gettext_noop("te doen"),
    TodoStatus.DONE: gettext_noop("gedaan"),
    TodoStatus.LAPSED: gettext_noop("vervallen"),
}


@dataclass(slots=True)
class TodoTrack:
    """One to-do of this complaint, as the engine keeps it."""

    id: str
    kind: TodoKind
    label: str
    label_en: str | None
    source: str
    notify: tuple[Party, ...]
    done_by: tuple[EventRef, ...]
    roles: tuple[str, ...]
    created_on: dt.date
    created_by: Event
    seq: int
    done_on: dt.date | None = None
    done_with: Event | None = None
    lapsed_on: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.done_on is None and self.lapsed_on is None

    def copy(self) -> TodoTrack:
        return TodoTrack(
            self.id,
            self.kind,
            self.label,
            self.label_en,
            self.source,
            self.notify,
            self.done_by,
            self.roles,
            self.created_on,
            self.created_by,
            self.seq,
            self.done_on,
            self.done_with,
            self.lapsed_on,
        )

    def view(self) -> TodoView:
        status = (
            TodoStatus.DONE
            if self.done_on is not None
            else TodoStatus.LAPSED
            if self.lapsed_on is not None
            else TodoStatus.OPEN
        )
        return TodoView(
            id=self.id,
            kind=self.kind,
            label=self.label,
            label_en=self.label_en,
            source=self.source,
            notify=self.notify,
            done_by=tuple(ref.event for ref in self.done_by),
            roles=self.roles,
            created_on=self.created_on,
            created_by=self.created_by,
            status=status,
            done_on=self.done_on,
            done_with=self.done_with,
        )


@dataclass(frozen=True)
class TodoView:
    """A to-do as of a date. ``roles`` are who carries it out (the roles that record the event
    that does it, else the register's keepers); ``notify`` are who must be told."""

    id: str
    kind: TodoKind
    label: str
    label_en: str | None
    source: str
    notify: tuple[Party, ...]
    done_by: tuple[Event, ...]
    roles: tuple[str, ...]
    created_on: dt.date
    created_by: Event
    status: TodoStatus
    done_on: dt.date | None
    done_with: Event | None

    @property
    def is_open(self) -> bool:
        return self.status is TodoStatus.OPEN
