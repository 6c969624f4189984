"""The duplicate scan in the JSON API (a router added to ``kith.api.v1.api``), for data quality
staff: start a scan, follow it, and read the latest finished scan's pairs. Pairs go through the
access policy and the merged or dismissed ones are left out, as on the page."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from kith.api.schemas import ErrorOut
from kith.people import selectors_duplicates as selectors
from kith.people import services_duplicates as services
from kith.people.models import DuplicateScan, Person

router = Router(tags=["duplicates"])


class ScanOut(Schema):
    id: uuid.UUID
    status: str  # running, finished, failed
    waiting: bool  # asked for, not yet taken up by the task worker
    stale: bool  # running, but no progress for a long time: a new scan may be started
    started_by: str | None  # empty for the nightly job (`kith duplicate_scan`)
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    groups_done: int
    groups_total: int
    percent: int
    people_compared: int
    pairs_compared: int
    pairs_found: int
    minimum_score: float
    error: str


class PairPersonOut(Schema):
    id: uuid.UUID
    la_number: int
    name: str
    date_of_birth: dt.date | None
    postcode: str


class PairOut(Schema):
    score: float
    reasons: list[str]
    first: PairPersonOut
    second: PairPersonOut


class PairsOut(Schema):
    scan: ScanOut | None  # the latest finished scan, whose pairs these are
    running: ScanOut | None
    total: int
    page: int
    pages: int
    results: list[PairOut]


def _scan_out(scan: DuplicateScan) -> ScanOut:
    return ScanOut(
        id=scan.pk,
        status=scan.status,
        waiting=scan.status == DuplicateScan.Status.RUNNING and scan.started_at is None,
        stale=services.scan_is_stale(scan),
        started_by=scan.created_by.username if scan.created_by else None,
        created_at=scan.created_at,
        started_at=scan.started_at,
        finished_at=scan.finished_at,
        groups_done=scan.groups_done,
        groups_total=scan.groups_total,
        percent=scan.percent,
        people_compared=scan.people_compared,
        pairs_compared=scan.pairs_compared,
        pairs_found=scan.pairs_found,
        minimum_score=scan.minimum_score,
        error=scan.error,
    )


def _person_out(person: Person) -> PairPersonOut:
    return PairPersonOut(
        id=person.pk,
        la_number=person.la_number,
        name=person.full_name,
        date_of_birth=person.date_of_birth,
        postcode=person.postcode,
    )


@router.post(
    "/duplicates/scans",
    response={202: ScanOut, 403: ErrorOut, 409: ErrorOut},
    summary="Start a duplicate scan (run by the task worker); 409 while one is running",
)
def duplicate_scan_start(request: HttpRequest) -> Any:
    try:
        scan = services.duplicate_scan_start(actor=request.user)  # type: ignore[arg-type]
    except services.ScanAlreadyRunning as exc:
        return Status(409, ErrorOut(detail=str(exc)))
    return Status(202, _scan_out(scan))


@router.get(
    "/duplicates/scans/{scan_id}",
    response={200: ScanOut, 403: ErrorOut, 404: ErrorOut},
    summary="A duplicate scan's status and progress",
)
def duplicate_scan_read(request: HttpRequest, scan_id: uuid.UUID) -> Any:
    scan = selectors.duplicate_scan_get(user=request.user, scan_id=scan_id)
    if scan is None:
        return Status(404, ErrorOut(detail="No such scan"))
    return _scan_out(scan)


@router.get(
    "/duplicates/pairs",
    response={200: PairsOut, 403: ErrorOut},
    summary="Possible duplicates from the latest finished scan, most likely first (paged)",
)
def duplicate_pairs(request: HttpRequest, page: Query[int] = 1) -> Any:
    report = selectors.duplicate_report(user=request.user, page=max(page, 1))
    return PairsOut(
        scan=_scan_out(report.scan) if report.scan else None,
        running=_scan_out(report.running) if report.running else None,
        total=report.total,
        page=report.page,
        pages=report.pages,
        results=[
            PairOut(
                score=pair.match.score,
                reasons=list(pair.match.reasons),
                first=_person_out(pair.first),
                second=_person_out(pair.second),
            )
            for pair in report.pairs
        ],
    )
