"""Writes of the DfE API feed: each batch's outcome, and what the DfE now holds per child."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.returns.building import require_returns_module
from kith.returns.models import DfeApiBatch, DfeApiChild


@dataclass(frozen=True)
class SentChild:
    person_id: uuid.UUID
    la_child_id: str
    payload_hash: str
    purge: bool


@transaction.atomic
def dfe_api_batch_record(
    *,
    actor: Any,
    children: Sequence[SentChild],
    body_hash: str,
    accepted: bool,
    attempts: int,
    http_status: int | None,
    receipt: str = "",
    error: str = "",
) -> DfeApiBatch:
    """Record a batch's outcome; when the DfE accepted it, what it now holds for each child
    in it (so a re-run sends none of them again unless they change), and one audit entry
    naming every child whose data left the council."""
    require_returns_module(actor)
    batch = DfeApiBatch.objects.create(
        status=DfeApiBatch.Status.ACCEPTED if accepted else DfeApiBatch.Status.FAILED,
        la_child_ids=[c.la_child_id for c in children],
        purges=sum(1 for c in children if c.purge),
        body_hash=body_hash,
        attempts=attempts,
        http_status=http_status,
        receipt=receipt[:200],
        error=error,
        created_by=actor,
        updated_by=actor,
    )
    if accepted:
        now = timezone.now()
        for child in children:
            DfeApiChild.objects.update_or_create(
                person_id=child.person_id,
                defaults={
                    "la_child_id": child.la_child_id,
                    "sent_hash": child.payload_hash,
                    "sent_at": now,
                    "purged": child.purge,
                    "batch": batch,
                    "updated_by": actor,
                },
                create_defaults={
                    "la_child_id": child.la_child_id,
                    "sent_hash": child.payload_hash,
                    "sent_at": now,
                    "purged": child.purge,
                    "batch": batch,
                    "created_by": actor,
                    "updated_by": actor,
                },
            )
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="return:dfe-api",
        object_id=batch.pk,
        reason=f"DfE CSC API batch {'accepted' if accepted else 'refused'}",
        result_ids=[str(c.person_id) for c in children],
    )
    return batch
