"""Writes for the managers' dashboards: keeping the month-end figures the trend charts read."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from kith.accounts.models import Team
from kith.work.dashboards.selectors import month_end_figures, month_ends
from kith.work.models import TeamMonthFigures

# Teams worked out together: the two queries cover them all at once.
TEAMS_AT_ONCE = 25


def month_end_figures_keep(
    *,
    today: dt.date | None = None,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Work out and keep every team's figures for the twelve month ends before ``today`` that
    are not kept yet (all of them again with ``rebuild``). Safe to run as often as you like:
    a figure is kept once. One transaction for each group of teams. Returns how many figures
    were written."""
    ends = month_ends(today or timezone.localdate())
    team_ids = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    if not rebuild:
        complete = {
            team_id for team_id, n in _kept_counts(team_ids, ends).items() if n == len(ends)
        }
        team_ids = [t for t in team_ids if t not in complete]
    written = 0
    for start in range(0, len(team_ids), TEAMS_AT_ONCE):
        chunk = team_ids[start : start + TEAMS_AT_ONCE]
        rows = month_end_figures(team_ids=chunk, ends=ends)
        with transaction.atomic():
            kept = TeamMonthFigures.objects.filter(team_id__in=chunk, month_end__in=ends)
            if rebuild:
                kept.delete()
            else:
                have = set(kept.values_list("team_id", "month_end"))
                rows = [r for r in rows if (r.team_id, r.month_end) not in have]
            TeamMonthFigures.objects.bulk_create(rows)
        written += len(rows)
        if progress:
            progress(min(start + TEAMS_AT_ONCE, len(team_ids)), len(team_ids))
    return written


def _kept_counts(team_ids: list[uuid.UUID], ends: list[dt.date]) -> dict[uuid.UUID, int]:
    return dict(
        TeamMonthFigures.objects.filter(team_id__in=team_ids, month_end__in=ends)
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
