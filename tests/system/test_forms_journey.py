"""Issue #6: a form never loses a social worker's work.

A social worker starts a child and family assessment, types, is signed out for being idle,
signs in again and finds every answer there; completes it and sends it for approval; the
manager approves it; the PDF has the answers."""

import io
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect
from pypdf import PdfReader

from kith.audit.models import Action, AuditEvent
from kith.eforms.models import FormSubmission
from tests import factories
from tests.access import world as world_module
from tests.system.conftest import AccessiblePage, sign_in_as, sign_in_with_password

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def sign_in_again(page: AccessiblePage, user) -> None:
    """Sign in a second time within seconds: the authenticator's code must be one not used yet
    (a code is refused twice), so take the next step's if this step's was used."""
    device = factories.totp_device(user)
    current = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    offset = max(0, device.last_t + 1 - current)
    sign_in_with_password(page, user, factories.PASSWORD)
    page.page.get_by_label("Security code").fill(factories.totp_code(device, offset))
    page.page.get_by_role("button", name="Sign in").click()
    expect(page.page.get_by_role("heading", name="Welcome, Test")).to_be_visible()


def autosaved(page: AccessiblePage, action) -> None:
    """Do something on the form, leave the field, and wait for the server to save it."""
    with page.page.expect_response(lambda r: r.url.endswith("/autosave") and r.ok):
        action()
        page.page.keyboard.press("Tab")


def test_a_draft_survives_the_idle_timeout_then_is_approved_and_printed(
    page: AccessiblePage, settings
):
    # given sessions that end after 12 seconds without a request
    settings.KITH_IDLE_TIMEOUT_SECONDS = 12
    settings.KITH_IDLE_WARNING_SECONDS = 4
    world = world_module.build()
    sign_in_as(page, world.worker)
    p = page.page

    # the worker starts the assessment from the child's Forms tab
    page.goto(f"/people/{world.own.pk}/forms")
    p.get_by_role("link", name="Start a form").click()
    page.check_accessibility()
    p.get_by_label("Child and family assessment").check()
    p.get_by_role("button", name="Start the form").click()
    expect(p.get_by_role("heading", name="Child and family assessment")).to_be_visible()
    page.check_accessibility()

    # what Kith knows is filled in and marked
    expect(p.get_by_label("Child's name")).to_have_value(world.own.full_name)
    expect(p.locator(".kith-question--prefilled").first).to_contain_text("Pre-filled")

    # they type; each answer is saved as they go
    seen = p.get_by_role("group", name="Date the child was seen")
    autosaved(page, lambda: seen.get_by_label("Day").fill("3"))
    seen.get_by_label("Month").fill("11")
    autosaved(page, lambda: seen.get_by_label("Year").fill("2026"))
    alone = p.get_by_role("group", name="Was the child seen alone?")
    reason = p.get_by_label("Why was the child not seen alone?")
    expect(reason).to_be_hidden()
    autosaved(page, lambda: alone.get_by_label("No").check())
    expect(reason).to_be_visible()  # asked only now
    autosaved(page, lambda: reason.fill("Her mother would not leave the room"))
    views = p.get_by_label("What the child said about their life and what they want to happen")
    # typed key by key: saved a few seconds after the last key, without leaving the field
    with p.expect_response(lambda r: r.url.endswith("/autosave") and r.ok):
        views.press_sequentially("She likes her school and her cat", delay=20)
    expect(p.get_by_test_id("autosaved")).to_contain_text("Draft saved at")

    # a person in the household (a repeating group: the page adds a row)
    p.get_by_role("button", name="Add a person").click()
    row = p.get_by_test_id("row-household_members-0")
    autosaved(page, lambda: row.get_by_label("Name").fill("Maria Owncase"))
    autosaved(page, lambda: row.get_by_label("Parent", exact=True).check())
    autosaved(page, lambda: p.get_by_label("The child's health and development").fill("Well"))
    page.check_accessibility()

    # then they are called away: the session times out
    expect(p.get_by_test_id("idle-signed-out")).to_be_visible(timeout=30000)
    draft = FormSubmission.objects.get(person=world.own)
    assert draft.status == "draft"

    # they sign in again: the form is in their unfinished work, every answer there
    sign_in_again(page, world.worker)
    page.goto("/my-work")
    p.get_by_test_id("unfinished-forms").get_by_role(
        "link", name="Child and family assessment"
    ).click()
    page.check_accessibility()
    seen = p.get_by_role("group", name="Date the child was seen")
    expect(seen.get_by_label("Day")).to_have_value("3")
    expect(seen.get_by_label("Month")).to_have_value("11")
    expect(seen.get_by_label("Year")).to_have_value("2026")
    expect(
        p.get_by_role("group", name="Was the child seen alone?").get_by_label("No")
    ).to_be_checked()
    expect(p.get_by_label("Why was the child not seen alone?")).to_have_value(
        "Her mother would not leave the room"
    )
    expect(
        p.get_by_label("What the child said about their life and what they want to happen")
    ).to_have_value("She likes her school and her cat")
    row = p.get_by_test_id("row-household_members-0")
    expect(row.get_by_label("Name")).to_have_value("Maria Owncase")
    expect(row.get_by_label("Parent", exact=True)).to_be_checked()
    expect(p.get_by_label("The child's health and development")).to_have_value("Well")

    # sending too early: the server says what is missing
    p.get_by_role("button", name="Send for approval").click()
    summary = p.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter parenting capacity")
    page.check_accessibility()

    # they complete it and send it for approval
    p.get_by_label("Parenting capacity").fill("Mother meets her needs with support")
    p.get_by_role("group", name="Are there concerns that the child is suffering").get_by_label(
        "No"
    ).check()
    p.locator('input[name="q-factors"][value="21"]').check()
    p.get_by_label("Analysis of needs and risks").fill("Needs met; no factors identified")
    p.get_by_role("group", name="Outcome of the assessment").get_by_label(
        "Child in need plan"
    ).check()
    p.get_by_label("What happens next, by whom and by when").fill("CIN meeting in 10 days")
    done = p.get_by_role("group", name="Date the assessment was completed")
    done.get_by_label("Day").fill("20")
    done.get_by_label("Month").fill("11")
    done.get_by_label("Year").fill("2026")
    p.get_by_role("group", name="Have the family been told the outcome?").get_by_label(
        "Yes"
    ).check()
    p.get_by_role("button", name="Send for approval").click()
    expect(p.get_by_text("Sent to your manager for approval.")).to_be_visible()
    expect(p.get_by_text("Waiting for approval").first).to_be_visible()
    page.check_accessibility()
    p.get_by_role("button", name="Sign out").click()

    # the manager approves it from the authorisation queue
    sign_in_as(page, world.manager)
    page.goto("/authorisations")
    p.get_by_test_id("authorisations").get_by_role(
        "link", name="Child and family assessment"
    ).click()
    page.check_accessibility()
    p.get_by_role("link", name="Open the form: Child and family assessment").click()
    expect(p.get_by_text("She likes her school and her cat")).to_be_visible()
    page.check_accessibility()
    p.get_by_role("link", name="Approve or return it").click()
    p.get_by_role("button", name="Authorise").click()
    expect(p.get_by_text("Authorised.")).to_be_visible()
    p.get_by_role("link", name="Open the form: Child and family assessment").click()
    expect(p.get_by_text("Approved", exact=True).first).to_be_visible()
    expect(p.get_by_test_id("approval-details")).to_contain_text(world.manager.display_name)
    page.check_accessibility()

    # the PDF has the answers and the approval, and the download is on the record
    with p.expect_download() as download_info:
        p.get_by_role("link", name="Download as PDF").click()
    content = Path(download_info.value.path()).read_bytes()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for answer in (
        world.own.full_name,
        "3 November 2026",
        "Her mother would not leave the room",
        "She likes her school and her cat",
        "Maria Owncase",
        "Mother meets her needs with support",
        "Child in need plan",
        "Approved by",
        world.manager.display_name,
    ):
        assert answer in text, answer
    submission = FormSubmission.objects.get(person=world.own)
    assert submission.status == "approved"
    assert AuditEvent.objects.filter(
        action=Action.DOWNLOAD, object_id=str(submission.pk), actor=world.manager
    ).exists()


