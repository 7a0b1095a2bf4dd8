"""Log rows written before personal data was kept apart (migration 0013), and measures'
descriptions written before they counted as personal data, are moved into ``PersonalData`` by
migration 0017: the row keeps the rest, the register reads the same details, an erasure reaches
them, and the log is append-only again afterwards."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction

from klachtenregister.register.models import Complaint, ComplaintEvent, Organisation, PersonalData
from klachtenregister.register.personal import ERASED, with_personal_data
from klachtenregister.register.services import register_complaint
from tests.support.complaints import complaint_data, record

move = importlib.import_module("klachtenregister.register.migrations.0017_move_personal_details")


def _old_row(complaint: Complaint, event: str, payload: dict[str, Any]) -> ComplaintEvent:
    """A row as the register wrote it before 0013: everything in the payload."""
    complaint.refresh_from_db()
    complaint.sequence += 1
    row = ComplaintEvent.objects.create(
        complaint=complaint,
        sequence=complaint.sequence,
        event=event,
        on=complaint.received_on,
        role="klachtenfunctionaris",
        actor_name="Klara",
        payload=payload,
    )
    Complaint.objects.filter(pk=complaint.pk).update(sequence=complaint.sequence)
    return row


def _migrate() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The test's own inserts leave deferred checks; a migration starts without any.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # The migration's work within the test's transaction (SQLite's schema editor refuses to
    # open inside one; the statements are the same).
    editor = connection.schema_editor(atomic=False)
    editor.deferred_sql = []
    move.forward(apps, editor)


def test_old_rows_personal_details_move_apart_and_read_the_same(
    iskander: Organisation, klara: User, today: Any
) -> None:
    today.set("2027-04-19")
    complaint = register_complaint(iskander, klara, complaint_data("2027-04-19"))
    note = _old_row(complaint, "note_added", {"kind": "telephone", "text": "Mevrouw belde."})
    measure = _old_row(
        complaint,
        "measures_recorded",
        {"type": "corrective", "description": "Excuses aan mevrouw De Vries", "note": "n.a.v."},
    )
    # A measure recorded since 0013: its note apart already, its description not yet.
    recorded = record(
        complaint,
        klara,
        "note_added",
        "2027-04-19",
        {"kind": "other", "text": "Al apart bewaard."},
    )[-1]
    before = {row.pk: row.payload for row in with_personal_data(list(complaint.events.all()))}

    _migrate()

    assert ComplaintEvent.objects.get(pk=note.pk).payload == {"kind": "telephone"}
    assert ComplaintEvent.objects.get(pk=measure.pk).payload == {"type": "corrective"}
    assert PersonalData.objects.get(event=measure).values == {
        "description": "Excuses aan mevrouw De Vries",
        "note": "n.a.v.",
    }
    assert PersonalData.objects.get(event=recorded).values == {"text": "Al apart bewaard."}
    after = {
        row.pk: row.payload
        for row in with_personal_data(list(ComplaintEvent.objects.filter(complaint=complaint)))
    }
    assert after == before
    # Append-only again.
    with pytest.raises(DatabaseError), transaction.atomic():
        ComplaintEvent.objects.filter(pk=note.pk).update(payload={})
    _migrate()  # a second run finds nothing more to move
    assert ComplaintEvent.objects.get(pk=note.pk).payload == {"kind": "telephone"}


def test_an_erased_complaints_old_details_are_erased_when_moved(
    iskander: Organisation, klara: User, today: Any
) -> None:
    today.set("2027-04-19")
    complaint = register_complaint(iskander, klara, complaint_data("2027-04-19"))
    heard = _old_row(complaint, "hearing_held", {"heard": ["Mevrouw De Vries", "Jan Jansen"]})
    measure = _old_row(
        complaint, "measures_recorded", {"type": "preventive", "description": "Gesprek met Jan"}
    )
    # Erased before this migration (the erasure did not reach the rows' payloads).
    Complaint.objects.filter(pk=complaint.pk).update(
        state="withdrawn", description=ERASED, complainant_name=ERASED, erased_on="2027-04-19"
    )

    _migrate()

    assert PersonalData.objects.get(event=heard).values == {
        "heard": ["[verwijderd 1]", "[verwijderd 2]"]
    }
    assert PersonalData.objects.get(event=measure).values == {"description": ERASED}
    assert "Jan" not in str(ComplaintEvent.objects.filter(complaint=complaint).values("payload"))


def test_a_measures_description_is_kept_apart_and_the_measures_page_reads_it(
    iskander: Organisation, klara: User, today: Any
) -> None:
    from klachtenregister.register.personal import split
    from klachtenregister.reports.selectors import measures_of

    kept, apart = split(
        "measures_recorded", {"type": "corrective", "description": "Excuses aan mevrouw"}
    )
    assert (kept, apart) == ({"type": "corrective"}, {"description": "Excuses aan mevrouw"})

    today.set("2027-04-19")
    complaint = register_complaint(iskander, klara, complaint_data("2027-04-19"))
    row = _old_row(complaint, "measures_recorded", kept)
    PersonalData.objects.create(event=row, complaint=complaint, values=apart)
    [measure] = measures_of(iskander)
    assert (measure.kind, measure.description) == ("corrective", "Excuses aan mevrouw")
