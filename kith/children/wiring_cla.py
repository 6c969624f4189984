"""Registers the cla part's chronology sources, summary panels, tabs and work hooks."""

from typing import Any
from uuid import UUID

from kith.access.policy import decide
from kith.people.chronology import ChronologyEvent, EventType
from kith.people.models import Person


class LookedAfterSource:
    """Looked-after events in the child's chronology."""

    def __init__(self) -> None:
        from kith.children.selectors_cla import EVENT_TYPES

        self.event_types: tuple[EventType, ...] = EVENT_TYPES

    def events(self, *, person_id: UUID) -> list[ChronologyEvent]:
        from kith.children.selectors_cla import person_cla_events

        return person_cla_events(person_id=person_id)


class LookedAfterPanel:
    """The child's current looked-after status on their summary: legal status, placement,
    next review and visit due, last IRO contact; or their care leaver status."""

    title = "Looked after"
    template = "children/cla/_panel_status.jinja"
    order = 15

    def context(self, *, user: Any, person: Person) -> dict[str, Any]:
        from kith.children.selectors_cla import person_cla_status

        if not decide(user, person.pk).allowed:
            return {"status": None}
        return {"status": person_cla_status(user=user, person=person)}


looked_after_panel = LookedAfterPanel()


def register() -> None:
    from kith.people import chronology, pages, summary

    chronology.register(LookedAfterSource())
    summary.register(looked_after_panel)
    pages.register_tab("looked-after", "Looked after", "children:looked-after", 36)
