"""Writing to the audit log, and verifying its hash chain.

``audit_record`` must be called inside the transaction of the action it records: if the action
rolls back, so does its entry, and an entry is never written for an action that did not happen.
"""

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from kith.audit import context
from kith.audit.models import Action, AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "rule",
    "reason",
    "search_terms",
    "result_ids",
    "changed_fields",
    "via",
    "method",
    "path",
    "ip_address",
    "prev_hash",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def entry_hash(event: AuditEvent) -> str:
    payload = {name: _canonical(getattr(event, name)) for name in HASHED_FIELDS}
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def audit_record(
    *,
    actor: Any,
    action: Action | str,
    person_id: uuid.UUID | str | None = None,
    object_type: str = "",
    object_id: object = "",
    rule: str = "",
    reason: str = "",
    search_terms: str = "",
    result_ids: Iterable[object] = (),
    changed_fields: Iterable[str] = (),
) -> AuditEvent:
    """Append one entry. Holds the chain head's lock until the surrounding transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the action it records")
    where = context.current()
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        seq=head.last_seq + 1,
        occurred_at=timezone.now(),
        actor_id=actor.pk if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        action=str(action),
        object_type=object_type,
        object_id=str(object_id) if object_id else "",
        person_id=uuid.UUID(str(person_id)) if person_id else None,
        rule=rule,
        reason=reason,
        search_terms=search_terms,
        result_ids=[str(i) for i in result_ids],
        changed_fields=sorted(changed_fields),
        via=where.via,
        method=where.method,
        path=where.path,
        ip_address=where.ip_address,
        prev_hash=head.last_hash,
    )
    event.hash = entry_hash(event)
    event.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""


def audit_verify(*, progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Recompute the chain from the start; name the first entry that does not fit."""
    expected_seq = 1
    previous = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=5000):
        if event.seq != expected_seq:
            return VerifyResult(
                False,
                checked,
                expected_seq,
                None,
                f"entry #{expected_seq} is missing: the log jumps from #{expected_seq - 1} "
                f"to #{event.seq}",
            )
        if event.prev_hash != previous:
            return VerifyResult(
                False,
                checked,
                event.seq,
                event.pk,
                f"entry #{event.seq} (id {event.pk}) does not follow entry #{event.seq - 1}",
            )
        if entry_hash(event) != event.hash:
            return VerifyResult(
                False,
                checked,
                event.seq,
                event.pk,
                f"entry #{event.seq} (id {event.pk}) has been changed since it was written",
            )
        previous = event.hash
        expected_seq += 1
        checked += 1
        if progress is not None and checked % 10_000 == 0:
            progress(checked)
    head = AuditChainHead.objects.get(pk=1)
    if head.last_seq != checked or head.last_hash != previous:
        return VerifyResult(
            False,
            checked,
            checked + 1,
            None,
            f"the log ends at #{checked} but entries up to #{head.last_seq} were written",
        )
    return VerifyResult(True, checked)
