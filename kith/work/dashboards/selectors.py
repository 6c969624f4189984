"""Reads for the managers' dashboards: every query the dashboards make is here.

Figures are aggregate queries (counts and sums with filters, ``Exists`` subqueries, grouped
by team, type or date), so a page costs the same few dozen queries for a team of ten people or
a directorate of 300,000. A team's lists are read once as ids and dates (hundreds of rows) for
their counts and age bands; only the rows a manager sees by name (the ``LIST_LIMIT`` oldest
unallocated people and work items, the most overdue items) are read in full, and the team
dashboard writes one audit entry naming them. The month-end trends are worked out once a
month has ended and kept per team (``TeamMonthFigures``): a directorate's page reads twelve
rows a team instead of recounting a year of work.

Restricted and sealed records outside the manager's groups do not exist here at all: not in
the lists and not in the counts either (a count that disagreed with its list would give
them away). The kept month-end figures leave restricted records out for everyone.

Ages are in working days (England and Wales, ``kith.core.calendar``): a person waiting since
Thursday is 1 working day old on Friday. A person is waiting since the later of the day their
team started working with them and the day their last worker in that team stopped (so a
person handed back to the team by a leaver's reallocation starts again at 0).
"""

from __future__ import annotations

import bisect
import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from kith.access.policy import hidden_q
from kith.accounts.models import Membership, Team, User
from kith.accounts.selectors import user_current_memberships
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.core import calendar
from kith.people.models import Person
from kith.work.models import (
    Allocation,
    Escalation,
    Involvement,
    TeamMonthFigures,
    WorkItem,
    WorkItemType,
)
from kith.work.timescales import AGE_BANDS, age_band

# How many people (and work items) the team dashboard lists by name; the counts and charts
# cover everyone.
LIST_LIMIT = 50
TREND_MONTHS = 12
BAND_LABELS: tuple[str, ...] = tuple(label for label, _ in AGE_BANDS)
# The columns the lists show (the rest of each row is not read).
PERSON_SHOWN = ("person__given_name", "person__family_name", "person__la_number")
ITEM_SHOWN = (
    "person_id",
    "team_id",
    "status",
    "clock_start",
    "due_date",
    "worker_id",
    "item_type__name",
    *PERSON_SHOWN,
)
WORKER_SHOWN = ("worker__first_name", "worker__last_name", "worker__username")


