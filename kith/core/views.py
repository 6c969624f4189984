"""The health check, static information pages and error pages."""

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

import kith

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = "ok"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database did not answer")
        database = "unavailable"
    healthy = database == "ok"
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "app": {"status": "ok", "version": kith.__version__},
            "database": {"status": database, "vendor": connection.vendor},
        },
        status=200 if healthy else 503,
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja", {"page_title": "Accessibility statement"})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.jinja", {"page_title": "Privacy"})


def _error(request: HttpRequest, status: int, title: str, template: str) -> HttpResponse:
    return render(request, template, {"page_title": title}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "There is a problem with your request", "core/errors/400.jinja")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "You cannot see this page", "core/errors/403.jinja")


def forbidden(request: HttpRequest) -> HttpResponse:
    """The 403 page, returned rather than raised, so that the request's transaction (and the
    audit entry of the refusal) commits."""
    return permission_denied(request)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "Page not found", "core/errors/404.jinja")


def server_error(request: HttpRequest) -> HttpResponse:
    # Render without the request: the failure may have come from anything it would touch.
    body = loader.get_template("core/errors/500.jinja").render(
        {"page_title": "Sorry, there is a problem with the service", "request": None}
    )
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, 403, "Your form could not be sent", "core/errors/csrf.jinja")
