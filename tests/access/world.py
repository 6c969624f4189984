"""A small council in which every kind of access decision happens, for the policy tests."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from kith.access import services as access_services
from kith.accounts import services as account_services
from kith.accounts.models import Team, User
from kith.people.models import Person
from tests import factories


@dataclass
class World:
    north: Team
    south: Team
    worker: User  # in North, allocated to `own`
    colleague: User  # in North, not allocated
    outsider: User  # in South
    manager: User  # manages North
    service_manager: User  # manages the service above North and South
    group_member: User  # in South, member of the restricted/sealed group
    conflicted: User  # in North, knows `own`
    auditor: User
    admin: User
    own: Person  # allocated to worker, North involved
    team_person: Person  # North involved, nobody allocated
    other: Person  # South involved
    restricted: Person  # North involved, restricted
    sealed: Person  # North involved, sealed
    unknown: Person  # nobody involved


def build() -> World:
    with transaction.atomic():
        directorate = account_services.team_create(
            actor=None, name="Children's Services", kind="directorate", service_area="children"
        )
        service = account_services.team_create(
            actor=None,
            name="Safeguarding",
            kind="service",
            service_area="children",
            parent=directorate,
        )
        north = account_services.team_create(
            actor=None,
            name="Safeguarding North",
            kind="team",
            service_area="children",
            parent=service,
        )
        south = account_services.team_create(
            actor=None,
            name="Safeguarding South",
            kind="team",
            service_area="children",
            parent=service,
        )
        worker = factories.user("social_worker", in_team=north)
        colleague = factories.user("social_worker", in_team=north)
        outsider = factories.user("social_worker", in_team=south)
        manager = factories.user("team_manager", in_team=north)
        service_manager = factories.user("team_manager", in_team=service)
        group_member = factories.user("senior_practitioner", in_team=south)
        conflicted = factories.user("social_worker", in_team=north)
        auditor = factories.user("auditor", in_team=factories.team("Information Governance"))
        admin = factories.user("system_administrator", in_team=factories.team("Systems"))

        own = factories.person("Olivia", "Owncase")
        team_person = factories.person("Tariq", "Teamcase")
        other = factories.person("Oscar", "Othercase")
        restricted = factories.person("Rosa", "Restricted")
        sealed = factories.person("Sol", "Sealed")
        unknown = factories.person("Uma", "Unknown")
        for p in (own, team_person, restricted, sealed):
            factories.involve(p, north)
        factories.involve(other, south)
        factories.allocate(own, worker, north)
        group = access_services.restriction_group_create(
            actor=admin, name="High-profile cases", members=[group_member]
        )
        access_services.restriction_set(
            actor=admin,
            person_id=restricted.pk,
            level="restricted",
            group=group,
            reason="Well-known family",
        )
        access_services.restriction_set(
            actor=admin,
            person_id=sealed.pk,
            level="sealed",
            group=group,
            reason="Adoption",
        )
        access_services.conflict_declare(
            actor=conflicted, person_id=own.pk, relationship="Neighbour"
        )
    return World(
        north,
        south,
        worker,
        colleague,
        outsider,
        manager,
        service_manager,
        group_member,
        conflicted,
        auditor,
        admin,
        own,
        team_person,
        other,
        restricted,
        sealed,
        unknown,
    )


__all__ = ["World", "build", "dt"]
