"""A safeguarding team with a worker, a manager and a child, made through Kith's services."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from kith.accounts.models import Team, User
from kith.children import services_cin as cin
from kith.children.models import CINEpisode
from kith.core import calendar
from kith.people.models import Person
from tests import factories


@dataclass
class Case:
    team: Team
    worker: User
    manager: User
    outsider: User
    child: Person


def verified(user: User) -> User:
    user.is_verified = lambda: True  # type: ignore[method-assign]
    return user


def case(**person: object) -> Case:
    team = factories.team("Safeguarding East")
    worker = verified(factories.user("social_worker", in_team=team))
    manager = verified(factories.user("team_manager", in_team=team))
    outsider = verified(factories.user("social_worker", in_team=factories.team("Elsewhere")))
    person.setdefault("date_of_birth", dt.date(2016, 4, 2))
    child = factories.person("Mia", "Carter", **person)
    factories.involve(child, team)
    factories.allocate(child, worker, team)
    return Case(team, worker, manager, outsider, child)


def working_days_ago(n: int) -> dt.date:
    """The working day ``n`` working days before today."""
    day = timezone.localdate()
    while n > 0 or not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def referral(c: Case, on: dt.date | None = None, **kwargs: object) -> CINEpisode:
    kwargs.setdefault("referral_source", "1A")
    kwargs.setdefault("primary_need", "N1")
    return cin.referral_record(
        actor=c.worker,
        person=c.child,
        team=c.team,
        referral_date=on or working_days_ago(60),
        **kwargs,  # type: ignore[arg-type]
    )
