"""Property: a restricted or sealed person never appears anywhere for a user outside its group."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from kith.access import services as access_services
from kith.access.policy import decide
from kith.accounts import services as account_services
from kith.people import selectors as people
from tests import factories

ROLES = ["social_worker", "senior_practitioner", "team_manager", "business_support", "auditor"]

world_spec = st.fixed_dictionaries(
    {
        "users": st.lists(
            st.tuples(st.sampled_from(ROLES), st.integers(0, 2)), min_size=2, max_size=5
        ),
        "people": st.lists(
            st.fixed_dictionaries(
                {
                    "teams": st.sets(st.integers(0, 2), max_size=2),
                    "allocated_to": st.one_of(st.none(), st.integers(0, 4)),
                    "restriction": st.sampled_from([None, "restricted", "sealed"]),
                }
            ),
            min_size=1,
            max_size=5,
        ),
        "group_members": st.sets(st.integers(0, 4), max_size=2),
        "break_glass_attempts": st.sets(st.integers(0, 4), max_size=2),
    }
)


def verified(user):
    user.is_verified = lambda: True
    return user


class HiddenRecordsTests(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(spec=world_spec)
    def test_hidden_people_never_appear_outside_their_group(self, spec):
        directorate = account_services.team_create(
            actor=None, name="D", kind="directorate", service_area="children"
        )
        service = account_services.team_create(
            actor=None, name="S", kind="service", service_area="children", parent=directorate
        )
        teams = [
            account_services.team_create(
                actor=None, name=f"T{i}", kind="team", service_area="children", parent=service
            )
            for i in range(3)
        ]
        users = [verified(factories.user(role, in_team=teams[t])) for role, t in spec["users"]]
        admin = factories.user("system_administrator", in_team=teams[0])
        members = [users[i] for i in spec["group_members"] if i < len(users)]
        group = access_services.restriction_group_create(actor=admin, name="G", members=members)
        hidden = []
        for n, p in enumerate(spec["people"]):
            person = factories.person("Pat", f"Propertycase{n}")
            for t in p["teams"]:
                factories.involve(person, teams[t])
            worker_index = p["allocated_to"]
            if worker_index is not None and worker_index < len(users):
                worker = users[worker_index]
                team_of_worker = teams[spec["users"][worker_index][1]]
                factories.allocate(person, worker, team_of_worker)
            if p["restriction"]:
                access_services.restriction_set(
                    actor=admin,
                    person_id=person.pk,
                    level=p["restriction"],
                    group=group,
                    reason="Property test",
                )
                hidden.append(person)
        for index, user in enumerate(users):
            if user in members:
                continue
            if index in spec["break_glass_attempts"]:
                for person in hidden:
                    with pytest.raises(ValidationError):
                        access_services.break_glass_start(
                            actor=user, person_id=person.pk, reason="Emergency out of hours now"
                        )
            for person in hidden:
                assert not decide(user, person.pk).visible
                with pytest.raises(people.PersonNotFound):
                    people.person_get(user=user, person_id=person.pk)
            hidden_ids = {p.pk for p in hidden}
            try:
                found = people.person_search(user=user, terms="Propertycase")
            except PermissionDenied:  # roles without records may not search at all
                found = None
            if found is not None:
                assert not hidden_ids & {hit.person.pk for hit in found.hits}
            listed = people.person_list_accessible(user=user, limit=500)
            assert not hidden_ids & {p.pk for p in listed}
