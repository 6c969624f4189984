"""The service navigation: which sections a signed-in user sees."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from kith.access.models import Module
from kith.access.policy import RECORD_MODULES, user_modules
from kith.accounts.selectors import user_is_administrator, user_is_manager


def navigation_items(request: HttpRequest) -> list[dict[str, Any]]:
    path = request.path
    user = request.user
    modules = user_modules(user)
    is_manager = user_is_manager(user=user)
    sections: list[tuple[str, str]] = [(reverse("home"), "Home")]
    if modules & RECORD_MODULES:
        sections.append((reverse("people:search"), "People"))
        # A worker's own work by due date: otherwise reachable only from a notification.
        sections.append((reverse("work:my-work"), "My work"))
    if is_manager:
        sections.append((reverse("work:team-dashboard"), "Team dashboard"))
    if is_manager or Module.AUDIT in modules:
        sections.append((reverse("access:break-glass-queue"), "Emergency access"))
    if Module.AUDIT in modules:
        sections.append((reverse("audit:search"), "Audit log"))
    if Module.RETURNS in modules:
        sections.append((reverse("returns:index"), "Returns"))
    if user_is_administrator(user=user):
        sections.append((reverse("accounts:admin-users"), "Administration"))
    return [
        {
            "href": href,
            "text": text,
            "active": path == href if href == "/" else path.startswith(href),
        }
        for href, text in sections
    ]
