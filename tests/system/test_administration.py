"""A system administrator adds a new starter and then records them as a leaver."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.system.conftest import AccessiblePage, sign_in_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def sign_in(page: AccessiblePage, role: str):
    user = factories.user(role=role)
    sign_in_as(page, user)
    return user


def test_administrator_adds_a_new_starter_and_records_a_leaver(page: AccessiblePage):
    # given a system administrator and a team to join
    sign_in(page, "system_administrator")
    team = factories.team("Children in Care West")
    page.check_accessibility()
    page.page.get_by_role("link", name="Administration").click()
    expect(page.page.get_by_role("heading", name="Staff accounts")).to_be_visible()
    page.check_accessibility()
    # when they send the form with mistakes, each is named
    page.page.get_by_role("button", name="Add a member of staff").click()
    page.page.get_by_role("button", name="Create account").click()
    expect(page.page.get_by_role("alert")).to_contain_text("Enter a first name")
    page.check_accessibility()
    # and when they correct them, the account is made with a temporary password
    page.page.get_by_label("First name").fill("Chidi")
    page.page.get_by_label("Last name").fill("Eze")
    page.page.get_by_label("Username").fill("chidi.eze")
    page.page.get_by_label("Work email address").fill("chidi.eze@kith-council.example")
    page.page.get_by_label("Social Work England registration number (optional)").fill("SW100200")
    page.page.get_by_label("Team").select_option(label=f"— — {team.name}")
    page.page.get_by_label("Role").select_option(label="Social worker")
    page.page.get_by_label("Day").fill("1")
    page.page.get_by_label("Month").fill("12")
    page.page.get_by_label("Year").fill("2026")
    page.page.get_by_role("button", name="Create account").click()
    expect(page.page.get_by_role("heading", name="Account created")).to_be_visible()
    assert page.page.get_by_test_id("temporary-password").inner_text().strip()
    page.check_accessibility()
    # then the new starter's page shows the team, and they can be recorded as a leaver
    page.page.get_by_role("link", name="View Chidi Eze's account").click()
    expect(page.page.get_by_role("cell", name=team.name, exact=True)).to_be_visible()
    page.check_accessibility()
    page.page.get_by_role("button", name="Record as a leaver").click()
    page.check_accessibility()
    page.page.get_by_label("Day").fill("2")
    page.page.get_by_label("Month").fill("12")
    page.page.get_by_label("Year").fill("2026")
    page.page.get_by_label("Reason").fill("Left before starting")
    page.page.get_by_role("button", name="Record leaver").click()
    expect(page.page.get_by_text("has been recorded as a leaver")).to_be_visible()
    page.check_accessibility()


def test_pages_outside_a_role_are_refused_in_the_same_style(page: AccessiblePage):
    sign_in(page, "social_worker")
    page.goto("/administration/staff")
    expect(page.page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    page.goto("/no-such-page")
    expect(page.page.get_by_role("heading", name="Page not found")).to_be_visible()
