"""Writes for work: a team's involvement with a person, a worker's allocation, and work
items with their statutory clocks, allocation, authorisation and escalation. Each runs in one
transaction with its audit entry; every change to a work item is a WorkItemEvent row."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kith.access.policy import Do, decide
from kith.accounts.models import Membership, Team, User
from kith.accounts.selectors import user_current_memberships
from kith.accounts.services import notify
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.core import calendar
from kith.people.models import Person
from kith.work import hooks
from kith.work.models import (
    Allocation,
    Escalation,
    EscalationRule,
    Involvement,
    Priority,
    WorkItem,
    WorkItemEvent,
    WorkItemType,
)


@transaction.atomic
def involvement_start(
    *,
    actor: User | None,
    person: Person,
    team: Team,
    start_date: dt.date | None = None,
    priority: str = Priority.GREEN,
) -> Involvement:
    if team.kind != Team.Kind.TEAM:
        raise ValidationError(
            {"team": "Only a team (not a service or directorate) works with people"}
        )
    start = start_date or timezone.localdate()
    if Involvement.objects.filter(person=person, team=team, end_date__isnull=True).exists():
        raise ValidationError({"team": f"{team.name} is already working with this person"})
    involvement = Involvement(
        person=person,
        team=team,
        start_date=start,
        priority=priority,
        created_by=actor,
        updated_by=actor,
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
    reason: str = "",
) -> Allocation:
    start = start_date or timezone.localdate()
    if not user_current_memberships(user=worker, on=start).filter(team=team).exists():
        raise ValidationError({"worker": f"{worker.display_name} is not in {team.name}"})
    allocation = Allocation(
        person=person,
        team=team,
        worker=worker,
        start_date=start,
        reason=reason.strip(),
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


# --- Allocation of people ---


def _require_team_member_or_manager(actor: User | None, team: Team) -> None:
    if actor is None:
        return
    if user_current_memberships(user=actor).filter(team=team).exists():
        return
    if actor in _managers_above(team):
        return
    raise PermissionDenied(f"You are not in {team.name} or managing it.")


def _managers_above(team: Team) -> set[User]:
    """Managers of the team and of every service and directorate above it."""
    from kith.accounts.selectors import team_managers

    return team_managers(team_ids={team.pk})


def _managers_of(team: Team | None, on: dt.date | None = None) -> set[User]:
    """Managers who are members of exactly this team (or service)."""
    if team is None:
        return set()
    day = on or timezone.localdate()
    memberships = Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        start_date__lte=day,
        team=team,
        role__is_manager=True,
        user__is_active=True,
    ).select_related("user")
    return {m.user for m in memberships}


@transaction.atomic
def person_allocate(
    *,
    actor: User | None,
    involvement: Involvement,
    worker: User,
    reason: str,
    on: dt.date | None = None,
) -> Allocation:
    """Allocate (or reallocate) the person to a worker in the involved team. A current
    allocation to someone else in that team ends the day before, with the same reason."""
    _require_team_member_or_manager(actor, involvement.team)
    if involvement.end_date is not None:
        raise ValidationError("The team is no longer working with this person")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for this allocation"})
    day = on or timezone.localdate()
    current = Allocation.objects.filter(
        person_id=involvement.person_id, team=involvement.team, end_date__isnull=True
    ).first()
    if current is not None:
        if current.worker_id == worker.pk:
            raise ValidationError({"worker": f"{worker.display_name} is already allocated"})
        allocation_end(
            actor=actor,
            allocation=current,
            end_date=max(current.start_date, day - dt.timedelta(days=1)),
            reason=reason,
        )
    return allocation_start(
        actor=actor,
        person=involvement.person,
        team=involvement.team,
        worker=worker,
        start_date=day,
        reason=reason,
    )


@transaction.atomic
def involvement_set_priority(
    *, actor: User | None, involvement: Involvement, priority: str
) -> Involvement:
    _require_team_member_or_manager(actor, involvement.team)
    if priority not in Priority.values:
        raise ValidationError({"priority": "Choose red, amber or green"})
    involvement.priority = priority
    involvement.updated_by = actor
    involvement.save(update_fields=["priority", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        person_id=involvement.person_id,
        object_type="work.involvement",
        object_id=involvement.pk,
        changed_fields=["priority"],
    )
    return involvement


@transaction.atomic
def involvement_end(
    *, actor: User | None, involvement: Involvement, end_date: dt.date, reason: str
) -> Involvement:
    """The team stops working with the person: its allocations there end too."""
    _require_team_member_or_manager(actor, involvement.team)
    if not reason.strip():
        raise ValidationError({"end_reason": "Give the reason the team is closing the case"})
    if end_date < involvement.start_date:
        raise ValidationError({"end_date": "The end date must be after the start date"})
    for allocation in Allocation.objects.filter(
        person_id=involvement.person_id, team=involvement.team, end_date__isnull=True
    ):
        allocation_end(
            actor=actor,
            allocation=allocation,
            end_date=max(end_date, allocation.start_date),
            reason=reason,
        )
    involvement.end_date = end_date
    involvement.end_reason = reason.strip()
    involvement.updated_by = actor
    involvement.full_clean()
    involvement.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        person_id=involvement.person_id,
        object_type="work.involvement",
        object_id=involvement.pk,
        changed_fields=["end_date", "end_reason"],
    )
    return involvement


@dataclass
class ReallocationResult:
    people: int = 0
    work_items: int = 0
    left_unallocated: int = 0
    problems: list[str] = field(default_factory=list)


@transaction.atomic
def caseload_reallocate(
    *,
    actor: User,
    leaver: User,
    to: dict[uuid.UUID, User | None],
    reason: str,
    on: dt.date | None = None,
) -> ReallocationResult:
    """Move a worker's caseload in one go: ``to`` maps each person's id to the new worker
    (None: back to the team, unallocated, so it shows on the manager's dashboard). Their
    open work items on those people follow. All or nothing."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the reallocation"})
    day = on or timezone.localdate()
    result = ReallocationResult()
    allocations = list(
        Allocation.objects.filter(worker=leaver, end_date__isnull=True).select_related(
            "team", "person"
        )
    )
    for allocation in allocations:
        if actor not in _managers_above(allocation.team):
            raise PermissionDenied(f"You do not manage {allocation.team.name}.")
        if allocation.person_id not in to:
            continue
        new_worker = to[allocation.person_id]
        if new_worker is None:
            allocation_end(
                actor=actor,
                allocation=allocation,
                end_date=day - dt.timedelta(days=1) if day > allocation.start_date else day,
                reason=reason,
            )
            result.left_unallocated += 1
        else:
            involvement = Involvement.objects.filter(
                person_id=allocation.person_id, team=allocation.team, end_date__isnull=True
            ).first()
            if involvement is None:
                involvement = involvement_start(
                    actor=actor, person=allocation.person, team=allocation.team, start_date=day
                )
            person_allocate(
                actor=actor, involvement=involvement, worker=new_worker, reason=reason, on=day
            )
        result.people += 1
        for item in WorkItem.objects.filter(
            person_id=allocation.person_id,
            worker=leaver,
            status__in=WorkItem.OPEN,
        ):
            work_item_allocate(actor=actor, item=item, worker=new_worker, reason=reason)
            result.work_items += 1
    return result


