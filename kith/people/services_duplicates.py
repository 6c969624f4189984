"""The duplicate scan: a background job that compares people who share a blocking key and
keeps the pairs that are probably the same person (ADR 0015).

A scan is started by data quality staff from the duplicate report (or the API) and run by the
task worker (``kith.people.tasks.duplicate_scan_task``), or run in the foreground by
``kith duplicate_scan`` (the nightly job). One runs at a time. It reads the whole client index,
restricted and sealed records included (the report filters them per viewer), reports its
progress as it goes, and publishes its pairs in one transaction that also removes the previous
scan's: the report never shows half a scan.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from kith.accounts.models import User
from kith.accounts.selectors import user_is_administrator
from kith.audit import context as audit_context
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.core.formatting import format_datetime
from kith.people import matching
from kith.people.models import (
    Address,
    DuplicateCandidate,
    DuplicateDismissal,
    DuplicateScan,
    Person,
    PersonName,
    PersonSearchKey,
)

Progress = Callable[[int, int], None]

# Blocking groups compared between two progress updates.
GROUPS_AT_ONCE = 2_000
# Rows fetched at a time when reading people, names and addresses.
STREAM_CHUNK = 5_000
# A scan that has not moved for this long has stopped (its worker died): a new one may start.
STALE_AFTER = dt.timedelta(minutes=15)
_PERSON_FIELDS = (
    "id",
    "la_number",
    "given_name",
    "middle_names",
    "family_name",
    "known_as",
    "date_of_birth",
    "expected_date_of_birth",
    "postcode",
)


class ScanAlreadyRunning(Exception):
    """A scan is running already: say who started it and when."""

    def __init__(self, scan: DuplicateScan | None) -> None:
        self.scan = scan
        if scan is None:
            message = "A duplicate scan is already running."
        else:
            who = scan.created_by.display_name if scan.created_by else "the nightly job"
            when = format_datetime(scan.created_at)
            message = f"A duplicate scan is already running: started by {who} on {when}."
        super().__init__(message)


class ScanStopped(Exception):
    """The scan was marked stopped (no progress for too long) while it was still running."""


def _require_data_quality(actor: User | None) -> None:
    if actor is not None and not user_is_administrator(user=actor):
        raise PermissionDenied("The duplicate report is for data quality staff.")


def scan_is_stale(scan: DuplicateScan, now: dt.datetime | None = None) -> bool:
    """A running scan that has shown no progress for ``STALE_AFTER``."""
    return scan.status == DuplicateScan.Status.RUNNING and (
        (now or timezone.now()) - scan.updated_at > STALE_AFTER
    )


def _end_stale_scans(actor: User | None) -> None:
    now = timezone.now()
    DuplicateScan.objects.filter(
        status=DuplicateScan.Status.RUNNING, updated_at__lt=now - STALE_AFTER
    ).update(
        status=DuplicateScan.Status.FAILED,
        finished_at=now,
        updated_at=now,
        updated_by=actor,
        error="Stopped without finishing: it showed no progress for "
        f"{int(STALE_AFTER.total_seconds() // 60)} minutes (was the task worker stopped?).",
    )


@transaction.atomic
def duplicate_scan_start(*, actor: User | None, run_in_background: bool = True) -> DuplicateScan:
    """Ask for a new scan. With ``run_in_background`` the task worker runs it once this
    transaction commits; otherwise the caller runs it (``duplicate_scan_run``). Refuses with
    ``ScanAlreadyRunning`` while another scan runs; a scan that stopped moving long ago is
    marked failed first."""
    _require_data_quality(actor)
    _end_stale_scans(actor)
    scan = DuplicateScan(
        minimum_score=matching.DUPLICATE_MIN_SCORE, created_by=actor, updated_by=actor
    )
    try:
        with transaction.atomic():
            scan.save()
    except IntegrityError:
        raise ScanAlreadyRunning(
            DuplicateScan.objects.select_related("created_by")
            .filter(status=DuplicateScan.Status.RUNNING)
            .first()
        ) from None
    if run_in_background:
        from kith.people.tasks import duplicate_scan_task

        scan_id = str(scan.pk)
        transaction.on_commit(lambda: duplicate_scan_task.enqueue(scan_id))
    return scan


@dataclass(frozen=True)
class _Found:
    first: uuid.UUID
    second: uuid.UUID
    match: matching.Match


def duplicate_scan_run(
    *,
    scan_id: uuid.UUID | str,
    progress: Progress | None = None,
    groups_at_once: int = GROUPS_AT_ONCE,
) -> DuplicateScan | None:
    """Run a scan that is waiting to start; nothing if it has started, finished or failed
    (a task run twice does the work once). Progress is written to the scan after each
    ``groups_at_once`` groups (and passed to ``progress``); the pairs appear only when it
    finishes. A failure marks the scan failed with the error and is raised again."""
    now = timezone.now()
    claimed = DuplicateScan.objects.filter(
        pk=scan_id, status=DuplicateScan.Status.RUNNING, started_at__isnull=True
    ).update(started_at=now, updated_at=now)
    if not claimed:
        return None
    scan = DuplicateScan.objects.select_related("created_by").get(pk=scan_id)
    try:
        found, compared = _compare(scan, progress or (lambda done, total: None), groups_at_once)
        _publish(scan, found, compared)
    except Exception as exc:
        DuplicateScan.objects.filter(pk=scan.pk, status=DuplicateScan.Status.RUNNING).update(
            status=DuplicateScan.Status.FAILED,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
            error=(str(exc) or type(exc).__name__)[:2000],
        )
        raise
    scan.refresh_from_db()
    return scan


def duplicate_scan_groups() -> dict[str, list[uuid.UUID]]:
    """Every blocking group the scan compares: people (two or more, but not so many that the
    key is a common name) sharing a name-and-date, name-and-year or name-and-area key."""
    members: dict[str, list[uuid.UUID]] = {}
    for prefix, largest in matching.DUPLICATE_GROUP_MAX.items():
        keys = PersonSearchKey.objects.filter(key__startswith=prefix)
        if connection.vendor == "sqlite":
            # SQLite compares text byte by byte, so this range is the same rows, read from the
            # key index alone instead of the whole of it (LIKE is case-blind there).
            keys = keys.filter(key__gte=prefix, key__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))
        groups = (
            keys.values("key")
            .annotate(n=Count("person_id"))
            .filter(n__gt=1, n__lte=largest)
            .values("key")
        )
        for key, person_id in keys.filter(key__in=groups).values_list("key", "person_id"):
            members.setdefault(key, []).append(person_id)
    return members


def duplicate_pairs_find(
    *,
    minimum: float = matching.DUPLICATE_MIN_SCORE,
    on_batch: Callable[[int, int, int, int], None] = lambda done, total, people, pairs: None,
    groups_at_once: int = GROUPS_AT_ONCE,
) -> tuple[list[_Found], tuple[int, int]]:
    """The scan's work, reading only: every pair of people (not merged, not dismissed) in a
    blocking group together, scored, those reaching ``minimum`` kept. A pair sharing several
    keys is scored once, in its first group by key order. ``on_batch(done, total, people,
    pairs compared)`` is called before the first batch of ``groups_at_once`` groups and after
    each. Returns the pairs and (people in groups, pairs compared)."""
    members = duplicate_scan_groups()
    keys_of: dict[uuid.UUID, set[str]] = {}
    for key, ids in members.items():
        for person_id in ids:
            keys_of.setdefault(person_id, set()).add(key)
    dismissed = {
        frozenset(pair) for pair in DuplicateDismissal.objects.values_list("first_id", "second_id")
    }
    ordered = sorted(members)
    total = len(ordered)
    on_batch(0, total, 0, 0)
    found: list[_Found] = []
    pairs_compared = 0
    people = _people(set(keys_of))
    for start in range(0, total, groups_at_once):
        for key in ordered[start : start + groups_at_once]:
            ids = members[key]
            for i, a in enumerate(ids):
                if a not in people:
                    continue  # merged into another record since its keys were made
                for b in ids[i + 1 :]:
                    if b not in people or (dismissed and frozenset((a, b)) in dismissed):
                        continue
                    if min(keys_of[a] & keys_of[b]) != key:
                        continue  # compared in an earlier group
                    pairs_compared += 1
                    if matching.duplicate_score_ceiling(people[a][1], people[b][1]) < minimum:
                        continue  # e.g. born on different days: it cannot reach the minimum
                    match = matching.duplicate_score(people[a][1], people[b][1])
                    if match.score >= minimum:
                        first, second = sorted((a, b), key=lambda pk: people[pk][0])
                        found.append(_Found(first, second, match))
        on_batch(min(start + groups_at_once, total), total, len(keys_of), pairs_compared)
    return found, (len(keys_of), pairs_compared)


def _compare(
    scan: DuplicateScan, progress: Progress, groups_at_once: int
) -> tuple[list[_Found], tuple[int, int]]:
    def on_batch(done: int, total: int, people: int, pairs: int) -> None:
        _progress(scan, done, total, people, pairs)
        progress(done, total)

    return duplicate_pairs_find(
        minimum=scan.minimum_score, on_batch=on_batch, groups_at_once=groups_at_once
    )


def _progress(scan: DuplicateScan, done: int, total: int, people: int, pairs: int) -> None:
    moved = DuplicateScan.objects.filter(pk=scan.pk, status=DuplicateScan.Status.RUNNING).update(
        groups_done=done,
        groups_total=total,
        people_compared=people,
        pairs_compared=pairs,
        updated_at=timezone.now(),
    )
    if not moved:
        raise ScanStopped("The scan was stopped while it was running.")


def _people(ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[int, matching.Candidate]]:
    """Each of these people (not merged) as matching sees them, with their LA number. Most
    people share a key with someone, so the three narrow tables are read whole, streamed,
    rather than asked for by id (which costs more in parameters than it saves in rows)."""
    other_names: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for person_id, given, family in (
        PersonName.objects.filter(ended_at__isnull=True)
        .values_list("person_id", "given_name", "family_name")
        .iterator(chunk_size=STREAM_CHUNK)
    ):
        if person_id in ids:
            other_names.setdefault(person_id, []).append((given, family))
    postcodes: dict[uuid.UUID, list[str]] = {}
    for person_id, postcode in (
        Address.objects.order_by("-start_date")
        .values_list("person_id", "postcode")
        .iterator(chunk_size=STREAM_CHUNK)
    ):
        if person_id in ids:
            postcodes.setdefault(person_id, []).append(postcode)
    found: dict[uuid.UUID, tuple[int, matching.Candidate]] = {}
    for row in (
        Person.objects.filter(merged_into__isnull=True)
        .order_by()
        .values_list(*_PERSON_FIELDS)
        .iterator(chunk_size=STREAM_CHUNK)
    ):
        pk, la_number, given, middle, family, known_as, born, expected, postcode = row
        if pk not in ids:
            continue
        found[pk] = (
            la_number,
            matching.Candidate.of_record(
                given_name=given,
                middle_names=middle,
                known_as=known_as,
                family_name=family,
                other_names=other_names.get(pk, []),
                date_of_birth=born or expected,
                postcodes=[postcode, *postcodes.get(pk, [])],
            ),
        )
    return found


@transaction.atomic
def _publish(scan: DuplicateScan, found: list[_Found], compared: tuple[int, int]) -> None:
    """The scan's pairs, written with the scan marked finished and the previous scans' pairs
    removed, in one transaction; one audit entry names everyone in them."""
    locked = DuplicateScan.objects.select_for_update().get(pk=scan.pk)
    if locked.status != DuplicateScan.Status.RUNNING:
        raise ScanStopped("The scan was stopped while it was running.")
    DuplicateCandidate.objects.exclude(scan=scan).delete()
    DuplicateCandidate.objects.bulk_create(
        [
            DuplicateCandidate(
                scan=scan,
                first_id=pair.first,
                second_id=pair.second,
                score=pair.match.score,
                reasons=list(pair.match.reasons),
            )
            for pair in found
        ],
        batch_size=1_000,
    )
    now = timezone.now()
    DuplicateScan.objects.filter(pk=scan.pk).update(
        status=DuplicateScan.Status.FINISHED,
        finished_at=now,
        updated_at=now,
        people_compared=compared[0],
        pairs_compared=compared[1],
        pairs_found=len(found),
        groups_done=locked.groups_total,
    )
    audit_record(
        actor=scan.created_by,
        action=Action.LIST,
        object_type="people.duplicatescan",
        object_id=scan.pk,
        reason="duplicate scan",
        rule="data_quality",
        result_ids=sorted({str(pk) for pair in found for pk in (pair.first, pair.second)}),
    )


def duplicate_scan_task_body(scan_id: str) -> str:
    """What the task does (``kith.people.tasks``): run the scan, audited as the task's."""
    with audit_context.using(audit_context.AuditContext(via="task")):
        scan = duplicate_scan_run(scan_id=scan_id)
    return scan.status if scan else "not waiting"
