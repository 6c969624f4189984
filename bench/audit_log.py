"""Audit log: how fast entries are written (inside transactions) and the chain verified.

    .venv/bin/python bench/audit_log.py [ENTRIES]     (default 100,000)

Uses its own SQLite file under var/ unless DATABASE_URL is set; prints its figures.
"""

import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kith.config.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-audit.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from kith.audit.services import audit_record, audit_verify  # noqa: E402


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    call_command("migrate", verbosity=0)
    people = [uuid.uuid4() for _ in range(1000)]
    started = time.perf_counter()
    batch = 1000
    for start in range(0, entries, batch):
        with transaction.atomic():
            for n in range(start, min(entries, start + batch)):
                audit_record(
                    actor=None,
                    action="view",
                    person_id=people[n % 1000],
                    object_type="people.person",
                    object_id=people[n % 1000],
                    rule="team",
                )
        print(f"\rWritten {min(entries, start + batch):,} of {entries:,}", end="", flush=True)
    written = time.perf_counter() - started
    print(f"\nWrote {entries:,} entries in {written:.1f}s: {entries / written:,.0f} per second")
    started = time.perf_counter()
    result = audit_verify()
    verified = time.perf_counter() - started
    print(
        f"Verified {result.checked:,} entries in {verified:.1f}s: "
        f"{result.checked / verified:,.0f} per second (intact: {result.ok})"
    )


if __name__ == "__main__":
    main()
