"""The AVG duties' reads: each organisation's retention term and the complaints past it, who
looked at a complaint, and the complaints a person is in (as complainant or subject)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce

from klachtenregister.privacy.models import AccessRecord, Erasure
from klachtenregister.register.models import (
    CLOSED_STATES,
    Complaint,
    ComplaintEvent,
    ComplaintPerson,
    Organisation,
    Person,
)
from klachtenregister.register.search import normalise
from klachtenregister.regulations.vocabulary import Event


def retention_days(organisation: Organisation) -> int:
    """Days a complaint's personal data is kept after it was closed, withdrawn or voided:
    ``RETENTION_DAYS_BY_ORGANISATION`` for the organisation, else ``RETENTION_DAYS``."""
    own: dict[str, int] = settings.RETENTION_DAYS_BY_ORGANISATION
    return int(own.get(organisation.slug, settings.RETENTION_DAYS))


def expired_complaints(today: dt.date) -> list[Complaint]:
    """Complaints no longer handled whose retention term ended before ``today`` (counted from
    the day they were closed or withdrawn; for a voided registration, its last event) and whose
    personal data is still there."""
    found: list[Complaint] = []
    for organisation in Organisation.objects.order_by("pk"):
        cutoff = today - dt.timedelta(days=retention_days(organisation))
        found.extend(
            Complaint.objects.filter(
                organisation=organisation, state__in=CLOSED_STATES, erasure__isnull=True
            )
            .annotate(ended_on=Coalesce("closed_on", Max("events__on")))
            .filter(ended_on__lt=cutoff)
            .order_by("pk")
        )
    return found


def access_records(complaint: Complaint) -> QuerySet[AccessRecord]:
    """Who looked at the complaint, its documents and dossier, newest first."""
    return AccessRecord.objects.filter(complaint=complaint).select_related("user")


@dataclass(frozen=True)
class Involvement:
    """A complaint a person is in, and as what: ``complainant`` or ``subject``; found by the
    person's identity also ``involved``, ``handler`` or ``committee``."""

    complaint: Complaint
    capacity: str


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and " ".join(normalise(a).split()) == " ".join(normalise(b).split())


def complaints_of_person(
    organisation: Organisation, name: str = "", email: str = ""
) -> list[Involvement]:
    """The organisation's complaints with ``name`` as complainant or subject, or ``email`` as
    the complainant's address; names compare without case, accents and extra spaces."""
    words = normalise(name).split()
    email = email.strip()
    condition = Q()
    if email:
        condition |= Q(complainant_email__iexact=email)
    if words:
        # The stored search text holds every name normalised: a first sieve.
        condition |= Q(search_text__contains=words[-1])
    if not condition:
        return []
    result: list[Involvement] = []
    candidates = (
        Complaint.objects.filter(organisation=organisation)
        .filter(condition)
        .prefetch_related("people")
        .order_by("received_on", "pk")
    )
    for complaint in candidates:
        if _same(name, complaint.complainant_name) or (
            email and complaint.complainant_email.lower() == email.lower()
        ):
            result.append(Involvement(complaint, "complainant"))
        elif any(
            person.relation == ComplaintPerson.SUBJECT and _same(name, person.name)
            for person in complaint.people.all()
        ):
            result.append(Involvement(complaint, "subject"))
    return result


def complaints_of(person: Person) -> list[Involvement]:
    """The complaints of the person's organisation that name this person (issue 16 §2), by who
    they are, not by how a name was spelled: as a subject or involved person linked to them,
    and as a handler or committee member an assignment identified (by person id, or by the
    user an older assignment named). A complainant is never linked to a person: a complainant
    is found by name or e-mail address (``complaints_of_person``)."""
    capacities: dict[int, list[str]] = {}
    for complaint_id, relation in ComplaintPerson.objects.filter(
        complaint__organisation_id=person.organisation_id,
        person=person,
        relation__in=[ComplaintPerson.SUBJECT, ComplaintPerson.INVOLVED],
    ).values_list("complaint_id", "relation"):
        capacities.setdefault(complaint_id, []).append(relation)
    pid = str(person.pk)
    assignments = ComplaintEvent.objects.filter(
        complaint__organisation_id=person.organisation_id,
        event__in=[Event.HANDLER_ASSIGNED.value, Event.COMMITTEE_APPOINTED.value],
    ).values_list("complaint_id", "event", "payload", "people")
    for complaint_id, event, payload, people in assignments:
        if event == Event.HANDLER_ASSIGNED.value:
            found = payload.get("handler_id") == pid or (
                person.user_id is not None and people.get("handler") == person.user_id
            )
            capacity = "handler"
        else:
            found = pid in (payload.get("member_ids") or []) or (
                person.user_id is not None and person.user_id in (people.get("members") or [])
            )
            capacity = "committee"
        if found and capacity not in capacities.get(complaint_id, []):
            capacities.setdefault(complaint_id, []).append(capacity)
    complaints = Complaint.objects.filter(pk__in=list(capacities)).order_by("received_on", "pk")
    order = (ComplaintPerson.SUBJECT, ComplaintPerson.INVOLVED, "handler", "committee")
    return [
        Involvement(complaint, capacity)
        for complaint in complaints
        for capacity in order
        if capacity in capacities[complaint.pk]
    ]


def erasure_of(complaint: Complaint) -> Erasure | None:
    """The erasure of the complaint's personal data, if it was erased."""
    return Erasure.objects.filter(complaint=complaint).select_related("erased_by").first()
