"""Reads of the duplicate report for data quality staff: the latest finished scan's pairs,
through the access policy (restricted and sealed records outside the viewer's groups do not
exist here) and audited, and the scan that is running, if any."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from kith.access.policy import hidden_q
from kith.accounts.models import User
from kith.accounts.selectors import user_is_administrator
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.people import matching
from kith.people.models import DuplicateCandidate, DuplicateDismissal, DuplicateScan, Person
from kith.people.services_duplicates import scan_is_stale

PAIRS_PAGE_SIZE = 50


@dataclass
class DuplicatePair:
    first: Person
    second: Person
    match: matching.Match


@dataclass
class DuplicateReport:
    scan: DuplicateScan | None  # the latest finished scan, whose pairs these are
    running: DuplicateScan | None  # the scan running now
    failed: DuplicateScan | None  # the last scan, when it failed after ``scan``
    pairs: list[DuplicatePair]
    total: int
    page: int
    pages: int


def _require_data_quality(user: User | AnonymousUser) -> None:
    if not user_is_administrator(user=user):
        raise PermissionDenied("The duplicate report is for data quality staff.")


def _scans() -> QuerySet[DuplicateScan]:
    return DuplicateScan.objects.select_related("created_by")


def duplicate_scan_latest() -> DuplicateScan | None:
    return _scans().filter(status=DuplicateScan.Status.FINISHED).order_by("-finished_at").first()


def duplicate_scan_running(*, user: User | AnonymousUser) -> DuplicateScan | None:
    """The scan running now (or waiting for the task worker), for the progress bar."""
    _require_data_quality(user)
    return _scans().filter(status=DuplicateScan.Status.RUNNING).first()


def duplicate_scan_get(*, user: User | AnonymousUser, scan_id: object) -> DuplicateScan | None:
    _require_data_quality(user)
    try:
        pk = uuid.UUID(str(scan_id))
    except ValueError:
        return None
    return _scans().filter(pk=pk).first()


def _pairs(user: User | AnonymousUser, scan: DuplicateScan) -> QuerySet[DuplicateCandidate]:
    """The scan's pairs the user may see that still need a decision: both records still
    exist unmerged, and nobody has marked them different people since."""
    dismissed = DuplicateDismissal.objects.filter(
        Q(first=OuterRef("first"), second=OuterRef("second"))
        | Q(first=OuterRef("second"), second=OuterRef("first"))
    )
    return (
        DuplicateCandidate.objects.filter(
            scan=scan, first__merged_into__isnull=True, second__merged_into__isnull=True
        )
        .exclude(hidden_q(user, "first_id"))
        .exclude(hidden_q(user, "second_id"))
        .exclude(Exists(dismissed))
        .select_related("first", "second")
        .order_by("-score", "first__la_number", "second__la_number")
    )


def duplicate_report(
    *, user: User | AnonymousUser, page: int = 1, page_size: int = PAIRS_PAGE_SIZE
) -> DuplicateReport:
    """A page of the latest finished scan's pairs, most likely first, with the scan running
    now; the people listed are audited as seen."""
    _require_data_quality(user)
    scan = duplicate_scan_latest()
    running = duplicate_scan_running(user=user)
    last = _scans().exclude(status=DuplicateScan.Status.RUNNING).order_by("-created_at").first()
    failed = last if last and last.status == DuplicateScan.Status.FAILED else None
    if running is not None and scan_is_stale(running):
        failed, running = running, None
    pairs: list[DuplicatePair] = []
    total, pages = 0, 1
    if scan is not None:
        paginator = Paginator(_pairs(user, scan), page_size)
        current = paginator.get_page(page)
        page, total, pages = current.number, paginator.count, paginator.num_pages
        pairs = [
            DuplicatePair(row.first, row.second, matching.Match(row.score, tuple(row.reasons)))
            for row in current.object_list
        ]
    audit_record(
        actor=user,
        action=Action.LIST,
        object_type="people.duplicate_report",
        object_id=scan.pk if scan else "",
        result_ids=[pk for d in pairs for pk in (d.first.pk, d.second.pk)],
        rule="data_quality",
    )
    return DuplicateReport(scan, running, failed, pairs, total, page, pages)
