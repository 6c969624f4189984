"""Reads for the seed's recording phase (``kith.demo.recording_seed``): the people, their
siblings on the same team's caseload, and their open visit steps. The seed runs as the system
on a demo database only, so nothing here is scoped by the access policy."""

from __future__ import annotations

import uuid

from kith.accounts.models import User
from kith.people.models import Person, Relationship
from kith.work.models import WorkItem


def seed_people(*, person_ids: set[uuid.UUID]) -> dict[uuid.UUID, Person]:
    return Person.objects.in_bulk(list(person_ids))


def seed_users_by_username(*, usernames: set[str]) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=usernames)}


def seed_siblings(*, person_id: uuid.UUID) -> list[uuid.UUID]:
    """The person's current siblings (full, half or step), in LA number order."""
    return list(
        Relationship.objects.filter(
            person_id=person_id,
            kind__in=("sibling", "half_sibling", "step_sibling"),
            end_date__isnull=True,
        )
        .order_by("other__la_number")
        .values_list("other_id", flat=True)
    )


def seed_open_visit_items(*, person_id: uuid.UUID, codes: set[str]) -> list[WorkItem]:
    """The person's open, allocated visit and review steps not yet sent to a manager, the
    one due first first."""
    return list(
        WorkItem.objects.filter(
            person_id=person_id,
            item_type__code__in=codes,
            status__in=(WorkItem.Status.NOT_STARTED, WorkItem.Status.IN_PROGRESS),
            worker__isnull=False,
        )
        .select_related("item_type", "worker", "team")
        .order_by("due_date", "clock_start", "item_type__code")
    )
