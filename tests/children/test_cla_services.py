"""The looked-after journey through the services: one user action derives the SSDA903
episode rows; work items follow the statutory timescales; everything is audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kith.audit.models import AuditEvent
from kith.children import services_cla as services
from kith.children.models import CareEpisode, CarePeriod, LegalStatus, Placement
from kith.core import calendar
from kith.work.models import WorkItem
from tests.children.cla_helpers import START, child, foster, start, verified

pytestmark = pytest.mark.django_db


def rows(person):
    return [
        (e.decom, e.rne, e.ls, e.place, e.dec, e.rec, e.reason_place_change)
        for e in CareEpisode.objects.filter(person=person).order_by("decom", "created_at")
    ]


def open_item(person, code):
    return WorkItem.objects.get(person=person, item_type__code=code, status__in=WorkItem.OPEN)


def test_care_start_makes_the_period_the_first_episode_and_the_statutory_work():
    c = child()
    episode = start(c)
    assert rows(c.child) == [(START, "S", "C2", "U4", None, "", "")]
    assert episode.cin == "N1"
    assert episode.urn == "SC123456"
    assert episode.place_provider == "PR1"
    period = CarePeriod.objects.get(person=c.child)
    assert period.start_date == START
    assert period.is_open
    assert LegalStatus.objects.get(person=c.child).code == "C2"
    # First review 20 working days after becoming looked after; Reg 28 visit within a week.
    assert open_item(c.child, "cla-review").due_date == calendar.add_working_days(START, 20)
    assert open_item(c.child, "cla-visit").due_date == START + dt.timedelta(weeks=1)
    assert open_item(c.child, "cla-health-assessment").due_date == calendar.add_working_days(
        START, 20
    )
    assert open_item(c.child, "cla-review").worker == c.worker
    created = AuditEvent.objects.filter(person_id=c.child.pk, action="create")
    assert {"children.careperiod", "children.careepisode", "children.placement"} <= {
        e.object_type for e in created
    }


def test_a_legal_status_change_closes_the_episode_x1_and_starts_an_l_episode_same_day():
    c = child()
    start(c, ls="C1")
    day = START + dt.timedelta(days=30)
    services.legal_status_change(actor=verified(c.worker), person=c.child, on=day, ls="C2")
    assert rows(c.child) == [
        (START, "S", "C1", "U4", day, "X1", ""),
        (day, "L", "C2", "U4", None, "", ""),
    ]
    statuses = list(LegalStatus.objects.filter(person=c.child).values_list("code", "end_date"))
    assert statuses == [("C1", day), ("C2", None)]


@pytest.mark.parametrize(
    ("same_carer", "ls", "rne"),
    [(False, "", "P"), (True, "", "T"), (False, "E1", "B"), (True, "E1", "U")],
)
def test_a_placement_change_derives_p_t_b_or_u_and_closes_the_previous_with_its_reason(
    same_carer, ls, rne
):
    c = child()
    start(c)
    day = START + dt.timedelta(days=40)
    services.placement_change(
        actor=verified(c.worker),
        person=c.child,
        on=day,
        placement=foster(place="U6", urn="SC999999"),
        same_carer=same_carer,
        reason_place_change="CARPL",
        ls=ls,
    )
    new_ls = ls or "C2"
    assert rows(c.child) == [
        (START, "S", "C2", "U4", day, "X1", "CARPL"),
        (day, rne, new_ls, "U6", None, "", ""),
    ]
    places = list(Placement.objects.filter(person=c.child).values_list("place", "end_date"))
    assert places == [("U4", day), ("U6", None)]
    # Reg 28: the visiting series restarts; a visit is due within a week of the move.
    assert open_item(c.child, "cla-visit").due_date == day + dt.timedelta(weeks=1)


def test_a_placement_change_without_a_reason_is_refused_by_rule_225_and_nothing_is_saved():
    c = child()
    start(c)
    with pytest.raises(ValidationError) as raised:
        services.placement_change(
            actor=verified(c.worker),
            person=c.child,
            on=START + dt.timedelta(days=3),
            placement=foster(place="U6"),
            same_carer=False,
            reason_place_change="",
        )
    assert "SSDA903 rule 225" in raised.value.message_dict["reason_place_change"][0]
    assert len(rows(c.child)) == 1
    assert Placement.objects.filter(person=c.child).count() == 1


def test_care_end_closes_everything_and_stops_the_statutory_work():
    c = child()
    start(c)
    day = START + dt.timedelta(days=60)
    period = services.care_end(actor=verified(c.worker), person=c.child, on=day, rec="E4A")
    assert (period.end_date, period.end_reason) == (day, "E4A")
    assert rows(c.child)[-1][4:6] == (day, "E4A")
    assert not WorkItem.objects.filter(
        person=c.child, item_type__code__startswith="cla-", status__in=WorkItem.OPEN
    ).exists()
    # A new period can start later (RNE S again).
    start(c, on=day + dt.timedelta(days=10))
    assert rows(c.child)[-1][1] == "S"


def test_a_review_completes_the_review_due_and_the_next_is_due_in_three_months():
    c = child()
    start(c)
    held = START + dt.timedelta(days=20)
    review = services.review_record(
        actor=verified(c.worker), person=c.child, review_date=held, participation="PN1"
    )
    assert review.due_date == calendar.add_working_days(START, 20)
    nxt = open_item(c.child, "cla-review")
    assert nxt.clock_start == held
    assert nxt.due_date == dt.date(2026, 9, 21)  # the second review: 3 months after the first
    assert nxt.previous is not None


def test_a_long_term_placement_switches_to_three_monthly_visits_after_a_year():
    c = child(born=dt.date(2012, 1, 1))
    start(c, on=dt.date(2025, 6, 2), placement=foster(intended_until_18=True))
    assert services.visit_schedule_update(
        actor=verified(c.worker), person=c.child, on=dt.date(2026, 6, 10)
    )
    item = open_item(c.child, "cla-visit-long-term")
    assert item.due_date == dt.date(2026, 9, 10)
    assert not WorkItem.objects.filter(
        person=c.child, item_type__code="cla-visit", status__in=WorkItem.OPEN
    ).exists()


def test_someone_not_working_with_the_child_cannot_change_their_care():
    c = child()
    with pytest.raises(PermissionDenied):
        start(c.__class__(c.team, c.outsider, c.manager, c.outsider, c.child))
    assert not CareEpisode.objects.filter(person=c.child).exists()


def test_social_worker_episodes_are_derived_from_allocations():
    from kith.work import services as work_services

    c = child()
    c.worker.swe_number = "SW123456"
    c.worker.save()
    allocation = work_services.Allocation.objects.get(person=c.child)
    work_services.allocation_end(
        actor=None, allocation=allocation, end_date=dt.date(2026, 5, 1), reason="LEFTRL"
    )
    made = services.sw_episodes_from_allocations(actor=verified(c.worker), person=c.child)
    assert [(e.sw_id, e.start_date, e.end_date, e.reason) for e in made] == [
        ("SW123456", dt.date(2024, 1, 1), dt.date(2026, 5, 1), "LEFTRL")
    ]
    assert services.sw_episodes_from_allocations(actor=None, person=c.child) == []


def test_a_period_of_care_before_the_2025_26_placement_list_can_be_recorded():
    # Given a child who came into care in 2023 in a long-term foster placement (U4 was a
    # placement type then too), recorded now
    c = child(born=dt.date(2012, 5, 5))
    episode = services.care_start(
        actor=verified(c.worker),
        person=c.child,
        start_date=dt.date(2023, 5, 2),
        ls="C2",
        cin="N1",
        placement=foster(),
    )
    assert episode.place == "U4"
    # But a type new in 2025/26 (K3) is refused before 1 April 2025
    with pytest.raises(ValidationError, match="146"):
        services.placement_change(
            actor=verified(c.worker),
            person=c.child,
            on=dt.date(2024, 6, 3),
            placement=foster(place="K3", urn="SC654321"),
            same_carer=False,
            reason_place_change="CARPL",
        )


def test_a_temporary_placement_then_back_to_the_usual_one_as_the_903_expects():
    c = child()
    start(c)
    away, back = START + dt.timedelta(days=40), START + dt.timedelta(days=47)
    respite = services.PlacementDetails(place="T1", pl_post="CT2 7AB")
    actor = verified(c.worker)
    # a reason for a move into a temporary placement is refused (rule 226), nothing saved
    with pytest.raises(ValidationError) as raised:
        services.placement_change(actor=actor, person=c.child, on=away, placement=respite,
                                  same_carer=False, reason_place_change="CARPL")  # fmt: skip
    assert "226" in str(raised.value)
    assert len(rows(c.child)) == 1
    services.placement_change(actor=actor, person=c.child, on=away, placement=respite,
                              same_carer=False, reason_place_change="")  # fmt: skip
    # going on somewhere else straight from the temporary placement is refused (rule 383)
    with pytest.raises(ValidationError) as raised:
        services.placement_change(actor=actor, person=c.child, on=back,
                                  placement=foster(place="U6", urn="SC999999"),
                                  same_carer=False, reason_place_change="")  # fmt: skip
    assert "383" in str(raised.value)
    services.placement_return(actor=actor, person=c.child, on=back)
    assert rows(c.child) == [
        (START, "S", "C2", "U4", away, "X1", ""),
        (away, "P", "C2", "T1", back, "X1", ""),
        (back, "P", "C2", "U4", None, "", ""),
    ]
    first, _, again = Placement.objects.filter(person=c.child).order_by("start_date")
    assert (again.urn, again.postcode, again.place_provider) == (
        first.urn,
        first.postcode,
        first.place_provider,
    )
    # not in a temporary placement now: nothing to go back to
    with pytest.raises(ValidationError, match="not in a temporary placement"):
        services.placement_return(actor=actor, person=c.child, on=back + dt.timedelta(days=1))


def test_a_dolo_for_a_child_in_foster_care_is_refused_by_rule_709_and_nothing_is_saved():
    from kith.children.models import DoloOrder

    c = child()
    start(c)  # with foster carers (U4)
    with pytest.raises(ValidationError) as raised:
        services.dolo_record(actor=verified(c.worker), person=c.child, start_date=START)
    assert "709" in str(raised.value)
    assert not DoloOrder.objects.filter(person=c.child).exists()
    services.placement_change(
        actor=verified(c.worker), person=c.child, on=START + dt.timedelta(days=10),
        placement=foster(place="K2", place_provider="PR4", carer=""), same_carer=False,
        reason_place_change="CHILD",
    )  # fmt: skip
    order = services.dolo_record(
        actor=verified(c.worker), person=c.child, start_date=START + dt.timedelta(days=12)
    )
    assert order.end_date is None
