"""Everything a write to a complaint may change, to show a refused write changed nothing.

Shared by tests/register and tests/backoffice (``from tests.support.written_state import ...``).
"""

from __future__ import annotations

from typing import Any

from klachtenregister.register.models import Complaint, ComplaintEvent


def written_state(complaint: Complaint) -> dict[str, Any]:
    fresh = Complaint.objects.get(pk=complaint.pk)
    return {
        "events": list(
            ComplaintEvent.objects.filter(complaint=fresh)
            .order_by("sequence")
            .values_list("pk", "sequence", "event", "on", "role", "actor_id", "payload", "people")
        ),
        "sequence": fresh.sequence,
        "state": fresh.state,
        "next_due": fresh.next_due,
        "deadlines": list(
            fresh.deadlines.order_by("position").values_list(
                "deadline_id", "start", "due", "status", "met_on", "running", "extensions"
            )
        ),
        "participants": sorted(fresh.participants.values_list("user_id", "capacity")),
        "documents": sorted(fresh.documents.values_list("pk", flat=True)),
    }
