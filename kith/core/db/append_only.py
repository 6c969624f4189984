"""Append-only tables: the database itself refuses UPDATE and DELETE (and TRUNCATE).

Triggers are named ``kith_append_only_<table>_<op>``. The test suite (and only the test suite,
with ``KITH_ALLOW_TEST_FLUSH``) may empty such tables between tests through ``flush``.
"""

from typing import Any

TRIGGER_PREFIX = "kith_append_only_"
ERASE_SETTING = "kith.allow_erase"


def create_sql(vendor: str, table: str) -> list[str]:
    message = f"{table} is append-only: rows cannot be changed or deleted"
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {TRIGGER_PREFIX}{table}_{op} BEFORE {op.upper()} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            for op in ("update", "delete")
        ]
    if vendor == "postgresql":
        function = f"{TRIGGER_PREFIX}{table}_refuse"
        return [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
                IF TG_OP IN ('DELETE', 'TRUNCATE')
                   AND current_setting('{ERASE_SETTING}', true) = 'on' THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege';
            END $$ LANGUAGE plpgsql""",
            f"CREATE TRIGGER {TRIGGER_PREFIX}{table}_row BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {TRIGGER_PREFIX}{table}_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    raise ValueError(f"Append-only tables are not supported on the {vendor} database.")


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}{table}_{op}" for op in ("update", "delete")
        ]
    return [
        f"DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}{table}_row ON {table}",
        f"DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}{table}_truncate ON {table}",
        f"DROP FUNCTION IF EXISTS {TRIGGER_PREFIX}{table}_refuse()",
    ]


def make_append_only(table: str) -> Any:
    """A migration operation that adds the triggers on either database."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        for statement in create_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for statement in drop_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)

    return migrations.RunPython(forwards, backwards)
