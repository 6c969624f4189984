"""Statutory returns: how long the SSDA903 and the CIN census take to build from a seeded
council, and to check with the DfE's own validators.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kith_county \\
        .venv/bin/python bench/returns.py [--year 2027] [--out var/bench-returns]

Builds each return for the collection year (named by the March it ends in; default the current
one) as a performance officer would (`ssda903_build`, `cin_census_build`: the reads, the audit
entry, the files), then runs `csc-validator-be-903` (with last year's return beside it, for the
rules comparing the two, and on last year's alone) and `csc-validator-be-cin` on the files
(`make setup` installs them; `--only ssda903|cin` builds and checks one). Prints the build
and validation times, the children and rows in each return, and the validators' error and
query counts by rule. The database must be migrated
and seeded (`kith seed --size county`; `--seed-if-empty SIZE` seeds an empty one first). The
default development database is refused: set DATABASE_URL. The performance officer the bench
makes, and the audit entries, are rolled back at the end; the files are kept in --out.
"""

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kith.config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from kith.accounts.models import Membership, Team, User  # noqa: E402
from kith.returns import validators  # noqa: E402
from kith.returns.cin_census import cin_census_build  # noqa: E402
from kith.returns.periods import collection_year  # noqa: E402
from kith.returns.ssda903 import ssda903_build  # noqa: E402


class Rollback(Exception):
    """Raised to leave the bench's transaction without keeping anything."""


def database_ready(size: str | None) -> None:
    default = f"sqlite:///{settings.BASE_DIR / 'var' / 'kith.sqlite3'}"
    if os.environ.get("DATABASE_URL", default) == default:
        sys.exit("Set DATABASE_URL to the seeded database to measure (not var/kith.sqlite3).")
    tables = set(connection.introspection.table_names())
    if User._meta.db_table not in tables or not User.objects.exists():
        if size is None:
            sys.exit("The database is empty: seed it first, or pass --seed-if-empty SIZE.")
        print(f"Seeding a {size} council first…", flush=True)
        call_command("migrate", verbosity=0)
        call_command("seed", size=size, seed=1)


def performance_officer() -> User:
    user = User.objects.create(username=f"bench-{uuid.uuid4().hex[:8]}", first_name="Bench")
    team = Team.objects.filter(kind=Team.Kind.TEAM).order_by("name").first()
    Membership.objects.create(
        user=user, team=team, role_id="performance_officer", start_date=dt.date(2018, 4, 1)
    )
    return user


def counter(label: str) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        if total and (done == total or done % 500 == 0):
            print(f"  {label}: {done:,} of {total:,}", flush=True)

    return progress


def show(report: validators.Report, seconds: float) -> None:
    errors = Counter(issue.rule for issue in report.errors)
    queries = Counter(issue.rule for issue in report.queries)
    print(
        f"  validated in {seconds:.1f} s: {len(report.errors)} errors, "
        f"{len(report.queries)} queries; {len(report.rules_run)} rules run, "
        f"{len(report.rules_skipped)} skipped, crashed: {', '.join(report.rules_crashed) or 'none'}"
    )
    for rule, count in errors.most_common(15):
        print(f"    error {rule}: {count}")
    limited = Counter(issue.rule for issue in report.two_year_limited)
    for rule, count in limited.most_common():
        print(f"    not counted, the validator's two-year limit {rule}: {count}")
    for rule, count in queries.most_common(15):
        print(f"    query {rule}: {count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench-returns")
    parser.add_argument("--seed-if-empty", choices=["small", "medium", "county"], default=None)
    parser.add_argument(
        "--only", choices=["ssda903", "cin"], default=None, help="Build and check one return."
    )
    options = parser.parse_args()
    database_ready(options.seed_if_empty)
    year = options.year or collection_year(timezone.localdate())
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    print(f"Collection year {year} on {connection.vendor}; files in {out}")
    cin_file = out / f"cin-{year}.xml"
    try:
        with transaction.atomic():
            actor = performance_officer()
            if options.only != "cin":
                started = time.perf_counter()
                built = ssda903_build(
                    actor=actor, year=year, out_dir=out / "ssda903", progress=counter("SSDA903")
                )
                ssda903_seconds = time.perf_counter() - started
                # last year's return too, for the rules that compare the two
                ssda903_build(actor=actor, year=year - 1, out_dir=out / f"ssda903-{year - 1}")
            if options.only != "ssda903":
                started = time.perf_counter()
                cin = cin_census_build(
                    actor=actor, year=year, out=cin_file, progress=counter("CIN")
                )
                cin_seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    if options.only != "cin":
        check_ssda903(out, year, built, ssda903_seconds)
    if options.only != "ssda903":
        check_cin(cin_file, year, cin, cin_seconds)


def check_ssda903(out: Path, year: int, built: Any, ssda903_seconds: float) -> None:
    print(
        f"SSDA903 built in {ssda903_seconds:.1f} s: {built.children:,} children, "
        + ", ".join(f"{table} {rows:,}" for table, rows in sorted(built.counts.items()))
        + f"; {len(built.problems)} records named as problems"
    )
    started = time.perf_counter()
    report = validators.validate_ssda903(
        out / "ssda903",
        year=year,
        local_authority=settings.KITH_COUNCIL_ONS_CODE,
        previous=out / f"ssda903-{year - 1}",
    )
    show(report, time.perf_counter() - started)
    started = time.perf_counter()
    print(f"  last year's ({year - 1}) return on its own:")
    report = validators.validate_ssda903(
        out / f"ssda903-{year - 1}", year=year - 1, local_authority=settings.KITH_COUNCIL_ONS_CODE
    )
    show(report, time.perf_counter() - started)


def check_cin(cin_file: Path, year: int, cin: Any, cin_seconds: float) -> None:
    print(
        f"CIN census built in {cin_seconds:.1f} s: {cin.children:,} children, "
        + ", ".join(f"{block} {rows:,}" for block, rows in sorted(cin.counts.items()))
        + f"; {len(cin.problems)} records named as problems"
    )
    started = time.perf_counter()
    show(validators.validate_cin(cin_file, year=year), time.perf_counter() - started)


if __name__ == "__main__":
    main()
