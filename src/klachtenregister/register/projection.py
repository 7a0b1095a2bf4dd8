"""What is derived from a complaint's log and stored so it can be queried (the watch list).

Rewritten from the engine in the same transaction as every event: the complaint's state, its
sequence and next due date, its deadline rows and who takes part in it; for the list of all
complaints its outcome, closing day, escalation and reopening, and its search text.
"""

from __future__ import annotations

from klachtenregister.lifecycle import Lifecycle
from klachtenregister.register.models import Complaint, ComplaintDeadline, ComplaintParticipant
from klachtenregister.register.personal import with_personal_data
from klachtenregister.register.search import search_text
from klachtenregister.regulations.vocabulary import Event


def project(complaint: Complaint, lifecycle: Lifecycle) -> None:
    """Store what the lifecycle says now; ``complaint`` is locked by the caller."""
    # As of the last event, so that nothing time-triggered is derived that the log lacks.
    as_of = lifecycle.progress.last_on
    assert as_of is not None, "a complaint is projected after its first event"
    snapshot = lifecycle.status(as_of)
    complaint.deadlines.all().delete()
    rows = [
        ComplaintDeadline(
            complaint=complaint,
            position=position,
            deadline_id=view.id,
            kind=view.kind.value,
            label=view.label,
            label_en=view.label_en or "",
            start=view.start,
            due=view.due,
            met_on=view.met_on,
            status=view.status.value,
            running=not view.settled,
            extensions=len(view.extensions),
        )
        for position, view in enumerate(snapshot.deadlines)
    ]
    ComplaintDeadline.objects.bulk_create(rows)
    running = [row.due for row in rows if row.running]
    complaint.state = snapshot.state.value
    complaint.next_due = min(running) if running else None
    progress = lifecycle.progress
    decision = progress.decision
    complaint.outcome = (decision.outcome or "") if decision is not None else ""
    complaint.closed_on = progress.closed_on or progress.withdrawn_on
    complaint.escalated = progress.counts[Event.ESCALATED] > 0
    complaint.reopened = progress.counts[Event.REOPENED] > 0
    complaint.search_text = _search_text(complaint)
    complaint.save(
        update_fields=[
            "state",
            "sequence",
            "next_due",
            "outcome",
            "closed_on",
            "escalated",
            "reopened",
            "search_text",
        ]
    )
    _project_participants(complaint)


def refresh_search_text(complaint: Complaint) -> None:
    """Write the search text again after the complaint's texts changed outside the log (an
    erasure of its personal data)."""
    complaint.search_text = _search_text(complaint)
    complaint.save(update_fields=["search_text"])


def _search_text(complaint: Complaint) -> str:
    """What the search box looks in: the complaint's own texts, its people's names and every
    text of its log (register.search.normalise)."""
    own = [
        complaint.reference,
        complaint.complainant_name,
        complaint.complainant_email,
        complaint.complainant_phone,
        complaint.representative_name,
        complaint.description,
        complaint.category,
        complaint.commissioning_party,
    ]
    people = complaint.people.values_list("name", flat=True)
    rows = with_personal_data(list(complaint.events.order_by("sequence")))
    payloads = [row.payload for row in rows]
    return search_text([*own, *people, *payloads])


def _project_participants(complaint: Complaint) -> None:
    """The current handler and committee: the users named by the latest assignment of each."""
    latest: dict[str, list[int]] = {}
    for event in complaint.events.filter(
        event__in=[Event.HANDLER_ASSIGNED.value, Event.COMMITTEE_APPOINTED.value]
    ).order_by("sequence"):
        if event.event == Event.HANDLER_ASSIGNED:
            user_id = event.people.get("handler")
            latest[ComplaintParticipant.HANDLER] = [user_id] if user_id else []
        else:
            latest[ComplaintParticipant.COMMITTEE] = list(event.people.get("members", []))
    complaint.participants.all().delete()
    ComplaintParticipant.objects.bulk_create(
        ComplaintParticipant(complaint=complaint, user_id=user_id, capacity=capacity)
        for capacity, user_ids in latest.items()
        for user_id in dict.fromkeys(user_ids)
    )
