"""Legitimate relationships come from the apps that own them (work: involvement, allocation,
work items). They register here, so the policy never imports them."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID


@dataclass(frozen=True)
class Scope:
    """Whose people a user may see: themselves, and the teams they work in or manage."""

    user_id: UUID
    team_ids: frozenset[UUID]
    on: dt.date


class RelationshipProvider(Protocol):
    def rule_for(self, *, scope: Scope, person_id: UUID) -> str | None:
        """The rule that links the user to the person (e.g. "allocated"), or None."""

    def person_id_querysets(self, *, scope: Scope) -> list[Any]:
        """Querysets of ``person_id`` values the user is linked to (for filtering lists)."""

    def responsible_team_ids(
        self, *, person_ids: Collection[UUID], on: dt.date
    ) -> dict[UUID, set[UUID]]:
        """The teams currently working with each person (their managers are told of access);
        people with none may be left out."""


_providers: list[RelationshipProvider] = []


def register(provider: RelationshipProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def providers() -> list[RelationshipProvider]:
    return list(_providers)


def responsible_team_ids(*, person_id: UUID, on: dt.date) -> set[UUID]:
    """Every team currently working with the person, by all the providers."""
    teams: set[UUID] = set()
    for provider in _providers:
        teams |= provider.responsible_team_ids(person_ids=[person_id], on=on).get(person_id, set())
    return teams