# --- Work items ---


def _event(
    item: WorkItem,
    actor: User | None,
    kind: str,
    old: object = "",
    new: object = "",
    comment: str = "",
) -> WorkItemEvent:
    return WorkItemEvent.objects.create(
        work_item=item,
        kind=kind,
        old_value=str(old or "")[:200],
        new_value=str(new or "")[:200],
        comment=comment,
        created_by=actor,
        updated_by=actor,
    )


def _audit_item(
    actor: User | None, item: WorkItem, action: Action, changed: Iterable[str], reason: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=action,
        person_id=item.person_id,
        object_type="work.workitem",
        object_id=item.pk,
        changed_fields=list(changed),
        reason=reason,
    )


def _occurrence(item: WorkItem) -> int:
    """Which in a recurring series this item is: 1 for the first, 2 for the second, 3 for any
    later one (the rules' clocks differ for the first two only: ``timescales.rule_clock``)."""
    n = 1
    previous_id = item.previous_id
    while previous_id is not None and n < 3:
        n += 1
        previous_id = (
            WorkItem.objects.filter(pk=previous_id).values_list("previous_id", flat=True).first()
        )
    return n


def _due(item: WorkItem) -> tuple[dt.date | None, Any]:
    from kith.work import timescales

    rule = timescales.rule_for(item.item_type, item.clock_start)
    if rule is None:
        return None, None
    return timescales.due_date(rule, item.clock_start, _occurrence(item)), rule


