"""Managers' dashboards: how long the team dashboard and the service and directorate
dashboards take to render on a seeded database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kith_county \\
        .venv/bin/python bench/dashboard.py [--teams 20] [--repeat 10]

Renders the team dashboard for the 20 teams with the most open cases, and the dashboard of
every service and directorate, 10 times each, by calling the views with a signed-in request
(``RequestFactory``, a user with a verified second factor): the selectors, the access policy,
the audit entry, the charts and the templates (the layout's unallocated banner and navigation
included), without the middleware. Prints p50/p95 in ms and the queries per page, for each
kind of dashboard and the slowest single dashboard.

The database must be migrated and seeded. A county is ``kith seed --size county``: about
32 minutes and a 2.2 GB SQLite file (see docs/performance.md). ``--seed-if-empty SIZE`` runs
``migrate`` and the seed on an empty database for you. The default development database
(var/kith.sqlite3) is refused: set DATABASE_URL.

Nothing is kept. Everything the bench writes runs in one transaction rolled back at the end:
a manager for each service and directorate (the seed makes team managers only), the audit
entries the team dashboards write and, on a database with no work items, rough synthetic
work items for the open cases: one to three each, over the last 400 days, about 60% still
open (half of those past their due date), the rest completed, mostly by the due date;
allocated to the person's worker where they have one. The seed makes its own work now
(``kith.demo.work_seed``: statutory steps with due dates from the timescale rules, about
15% of open steps overdue); to measure that on a council seeded before it, add it first
with ``kith seed --work-only`` (kept), and the bench uses it as it is. ``--extra-cases N`` adds N
more open cases spread over the people already there (for trying county-sized caseloads on
a small seed).
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kith.config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.messages.storage.fallback import FallbackStorage  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from kith.accounts.models import Membership, Team, User  # noqa: E402
from kith.people.models import Person  # noqa: E402
from kith.work.dashboards import views  # noqa: E402
from kith.work.models import (  # noqa: E402
    Allocation,
    Involvement,
    TeamMonthFigures,
    WorkItem,
    WorkItemType,
)


class Rollback(Exception):
    """Raised to leave the bench's transaction without keeping anything."""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def database_ready(size: str | None) -> None:
    default = f"sqlite:///{settings.BASE_DIR / 'var' / 'kith.sqlite3'}"
    if os.environ.get("DATABASE_URL", default) == default:
        sys.exit("Set DATABASE_URL to the seeded database to measure (not var/kith.sqlite3).")
    tables = set(connection.introspection.table_names())
    if User._meta.db_table not in tables or not User.objects.exists():
        if size is None:
            sys.exit(
                "The database is empty: seed it with `kith migrate && kith seed --size county` "
                "(about 32 minutes), or pass --seed-if-empty county."
            )
        print(f"Seeding a {size} council first (county: about 32 minutes)…", flush=True)
        call_command("migrate", verbosity=0)
        call_command("seed", size=size, seed=1)


