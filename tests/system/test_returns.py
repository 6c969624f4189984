"""Issue #8: a performance officer opens Returns, builds Ofsted's Annex A for a date range, sees
it queued and building (the page polls), then downloads the workbook. The build runs as a
django-tasks task on the database, as in production: the test plays the task worker."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from kith.returns.models import ReturnRun
from tests import factories
from tests.children.cin_helpers import case, referral, working_days_ago
from tests.system.conftest import AccessiblePage, sign_in_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def fill_date(page: AccessiblePage, legend: str, day: dt.date) -> None:
    fieldset = page.page.get_by_role("group", name=legend)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def test_a_performance_officer_builds_and_downloads_annex_a(
    page: AccessiblePage, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.KITH_RETURNS_DIR = str(tmp_path)
    c = case()
    referral(c, on=working_days_ago(10))
    officer = factories.user("performance_officer")
    p = page.page
    sign_in_as(page, officer)

    p.get_by_role("link", name="Returns").click()
    expect(p.get_by_role("heading", name="Returns", exact=True)).to_be_visible()
    page.check_accessibility()
    p.get_by_label("Return").select_option(label="Ofsted Annex A")
    today = timezone.localdate()
    fill_date(page, "From", today - dt.timedelta(days=90))
    fill_date(page, "To", today)
    p.get_by_role("button", name="Build the return").click()

    # queued: the progress bar shows and the page polls for the worker
    expect(p.get_by_role("heading", name="Ofsted Annex A")).to_be_visible()
    status = p.get_by_test_id("run-status")
    expect(status).to_have_attribute("data-status", "queued")
    expect(p.get_by_label("Progress")).to_be_visible()
    page.check_accessibility()

    call_command("db_worker", "--batch", "--no-startup-delay")  # the task worker's turn

    expect(status).to_have_attribute("data-status", "finished", timeout=15_000)
    run = ReturnRun.objects.get()
    assert (run.status, run.done, run.total) == ("finished", 12, 12)
    link = p.get_by_role("link", name=run.files[0])
    expect(link).to_be_visible()
    page.check_accessibility()
    with p.expect_download() as download:
        link.click()
    saved = tmp_path / "downloaded.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    assert book["List 3"]["A2"].value == str(c.child.la_number)
    assert book["List 3"]["K2"].value == c.worker.get_full_name()

    # the list of builds shows it
    p.get_by_role("link", name="Returns", exact=True).first.click()
    expect(p.get_by_test_id("return-runs")).to_contain_text("Finished")
    page.check_accessibility()
