"""The Jinja2 environment: Kith's templates plus the GOV.UK Frontend macros."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from kith.accounts.selectors import user_unread_notifications
from kith.config.navigation import navigation_items
from kith.core.formatting import format_date, format_datetime


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def unallocated_in_my_teams(request: Any) -> Any:
    """For a manager: unallocated people and work items in the teams they manage (None for
    anyone else). Shown at the top of every page; a dashboard that has just counted them
    leaves the figures on the request."""
    from kith.work.dashboards.selectors import unallocated_summary

    counted = getattr(request, "kith_unallocated", None)
    if counted is not None:
        return counted
    return unallocated_summary(user=request.user)


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [
            loader,
            PrefixLoader(
                {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
            ),
        ]
    )
    options.setdefault("autoescape", True)
    env = Environment(**options)  # noqa: S701 - autoescape is set above
    env.globals.update(
        {
            "url": url,
            "navigation_items": navigation_items,
            "unread_notifications": lambda user: user_unread_notifications(user=user),
            "unallocated_in_my_teams": unallocated_in_my_teams,
            "static": static,
            "get_messages": messages.get_messages,
            "council_name": settings.KITH_COUNCIL_NAME,
            "idle_timeout_seconds": lambda: settings.KITH_IDLE_TIMEOUT_SECONDS,
            "idle_warning_seconds": lambda: settings.KITH_IDLE_WARNING_SECONDS,
            "break_glass_minutes": lambda: settings.KITH_BREAK_GLASS_MINUTES,
        }
    )
    env.filters.update({"date": format_date, "datetime": format_datetime})
    return env
