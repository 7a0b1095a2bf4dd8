"""Personal data in log rows written before it was kept apart moves into ``PersonalData``.

Migration 0013 kept the personal details of events apart from the log from then on
(register.personal); rows written before it, and the measures' descriptions written before
they counted as personal data, still hold them in ``payload``, where an erasure cannot reach
them. This moves them: the row keeps the rest (a correction keeps which facts changed), the
``PersonalData`` row of the event gets the rest, as ``register.personal.split`` does for a new
event. For a complaint already erased the moved values are erased at once ("[verwijderd]",
names as numbered placeholders).

The log is append-only: a trigger refuses every UPDATE of ``register_complaintevent`` (0002),
and the application's role has no UPDATE on it at all. Moving data out of a row is an UPDATE,
and there is no other way to take it out of the row, so this migration, which runs as the
tables' owner, switches the trigger off for its own transaction and on again before it commits
(PostgreSQL: ``ALTER TABLE ... DISABLE/ENABLE TRIGGER``, which locks the table for the
migration; SQLite: the trigger is dropped and created again). Nothing but the personal keys
changes in a row; sequence, event, day, actor and time stay.

The keys are frozen here as they were when this was written, so the migration does the same
whatever ``register.personal`` becomes.
"""

from django.db import migrations
from django.utils import timezone

ERASED = "[verwijderd]"
ANY_EVENT = ("note",)
PERSONAL_DETAILS = {
    "note_added": ("text",),
    "decision_made": ("motivation",),
    "hearing_held": ("heard",),
    "measures_recorded": ("description",),
    "delivery_date_changed": ("addressee", "reason"),
}
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

POSTGRESQL_OFF = (
    "ALTER TABLE register_complaintevent DISABLE TRIGGER register_complaintevent_append_only"
)
POSTGRESQL_ON = (
    "ALTER TABLE register_complaintevent ENABLE TRIGGER register_complaintevent_append_only"
)
SQLITE_OFF = "DROP TRIGGER IF EXISTS register_complaintevent_no_update"
# As 0002 creates it.
SQLITE_ON = (
    "CREATE TRIGGER register_complaintevent_no_update BEFORE UPDATE ON register_complaintevent\n"
    "    BEGIN SELECT RAISE(ABORT, 'register_complaintevent is append-only: events are never "
    "changed or deleted'); END;"
)


def _split(event, payload):
    kept = dict(payload)
    apart = {}
    for key in (*ANY_EVENT, *PERSONAL_DETAILS.get(event, ())):
        if key in kept:
            apart[key] = kept.pop(key)
    changes = kept.get("changes")
    if event == "facts_corrected" and isinstance(changes, dict):
        moved = {name: changes[name] for name in changes if name in PERSONAL_FACTS}
        # Already moved (an empty change left in the row): nothing more to take.
        moved = {name: change for name, change in moved.items() if change != {}}
        if moved:
            kept["changes"] = {name: {} if name in moved else c for name, c in changes.items()}
            apart["changes"] = moved
    return kept, apart


def _erased(value, names):
    def pseudonym(name):
        if str(name).startswith(ERASED[:-1]):
            return name
        names.setdefault(name, f"{ERASED[:-1]} {len(names) + 1}]")
        return names[name]

    if isinstance(value, dict):
        return {key: _erased(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [pseudonym(item) for item in value]
    return ERASED if value not in (None, "") else value


def forward(apps, schema_editor):
    ComplaintEvent = apps.get_model("register", "ComplaintEvent")
    PersonalData = apps.get_model("register", "PersonalData")
    vendor = schema_editor.connection.vendor
    moves = []
    for row in ComplaintEvent.objects.select_related("complaint").order_by("pk").iterator():
        kept, apart = _split(row.event, row.payload or {})
        if apart:
            moves.append((row, kept, apart))
    if not moves:
        return
    schema_editor.execute(POSTGRESQL_OFF if vendor == "postgresql" else SQLITE_OFF)
    names_by_complaint = {}
    for row, kept, apart in moves:
        record = PersonalData.objects.filter(event_id=row.pk).first()
        complaint = row.complaint
        erased_complaint = complaint.erased_on is not None or complaint.description == ERASED
        if erased_complaint:
            names = names_by_complaint.setdefault(row.complaint_id, {})
            apart = _erased(apart, names)
        if record is None:
            PersonalData.objects.create(
                event_id=row.pk,
                complaint_id=row.complaint_id,
                values=apart,
                erased_at=timezone.now() if erased_complaint else None,
            )
        else:
            values = dict(record.values)
            if "changes" in apart:
                values["changes"] = {**values.get("changes", {}), **apart.pop("changes")}
            values.update(apart)
            record.values = values
            record.save(update_fields=["values"])
        ComplaintEvent.objects.filter(pk=row.pk).update(payload=kept)
    schema_editor.execute(POSTGRESQL_ON if vendor == "postgresql" else SQLITE_ON)


class Migration(migrations.Migration):
    dependencies = [("register", "0016_complaint_facts_guard")]
    # One way: putting personal data back into the append-only log is not wanted.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
