"""Reads for the synthetic council's seed: what the people phase left in the database, for
the work phase to build on. The seed runs as the system (no user), on a demo database only,
so nothing here is scoped by the access policy."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q

from kith.accounts.models import Membership, Team, User
from kith.work.models import Allocation, Involvement, WorkItem


@dataclass(frozen=True)
class OpenCase:
    """An open involvement, with the worker currently allocated in that team (if any)."""

    involvement_id: uuid.UUID
    person_id: uuid.UUID
    la_number: int
    team_id: uuid.UUID
    start_date: dt.date
    worker_id: uuid.UUID | None
    allocated_from: dt.date | None


def seed_open_cases(*, on: dt.date) -> list[OpenCase]:
    """Every involvement open on ``on``, in a fixed order (the person's LA number, then the
    team's name), so the same council always gives the same list."""
    workers = {
        (person_id, team_id): (worker_id, start)
        for person_id, team_id, worker_id, start in Allocation.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on
        )
        .order_by("start_date", "worker__username")
        .values_list("person_id", "team_id", "worker_id", "start_date")
    }
    rows = (
        Involvement.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .filter(start_date__lte=on)
        .order_by("person__la_number", "team__name")
        .values_list("pk", "person_id", "person__la_number", "team_id", "start_date")
    )
    found = []
    for pk, person_id, la_number, team_id, start in rows:
        worker_id, allocated_from = workers.get((person_id, team_id), (None, None))
        found.append(OpenCase(pk, person_id, la_number, team_id, start, worker_id, allocated_from))
    return found


def seed_work_items_exist() -> bool:
    return WorkItem.objects.exists()


def seed_team_managers(*, team_ids: set[uuid.UUID], on: dt.date) -> dict[uuid.UUID, User]:
    """For each team, its first manager (by username) who is a member of it on ``on``."""
    found: dict[uuid.UUID, User] = {}
    for membership in (
        Membership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on),
            start_date__lte=on,
            team_id__in=team_ids,
            role__is_manager=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__username")
    ):
        found.setdefault(membership.team_id, membership.user)
    return found


def seed_teams(*, team_ids: set[uuid.UUID]) -> dict[uuid.UUID, Team]:
    return Team.objects.in_bulk(list(team_ids))


def seed_users(*, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
    return User.objects.in_bulk(list(user_ids))


def seed_work_counts(*, on: dt.date) -> dict[str, int]:
    """The work the seed made, as the dashboards count it on ``on``."""
    items = WorkItem.objects.all()
    open_items = items.filter(status__in=WorkItem.OPEN)
    return {
        "items": items.count(),
        "open": open_items.count(),
        "overdue": open_items.filter(due_date__lt=on).count(),
        "unallocated": open_items.filter(worker__isnull=True).count(),
        "awaiting_authorisation": items.filter(
            status=WorkItem.Status.AWAITING_AUTHORISATION
        ).count(),
        "completed": items.filter(status=WorkItem.Status.COMPLETED).count(),
    }


def seed_team_manager_lists(
    *, team_ids: set[uuid.UUID], on: dt.date
) -> dict[uuid.UUID, list[User]]:
    """Each team's managers who are members of it on ``on`` (whom the services tell about a
    step waiting for authorisation)."""
    found: dict[uuid.UUID, list[User]] = {}
    for membership in (
        Membership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on),
            start_date__lte=on,
            team_id__in=team_ids,
            role__is_manager=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__username")
    ):
        found.setdefault(membership.team_id, []).append(membership.user)
    return found


def seed_next_item(*, previous: WorkItem) -> WorkItem:
    """The step the services started when ``previous`` (a recurring step) was completed."""
    return WorkItem.objects.get(previous_id=previous.pk)
