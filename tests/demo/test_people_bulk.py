"""The bulk path makes exactly the rows the services make, with one audit entry a batch."""

import datetime as dt

import pytest
from django.db.models import F

from kith.audit.models import AuditEvent
from kith.audit.services import audit_verify
from kith.demo import seed, synthetic, work_seed
from kith.demo.children_seed import ChildrenSeedSummary
from kith.demo.people_bulk import LOAD_REASON, BulkWriter, ServicesWriter, organisations_create
from kith.demo.synthetic.families import FamilyContext, FamilySpec, adult_family, child_family
from kith.people.models import (
    Household,
    LaNumberSequence,
    Person,
    PersonSearchKey,
    Relationship,
)
from kith.people.services import search_keys_rebuild
from kith.work.models import Involvement, WorkItem

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 2)


def _families(seed: int = 5) -> tuple[FamilyContext, list[FamilySpec]]:
    """The same families (and identifiers) each time it is called with the same seed."""
    council = synthetic.synthetic_council("small", seed)
    context = FamilyContext.for_area(council.area, seed)
    rng = synthetic.rng_for(seed, "bulk-test")
    made = [
        child_family(rng, TODAY, context, twins=i == 0)
        if i % 3
        else adult_family(rng, TODAY, context)
        for i in range(20)
    ]
    return context, made


def _record(person: Person, index: dict) -> dict:
    """Everything recorded about a person, with people named by their place in the load."""
    return {
        "person": {
            field: getattr(person, field)
            for field in (
                "given_name",
                "middle_names",
                "family_name",
                "known_as",
                "date_of_birth",
                "expected_date_of_birth",
                "sex",
                "gender_identity",
                "ethnicity",
                "first_language",
                "interpreter_required",
                "religion",
                "disabilities",
                "communication_needs",
                "postcode",
            )
        },
        "names": sorted(person.other_names.values_list("kind", "given_name", "family_name")),
        "addresses": sorted(
            person.addresses.values_list(
                "line_1", "line_2", "town", "postcode", "uprn", "start_date", "end_date"
            )
        ),
        "identifiers": sorted(
            person.identifiers.values_list("kind", "value", "system", "ended_at")
        ),
        "contacts": sorted(person.contact_details.values_list("kind", "value")),
        "alerts": sorted(person.alerts.values_list("kind", "text", "review_date")),
        "professionals": sorted(
            person.professionals.values_list(
                "role", "organisation__code", "contact_name", "phone", "start_date"
            )
        ),
        "keys": set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True)),
        "relationships": sorted(
            (
                index[r.other_id],
                r.kind,
                r.parental_responsibility,
                r.main_carer,
                r.start_date,
                inverse.kind,
                index[inverse.person_id],
            )
            for r in person.relationships.select_related("inverse")
            if (inverse := r.inverse) is not None
        ),
        "households": sorted(
            person.households.values_list("household__name", "start_date", "end_date")
        ),
    }


def _records(persons: list[Person]) -> list[dict]:
    index = {person.pk: i for i, person in enumerate(persons)}
    return [_record(Person.objects.get(pk=person.pk), index) for person in persons]


def test_the_bulk_path_makes_the_rows_the_services_make():
    # Given the same families written through the services and in bulk (batches of 25)
    context, families = _families()
    organisations = organisations_create(context.local.organisations)
    through_services = ServicesWriter(organisations)
    serviced = [p for family in families for p in through_services.write(family)]
    events_before = AuditEvent.objects.count()
    batches: list[int] = []
    bulk = BulkWriter(organisations, batch_people=25, written=batches.append)
    _, again = _families()
    loaded = [p for family in again for p in bulk.add(family)]
    bulk.flush()
    # Then each person's record is the same: names, addresses, identifiers, relationships
    # with their inverse rows, households, professionals and search keys
    assert len(loaded) == len(serviced) > 40
    assert _records(loaded) == _records(serviced)
    assert bulk.relationships == through_services.relationships
    assert bulk.households == through_services.households
    # And each bulk person has the next LA number, from the sequence
    numbers = [p.la_number for p in loaded]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert numbers[0] > max(p.la_number for p in serviced)
    assert LaNumberSequence.objects.get(pk=1).last_issued == numbers[-1]
    # And each batch has one audit entry naming the people it made
    entries = list(AuditEvent.objects.filter(seq__gt=events_before).order_by("seq"))
    assert len(entries) == len(batches) >= 2
    assert all(e.reason == LOAD_REASON and e.object_type == "people.person" for e in entries)
    assert sum(len(e.result_ids) for e in entries) == len(loaded) == sum(batches)
    assert {str(p.pk) for p in loaded} == {pk for e in entries for pk in e.result_ids}
    assert audit_verify().ok


