"""Builds started from the Returns page or the API: start one (a background task), and run it
(the task), keeping its progress, files, validator result or error on the ``ReturnRun``."""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.returns import validators
from kith.returns.building import require_returns_module
from kith.returns.models import ReturnRun
from kith.returns.registry import NONE, RANGE, YEAR, return_kind
from kith.returns.run_validation import read_sources, validation_result

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.3
FIRST_YEAR = 2012
LAST_YEAR = 2100


def _clean_parameters(period: str, parameters: dict[str, Any]) -> dict[str, Any]:
    if period == NONE:
        return {}
    if period == YEAR:
        try:
            year = int(parameters.get("year") or 0)
        except (TypeError, ValueError):
            year = 0
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(
                {"year": "Enter the collection year as the year it ends in March, like 2026"}
            )
        return {"year": year}
    assert period == RANGE
    days: dict[str, dt.date] = {}
    for name, what in (("date_from", "first"), ("date_to", "last")):
        value = parameters.get(name)
        try:
            days[name] = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError({name: f"Enter the {what} day of the range"}) from None
    if days["date_from"] > days["date_to"]:
        raise ValidationError({"date_to": "The last day must be the same as or after the first"})
    return {name: day.isoformat() for name, day in days.items()}


@transaction.atomic
def return_run_start(*, actor: Any, kind: str, parameters: dict[str, Any]) -> ReturnRun:
    """Record a build of ``kind`` for the period in ``parameters`` and queue it; it runs as a
    background task once this transaction commits."""
    require_returns_module(actor)
    try:
        spec = return_kind(kind)
    except ValueError as error:
        raise ValidationError({"kind": str(error)}) from None
    cleaned = _clean_parameters(spec.period, parameters)
    run = ReturnRun(
        kind=kind,
        parameters=cleaned,
        requested_by=actor,
        created_by=actor,
        updated_by=actor,
    )
    run.output_dir = str(Path(settings.KITH_RETURNS_DIR) / str(run.pk))
    run.save(force_insert=True)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="returns.returnrun",
        object_id=run.pk,
        reason=f"{spec.title} {cleaned}",
    )
    from kith.returns.tasks import build_return

    transaction.on_commit(lambda: build_return.enqueue(str(run.pk)))
    return run


def _files(paths: list[Path], folder: Path) -> list[str]:
    names: list[str] = []
    for path in paths:
        found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in found:
            if file.name.endswith(".kith-sources.json") or file.name == "kith-sources.json":
                continue
            names.append(str(file.resolve().relative_to(folder.resolve())))
    return names


def _validate(spec: Any, run: ReturnRun, folder: Path) -> dict[str, Any]:
    if not spec.validator or spec.validate_path is None:
        return {}
    path = spec.validate_path(run.parameters, folder)
    year = int(run.parameters["year"])
    try:
        if spec.validator == validators.SSDA903:
            report = validators.validate_ssda903(
                path, year=year, local_authority=settings.KITH_COUNCIL_ONS_CODE
            )
        else:
            report = validators.validate_cin(path, year=year)
    except (validators.ValidatorUnavailable, validators.ValidatorFailed) as error:
        return {"unavailable": str(error)}
    sources = read_sources(spec.sources_path(run.parameters, folder) if spec.sources_path else None)
    return validation_result(report, sources)


def return_run_execute(*, run_id: str | uuid.UUID) -> ReturnRun | None:
    """Run a queued build (the background task). A run already started or finished is left
    alone, so a task delivered twice builds once."""
    started = ReturnRun.objects.filter(pk=run_id, status=ReturnRun.Status.QUEUED).update(
        status=ReturnRun.Status.RUNNING, started_at=timezone.now()
    )
    if not started:
        return None
    run = ReturnRun.objects.select_related("requested_by").get(pk=run_id)
    spec = return_kind(run.kind)
    folder = Path(run.output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < PROGRESS_EVERY_SECONDS:
            return
        last[0] = now
        ReturnRun.objects.filter(pk=run.pk).update(done=done, total=total)

    try:
        builder = spec.load()
        result = builder(
            actor=run.requested_by, progress=progress, **spec.arguments(run.parameters, folder)
        )
        validation = _validate(spec, run, folder)
    except Exception as error:
        logger.exception("Return run %s (%s) failed", run.pk, run.kind)
        ReturnRun.objects.filter(pk=run.pk).update(
            status=ReturnRun.Status.FAILED,
            finished_at=timezone.now(),
            error=str(error) or error.__class__.__name__,
        )
        run.refresh_from_db()
        return run
    run.refresh_from_db(fields=["total"])
    total = run.total or 1
    ReturnRun.objects.filter(pk=run.pk).update(
        status=ReturnRun.Status.FINISHED,
        finished_at=timezone.now(),
        files=_files(list(result.files), folder),
        children=result.children,
        counts=result.counts,
        validation=validation,
        done=total,
        total=total,
    )
    run.refresh_from_db()
    return run
