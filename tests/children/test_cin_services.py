"""The child in need journey through its services: records, rules enforced before anything is
saved, work items by the statutory timescales, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kith.audit.models import AuditEvent
from kith.children import selectors_cin
from kith.children import services_cin as cin
from kith.children.models import CINEpisode, Contact, CPPlan, EarlyHelpEpisode
from kith.core import calendar
from kith.work import selectors as work_selectors
from kith.work.models import Allocation
from tests import factories
from tests.children.cin_helpers import case, referral, verified, working_days_ago

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def open_items(c):
    return {
        i.item_type.code: i
        for i in work_selectors.person_work_items(person=c.child, include_closed=False)
    }


def test_a_contact_is_decided_within_a_working_day_and_becomes_a_referral():
    c = case()
    received = timezone.now() - dt.timedelta(hours=2)
    contact = cin.contact_record(
        actor=c.worker,
        person=c.child,
        team=c.team,
        received_at=received,
        source="3A",
        referrer="Head teacher, Oak School",
        summary="Bruising seen at school",
        priority=Contact.Priority.RED,
    )
    item = open_items(c)["contact-decision"]
    assert item.due_date == calendar.add_working_days(timezone.localtime(received).date(), 1)
    cin.contact_decide(
        actor=c.worker, contact=contact, decision="referral", decided_on=TODAY, primary_need="N1"
    )
    episode = CINEpisode.objects.get(person=c.child)
    assert (episode.referral_source, episode.contact_id) == ("3A", contact.pk)
    items = open_items(c)
    assert "contact-decision" not in items
    assert items["cf-assessment"].due_date == calendar.add_working_days(TODAY, 45)
    assert AuditEvent.objects.filter(object_type="children.cinepisode", action="create").exists()


def test_a_contact_to_early_help_starts_an_early_help_episode():
    c = case()
    contact = cin.contact_record(
        actor=c.worker,
        person=c.child,
        team=c.team,
        received_at=timezone.now(),
        source="5A",
        referrer="Health visitor",
        summary="Family struggling",
    )
    with pytest.raises(ValidationError) as raised:
        cin.contact_decide(actor=c.worker, contact=contact, decision="early-help", decided_on=TODAY)
    assert "early_help_organisation" in raised.value.message_dict
    cin.contact_decide(
        actor=c.worker,
        contact=contact,
        decision="early-help",
        decided_on=TODAY,
        early_help_organisation="Family Hub North",
    )
    assert EarlyHelpEpisode.objects.get(person=c.child).organisation == "Family Hub North"
    assert not CINEpisode.objects.filter(person=c.child).exists()


def test_the_whole_cp_journey_sets_and_completes_the_statutory_work():
    c = case()
    episode = referral(c, on=working_days_ago(30))
    assessment = cin.assessment_start(
        actor=c.worker, episode=episode, start_date=working_days_ago(29)
    )
    discussion = cin.strategy_discussion_record(
        actor=c.worker,
        episode=episode,
        discussion_date=working_days_ago(20),
        attendees="Police (DC Shah), school (DSL), health (school nurse)",
        start_s47=True,
    )
    s47 = cin.s47_start(
        actor=c.worker,
        episode=episode,
        start_date=working_days_ago(20),
        strategy_discussion=discussion,
    )
    target = calendar.add_working_days(discussion.discussion_date, 15)
    assert s47.icpc_target_date == target
    assert open_items(c)["icpc"].due_date == target
    cin.s47_complete(
        actor=c.worker, s47=s47, end_date=working_days_ago(8), outcome="icpc", icpc_required=True
    )
    conference = cin.icpc_record(
        actor=c.worker,
        episode=episode,
        section47=s47,
        conference_date=working_days_ago(5),
        cp_plan=True,
        initial_category="NEG",
    )
    plan = CPPlan.objects.get(person=c.child)
    assert (plan.start_date, plan.conference_id, plan.previous_plans) == (
        conference.conference_date,
        conference.pk,
        0,
    )
    items = open_items(c)
    assert "icpc" not in items
    assert items["core-group"].due_date == calendar.add_working_days(plan.start_date, 10)
    assert items["cp-review"].due_date > plan.start_date + dt.timedelta(days=85)
    assert "cp-visit" in items
    cin.core_group_record(
        actor=c.worker, plan=plan, meeting_date=working_days_ago(1), attendees="Mum, school"
    )
    assert open_items(c)["core-group"].clock_start == working_days_ago(1)
    cin.assessment_update(
        actor=c.worker,
        assessment=assessment,
        authorisation_date=working_days_ago(2),
        factors=["2A", "3A"],
        outcome="cin-plan",
    )
    status = selectors_cin.case_status(user=c.worker, person=c.child)
    assert (status.code, status.category, status.worker) == ("cp", "NEG", c.worker.display_name)
    assert status.next_review == open_items(c)["cp-review"].due_date
    review = cin.cp_review_record(
        actor=c.worker, plan=plan, review_date=TODAY, continue_plan=False, quorate=True
    )
    plan.refresh_from_db()
    assert plan.end_date == review.review_date
    assert not {"cp-review", "core-group", "cp-visit"} & set(open_items(c))
    events = {e.type_code for e in selectors_cin.person_cin_events(person_id=c.child.pk)}
    assert {"children.cin_referral", "children.cin_conference", "children.cin_cp_plan"} <= events


def test_a_broken_rule_saves_nothing_and_names_the_rule():
    c = case()
    with pytest.raises(ValidationError) as raised:
        referral(c, referral_source="ZZ")
    assert raised.value.message_dict["referral_source"] == [
        "Select a valid source of referral (CIN census rule 8866)"
    ]
    assert not CINEpisode.objects.filter(person=c.child).exists()
    assert not open_items(c)


def test_only_one_open_episode_and_one_open_cp_plan():
    c = case()
    episode = referral(c)
    with pytest.raises(ValidationError, match="8815"):
        referral(c, on=working_days_ago(10))
    cin.cp_plan_start(
        actor=c.worker, episode=episode, start_date=working_days_ago(50), initial_category="PHY"
    )
    with pytest.raises(ValidationError, match="8935"):
        cin.cp_plan_start(
            actor=c.worker, episode=episode, start_date=working_days_ago(5), initial_category="PHY"
        )


def test_closing_an_episode_ends_its_work_and_rc8_needs_an_assessment():
    c = case()
    episode = referral(c)
    with pytest.raises(ValidationError, match="8825Q"):
        cin.episode_close(actor=c.worker, episode=episode, closure_date=TODAY, closure_reason="RC8")
    a = cin.assessment_start(actor=c.worker, episode=episode, start_date=working_days_ago(59))
    with pytest.raises(ValidationError, match="8867"):
        cin.episode_close(actor=c.worker, episode=episode, closure_date=TODAY, closure_reason="RC8")
    cin.assessment_update(
        actor=c.manager,
        assessment=a,
        authorisation_date=working_days_ago(3),
        factors=["21"],
        outcome="nfa",
    )
    cin.episode_close(actor=c.worker, episode=episode, closure_date=TODAY, closure_reason="RC8")
    assert not open_items(c)
    assert selectors_cin.case_status(user=c.worker, person=c.child).code == "closed"


def test_cin_plan_starts_visits_and_cannot_run_with_a_cp_plan():
    c = case()
    episode = referral(c)
    plan = cin.cin_plan_start(actor=c.worker, episode=episode, start_date=working_days_ago(40))
    assert open_items(c)["cin-visit"].due_date == calendar.add_working_days(
        working_days_ago(40), 20
    )
    with pytest.raises(ValidationError, match="4001"):
        cin.cp_plan_start(
            actor=c.worker, episode=episode, start_date=working_days_ago(5), initial_category="EMO"
        )
    cin.cin_plan_end(actor=c.worker, plan=plan, end_date=working_days_ago(5))
    assert "cin-visit" not in open_items(c)
    cin.cp_plan_start(
        actor=c.worker, episode=episode, start_date=working_days_ago(5), initial_category="EMO"
    )


def test_pre_proceedings_are_recorded_with_fgdm():
    c = case()
    episode = referral(c)
    pp = cin.pre_proceedings_save(
        actor=c.worker, episode=episode, start_date=working_days_ago(20), fgdm_offered=True
    )
    pp = cin.pre_proceedings_save(
        actor=c.worker,
        episode=episode,
        instance=pp,
        fgdm_facilitated=True,
        letter_before_proceedings_sent=working_days_ago(19),
        review_meetings=2,
        outcome="step-down",
    )
    assert (pp.fgdm_facilitated, pp.review_meetings) == (True, 2)
    with pytest.raises(ValidationError) as raised:
        cin.pre_proceedings_save(
            actor=c.worker, episode=episode, instance=pp, initial_meeting_date=working_days_ago(30)
        )
    assert "initial_meeting_date" in raised.value.message_dict


def test_someone_outside_the_team_cannot_record():
    c = case()
    with pytest.raises(PermissionDenied):
        cin.referral_record(
            actor=c.outsider,
            person=c.child,
            team=c.team,
            referral_date=TODAY,
            referral_source="1A",
            primary_need="N1",
        )


def test_merging_two_records_moves_the_journey_to_the_survivor():
    from kith.people import services as people_services
    from tests import factories
    from tests.children.cin_helpers import verified

    c = case()
    episode = referral(c)
    cin.cp_plan_start(
        actor=c.worker, episode=episode, start_date=working_days_ago(30), initial_category="SAB"
    )
    survivor = factories.person("Mia", "Carter", date_of_birth=c.child.date_of_birth)
    admin = verified(factories.user("system_administrator", in_team=factories.team("Systems")))
    record = people_services.person_merge(
        actor=admin, survivor=survivor, merged=c.child, reason="Same child"
    )
    moved = {entry["model"] for entry in record.changes["moved"]}
    assert {"children.cinepisode", "children.cpplan"} <= moved
    assert CPPlan.objects.get(episode=episode).person_id == survivor.pk
    assert selectors_cin.case_status(user=admin, person=survivor).code == "cp"


def test_an_assessment_deciding_on_a_strategy_discussion_makes_it_due():
    c = case()
    episode = referral(c)
    a = cin.assessment_start(actor=c.worker, episode=episode, start_date=working_days_ago(10))
    cin.assessment_update(actor=c.worker, assessment=a, outcome="strategy-discussion")
    assert open_items(c)["strategy-discussion"].due_date == calendar.add_working_days(TODAY, 3)
    cin.strategy_discussion_record(
        actor=c.worker, episode=episode, discussion_date=TODAY, attendees="Police", start_s47=False
    )
    assert "strategy-discussion" not in open_items(c)


def test_a_journey_recorded_late_keeps_its_own_dates():
    # Given a worker recording, today, a journey that happened in 2022 (a council's history
    # brought up to date, or the synthetic council's five years)
    c = case(date_of_birth=dt.date(2015, 2, 3))
    contact = cin.contact_record(
        actor=c.worker,
        person=c.child,
        team=c.team,
        received_at=dt.datetime(2022, 3, 7, 10, 0, tzinfo=dt.UTC),
        source="6",
        referrer="Police",
        summary="Domestic abuse incident",
    )
    contact = cin.contact_decide(
        actor=c.worker,
        contact=contact,
        decision="referral",
        decided_on=dt.date(2022, 3, 8),
        primary_need="N1",
    )
    episode = contact.referrals.get()
    assessment = cin.assessment_start(
        actor=c.worker, episode=episode, start_date=dt.date(2022, 3, 9)
    )
    # Then the decision codes of the time are accepted, and the work items started by it are
    # the worker's from the day their clock started, not from today
    item = open_items(c)["cf-assessment"]
    assert item.clock_start == dt.date(2022, 3, 8)
    assert item.allocated_on == dt.date(2022, 3, 8)
    # and an outcome of a strategy discussion makes it due from the day it was authorised
    cin.assessment_update(
        actor=c.manager,
        assessment=assessment,
        authorisation_date=dt.date(2022, 4, 20),
        factors=["1A"],
        outcome="strategy-discussion",
    )
    strategy = open_items(c)["strategy-discussion"]
    assert strategy.clock_start == dt.date(2022, 4, 20)
    assert strategy.allocated_on == dt.date(2022, 4, 20)


def test_a_referral_naming_a_worker_allocates_them_from_the_referral_date():
    c = case()
    other = verified(factories.user("social_worker", in_team=c.team))
    day = working_days_ago(30)
    referral(c, on=day, worker=other)
    allocation = Allocation.objects.get(person=c.child, worker=other)
    assert allocation.start_date == day
