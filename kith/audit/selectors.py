"""Reading the audit log: for auditors, and for managers looking at who viewed a record.
Reading the log is itself written to the log."""

import datetime as dt
import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kith.audit.models import Action, AuditEvent
from kith.audit.services import audit_record

PAGE_SIZE = 50


def person_access_log(*, user: Any, person_id: uuid.UUID) -> QuerySet[AuditEvent]:
    """Everyone who has read or changed this person's record. The caller checks the user is
    an auditor or a manager with a relationship to the person."""
    audit_record(
        actor=user,
        action=Action.VIEW,
        person_id=person_id,
        object_type="audit.person_access_log",
        object_id=person_id,
    )
    return AuditEvent.objects.filter(person_id=person_id).select_related("actor").order_by("-seq")


def audit_search(
    *,
    user: Any,
    username: str = "",
    person_id: uuid.UUID | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: str = "",
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.order_by("-seq")
    if username:
        events = events.filter(actor_username__iexact=username.strip())
    if person_id:
        events = events.filter(person_id=person_id)
    if date_from:
        events = events.filter(
            occurred_at__gte=timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
        )
    if date_to:
        events = events.filter(
            occurred_at__lt=timezone.make_aware(
                dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min)
            )
        )
    if action:
        events = events.filter(action=action)
    terms = " ".join(
        f"{name}={value}"
        for name, value in (
            ("user", username),
            ("person", person_id or ""),
            ("from", date_from or ""),
            ("to", date_to or ""),
            ("action", action),
        )
        if value
    )
    audit_record(
        actor=user, action=Action.SEARCH, object_type="audit.auditevent", search_terms=terms
    )
    return events
