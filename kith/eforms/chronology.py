"""Forms' events in a person's chronology: each completed or approved form (every revision),
on the day it was completed or approved."""

from uuid import UUID

from kith.eforms.selectors import FORM_EVENT, person_form_events
from kith.people.chronology import ChronologyEvent, EventType


class FormsSource:
    event_types: tuple[EventType, ...] = (FORM_EVENT,)

    def events(self, *, person_id: UUID) -> list[ChronologyEvent]:
        return person_form_events(person_id=person_id)


forms_source = FormsSource()
