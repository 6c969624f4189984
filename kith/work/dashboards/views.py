"""Managers' dashboards: a team manager's (one of the teams they manage at a time) and a
service manager's or director's (every team under the service or directorate, with trends).

Only managers of the team, or of a service or directorate above it, see a team's figures;
everyone else gets the 403 page."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from kith.accounts.models import Team, User
from kith.core.views import forbidden
from kith.work.dashboards import charts, selectors


def _chosen(options: list[Team], wanted: str | None) -> Team | None:
    """The team (or unit) asked for by its id, among those the user manages; the first if
    none was asked for; None if the one asked for is not theirs."""
    if not options:
        return None
    if not wanted:
        return options[0]
    return next((t for t in options if str(t.pk) == wanted.strip()), None)


@require_GET
def team_dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return forbidden(request)
    management = selectors.user_management(user=user)
    if not management.teams and management.units and not request.GET.get("team"):
        # A service with no teams under it yet: its own dashboard is the one to see.
        return HttpResponseRedirect(reverse("work:service-dashboard"))
    team = _chosen(management.teams, request.GET.get("team"))
    if team is None:
        return forbidden(request)
    data = selectors.team_dashboard(user=user, team=team)
    return render(
        request,
        "work/dashboards/team.jinja",
        {
            "page_title": f"Team dashboard – {team.name}",
            "data": data,
            "charts": charts.team_charts(data),
            "teams": management.teams,
            "units": management.units,
            "list_limit": selectors.LIST_LIMIT,
        },
    )


@require_GET
def service_dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return forbidden(request)
    management = selectors.user_management(user=user)
    unit = _chosen(management.units, request.GET.get("unit"))
    if unit is None:
        return forbidden(request)
    data = selectors.service_dashboard(user=user, unit=unit, teams=management.teams_under(unit))
    return render(
        request,
        "work/dashboards/service.jinja",
        {
            "page_title": f"{unit.get_kind_display()} dashboard – {unit.name}",
            "data": data,
            "charts": charts.service_charts(data),
            "units": management.units,
            "bands": selectors.BAND_LABELS,
        },
    )
