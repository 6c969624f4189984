"""Load the note and visit types (data/*.csv), and make the database refuse any change to a
case note's content and any deletion of a case note: corrections and deletions are new rows.

Changes of ``person_id`` (a merge moving rows to the surviving record) are allowed. The
triggers are named like the append-only ones (``kith.core.db.append_only``) so the test
suite's flush (and only it, with ``KITH_ALLOW_TEST_FLUSH``) may empty the table.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
TABLE = "recording_casenote"
PREFIX = "kith_append_only_"
ERASE_SETTING = "kith.allow_erase"
# Every column but person_id (moved by a merge) and updated_at/updated_by.
FROZEN = (
    "id",
    "thread_id",
    "group_id",
    "kind",
    "supersedes_id",
    "note_type_id",
    "event_date",
    "narrative",
    "significant",
    "reason",
    "requested_by",
    "created_at",
    "created_by_id",
)
MESSAGE = f"{TABLE}: a case note is corrected or deleted by a new row, never changed or removed"


def _rows(name):
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load_types(apps, schema_editor):
    NoteType = apps.get_model("recording", "NoteType")
    VisitType = apps.get_model("recording", "VisitType")
    for row in _rows("note_types.csv"):
        NoteType.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "manager_only": row["manager_only"].strip().lower() == "true",
                "position": int(row["position"]),
            },
        )
    for row in _rows("visit_types.csv"):
        VisitType.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "work_item_type": row["work_item_type"],
                "position": int(row["position"]),
            },
        )


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in FROZEN)
        schema_editor.execute(
            f"CREATE TRIGGER {PREFIX}{TABLE}_update BEFORE UPDATE ON {TABLE} "
            f"WHEN {changed} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {PREFIX}{TABLE}_delete BEFORE DELETE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
    elif vendor == "postgresql":
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in FROZEN)
        function = f"{PREFIX}{TABLE}_refuse"
        schema_editor.execute(
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    IF {changed} THEN
                        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
                    END IF;
                    RETURN NEW;
                END IF;
                IF current_setting('{ERASE_SETTING}', true) = 'on' THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
            END $$ LANGUAGE plpgsql"""
        )
        schema_editor.execute(
            f"CREATE TRIGGER {PREFIX}{TABLE}_row BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {PREFIX}{TABLE}_truncate BEFORE TRUNCATE ON {TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    else:
        raise ValueError(f"Case notes are not supported on the {vendor} database.")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}{TABLE}_{op}")
    else:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}{TABLE}_row ON {TABLE}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}{TABLE}_truncate ON {TABLE}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PREFIX}{TABLE}_refuse()")


class Migration(migrations.Migration):
    dependencies = [("recording", "0001_initial")]

    operations = [
        migrations.RunPython(load_types, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
