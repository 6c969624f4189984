"""Search keys on the real database: the pair tier, the broad tier as the fallback, and the
rebuild that brings stored keys up to the current key scheme."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kith.audit.models import Action, AuditEvent
from kith.people import matching, selectors, services
from kith.people.models import Person, PersonSearchKey
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    user = factories.user("social_worker", in_team=factories.team("Family Support"))
    user.is_verified = lambda: True
    return user


@pytest.fixture
def people():
    return [
        factories.person("Robert", "Smith", date_of_birth=dt.date(2014, 2, 3)),
        factories.person("Alice", "Smith", date_of_birth=dt.date(1975, 1, 1)),
        factories.person("Robert", "Jones", date_of_birth=dt.date(1990, 5, 5)),
    ]


def keys_of(person: Person) -> set[str]:
    return set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))


def broad_lookups(queries: list[dict[str, str]]) -> list[str]:
    """The SQL of key lookups that asked for names alone (f3: keys are only in that tier)."""
    return [q["sql"] for q in queries if "people_personsearchkey" in q["sql"] and "f3:" in q["sql"]]


def test_both_names_find_the_person_without_asking_for_names_alone(people, worker):
    with CaptureQueriesContext(connection) as queries:
        results = selectors.person_search(user=worker, terms="Bob Smiht")
    assert results.hits[0].person == people[0]
    assert broad_lookups(queries.captured_queries) == []


def test_names_alone_are_asked_for_when_the_pairs_find_nobody(people, worker):
    with CaptureQueriesContext(connection) as queries:
        results = selectors.person_search(user=worker, terms="Smith")
    assert {hit.person for hit in results.hits} == {people[0], people[1]}
    assert broad_lookups(queries.captured_queries)


def test_people_whose_keys_predate_the_pairs_are_still_found_then_rebuilt(people, worker):
    robert = people[0]
    PersonSearchKey.objects.filter(key__regex=r"^n[ns]:").delete()
    PersonSearchKey.objects.create(person=robert, key="old:scheme")
    assert selectors.person_search(user=worker, terms="Robert Smith").hits[0].person == robert

    done, added, removed = services.search_keys_rebuild_all(batch=2)
    assert done == 3
    assert removed == 1
    assert added == sum(
        len([k for k in keys_of(p) if k.startswith(("nn:", "ns:"))]) for p in people
    )
    for person in people:
        services.search_keys_rebuild(person)  # what the services make, for comparison
    rebuilt = {p.pk: keys_of(p) for p in people}
    assert all(any(k.startswith("nn:") for k in keys) for keys in rebuilt.values())
    assert "old:scheme" not in rebuilt[robert.pk]
    event = AuditEvent.objects.filter(object_type="people.personsearchkey").latest("seq")
    assert event.action == Action.UPDATE

    # Up to date: nothing changes, nothing is audited.
    entries = AuditEvent.objects.count()
    assert services.search_keys_rebuild_all() == (3, 0, 0)
    assert AuditEvent.objects.count() == entries


def test_the_rebuild_removes_a_merged_records_keys_and_the_command_reports(people, capsys):
    merged = people[2]
    Person.objects.filter(pk=merged.pk).update(merged_into=people[0])
    call_command("rebuild_search_keys", batch=10)
    out = capsys.readouterr().out
    assert "3 people" in out
    assert "removed" in out
    assert keys_of(merged) == set()
    expected = matching.person_search_keys(
        matching.Candidate.of_record(
            given_name="Alice",
            middle_names="",
            known_as="",
            family_name="Smith",
            other_names=[],
            date_of_birth=dt.date(1975, 1, 1),
            postcodes=[people[1].postcode],
        )
    )
    assert keys_of(people[1]) == expected


def test_people_outside_the_relationship_show_who_to_contact_in_a_few_queries(worker):
    other_team = factories.team("Disabled Children")
    manager = factories.user("team_manager", in_team=other_team)
    smiths = [
        factories.person(given, "Smith", date_of_birth=dt.date(2012, 1, n + 1))
        for n, given in enumerate(["Ann", "Ben", "Cal", "Dee", "Eve", "Fay"])
    ]
    for smith in smiths[:5]:
        factories.involve(smith, other_team)

    def search() -> tuple[selectors.SearchResults, int]:
        with CaptureQueriesContext(connection) as queries:
            results = selectors.person_search(user=worker, terms="Smith")
        return results, len(queries.captured_queries)

    results, queries_for_six = search()
    contacts = {hit.person.pk: hit.contacts for hit in results.hits}
    assert len(contacts) == 6
    for smith in smiths[:5]:
        [contact] = contacts[smith.pk]
        assert contact.team == "Disabled Children"
        assert contact.managers == [manager.display_name]
    assert contacts[smiths[5].pk] == []
    assert not any(hit.full_access for hit in results.hits)

    for smith in smiths[1:]:
        Person.objects.filter(pk=smith.pk).update(family_name="Jones")
        services.search_keys_rebuild(Person.objects.get(pk=smith.pk))
    results, queries_for_one = search()
    assert len(results.hits) == 1
    assert queries_for_six == queries_for_one  # not a query per person
