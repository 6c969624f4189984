"""A worker records one note for two siblings, corrects it, records a visit and sees the next
visit due; a note typed is kept through the idle sign-out, and one needing approval is
authorised by the manager."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kith.recording.models import CaseNote, NoteApproval, NoteDraft
from kith.work import services as work_services
from kith.work.models import WorkItem, WorkItemType
from tests.recording.helpers import family
from tests.system.conftest import AccessiblePage, sign_in_as
from tests.system.test_forms_journey import sign_in_again

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def fill_date(page: AccessiblePage, legend: str, day: dt.date) -> None:
    fieldset = page.page.get_by_role("group", name=legend)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def test_group_note_correction_and_a_visit_that_starts_the_next(page: AccessiblePage):
    f = family()
    today = timezone.localdate()
    due = work_services.work_item_create(
        actor=None,
        person=f.amy,
        item_type=WorkItemType.objects.get(code="cin-visit"),
        team=f.team,
        clock_start=today - dt.timedelta(days=15),
        worker=f.worker,
    )
    sign_in_as(page, f.worker)

    # one note for Amy and her brother
    page.goto(f"/people/{f.amy.pk}")
    page.page.get_by_role("navigation", name="About this person").get_by_role(
        "link", name="Notes"
    ).click()
    page.check_accessibility()
    page.page.get_by_role("link", name="Add a note").click()
    page.check_accessibility()
    page.page.get_by_role("button", name="Save note").click()
    expect(page.page.get_by_role("alert")).to_contain_text("Enter the note")
    page.check_accessibility()
    page.page.get_by_label("Type of note").select_option("home-visit")
    page.page.get_by_label("Note", exact=True).fill("Saw Amy and Ben at home; both well.")
    page.page.get_by_label("Ben Hollis").check()
    page.page.get_by_role("button", name="Save note").click()
    expect(page.page.get_by_text("Note added for Amy Hollis and 1 more.")).to_be_visible()
    expect(page.page.get_by_test_id("notes")).to_contain_text("Saw Amy and Ben at home")
    page.check_accessibility()

    # corrected once, for both of them
    page.page.get_by_role("link", name=f"Home visit note, {today:%-d %B %Y}").click()
    page.check_accessibility()
    expect(page.page.get_by_test_id("note-group")).to_contain_text("Ben Hollis")
    page.page.get_by_role("link", name="Correct this note").click()
    page.check_accessibility()
    page.page.get_by_label("Corrected note").fill("Saw Amy and Ben at their gran's; both well.")
    page.page.get_by_label("Why is the note being corrected").fill("Wrong address recorded")
    page.page.get_by_label("Who asked for the correction").fill("Their mother")
    page.page.get_by_role("button", name="Save correction").click()
    expect(page.page.get_by_text("Note corrected for all 2 people.")).to_be_visible()
    expect(page.page.get_by_test_id("note-text")).to_contain_text("at their gran's")
    expect(page.page.get_by_test_id("note-corrected")).to_contain_text("Corrected on")
    page.check_accessibility()
    assert CaseNote.objects.filter(kind="correction").count() == 2
    page.goto(f"/people/{f.ben.pk}/notes")
    expect(page.page.get_by_test_id("notes")).to_contain_text("at their gran's")

    # a visit recorded: the due visit is done and the next is due
    page.goto(f"/people/{f.amy.pk}/visits")
    page.page.get_by_role("link", name="Record a visit").click()
    page.check_accessibility()
    page.page.get_by_label("Type of visit").select_option("cin-visit")
    page.page.get_by_role("group", name="Were they seen", exact=True).get_by_label("Yes").check()
    page.page.get_by_role("group", name="Were they seen alone").get_by_label("Yes").check()
    page.page.get_by_role("group", name="Was their bedroom seen").get_by_label("Yes").check()
    page.page.get_by_label("Notes of the visit").fill("Amy showed me her drawings.")
    page.page.get_by_role("button", name="Save visit").click()
    expect(page.page.get_by_text("The next child in need visit is due by")).to_be_visible()
    expect(page.page.get_by_test_id("recorded-visits")).to_contain_text("Child in need visit")
    page.check_accessibility()
    due.refresh_from_db()
    assert due.status == WorkItem.Status.COMPLETED
    following = WorkItem.objects.get(previous=due)
    page.page.get_by_role("link", name="Work tab").click()
    items = page.page.get_by_test_id("person-work-items")
    expect(items).to_contain_text(f"{following.due_date:%-d %B %Y}")
    expect(items).to_contain_text("Completed")
    page.check_accessibility()


def test_a_note_draft_survives_the_idle_sign_out_and_the_manager_authorises_it(
    page: AccessiblePage, settings
):
    # given sessions that end after 12 seconds without a request
    settings.KITH_IDLE_TIMEOUT_SECONDS = 12
    settings.KITH_IDLE_WARNING_SECONDS = 4
    f = family()
    sign_in_as(page, f.worker)
    p = page.page
    text = "Amy is settled at school and sees her dad every Saturday."

    # the worker starts a case summary, a type a manager must authorise
    page.goto(f"/people/{f.amy.pk}/notes")
    p.get_by_role("link", name="Add a note").click()
    page.check_accessibility()
    with p.expect_response(lambda r: r.url.endswith("/notes/autosave") and r.ok):
        p.get_by_label("Type of note").select_option("case-summary")
    # typed key by key: saved a few seconds after the last key, without leaving the field
    with p.expect_response(lambda r: r.url.endswith("/notes/autosave") and r.ok):
        p.get_by_label("Note", exact=True).press_sequentially(text, delay=15)
    expect(p.get_by_test_id("note-autosaved")).to_contain_text("Draft saved at")
    expect(p).to_have_url(re.compile(r"/notes/drafts/[0-9a-f-]+$"))
    page.check_accessibility()
    draft = NoteDraft.objects.get(person=f.amy)
    assert draft.narrative == text
    assert not CaseNote.objects.exists()

    # called away: the session times out
    expect(p.get_by_test_id("idle-signed-out")).to_be_visible(timeout=30000)

    # they sign in again: the note is in their unfinished work, as typed
    sign_in_again(page, f.worker)
    page.goto("/my-work")
    p.get_by_test_id("unfinished-other").get_by_role(
        "link", name=re.compile("^Case summary")
    ).click()
    expect(p.get_by_label("Note", exact=True)).to_have_value(text)
    expect(p.get_by_label("Type of note")).to_have_value("case-summary")
    page.check_accessibility()
    # a reload finds it too
    p.reload()
    expect(p.get_by_label("Note", exact=True)).to_have_value(text)

    # they finish it: it goes to the manager
    p.get_by_role("button", name="Save note").click()
    expect(p.get_by_text("It is waiting for your manager's authorisation.")).to_be_visible()
    expect(p.get_by_test_id("notes")).to_contain_text("Awaiting authorisation")
    page.check_accessibility()
    assert not NoteDraft.objects.filter(closed_at__isnull=True).exists()
    p.get_by_role("button", name="Sign out").click()

    # the manager authorises it from the authorisation queue
    sign_in_as(page, f.manager)
    page.goto("/authorisations")
    p.get_by_test_id("authorisations").get_by_role("link", name="Note approval").click()
    page.check_accessibility()
    p.get_by_role("link", name=re.compile("^Open the note: Case summary")).click()
    expect(p.get_by_test_id("note-text")).to_contain_text(text)
    expect(p.get_by_test_id("note-approval")).to_contain_text("Awaiting authorisation")
    page.check_accessibility()
    p.get_by_role("link", name="Approve or return it").click()
    p.get_by_role("button", name="Authorise").click()
    expect(p.get_by_text("Authorised.")).to_be_visible()
    page.goto(f"/people/{f.amy.pk}/notes")
    expect(p.get_by_test_id("notes")).to_contain_text("Authorised")
    page.check_accessibility()
    approval = NoteApproval.objects.get()
    assert approval.status == "authorised"
    assert approval.decided_by == f.manager
