"""Work's part of the access policy: allocation to the user, and their teams' involvement."""

import datetime as dt
from collections.abc import Collection
from typing import Any
from uuid import UUID

from django.db.models import Q

from kith.access.relationships import Scope
from kith.work.models import Allocation, Involvement, WorkItem


def _current(scope: Scope) -> Q:
    return Q(start_date__lte=scope.on) & (Q(end_date__isnull=True) | Q(end_date__gte=scope.on))


class WorkRelationships:
    def rule_for(self, *, scope: Scope, person_id: UUID) -> str | None:
        current = _current(scope)
        if Allocation.objects.filter(
            current, person_id=person_id, worker_id=scope.user_id
        ).exists():
            return "allocated"
        if WorkItem.objects.filter(
            person_id=person_id, worker_id=scope.user_id, status__in=WorkItem.OPEN
        ).exists():
            return "work_item"
        if scope.team_ids and (
            Allocation.objects.filter(
                current, person_id=person_id, team_id__in=scope.team_ids
            ).exists()
            or Involvement.objects.filter(
                current, person_id=person_id, team_id__in=scope.team_ids
            ).exists()
            or WorkItem.objects.filter(
                person_id=person_id, team_id__in=scope.team_ids, status__in=WorkItem.OPEN
            ).exists()
        ):
            return "team"
        return None

    def person_id_querysets(self, *, scope: Scope) -> list[Any]:
        current = _current(scope)
        querysets: list[Any] = [
            Allocation.objects.filter(current, worker_id=scope.user_id).values("person_id"),
            WorkItem.objects.filter(worker_id=scope.user_id, status__in=WorkItem.OPEN).values(
                "person_id"
            ),
        ]
        if scope.team_ids:
            querysets += [
                Involvement.objects.filter(current, team_id__in=scope.team_ids).values("person_id"),
                Allocation.objects.filter(current, team_id__in=scope.team_ids).values("person_id"),
                WorkItem.objects.filter(
                    team_id__in=scope.team_ids, status__in=WorkItem.OPEN
                ).values("person_id"),
            ]
        return querysets

    def responsible_team_ids(
        self, *, person_ids: Collection[UUID], on: dt.date
    ) -> dict[UUID, set[UUID]]:
        current = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
        ids = list(person_ids)
        teams: dict[UUID, set[UUID]] = {}
        for rows in (
            Involvement.objects.filter(current, person_id__in=ids),
            Allocation.objects.filter(current, person_id__in=ids),
            WorkItem.objects.filter(person_id__in=ids, status__in=WorkItem.OPEN),
        ):
            for person_id, team_id in rows.values_list("person_id", "team_id"):
                teams.setdefault(person_id, set()).add(team_id)
        return teams


work_relationships = WorkRelationships()
