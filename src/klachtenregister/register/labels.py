"""The core's display names (``klachtenregister.regulations.labels``) in the request's language."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext

from klachtenregister.calendars.units import DurationUnit
from klachtenregister.regulations import labels
from klachtenregister.regulations.schema import EventRef, Regulation
from klachtenregister.regulations.vocabulary import DeadlineKind


def deadline_kind_label(kind: DeadlineKind) -> str:
    return labels.deadline_kind_label(kind, gettext)


def event_label(regulation: Regulation, ref: EventRef, language: str | None = None) -> str:
    language = language or (get_language() or "nl")[:2]
    return capfirst(labels.event_label(regulation, ref, language, gettext))


def duration_label(amount: int, unit: DurationUnit) -> str:
    return labels.duration_label(amount, unit, ngettext)
