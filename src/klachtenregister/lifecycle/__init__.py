"""The complaint lifecycle: one engine, configured by the regulation (pure Python)."""

from klachtenregister.lifecycle.deadlines import DeadlineStatus
from klachtenregister.lifecycle.engine import (
    AllowedEvent,
    DeadlineView,
    Lifecycle,
    RefusedEvent,
    Replay,
    Snapshot,
    replay,
)
from klachtenregister.lifecycle.events import EventRecord, record
from klachtenregister.lifecycle.progress import ComplaintFacts
from klachtenregister.lifecycle.refusals import Refusal, Refused
from klachtenregister.lifecycle.states import State

__all__ = [
    "AllowedEvent",
    "ComplaintFacts",
    "DeadlineStatus",
    "DeadlineView",
    "EventRecord",
    "Lifecycle",
    "Refusal",
    "Refused",
    "RefusedEvent",
    "Replay",
    "Snapshot",
    "State",
    "record",
    "replay",
]
