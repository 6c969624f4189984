"""Rendering a page about one person: the alerts banner and the person's tabs come with it."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kith.access.policy import Decision
from kith.people import selectors
from kith.people.models import Person

# (tab, label, route name, order). Other apps add theirs with ``register_tab``.
_tabs: list[tuple[str, str, str, int]] = [
    ("summary", "Summary", "people:person", 0),
    ("details", "Details", "people:details", 10),
    ("family", "Family and network", "people:family", 20),
    ("chronology", "Chronology", "people:chronology", 90),
]


def register_tab(tab: str, label: str, route: str, order: int) -> None:
    if all(t[0] != tab for t in _tabs):
        _tabs.append((tab, label, route, order))
        _tabs.sort(key=lambda t: t[3])


def person_tabs() -> list[tuple[str, str, str]]:
    return [(tab, label, route) for tab, label, route, _ in _tabs]


def render_person_page(
    request: HttpRequest,
    *,
    person: Person,
    decision: Decision | None,
    template: str,
    tab: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """``person`` must come from a selector that applied the policy and audited the read."""
    page: dict[str, Any] = {
        "page_title": person.full_name,
        "person": person,
        "decision": decision,
        "alerts": selectors.person_alerts_current(person=person),
        "person_tabs": person_tabs(),
        "person_tab": tab,
        "today": timezone.localdate(),
    }
    page.update(context or {})
    return render(request, template, page, status=status)
