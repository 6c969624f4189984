"""The seed's work phase (`kith.demo.work_seed`): a small council seeded as the county was
(people only), then `kith seed --work-only`, loaded once for this module (in a transaction
rolled back at the end) and checked: every status, overdue and unallocated work in every age
band, steps waiting for a manager who can act, a year of completed history, due dates from
the timescale rules, and the bulk path writing the rows the services write."""

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from kith.accounts.models import Membership, Notification
from kith.audit.models import AuditEvent
from kith.audit.services import audit_verify
from kith.demo import seed as council
from kith.demo import selectors, synthetic, work_seed
from kith.demo.children_seed import ChildrenSeedSummary
from kith.demo.models import SeedRun
from kith.work import services, timescales
from kith.work.dashboards import selectors as dashboards
from kith.work.models import Allocation, Involvement, WorkItem, WorkItemEvent
from kith.work.timescales import age_band

TODAY = dt.date(2026, 11, 2)
SEED = 7


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[tuple[str, set]]:
    """The small council's people (the work phase left out, as the county's seed was made),
    then `kith seed --work-only`."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            phase, children = council.work_seed, council.children_seed
            council.work_seed = lambda **kwargs: work_seed.WorkSeedSummary()  # type: ignore[assignment]
            # the work phase alone (tests/demo/test_children_seed.py has the children's phase)
            council.children_seed = lambda **kwargs: ChildrenSeedSummary()  # type: ignore[assignment]
            try:
                council.council_seed(size="small", seed=SEED, today=TODAY)
            finally:
                council.work_seed, council.children_seed = phase, children
            assert not WorkItem.objects.exists()
            out = io.StringIO()
            call_command("seed", "--work-only", "--today", TODAY.isoformat(), stdout=out)
            yield out.getvalue(), set(WorkItem.objects.values_list("pk", flat=True))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def output(seeded, db) -> str:
    return seeded[0]


def _open() -> "list[WorkItem]":
    return list(WorkItem.objects.filter(status__in=WorkItem.OPEN).select_related("item_type"))


def test_every_status_and_the_summary(output):
    statuses = Counter(WorkItem.objects.values_list("status", flat=True))
    for status in ("not_started", "in_progress", "awaiting_authorisation", "completed"):
        assert statuses[status], status
    # Most of the work is history; each open case has its current steps
    open_items = len(_open())
    assert statuses["completed"] > open_items >= Involvement.objects.count()
    work = SeedRun.objects.get().summary["work"]
    assert work["items"] == WorkItem.objects.count()
    assert work["open"] == open_items
    assert work["completed"] == statuses["completed"]
    assert work["awaiting_authorisation"] == statuses["awaiting_authorisation"]
    assert work["overdue"] == sum(1 for i in _open() if i.due_date and i.due_date < TODAY)
    assert work["unallocated"] == sum(1 for i in _open() if i.worker_id is None)
    assert not work["bulk"]
    assert f"{work['items']:,} work items" in output
    assert "Work: " in output
    assert "(100%)" in output


def test_types_suit_the_teams_service_area(output):
    by_area = Counter(WorkItem.objects.values_list("team__service_area", "item_type__service_area"))
    assert set(by_area) <= {
        ("children", "children"), ("adults", "adults"), ("adults", "finance"),
    }  # fmt: skip
    codes = set(WorkItem.objects.values_list("item_type__code", flat=True))
    assert {
        "referral-decision", "cf-assessment", "strategy-discussion", "s47-enquiry", "icpc",
        "cin-visit", "cp-visit", "cla-visit", "cla-review", "care-act-assessment",
        "care-plan-review", "financial-assessment",
    } <= codes  # fmt: skip


def test_a_real_share_is_overdue_some_badly(output):
    items = _open()
    overdue = [i for i in items if i.due_date is not None and i.due_date < TODAY]
    assert 0.08 <= len(overdue) / len(items) <= 0.25
    assert max((TODAY - i.due_date).days for i in overdue) > 30
    # and most open steps are on time
    assert sum(1 for i in items if i.due_date >= TODAY) > len(items) / 2


def test_unallocated_work_in_every_age_band_on_allocated_and_unallocated_people(output):
    days = dashboards.WorkingDays(TODAY)
    unallocated = [i for i in _open() if i.worker_id is None]
    bands = Counter(age_band(days.after(i.clock_start)) for i in unallocated)
    assert all(bands[label] for label in dashboards.BAND_LABELS), bands
    allocated_people = set(
        Allocation.objects.filter(end_date__isnull=True).values_list("person_id", "team_id")
    )
    on = {(i.person_id, i.team_id) in allocated_people for i in unallocated}
    assert on == {True, False}
    # a person with no worker has no step with a worker
    for item in WorkItem.objects.exclude(worker__isnull=True):
        assert (item.person_id, item.team_id) in allocated_people


def test_steps_waiting_for_a_manager_who_can_act(output):
    waiting = list(
        WorkItem.objects.filter(status="awaiting_authorisation").select_related("item_type")
    )
    assert waiting
    # Only the requests still waiting are unread: earlier ones were long since answered
    managers = selectors.seed_team_manager_lists(team_ids={i.team_id for i in waiting}, on=TODAY)
    unread = Notification.objects.filter(read_at__isnull=True, link__endswith="authorisations")
    assert unread.count() == sum(len(managers[i.team_id]) for i in waiting)
    for item in waiting:
        assert item.item_type.needs_authorisation
        managers = selectors.seed_team_manager_lists(team_ids={item.team_id}, on=TODAY)
        manager = managers[item.team_id][0]
        assert manager.pk != item.worker_id
        assert Notification.objects.filter(
            recipient=manager, read_at__isnull=True, subject__startswith=item.item_type.name
        ).exists()
    # The manager authorises one, and it is done
    item = waiting[0]
    manager = selectors.seed_team_manager_lists(team_ids={item.team_id}, on=TODAY)[item.team_id][0]
    done = services.work_item_authorise(actor=manager, item=item, comment="Fine")
    assert done.status == WorkItem.Status.COMPLETED


def _occurrence(item: WorkItem) -> int:
    n = 1
    while item.previous_id is not None:
        item = WorkItem.objects.get(pk=item.previous_id)
        n += 1
    return n


def test_due_dates_are_those_of_the_timescale_rules(output):
    for item in WorkItem.objects.select_related("item_type", "rule"):
        rule = timescales.rule_for(item.item_type, item.clock_start)
        assert rule is not None
        assert item.rule_id == rule.pk
        assert item.due_date == timescales.due_date(rule, item.clock_start, _occurrence(item))
        assert item.clock_start <= TODAY
        if item.completed_on:
            assert item.clock_start <= item.completed_on <= TODAY
        if item.worker_id:
            assert item.allocated_on is not None
    # A recurring series: each step's clock starts the day the one before was completed
    for item in WorkItem.objects.filter(previous__isnull=False).select_related("previous"):
        assert item.previous.completed_on == item.clock_start
        assert item.previous.item_type_id == item.item_type_id
        assert item.previous.worker_id == item.worker_id


def test_a_year_of_completed_history_on_time_and_late(output):
    completed = WorkItem.objects.filter(status="completed")
    months = {(d.year, d.month) for d in completed.values_list("completed_on", flat=True)}
    ends = dashboards.month_ends(TODAY)
    assert {(end.year, end.month) for end in ends} <= months
    late = sum(1 for i in completed if i.completed_on > i.due_date)
    assert 0.1 * completed.count() < late < 0.4 * completed.count()
    # The trends the director sees have figures every month
    trends = dashboards.month_end_trends(
        team_ids=set(WorkItem.objects.values_list("team_id", flat=True)), ends=ends
    )
    assert all(trends.completed)
    assert all(value is not None for value in trends.on_time)
    assert any(trends.overdue_items)


def test_every_write_through_the_services_is_audited(output):
    items = WorkItem.objects.all()
    for item in items[:40]:
        assert AuditEvent.objects.filter(
            object_type="work.workitem", object_id=str(item.pk), action="create"
        ).exists()
    assert not AuditEvent.objects.filter(reason=work_seed.LOAD_REASON).exists()
    assert audit_verify().ok


def test_work_only_refuses_a_second_time_and_adds_nothing(output):
    count, events = WorkItem.objects.count(), WorkItemEvent.objects.count()
    with pytest.raises(CommandError, match="already has work items"):
        call_command("seed", "--work-only", "--today", TODAY.isoformat(), stdout=io.StringIO())
    with pytest.raises(work_seed.WorkSeedRefused):
        work_seed.work_seed(size="small", seed=SEED, today=TODAY)
    assert (WorkItem.objects.count(), WorkItemEvent.objects.count()) == (count, events)


def test_work_only_waits_for_the_seed_to_finish(output):
    WorkItemEvent.objects.all().delete()
    WorkItem.objects.update(previous=None)
    WorkItem.objects.all().delete()
    SeedRun.objects.update(finished_at=None)
    with pytest.raises(CommandError, match="has not finished"):
        call_command("seed", "--work-only", stdout=io.StringIO())
    assert not WorkItem.objects.exists()


def test_the_team_dashboard_shows_the_work(output):
    from kith.accounts.models import User

    manager = User.objects.get(username="demo.manager")
    team = Membership.objects.get(user=manager).team
    board = dashboards.team_dashboard(user=manager, team=team, on=TODAY)
    assert board.open_items > 0
    assert board.items_total + board.overdue_total + board.awaiting_authorisation > 0


# --- The bulk path ------------------------------------------------------------------------


def _rows(items) -> list[tuple]:
    """Each item and its history, without ids (the previous step by its own row)."""
    by_id = {item.pk: item for item in items}

    def row(item: WorkItem) -> tuple:
        previous = by_id.get(item.previous_id)
        return (
            item.person_id, item.team_id, item.item_type_id, item.status, item.clock_start,
            item.due_date, item.rule_id, item.worker_id, item.allocated_on, item.completed_on,
            item.updated_by_id, item.created_by_id,
            (previous.clock_start, previous.completed_on) if previous else None,
            tuple(sorted(
                (e.kind, e.old_value, e.new_value, e.comment, str(e.created_by_id))
                for e in item.events.all()
            )),
        )  # fmt: skip

    return sorted(tuple(str(value) for value in row(item)) for item in items)


def test_the_bulk_path_writes_the_rows_the_services_write(seeded, db):
    # Given the work the services wrote, and the same plan written again in bulk, in batches
    # of 10 cases
    serviced = list(WorkItem.objects.filter(pk__in=seeded[1]).prefetch_related("events"))
    events_before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[0]
    rules = work_seed.Rules()
    cases = selectors.seed_open_cases(on=TODAY)
    context = work_seed._Context(cases, TODAY)
    planner = work_seed.Planner(synthetic.rng_for(SEED, "small:work"), rules, TODAY)
    batches: list[int] = []
    bulk = work_seed.BulkWorkWriter(context, rules, TODAY, batch_cases=10, written=batches.append)
    for case in cases:
        bulk.add(planner.case(case, context.teams[case.team_id].service_area))
    bulk.flush()
    loaded = list(WorkItem.objects.exclude(pk__in=seeded[1]).prefetch_related("events"))
    # Then every item and its history are the same
    assert len(loaded) == len(serviced) == bulk.items > 100
    assert _rows(loaded) == _rows(serviced)
    # And each batch has one audit entry naming the items it made
    entries = list(AuditEvent.objects.filter(seq__gt=events_before, object_type="work.workitem"))
    assert len(entries) == len(batches) >= 5
    assert all(e.reason == work_seed.LOAD_REASON for e in entries)
    assert {pk for e in entries for pk in e.result_ids} == {str(i.pk) for i in loaded}
    assert audit_verify().ok