def _require_edit_person(actor: User | None, person_id: uuid.UUID) -> None:
    if actor is not None and not decide(actor, person_id, Do.EDIT).allowed:
        raise PermissionDenied("You cannot change this person's record.")


@transaction.atomic
def work_item_create(
    *,
    actor: User | None,
    person: Person,
    item_type: WorkItemType,
    team: Team,
    clock_start: dt.date | None = None,
    worker: User | None = None,
    previous: WorkItem | None = None,
    note: str = "",
    allocated_on: dt.date | None = None,
) -> WorkItem:
    """A new step on a person, allocated to a team (and a worker, if given, on
    ``allocated_on``: by default today), due by the timescale rule in force on the day its
    clock starts."""
    if actor is not None and not (
        decide(actor, person.pk, Do.EDIT).allowed
        or user_current_memberships(user=actor).filter(team=team).exists()
    ):
        raise PermissionDenied("You cannot add work for this person.")
    if team.kind != Team.Kind.TEAM:
        raise ValidationError({"team": "Work is allocated to a team, not a service"})
    if not item_type.active:
        raise ValidationError({"item_type": f"{item_type.name} is no longer used"})
    start = clock_start or timezone.localdate()
    if start > timezone.localdate():
        raise ValidationError({"clock_start": "The clock cannot start in the future"})
    item = WorkItem(
        person=person,
        item_type=item_type,
        team=team,
        clock_start=start,
        previous=previous,
        note=note.strip(),
        created_by=actor,
        updated_by=actor,
    )
    item.due_date, item.rule = _due(item)
    item.save()
    _event(item, actor, WorkItemEvent.Kind.CREATED, new=item.due_date or "no timescale")
    _event(item, actor, WorkItemEvent.Kind.TEAM, new=team.name)
    _audit_item(actor, item, Action.CREATE, ["item_type", "team", "due_date"])
    if worker is not None:
        item = work_item_allocate(
            actor=actor, item=item, worker=worker, reason="Allocated when created", on=allocated_on
        )
    return item


@transaction.atomic
def work_item_allocate(
    *,
    actor: User | None,
    item: WorkItem,
    worker: User | None,
    reason: str = "",
    on: dt.date | None = None,
) -> WorkItem:
    """Give the item to a worker in its team (None: back to the team, unallocated), on ``on``
    (by default today; a day recorded late, never before the clock started nor in the
    future)."""
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    day = _recorded_day(item, on, "The item cannot be allocated")
    _require_team_member_or_manager(actor, item.team)
    if not item.is_open:
        raise ValidationError("This work item is closed")
    if (
        worker is not None
        and not user_current_memberships(user=worker).filter(team=item.team).exists()
    ):
        raise ValidationError({"worker": f"{worker.display_name} is not in {item.team.name}"})
    old = item.worker.display_name if item.worker else "unallocated"
    item.worker = worker
    item.allocated_on = day if worker else None
    item.updated_by = actor
    item.save(update_fields=["worker", "allocated_on", "updated_by", "updated_at"])
    _event(
        item,
        actor,
        WorkItemEvent.Kind.WORKER,
        old,
        worker.display_name if worker else "unallocated",
        reason,
    )
    _audit_item(actor, item, Action.UPDATE, ["worker"], reason)
    return item


