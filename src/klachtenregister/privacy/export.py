"""One person's data across an organisation's complaints, for a request under AVG art. 15: a
ZIP with ``gegevens.json`` (every complaint they are in and what the register holds of them)
and, for each complaint they made, its dossier PDF with its letters and attachments.

As complainant a person gets their whole file (it is the file SmartPLUS art. 6 lets them see).
As subject (beklaagde) they get the complaint's reference, dates, state, outcome and category,
and the corrections of their name; the complainant's data is another person's (AVG art. 15 lid
4), so what more to give is the coordinator's judgement (docs/privacy.md).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import zipfile
from typing import IO, Any

from django.utils import timezone

from klachtenregister.correspondence.dossier import (
    SPOOL_LIMIT,
    archive_names,
    dossier_filename,
    dossier_of,
    dossier_pdf,
)
from klachtenregister.privacy.selectors import Involvement, complaints_of, complaints_of_person
from klachtenregister.register.models import Complaint, Organisation, Person
from klachtenregister.register.personal import with_personal_data

EXPORT_VERSION = 1


def _complainant_part(complaint: Complaint) -> dict[str, Any]:
    rows = with_personal_data(list(complaint.events.order_by("sequence")))
    return {
        "complainant": {
            "name": complaint.complainant_name,
            "email": complaint.complainant_email,
            "phone": complaint.complainant_phone,
            "address": complaint.complainant_address,
            "language": complaint.complainant_language,
            "form_of_address": complaint.form_of_address,
        },
        "representative": {
            "name": complaint.representative_name,
            "capacity": complaint.representative_capacity,
        },
        "description": complaint.description,
        "facts_date": complaint.facts_date.isoformat() if complaint.facts_date else None,
        "log": [
            {
                "sequence": row.sequence,
                "on": row.on.isoformat(),
                "event": row.event,
                "recorded_by": row.actor_name,
                "details": row.payload,
            }
            for row in rows
        ],
        "documents": [
            {
                "name": document.name,
                "added_on": timezone.localdate(document.uploaded_at).isoformat(),
            }
            for document in complaint.documents.all()
        ],
        "letters": [
            {
                "label": letter.label,
                "dated_on": letter.dated_on.isoformat(),
                "addressee": letter.addressee_name,
                "address": letter.addressee_address,
                "email": letter.addressee_email,
            }
            for letter in complaint.letters.order_by("dated_on", "pk")
        ],
    }


def _entry(found: Involvement) -> dict[str, Any]:
    complaint = found.complaint
    entry: dict[str, Any] = {
        "reference": complaint.reference,
        "capacity": found.capacity,
        "received_on": complaint.received_on.isoformat(),
        "channel": complaint.channel,
        "state": complaint.state,
        "outcome": complaint.outcome,
        "closed_on": complaint.closed_on.isoformat() if complaint.closed_on else None,
        "category": complaint.category,
        "commissioning_party": complaint.commissioning_party,
    }
    if found.capacity == "complainant":
        entry.update(_complainant_part(complaint))
    return entry


def person_data(
    organisation: Organisation,
    name: str,
    email: str,
    now: dt.datetime,
    person: Person | None = None,
) -> tuple[dict[str, Any], list[Involvement]]:
    """The JSON of the export and the complaints it covers. ``person``: one of the
    organisation's people, found by identity (``complaints_of``); a name or address given
    besides finds the complaints they made."""
    found = found_for(organisation, name, email, person)
    who: dict[str, Any] = {"name": name, "email": email}
    if person is not None:
        who = {**who, "person": {"id": person.pk, "name": person.name, "kind": person.kind}}
    data = {
        "export_version": EXPORT_VERSION,
        "organisation": organisation.slug,
        "made_at": now.isoformat(),
        "person": who,
        "complaints": [_entry(item) for item in found],
    }
    return data, found


def found_for(
    organisation: Organisation, name: str, email: str, person: Person | None = None
) -> list[Involvement]:
    """The complaints an export covers: the person's by identity, and those they made as
    complainant by name or e-mail address (a complainant is not linked to a person)."""
    if person is None:
        return complaints_of_person(organisation, name, email)
    if person.organisation_id != organisation.pk:
        return []
    found = complaints_of(person)
    if name or email:
        seen = {(item.complaint.pk, item.capacity) for item in found}
        found += [
            item
            for item in complaints_of_person(organisation, name, email)
            if item.capacity == "complainant" and (item.complaint.pk, "complainant") not in seen
        ]
    return found


def person_zip(
    organisation: Organisation,
    name: str,
    email: str,
    now: dt.datetime,
    lang: str = "nl",
    person: Person | None = None,
) -> tuple[IO[bytes], list[Involvement]]:
    """The export as a ZIP, positioned at its start, and the complaints it covers."""
    data, found = person_data(organisation, name, email, now, person)
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT)  # noqa: SIM115 returned open
    today = timezone.localdate(now)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("gegevens.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        for item in found:
            if item.capacity != "complainant":
                continue
            dossier = dossier_of(item.complaint, today, lang)
            folder = item.complaint.reference
            archive.writestr(
                f"{folder}/{dossier_filename(item.complaint, 'pdf')}", dossier_pdf(dossier)
            )
            for path, row in archive_names(dossier):
                try:
                    source = row.document.file.open("rb")
                except (FileNotFoundError, ValueError):
                    continue  # erased, or missing from storage: the dossier lists it
                with source, archive.open(f"{folder}/{path}", "w", force_zip64=True) as sink:
                    shutil.copyfileobj(source, sink, 1024 * 1024)
    target.seek(0)
    return target, found
