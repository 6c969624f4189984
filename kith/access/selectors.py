"""Reads for the access pages. Nothing here returns a person's details: only ids and LA
numbers, and the pages link to the person's record, which goes through the policy."""

import datetime as dt
import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from kith.access import relationships
from kith.access.models import (
    BreakGlassGrant,
    Conflict,
    Module,
    ModuleGrant,
    PersonRestriction,
    RestrictionGroup,
)
from kith.access.policy import accessible_q, may_use_module
from kith.accounts.models import User
from kith.accounts.selectors import team_managers, user_is_administrator, user_is_manager


def break_glass_for_review(*, user: User | AnonymousUser) -> QuerySet[BreakGlassGrant] | None:
    """Auditors see every emergency access; managers those on their teams' people."""
    grants = BreakGlassGrant.objects.select_related("user", "reviewed_by").order_by(
        "reviewed_at", "-started_at"
    )
    if may_use_module(user, Module.AUDIT):
        return grants
    if isinstance(user, User) and user_is_manager(user=user):
        return grants.filter(accessible_q(user, "person_id")).exclude(user=user)
    return None


def conflicts_for(*, user: User | AnonymousUser) -> QuerySet[Conflict] | None:
    conflicts = Conflict.objects.filter(ended_at__isnull=True).select_related("user")
    if user_is_administrator(user=user) or may_use_module(user, Module.AUDIT):
        return conflicts
    if user_is_manager(user=user):
        return conflicts.filter(accessible_q(user, "person_id"))
    return None


def conflict_get(*, conflict_id: uuid.UUID) -> Conflict | None:
    return Conflict.objects.filter(pk=conflict_id, ended_at__isnull=True).first()


def restrictions_current() -> QuerySet[PersonRestriction]:
    return PersonRestriction.objects.filter(ended_at__isnull=True).select_related("group", "person")


def restriction_get(*, restriction_id: uuid.UUID) -> PersonRestriction | None:
    return PersonRestriction.objects.filter(pk=restriction_id, ended_at__isnull=True).first()


def restriction_groups() -> QuerySet[RestrictionGroup]:
    return RestrictionGroup.objects.prefetch_related("members")


def restriction_group_get(*, group_id: uuid.UUID) -> RestrictionGroup | None:
    return RestrictionGroup.objects.filter(pk=group_id).first()


def module_grant_levels() -> dict[str, str]:
    """'role:module' -> 'view' or 'edit' (absent: no access)."""
    return {
        f"{g.role_id}:{g.module}": "edit" if g.can_edit else "view"
        for g in ModuleGrant.objects.all()
    }


def person_team_managers(*, person_id: uuid.UUID, on: dt.date | None = None) -> set[User]:
    """Managers of the teams working with the person (and of the services above them)."""
    day = on or timezone.localdate()
    team_ids = relationships.responsible_team_ids(person_id=person_id, on=day)
    return team_managers(team_ids=team_ids) if team_ids else set()