@transaction.atomic
def work_item_move_to_team(
    *, actor: User | None, item: WorkItem, team: Team, reason: str
) -> WorkItem:
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    _require_team_member_or_manager(actor, item.team)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for moving the work"})
    if team.kind != Team.Kind.TEAM:
        raise ValidationError({"team": "Work is allocated to a team, not a service"})
    old = item.team.name
    item.team = team
    item.worker = None
    item.allocated_on = None
    item.updated_by = actor
    item.save()
    _event(item, actor, WorkItemEvent.Kind.TEAM, old, team.name, reason)
    _audit_item(actor, item, Action.UPDATE, ["team", "worker"], reason)
    return item


def _recorded_day(item: WorkItem, on: dt.date | None, what: str) -> dt.date:
    """The day something happened to the item: today, or an earlier day recorded late (not
    before the item's clock started)."""
    today = timezone.localdate()
    if on is None:
        return today
    if on > today:
        raise ValidationError(f"{what} on a day in the future")
    if on < item.clock_start:
        raise ValidationError(f"{what} before its clock started")
    return on


def _set_status(item: WorkItem, actor: User | None, status: str, comment: str = "") -> None:
    old = item.status
    item.status = status
    item.updated_by = actor
    item.save()
    _event(item, actor, WorkItemEvent.Kind.STATUS, old, status, comment)
    _audit_item(actor, item, Action.UPDATE, ["status"], comment)


def _require_responsible(actor: User | None, item: WorkItem) -> None:
    """The worker or their team (or a manager above it) may progress the item."""
    _require_team_member_or_manager(actor, item.team)


@transaction.atomic
def work_item_start(*, actor: User | None, item: WorkItem) -> WorkItem:
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    _require_responsible(actor, item)
    if item.status != WorkItem.Status.NOT_STARTED:
        raise ValidationError("Only a step not started yet can be started")
    _set_status(item, actor, WorkItem.Status.IN_PROGRESS)
    return item


@transaction.atomic
def work_item_complete(
    *, actor: User | None, item: WorkItem, on: dt.date | None = None
) -> WorkItem:
    """Complete the step (or send it for authorisation, if its type needs a manager's
    sign-off). A recurring step starts the next one, due by the rule."""
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    _require_responsible(actor, item)
    if not item.is_open:
        raise ValidationError("This work item is already closed")
    if item.item_type.needs_authorisation:
        if item.status == WorkItem.Status.AWAITING_AUTHORISATION:
            raise ValidationError("This step is already waiting for a manager")
        _set_status(item, actor, WorkItem.Status.AWAITING_AUTHORISATION)
        _event(item, actor, WorkItemEvent.Kind.AUTHORISATION_REQUESTED)
        managers = _managers_of(item.team) or _managers_above(item.team)
        notify(
            recipients=managers,
            subject=f"{item.item_type.name} is waiting for your authorisation",
            link=reverse("work:authorisations"),
        )
        return item
    return _close(item, actor, _recorded_day(item, on, "The step cannot be completed"))


def _close(item: WorkItem, actor: User | None, on: dt.date) -> WorkItem:
    item.completed_on = on
    _set_status(item, actor, WorkItem.Status.COMPLETED)
    rule = item.rule
    if rule is not None and rule.recurs:
        work_item_create(
            actor=None,
            person=item.person,
            item_type=item.item_type,
            team=item.team,
            clock_start=on,
            worker=item.worker,
            previous=item,
            allocated_on=on if item.worker is not None else None,
        )
    return item


def _require_manager(actor: User | None, item: WorkItem) -> None:
    if actor is not None and actor not in _managers_above(item.team):
        raise PermissionDenied("Only a manager of the team can decide on this step.")


@transaction.atomic
def work_item_authorise(
    *, actor: User | None, item: WorkItem, comment: str = "", on: dt.date | None = None
) -> WorkItem:
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    _require_manager(actor, item)
    if item.status != WorkItem.Status.AWAITING_AUTHORISATION:
        raise ValidationError("This step is not waiting for authorisation")
    if actor is not None and item.worker_id == actor.pk:
        raise ValidationError("You cannot authorise your own work")
    day = _recorded_day(item, on, "The step cannot be authorised")
    _event(item, actor, WorkItemEvent.Kind.AUTHORISED, comment=comment.strip())
    hooks.decided(item=item, actor=actor, decision="authorised", comment=comment.strip())
    return _close(item, actor, day)


