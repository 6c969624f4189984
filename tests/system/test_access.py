"""Access and audit as staff meet them: search, emergency access and its review, who looked."""

import pytest
from playwright.sync_api import expect

from tests.access import world as world_module
from tests.system.conftest import AccessiblePage, sign_in_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_emergency_access_is_reasoned_reviewed_and_on_the_record(
    page: AccessiblePage, browser, live_server
):
    world = world_module.build()
    # given a worker in the south team searching for a child the north team works with
    sign_in_as(page, world.outsider)
    page.page.get_by_role("link", name="People").click()
    page.check_accessibility()
    page.page.get_by_label("Name, date of birth, postcode or an identifier").fill("Owncase")
    page.page.get_by_role("button", name="Search").click()
    results = page.page.get_by_test_id("search-results")
    expect(results).to_contain_text("Olivia Owncase")
    expect(results).to_contain_text("Not on your caseload")
    expect(results).to_contain_text("Safeguarding North")
    expect(results).not_to_contain_text("Sol Sealed")
    page.check_accessibility()
    # when they use emergency access, giving a reason
    page.page.get_by_role("link", name="Emergency access to Olivia Owncase").click()
    page.check_accessibility()
    page.page.get_by_role("button", name="Open the record").click()
    expect(page.page.get_by_role("alert")).to_contain_text("Explain the emergency")
    page.check_accessibility()
    page.page.get_by_label("Why do you need this record now?").fill(
        "Police at the door at 2am asking whether the child is known to us"
    )
    page.page.get_by_role("button", name="Open the record").click()
    # then the record opens with a warning
    expect(page.page.get_by_role("heading", name="Olivia Owncase")).to_be_visible()
    expect(page.page.get_by_text("You are using emergency access")).to_be_visible()
    page.check_accessibility()

    # and the north team's manager is told, reviews it, and sees who looked at the record
    manager_context = browser.new_context(base_url=live_server.url)
    manager = AccessiblePage(manager_context.new_page(), live_server.url)
    sign_in_as(manager, world.manager)
    expect(manager.page.get_by_role("link", name="Notifications")).to_contain_text("unread")
    manager.page.get_by_role("link", name="Notifications").click()
    expect(
        manager.page.get_by_role("heading", name="used emergency access to a record")
    ).to_be_visible()
    manager.check_accessibility()
    manager.page.get_by_role("link", name="Emergency access").first.click()
    manager.check_accessibility()
    manager.page.get_by_role("link", name="Review").click()
    manager.check_accessibility()
    manager.page.get_by_label("Yes").check()
    manager.page.get_by_role("button", name="Record review").click()
    expect(manager.page.get_by_text("Justified")).to_be_visible()
    manager.goto(f"/people/{world.own.pk}/access-log")
    events = manager.page.get_by_test_id("audit-events")
    expect(events).to_contain_text(world.outsider.username)
    expect(events).to_contain_text("break glass: Police at the door")
    manager_context.close()


def test_administrator_pages(page: AccessiblePage):
    world = world_module.build()
    sign_in_as(page, world.admin)
    for path, heading in (
        ("/administration/restricted-record-groups", "Restricted record groups"),
        ("/administration/restricted-records", "Restricted and sealed records"),
        ("/declared-conflicts", "Declared conflicts"),
        ("/administration/module-access", "Module access by role"),
    ):
        page.goto(path)
        expect(page.page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    # a record is sealed by its LA number
    page.goto("/administration/restricted-records")
    page.page.get_by_label("LA person number").fill(str(world.unknown.la_number))
    page.page.get_by_label("Restriction", exact=True).select_option("sealed")
    page.page.get_by_label("Who may see the record").select_option(label="High-profile cases")
    page.page.get_by_label("Reason").fill("Adoption order made")
    page.page.get_by_role("button", name="Restrict record").click()
    expect(
        page.page.get_by_text(f"LA number {world.unknown.la_number} is now sealed")
    ).to_be_visible()
    page.check_accessibility()


def test_auditor_searches_the_log(page: AccessiblePage):
    world = world_module.build()
    sign_in_as(page, world.auditor)
    page.page.get_by_role("link", name="Audit log").click()
    page.check_accessibility()
    page.page.get_by_label("Username").fill(world.admin.username)
    page.page.get_by_role("button", name="Search").click()
    expect(page.page.get_by_test_id("audit-events")).to_contain_text(world.admin.username)
    page.check_accessibility()