def _current(day: dt.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


# --- Who manages what ---


@dataclass(frozen=True)
class Management:
    """The teams (kind TEAM) a user manages, directly or through a service or directorate
    above them, and the services and directorates they manage (with the services under a
    directorate they manage). Open teams only, by name."""

    teams: list[Team]
    units: list[Team]
    children: dict[uuid.UUID | None, list[Team]] = field(repr=False)

    def teams_under(self, unit: Team) -> list[Team]:
        found: list[Team] = []
        stack = [unit]
        while stack:
            node = stack.pop()
            if node.kind == Team.Kind.TEAM:
                found.append(node)
            stack.extend(self.children.get(node.pk, []))
        return sorted(found, key=lambda t: t.name)


UNIT_ORDER: dict[str, int] = {Team.Kind.DIRECTORATE: 0, Team.Kind.SERVICE: 1, Team.Kind.TEAM: 2}


def user_management(*, user: User | AnonymousUser, on: dt.date | None = None) -> Management:
    """Two queries: the user's memberships, and the open teams."""
    empty = Management([], [], {})
    if not isinstance(user, User) or not user.is_active:
        return empty
    roots = {m.team_id for m in user_current_memberships(user=user, on=on) if m.role.is_manager}
    if not roots:
        return empty
    teams = list(Team.objects.filter(closed_on__isnull=True).order_by("name"))
    by_id = {t.pk: t for t in teams}
    children: dict[uuid.UUID | None, list[Team]] = {}
    for team in teams:
        children.setdefault(team.parent_id, []).append(team)
    managed: dict[uuid.UUID, Team] = {}
    stack = [by_id[r] for r in roots if r in by_id]
    while stack:
        node = stack.pop()
        if node.pk in managed:
            continue
        managed[node.pk] = node
        stack.extend(children.get(node.pk, []))
    units = [t for t in managed.values() if t.kind != Team.Kind.TEAM]
    return Management(
        teams=sorted((t for t in managed.values() if t.kind == Team.Kind.TEAM), key=_by_name),
        units=sorted(units, key=lambda t: (UNIT_ORDER.get(t.kind, 3), t.name)),
        children=children,
    )


def _by_name(team: Team) -> str:
    return team.name


# --- Working days, many at once ---


class WorkingDays:
    """Working days after a date up to and including ``today``, as
    ``calendar.working_days_between`` counts them, for many dates at once: the working days
    are listed once and each age is a binary search. Years with no bank holidays loaded
    (before the shipped list starts) count Monday to Friday."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._since = today  # self._days: the working days in (self._since, today]
        self._days: list[dt.date] = []
        self._loaded: set[int] | None = None

    def _is_working(self, day: dt.date) -> bool:
        if self._loaded is None:
            self._loaded = set(calendar.loaded_years())
        if day.year in self._loaded:
            return calendar.is_working_day(day)
        return day.weekday() < 5

    def _reach(self, start: dt.date) -> None:
        if start >= self._since:
            return
        earlier: list[dt.date] = []
        day = start
        while day < self._since:
            day += dt.timedelta(days=1)
            if self._is_working(day):
                earlier.append(day)
        self._days = earlier + self._days
        self._since = start

    def after(self, start: dt.date) -> int:
        """Working days after ``start`` up to today; 0 for today or later."""
        if start >= self.today:
            return 0
        self._reach(start)
        return len(self._days) - bisect.bisect_right(self._days, start)

    def nth_latest(self, n: int) -> dt.date:
        """The n-th most recent working day on or before today (n ≥ 1)."""
        span = 14
        while len(self._days) < n:
            self._reach(self.today - dt.timedelta(days=span))
            span *= 2
        return self._days[-n]

    def band_filters(self, field_name: str) -> dict[str, Q]:
        """For each age band, the rows whose date in ``field_name`` puts them in it.

        An age of k working days or fewer means the date is on or after the (k+1)-th most
        recent working day: a date before it has that day, and k more, after it."""
        filters: dict[str, Q] = {}
        newer_bound: dt.date | None = None
        for label, upper in AGE_BANDS:
            q = Q()
            if upper is not None:
                bound = self.nth_latest(upper + 1)
                q &= Q(**{f"{field_name}__gte": bound})
            if newer_bound is not None:
                q &= Q(**{f"{field_name}__lt": newer_bound})
            filters[label] = q
            newer_bound = bound if upper is not None else None
        return filters


# --- Shared querysets ---


def _current_allocation(
    day: dt.date, team_ids: list[uuid.UUID] | None = None
) -> QuerySet[Allocation]:
    """Allocations open on ``day`` of the outer row's person in its team. ``team_ids`` (the
    outer rows' teams) lets PostgreSQL hash only those teams' allocations, not the council's."""
    current = Allocation.objects.filter(
        _current(day), person_id=OuterRef("person_id"), team_id=OuterRef("team_id")
    )
    return current.filter(team_id__in=team_ids) if team_ids is not None else current


def _unallocated_people(
    user: User | AnonymousUser, team_ids: Iterable[uuid.UUID], day: dt.date
) -> QuerySet[Any]:
    """Open involvements with nobody allocated in that team, annotated with ``waiting_since``
    (the later of the involvement's start and the end of the last allocation there)."""
    last_end = (
        Allocation.objects.filter(
            person_id=OuterRef("person_id"), team_id=OuterRef("team_id"), end_date__lt=day
        )
        .order_by("-end_date")
        .values("end_date")[:1]
    )
    teams = list(team_ids)
    return (
        Involvement.objects.filter(_current(day), team_id__in=teams)
        .exclude(hidden_q(user, "person_id"))
        .filter(~Exists(_current_allocation(day, teams)))
        .annotate(
            waiting_since=Greatest(F("start_date"), Coalesce(Subquery(last_end), F("start_date")))
        )
    )


def _open_items(user: User | AnonymousUser, team_ids: Iterable[uuid.UUID]) -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(team_id__in=list(team_ids), status__in=WorkItem.OPEN).exclude(
        hidden_q(user, "person_id")
    )


_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


def _weighting_sum(filter_q: Q | None = None) -> Coalesce:
    return Coalesce(
        Sum("item_type__weighting", filter=filter_q),
        _ZERO,
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


# --- The banner on every manager's page ---


@dataclass(frozen=True)
class UnallocatedSummary:
    people: int
    items: int
    teams: int


def unallocated_summary(
    *, user: User | AnonymousUser, on: dt.date | None = None
) -> UnallocatedSummary | None:
    """Unallocated people and work items in the teams the user manages (None if they manage
    none). Four queries for a manager, one for anyone else."""
    day = on or timezone.localdate()
    management = user_management(user=user, on=day)
    if not management.teams:
        return None
    team_ids = [t.pk for t in management.teams]
    current = Allocation.objects.filter(
        _current(day), person_id=OuterRef("person_id"), team_id=OuterRef("team_id")
    )
    people = (
        Involvement.objects.filter(_current(day), team_id__in=team_ids)
        .exclude(hidden_q(user, "person_id"))
        .filter(~Exists(current))
        .count()
    )
    items = _open_items(user, team_ids).filter(worker__isnull=True).count()
    return UnallocatedSummary(people=people, items=items, teams=len(team_ids))


# --- The team manager's dashboard ---


@dataclass
class UnallocatedPerson:
    involvement: Involvement
    person: Person
    waiting_since: dt.date
    age: int
    band: str
    escalated: bool


@dataclass
class AgedItem:
    item: WorkItem
    age: int  # working days since the clock started, or overdue
    band: str
    escalated: bool


@dataclass
class Caseload:
    worker: User
    in_team: bool  # False: left the team but still holds cases in it
    people: int = 0
    items: int = 0
    weighting: Decimal = Decimal(0)


@dataclass
class TeamDashboard:
    team: Team
    today: dt.date
    people: list[UnallocatedPerson]
    people_total: int
    people_bands: dict[str, int]
    items: list[AgedItem]
    items_total: int
    item_bands: dict[str, int]
    overdue: list[AgedItem]
    overdue_total: int
    overdue_by_type: list[tuple[str, int]]
    caseloads: list[Caseload]
    awaiting_authorisation: int
    open_items: int


def _counted_by_date(
    queryset: QuerySet[Any], field_name: str, days: WorkingDays
) -> tuple[int, dict[str, int]]:
    """How many rows, and how many in each age band by the date in ``field_name``: one
    query grouped by the date."""
    total = 0
    bands = dict.fromkeys(BAND_LABELS, 0)
    for since, n in (
        queryset.values(field_name).annotate(n=Count("id")).order_by().values_list(field_name, "n")
    ):
        total += n
        bands[age_band(days.after(since))] += n
    return total, bands


def team_dashboard(
    *, user: User, team: Team, on: dt.date | None = None, limit: int = LIST_LIMIT
) -> TeamDashboard:
    """Call only for a team the user manages (``user_management(...).teams``). Writes one
    audit entry naming the people listed."""
    day = on or timezone.localdate()
    days = WorkingDays(day)
    team_ids = [team.pk]

    # Each list is counted by date (a few hundred distinct dates at most: the age bands come
    # from those), then only the rows shown are read.
    waiting = _unallocated_people(user, team_ids, day)
    people_total, people_bands = _counted_by_date(waiting, "waiting_since", days)
    people = []
    for involvement in (
        waiting.annotate(escalated=Exists(Escalation.objects.filter(involvement_id=OuterRef("pk"))))
        .select_related("person")
        .only("priority", "person_id", "start_date", *PERSON_SHOWN)
        .order_by("waiting_since", "person__family_name", "person__given_name", "pk")[:limit]
    ):
        since: dt.date = involvement.waiting_since
        age = days.after(since)
        people.append(
            UnallocatedPerson(
                involvement=involvement,
                person=involvement.person,
                waiting_since=since,
                age=age,
                band=age_band(age),
                escalated=involvement.escalated,
            )
        )

    open_items = _open_items(user, team_ids)
    item_escalated = Exists(Escalation.objects.filter(work_item_id=OuterRef("pk")))
    no_worker = open_items.filter(worker__isnull=True)
    items_total, item_bands = _counted_by_date(no_worker, "clock_start", days)
    items = []
    for item in (
        no_worker.annotate(escalated=item_escalated)
        .select_related("person", "item_type")
        .only(*ITEM_SHOWN)
        .order_by("clock_start", "due_date", "pk")[:limit]
    ):
        age = days.after(item.clock_start)
        items.append(AgedItem(item, age, age_band(age), item.escalated))

    # One pass over the team's open items by worker and type: the totals, overdue by type
    # and each worker's load.
    type_counts: dict[uuid.UUID, int] = {}
    work: dict[uuid.UUID, tuple[int, Decimal]] = {}
    open_total = awaiting = 0
    for row in (
        open_items.values("worker_id", "item_type_id")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(due_date__lt=day)),
            awaiting=Count("id", filter=Q(status=WorkItem.Status.AWAITING_AUTHORISATION)),
            weighting=_weighting_sum(),
        )
        .order_by()
    ):
        open_total += row["n"]
        awaiting += row["awaiting"]
        if row["late"]:
            type_id = row["item_type_id"]
            type_counts[type_id] = type_counts.get(type_id, 0) + row["late"]
        if row["worker_id"] is not None:
            n, weighting = work.get(row["worker_id"], (0, Decimal(0)))
            work[row["worker_id"]] = (n + row["n"], weighting + Decimal(row["weighting"] or 0))
    names = dict(WorkItemType.objects.filter(pk__in=list(type_counts)).values_list("pk", "name"))
    by_type = sorted(((names[pk], n) for pk, n in type_counts.items()), key=lambda r: (-r[1], r[0]))
    overdue = [
        AgedItem(item, days.after(item.due_date), "", item.escalated)  # type: ignore[arg-type]
        for item in open_items.filter(due_date__lt=day)
        .annotate(escalated=item_escalated)
        .select_related("person", "item_type", "worker")
        .only(*ITEM_SHOWN, *WORKER_SHOWN)
        .order_by("due_date", "clock_start", "pk")[:limit]
    ]
    caseloads = _caseloads(user, team, day, work)

    shown = {p.person.pk for p in people} | {a.item.person_id for a in items + overdue}
    audit_record(
        actor=user,
        action=Action.LIST,
        object_type="work.team_dashboard",
        object_id=team.pk,
        result_ids=sorted(str(pk) for pk in shown),
    )
    return TeamDashboard(
        team=team,
        today=day,
        people=people,
        people_total=people_total,
        people_bands=people_bands,
        items=items,
        items_total=items_total,
        item_bands=item_bands,
        overdue=overdue,
        overdue_total=sum(type_counts.values()),
        overdue_by_type=by_type,
        caseloads=caseloads,
        awaiting_authorisation=awaiting,
        open_items=open_total,
    )


