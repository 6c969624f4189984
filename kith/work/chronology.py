"""Work's events in a person's chronology: teams and workers starting and stopping."""

from uuid import UUID

from kith.people.chronology import ChronologyEvent, EventType
from kith.work.selectors import ALLOCATION, INVOLVEMENT, person_work_events


class WorkSource:
    event_types: tuple[EventType, ...] = (INVOLVEMENT, ALLOCATION)

    def events(self, *, person_id: UUID) -> list[ChronologyEvent]:
        return person_work_events(person_id=person_id)


work_source = WorkSource()
