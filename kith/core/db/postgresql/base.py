"""PostgreSQL with Kith's one addition: the test suite's flush may empty append-only tables."""

from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base, operations

from kith.core.db.append_only import ERASE_SETTING


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = super().sql_flush(style, tables, **kwargs)
        if not statements or not getattr(settings, "KITH_ALLOW_TEST_FLUSH", False):
            return statements
        return [f"SET LOCAL {ERASE_SETTING} = 'on'", *statements]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
