"""The service navigation: which sections a signed-in user sees."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from kith.accounts.selectors import user_is_administrator


def navigation_items(request: HttpRequest) -> list[dict[str, Any]]:
    path = request.path
    items = [{"href": reverse("home"), "text": "Home", "active": path == "/"}]
    if user_is_administrator(user=request.user):
        admin_root = reverse("accounts:admin-users")
        items.append(
            {"href": admin_root, "text": "Administration", "active": path.startswith(admin_root)}
        )
    return items
