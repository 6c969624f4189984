"""A worker reads a child's chronology, narrows it down, and downloads it as a PDF."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kith.audit.models import Action, AuditEvent
from kith.people import services
from tests.access import world as world_module
from tests.system.conftest import AccessiblePage, sign_in_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_worker_filters_the_chronology_and_downloads_it(page: AccessiblePage):
    world = world_module.build()
    services.address_add(
        actor=None,
        person=world.own,
        line_1="1 Elm Road",
        town="Kithton",
        start_date=dt.date(2016, 3, 1),
    )
    services.alert_add(
        actor=None,
        person=world.own,
        kind="risk_to_staff",
        text="Dog at the property",
        review_date=timezone.localdate() + dt.timedelta(days=60),
    )
    sign_in_as(page, world.worker)

    # the chronology opens from the person's page, with every module's events
    page.goto(f"/people/{world.own.pk}")
    page.page.get_by_role("navigation", name="About this person").get_by_role(
        "link", name="Chronology"
    ).click()
    page.check_accessibility()
    events = page.page.get_by_test_id("chronology-events")
    expect(events).to_contain_text("Born")
    expect(events).to_contain_text("Address recorded")
    expect(events).to_contain_text("Alert added: Risk to staff")
    expect(events).to_contain_text("Safeguarding North started working with them")
    expect(page.page.get_by_role("link", name="Print this chronology")).to_be_visible()

    # filtered to the workers allocated, only their events remain
    page.page.get_by_role("group", name="Work").get_by_label("Allocated workers").check()
    page.page.get_by_role("button", name="Apply filters").click()
    expect(page.page.get_by_test_id("chronology-count")).to_contain_text("1 event")
    expect(events).to_contain_text(f"{world.worker.display_name} allocated")
    expect(events).not_to_contain_text("Born")
    expect(events).not_to_contain_text("Alert added")
    expect(page.page.get_by_label("Allocated workers")).to_be_checked()
    page.check_accessibility()

    # a date that is not real is explained, not ignored silently
    page.page.get_by_role("group", name="From date").get_by_label("Day").fill("31")
    page.page.get_by_role("group", name="From date").get_by_label("Month").fill("2")
    page.page.get_by_role("group", name="From date").get_by_label("Year").fill("2024")
    page.page.get_by_role("button", name="Apply filters").click()
    expect(page.page.get_by_role("alert")).to_contain_text("From date must be a real date")
    page.check_accessibility()
    page.page.get_by_role("group", name="From date").get_by_label("Day").fill("1")
    page.page.get_by_role("group", name="From date").get_by_label("Month").fill("1")
    page.page.get_by_role("button", name="Apply filters").click()
    expect(page.page.get_by_test_id("chronology-count")).to_contain_text("1 event")

    # the PDF keeps the filters and is named by LA number
    with page.page.expect_download() as download_info:
        page.page.get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"chronology-{world.own.la_number}.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    entry = AuditEvent.objects.get(action=Action.DOWNLOAD, person_id=world.own.pk)
    assert entry.object_type == "people.chronology"
    assert "work.allocation" in entry.search_terms
    assert "from 2024-01-01" in entry.search_terms
