"""Reading a complaint's stored log back into the engine (the read side of the log).

The engine is the only place that knows what a history means: the state, the deadlines and what
may happen next are always derived by replaying the stored events under the regulation version
the complaint was received under.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from klachtenregister.lifecycle import ComplaintFacts, EventRecord, Lifecycle, Refused, record
from klachtenregister.register.errors import CorruptHistory
from klachtenregister.register.models import (
    Complaint,
    ComplaintEvent,
    ComplaintPerson,
    RegulationVersion,
)
from klachtenregister.register.personal import with_personal_data
from klachtenregister.register.selectors.regulations import stored_regulation
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import Event


def regulation_of(complaint: Complaint) -> Regulation:
    return regulation_of_version(complaint.regulation_version, complaint.reference)


def regulation_of_version(version: RegulationVersion, reference: str = "") -> Regulation:
    """The rules of a stored regulation version; ``CorruptHistory`` if its text no longer reads
    (``reference``: the complaint that needed it, for the message)."""
    stored = stored_regulation(version)
    if stored.regulation is None:
        raise CorruptHistory(
            f"{reference or 'register'}: its regulation version {version} no longer reads: "
            f"{'; '.join(stored.problems)}"
        )
    return stored.regulation


def facts_of(complaint: Complaint, rows: Sequence[ComplaintEvent] = ()) -> ComplaintFacts:
    """The facts the replay starts from: as at receipt. The people rows hold the current
    subjects; where the log corrected them (``facts_corrected``), the first correction's old
    list is what the complaint was registered with, and the replay takes each correction in
    its place."""
    people = list(complaint.people.all())
    rows = with_personal_data(rows)
    subjects = [p.name for p in people if p.relation == ComplaintPerson.SUBJECT]
    # Who is kept out as a subject, by identity (issue 16 §2): the people linked to a subject
    # and the members kept out for a resembling name (register.services.kept_out_ids).
    subject_ids = kept_out_ids(people)
    for row in rows:
        if row.event == Event.FACTS_CORRECTED.value and "subjects" in row.payload.get(
            "changes", {}
        ):
            subjects = list(row.payload["changes"]["subjects"].get("old") or [])
            break
    for row in rows:
        # The first correction that says whom it kept out started from its old ids.
        ids = row.payload.get("subject_ids") if row.event == Event.FACTS_CORRECTED.value else None
        if isinstance(ids, dict):
            subject_ids = [str(pid) for pid in ids.get("old") or []]
            break
    return ComplaintFacts.of(
        subjects=subjects,
        involved=[p.name for p in people if p.relation == ComplaintPerson.INVOLVED],
        subject_ids=subject_ids,
        involved_ids=[
            str(p.person_id)
            for p in people
            if p.relation == ComplaintPerson.INVOLVED and p.person_id is not None
        ],
        uwv_client=complaint.uwv_client,
        anonymous_contact=bool(complaint.complainant_email or complaint.complainant_address),
    )


def kept_out_ids(people: Iterable[ComplaintPerson]) -> list[str]:
    """The ids (as the engine compares them) of the people kept out of a complaint as its
    subjects: those linked to a subject and those kept out for a resembling name."""
    kept = (ComplaintPerson.SUBJECT, ComplaintPerson.LOOKALIKE)
    return sorted(
        {str(p.person_id) for p in people if p.relation in kept and p.person_id is not None}
    )


def record_of(event: ComplaintEvent) -> EventRecord:
    return record(event.on, event.event, role=event.role, **event.payload)


def payload_of(record: EventRecord) -> dict[str, object]:
    """An event's details as the log stores them: JSON, without the role (a column of its own)."""
    return record.details.model_dump(mode="json", exclude_none=True, exclude={"role"})


def lifecycle_of(complaint: Complaint, events: Iterable[ComplaintEvent] | None = None) -> Lifecycle:
    """The complaint's lifecycle with every stored event applied, in log order."""
    rows = with_personal_data(
        list(complaint.events.order_by("sequence") if events is None else events)
    )
    lifecycle = Lifecycle(regulation_of(complaint), facts_of(complaint, rows))
    for row in rows:
        try:
            lifecycle.apply(record_of(row))
        except Refused as exc:
            raise CorruptHistory(
                f"{complaint.reference}: stored event #{row.sequence} ({row.event} on {row.on}) "
                f"is refused on replay: {exc.refusal.render()}"
            ) from exc
    if complaint.erased_on is not None:
        lifecycle.erased()
    return lifecycle
