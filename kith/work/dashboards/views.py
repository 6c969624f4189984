"""Managers' dashboards: a team manager's (one of the teams they manage at a time) and a
service manager's or director's (every team under the service or directorate, with trends).

Only managers of the team, or of a service or directorate above it, see a team's figures;
everyone else gets the 403 page."""

import uuid

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from kith.accounts.models import Team, User
from kith.core.views import forbidden
from kith.work.dashboards import charts, selectors


def _url_patterns(**names: tuple[str, int]) -> dict[str, str]:
    """Each named route's URL with "{0}", "{1}"… for its ids, to fill in with
    ``str.format`` in a loop (``reverse`` for every row of a long list is slow)."""
    patterns = {}
    for key, (route, ids) in names.items():
        placeholders = [uuid.UUID(int=n + 1) for n in range(ids)]
        url = reverse(route, args=placeholders)
        for n, placeholder in enumerate(placeholders):
            url = url.replace(str(placeholder), f"{{{n}}}")
        patterns[key] = url
    return patterns


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
    if management.teams == [team]:
        # the banner at the top of the page counts the same team: no need to count again
        request.kith_unallocated = selectors.UnallocatedSummary(  # type: ignore[attr-defined]
            people=data.people_total, items=data.items_total, teams=1
        )
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
            "urls": _url_patterns(
                person=("people:person", 1),
                allocate=("work:person-allocate", 2),
                item=("work:item", 1),
                reallocate=("work:reallocate", 2),
            ),
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
    teams = management.teams_under(unit)
    data = selectors.service_dashboard(user=user, unit=unit, teams=teams)
    if teams and {t.pk for t in teams} == {t.pk for t in management.teams}:
        request.kith_unallocated = selectors.UnallocatedSummary(  # type: ignore[attr-defined]
            people=data.total.people, items=data.total.items, teams=len(teams)
        )
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
