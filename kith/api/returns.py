"""Statutory returns in the JSON API (a router added to ``kith.api.v1.api``): start a build,
follow its progress, list its files. Only for staff whose role has the Returns module."""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from kith.access.models import Module
from kith.access.policy import may_use_module
from kith.api.schemas import ErrorOut
from kith.returns import selectors_runs, services_runs
from kith.returns.models import ReturnRun

router = Router(tags=["returns"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ReturnRunIn(Schema):
    kind: str
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class ReturnFileOut(Schema):
    name: str
    url: str


class ReturnRunOut(Schema):
    id: uuid.UUID
    kind: str
    parameters: dict[str, Any]
    status: str
    done: int
    total: int
    percent: int
    requested_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    children: int
    counts: dict[str, int]
    files: list[ReturnFileOut]
    validation: dict[str, Any]
    error: str


def _require(request: HttpRequest) -> None:
    if not may_use_module(request.user, Module.RETURNS):
        raise PermissionDenied("Only staff whose role includes statutory returns can build them")


def _files(run: ReturnRun) -> list[ReturnFileOut]:
    return [
        ReturnFileOut(name=name, url=reverse("returns:download", args=[run.pk, name]))
        for name in run.files
    ]


def _out(run: ReturnRun) -> ReturnRunOut:
    return ReturnRunOut(
        id=run.pk,
        kind=run.kind,
        parameters=run.parameters,
        status=run.status,
        done=run.done,
        total=run.total,
        percent=run.percent,
        requested_by=run.requested_by.get_username(),
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        children=run.children,
        counts=run.counts,
        files=_files(run),
        validation=run.validation,
        error=run.error,
    )


def _run(request: HttpRequest, run_id: uuid.UUID) -> ReturnRun | None:
    _require(request)
    try:
        return selectors_runs.return_run_get(user=request.user, run_id=run_id)
    except selectors_runs.RunNotFound:
        return None


@router.post(
    "/returns/runs",
    response={201: ReturnRunOut, **ERRORS},
    summary="Start building a return (ssda903, cin, annex-a or dfe-api-dry-run) in the background",
)
def return_run_start(request: HttpRequest, payload: ReturnRunIn) -> Any:
    _require(request)
    run = services_runs.return_run_start(
        actor=request.user,
        kind=payload.kind,
        parameters={
            "year": payload.year,
            "date_from": payload.date_from,
            "date_to": payload.date_to,
        },
    )
    return Status(201, _out(selectors_runs.return_run_get(user=request.user, run_id=run.pk)))


@router.get(
    "/returns/runs",
    response={200: list[ReturnRunOut], 403: ErrorOut},
    summary="The latest builds, newest first",
)
def return_runs_list(request: HttpRequest) -> Any:
    _require(request)
    return [_out(run) for run in selectors_runs.return_runs(user=request.user)]


@router.get(
    "/returns/runs/{run_id}",
    response={200: ReturnRunOut, **ERRORS},
    summary="A build's status and progress (done of total), its files and validator result",
)
def return_run_read(request: HttpRequest, run_id: uuid.UUID) -> Any:
    run = _run(request, run_id)
    if run is None:
        return Status(404, {"detail": "Not found"})
    return _out(run)


@router.get(
    "/returns/runs/{run_id}/files",
    response={200: list[ReturnFileOut], **ERRORS},
    summary="A finished build's files, each with the address to download it from",
)
def return_run_files(request: HttpRequest, run_id: uuid.UUID) -> Any:
    run = _run(request, run_id)
    if run is None:
        return Status(404, {"detail": "Not found"})
    return _files(run)
