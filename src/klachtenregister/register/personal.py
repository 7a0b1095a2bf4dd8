"""Personal data in an event's details, kept apart from the log row (``models.PersonalData``).

``split`` takes out of a payload what an AVG erasure must be able to remove: the old and new
values of a correction of the complainant's details, the representative, the description and
the subjects; a note's text and any event's remark; a decision's motivation; the names of
those heard. The log row keeps
the rest, and for a correction which facts changed (an empty change), so the log still says
what changed, by whom, when and why. ``merge`` puts the two together again when the log is read
(the replay, the page, the search text). ``erased`` is what an erasure leaves instead: text
becomes ``ERASED``, people's names become numbered placeholders, the same for the same name in
one complaint, so the replay of the log still reads (a corrected subject list stays a different
list, impartiality never finds a conflict that was not there).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from klachtenregister.register.models import ComplaintEvent, PersonalData
from klachtenregister.regulations.vocabulary import Event

ERASED = "[verwijderd]"

# The facts of a correction whose values are personal data; the others (category, channel,
# dates, opdrachtgever) stay in the log row, the figures need them.
PERSONAL_FACTS = frozenset(
    {
        "complainant_name",
        "form_of_address",
        "complainant_email",
        "complainant_phone",
        "complainant_address",
        "representative_name",
        "representative_capacity",
        "description",
        "subjects",
    }
)
# Free texts per event; ``note`` is any event's remark.
PERSONAL_DETAILS: dict[str, tuple[str, ...]] = {
    Event.NOTE_ADDED.value: ("text",),
    Event.DECISION_MADE.value: ("motivation",),
    Event.HEARING_HELD.value: ("heard",),  # the complainant and others heard, by name
    # A measure's description names what is done for or about people (an apology to the
    # complainant, a talk with the employee); its type stays for the figures.
    Event.MEASURES_RECORDED.value: ("description",),
    # To whom a letter went, and why its delivery date changed.
    Event.DELIVERY_DATE_CHANGED.value: ("addressee", "reason"),
}
# Consent and agreements (issue 14 §4): the comments on a hearing report, what costs were for.
PERSONAL_DETAILS.update(
    {
        Event.HEARING_REPORT_RETURNED.value: ("comments",),
        Event.COSTS_RECORDED.value: ("description",),
    }
)
ANY_EVENT = ("note",)
_CHANGES = "changes"


def split(event: str, payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the log row keeps, what is kept apart); the second is empty when the event's
    details hold no personal data."""
    kept = dict(payload)
    apart: dict[str, Any] = {}
    for key in (*ANY_EVENT, *PERSONAL_DETAILS.get(event, ())):
        if key in kept:
            apart[key] = kept.pop(key)
    if event == Event.FACTS_CORRECTED.value and isinstance(kept.get(_CHANGES), dict):
        changes = dict(kept[_CHANGES])
        moved = {name: changes[name] for name in changes if name in PERSONAL_FACTS}
        if moved:
            kept[_CHANGES] = {name: {} if name in moved else c for name, c in changes.items()}
            apart[_CHANGES] = moved
    return kept, apart


def merge(payload: dict[str, Any], apart: dict[str, Any]) -> dict[str, Any]:
    """The event's whole details: the log row's with the personal data put back."""
    if not apart:
        return payload
    whole = {**payload, **{key: value for key, value in apart.items() if key != _CHANGES}}
    if _CHANGES in apart:
        whole[_CHANGES] = {**payload.get(_CHANGES, {}), **apart[_CHANGES]}
    return whole


def with_personal_data(rows: Sequence[ComplaintEvent]) -> Sequence[ComplaintEvent]:
    """The rows with their personal data put back into ``payload`` (in memory: the log rows are
    never written again). One query for all of them; rows already joined are left alone."""
    todo = [row for row in rows if not getattr(row, "_personal_merged", False)]
    # Rows read with select_related("personal_data") carry theirs already: no query for them.
    for row in [row for row in todo if ComplaintEvent.personal_data.is_cached(row)]:
        with contextlib.suppress(PersonalData.DoesNotExist):
            row.payload = merge(row.payload, row.personal_data.values)
        row._personal_merged = True  # type: ignore[attr-defined]
        todo.remove(row)
    if not todo:
        return rows
    kept = {
        event_id: values
        for event_id, values in PersonalData.objects.filter(
            event_id__in=[row.pk for row in todo]
        ).values_list("event_id", "values")
    }
    for row in todo:
        if row.pk in kept:
            row.payload = merge(row.payload, kept[row.pk])
        row._personal_merged = True  # type: ignore[attr-defined]
    return rows


def keep_apart(row: ComplaintEvent, apart: dict[str, Any]) -> None:
    """Store the personal data of a just-written log row, and join it to the row in memory."""
    if apart:
        PersonalData.objects.create(event=row, complaint_id=row.complaint_id, values=apart)
        row.payload = merge(row.payload, apart)
    row._personal_merged = True  # type: ignore[attr-defined]


class Pseudonyms:
    """One placeholder per person's name in a complaint: "[verwijderd 1]", "[verwijderd 2]"."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name.startswith(ERASED[:-1]):
            return name  # erased before
        if name not in self._names:
            self._names[name] = f"{ERASED[:-1]} {len(self._names) + 1}]"
        return self._names[name]


def _erased_text(value: object) -> object:
    return ERASED if value not in (None, "", []) else value


def _erased_change(name: str, change: dict[str, Any], pseudonym: Callable[[str], str]) -> Any:
    old, new = change.get("old"), change.get("new")
    if name == "subjects":
        return {
            "old": [pseudonym(str(n)) for n in old or []],
            "new": [pseudonym(str(n)) for n in new or []],
        }
    # One side only: the engine refuses a correction whose new value is the old one.
    if new not in (None, ""):
        return {"old": None, "new": ERASED}
    return {"old": _erased_text(old), "new": new}


def erased(apart: dict[str, Any], pseudonym: Callable[[str], str]) -> dict[str, Any]:
    """What an erasure leaves of an event's personal data: placeholders of the same shape."""
    result: dict[str, Any] = {}
    for key, value in apart.items():
        if key == _CHANGES:
            result[key] = {
                name: _erased_change(name, change, pseudonym) for name, change in value.items()
            }
        elif isinstance(value, list):  # names (those heard): a list the engine still reads
            result[key] = [pseudonym(str(name)) for name in value]
        else:
            result[key] = _erased_text(value)
    return result


def names_in(apart: Iterable[dict[str, Any]]) -> list[str]:
    """The subjects' names in corrections, in the order they appear."""
    names: list[str] = []
    for values in apart:
        change = values.get(_CHANGES, {}).get("subjects") or {}
        for side in ("old", "new"):
            names.extend(str(n) for n in change.get(side) or [])
    return names
