"""A team manager's dashboard in the browser: a referral arrives unallocated, shows with its
age, is allocated from the dashboard and leaves the unallocated list; an overdue step is
escalated and the manager is told."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from kith.core import calendar
from kith.work import services
from kith.work.models import WorkItemType
from tests import factories
from tests.system.conftest import AccessiblePage, sign_in_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def work_reference_data(reference_data) -> None:
    """The timescales and escalation rules the work migration loads (a flush takes them)."""
    migration = importlib.import_module("kith.work.migrations.0003_timescales")
    migration.load_shipped_timescales(apps, None)
    migration.create_default_escalation_rules(apps, None)


def last_working_day_before(day: dt.date, n: int) -> dt.date:
    """A date n working days before ``day`` (so the age shown is n)."""
    start = day
    while calendar.working_days_between(start, day) < n:
        start -= dt.timedelta(days=1)
    return start


def test_a_referral_arrives_is_allocated_from_the_dashboard_and_escalates(
    page: AccessiblePage, work_reference_data
):
    today = timezone.localdate()
    team = factories.team("Front Door")
    manager = factories.user("team_manager", in_team=team)
    worker = factories.user("social_worker", in_team=team)
    # given a referral that arrived four working days ago: the team is working with the child,
    # nobody is allocated, and the referral decision (due in one working day) has no worker
    arrived = last_working_day_before(today, 4)
    child = factories.person("Ruby", "Referral")
    services.involvement_start(
        actor=None, person=child, team=team, start_date=arrived, priority="red"
    )
    decision = services.work_item_create(
        actor=None,
        person=child,
        item_type=WorkItemType.objects.get(code="referral-decision"),
        team=team,
        clock_start=arrived,
    )
    assert decision.worker is None

    # the manager sees the unallocated count at the top of their pages
    sign_in_as(page, manager)
    banner = page.page.get_by_test_id("unallocated-banner")
    expect(banner).to_contain_text("1 person and 1 work item are unallocated in your team.")
    page.check_accessibility()

    # and the referral on the dashboard, with its age in working days
    page.page.get_by_role("link", name="Team dashboard", exact=True).click()
    expect(page.page.get_by_role("heading", level=1)).to_have_text("Front Door")
    people = page.page.get_by_test_id("unallocated-people")
    row = people.get_by_role("row").filter(has_text="Ruby Referral")
    expect(row).to_contain_text("4")
    expect(row).to_contain_text("3–5")
    expect(row).to_contain_text("Red")
    items = page.page.get_by_test_id("unallocated-items")
    expect(items).to_contain_text("Referral decision")
    expect(page.page.get_by_test_id("chart-age-bands")).to_be_visible()
    page.page.get_by_text("Show the data as a table").first.click()
    page.check_accessibility()

    # they allocate her from the dashboard
    page.page.get_by_role("link", name="Allocate Ruby Referral").click()
    page.check_accessibility()
    page.page.get_by_label("Worker", exact=True).select_option(label=worker.display_name)
    page.page.get_by_label("Reason").fill("Duty worker this week")
    page.page.get_by_role("button", name="Allocate").click()
    expect(
        page.page.get_by_text(f"Ruby Referral is allocated to {worker.display_name}")
    ).to_be_visible()

    # and she leaves the unallocated list (the referral decision still has no worker)
    page.goto("/teams/dashboard")
    people = page.page.get_by_test_id("unallocated-people")
    expect(people).not_to_contain_text("Ruby Referral")
    expect(people).to_contain_text("Everyone the team is working with has a worker.")
    expect(page.page.get_by_test_id("unallocated-banner")).to_contain_text(
        "0 people and 1 work item are unallocated in your team."
    )

    # the overdue referral decision is escalated: the manager is told
    overdue_by = calendar.working_days_between(decision.due_date, today)  # type: ignore[arg-type]
    assert overdue_by >= 1
    run = services.escalations_run(today=today)
    assert run.sent >= 1
    page.goto("/notifications")
    expect(
        page.page.get_by_role(
            "heading", name=f"Referral decision in Front Door is {overdue_by} working days overdue"
        )
    ).to_be_visible()

    # and the dashboard shows the step as escalated, most overdue first
    page.goto("/teams/dashboard")
    overdue = page.page.get_by_test_id("overdue-items")
    row = overdue.get_by_role("row").filter(has_text="Referral decision")
    expect(row).to_contain_text("Escalated")
    expect(row).to_contain_text(str(overdue_by))
    row.get_by_role("link", name="Referral decision").click()
    expect(page.page.get_by_test_id("work-item-history")).to_contain_text("Escalated")
    page.check_accessibility()
