"""Writes for work: a team's involvement with a person and a worker's allocation."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kith.accounts.models import Team, User
from kith.accounts.selectors import user_current_memberships
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.people.models import Person
from kith.work.models import Allocation, Involvement


@transaction.atomic
def involvement_start(
    *, actor: User | None, person: Person, team: Team, start_date: dt.date | None = None
) -> Involvement:
    if team.kind != Team.Kind.TEAM:
        raise ValidationError(
            {"team": "Only a team (not a service or directorate) works with people"}
        )
    start = start_date or timezone.localdate()
    if Involvement.objects.filter(person=person, team=team, end_date__isnull=True).exists():
        raise ValidationError({"team": f"{team.name} is already working with this person"})
    involvement = Involvement(
        person=person, team=team, start_date=start, created_by=actor, updated_by=actor
    )
    involvement.full_clean()
    involvement.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        person_id=person.pk,
        object_type="work.involvement",
        object_id=involvement.pk,
        changed_fields=["team", "start_date"],
    )
    return involvement


@transaction.atomic
def allocation_start(
    *,
    actor: User | None,
    person: Person,
    team: Team,
    worker: User,
    start_date: dt.date | None = None,
) -> Allocation:
    start = start_date or timezone.localdate()
    if not user_current_memberships(user=worker, on=start).filter(team=team).exists():
        raise ValidationError({"worker": f"{worker.display_name} is not in {team.name}"})
    allocation = Allocation(
        person=person,
        team=team,
        worker=worker,
        start_date=start,
        created_by=actor,
        updated_by=actor,
    )
    allocation.full_clean()
    allocation.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        person_id=person.pk,
        object_type="work.allocation",
        object_id=allocation.pk,
        changed_fields=["team", "worker", "start_date"],
    )
    return allocation


@transaction.atomic
def allocation_end(
    *, actor: User | None, allocation: Allocation, end_date: dt.date, reason: str
) -> Allocation:
    if not reason.strip():
        raise ValidationError({"end_reason": "Give the reason the allocation is ending"})
    allocation.end_date = end_date
    allocation.end_reason = reason.strip()
    allocation.updated_by = actor
    allocation.full_clean()
    allocation.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        person_id=allocation.person_id,
        object_type="work.allocation",
        object_id=allocation.pk,
        changed_fields=["end_date", "end_reason"],
    )
    return allocation


@transaction.atomic
def person_add_to_caseload(*, actor: User, team: Team, **details: object) -> Person:
    """A new person, and the actor's team working with them from today."""
    from kith.people.services import person_create

    if not user_current_memberships(user=actor).filter(team=team).exists():
        raise ValidationError({"team": f"You are not a member of {team.name}"})
    person = person_create(actor=actor, **details)  # type: ignore[arg-type]
    involvement_start(actor=actor, person=person, team=team)
    return person
