"""Reads of the builds started from the Returns page: only for staff with the Returns module,
who share them (a return is the team's work, not one person's). Downloading a file is audited."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.db import transaction

from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.returns.building import require_returns_module
from kith.returns.models import ReturnRun


class RunNotFound(Exception):
    """No build with that id."""


class FileNotFound(Exception):
    """The build has no file of that name."""


def return_runs(*, user: Any, limit: int = 20) -> list[ReturnRun]:
    """The latest builds, newest first."""
    require_returns_module(user)
    return list(ReturnRun.objects.select_related("requested_by")[:limit])


def return_run_get(*, user: Any, run_id: uuid.UUID | str) -> ReturnRun:
    require_returns_module(user)
    try:
        return ReturnRun.objects.select_related("requested_by").get(pk=run_id)
    except (ReturnRun.DoesNotExist, ValueError):
        raise RunNotFound(str(run_id)) from None


@transaction.atomic
def return_run_file(*, user: Any, run: ReturnRun, name: str) -> Path:
    """The path of one of a finished build's files, for download; the download is audited."""
    require_returns_module(user)
    if name not in run.files:
        raise FileNotFound(name)
    folder = Path(run.output_dir).resolve()
    path = (folder / name).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise FileNotFound(name)
    audit_record(
        actor=user,
        action=Action.DOWNLOAD,
        object_type=f"return:{run.kind}",
        object_id=run.pk,
        reason=f"download {name}",
    )
    return path
