"""What every return builder shares: who may build one, its progress callback and its result.

A statutory return must include every child it covers, restricted and sealed records included,
so builders read the council's records whole; only a user whose role grants the Returns module
may run one, and each build writes one audit entry naming every person in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied

from kith.access.models import Module
from kith.access.policy import may_use_module
from kith.audit.models import Action
from kith.audit.services import audit_record

Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """A builder's default progress callback: says nothing."""


@dataclass
class BuildResult:
    files: list[Path]
    children: int
    counts: dict[str, int] = field(default_factory=dict)


def require_returns_module(actor: Any) -> None:
    """Refuse a build to anyone whose role does not grant the Returns module."""
    if not may_use_module(actor, Module.RETURNS):
        raise PermissionDenied("Only staff whose role includes statutory returns may build them")


def audit_return_built(
    *, actor: Any, collection: str, period: str, person_ids: Iterable[object]
) -> None:
    """One entry for a build, naming every person whose records went into it."""
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type=f"return:{collection}",
        object_id=period,
        reason="statutory return",
        result_ids=person_ids,
    )