def bench_manager(units: list[Team]) -> User:
    """A manager of these services or directorates (the seed has team managers only)."""
    user = User.objects.create(username=f"bench-{uuid.uuid4().hex[:8]}", first_name="Bench")
    Membership.objects.bulk_create(
        Membership(user=user, team=unit, role_id="team_manager", start_date=dt.date(2018, 4, 1))
        for unit in units
    )
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def add_cases(n: int, rng: random.Random, today: dt.date) -> None:
    """N more open cases, each a new person (a name and an LA number, nothing else) with a
    team, 80% allocated to a member of it and 10% with an earlier allocation ended."""
    first = (Person.objects.order_by("-la_number").values_list("la_number", flat=True).first()) or 0
    people = [
        Person(la_number=first + 1 + i, given_name="Bench", family_name=f"Case {i}")
        for i in range(n)
    ]
    Person.objects.bulk_create(people, batch_size=2_000)
    teams = list(Team.objects.filter(kind=Team.Kind.TEAM, closed_on__isnull=True))
    members: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for team_id, user_id in Membership.objects.filter(end_date__isnull=True).values_list(
        "team_id", "user_id"
    ):
        members[team_id].append(user_id)
    involvements, allocations = [], []
    for person in people:
        team = rng.choice(teams)
        start = today - dt.timedelta(days=rng.randint(0, 400))
        involvements.append(Involvement(person=person, team=team, start_date=start))
        if not members[team.pk]:
            continue
        allocated = start + dt.timedelta(days=rng.randint(0, 20))
        if rng.random() < 0.1 and allocated < today - dt.timedelta(days=30):
            ended = allocated + dt.timedelta(days=rng.randint(1, 25))
            allocations.append(
                Allocation(
                    person=person,
                    team=team,
                    worker_id=rng.choice(members[team.pk]),
                    start_date=allocated,
                    end_date=ended,
                    end_reason="Worker left",
                )
            )
            allocated = ended + dt.timedelta(days=rng.randint(1, 5))
        if rng.random() < 0.8 and allocated <= today:
            allocations.append(
                Allocation(
                    person=person,
                    team=team,
                    worker_id=rng.choice(members[team.pk]),
                    start_date=allocated,
                )
            )
    Involvement.objects.bulk_create(involvements, batch_size=2_000)
    Allocation.objects.bulk_create(allocations, batch_size=2_000)
    print(f"  added {len(involvements):,} open cases, {len(allocations):,} allocated")


def add_work_items(rng: random.Random, today: dt.date) -> None:
    types = list(WorkItemType.objects.filter(active=True))
    if not types:
        print("  no work item types: skipping synthetic work items")
        return
    workers = {
        (person, team): worker
        for person, team, worker in Allocation.objects.filter(end_date__isnull=True).values_list(
            "person_id", "team_id", "worker_id"
        )
    }
    items = []
    for person, team in Involvement.objects.filter(end_date__isnull=True).values_list(
        "person_id", "team_id"
    ):
        for _ in range(rng.randint(1, 3)):
            clock = today - dt.timedelta(days=rng.randint(0, 400))
            due = clock + dt.timedelta(days=rng.choice((1, 3, 15, 45, 63)))
            status = WorkItem.Status.NOT_STARTED
            completed = None
            if rng.random() < 0.4 and clock < today:
                late = rng.random() < 0.25
                completed = min(today, due + dt.timedelta(days=rng.randint(1, 30)) if late else due)
                completed = max(completed, clock)
                status = WorkItem.Status.COMPLETED
            else:
                if due >= today or rng.random() < 0.5:
                    due = max(due, today + dt.timedelta(days=rng.randint(0, 30)))
                status = rng.choice(
                    (
                        WorkItem.Status.NOT_STARTED,
                        WorkItem.Status.IN_PROGRESS,
                        WorkItem.Status.IN_PROGRESS,
                        WorkItem.Status.AWAITING_AUTHORISATION,
                    )
                )
            worker = workers.get((person, team)) if rng.random() < 0.85 else None
            items.append(
                WorkItem(
                    person_id=person,
                    item_type=rng.choice(types),
                    team_id=team,
                    status=status,
                    clock_start=clock,
                    due_date=due,
                    worker_id=worker,
                    completed_on=completed,
                )
            )
    WorkItem.objects.bulk_create(items, batch_size=2_000)
    print(f"  added {len(items):,} synthetic work items")


def render(view, user: User, path: str, query: dict[str, str]) -> tuple[float, int]:
    request = RequestFactory().get(path, query)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        with transaction.atomic():
            response = view(request)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path} {query}: {response.status_code}")
    return elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--extra-cases", type=int, default=0)
    parser.add_argument("--seed-if-empty", metavar="SIZE", default=None)
    args = parser.parse_args()
    database_ready(args.seed_if_empty)
    rng = random.Random(7)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            run(args, rng, today)
            raise Rollback
    except Rollback:
        print("(rolled back: the database is as it was)")


