"""A person's chronology: the significant events of their life, from every module.

Each module registers a ``Source`` (its event types, and how to list a person's events), so
people never imports the modules built on it. Sources read only through their own app's
selectors. ``gather`` applies no access policy: call it only through
``people.selectors.person_chronology``, which opens (and audits) the record first and drops
events that name people hidden from the user.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True)
class EventType:
    code: str  # "<app>.<what>", unique across modules, e.g. "work.allocation"
    label: str  # for the filter, e.g. "Allocated workers"
    module: str  # who records it, e.g. "Work"


@dataclass(frozen=True)
class ChronologyEvent:
    date: dt.date
    type_code: str
    title: str
    detail: str = ""
    recorded_by: str = ""
    module: str = ""
    # Other people the event names (a relative, say): it is shown only to users from whom
    # none of them is hidden.
    names_people: tuple[UUID, ...] = ()


class Source(Protocol):
    event_types: tuple[EventType, ...]

    def events(self, *, person_id: UUID) -> list[ChronologyEvent]:
        """The person's events, every type, in any order."""


_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def sources() -> list[Source]:
    return list(_sources)


def event_types() -> list[EventType]:
    """Every registered event type, by module then label."""
    found: dict[str, EventType] = {}
    for source in _sources:
        for event_type in source.event_types:
            found.setdefault(event_type.code, event_type)
    return sorted(found.values(), key=lambda t: (t.module, t.label, t.code))


def event_types_by_module() -> list[tuple[str, list[EventType]]]:
    """The event types grouped by module, for the filter's checkboxes."""
    grouped: dict[str, list[EventType]] = {}
    for event_type in event_types():
        grouped.setdefault(event_type.module, []).append(event_type)
    return list(grouped.items())


def gather(
    *,
    person_id: UUID,
    types: set[str] | frozenset[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[ChronologyEvent]:
    """The person's events from every source, newest first: only the ``types`` given (all if
    None), from ``date_from`` to ``date_to`` inclusive."""
    found: list[ChronologyEvent] = []
    for source in _sources:
        codes = {t.code: t for t in source.event_types}
        if types is not None and not (types & codes.keys()):
            continue
        for event in source.events(person_id=person_id):
            if types is not None and event.type_code not in types:
                continue
            if date_from is not None and event.date < date_from:
                continue
            if date_to is not None and event.date > date_to:
                continue
            if not event.module and event.type_code in codes:
                event = dataclasses.replace(event, module=codes[event.type_code].module)
            found.append(event)
    # Newest first; on the same day, in a stable order (by module, type, then title).
    found.sort(key=lambda e: (e.module, e.type_code, e.title))
    found.sort(key=lambda e: e.date, reverse=True)
    return found


# --- People's own events (its rows: birth, addresses, alerts, relationships…) ---

PEOPLE = "People"
BIRTH = EventType("people.birth", "Birth", PEOPLE)
DEATH = EventType("people.death", "Death", PEOPLE)
FIRST_RECORDED = EventType("people.recorded", "First recorded in Kith", PEOPLE)
ADDRESS = EventType("people.address", "Address changes", PEOPLE)
ALERT = EventType("people.alert", "Alerts", PEOPLE)
RELATIONSHIP = EventType("people.relationship", "Relationships", PEOPLE)
HOUSEHOLD = EventType("people.household", "Households", PEOPLE)
MERGE = EventType("people.merge", "Records merged", PEOPLE)


class PeopleSource:
    event_types: tuple[EventType, ...] = (
        BIRTH,
        DEATH,
        FIRST_RECORDED,
        ADDRESS,
        ALERT,
        RELATIONSHIP,
        HOUSEHOLD,
        MERGE,
    )

    def events(self, *, person_id: UUID) -> list[ChronologyEvent]:
        from kith.people.selectors import person_own_events

        return person_own_events(person_id=person_id)


people_source = PeopleSource()
