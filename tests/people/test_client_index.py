"""The client index's services and selectors against the real database."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kith.access import services as access_services
from kith.audit.models import Action, AuditEvent
from kith.people import selectors, services
from kith.people.models import Address, PersonIdentifier, PersonName, Relationship
from tests import factories

pytestmark = pytest.mark.django_db

FUTURE = timezone.localdate() + dt.timedelta(days=90)


@pytest.fixture
def team():
    return factories.team("Family Support")


@pytest.fixture
def worker(team):
    user = factories.user("social_worker", in_team=team)
    user.is_verified = lambda: True
    return user


def on_caseload(team, *people):
    for p in people:
        factories.involve(p, team)
    return people


def test_relationships_keep_their_inverse_in_step(team, worker):
    mother, child = on_caseload(
        team,
        factories.person("Jane", "Hill", sex="F", date_of_birth=dt.date(1988, 4, 1)),
        factories.person("Amy", "Hill", sex="F"),
    )
    row = services.relationship_add(
        actor=worker,
        person=mother,
        other=child,
        kind="parent",
        parental_responsibility=True,
        main_carer=True,
        start_date=dt.date(2015, 6, 1),
    )
    inverse = Relationship.objects.get(person=child, other=mother)
    assert inverse.kind == "child"
    assert row.inverse == inverse
    assert inverse.inverse == row

    family = selectors.person_family(user=worker, person=child)
    [related] = family.current
    assert related.other == mother
    assert related.label == "Mother"
    assert related.they_hold_parental_responsibility
    assert related.they_are_main_carer
    [seen_by_mother] = selectors.person_family(user=worker, person=mother).current
    assert seen_by_mother.label == "Daughter"

    services.relationship_end(actor=worker, relationship=inverse, end_date=dt.date(2024, 1, 1))
    row.refresh_from_db()
    assert row.end_date == inverse.end_date == dt.date(2024, 1, 1)
    assert selectors.person_family(user=worker, person=mother).past


def test_relationship_rules(team, worker):
    a, b = on_caseload(team, factories.person("A", "One"), factories.person("B", "Two"))
    with pytest.raises(ValidationError):
        services.relationship_add(actor=worker, person=a, other=a, kind="sibling")
    with pytest.raises(ValidationError, match="Parental responsibility"):
        services.relationship_add(
            actor=worker, person=a, other=b, kind="sibling", parental_responsibility=True
        )
    services.relationship_add(actor=worker, person=a, other=b, kind="sibling")
    with pytest.raises(ValidationError, match="already recorded"):
        services.relationship_add(actor=worker, person=a, other=b, kind="sibling")


def test_relatives_hidden_from_the_user_do_not_appear_in_the_family(team, worker):
    child, father = on_caseload(
        team, factories.person("Sam", "Ray"), factories.person("Tom", "Ray", sex="M")
    )
    services.relationship_add(actor=None, person=father, other=child, kind="parent")
    group = access_services.restriction_group_create(actor=None, name="High profile", members=[])
    access_services.restriction_set(
        actor=None, person_id=father.pk, level="restricted", group=group, reason="Public figure"
    )
    assert selectors.person_family(user=worker, person=child).current == []


def test_a_new_address_ends_the_last_and_moves_the_postcode(team, worker):
    (person,) = on_caseload(team, factories.person("Lee", "Park"))
    services.address_add(
        actor=worker,
        person=person,
        line_1="1 High St",
        postcode="ls61aa",
        start_date=dt.date(2020, 1, 1),
    )
    services.address_add(
        actor=worker,
        person=person,
        line_1="2 Low St",
        postcode="M1 1AE",
        start_date=dt.date(2023, 5, 10),
    )
    old, new = Address.objects.filter(person=person).order_by("start_date")
    assert old.postcode == "LS6 1AA"
    assert old.end_date == dt.date(2023, 5, 9)
    assert new.end_date is None
    person.refresh_from_db()
    assert person.postcode == "M1 1AE"
    with pytest.raises(ValidationError) as bad:
        services.address_add(
            actor=worker,
            person=person,
            line_1="3 St",
            postcode="NOT A CODE",
            start_date=dt.date(2024, 1, 1),
        )
    assert "postcode" in bad.value.message_dict
    assert Address.objects.filter(person=person).count() == 2


def test_identifiers_are_validated_and_never_on_two_records(team, worker):
    first, second = on_caseload(
        team, factories.person("Ann", "Lee"), factories.person("Bea", "Lee")
    )
    services.identifier_add(actor=worker, person=first, kind="nhs_number", value="943 476 5919")
    with pytest.raises(ValidationError) as clash:
        services.identifier_add(actor=worker, person=second, kind="nhs_number", value="9434765919")
    assert f"LA number {first.la_number}" in clash.value.messages[0]
    with pytest.raises(ValidationError):
        services.identifier_add(
            actor=worker, person=second, kind="nhs_number", value="943 476 5918"
        )
    with pytest.raises(ValidationError):
        services.identifier_add(actor=worker, person=second, kind="legacy", value="X1")  # no system


def test_a_new_upn_makes_the_old_one_former(team, worker):
    from kith.people.identifiers import upn_check_letter

    (child,) = on_caseload(team, factories.person("Kit", "Moss"))
    old_body, new_body = "201300011001", "201300012002"
    services.identifier_add(
        actor=worker, person=child, kind="upn", value=upn_check_letter(old_body) + old_body
    )
    services.identifier_add(
        actor=worker, person=child, kind="upn", value=upn_check_letter(new_body) + new_body
    )
    current = PersonIdentifier.objects.filter(person=child, ended_at__isnull=True)
    assert sorted(current.values_list("kind", flat=True)) == ["former_upn", "upn"]


def test_alert_review_history(team, worker):
    (person,) = on_caseload(team, factories.person("Max", "Green"))
    alert = services.alert_add(
        actor=worker, person=person, kind="risk_to_staff", text="Aggressive dog", review_date=FUTURE
    )
    assert selectors.person_alerts_current(person=person) == [alert]
    services.alert_review(
        actor=worker,
        alert=alert,
        outcome="changed",
        text="Two aggressive dogs",
        next_review_date=FUTURE + dt.timedelta(days=30),
    )
    with pytest.raises(ValidationError):
        services.alert_review(actor=worker, alert=alert, outcome="ended")  # no reason
    services.alert_review(actor=worker, alert=alert, outcome="ended", note="Dogs rehomed")
    alert.refresh_from_db()
    assert alert.ended_at is not None
    assert alert.end_reason == "Dogs rehomed"
    assert selectors.person_alerts_current(person=person) == []
    reviews = selectors.person_details(person=person).reviews[alert.pk]
    assert [r.outcome for r in reviews] == ["ended", "changed"]
    with pytest.raises(ValidationError):
        services.alert_add(
            actor=worker, person=person, kind="other", text="x", review_date=timezone.localdate()
        )


def test_renaming_keeps_the_previous_name_and_writes_are_audited(team, worker):
    (person,) = on_caseload(team, factories.person("Zoe", "Black"))
    changed = services.person_update(
        actor=worker, person=person, family_name="White", religion="None"
    )
    assert set(changed) == {"family_name", "religion"}
    assert PersonName.objects.filter(person=person, kind="previous", family_name="Black").exists()
    event = AuditEvent.objects.filter(action=Action.UPDATE, person_id=person.pk).latest("seq")
    assert event.changed_fields == ["family_name", "religion"]
    with pytest.raises(ValidationError):
        services.person_update(actor=worker, person=person, ethnicity="NOPE")


def test_a_worker_without_a_relationship_cannot_change_the_record(worker):
    stranger = factories.person("Ivy", "Stone")
    with pytest.raises(PermissionDenied):
        services.person_update(actor=worker, person=stranger, known_as="Ives")
    with pytest.raises(PermissionDenied):
        services.alert_add(
            actor=worker, person=stranger, kind="other", text="x", review_date=FUTURE
        )


# --- Search ---


@pytest.fixture
def index(team):
    people = {
        "robert": factories.person(
            "Robert", "Smith", date_of_birth=dt.date(2014, 2, 3), postcode="LS6 2AB"
        ),
        "katherine": factories.person(
            "Katherine", "Smith-Jones", date_of_birth=dt.date(2010, 7, 9)
        ),
        "mohammed": factories.person("Mohammed", "Khan", date_of_birth=dt.date(2001, 11, 30)),
        "other_smith": factories.person(
            "Alice", "Smith", date_of_birth=dt.date(1975, 1, 1), postcode="M1 1AE"
        ),
    }
    services.identifier_add(
        actor=None, person=people["mohammed"], kind="nhs_number", value="943 476 5919"
    )
    return people


@pytest.mark.parametrize(
    ("terms", "expected", "reason_word"),
    [
        ("Robert Smith", "robert", "Family name"),
        ("Bob Smith", "robert", "short form"),
        ("Smith Robert", "robert", "other way round"),
        ("Robrt Smiht 2014", "robert", "Year of birth"),
        ("Smith 03/02/2014", "robert", "Date of birth"),
        ("Robert Smith LS6", "robert", "LS6"),
        ("Kate Jones", "katherine", "Jones"),
        ("Catherine Smith Jones", "katherine", "Family name"),
        ("Muhammad Khan", "mohammed", "Given name"),
        ("9434765919", "mohammed", "NHS number"),
    ],
)
def test_search_tolerates_how_people_type_names(index, worker, terms, expected, reason_word):
    results = selectors.person_search(user=worker, terms=terms)
    assert results.hits, f"nothing found for {terms!r}"
    top = results.hits[0]
    assert top.person == index[expected]
    assert any(reason_word.lower() in r.lower() for r in top.reasons), top.reasons


def test_search_ranks_a_full_match_first_and_audits_the_results(index, worker):
    results = selectors.person_search(user=worker, terms="Smith 2014")
    assert results.hits[0].person == index["robert"]
    event = AuditEvent.objects.filter(action=Action.SEARCH).latest("seq")
    assert event.search_terms == "Smith 2014"
    assert event.result_ids == [str(h.person.pk) for h in results.hits]


def test_search_by_la_number_and_hidden_records(index, worker):
    person = index["robert"]
    assert (
        selectors.person_search(user=worker, terms=str(person.la_number)).hits[0].person == person
    )
    group = access_services.restriction_group_create(actor=None, name="Adoption", members=[])
    access_services.restriction_set(
        actor=None, person_id=person.pk, level="sealed", group=group, reason="Adopted"
    )
    for terms in ("Robert Smith", str(person.la_number)):
        assert person not in [
            h.person for h in selectors.person_search(user=worker, terms=terms).hits
        ]


def test_search_outside_relationship_shows_only_enough_to_avoid_a_duplicate(index, team, worker):
    results = selectors.person_search(user=worker, terms="Robert Smith")
    assert not results.hits[0].full_access
    factories.involve(index["robert"], team)
    assert selectors.person_search(user=worker, terms="Robert Smith").hits[0].full_access


def test_likely_matches_before_adding(index, worker):
    hits = selectors.person_likely_matches(
        user=worker, given_name="Bobby", family_name="Smith", date_of_birth=dt.date(2014, 2, 3)
    )
    assert hits
    assert hits[0].person == index["robert"]
    assert (
        selectors.person_likely_matches(
            user=worker, given_name="Xavier", family_name="Quint", date_of_birth=dt.date(1999, 9, 9)
        )
        == []
    )
