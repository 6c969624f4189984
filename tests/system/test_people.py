"""The client index in the browser: search-before-create, a family recorded once on both
records, an alert on every page about the person, and data quality staff running a duplicate
scan, merging a duplicate and undoing it."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from kith.people.models import DuplicateScan, Person
from kith.people.services_duplicates import duplicate_scan_run
from tests import factories
from tests.access import world as world_module
from tests.system.conftest import AccessiblePage, sign_in_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def fill_date(page: AccessiblePage, group: str, day: dt.date) -> None:
    fieldset = page.page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def test_worker_finds_a_likely_match_then_records_family_and_an_alert(page: AccessiblePage):
    world = world_module.build()
    sign_in_as(page, world.worker)

    # Adding "Olivia Owncase" again: the existing record is shown first, with why
    page.goto("/people/new")
    page.page.get_by_label("Given name").fill("Livvy")
    page.page.get_by_label("Family name").fill("Owncase")
    fill_date(page, "Date of birth", world.own.date_of_birth)
    page.page.get_by_label("Team working with them").select_option(label="Safeguarding North")
    page.page.get_by_role("button", name="Continue").click()
    matches = page.page.get_by_test_id("likely-matches")
    expect(matches).to_contain_text("Olivia Owncase")
    expect(matches).to_contain_text("Date of birth matches")
    page.check_accessibility()
    page.page.get_by_role("link", name="Olivia Owncase").click()
    expect(page.page.get_by_role("heading", level=1)).to_contain_text("Olivia Owncase")
    assert Person.objects.filter(family_name="Owncase").count() == 1

    # Her mother is added from the family tab by LA number; the inverse shows on the mother
    mother = factories.person("Ruth", "Owncase", sex="F", date_of_birth=dt.date(1989, 8, 8))
    factories.involve(mother, world.north)
    page.page.get_by_role("link", name="Family and network").first.click()
    page.page.get_by_role("link", name="Add a relationship").click()
    page.check_accessibility()
    page.page.get_by_label("Their LA number").fill(str(mother.la_number))
    page.page.get_by_label("They are this person's").select_option("parent")
    page.page.get_by_label("They have parental responsibility for this person").check()
    page.page.get_by_role("button", name="Save").click()
    current = page.page.get_by_test_id("relationships-current")
    expect(current).to_contain_text("Ruth Owncase")
    expect(current).to_contain_text("Mother")
    expect(current).to_contain_text("Parental responsibility")
    page.check_accessibility()

    # An alert goes on; it is at the top of every page about her
    page.page.get_by_role("link", name="Details").click()
    page.page.get_by_role("link", name="Add an alert").click()
    page.page.get_by_label("What the alert is about").select_option("risk_to_staff")
    page.page.get_by_label("What staff need to know").fill("Do not visit alone")
    page.page.get_by_role("button", name="Save").click()
    expect(page.page.get_by_role("alert")).to_contain_text("Enter the date to review the alert by")
    page.check_accessibility()
    fill_date(page, "Review by", dt.date.today() + dt.timedelta(days=90))  # noqa: DTZ011
    page.page.get_by_role("button", name="Save").click()
    for tab in ("Summary", "Details", "Family and network", "Chronology"):
        page.page.get_by_role("navigation", name="About this person").get_by_role(
            "link", name=tab
        ).click()
        expect(page.page.get_by_role("region", name="Alerts about this person")).to_contain_text(
            "Do not visit alone"
        )
    page.page.get_by_role("navigation", name="About this person").get_by_role(
        "link", name="Family and network"
    ).click()
    page.page.get_by_test_id("relationships-current").get_by_role(
        "link", name="Ruth Owncase", exact=True
    ).click()
    page.page.get_by_role("navigation", name="About this person").get_by_role(
        "link", name="Family and network"
    ).click()
    # Olivia's sex is not recorded: the mother sees her as "Child"
    expect(page.page.get_by_test_id("relationships-current")).to_contain_text("Child")


def test_data_quality_runs_a_duplicate_scan_and_sees_progress_then_pairs(
    page: AccessiblePage, settings
):
    # The task worker's queue in the database, as in production: the page only asks for a scan
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = world_module.build()
    twin = factories.person("Olivia", "Ownkase", date_of_birth=world.own.date_of_birth)
    sign_in_as(page, world.admin)
    page.goto("/data-quality/duplicates")
    expect(page.page.get_by_test_id("scan-summary")).to_contain_text(
        "No duplicate scan has finished yet"
    )
    page.page.get_by_role("button", name="Run a new scan").click()
    progress = page.page.get_by_test_id("scan-progress")
    expect(progress).to_contain_text("Waiting for the task worker")
    expect(page.page.get_by_role("button", name="Run a new scan")).to_have_count(0)
    page.check_accessibility()
    scan = DuplicateScan.objects.get()
    assert DBTaskResult.objects.get().args_kwargs["args"] == [str(scan.pk)]

    # A worker takes the scan up, one group at a time, and holds after the first group until
    # the page has shown it: the bar moves without reloading the page
    seen_first_group = threading.Event()

    def hold_after_first(done: int, total: int) -> None:
        if done == 1:
            seen_first_group.wait(timeout=30)

    def work() -> None:
        try:
            duplicate_scan_run(scan_id=scan.pk, progress=hold_after_first, groups_at_once=1)
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        expect(page.page.get_by_test_id("scan-progress-count")).to_contain_text("1 of ")
        expect(page.page.get_by_label("Groups of similar records compared")).to_have_attribute(
            "value", "1"
        )
        page.check_accessibility()
    finally:
        seen_first_group.set()
        worker.join()
    # When it has finished the page shows its pairs, and who ran it
    report = page.page.get_by_test_id("duplicates")
    expect(report).to_contain_text(f"LA {twin.la_number}")
    expect(report).to_contain_text(f"LA {world.own.la_number}")
    expect(page.page.get_by_test_id("scan-summary")).to_contain_text(
        f"Scan started by {world.admin.display_name}"
    )
    expect(page.page.get_by_role("button", name="Run a new scan")).to_be_visible()
    page.check_accessibility()


def test_data_quality_merges_a_duplicate_and_undoes_it(page: AccessiblePage):
    world = world_module.build()
    twin = factories.person("Olivia", "Ownkase", date_of_birth=world.own.date_of_birth)
    call_command("duplicate_scan", stdout=io.StringIO())  # the nightly scan
    sign_in_as(page, world.admin)
    page.goto("/data-quality/duplicates")
    report = page.page.get_by_test_id("duplicates")
    expect(report).to_contain_text(f"LA {twin.la_number}")
    page.check_accessibility()
    page.page.get_by_role(
        "link", name=f"Compare LA {world.own.la_number} and {twin.la_number}"
    ).click()
    expect(page.page.get_by_test_id("merge-comparison")).to_contain_text("Ownkase")
    page.check_accessibility()
    page.page.get_by_label(f"LA {world.own.la_number} (Olivia Owncase)").check()
    page.page.get_by_label("Why these are the same person").fill("Typo by the duty desk")
    page.page.get_by_role("button", name="Merge the records").click()
    log = page.page.get_by_test_id("merge-log")
    expect(log).to_contain_text("Typo by the duty desk")
    page.check_accessibility()
    twin.refresh_from_db()
    assert twin.merged_into_id == world.own.pk
    page.page.get_by_role("link", name=f"Undo merge of LA {twin.la_number}").click()
    page.page.get_by_label("Reason").fill("They are twins")
    page.page.get_by_role("button", name="Undo the merge").click()
    expect(log).to_contain_text("They are twins")
    twin.refresh_from_db()
    assert twin.merged_into_id is None
