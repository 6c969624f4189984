"""Issue #7, the child in need journey: a worker records a referral, a strategy discussion and a
section 47 enquiry; a conference typed on a weekend is refused naming the DfE rule; on a
working day it starts the child protection plan, which the child's summary then shows."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from kith.children.models import CPPlan
from tests.children.cin_helpers import case, working_days_ago
from tests.system.conftest import AccessiblePage, sign_in_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def fill_date(page: AccessiblePage, legend: str, day: dt.date) -> None:
    fieldset = page.page.get_by_role("group", name=legend)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def test_referral_to_child_protection_plan(page: AccessiblePage):
    c = case()
    p = page.page
    sign_in_as(page, c.worker)
    page.goto(f"/people/{c.child.pk}")
    p.get_by_role("navigation", name="About this person").get_by_role(
        "link", name="Children's"
    ).click()
    page.check_accessibility()

    # the referral
    p.get_by_role("link", name="Record a referral").click()
    page.check_accessibility()
    fill_date(page, "Referral date", working_days_ago(12))
    p.get_by_label("Team").select_option(label=c.team.name)
    p.get_by_label("Source of referral").select_option("3A")
    p.get_by_role("button", name="Save referral").click()
    expect(p.get_by_role("alert")).to_contain_text("CIN census rule 8610")
    page.check_accessibility()
    p.get_by_label("Primary need").select_option("N1")
    p.get_by_role("button", name="Save referral").click()
    expect(p.get_by_text("The assessment is due within 45 working days")).to_be_visible()
    page.check_accessibility()

    # strategy discussion, then the S47 enquiry it decided on
    p.get_by_role("link", name="Record a strategy discussion").click()
    fill_date(page, "Date of the discussion", working_days_ago(10))
    p.get_by_label("Who took part, and for which agencies").fill("Police, school, health visitor")
    p.get_by_role("group", name="Start a section 47 enquiry").get_by_label("Yes").check()
    page.check_accessibility()
    p.get_by_role("button", name="Save discussion").click()
    expect(p.get_by_text("Strategy discussion recorded.")).to_be_visible()
    p.get_by_role("link", name="Start a section 47 enquiry").click()
    fill_date(page, "Date the enquiry started", working_days_ago(10))
    p.get_by_label("Strategy discussion").select_option(index=1)
    p.get_by_role("button", name="Start enquiry").click()
    expect(p.get_by_test_id("cin-s47")).to_contain_text("Conference due by")

    # a conference on a Saturday is refused, naming the rule
    saturday = working_days_ago(0)
    while saturday.weekday() != 5:
        saturday -= dt.timedelta(days=1)
    p.get_by_role("link", name="Record an initial conference").click()
    fill_date(page, "Date of the conference", saturday)
    p.get_by_label("Section 47 enquiry it follows").select_option(index=1)
    p.get_by_role("group", name="Child protection plan").get_by_label("Yes").check()
    p.get_by_label("Category of abuse").select_option("NEG")
    p.get_by_role("button", name="Save conference").click()
    expect(p.get_by_role("alert")).to_contain_text("CIN census rule 8875")
    page.check_accessibility()
    assert not CPPlan.objects.filter(person=c.child).exists()
    fill_date(page, "Date of the conference", working_days_ago(1))
    p.get_by_role("button", name="Save conference").click()
    expect(p.get_by_test_id("cin-status")).to_contain_text("Child protection plan (NEG)")
    page.check_accessibility()

    # the summary shows the plan and the first core group due
    page.goto(f"/people/{c.child.pk}")
    expect(p.get_by_test_id("summary-cin-status")).to_contain_text("Next core group due")
