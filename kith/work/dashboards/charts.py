"""The dashboards' charts, from their figures (drawn by ``kith.core.charts``)."""

import datetime as dt

from markupsafe import Markup

from kith.core.charts import Series, bar_chart, line_chart
from kith.work.dashboards.selectors import (
    BAND_LABELS,
    Caseload,
    ServiceDashboard,
    TeamDashboard,
    TeamFigures,
)


def _month(day: dt.date) -> str:
    return day.strftime("%B %Y")


def _month_labels(days: list[dt.date]) -> list[str]:
    """ "Nov" on the axis, with the year under the first month and each January."""
    return [
        day.strftime("%b\n%Y") if index == 0 or day.month == 1 else day.strftime("%b")
        for index, day in enumerate(days)
    ]


def age_bands(
    *, chart_id: str, people: dict[str, int], items: dict[str, int], where: str
) -> Markup:
    return bar_chart(
        chart_id=chart_id,
        title=f"Unallocated {where}, by working days waiting",
        categories=[f"{label} days" for label in BAND_LABELS],
        category_heading="Working days waiting",
        series=[
            Series("People", [people.get(label, 0) for label in BAND_LABELS]),
            Series("Work items", [items.get(label, 0) for label in BAND_LABELS]),
        ],
        description="Unallocated people and work items by how many working days they have waited",
    )


def overdue_by_type(*, chart_id: str, rows: list[tuple[str, int]], where: str) -> Markup | None:
    if not rows:
        return None
    return bar_chart(
        chart_id=chart_id,
        title=f"Overdue work items{' ' + where if where else ''} by type",
        categories=[name for name, _ in rows],
        category_heading="Type of work",
        series=[Series("Overdue work items", [n for _, n in rows])],
        horizontal=True,
    )


def caseloads(*, chart_id: str, rows: list[Caseload]) -> Markup | None:
    if not rows:
        return None
    return bar_chart(
        chart_id=chart_id,
        title="Caseload per worker",
        categories=[c.worker.display_name for c in rows],
        category_heading="Worker",
        series=[
            Series("People allocated", [c.people for c in rows]),
            Series("Open work items", [c.items for c in rows]),
            Series("Weighted work", [c.weighting for c in rows]),
        ],
        decimals=2,
        horizontal=True,
        description="People allocated to each worker, their open work items, and that work "
        "weighted by type",
    )


def team_charts(data: TeamDashboard) -> dict[str, Markup | None]:
    return {
        "bands": age_bands(
            chart_id="chart-age-bands",
            people=data.people_bands,
            items=data.item_bands,
            where="in " + data.team.name,
        ),
        "overdue": overdue_by_type(
            chart_id="chart-overdue-by-type",
            rows=data.overdue_by_type,
            where="in " + data.team.name,
        ),
        "caseloads": caseloads(chart_id="chart-caseloads", rows=data.caseloads),
    }


def _teams(rows: list[TeamFigures]) -> list[str]:
    return [f.team.name if f.team else "All teams" for f in rows]


def service_charts(data: ServiceDashboard) -> dict[str, Markup | None]:
    trends = data.trends
    months = [_month(end) for end in trends.month_ends]
    labels = _month_labels(trends.month_ends)
    teams = data.teams
    return {
        "by_team": bar_chart(
            chart_id="chart-unallocated-by-team",
            title="Unallocated people and work items by team",
            categories=_teams(teams),
            category_heading="Team",
            series=[
                Series("Unallocated people", [f.people for f in teams]),
                Series("Unallocated work items", [f.items for f in teams]),
                Series("Overdue work items", [f.overdue for f in teams]),
            ],
            horizontal=True,
        )
        if teams
        else None,
        "bands": age_bands(
            chart_id="chart-age-bands",
            people=data.total.people_bands,
            items=data.total.item_bands,
            where=f"in {data.unit.name}",
        ),
        "overdue": overdue_by_type(
            chart_id="chart-overdue-by-type",
            rows=data.overdue_by_type,
            where=f"in {data.unit.name}",
        ),
        "trend_waiting": line_chart(
            chart_id="chart-trend-waiting",
            title="Unallocated people and overdue work items at each month end",
            categories=months,
            labels=labels,
            category_heading="Month end",
            series=[
                Series("Unallocated people", trends.unallocated_people),
                Series("Overdue work items", trends.overdue_items),
            ],
        ),
        "trend_completed": bar_chart(
            chart_id="chart-trend-completed",
            title="Work items completed each month",
            categories=months,
            labels=labels,
            category_heading="Month",
            series=[Series("Completed", trends.completed)],
        ),
        "trend_on_time": line_chart(
            chart_id="chart-trend-on-time",
            title="Work items completed on time each month",
            categories=months,
            labels=labels,
            category_heading="Month",
            series=[Series("Completed by the due date", trends.on_time)],
            unit="%",
            decimals=1,
            maximum=100,
            description="The share of work items completed in each month (those with a due "
            "date) that were completed on or before it; no data for a month with none",
        ),
    }
