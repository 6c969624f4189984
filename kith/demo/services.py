"""Writes for the synthetic council's seed that the domain services do not offer: loading
many rows at once, as a data load does. Only ever for the synthetic council (no user), never
from a request."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import connection, transaction
from django.utils import timezone

from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.children.models import Assessment, CINEpisode, Contact
from kith.people.models import Person
from kith.work.models import Allocation, Involvement, WorkItem, WorkItemEvent

# A work item's event as the bulk path holds it: the item, kind, old and new values, comment
# and who (created_by and updated_by).
Event = tuple[uuid.UUID, str, str, str, str, uuid.UUID | None]
_EVENT_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "work_item",
    "kind",
    "old_value",
    "new_value",
    "comment",
)


def _insert_events(events: list[Event]) -> None:
    """Events are most of the rows: inserted as plain values, without model objects, each a
    microsecond after the one before (the history is read in ``created_at`` order)."""
    meta = WorkItemEvent._meta
    fields = {f.name: f for f in meta.concrete_fields}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(fields[name].column)) for name in _EVENT_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_EVENT_COLUMNS))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    # the keys here (the event's, the item's and the users') are all UUIDs
    uuid_field, when_field = fields["id"], fields["created_at"]
    users = items = uuid_field
    start = timezone.now()
    rows = []
    for n, (item_id, kind, old, new, comment, actor_id) in enumerate(events):
        when = when_field.get_db_prep_save(start + dt.timedelta(microseconds=n), connection)
        actor = users.get_db_prep_save(actor_id, connection) if actor_id else None
        rows.append(
            (
                uuid_field.get_db_prep_save(uuid.uuid4(), connection),
                when,
                when,
                actor,
                actor,
                items.get_db_prep_save(item_id, connection),
                kind,
                old,
                new,
                comment,
            )
        )
    with connection.cursor() as cursor:
        for first in range(0, len(rows), 5_000):
            cursor.executemany(sql, rows[first : first + 5_000])


@transaction.atomic
def work_items_load(*, items: list[WorkItem], events: list[Event], reason: str) -> None:
    """Work items (each after the one before it in its series) and their events, with one
    audit entry naming the items."""
    WorkItem.objects.bulk_create(items, batch_size=1_000)
    _insert_events(events)
    audit_record(
        actor=None,
        action=Action.CREATE,
        object_type="work.workitem",
        result_ids=[item.pk for item in items],
        reason=reason,
    )


@transaction.atomic
def closed_involvements_load(involvements: list[Involvement]) -> None:
    """The closed cases of people known before, at county size: one audit entry names them."""
    Involvement.objects.bulk_create(involvements)
    audit_record(
        actor=None,
        action=Action.CREATE,
        object_type="work.involvement",
        reason="synthetic council: closed cases",
        result_ids=[i.person_id for i in involvements],
    )


@transaction.atomic
def front_door_load(
    *,
    contacts: list[Contact],
    episodes: list[CINEpisode],
    assessments: list[Assessment],
    involvements: list[Involvement],
    allocations: list[Allocation],
    items: list[WorkItem],
    events: list[Event],
    disabilities_none: set[uuid.UUID],
    children: set[uuid.UUID],
    reason: str,
) -> None:
    """Closed front-door histories (``kith.demo.front_door_bulk``), each already checked by
    the entry rules, with one audit entry naming the children (and one naming those whose
    record now says they have no disability, as the assessment asks)."""
    work_items_load(items=items, events=events, reason=reason)
    Contact.objects.bulk_create(contacts, batch_size=1_000)
    CINEpisode.objects.bulk_create(episodes, batch_size=1_000)
    Assessment.objects.bulk_create(assessments, batch_size=1_000)
    Involvement.objects.bulk_create(involvements, batch_size=1_000)
    Allocation.objects.bulk_create(allocations, batch_size=1_000)
    now = timezone.now()
    ids = sorted(disabilities_none)
    for first in range(0, len(ids), 500):
        Person.objects.filter(pk__in=ids[first : first + 500]).update(
            disabilities=["NONE"], updated_at=now
        )
    audit_record(
        actor=None,
        action=Action.CREATE,
        object_type="children.frontdoor",
        result_ids=sorted(children),
        reason=reason,
    )
    if ids:
        audit_record(
            actor=None,
            action=Action.UPDATE,
            object_type="people.person",
            result_ids=ids,
            changed_fields=["disabilities"],
            reason=reason,
        )
