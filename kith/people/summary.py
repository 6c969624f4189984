"""The person's page is assembled from panels that each app registers (work: who is working
with them; later: statuses, key dates, chronology). People never imports those apps."""

from dataclasses import dataclass
from typing import Any, Protocol

from kith.people.models import Person


class Panel(Protocol):
    title: str
    template: str
    order: int

    def context(self, *, user: Any, person: Person) -> dict[str, Any]:
        """What the panel's template needs. Called only once the user may see the person."""


@dataclass
class RenderedPanel:
    title: str
    template: str
    context: dict[str, Any]


_panels: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)
        _panels.sort(key=lambda p: p.order)


def panels_for(*, user: Any, person: Person) -> list[RenderedPanel]:
    return [
        RenderedPanel(p.title, p.template, p.context(user=user, person=person)) for p in _panels
    ]
