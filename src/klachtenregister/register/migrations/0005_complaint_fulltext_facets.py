"""The Klachten page at a million complaints: indexes for its filter choices and, on
PostgreSQL, a Dutch full-text index on the search text.

``selectors.complaint_list.choices`` walks (organisation, category) and (organisation,
commissioning_party) instead of reading every complaint. The search matches a word also by its
Dutch word form (``to_tsvector('dutch', search_text) @@ plainto_tsquery('dutch', word)``); the
GIN index below is on exactly that expression. SQLite has neither full-text nor trigram search
here and falls back to the substring match alone (docs/architecture.md).
"""

from django.db import migrations, models

POSTGRESQL_FORWARD = [
    "CREATE INDEX register_complaint_search_fts ON register_complaint "
    "USING gin (to_tsvector('dutch'::regconfig, search_text));",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS register_complaint_search_fts;"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0004_complaint_state_voided"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["organisation", "category"], name="register_complaint_category"
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["organisation", "commissioning_party"], name="register_complaint_party"
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
