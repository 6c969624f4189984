"""The home page: the signed-in user's teams and roles (later issues add their dashboards)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kith.accounts.selectors import user_current_memberships


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.jinja",
        {
            "page_title": "Home",
            "memberships": user_current_memberships(user=request.user),  # type: ignore[arg-type]
        },
    )
