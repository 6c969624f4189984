"""Managers' dashboards (being written)."""

from django.http import HttpRequest, HttpResponse


def team_dashboard(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def service_dashboard(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