@transaction.atomic
def work_item_return(*, actor: User | None, item: WorkItem, comment: str) -> WorkItem:
    """Send the step back to the worker with the manager's comments."""
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    _require_manager(actor, item)
    if item.status != WorkItem.Status.AWAITING_AUTHORISATION:
        raise ValidationError("This step is not waiting for authorisation")
    if not comment.strip():
        raise ValidationError({"comment": "Say what needs to change"})
    _event(item, actor, WorkItemEvent.Kind.RETURNED, comment=comment.strip())
    _set_status(item, actor, WorkItem.Status.IN_PROGRESS, comment.strip())
    hooks.decided(item=item, actor=actor, decision="returned", comment=comment.strip())
    if item.worker is not None:
        notify(
            recipients=[item.worker],
            subject=f"{item.item_type.name} was returned with comments",
            body=comment.strip(),
            link=reverse("work:my-work"),
        )
    return item


@transaction.atomic
def work_item_reassign(
    *, actor: User | None, item: WorkItem, worker: User, comment: str
) -> WorkItem:
    """A manager gives a step waiting for authorisation to another worker to finish."""
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    _require_manager(actor, item)
    if item.status != WorkItem.Status.AWAITING_AUTHORISATION:
        raise ValidationError("This step is not waiting for authorisation")
    _event(item, actor, WorkItemEvent.Kind.REASSIGNED, comment=comment.strip())
    _set_status(item, actor, WorkItem.Status.IN_PROGRESS, comment.strip())
    item = work_item_allocate(actor=actor, item=item, worker=worker, reason=comment)
    hooks.decided(item=item, actor=actor, decision="reassigned", comment=comment.strip())
    return item


@transaction.atomic
def work_item_cancel(*, actor: User | None, item: WorkItem, reason: str) -> WorkItem:
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    _require_responsible(actor, item)
    if not item.is_open:
        raise ValidationError("This work item is already closed")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for cancelling"})
    item.cancelled_reason = reason.strip()
    _set_status(item, actor, WorkItem.Status.CANCELLED, reason.strip())
    return item


@transaction.atomic
def work_item_move_due_date(
    *, actor: User | None, item: WorkItem, due_date: dt.date, reason: str
) -> WorkItem:
    """Move a due date by hand: only with a recorded reason, and by a manager."""
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    _require_manager(actor, item)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for moving the due date"})
    if not item.is_open:
        raise ValidationError("This work item is closed")
    old = item.due_date
    item.due_date = due_date
    item.due_date_fixed = True
    item.updated_by = actor
    item.save()
    _event(item, actor, WorkItemEvent.Kind.DUE_DATE, old, due_date, reason.strip())
    _audit_item(actor, item, Action.UPDATE, ["due_date"], reason.strip())
    return item


@transaction.atomic
def work_items_recalculate(
    *, item_type_ids: set[uuid.UUID] | None, actor: User | None, reason: str
) -> int:
    """Open items' due dates after a rule or the calendar changed. Dates moved by hand stay.
    Returns how many moved."""
    items = WorkItem.objects.filter(status__in=WorkItem.OPEN, due_date_fixed=False)
    if item_type_ids is not None:
        items = items.filter(item_type_id__in=item_type_ids)
    moved = 0
    for item in items.select_related("item_type").iterator(chunk_size=500):
        due, rule = _due(item)
        if due != item.due_date or (rule and rule.pk != item.rule_id):
            old = item.due_date
            item.due_date, item.rule = due, rule
            item.save(update_fields=["due_date", "rule", "updated_at"])
            if old != due:
                _event(item, actor, WorkItemEvent.Kind.DUE_DATE, old, due, reason)
                _audit_item(actor, item, Action.UPDATE, ["due_date"], reason)
                moved += 1
    return moved


def on_rules_changed(item_type_ids: set[uuid.UUID] | None, actor: User | None) -> None:
    """Registered with ``timescales`` (see apps.py): rules or the calendar changed."""
    work_items_recalculate(
        item_type_ids=item_type_ids, actor=actor, reason="The timescale or the calendar changed"
    )


