"""The event log is append-only in the database itself, not only in Python.

PostgreSQL: a row trigger refuses every UPDATE and DELETE of ``web_complaintevent``.
SQLite: triggers refuse every UPDATE, and a DELETE while the event's complaint exists. (Django's
test flush on SQLite empties ``web_complaint`` before ``web_complaintevent`` with foreign keys off;
on PostgreSQL the flush is a TRUNCATE, which row triggers do not see. Neither happens in use:
complaints are never deleted, and the foreign key keeps their events.)
"""

from django.db import migrations

MESSAGE = "web_complaintevent is append-only: events are never changed or deleted"

POSTGRESQL_FORWARD = f"""
CREATE FUNCTION web_complaintevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER web_complaintevent_append_only
    BEFORE UPDATE OR DELETE ON web_complaintevent
    FOR EACH ROW EXECUTE FUNCTION web_complaintevent_append_only();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS web_complaintevent_append_only ON web_complaintevent;
DROP FUNCTION IF EXISTS web_complaintevent_append_only();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER web_complaintevent_no_update BEFORE UPDATE ON web_complaintevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER web_complaintevent_no_delete BEFORE DELETE ON web_complaintevent
    WHEN EXISTS (SELECT 1 FROM web_complaint WHERE id = OLD.complaint_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS web_complaintevent_no_update;",
    "DROP TRIGGER IF EXISTS web_complaintevent_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"no append-only rule for database {vendor!r}; add one here")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = POSTGRESQL_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD
    for statement in [statements] if isinstance(statements, str) else statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("web", "0002_complaints")]
    operations = [migrations.RunPython(forward, backward)]
