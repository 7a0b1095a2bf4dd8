"""A complaint's registered facts change only through the log (issue 16 §4), in the database itself.

The complaint's columns hold the facts as registered, corrected since. The application's role
may UPDATE the row (its state, sequence, next due date and the other derived columns are
rewritten after every event), so a row trigger decides which changes of the facts it lets
through (PostgreSQL; the embedded SQLite has no application role to guard against):

- the registration's record (organisation, reference, number, anonymity, who registered, when)
  never changes;
- a correctable fact changes only when the log already holds a ``facts_corrected`` event newer
  than the row's sequence that names that fact (``payload.changes``): the correction is stored
  first, and a change without one is refused. Adding such an event is itself an append to the
  log, which keeps it for good;
- an erasure (privacy) of a closed, withdrawn or voided complaint may replace the personal facts
  by their placeholders ("[verwijderd]", empty contact data, the neutral form of address), and
  nothing else; it sets ``erased_on`` (added here), which never changes after, so an erased
  complaint stays erased (it cannot be reopened: ``Lifecycle.erased``).

The people the complaint is about (``register_complaintperson``) follow the same rule: a name
changes only to a placeholder, and subjects are added or removed only at registration (before
the first event) or by a correction in the log.
A setting the application could turn on by itself (``SET LOCAL``) would guard nothing against
the role; the log it cannot rewrite does.
"""

from django.db import migrations, models

ERASED = "[verwijderd]"

POSTGRESQL_FORWARD = f"""
CREATE FUNCTION register_complaint_facts_guard() RETURNS trigger AS $$
DECLARE
    old_row jsonb := to_jsonb(OLD);
    new_row jsonb := to_jsonb(NEW);
    col text;
    changed text[] := '{{}}';
    named text[] := '{{}}';
    erasure boolean := NEW.erased_on IS NOT NULL AND NEW.state IN ('closed', 'withdrawn', 'voided');
BEGIN
    IF OLD.erased_on IS NOT NULL AND NEW.erased_on IS DISTINCT FROM OLD.erased_on
        OR OLD.erased_on IS NULL AND NEW.erased_on IS NOT NULL AND NOT erasure THEN
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE =
            'register_complaint: erased_on is set once, by the erasure of a closed complaint, '
            || 'and never changes';
    END IF;
    FOREACH col IN ARRAY ARRAY['id', 'organisation_id', 'reference', 'year', 'number',
            'anonymous', 'complainant_language', 'uwv_client', 'registered_by_id', 'created_at']
    LOOP
        IF old_row -> col IS DISTINCT FROM new_row -> col THEN
            RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE =
                'register_complaint: ' || col || ' is part of the registration and never changes';
        END IF;
    END LOOP;
    FOREACH col IN ARRAY ARRAY['complainant_name', 'form_of_address', 'complainant_email',
            'complainant_phone', 'complainant_address', 'representative_name',
            'representative_capacity', 'commissioning_party', 'manager_name', 'manager_id',
            'category', 'channel', 'facts_date', 'description', 'received_on',
            'regulation_version_id']
    LOOP
        IF old_row -> col IS DISTINCT FROM new_row -> col THEN
            changed := changed || col;
            -- What a correction names: the manager's link follows the name, the regulation
            -- version the day of receipt.
            named := named || CASE col WHEN 'manager_id' THEN 'manager_name'
                                       WHEN 'regulation_version_id' THEN 'received_on'
                                       ELSE col END;
            IF NOT (
                (col IN ('complainant_name', 'representative_name', 'representative_capacity',
                         'description') AND new_row ->> col = '{ERASED}')
                OR (col IN ('complainant_email', 'complainant_phone', 'complainant_address')
                    AND new_row ->> col = '')
                OR (col = 'form_of_address' AND new_row ->> col = 'neutral')
            ) THEN
                erasure := false;
            END IF;
        END IF;
    END LOOP;
    IF cardinality(changed) = 0 OR erasure THEN
        RETURN NEW;
    END IF;
    IF EXISTS (
        SELECT 1 FROM register_complaintevent e
        WHERE e.complaint_id = NEW.id AND e.event = 'facts_corrected'
          AND e.sequence > OLD.sequence AND (e.payload -> 'changes') ?& named
    ) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE =
        'register_complaint: the facts (' || array_to_string(changed, ', ')
        || ') change only by a correction in the log';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER register_complaint_facts_guard
    BEFORE UPDATE ON register_complaint
    FOR EACH ROW EXECUTE FUNCTION register_complaint_facts_guard();

CREATE FUNCTION register_complaintperson_guard() RETURNS trigger AS $$
DECLARE
    row register_complaintperson;
BEGIN
    IF TG_OP = 'DELETE' THEN row := OLD; ELSE row := NEW; END IF;
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.id, NEW.complaint_id, NEW.relation, NEW.user_id)
                IS DISTINCT FROM (OLD.id, OLD.complaint_id, OLD.relation, OLD.user_id)
            OR (NEW.name <> OLD.name AND NEW.name !~ '^\\[verwijderd [0-9]+\\]$') THEN
            RAISE EXCEPTION 'register_complaintperson: a person on a complaint changes only by '
                'a correction in the log, or to a placeholder by an erasure'
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF row.relation <> 'subject' THEN
        RETURN row;  -- who may be the same person as a member: kept by the register itself
    END IF;
    IF NOT EXISTS (SELECT 1 FROM register_complaintevent e WHERE e.complaint_id = row.complaint_id)
        OR EXISTS (
            SELECT 1 FROM register_complaintevent e JOIN register_complaint c
                ON c.id = e.complaint_id
            WHERE e.complaint_id = row.complaint_id AND e.event = 'facts_corrected'
              AND e.sequence > c.sequence AND (e.payload -> 'changes') ? 'subjects'
        ) THEN
        RETURN row;
    END IF;
    RAISE EXCEPTION 'register_complaintperson: the subjects change only by a correction in the log'
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER register_complaintperson_guard
    BEFORE INSERT OR UPDATE OR DELETE ON register_complaintperson
    FOR EACH ROW EXECUTE FUNCTION register_complaintperson_guard();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS register_complaintperson_guard ON register_complaintperson;
DROP FUNCTION IF EXISTS register_complaintperson_guard();
DROP TRIGGER IF EXISTS register_complaint_facts_guard ON register_complaint;
DROP FUNCTION IF EXISTS register_complaint_facts_guard();
"""


def forward(apps, schema_editor):
    # Complaints erased before this migration (privacy's Erasure, when its table exists yet)
    # are marked, before the trigger guards the column.
    connection = schema_editor.connection
    if "privacy_erasure" in connection.introspection.table_names():
        day = "e.erased_at::date" if connection.vendor == "postgresql" else "date(e.erased_at)"
        schema_editor.execute(
            f"UPDATE register_complaint SET erased_on = (SELECT {day} FROM privacy_erasure e "
            "WHERE e.complaint_id = register_complaint.id) "
            "WHERE id IN (SELECT complaint_id FROM privacy_erasure)"
        )
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("register", "0015_people")]
    operations = [
        migrations.AddField(
            model_name="complaint",
            name="erased_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="persoonsgegevens verwijderd op"
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
