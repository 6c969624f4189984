import pytest
from django.core.exceptions import ValidationError

from kith.access import services
from kith.access.policy import Do, decide
from kith.accounts.models import Notification
from kith.audit.models import AuditEvent
from kith.people import selectors as people
from tests.access import world as world_module
from tests.access.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return world_module.build()


def verified(user):
    """Users from the policy's point of view are signed in with their second factor."""
    user.is_verified = lambda: True
    return user


@pytest.mark.parametrize(
    ("who", "whom", "allowed", "rule"),
    [
        ("worker", "own", True, "allocated"),
        ("worker", "team_person", True, "team"),
        ("colleague", "own", True, "team"),
        ("manager", "own", True, "team"),
        ("service_manager", "other", True, "team"),
        ("outsider", "own", False, "no_relationship"),
        ("outsider", "other", True, "team"),
        ("worker", "other", False, "no_relationship"),
        ("worker", "unknown", False, "no_relationship"),
        ("conflicted", "own", False, "known_to_me"),
        ("conflicted", "team_person", True, "team"),
        ("worker", "restricted", False, "restricted"),
        ("manager", "sealed", False, "sealed"),
        ("group_member", "restricted", True, "restricted_group"),
        ("group_member", "sealed", True, "sealed_group"),
        ("auditor", "own", False, "no_module"),
        ("admin", "own", False, "no_module"),
    ],
)
def test_decisions(world, who, whom, allowed, rule):
    decision = decide(verified(getattr(world, who)), getattr(world, whom).pk)
    assert (decision.allowed, decision.rule) == (allowed, rule)


def test_restricted_and_sealed_records_do_not_exist_outside_their_group(world):
    for user in (world.worker, world.manager, world.service_manager, world.outsider):
        for person in (world.restricted, world.sealed):
            assert not decide(verified(user), person.pk).visible


def test_auditor_may_view_but_not_edit_anything(world):
    assert decide(verified(world.worker), world.own.pk, Do.EDIT).allowed
    assert not decide(verified(world.auditor), world.own.pk, Do.EDIT).allowed


def test_break_glass_opens_the_record_for_a_set_time_and_tells_the_manager(world, settings):
    outsider = verified(world.outsider)
    with pytest.raises(ValidationError, match="Explain the emergency"):
        services.break_glass_start(actor=outsider, person_id=world.own.pk, reason="x")
    grant = services.break_glass_start(
        actor=outsider,
        person_id=world.own.pk,
        reason="Police at the door out of hours asking about the child",
    )
    decision = decide(outsider, world.own.pk)
    assert (decision.allowed, decision.rule) == (True, "break_glass")
    assert (grant.expires_at - grant.started_at).total_seconds() == 60 * 60
    told = Notification.objects.filter(recipient=world.manager)
    assert told.filter(subject__contains="emergency access").exists()
    event = AuditEvent.objects.get(action="break_glass")
    assert event.reason.startswith("Police at the door")


def test_break_glass_expires(world):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    outsider = verified(world.outsider)
    services.break_glass_start(
        actor=outsider, person_id=world.own.pk, reason="Hospital called about the child tonight"
    )
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        assert decide(outsider, world.own.pk).rule == "no_relationship"


def test_break_glass_is_not_offered_for_hidden_or_conflicted_records(world):
    with pytest.raises(ValidationError, match="not available"):
        services.break_glass_start(
            actor=verified(world.worker), person_id=world.sealed.pk, reason="I need to see this now"
        )
    with pytest.raises(ValidationError, match="not available"):
        services.break_glass_start(
            actor=verified(world.conflicted),
            person_id=world.own.pk,
            reason="I need to see this now",
        )


def test_break_glass_review(world):
    grant = services.break_glass_start(
        actor=verified(world.outsider),
        person_id=world.own.pk,
        reason="Out of hours: child reported missing by school",
    )
    with pytest.raises(ValidationError, match="your own"):
        services.break_glass_review(actor=world.outsider, grant=grant, justified=True, note="")
    with pytest.raises(ValidationError, match="not justified"):
        services.break_glass_review(actor=world.manager, grant=grant, justified=False, note="")
    services.break_glass_review(actor=world.manager, grant=grant, justified=True, note="Fine")
    grant.refresh_from_db()
    assert grant.justified is True


def test_declaring_a_conflict_tells_managers(world):
    services.conflict_declare(
        actor=verified(world.colleague), person_id=world.team_person.pk, relationship="My cousin"
    )
    assert decide(verified(world.colleague), world.team_person.pk).rule == "known_to_me"
    assert Notification.objects.filter(
        recipient=world.manager, subject__contains="declared they know"
    ).exists()


def test_search_hides_restricted_and_limits_others(world):
    # Everyone in the world was born on the factories' date: a date-of-birth search finds all
    # the records that exist for the worker.
    results = people.person_search(user=verified(world.worker), terms="01/06/2015")
    names = {hit.person.family_name: hit for hit in results.hits}
    assert set(names) == {"Owncase", "Teamcase", "Othercase", "Unknown"}
    assert not names["Unknown"].full_access
    assert names["Owncase"].full_access
    assert names["Teamcase"].full_access
    other = names["Othercase"]
    assert not other.full_access
    assert [c.team for c in other.contacts] == ["Safeguarding South"]
    event = AuditEvent.objects.filter(action="search").latest("seq")
    assert event.search_terms == "01/06/2015"
    assert set(event.result_ids) == {str(h.person.pk) for h in results.hits}


def test_reading_a_record_is_audited_with_its_rule(world):
    person, _decision = people.person_get(user=verified(world.worker), person_id=world.own.pk)
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.rule, event.person_id) == ("view", "allocated", person.pk)


def test_a_refused_read_is_audited_and_a_hidden_one_looks_like_nothing(world):
    with pytest.raises(people.RecordAccessDenied):
        people.person_get(user=verified(world.outsider), person_id=world.own.pk)
    assert AuditEvent.objects.latest("seq").action == "access_denied"
    with pytest.raises(people.PersonNotFound):
        people.person_get(user=verified(world.outsider), person_id=world.sealed.pk)
