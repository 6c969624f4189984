"""Recording's events in a person's chronology: significant case notes and visits."""

from uuid import UUID

from kith.people.chronology import ChronologyEvent, EventType
from kith.recording.selectors import SIGNIFICANT_NOTE, VISIT, person_recording_events


class RecordingSource:
    event_types: tuple[EventType, ...] = (SIGNIFICANT_NOTE, VISIT)

    def events(self, *, person_id: UUID) -> list[ChronologyEvent]:
        return person_recording_events(person_id=person_id)


recording_source = RecordingSource()