def _caseloads(
    user: User, team: Team, day: dt.date, work: dict[uuid.UUID, tuple[int, Decimal]]
) -> list[Caseload]:
    """Each current member of the team, and anyone else still holding cases in it: people
    allocated, and (from ``work``) open work items and their weighted sum. Three queries at
    most."""
    people = dict(
        Allocation.objects.filter(_current(day), team=team)
        .exclude(hidden_q(user, "person_id"))
        .values("worker_id")
        .annotate(n=Count("id"))
        .values_list("worker_id", "n")
    )
    members = {
        m.user_id: m.user
        for m in Membership.objects.filter(_current(day), team=team, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name")
    }
    others = (set(people) | set(work)) - set(members)
    leavers = {u.pk: u for u in User.objects.filter(pk__in=others)} if others else {}
    rows = []
    for worker in [*members.values(), *leavers.values()]:
        items, weighting = work.get(worker.pk, (0, Decimal(0)))
        rows.append(
            Caseload(
                worker=worker,
                in_team=worker.pk in members,
                people=people.get(worker.pk, 0),
                items=items,
                weighting=weighting,
            )
        )
    return sorted(rows, key=lambda c: (not c.in_team, c.worker.display_name))


# --- The service manager's and director's dashboard ---


@dataclass
class TeamFigures:
    team: Team | None  # None: the total
    people: int = 0
    people_bands: dict[str, int] = field(default_factory=dict)
    items: int = 0
    item_bands: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    awaiting: int = 0
    open_items: int = 0
    allocated: int = 0
    weighting: Decimal = Decimal(0)

    def add(self, other: TeamFigures) -> None:
        for name in ("people", "items", "overdue", "awaiting", "open_items", "allocated"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.weighting += other.weighting
        for label in BAND_LABELS:
            self.people_bands[label] = self.people_bands.get(label, 0) + other.people_bands.get(
                label, 0
            )
            self.item_bands[label] = self.item_bands.get(label, 0) + other.item_bands.get(label, 0)


@dataclass
class Trends:
    """Month by month, the last ``TREND_MONTHS`` whole months, oldest first."""

    month_ends: list[dt.date]
    unallocated_people: list[int]  # at the month's end
    overdue_items: list[int]  # open and past their due date at the month's end
    completed: list[int]  # completed in the month
    on_time: list[float | None]  # % of those (with a due date) completed by it; None: none


@dataclass
class ServiceDashboard:
    unit: Team
    today: dt.date
    teams: list[TeamFigures]
    total: TeamFigures
    overdue_by_type: list[tuple[str, int]]
    trends: Trends


def month_ends(today: dt.date, months: int = TREND_MONTHS) -> list[dt.date]:
    """The last day of each of the ``months`` whole months before today's, oldest first."""
    ends = []
    end = today.replace(day=1) - dt.timedelta(days=1)
    for _ in range(months):
        ends.append(end)
        end = end.replace(day=1) - dt.timedelta(days=1)
    return ends[::-1]


def service_dashboard(
    *, user: User, unit: Team, teams: Sequence[Team], on: dt.date | None = None
) -> ServiceDashboard:
    """Figures for each team under a service or directorate the user manages, and trends.
    Counts only, so no one is named and nothing is audited. Five queries (one the kept
    month-end figures), two more and a write for any not kept yet, and one for the bank
    holidays."""
    day = on or timezone.localdate()
    days = WorkingDays(day)
    team_ids = [t.pk for t in teams]
    figures = {t.pk: TeamFigures(team=t) for t in teams}

    # By team and the day each person has waited since: the bands come from the days (a
    # few hundred distinct days a team at most), so the wait is worked out once a person.
    for team_id, since, n in (
        _unallocated_people(user, team_ids, day)
        .values("team_id", "waiting_since")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("team_id", "waiting_since", "n")
    ):
        f = figures[team_id]
        f.people += n
        band = age_band(days.after(since))
        f.people_bands[band] = f.people_bands.get(band, 0) + n

    # One pass over the open items, by team and type: the teams' figures and overdue by type.
    item_filters = days.band_filters("clock_start")
    unallocated = Q(worker__isnull=True)
    overdue_by_type: dict[uuid.UUID, int] = {}
    for row in (
        _open_items(user, team_ids)
        .values("team_id", "item_type_id")
        .annotate(
            n=Count("id"),
            unallocated=Count("id", filter=unallocated),
            overdue=Count("id", filter=Q(due_date__lt=day)),
            awaiting=Count("id", filter=Q(status=WorkItem.Status.AWAITING_AUTHORISATION)),
            weighting=_weighting_sum(Q(worker__isnull=False)),
            **{
                f"band_{i}": Count("id", filter=unallocated & q)
                for i, q in enumerate(item_filters.values())
            },
        )
        .order_by()
    ):
        f = figures[row["team_id"]]
        f.open_items += row["n"]
        f.items += row["unallocated"]
        f.overdue += row["overdue"]
        f.awaiting += row["awaiting"]
        f.weighting += Decimal(row["weighting"] or 0)
        for i, label in enumerate(item_filters):
            f.item_bands[label] = f.item_bands.get(label, 0) + row[f"band_{i}"]
        if row["overdue"]:
            type_id = row["item_type_id"]
            overdue_by_type[type_id] = overdue_by_type.get(type_id, 0) + row["overdue"]

    for team_id, n in (
        Allocation.objects.filter(_current(day), team_id__in=team_ids)
        .exclude(hidden_q(user, "person_id"))
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    ):
        figures[team_id].allocated = n

    total = TeamFigures(
        team=None,
        people_bands=dict.fromkeys(BAND_LABELS, 0),
        item_bands=dict.fromkeys(BAND_LABELS, 0),
    )
    for f in figures.values():
        for label in BAND_LABELS:
            f.people_bands.setdefault(label, 0)
            f.item_bands.setdefault(label, 0)
        total.add(f)

    names = dict(
        WorkItemType.objects.filter(pk__in=list(overdue_by_type)).values_list("pk", "name")
    )
    return ServiceDashboard(
        unit=unit,
        today=day,
        teams=[figures[t.pk] for t in teams],
        total=total,
        overdue_by_type=sorted(
            ((names[pk], n) for pk, n in overdue_by_type.items()), key=lambda r: (-r[1], r[0])
        ),
        trends=month_end_trends(team_ids=team_ids, ends=month_ends(day)),
    )


def month_end_trends(*, team_ids: Sequence[uuid.UUID], ends: list[dt.date]) -> Trends:
    """The teams' trends, summed from their kept month-end figures; figures not kept yet are
    worked out (all the missing teams' months in two queries) and kept."""
    wanted = list(dict.fromkeys(team_ids))
    kept = {
        (row.team_id, row.month_end): row
        for row in TeamMonthFigures.objects.filter(team_id__in=wanted, month_end__in=ends)
    }
    missing = sorted(
        {team_id for team_id in wanted for end in ends if (team_id, end) not in kept}, key=str
    )
    if missing:
        for row in month_end_figures(team_ids=missing, ends=ends):
            kept[(row.team_id, row.month_end)] = row
        TeamMonthFigures.objects.bulk_create(
            [kept[(t, end)] for t in missing for end in ends], ignore_conflicts=True
        )
    columns = {
        name: [sum(getattr(kept[(t, end)], name) for t in wanted) for end in ends]
        for name in (
            "unallocated_people",
            "overdue_items",
            "completed",
            "completed_with_due_date",
            "completed_on_time",
        )
    }
    return Trends(
        month_ends=ends,
        unallocated_people=columns["unallocated_people"],
        overdue_items=columns["overdue_items"],
        completed=columns["completed"],
        on_time=[
            round(100 * in_time / with_due, 1) if with_due else None
            for in_time, with_due in zip(
                columns["completed_on_time"], columns["completed_with_due_date"], strict=True
            )
        ],
    )


def month_end_figures(
    *, team_ids: Sequence[uuid.UUID], ends: list[dt.date]
) -> list[TeamMonthFigures]:
    """Each team's figures at each month end, from the dated rows (two queries; unsaved).

    Unallocated at a month's end: an involvement open that day with no allocation in its team
    open that day. Overdue at a month's end: a work item whose clock had started and whose due
    date had passed, not completed by then (cancelled items count nowhere: when they were
    cancelled is not recorded as a date). Completed in a month: by ``completed_on``; on time
    when completed on or before the due date, out of those that had one. Items count in the
    team they are in when the figures are worked out. Restricted records count nowhere."""
    nobody = AnonymousUser()
    unallocated = _unallocated_at(nobody, team_ids, ends)
    items = _item_trends(nobody, team_ids, ends)
    zero = [0] * len(ends)
    rows = []
    for team_id in team_ids:
        people = unallocated.get(team_id, zero)
        team_items = items.get(team_id, {})
        for k, end in enumerate(ends):
            rows.append(
                TeamMonthFigures(
                    team_id=team_id,
                    month_end=end,
                    unallocated_people=people[k],
                    **{name: team_items.get(name, zero)[k] for name in ITEM_FIGURES},
                )
            )
    return rows


ITEM_FIGURES = ("overdue_items", "completed", "completed_with_due_date", "completed_on_time")


def _unallocated_at(
    user: User | AnonymousUser, team_ids: Sequence[uuid.UUID], ends: list[dt.date]
) -> dict[uuid.UUID, list[int]]:
    """One query: the involvements open at any of the month ends, each joined to the
    allocations of the same person in the same team open at any of them, grouped back to the
    involvement; then, for each team and month end, those open with no allocation open."""
    if not team_ids or not ends:
        return {}
    first, last = ends[0], ends[-1]
    involvements = (
        Involvement.objects.filter(team_id__in=list(team_ids), start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .exclude(hidden_q(user, "person_id"))
        .values("id", "person_id", "team_id", "start_date", "end_date")
    )
    inner_sql, inner_params = involvements.query.sql_with_params()
    q = connection.ops.quote_name
    allocations = q(Allocation._meta.db_table)
    adapt = connection.ops.adapt_datefield_value

    def open_at(alias: str) -> str:
        return (
            f"{alias}.{q('start_date')} <= %s AND "
            f"({alias}.{q('end_date')} IS NULL OR {alias}.{q('end_date')} >= %s)"
        )

    # Inner: per involvement, whether an allocation covered each month end (c0…c11).
    # Outer: per team and month end, the involvements open then that none covered.
    covered = ", ".join(
        f"MAX(CASE WHEN {open_at('a')} THEN 1 ELSE 0 END) AS c{index}" for index in range(len(ends))
    )
    sums = ", ".join(
        f"SUM(CASE WHEN {open_at('i')} AND i.c{index} = 0 THEN 1 ELSE 0 END)"
        for index in range(len(ends))
    )
    # Only names quoted by the backend and our own placeholders go into the text: the values
    # are parameters.
    sql = (
        f"SELECT i.{q('team_id')}, {sums} FROM ("  # noqa: S608
        f"SELECT i.{q('team_id')} AS {q('team_id')}, "
        f"MIN(i.{q('start_date')}) AS {q('start_date')}, "
        f"MIN(i.{q('end_date')}) AS {q('end_date')}, {covered} FROM ({inner_sql}) i "
        f"LEFT JOIN {allocations} a ON a.{q('person_id')} = i.{q('person_id')} "
        f"AND a.{q('team_id')} = i.{q('team_id')} AND a.{q('start_date')} <= %s "
        f"AND (a.{q('end_date')} IS NULL OR a.{q('end_date')} >= %s) "
        f"GROUP BY i.{q('id')}, i.{q('team_id')}"
        f") i GROUP BY i.{q('team_id')}"
    )
    params = [
        *[adapt(end) for end in ends for _ in range(2)],
        *[adapt(end) for end in ends for _ in range(2)],
        *inner_params,
        adapt(last),
        adapt(first),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    team_field = Involvement._meta.get_field("team")
    return {team_field.to_python(row[0]): [int(value or 0) for value in row[1:]] for row in found}


def _bounds_before(field_name: str, bounds: list[dt.date], *, inclusive: bool) -> Case:
    """How many of the (ascending) ``bounds`` come before the date in ``field_name``: on or
    before it (``inclusive``), or strictly before it. NULL stays NULL."""
    # the first bound after the date (or on or after it) is at the index of the count
    lookup = "lt" if inclusive else "lte"
    whens = [
        When(**{f"{field_name}__{lookup}": bound}, then=Value(index))
        for index, bound in enumerate(bounds)
    ]
    return Case(
        When(**{f"{field_name}__isnull": True}, then=Value(None)),
        *whens,
        default=Value(len(bounds)),
        output_field=IntegerField(),
    )


def _item_trends(
    user: User | AnonymousUser, team_ids: Sequence[uuid.UUID], ends: list[dt.date]
) -> dict[uuid.UUID, dict[str, list[int]]]:
    """One query, grouped by team and by where each item's dates fall among the month ends.

    With M₀ < … < M₁₁ the month ends, an item is overdue at Mₖ when its due date is before
    Mₖ (k ≥ the number of month ends on or before the due date), its clock had started (k ≥
    the number of month ends before the clock start) and it was not completed by then (k <
    the number of month ends before the completion; every k if not completed). It was
    completed in month k when k month ends came before its completion date (the rows are
    only those completed on or after the first month's first day)."""
    months = len(ends)
    if not team_ids or not ends:
        return {}
    first_day = ends[0].replace(day=1)
    first, last = ends[0], ends[-1]
    completed = Q(status=WorkItem.Status.COMPLETED)
    rows = (
        WorkItem.objects.filter(team_id__in=list(team_ids))
        .exclude(status=WorkItem.Status.CANCELLED)
        .exclude(hidden_q(user, "person_id"))
        .filter(
            (
                Q(clock_start__lte=last, due_date__lt=last)
                & (Q(completed_on__isnull=True) | Q(completed_on__gt=first))
            )
            | Q(completed_on__gte=first_day, completed_on__lte=last)
        )
        .annotate(
            # each is one bucket among the month ends (see above)
            due_at=_bounds_before("due_date", ends, inclusive=True),
            clock_at=_bounds_before("clock_start", ends, inclusive=False),
            done_at=_bounds_before("completed_on", ends, inclusive=False),
            is_done=Case(When(completed, then=Value(1)), default=Value(0)),
            on_time=Case(
                When(completed_on__lte=F("due_date"), then=Value(1)),
                When(due_date__isnull=True, then=Value(-1)),
                default=Value(0),
            ),
        )
        .values("team_id", "due_at", "clock_at", "done_at", "is_done", "on_time")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_team: dict[uuid.UUID, dict[str, list[int]]] = {}
    for row in rows:
        figures = by_team.setdefault(row["team_id"], {name: [0] * months for name in ITEM_FIGURES})
        if row["due_at"] is not None and row["due_at"] < months:
            from_month = max(row["due_at"], row["clock_at"])
            until = months if row["done_at"] is None else row["done_at"]
            for k in range(from_month, min(until, months)):
                figures["overdue_items"][k] += row["n"]
        month = row["done_at"]
        if row["is_done"] and month is not None and month < months:
            figures["completed"][month] += row["n"]
            if row["on_time"] >= 0:
                figures["completed_with_due_date"][month] += row["n"]
                figures["completed_on_time"][month] += row["n"] * row["on_time"]
    return by_team
