"""Merging two records moves everything linked to them; unmerging restores both exactly."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone

from kith.access import services as access_services
from kith.access.policy import decide
from kith.audit.models import Action, AuditEvent
from kith.people import selectors, services
from kith.people.models import MergeRecord, Person, PersonIdentifier, PersonSearchKey
from tests import factories

pytestmark = pytest.mark.django_db

SKIPPED = {
    "people.personsearchkey",
    "people.mergerecord",
    "people.duplicatedismissal",
    "people.duplicatecandidate",
}


def snapshot(*people: Person) -> dict[str, list[dict]]:
    """Every row linked to these people (and the people themselves), as plain values."""
    ids = {p.pk for p in people}
    found: dict[str, list[dict]] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIPPED or label.startswith("audit."):
            continue
        person_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is Person
        ]
        if model is Person:
            rows = model._default_manager.filter(pk__in=ids)
        elif person_fields:
            condition = models.Q()
            for name in person_fields:
                condition |= models.Q(**{f"{name}__in": ids})
            rows = model._default_manager.filter(condition)
        else:
            continue
        found[label] = sorted(
            (
                {k: v for k, v in model_to_dict(row).items() if k != "updated_at"}
                | {"pk": str(row.pk)}
                for row in rows
            ),
            key=lambda r: r["pk"],
        )
    return found


@pytest.fixture
def admin():
    user = factories.user("system_administrator")
    user.is_verified = lambda: True
    return user


@pytest.fixture
def pair():
    """Two records of one child made by two teams, with their own links, and a mother."""
    north, south = factories.team("North"), factories.team("South")
    worker = factories.user("social_worker", in_team=north)
    worker.is_verified = lambda: True
    first = factories.person("Robert", "Smith", date_of_birth=dt.date(2016, 3, 12))
    second = factories.person(
        "Bob",
        "Smyth",
        date_of_birth=dt.date(2016, 3, 12),
        ethnicity="WBRI",
        first_language="English",
    )
    mother = factories.person("Jane", "Smith", date_of_birth=dt.date(1990, 1, 2), sex="F")
    factories.involve(first, north)
    factories.allocate(first, worker, north)
    factories.involve(second, south)
    services.identifier_add(actor=None, person=first, kind="nhs_number", value="943 476 5919")
    services.identifier_add(
        actor=None, person=second, kind="legacy", value="CF-1234", system="CareFirst"
    )
    services.address_add(
        actor=None,
        person=first,
        line_1="1 Oak Road",
        postcode="LS6 1AA",
        start_date=dt.date(2020, 1, 1),
    )
    services.address_add(
        actor=None,
        person=second,
        line_1="9 Elm Street",
        postcode="LS7 2BB",
        start_date=dt.date(2019, 5, 1),
    )
    services.relationship_add(
        actor=None, person=mother, other=first, kind="parent", parental_responsibility=True
    )
    services.relationship_add(actor=None, person=mother, other=second, kind="parent")
    services.relationship_add(actor=None, person=first, other=second, kind="sibling")  # in error
    services.alert_add(
        actor=None,
        person=second,
        kind="risk_to_staff",
        text="Dog at the address",
        review_date=timezone.localdate() + dt.timedelta(days=90),
    )
    services.contact_add(actor=None, person=second, kind="mobile", value="07700 900982")
    access_services.conflict_declare(actor=worker, person_id=second.pk, relationship="Neighbour")
    return first, second, mother, worker


def test_merge_moves_everything_linked_and_unmerge_restores_both_exactly(pair, admin):
    first, second, mother, _ = pair
    before = snapshot(first, second, mother)
    keys_before = {
        p.pk: set(PersonSearchKey.objects.filter(person=p).values_list("key", flat=True))
        for p in (first, second)
    }

    record = services.person_merge(actor=admin, survivor=first, merged=second, reason="Same child")

    second.refresh_from_db()
    first.refresh_from_db()
    assert second.merged_into_id == first.pk
    # Blank details filled from the merged record, and remembered
    assert first.ethnicity == "WBRI"
    assert first.first_language == "English"
    assert set(record.changes["filled"]) >= {"ethnicity", "first_language"}
    # Everything linked moved: the legacy id, the address, the alert, the South involvement,
    # the mother's relationship, the conflict declaration
    assert PersonIdentifier.objects.filter(person=first, value="CF-1234").exists()
    assert first.addresses.count() == 2
    assert first.alerts.count() == 1
    moved_models = {entry["model"] for entry in record.changes["moved"]}
    assert {
        "people.address",
        "people.alert",
        "people.relationship",
        "work.involvement",
        "access.conflict",
        "people.contactdetail",
    } <= moved_models
    # The sibling rows that joined the two records stay with the merged one
    assert {entry["model"] for entry in record.changes["kept"]} == {"people.relationship"}
    # The merged record's name and LA number still find the survivor
    assert first.other_names.filter(given_name="Bob", family_name="Smyth").exists()
    hits = selectors._match_people(
        admin, selectors.matching.parse_query(str(second.la_number)), minimum=0
    )
    assert [p.pk for p, _ in hits] == [first.pk]
    # The merged record appears nowhere: search keys gone, person_get points to the survivor
    assert not PersonSearchKey.objects.filter(person=second).exists()
    with pytest.raises(selectors.PersonMerged) as merged:
        selectors.person_get(user=admin, person_id=second.pk)
    assert merged.value.survivor_id == first.pk
    assert AuditEvent.objects.filter(action=Action.MERGE, person_id=second.pk).count() == 1

    services.person_unmerge(actor=admin, record=record, reason="Twins, not one child")

    assert snapshot(first, second, mother) == before
    for p in (first, second):
        assert (
            set(PersonSearchKey.objects.filter(person=p).values_list("key", flat=True))
            == keys_before[p.pk]
        )
    record.refresh_from_db()
    assert record.unmerged_at is not None
    assert record.unmerged_by == admin
    with pytest.raises(ValidationError):
        services.person_unmerge(actor=admin, record=record, reason="again")


def test_the_conflict_moves_with_the_merge_so_the_worker_stays_out(pair, admin):
    first, second, _, worker = pair
    assert decide(worker, first.pk).allowed  # allocated
    services.person_merge(actor=admin, survivor=first, merged=second, reason="Same child")
    assert not decide(worker, first.pk).allowed
    assert decide(worker, first.pk).rule == "known_to_me"


def test_only_data_quality_staff_merge(pair):
    first, second, _, worker = pair
    worker.is_verified = lambda: True
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=worker, survivor=first, merged=second, reason="Same")
    assert not MergeRecord.objects.exists()


def test_merge_needs_a_reason_and_two_unmerged_records(pair, admin):
    first, second, mother, _ = pair
    with pytest.raises(ValidationError):
        services.person_merge(actor=admin, survivor=first, merged=second, reason=" ")
    with pytest.raises(ValidationError):
        services.person_merge(actor=admin, survivor=first, merged=first, reason="Same")
    services.person_merge(actor=admin, survivor=first, merged=second, reason="Same")
    with pytest.raises(ValidationError):
        services.person_merge(actor=admin, survivor=mother, merged=second, reason="Same")


def test_a_chain_of_merges_unmerges_newest_first(pair, admin):
    first, second, mother, _ = pair
    third = factories.person("Robbie", "Smith", date_of_birth=dt.date(2016, 3, 12))
    before = snapshot(first, second, third, mother)
    one = services.person_merge(actor=admin, survivor=first, merged=second, reason="Same")
    two = services.person_merge(actor=admin, survivor=third, merged=first, reason="Same again")
    with pytest.raises(ValidationError, match="undo that merge first"):
        services.person_unmerge(actor=admin, record=one, reason="wrong")
    services.person_unmerge(actor=admin, record=two, reason="wrong")
    services.person_unmerge(actor=admin, record=one, reason="wrong")
    assert snapshot(first, second, third, mother) == before
