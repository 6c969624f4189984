"""Rendering a page about one person: the alerts banner and the person's tabs come with it."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kith.access.policy import Decision
from kith.people import selectors
from kith.people.models import Person

PERSON_TABS = (
    ("summary", "Summary", "people:person"),
    ("details", "Details", "people:details"),
    ("family", "Family and network", "people:family"),
    ("chronology", "Chronology", "people:chronology"),
)


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
        "person_tabs": PERSON_TABS,
        "person_tab": tab,
        "today": timezone.localdate(),
    }
    page.update(context or {})
    return render(request, template, page, status=status)