def test_an_administrator_changes_a_form_and_publishes_a_new_version(page: AccessiblePage):
    world = world_module.build()
    sign_in_as(page, world.admin)
    p = page.page
    page.goto("/administration/forms")
    p.get_by_role("link", name="Care Act needs assessment").click()
    page.check_accessibility()
    p.get_by_role("link", name="Version 1").click()
    expect(p.get_by_test_id("json-preview")).to_contain_text('"code": "care-act-needs-assessment"')
    page.check_accessibility()
    p.go_back()
    p.get_by_role("button", name="Make a new draft version").click()
    expect(p.get_by_role("heading", name="Version 2")).to_be_visible()
    page.check_accessibility()
    p.get_by_label("Section title").fill("Review")
    p.get_by_role("button", name="Add the section").click()
    expect(p.get_by_text("Section “Review” added.")).to_be_visible()
    p.get_by_text("Add a question to Review").click()
    p.get_by_label("Question", exact=True).last.fill("When should this be reviewed?")
    p.get_by_label("Key", exact=True).last.fill("review_date")
    p.get_by_label("Type of answer").last.select_option("date")
    p.get_by_role("button", name="Add the question").last.click()
    expect(p.get_by_text("Question “When should this be reviewed?” added.")).to_be_visible()
    page.check_accessibility()
    p.get_by_role("button", name="Publish version 2").click()
    expect(p.get_by_text("Version 2 is published.")).to_be_visible()
    expect(p.get_by_test_id("form-versions")).to_contain_text("Replaced by a later version")
    page.check_accessibility()
