"""Helpers shared by the end-to-end lifecycle stories (tests/lifecycle/test_story_*.py).

The story files import it as ``from tests.support.stories import ...``, as does
tests/backoffice/test_web_stories.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from klachtenregister.lifecycle import (
    ComplaintFacts,
    DeadlineStatus,
    EventRecord,
    Snapshot,
    record,
    replay,
)
from klachtenregister.regulations.schema import Regulation

# One deadline as a story shows it: (id, start, due, status, met_on), dates in ISO form. The
# status is the DeadlineStatus value; DeadlineStatus is a StrEnum, so MET == "met".
Row = tuple[str, str, str, str, str | None]

# Short names for the statuses, for tables that prefer them to the plain strings.
OPEN, MET, MISSED = DeadlineStatus.OPEN, DeadlineStatus.MET, DeadlineStatus.MISSED
EXTENDED, CANCELLED = DeadlineStatus.EXTENDED, DeadlineStatus.CANCELLED


def day(iso: str) -> dt.date:
    """The date written in ISO form."""
    return dt.date.fromisoformat(iso)


@dataclass(frozen=True)
class StoryRunner:
    """Replays a story under one regulation, for one complaint's facts."""

    regulation: Regulation
    facts: ComplaintFacts

    def __call__(
        self,
        events: Sequence[EventRecord],
        as_of: str | None = None,
        facts: ComplaintFacts | None = None,
    ) -> Snapshot:
        """Replay the events (evaluated on ``as_of``, default the last event's date, and under
        ``facts`` instead of the runner's if given); every one of them must be accepted."""
        result = replay(
            self.regulation,
            events,
            self.facts if facts is None else facts,
            as_of=day(as_of) if as_of else None,
        )
        assert result.refused is None, result.refused.refusal.render()
        return result.snapshot


def deadline_table(snapshot: Snapshot) -> list[Row]:
    """Every deadline shown, in the snapshot's order, as (id, start, due, status, met_on)."""
    return [
        (
            d.id,
            d.start.isoformat(),
            d.due.isoformat(),
            d.status.value,
            d.met_on.isoformat() if d.met_on else None,
        )
        for d in snapshot.deadlines
    ]


def through(events: Sequence[EventRecord], event: str) -> list[EventRecord]:
    """The events up to and including the first ``event``."""
    index = next(i for i, r in enumerate(events) if r.event == event)
    return list(events[: index + 1])


def extension(
    on: str, deadline: str, weeks: int, reason: str, role: str, **details: object
) -> EventRecord:
    """An ``extended`` event on ``on``: ``deadline`` moves on by ``weeks`` weken."""
    return record(
        on,
        "extended",
        deadline=deadline,
        by={"amount": weeks, "unit": "weken"},
        reason=reason,
        role=role,
        **details,
    )
