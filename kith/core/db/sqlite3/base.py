"""SQLite with Kith's one addition: the test suite's flush may empty append-only tables."""

from typing import Any

from django.conf import settings
from django.db.backends.sqlite3 import base, operations

from kith.core.db.append_only import TRIGGER_PREFIX


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = super().sql_flush(style, tables, **kwargs)
        if not statements or not getattr(settings, "KITH_ALLOW_TEST_FLUSH", False):
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER_PREFIX}%"],
            )
            triggers = cursor.fetchall()
        drops = [f"DROP TRIGGER {name}" for name, _ in triggers]
        return drops + list(statements) + [sql for _, sql in triggers]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
