"""Reads for work, through the access policy."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from kith.access.policy import decide
from kith.accounts.models import User
from kith.people.models import Person
from kith.work.models import Allocation, Involvement


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


# --- Chronology (work's events) ---

import uuid  # noqa: E402 -- kept with the section that uses it

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
