"""The duplicate scan: how long it takes, and where the time goes.

    DATABASE_URL=sqlite:////path/to/medium.sqlite3 .venv/bin/python bench/duplicate_scan.py
    DATABASE_URL=postgres://... .venv/bin/python bench/duplicate_scan.py --read-only

Times reading the blocking groups alone, then a whole scan as ``kith duplicate_scan`` runs it
(a ``DuplicateScan`` row, progress, its pairs published). ``--read-only`` times only the
reading and scoring (``duplicate_pairs_find``) inside a read-only transaction, writing
nothing: for a database you must not change. ``--profile`` prints where the time went.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kith.config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from kith.people.models import Person  # noqa: E402
from kith.people.services_duplicates import (  # noqa: E402
    duplicate_pairs_find,
    duplicate_scan_groups,
    duplicate_scan_run,
    duplicate_scan_start,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--read-only", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    people = Person.objects.filter(merged_into__isnull=True).count()
    print(f"{connection.vendor}: {people:,} people")

    started = time.perf_counter()
    groups = duplicate_scan_groups()
    in_groups = len({p for ids in groups.values() for p in ids})
    print(
        f"blocking groups read: {len(groups):,} groups, {in_groups:,} people, "
        f"{time.perf_counter() - started:.1f} s"
    )

    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    if args.read_only:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION READ ONLY")
            found, (in_groups, compared) = duplicate_pairs_find()
            transaction.set_rollback(True)
        pairs = len(found)
    else:
        scan = duplicate_scan_start(actor=None, run_in_background=False)
        finished = duplicate_scan_run(scan_id=scan.pk)
        assert finished is not None
        pairs, compared = finished.pairs_found, finished.pairs_compared
    seconds = time.perf_counter() - started
    if profiler:
        profiler.disable()
    print(
        f"{'pairs found (read only)' if args.read_only else 'whole scan'}: {compared:,} pairs "
        f"compared, {pairs:,} found, {seconds:.1f} s "
        f"({compared / seconds:,.0f} pairs a second)"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)


if __name__ == "__main__":
    main()
