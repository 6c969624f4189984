"""Writes for the access policy: emergency access and its review, conflicts, restrictions,
groups and module grants. Each runs in one transaction with its audit entry."""

import datetime as dt
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kith.access.models import (
    BreakGlassGrant,
    Conflict,
    ModuleGrant,
    PersonRestriction,
    RestrictionGroup,
)
from kith.access.policy import Decision, Rule, decide
from kith.access.selectors import person_team_managers
from kith.accounts.models import Role, User
from kith.accounts.selectors import team_managers
from kith.accounts.services import notify
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.core.memo import memo_forget

MIN_REASON_LENGTH = 10


@transaction.atomic
def break_glass_start(*, actor: User, person_id: UUID, reason: str) -> BreakGlassGrant:
    """Open a record in an emergency. Needs a reason; lasts KITH_BREAK_GLASS_MINUTES; the
    record's team managers are told; the access waits in the review queue."""
    decision: Decision = decide(actor, person_id)
    if decision.allowed:
        raise ValidationError("You can already open this record: emergency access is not needed.")
    if not decision.may_break_glass:
        raise ValidationError("Emergency access is not available for this record.")
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": "Explain the emergency in a sentence: why you need this record now"}
        )
    now = timezone.now()
    grant = BreakGlassGrant(
        user=actor,
        person_id=person_id,
        reason=reason,
        started_at=now,
        expires_at=now + dt.timedelta(minutes=settings.KITH_BREAK_GLASS_MINUTES),
        created_by=actor,
        updated_by=actor,
    )
    grant.save()
    audit_record(
        actor=actor,
        action=Action.BREAK_GLASS,
        person_id=person_id,
        object_type="access.breakglassgrant",
        object_id=grant.pk,
        rule=Rule.BREAK_GLASS,
        reason=reason,
    )
    notify(
        recipients=person_team_managers(person_id=person_id) - {actor},
        subject=f"{actor.display_name} used emergency access to a record",
        body=f"Reason given: {reason}",
        link=reverse("access:break-glass-review", args=[grant.pk]),
    )
    return grant


@transaction.atomic
def break_glass_review(
    *, actor: User, grant: BreakGlassGrant, justified: bool, note: str
) -> BreakGlassGrant:
    if grant.reviewed_at is not None:
        raise ValidationError("This emergency access has already been reviewed.")
    if grant.user_id == actor.pk:
        raise ValidationError("You cannot review your own emergency access.")
    if not justified and not note.strip():
        raise ValidationError({"note": "Say why the access was not justified"})
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = actor
    grant.justified = justified
    grant.review_note = note.strip()
    grant.updated_by = actor
    grant.save()
    audit_record(
        actor=actor,
        action=Action.REVIEW,
        person_id=grant.person_id,
        object_type="access.breakglassgrant",
        object_id=grant.pk,
        reason="justified" if justified else "not justified",
    )
    return grant


@transaction.atomic
def conflict_declare(*, actor: User, person_id: UUID, relationship: str) -> Conflict:
    """'I know this person': the worker is kept out of the record and managers are told."""
    relationship = relationship.strip()
    if not relationship:
        raise ValidationError({"relationship": "Say how you know the person"})
    existing = Conflict.objects.filter(user=actor, person_id=person_id, ended_at__isnull=True)
    if existing.exists():
        raise ValidationError("You have already told us you know this person.")
    conflict = Conflict(
        user=actor,
        person_id=person_id,
        relationship=relationship,
        created_by=actor,
        updated_by=actor,
    )
    conflict.save()
    audit_record(
        actor=actor,
        action=Action.CONFLICT_DECLARED,
        person_id=person_id,
        object_type="access.conflict",
        object_id=conflict.pk,
    )
    notify(
        recipients=person_team_managers(person_id=person_id) | _line_managers(actor),
        subject=f"{actor.display_name} has declared they know someone with a record",
        body="They can no longer open that record. Reallocate any work they hold for the person.",
        link=reverse("access:conflicts"),
    )
    return conflict


def _line_managers(user: User) -> set[User]:
    from kith.accounts.selectors import user_current_memberships

    teams = {m.team_id for m in user_current_memberships(user=user)}
    return team_managers(team_ids=teams) - {user} if teams else set()


@transaction.atomic
def conflict_end(*, actor: User, conflict: Conflict) -> Conflict:
    conflict.ended_at = timezone.now()
    conflict.ended_by = actor
    conflict.updated_by = actor
    conflict.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        person_id=conflict.person_id,
        object_type="access.conflict",
        object_id=conflict.pk,
        changed_fields=["ended_at"],
    )
    return conflict


@transaction.atomic
def restriction_set(
    *, actor: User, person_id: UUID, level: str, group: RestrictionGroup, reason: str
) -> PersonRestriction:
    if level not in PersonRestriction.Level.values:
        raise ValidationError({"level": "Choose restricted or sealed"})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason the record is restricted"})
    now = timezone.now()
    PersonRestriction.objects.filter(person_id=person_id, ended_at__isnull=True).update(
        ended_at=now, ended_by=actor, updated_by=actor, updated_at=now
    )
    restriction = PersonRestriction(
        person_id=person_id,
        level=level,
        group=group,
        reason=reason.strip(),
        created_by=actor,
        updated_by=actor,
    )
    restriction.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        person_id=person_id,
        object_type="access.personrestriction",
        object_id=restriction.pk,
        changed_fields=["level", "group"],
    )
    return restriction


@transaction.atomic
def restriction_end(*, actor: User, restriction: PersonRestriction) -> PersonRestriction:
    restriction.ended_at = timezone.now()
    restriction.ended_by = actor
    restriction.updated_by = actor
    restriction.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        person_id=restriction.person_id,
        object_type="access.personrestriction",
        object_id=restriction.pk,
        changed_fields=["ended_at"],
    )
    return restriction


@transaction.atomic
def restriction_group_create(
    *, actor: User, name: str, description: str = "", members: list[User] | None = None
) -> RestrictionGroup:
    if RestrictionGroup.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": f"There is already a group called {name.strip()}"})
    group = RestrictionGroup(
        name=name.strip(), description=description.strip(), created_by=actor, updated_by=actor
    )
    group.full_clean()
    group.save()
    if members:
        group.members.set(members)
    return group


@transaction.atomic
def restriction_group_set_members(
    *, actor: User, group: RestrictionGroup, members: list[User]
) -> RestrictionGroup:
    group.members.set(members)
    group.updated_by = actor
    group.save(update_fields=["updated_by", "updated_at"])
    return group


@transaction.atomic
def module_grant_set(*, actor: User, role: Role, module: str, view: bool, edit: bool) -> None:
    memo_forget()
    if not view:
        ModuleGrant.objects.filter(role=role, module=module).delete()
        return
    ModuleGrant.objects.update_or_create(role=role, module=module, defaults={"can_edit": edit})