# --- Escalation ---


@dataclass
class EscalationRun:
    sent: int = 0
    already: int = 0


def _escalate(
    rule: EscalationRule,
    *,
    person_id: uuid.UUID,
    team: Team,
    subject: str,
    work_item: WorkItem | None = None,
    involvement: Involvement | None = None,
) -> bool:
    """One escalation per thing and level: a second run finds it and sends nothing."""
    recipients = (
        _managers_of(team)
        if rule.level == EscalationRule.Level.TEAM_MANAGER
        else _managers_of(team.parent)
    )
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                rule=rule,
                person_id=person_id,
                work_item=work_item,
                involvement=involvement,
                team=team,
                notified=sorted(u.username for u in recipients),
            )
    except IntegrityError:
        return False
    notify(recipients=recipients, subject=subject, link=reverse("work:team-dashboard"))
    if work_item is not None:
        _event(work_item, None, WorkItemEvent.Kind.ESCALATED, new=rule.get_level_display())
    audit_record(
        actor=None,
        action=Action.CREATE,
        person_id=person_id,
        object_type="work.escalation",
        object_id=escalation.pk,
        changed_fields=["level"],
        reason=subject,
    )
    return True


@transaction.atomic
def escalations_run(*, today: dt.date | None = None) -> EscalationRun:
    """Alert managers about unallocated people and work, and overdue statutory steps, past
    the configured ages: the team manager first, then the service manager. Safe to re-run."""
    day = today or timezone.localdate()
    run = EscalationRun()
    for rule in EscalationRule.objects.all():
        cutoff_age = rule.after_working_days
        if rule.applies == EscalationRule.Applies.UNALLOCATED_PERSON:
            candidates = _unallocated_involvements(day).exclude(
                pk__in=Escalation.objects.filter(rule=rule).values("involvement_id")
            )
            for involvement in candidates:
                age = calendar.working_days_between(involvement.start_date, day)
                if age >= cutoff_age:
                    sent = _escalate(
                        rule,
                        person_id=involvement.person_id,
                        team=involvement.team,
                        involvement=involvement,
                        subject=f"A person has had no allocated worker in {involvement.team.name} "
                        f"for {age} working days",
                    )
                    run.sent += sent
                    run.already += not sent
        else:
            items = WorkItem.objects.filter(status__in=WorkItem.OPEN).exclude(
                pk__in=Escalation.objects.filter(rule=rule).values("work_item_id")
            )
            if rule.applies == EscalationRule.Applies.UNALLOCATED_ITEM:
                items = items.filter(worker__isnull=True)
            else:
                items = items.filter(item_type__statutory=True, due_date__lt=day)
            for item in items.select_related("team", "team__parent", "item_type"):
                if rule.applies == EscalationRule.Applies.UNALLOCATED_ITEM:
                    age = calendar.working_days_between(item.clock_start, day)
                    subject = (
                        f"{item.item_type.name} has had no worker in {item.team.name} "
                        f"for {age} working days"
                    )
                else:
                    assert item.due_date is not None
                    # overdue from the first day after the due date
                    age = max(calendar.working_days_between(item.due_date, day), 0)
                    subject = (
                        f"{item.item_type.name} in {item.team.name} is {age} working days overdue"
                    )
                if age >= cutoff_age:
                    sent = _escalate(
                        rule,
                        person_id=item.person_id,
                        team=item.team,
                        work_item=item,
                        subject=subject,
                    )
                    run.sent += sent
                    run.already += not sent
    return run


def _unallocated_involvements(day: dt.date) -> Any:
    """Open involvements whose team has no worker allocated to the person."""
    from django.db.models import Exists, OuterRef

    current_allocation = Allocation.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        start_date__lte=day,
        person_id=OuterRef("person_id"),
        team_id=OuterRef("team_id"),
    )
    return (
        Involvement.objects.filter(end_date__isnull=True, start_date__lte=day)
        .annotate(allocated=Exists(current_allocation))
        .filter(allocated=False)
        .select_related("team", "team__parent")
    )
