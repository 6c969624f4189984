"""On PostgreSQL: trigram indexes on names, for tolerant search. SQLite uses the search keys."""

from django.db import migrations

INDEXES = (
    ("people_person_family_trgm", "people_person", "family_name"),
    ("people_person_given_trgm", "people_person", "given_name"),
    ("people_personname_family_trgm", "people_personname", "family_name"),
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (lower({column}) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0003_client_index")]

    operations = [migrations.RunPython(forwards, backwards)]
