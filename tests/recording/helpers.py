"""A small team with two siblings and a manager, made through Kith's own services."""

import datetime as dt
from dataclasses import dataclass

from kith.accounts.models import Team, User
from kith.people import services as people
from kith.people.models import Person
from kith.recording.models import NoteType, VisitType
from tests import factories


@dataclass
class Family:
    team: Team
    worker: User
    manager: User
    outsider: User
    amy: Person
    ben: Person


def family() -> Family:
    team = factories.team("Family Support East")
    worker = factories.user("social_worker", in_team=team)
    manager = factories.user("team_manager", in_team=team)
    outsider = factories.user("social_worker", in_team=factories.team("Elsewhere"))
    amy = factories.person("Amy", "Hollis", date_of_birth=dt.date(2016, 4, 2))
    ben = factories.person("Ben", "Hollis", date_of_birth=dt.date(2019, 9, 12))
    for child in (amy, ben):
        factories.involve(child, team)
        factories.allocate(child, worker, team)
    people.relationship_add(actor=None, person=amy, other=ben, kind="sibling")
    return Family(team, worker, manager, outsider, amy, ben)


def note_type(code: str = "case-note") -> NoteType:
    return NoteType.objects.get(code=code)


def visit_type(code: str = "cin-visit") -> VisitType:
    return VisitType.objects.get(code=code)


def verified(user: User) -> User:
    user.is_verified = lambda: True  # type: ignore[method-assign]
    return user