def test_bulk_search_keys_are_those_the_services_rebuild():
    context, families = _families(seed=9)
    bulk = BulkWriter(organisations_create(context.local.organisations))
    loaded = [p for family in families for p in bulk.add(family)]
    bulk.flush()
    for person in loaded:
        stored = set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))
        search_keys_rebuild(Person.objects.get(pk=person.pk))
        rebuilt = set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))
        assert stored == rebuilt, person


def test_a_council_seeded_in_bulk_keeps_caseloads_through_the_services(monkeypatch):
    # Given the small council seeded the county's way (small batches): the people on open
    # caseloads made by person_create and given to their teams through the services, the
    # rest of their records, their relatives and everyone else in bulk
    monkeypatch.setattr(seed, "BULK_SIZES", frozenset({"small"}))
    monkeypatch.setattr(seed, "BULK_BATCH_PEOPLE", 40)
    monkeypatch.setattr(work_seed, "BULK_SIZES", frozenset({"small"}))
    monkeypatch.setattr(work_seed, "BULK_BATCH_CASES", 20)
    # (the children's phase is through the services at every size: tests/demo/test_seed.py)
    monkeypatch.setattr(seed, "children_seed", lambda **kwargs: ChildrenSeedSummary())
    summary = seed.council_seed(size="small", seed=4, today=TODAY)
    # Then everyone is on the index, most of them made in bulk
    assert summary.people == Person.objects.count()
    assert summary.bulk_people + summary.open_cases + len(summary.near_duplicates) == summary.people
    assert summary.bulk_people > summary.open_cases
    # And each person on a caseload was made through the services, with its audit entry
    on_caseloads = Person.objects.filter(
        pk__in=Involvement.objects.filter(end_date__isnull=True).values("person")
    )
    assert on_caseloads.count() == summary.open_cases
    # And each person known before has a closed case with a team, written in bulk and named
    # by a batch's audit entry
    closed = Involvement.objects.filter(end_date__isnull=False)
    assert closed.count() == summary.closed_cases > 0
    assert not closed.filter(end_date__lt=F("start_date")).exists()
    assert not closed.filter(end_reason="").exists()
    named = {
        pk
        for ids in AuditEvent.objects.filter(object_type="work.involvement").values_list(
            "result_ids", flat=True
        )
        for pk in ids
    }
    assert {str(pk) for pk in closed.values_list("person_id", flat=True)} <= named
    for person in on_caseloads:
        assert AuditEvent.objects.filter(person_id=person.pk, object_type="people.person").exists()
    # And each batch's audit entry names the people it made, and those it completed
    made = AuditEvent.objects.filter(
        reason=LOAD_REASON, action="create", object_type="people.person"
    )
    completed = AuditEvent.objects.filter(reason=LOAD_REASON, action="update")
    made_ids = {pk for ids in made.values_list("result_ids", flat=True) for pk in ids}
    completed_ids = {pk for ids in completed.values_list("result_ids", flat=True) for pk in ids}
    assert len(made_ids) == summary.bulk_people
    assert completed_ids == {str(pk) for pk in on_caseloads.values_list("pk", flat=True)}
    # And their records are whole: addresses, search keys as the services compute them,
    # relationships with their inverse rows, households
    for person in on_caseloads[:30]:
        assert person.addresses.filter(end_date__isnull=True).get().postcode == person.postcode
        stored = set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))
        search_keys_rebuild(person)
        assert stored == set(
            PersonSearchKey.objects.filter(person=person).values_list("key", flat=True)
        )
    assert summary.relationships == Relationship.objects.count()
    for row in Relationship.objects.select_related("inverse"):
        assert row.inverse is not None
        assert row.inverse.inverse_id == row.pk
        assert row.inverse.person_id == row.other_id
    children = on_caseloads.filter(date_of_birth__gte=TODAY - dt.timedelta(days=18 * 365))
    assert Relationship.objects.filter(other__in=children, kind="parent").exists()
    assert summary.households == Household.objects.count()
    assert LaNumberSequence.objects.get(pk=1).last_issued == Person.objects.count() + 100_000
    # And the work on the open cases was written in bulk too, a batch of cases an entry
    work = AuditEvent.objects.filter(reason=LOAD_REASON, object_type="work.workitem")
    assert work.count() >= 3
    work_ids = {pk for ids in work.values_list("result_ids", flat=True) for pk in ids}
    assert len(work_ids) == WorkItem.objects.count() == summary.work_items > summary.open_cases
    assert summary.work_overdue > 0
    assert summary.work_unallocated > 0
    assert audit_verify().ok
