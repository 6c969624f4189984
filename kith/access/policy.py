"""The one access policy: may this user do this to this person's record, and why?

Deny by default. In order:
1. a restricted or sealed record exists only for its named group: for everyone else it is not
   there at all (not in search, lists, dashboards, exports, reports or the API);
2. a worker who has declared they know the person is kept out of the record;
3. the user's role must grant a module that holds records (and "edit" for changes);
4. a legitimate relationship: allocated to them, their team works with the person, they manage
   that team, or they are asked to act on the person (registered by the owning apps);
5. members of a restricted record's group;
6. emergency (break-glass) access, for its set time;
otherwise the user sees only enough to avoid a duplicate (name, year of birth, who to contact).
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from kith.access import relationships
from kith.access.models import BreakGlassGrant, Conflict, Module, ModuleGrant, PersonRestriction
from kith.accounts.models import Team, User
from kith.accounts.selectors import user_current_memberships, user_is_signed_in
from kith.core.memo import memoised

RECORD_MODULES = frozenset({Module.CHILDREN, Module.ADULTS, Module.FINANCE, Module.COMMISSIONING})


class Do(StrEnum):
    VIEW = "view"
    EDIT = "edit"


class Rule(StrEnum):
    NOT_SIGNED_IN = "not_signed_in"
    RESTRICTED = "restricted"
    SEALED = "sealed"
    KNOWN_TO_ME = "known_to_me"
    NO_MODULE = "no_module"
    NO_EDIT = "no_edit"
    NO_RELATIONSHIP = "no_relationship"
    RESTRICTED_GROUP = "restricted_group"
    SEALED_GROUP = "sealed_group"
    BREAK_GLASS = "break_glass"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    rule: str
    # False: for this user the record does not exist (restricted or sealed outside the group).
    visible: bool = True
    break_glass_reason: str = ""

    @property
    def may_break_glass(self) -> bool:
        return not self.allowed and self.visible and self.rule == Rule.NO_RELATIONSHIP


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _team_children() -> dict[UUID | None, list[UUID]]:
    children: dict[UUID | None, list[UUID]] = {}
    for team_id, parent_id in Team.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(team_id)
    return children


def scope_for(user: User, on: dt.date | None = None) -> relationships.Scope:
    """The user's own teams, plus every team under a service or directorate they manage."""
    day = _today(on)
    return memoised(("access.scope", user.pk, day), lambda: _scope(user, day))


def _scope(user: User, day: dt.date) -> relationships.Scope:
    memberships = list(user_current_memberships(user=user, on=day))
    direct = {m.team_id for m in memberships}
    managed_roots = {m.team_id for m in memberships if m.role.is_manager}
    team_ids = set(direct)
    if managed_roots:
        children = memoised("access.team_children", _team_children)
        stack = list(managed_roots)
        while stack:
            current = stack.pop()
            for child in children.get(current, []):
                if child not in team_ids:
                    team_ids.add(child)
                    stack.append(child)
    return relationships.Scope(user_id=user.pk, team_ids=frozenset(team_ids), on=day)


def user_modules(user: User | AnonymousUser, *, editing: bool = False) -> set[str]:
    if not isinstance(user, User) or not user.is_active:
        return set()
    key = ("access.modules", user.pk, editing, timezone.localdate())
    return set(memoised(key, lambda: _modules(user, editing=editing)))


def _modules(user: User, *, editing: bool) -> frozenset[str]:
    roles = {m.role_id for m in user_current_memberships(user=user)}
    grants = ModuleGrant.objects.filter(role_id__in=roles)
    if editing:
        grants = grants.filter(can_edit=True)
    return frozenset(grants.values_list("module", flat=True))


def may_use_module(user: User | AnonymousUser, module: str, *, editing: bool = False) -> bool:
    return module in user_modules(user, editing=editing)


def _current_restriction(person_id: UUID) -> PersonRestriction | None:
    return (
        PersonRestriction.objects.filter(person_id=person_id, ended_at__isnull=True)
        .select_related("group")
        .first()
    )


def _active_break_glass(user: User, person_id: UUID) -> BreakGlassGrant | None:
    return (
        BreakGlassGrant.objects.filter(
            user=user, person_id=person_id, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )


def decide(
    user: User | AnonymousUser, person_id: UUID, action: Do = Do.VIEW, on: dt.date | None = None
) -> Decision:
    if not user_is_signed_in(user=user) or not isinstance(user, User):
        return Decision(False, Rule.NOT_SIGNED_IN, visible=False)
    restriction = _current_restriction(person_id)
    in_group = restriction is not None and restriction.group.members.filter(pk=user.pk).exists()
    if restriction is not None and not in_group:
        return Decision(False, restriction.level, visible=False)
    if Conflict.objects.filter(user=user, person_id=person_id, ended_at__isnull=True).exists():
        return Decision(False, Rule.KNOWN_TO_ME)
    modules = user_modules(user) & RECORD_MODULES
    if not modules:
        return Decision(False, Rule.NO_MODULE)
    if action == Do.EDIT and not (user_modules(user, editing=True) & RECORD_MODULES):
        return Decision(False, Rule.NO_EDIT)
    scope = scope_for(user, on)
    for provider in relationships.providers():
        rule = provider.rule_for(scope=scope, person_id=person_id)
        if rule:
            return Decision(True, rule)
    if restriction is not None and in_group:
        group_rule = Rule.SEALED_GROUP if restriction.level == "sealed" else Rule.RESTRICTED_GROUP
        return Decision(True, group_rule)
    grant = _active_break_glass(user, person_id)
    if grant is not None:
        return Decision(True, Rule.BREAK_GLASS, break_glass_reason=grant.reason)
    return Decision(False, Rule.NO_RELATIONSHIP)


def hidden_q(user: User | AnonymousUser, field: str = "id") -> Q:
    """Rows (by person id in ``field``) that do not exist for this user: restricted or sealed
    records outside their groups. Use as ``.exclude(hidden_q(user))`` on every list."""
    restricted = PersonRestriction.objects.filter(ended_at__isnull=True)
    if isinstance(user, User):
        restricted = restricted.exclude(group__members=user)
    return Q(**{f"{field}__in": restricted.values("person_id")})


def accessible_q(user: User | AnonymousUser, field: str = "id") -> Q:
    """Rows (by person id in ``field``) whose record this user may open now."""
    if not user_is_signed_in(user=user) or not isinstance(user, User):
        return Q(pk__in=[])
    if not user_modules(user) & RECORD_MODULES:
        return Q(pk__in=[])
    scope = scope_for(user)
    allowed = Q(
        **{
            f"{field}__in": PersonRestriction.objects.filter(
                ended_at__isnull=True, group__members=user
            ).values("person_id")
        }
    )
    for provider in relationships.providers():
        for person_ids in provider.person_id_querysets(scope=scope):
            allowed |= Q(**{f"{field}__in": person_ids})
    allowed |= Q(
        **{
            f"{field}__in": BreakGlassGrant.objects.filter(
                user=user, expires_at__gt=timezone.now()
            ).values("person_id")
        }
    )
    conflicts = Conflict.objects.filter(user=user, ended_at__isnull=True).values("person_id")
    return allowed & ~Q(**{f"{field}__in": conflicts}) & ~hidden_q(user, field)


def visible(
    queryset: QuerySet[Any], user: User | AnonymousUser, field: str = "id"
) -> QuerySet[Any]:
    return queryset.exclude(hidden_q(user, field))
