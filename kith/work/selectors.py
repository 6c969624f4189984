"""Reads for work, through the access policy."""

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils import timezone

from kith.access.policy import decide, hidden_q, scope_for
from kith.accounts.models import Membership, Team, User
from kith.accounts.selectors import user_current_memberships
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.people.models import Person
from kith.work.models import Allocation, Involvement, WorkItem, WorkItemEvent, WorkItemType


def _current(on: dt.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def person_current_work(
    *, user: User | AnonymousUser, person: Person, on: dt.date | None = None
) -> tuple[list[Involvement], list[Allocation]]:
    """The teams working with the person and the workers allocated, if the user may see them.
    The caller has already opened (and so audited) the person's record."""
    if not decide(user, person.pk).allowed:
        return [], []
    day = on or timezone.localdate()
    involvements = list(
        Involvement.objects.filter(_current(day), person=person).select_related("team")
    )
    allocations = list(
        Allocation.objects.filter(_current(day), person=person).select_related("team", "worker")
    )
    return involvements, allocations


# --- Work items ---


def _visible_items(user: User | AnonymousUser) -> Any:
    return WorkItem.objects.exclude(hidden_q(user, "person_id"))


def my_work(*, user: User, on: dt.date | None = None) -> dict[str, Any]:
    """The worker's caseload and their open work items by due date, overdue first."""
    day = on or timezone.localdate()
    items = list(
        _visible_items(user)
        .filter(worker=user, status__in=WorkItem.OPEN)
        .select_related("person", "item_type", "team")
        .order_by(F("due_date").asc(nulls_last=True), "clock_start")
    )
    caseload = list(
        Allocation.objects.filter(_current(day), worker=user)
        .exclude(hidden_q(user, "person_id"))
        .select_related("person", "team")
        .order_by("person__family_name", "person__given_name")
    )
    audit_record(
        actor=user,
        action=Action.LIST,
        object_type="work.my_work",
        result_ids=sorted({str(i.person_id) for i in items} | {str(a.person_id) for a in caseload}),
    )
    return {
        "items": items,
        "overdue": [i for i in items if i.due_date and i.due_date < day],
        "caseload": caseload,
        "today": day,
    }


def authorisation_queue(*, user: User) -> list[WorkItem]:
    """Steps waiting for a manager's sign-off in the teams the user manages."""
    scope = scope_for(user)
    managed = {m.team_id for m in user_current_memberships(user=user) if m.role.is_manager}
    if not managed:
        return []
    items = list(
        _visible_items(user)
        .filter(status=WorkItem.Status.AWAITING_AUTHORISATION, team_id__in=scope.team_ids)
        .select_related("person", "item_type", "team", "worker")
        .order_by("updated_at")
    )
    audit_record(
        actor=user,
        action=Action.LIST,
        object_type="work.authorisations",
        result_ids=sorted({str(i.person_id) for i in items}),
    )
    return items


def work_item_get(*, user: User | AnonymousUser, item_id: object) -> WorkItem | None:
    """A work item, if its person's record is open to the user (audited as a view)."""
    try:
        pk = uuid.UUID(str(item_id))
    except ValueError:
        return None
    item = (
        WorkItem.objects.filter(pk=pk)
        .select_related("person", "item_type", "team", "worker", "rule")
        .first()
    )
    if item is None:
        return None
    decision = decide(user, item.person_id)
    if not decision.visible:
        return None
    audit_record(
        actor=user,
        action=Action.VIEW if decision.allowed else Action.ACCESS_DENIED,
        person_id=item.person_id,
        object_type="work.workitem",
        object_id=item.pk,
        rule=decision.rule,
        reason=decision.break_glass_reason,
    )
    if not decision.allowed:
        raise PermissionDenied("You cannot open this person's record.")
    return item


def work_item_history(*, item: WorkItem) -> list[WorkItemEvent]:
    """Call only with an item from ``work_item_get``."""
    return list(item.events.select_related("created_by").order_by("created_at"))


def person_work_items(*, person: Person, include_closed: bool = True) -> list[WorkItem]:
    """Call only with a person from ``people.selectors.person_get``."""
    items = WorkItem.objects.filter(person=person).select_related("item_type", "team", "worker")
    if not include_closed:
        items = items.filter(status__in=WorkItem.OPEN)
    return list(items.order_by(F("completed_on").desc(nulls_first=True), "due_date"))


def person_involvements(*, person: Person, on: dt.date | None = None) -> list[Involvement]:
    """Open involvements with their current allocation. Call only after ``person_get``."""
    day = on or timezone.localdate()
    involvements = list(
        Involvement.objects.filter(_current(day), person=person).select_related("team")
    )
    current = {
        a.team_id: a
        for a in Allocation.objects.filter(_current(day), person=person).select_related("worker")
    }
    for involvement in involvements:
        involvement.current_allocation = current.get(involvement.team_id)  # type: ignore[attr-defined]
    return involvements


def involvement_get(*, person: Person, involvement_id: object) -> Involvement | None:
    try:
        pk = uuid.UUID(str(involvement_id))
    except ValueError:
        return None
    return Involvement.objects.filter(pk=pk, person=person).select_related("team", "person").first()


def team_workers(*, team: Team, on: dt.date | None = None) -> list[User]:
    """Current members of the team who can hold cases."""
    day = on or timezone.localdate()
    return sorted(
        {
            m.user
            for m in Membership.objects.filter(
                Q(end_date__isnull=True) | Q(end_date__gte=day),
                start_date__lte=day,
                team=team,
                user__is_active=True,
            ).select_related("user")
        },
        key=lambda u: u.display_name,
    )


def work_item_types(*, service_areas: set[str] | None = None) -> list[WorkItemType]:
    types = WorkItemType.objects.filter(active=True)
    if service_areas is not None:
        types = types.filter(service_area__in=service_areas)
    return list(types.order_by("service_area", "name"))


def leaver_caseload(*, user: User, worker: User, team: Team) -> list[Allocation]:
    """The worker's current allocations in the team, for a manager reallocating them."""
    allocations = list(
        Allocation.objects.filter(worker=worker, team=team, end_date__isnull=True)
        .exclude(hidden_q(user, "person_id"))
        .select_related("person")
        .order_by("person__family_name")
    )
    audit_record(
        actor=user,
        action=Action.LIST,
        object_type="work.caseload",
        result_ids=[str(a.person_id) for a in allocations],
    )
    return allocations


# --- Chronology (work's events) ---


from kith.people.chronology import ChronologyEvent, EventType  # noqa: E402

WORK = "Work"
INVOLVEMENT = EventType("work.involvement", "Teams working with them", WORK)
ALLOCATION = EventType("work.allocation", "Allocated workers", WORK)


def person_work_events(*, person_id: uuid.UUID) -> list[ChronologyEvent]:
    """Teams starting and stopping work with the person, and workers allocated and their
    allocations ending. No policy here: call through ``people.selectors.person_chronology``."""
    events: list[ChronologyEvent] = []

    def add(day: dt.date, kind: EventType, title: str, detail: str, by: User | None) -> None:
        recorded_by = by.display_name if by is not None else ""
        events.append(ChronologyEvent(day, kind.code, title, detail, recorded_by, kind.module))

    involvements = Involvement.objects.filter(person_id=person_id).select_related(
        "team", "created_by", "updated_by"
    )
    for involvement in involvements:
        team = involvement.team.name
        add(
            involvement.start_date,
            INVOLVEMENT,
            f"{team} started working with them",
            "",
            involvement.created_by,
        )
        if involvement.end_date:
            add(
                involvement.end_date,
                INVOLVEMENT,
                f"{team} stopped working with them",
                involvement.end_reason,
                involvement.updated_by,
            )
    allocations = Allocation.objects.filter(person_id=person_id).select_related(
        "team", "worker", "created_by", "updated_by"
    )
    for allocation in allocations:
        worker = allocation.worker.display_name
        team = allocation.team.name
        add(allocation.start_date, ALLOCATION, f"{worker} allocated", team, allocation.created_by)
        if allocation.end_date:
            reason = f"{team}. Reason: {allocation.end_reason}" if allocation.end_reason else team
            add(
                allocation.end_date,
                ALLOCATION,
                f"Allocation of {worker} ended",
                reason,
                allocation.updated_by,
            )
    return events
