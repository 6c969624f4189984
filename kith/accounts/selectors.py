"""Reads for accounts. Staff records only; service users' data is never read here."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kith.accounts.models import Membership, Notification, Role, Team, User

ADMINISTRATOR_ROLES = frozenset({Role.Code.SYSTEM_ADMINISTRATOR})


def _current(on: dt.date | None) -> Q:
    day = on or timezone.localdate()
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def user_current_memberships(*, user: User, on: dt.date | None = None) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(_current(on), user=user)
        .select_related("team", "team__parent", "role")
        .order_by("team__name")
    )


def user_has_role(
    *, user: User | AnonymousUser, role_codes: Iterable[str], on: dt.date | None = None
) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(_current(on), user=user, role__in=list(role_codes)).exists()


def user_is_signed_in(*, user: User | AnonymousUser) -> bool:
    """Signed in with a password *and* a verified second factor."""
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and is_verified is not None and is_verified())


def user_is_manager(*, user: User | AnonymousUser) -> bool:
    """A team, service or directorate manager today (any current manager role)."""
    return user_has_role(
        user=user, role_codes=Role.objects.filter(is_manager=True).values_list("code", flat=True)
    )


def user_is_administrator(*, user: User | AnonymousUser) -> bool:
    return user_has_role(user=user, role_codes=ADMINISTRATOR_ROLES)


def user_list(*, search: str = "", include_leavers: bool = False) -> QuerySet[User]:
    users = User.objects.all()
    if not include_leavers:
        users = users.filter(is_active=True)
    if search.strip():
        for word in search.split():
            users = users.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(swe_number__iexact=word)
            )
    return users.order_by("last_name", "first_name", "username")


def user_get(*, user_id: uuid.UUID | str) -> User | None:
    return User.objects.filter(pk=user_id).first()


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("team", "role")


def membership_get(*, membership_id: uuid.UUID | str) -> Membership | None:
    return Membership.objects.filter(pk=membership_id).select_related("user", "team").first()


def user_confirmed_totp_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def user_backup_codes_remaining(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def team_tree() -> list[tuple[Team, int]]:
    """Every open team as (team, depth), directorates first, children under their parent."""
    teams = list(Team.objects.filter(closed_on__isnull=True).order_by("name"))
    by_parent: dict[object, list[Team]] = {}
    for team in teams:
        by_parent.setdefault(team.parent_id, []).append(team)
    ordered: list[tuple[Team, int]] = []

    def walk(parent_id: object, depth: int) -> None:
        for team in by_parent.get(parent_id, []):
            ordered.append((team, depth))
            walk(team.pk, depth + 1)

    walk(None, 0)
    return ordered


def team_choices() -> list[tuple[str, str]]:
    return [(str(team.pk), "— " * depth + team.name) for team, depth in team_tree()]


def role_choices() -> list[tuple[str, str]]:
    return [(role.code, role.name) for role in Role.objects.order_by("name")]


def team_managers(
    *, team_ids: "set[uuid.UUID] | frozenset[uuid.UUID]", on: dt.date | None = None
) -> set[User]:
    """Managers of these teams, or of a service or directorate above them."""
    found: set[User] = set()
    for managers in team_managers_by_team(team_ids=team_ids, on=on).values():
        found |= managers
    return found


def team_managers_by_team(
    *, team_ids: "Iterable[uuid.UUID]", on: dt.date | None = None
) -> dict[uuid.UUID, set[User]]:
    """Each team's managers, with those of the services and directorates above it: two
    queries however many teams."""
    parents: dict[uuid.UUID, uuid.UUID | None] = dict(Team.objects.values_list("id", "parent_id"))
    lines: dict[uuid.UUID, list[uuid.UUID]] = {}
    for team_id in team_ids:
        line: list[uuid.UUID] = []
        node: uuid.UUID | None = team_id
        while node is not None and node not in line:
            line.append(node)
            node = parents.get(node)
        lines[team_id] = line
    ancestors = {node for line in lines.values() for node in line}
    by_unit: dict[uuid.UUID, set[User]] = {}
    for membership in Membership.objects.filter(
        _current(on), team_id__in=ancestors, role__is_manager=True, user__is_active=True
    ).select_related("user"):
        by_unit.setdefault(membership.team_id, set()).add(membership.user)
    return {
        team_id: {user for node in line for user in by_unit.get(node, set())}
        for team_id, line in lines.items()
    }


def user_unread_notifications(*, user: User | AnonymousUser) -> int:
    if not isinstance(user, User):
        return 0
    return user.notifications.filter(read_at__isnull=True).count()


def user_notifications(*, user: User, limit: int = 100) -> list[Notification]:
    return list(user.notifications.all()[:limit])