def run(args: argparse.Namespace, rng: random.Random, today: dt.date) -> None:
    print(
        f"{connection.vendor}: {Person.objects.count():,} people, "
        f"{Involvement.objects.filter(end_date__isnull=True).count():,} open cases, "
        f"{WorkItem.objects.count():,} work items",
        flush=True,
    )
    if args.extra_cases:
        add_cases(args.extra_cases, rng, today)
    if not WorkItem.objects.exists():
        add_work_items(rng, today)
    open_items = WorkItem.objects.filter(status__in=WorkItem.OPEN)
    print(
        f"  open work items {open_items.count():,}: "
        f"{open_items.filter(due_date__lt=today).count():,} overdue, "
        f"{open_items.filter(worker__isnull=True).count():,} unallocated, "
        f"{open_items.filter(status=WorkItem.Status.AWAITING_AUTHORISATION).count():,} "
        "awaiting authorisation",
        flush=True,
    )
    units = list(
        Team.objects.filter(
            kind__in=[Team.Kind.SERVICE, Team.Kind.DIRECTORATE], closed_on__isnull=True
        ).order_by("kind", "name")
    )
    # A manager for each service and directorate, managing only it, as a head of service
    # or a director would; and for a team with no manager, the manager of everything.
    unit_managers = {unit.pk: bench_manager([unit]) for unit in units}
    everything = bench_manager(units)
    teams = list(Team.objects.filter(kind=Team.Kind.TEAM, closed_on__isnull=True))
    open_cases = dict(
        Involvement.objects.filter(end_date__isnull=True)
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
    teams = sorted(teams, key=lambda t: -open_cases.get(t.pk, 0))[: args.teams]
    print(
        f"{len(teams)} teams (open cases {min(open_cases.get(t.pk, 0) for t in teams):,}–"
        f"{max(open_cases.get(t.pk, 0) for t in teams):,}), "
        f"{sum(u.kind == Team.Kind.SERVICE for u in units)} services, "
        f"{sum(u.kind == Team.Kind.DIRECTORATE for u in units)} directorates; "
        f"{args.repeat} renders each",
        flush=True,
    )
    # Each team's own manager where it has one (their banner counts their team only).
    managers = {
        m.team_id: m.user
        for m in Membership.objects.filter(
            team__in=teams, role__is_manager=True, end_date__isnull=True
        ).select_related("user")
    }
    for manager in managers.values():
        manager.is_verified = lambda: True  # type: ignore[attr-defined]
    pages: list[tuple[str, str, object, User, str, dict[str, str]]] = [
        (
            "team",
            t.name,
            views.team_dashboard,
            managers.get(t.pk, everything),
            "/teams/dashboard",
            {"team": str(t.pk)},
        )
        for t in teams
    ]
    pages += [
        (
            u.get_kind_display().lower(),
            u.name,
            views.service_dashboard,
            unit_managers[u.pk],
            "/services/dashboard",
            {"unit": str(u.pk)},
        )
        for u in units
    ]
    for _, _, view, who, path, query in pages:  # warm up: bank holidays, templates, plans
        render(view, who, path, query)
    print(f"{'dashboard':<22}{'renders':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  queries")
    # Kept: the month-end figures are worked out once a month has ended (the nightly
    # `kith month_end_figures`, or the first page that needs them) and read from then on.
    # Afresh: none kept, as on the first view after a month end with no nightly run.
    measure(pages, args.repeat, "")
    measure([p for p in pages if p[0] != "team"], args.repeat, ", trends afresh", afresh=True)


def measure(pages: list, repeat: int, note: str, afresh: bool = False) -> None:
    timings: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, set[int]] = defaultdict(set)
    slowest: dict[str, tuple[float, str]] = {}
    for _ in range(repeat):
        for kind, name, view, who, path, query in pages:
            if afresh:
                TeamMonthFigures.objects.all().delete()
            elapsed, count = render(view, who, path, query)
            timings[kind].append(elapsed)
            queries[kind].add(count)
            if elapsed > slowest.get(kind, (0.0, ""))[0]:
                slowest[kind] = (elapsed, name)
    for kind, values in timings.items():
        counts = sorted(queries[kind])
        print(
            f"{kind + note:<22}{len(values):>8}{statistics.median(values):>9.1f}"
            f"{percentile(values, 0.95):>9.1f}{max(values):>9.1f}  "
            f"{counts[0]}–{counts[-1]}   slowest: {slowest[kind][1]}",
            flush=True,
        )


if __name__ == "__main__":
    main()
