"""A looked-after child, their team and worker, made through Kith's own services."""

import datetime as dt
from dataclasses import dataclass

from kith.accounts.models import Team, User
from kith.children import services_cla as services
from kith.people.models import Person
from tests import factories

START = dt.date(2026, 6, 1)  # a Monday, in the 2026/27 collection year


@dataclass
class Child:
    team: Team
    worker: User
    manager: User
    outsider: User
    child: Person


def verified(user: User) -> User:
    user.is_verified = lambda: True  # type: ignore[method-assign]
    return user


def child(born: dt.date = dt.date(2015, 6, 1)) -> Child:
    team = factories.team("Children in Care")
    worker = factories.user("social_worker", in_team=team)
    manager = factories.user("team_manager", in_team=team)
    outsider = factories.user("social_worker", in_team=factories.team("Elsewhere"))
    person = factories.person("Casey", "Moss", date_of_birth=born)
    factories.involve(person, team)
    factories.allocate(person, worker, team)
    return Child(team, worker, manager, outsider, person)


def foster(**overrides) -> services.PlacementDetails:
    values = {
        "place": "U4",
        "place_provider": "PR1",
        "provider_name": "Fostering service",
        "carer": "Mr and Mrs Lee",
        "urn": "SC123456",
        "pl_post": "AB1 2CD",
        "home_post": "AB3 4EF",
    }
    values.update(overrides)
    return services.PlacementDetails(**values)


def start(c: Child, on: dt.date = START, **kwargs):
    kwargs.setdefault("placement", foster())
    return services.care_start(
        actor=verified(c.worker),
        person=c.child,
        start_date=on,
        ls=kwargs.pop("ls", "C2"),
        cin=kwargs.pop("cin", "N1"),
        **kwargs,
    )
