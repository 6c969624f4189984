"""Registers the cin part's chronology sources, summary panels, tabs and work hooks."""

from typing import Any
from uuid import UUID

from kith.children.selectors_cin import EVENT_TYPES, person_cin_events
from kith.people.chronology import ChronologyEvent, EventType
from kith.people.models import Person


class CinChronologySource:
    event_types: tuple[EventType, ...] = EVENT_TYPES

    def events(self, *, person_id: UUID) -> list[ChronologyEvent]:
        return person_cin_events(person_id=person_id)


class CaseStatusPanel:
    """The child's status on their summary: CP plan and category, CIN plan, open assessment
    or episode; worker; next review, core group and visit due."""

    title = "Children's social care"
    template = "children/cin/_panel_status.jinja"
    order = 5

    def context(self, *, user: Any, person: Person) -> dict[str, Any]:
        from kith.access.policy import decide
        from kith.children.selectors_cin import case_status

        if not decide(user, person.pk).allowed:
            return {"status": None}
        status = case_status(user=user, person=person)
        return {"status": status if status.code != "none" else None}


chronology_source = CinChronologySource()
status_panel = CaseStatusPanel()


def register() -> None:
    from kith.children import rules_cin  # noqa: F401  (registers the CIN census rules)
    from kith.people import chronology, pages, summary

    chronology.register(chronology_source)
    summary.register(status_panel)
    pages.register_tab("children", "Children's", "children:cin", 30)
