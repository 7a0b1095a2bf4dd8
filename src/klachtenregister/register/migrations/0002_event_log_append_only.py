"""The event log is append-only in the database itself, not only in Python.

PostgreSQL: a row trigger refuses every UPDATE and DELETE of ``register_complaintevent``.
SQLite: triggers refuse every UPDATE, and a DELETE while the event's complaint exists. (Django's
test flush on SQLite empties ``register_complaint`` before ``register_complaintevent`` with foreign keys off;
on PostgreSQL the flush is a TRUNCATE, which row triggers do not see. Neither happens in use:
complaints are never deleted, and the foreign key keeps their events.)
"""

from django.db import migrations

MESSAGE = "register_complaintevent is append-only: events are never changed or deleted"

POSTGRESQL_FORWARD = f"""
CREATE FUNCTION register_complaintevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER register_complaintevent_append_only
    BEFORE UPDATE OR DELETE ON register_complaintevent
    FOR EACH ROW EXECUTE FUNCTION register_complaintevent_append_only();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS register_complaintevent_append_only ON register_complaintevent;
DROP FUNCTION IF EXISTS register_complaintevent_append_only();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER register_complaintevent_no_update BEFORE UPDATE ON register_complaintevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER register_complaintevent_no_delete BEFORE DELETE ON register_complaintevent
    WHEN EXISTS (SELECT 1 FROM register_complaint WHERE id = OLD.complaint_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS register_complaintevent_no_update;",
    "DROP TRIGGER IF EXISTS register_complaintevent_no_delete;",
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
    dependencies = [("register", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
