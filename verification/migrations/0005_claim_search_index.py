"""A GIN index for the claim search's full-text expression (verification/selectors/search.py).

PostgreSQL only: SQLite has no such index, and the search falls back to a plain match there.
The expression is exactly what SearchVector("text", config="english") compiles to, so the
planner can use the index.
"""

from django.db import migrations

INDEX = "verification_claim_text_fts"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON verification_claim "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("verification", "0004_desk_permissions")]

    operations = [migrations.RunPython(create, drop)]
