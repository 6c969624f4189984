"""Work items: clocks from the timescale rules, allocation, authorisation, history,
recurrence, reallocation of a leaver's caseload and escalation."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from kith.accounts.models import Notification
from kith.audit.models import Action, AuditEvent
from kith.work import selectors, services
from kith.work.models import Allocation, Escalation, WorkItem, WorkItemEvent, WorkItemType
from tests import factories

pytestmark = pytest.mark.django_db

# Thursday 17 April 2025 is the Thursday before Easter: Good Friday (18th) and Easter Monday
# (21st) are bank holidays.
THURSDAY_BEFORE_EASTER = dt.date(2025, 4, 17)


def verified(user):
    user.is_verified = lambda: True
    return user


@pytest.fixture
def office():
    team = factories.team("Front Door")
    service = team.parent
    worker = verified(factories.user("social_worker", in_team=team))
    colleague = verified(factories.user("social_worker", in_team=team))
    manager = verified(factories.user("team_manager", in_team=team))
    head = verified(factories.user("team_manager", in_team=service))
    child = factories.person("Ellie", "Brook")
    factories.involve(child, team)
    return team, worker, colleague, manager, head, child


def item_type(code: str) -> WorkItemType:
    return WorkItemType.objects.get(code=code)


@time_machine.travel(dt.datetime(2025, 4, 22, 9, 0, tzinfo=dt.UTC), tick=False)
def test_a_referral_decision_and_assessment_run_on_working_days(office):
    team, worker, *_, child = office
    decision = services.work_item_create(
        actor=worker,
        person=child,
        item_type=item_type("referral-decision"),
        team=team,
        clock_start=THURSDAY_BEFORE_EASTER,
    )
    # one working day after Thursday 17 April: Friday and Monday are bank holidays
    assert decision.due_date == dt.date(2025, 4, 22)
    assessment = services.work_item_create(
        actor=worker,
        person=child,
        item_type=item_type("cf-assessment"),
        team=team,
        clock_start=THURSDAY_BEFORE_EASTER,
    )
    # 45 working days: 22-30 April (7); May has 22 weekdays less the bank holidays on the
    # 5th and the 26th (20) = 27; 2-20 June (15) = 42; 23-25 June (3) = 45: Wednesday 25 June
    assert assessment.due_date == dt.date(2025, 6, 25)
    assert assessment.rule is not None
    kinds = list(assessment.events.values_list("kind", flat=True))
    assert kinds == [WorkItemEvent.Kind.CREATED, WorkItemEvent.Kind.TEAM]


def test_a_step_needing_sign_off_goes_to_the_managers_queue(office):
    team, worker, colleague, manager, _, child = office
    item = services.work_item_create(
        actor=worker,
        person=child,
        item_type=item_type("cf-assessment"),
        team=team,
        worker=worker,
    )
    services.work_item_start(actor=worker, item=item)
    services.work_item_complete(actor=worker, item=item)
    item.refresh_from_db()
    assert item.status == WorkItem.Status.AWAITING_AUTHORISATION
    assert selectors.authorisation_queue(user=manager) == [item]
    assert Notification.objects.filter(recipient=manager, subject__contains="authorisation")
    with pytest.raises(PermissionDenied):
        services.work_item_authorise(actor=colleague, item=item)
    with pytest.raises(ValidationError):
        services.work_item_return(actor=manager, item=item, comment="")
    services.work_item_return(actor=manager, item=item, comment="Add the father's views")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.IN_PROGRESS
    assert Notification.objects.filter(recipient=worker, body="Add the father's views").exists()
    services.work_item_complete(actor=worker, item=item)
    services.work_item_authorise(actor=manager, item=item)
    item.refresh_from_db()
    assert item.status == WorkItem.Status.COMPLETED
    assert item.completed_on is not None
    assert selectors.authorisation_queue(user=manager) == []
    history = [e.kind for e in item.events.all()]
    assert history.count(WorkItemEvent.Kind.AUTHORISATION_REQUESTED) == 2
    assert WorkItemEvent.Kind.RETURNED in history
    assert WorkItemEvent.Kind.AUTHORISED in history


def test_a_manager_reassigns_a_step_waiting_for_them(office):
    team, worker, colleague, manager, _, child = office
    item = services.work_item_create(
        actor=worker, person=child, item_type=item_type("cf-assessment"), team=team, worker=worker
    )
    services.work_item_complete(actor=worker, item=item)
    services.work_item_reassign(
        actor=manager, item=item, worker=colleague, comment="Worker off sick"
    )
    item.refresh_from_db()
    assert item.worker == colleague
    assert item.status == WorkItem.Status.IN_PROGRESS


def test_a_recurring_visit_starts_the_next_when_completed(office):
    team, worker, *_, child = office
    with time_machine.travel(dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        visit = services.work_item_create(
            actor=worker,
            person=child,
            item_type=item_type("cin-visit"),
            team=team,
            worker=worker,
        )
        assert visit.due_date == dt.date(2025, 3, 31)  # 20 working days
        services.work_item_complete(actor=worker, item=visit)
    following = WorkItem.objects.get(previous=visit)
    assert following.clock_start == dt.date(2025, 3, 3)
    assert following.worker == worker
    assert following.status == WorkItem.Status.NOT_STARTED
    assert following.due_date == dt.date(2025, 3, 31)


def test_cp_reviews_first_at_three_months_then_six(office):
    team, worker, *_, child = office
    with time_machine.travel(dt.datetime(2025, 1, 31, 9, 0, tzinfo=dt.UTC), tick=False):
        first = services.work_item_create(
            actor=worker, person=child, item_type=item_type("cp-review"), team=team
        )
        assert first.due_date == dt.date(2025, 4, 30)  # 3 months, clamped to the month end
    with time_machine.travel(dt.datetime(2025, 4, 28, 9, 0, tzinfo=dt.UTC), tick=False):
        services.work_item_complete(actor=worker, item=first)
        second = WorkItem.objects.get(previous=first)
        assert second.due_date == dt.date(2025, 10, 28)  # then 6 months


def test_moving_a_due_date_needs_a_manager_and_a_reason(office):
    team, worker, _, manager, _, child = office
    item = services.work_item_create(
        actor=worker, person=child, item_type=item_type("cf-assessment"), team=team
    )
    new_date = item.due_date + dt.timedelta(days=7)
    with pytest.raises(PermissionDenied):
        services.work_item_move_due_date(actor=worker, item=item, due_date=new_date, reason="x")
    with pytest.raises(ValidationError):
        services.work_item_move_due_date(actor=manager, item=item, due_date=new_date, reason="")
    services.work_item_move_due_date(
        actor=manager, item=item, due_date=new_date, reason="Family abroad until the 20th"
    )
    item.refresh_from_db()
    assert item.due_date == new_date
    assert item.due_date_fixed
    event = item.events.get(kind=WorkItemEvent.Kind.DUE_DATE)
    assert event.comment == "Family abroad until the 20th"
    # a recalculation after a rule change leaves a date moved by hand alone
    assert services.work_items_recalculate(item_type_ids=None, actor=None, reason="test") == 0


def test_a_leavers_caseload_moves_in_one_go(office):
    team, worker, colleague, manager, _, child = office
    second = factories.person("Finn", "Brook")
    factories.involve(second, team)
    for p in (child, second):
        factories.allocate(p, worker, team)
    open_item = services.work_item_create(
        actor=worker, person=child, item_type=item_type("cin-visit"), team=team, worker=worker
    )
    with pytest.raises(PermissionDenied):
        services.caseload_reallocate(
            actor=colleague, leaver=worker, to={child.pk: colleague}, reason="Leaving"
        )
    result = services.caseload_reallocate(
        actor=manager,
        leaver=worker,
        to={child.pk: colleague, second.pk: None},
        reason="Leaving the council",
    )
    assert (result.people, result.work_items, result.left_unallocated) == (2, 1, 1)
    current = Allocation.objects.filter(end_date__isnull=True)
    assert [(a.person, a.worker) for a in current] == [(child, colleague)]
    open_item.refresh_from_db()
    assert open_item.worker == colleague


def test_escalation_team_manager_then_service_manager_once_each(office):
    team, worker, _, manager, head, child = office
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        services.work_item_create(
            actor=worker, person=child, item_type=item_type("referral-decision"), team=team
        )
    # due Tuesday 3 June; on Wednesday it is one working day overdue and unallocated 2 days
    first = services.escalations_run(today=dt.date(2025, 6, 4))
    assert first.sent >= 1
    to_manager = Notification.objects.filter(recipient=manager)
    assert to_manager.filter(subject__contains="overdue").exists()
    assert not Notification.objects.filter(recipient=head, subject__contains="overdue").exists()
    again = services.escalations_run(today=dt.date(2025, 6, 4))
    assert again.sent == 0
    # a week later the service manager hears too (5 working days overdue)
    services.escalations_run(today=dt.date(2025, 6, 10))
    assert Notification.objects.filter(recipient=head, subject__contains="overdue").exists()
    assert Escalation.objects.filter(work_item__isnull=False).count() >= 2
    # the unallocated person (no worker for 3+ working days since 1 Jan 2024) is escalated once
    assert Escalation.objects.filter(involvement__isnull=False).count() == 2
    assert AuditEvent.objects.filter(object_type="work.escalation").exists()


def test_the_worker_on_an_open_item_may_open_the_record(office):
    from kith.access.policy import decide

    _team, *_ = office
    other_team = factories.team("Out of Hours")
    duty = verified(factories.user("social_worker", in_team=other_team))
    stranger = factories.person("Nobody", "Known")
    assert not decide(duty, stranger.pk).allowed
    item = services.work_item_create(
        actor=None,
        person=stranger,
        item_type=item_type("strategy-discussion"),
        team=other_team,
        worker=duty,
    )
    assert decide(duty, stranger.pk).rule == "work_item"
    services.work_item_cancel(actor=duty, item=item, reason="Duplicate referral")
    assert not decide(duty, stranger.pk).allowed


def test_my_work_lists_overdue_first_and_is_audited(office):
    team, worker, *_, child = office
    with time_machine.travel(dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC), tick=False):
        late = services.work_item_create(
            actor=worker,
            person=child,
            item_type=item_type("referral-decision"),
            team=team,
            worker=worker,
        )
    soon = services.work_item_create(
        actor=worker, person=child, item_type=item_type("cf-assessment"), team=team, worker=worker
    )
    page = selectors.my_work(user=worker)
    assert page["items"] == [late, soon]
    assert page["overdue"] == [late]
    entry = AuditEvent.objects.filter(action=Action.LIST, object_type="work.my_work").latest("seq")
    assert entry.result_ids == [str(child.pk)]


def test_the_escalate_command_is_safe_to_rerun(office, capsys):
    from django.core.management import call_command

    call_command("escalate", "--today", "2025-06-04")
    first = capsys.readouterr().out
    call_command("escalate", "--today", "2025-06-04")
    assert first.startswith("2 escalations sent")  # the unallocated person, to both levels
    assert capsys.readouterr().out.startswith("0 escalations sent")
