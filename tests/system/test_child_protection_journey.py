"""Issue #7, checked in the browser: a contact arrives at the front door and goes all the way to
the end of a child protection plan — contact, decision (due in one working day, late, so the
manager sees it overdue), referral, assessment, strategy discussion, section 47 enquiry, initial
conference (due 15 working days after the discussion), CP plan, first review (3 months), second
review (6 months on), at which the plan ends.

The clock is moved to each day of the story (``time_machine``), so every date is fixed and each
due date the pages show is checked against the working-day calendar (``kith.core.calendar``)
worked out here, not read back from the product. A worker and their manager each use their own
browser and sign in with their authenticator; every page is checked with axe."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from kith.core import calendar
from kith.people.models import Person
from kith.work.models import WorkItem
from tests import factories
from tests.system.conftest import AccessiblePage, fill_date, sign_in_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

LONDON = ZoneInfo("Europe/London")

CONTACT_DAY = dt.date(2026, 5, 14)  # a Thursday
LATE_DECISION_DAY = dt.date(2026, 5, 18)  # the Monday after: the decision was due on Friday
STRATEGY_DAY = dt.date(2026, 5, 19)  # 15 working days on crosses the Spring bank holiday
S47_END_DAY = dt.date(2026, 6, 4)
ICPC_DAY = dt.date(2026, 6, 8)
FIRST_REVIEW_DAY = dt.date(2026, 9, 3)
SECOND_REVIEW_DAY = dt.date(2027, 3, 2)


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def shown(day: dt.date) -> str:
    """A date as the pages show it (the ``date`` filter)."""
    return f"{day.day} {day:%B %Y}"


def tab(page: AccessiblePage, name: str, *, check: bool = True) -> None:
    """Open one of the child's tabs. ``check=False`` for a page axe has already checked in the
    same state (axe takes more than half of a journey's time)."""
    page.page.get_by_role("navigation", name="About this person").get_by_role(
        "link", name=name, exact=True
    ).click()
    if check:
        page.check_accessibility()
    else:
        page.page.wait_for_load_state("load")


def work_row(page: AccessiblePage, what: str, status: str = ""):
    rows = page.page.get_by_test_id("person-work-items").get_by_role("row").filter(has_text=what)
    return rows.filter(has_text=status) if status else rows


def dashboard(page: AccessiblePage, *, check: bool = True) -> None:
    page.page.get_by_role("link", name="Team dashboard", exact=True).click()
    expect(page.page.get_by_role("heading", level=1)).to_have_text("Front Door")
    if check:
        page.check_accessibility()


def test_contact_to_the_end_of_a_child_protection_plan(
    page: AccessiblePage, manager_page: AccessiblePage
):
    p, m = page.page, manager_page.page
    with time_machine.travel(at(CONTACT_DAY), tick=True) as clock:
        team = factories.team("Front Door")
        worker = factories.user("social_worker", in_team=team)
        manager = factories.user("team_manager", in_team=team)

        # --- Thursday: a call about Mia. The duty worker adds her and records the contact.
        sign_in_as(page, worker)
        page.goto("/people/new")
        p.get_by_label("Given name").fill("Mia")
        p.get_by_label("Family name").fill("Carter")
        fill_date(page, "Date of birth", dt.date(2016, 4, 2))
        p.get_by_label("Team working with them").select_option(label="Front Door")
        p.get_by_role("button", name="Continue").click()
        expect(p.get_by_role("heading", level=1)).to_contain_text("Mia Carter")
        child = Person.objects.get(family_name="Carter")
        tab(page, "Children's")
        p.get_by_role("link", name="Record a contact").click()
        page.check_accessibility()
        p.get_by_label("Team taking the contact").select_option(label="Front Door")
        p.get_by_label("Source of the contact (CIN referral source)").select_option("3A")
        p.get_by_label("Who got in touch").fill("Mrs Patel, class teacher")
        p.get_by_label("What the contact is about").fill(
            "Mia came to school hungry again and with a bruise on her arm."
        )
        p.get_by_label("Priority").select_option("amber")
        p.get_by_role("button", name="Save contact").click()
        expect(
            p.get_by_text("Contact recorded. A decision is due within one working day.")
        ).to_be_visible()
        expect(p.get_by_test_id("cin-contacts")).to_contain_text("Mrs Patel, class teacher")
        page.check_accessibility()

        # the decision is due one working day after the contact: Friday
        decision_due = calendar.add_working_days(CONTACT_DAY, 1)
        assert decision_due == dt.date(2026, 5, 15)
        tab(page, "Work")
        expect(work_row(page, "Contact screening decision")).to_contain_text(shown(decision_due))

        # the manager sees the unallocated contact decision and Mia on the team's dashboard
        sign_in_as(manager_page, manager)
        dashboard(manager_page)
        unallocated = m.get_by_test_id("unallocated-items")
        row = unallocated.get_by_role("row").filter(has_text="Contact screening decision")
        expect(row).to_contain_text("Mia Carter")
        expect(row).to_contain_text(shown(decision_due))
        expect(m.get_by_test_id("unallocated-people")).to_contain_text("Mia Carter")

        # and allocates both to the duty worker: they leave the unallocated lists
        m.get_by_role("link", name="Allocate Mia Carter").click()
        manager_page.check_accessibility()
        m.get_by_label("Worker", exact=True).select_option(label=worker.display_name)
        m.get_by_label("Reason").fill("Duty worker")
        m.get_by_role("button", name="Allocate").click()
        expect(m.get_by_text(f"Mia Carter is allocated to {worker.display_name}")).to_be_visible()
        dashboard(manager_page, check=False)
        m.get_by_role("link", name="Contact screening decision for Mia Carter").click()
        manager_page.check_accessibility()
        m.get_by_role("link", name="Allocate to a worker").click()
        manager_page.check_accessibility()
        m.get_by_label("Worker", exact=True).select_option(label=worker.display_name)
        m.get_by_label("Reason").fill("Duty worker")
        m.get_by_role("button", name="Allocate").click()
        expect(m.get_by_text(f"Allocated to {worker.display_name}.")).to_be_visible()
        dashboard(manager_page)
        expect(m.get_by_test_id("unallocated-items")).to_contain_text(
            "Every open work item has a worker."
        )
        expect(m.get_by_test_id("unallocated-people")).to_contain_text(
            "Everyone the team is working with has a worker."
        )

        # --- Monday: the decision was not made on Friday. The manager sees it overdue.
        clock.move_to(at(LATE_DECISION_DAY), tick=True)
        sign_in_as(manager_page, manager)
        dashboard(manager_page)
        overdue = m.get_by_test_id("overdue-items")
        row = overdue.get_by_role("row").filter(has_text="Contact screening decision")
        expect(row).to_contain_text(worker.display_name)
        expect(row).to_contain_text(shown(decision_due))
        late_by = calendar.working_days_between(decision_due, LATE_DECISION_DAY)
        assert late_by == 1
        expect(row.get_by_role("cell").last).to_have_text(str(late_by))

        # the worker decides: a referral. The assessment is due in 45 working days.
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/children")
        page.check_accessibility()
        p.get_by_test_id("cin-contacts").get_by_role("link", name="Decide").click()
        page.check_accessibility()
        p.get_by_label("Decision", exact=True).select_option("referral")
        fill_date(page, "Date of the decision", LATE_DECISION_DAY)
        p.get_by_label("Reasons").fill("Injury and neglect concerns: needs a referral.")
        p.get_by_label("Primary need (for a referral)").select_option("N1")
        p.get_by_role("button", name="Save decision").click()
        expect(p.get_by_text("Decision recorded.")).to_be_visible()
        expect(p.get_by_test_id("cin-contacts")).to_contain_text(shown(LATE_DECISION_DAY))
        expect(p.get_by_test_id("cin-episode")).to_contain_text(
            f"Referral {shown(LATE_DECISION_DAY)}, open"
        )
        page.check_accessibility()
        # the manager's overdue list clears
        dashboard(manager_page, check=False)
        expect(m.get_by_test_id("overdue-items")).to_contain_text("Nothing is overdue.")

        # the worker starts the assessment the same day, having seen Mia
        p.get_by_role("link", name="Start an assessment").click()
        page.check_accessibility()
        fill_date(page, "Date the assessment started", LATE_DECISION_DAY)
        fill_date(page, "Date the child was seen", LATE_DECISION_DAY)
        p.get_by_role("button", name="Start assessment").click()
        expect(p.get_by_text("Assessment started.")).to_be_visible()
        assessment_due = calendar.add_working_days(LATE_DECISION_DAY, 45)
        tab(page, "Work", check=False)
        expect(work_row(page, "Contact screening decision")).to_contain_text("Completed")
        expect(work_row(page, "Child and family assessment")).to_contain_text(shown(assessment_due))

        # --- Tuesday: a strategy discussion decides on a section 47 enquiry
        clock.move_to(at(STRATEGY_DAY), tick=True)
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/children")
        page.check_accessibility()
        p.get_by_role("link", name="Record a strategy discussion").click()
        page.check_accessibility()
        fill_date(page, "Date of the discussion", STRATEGY_DAY)
        p.get_by_label("Who took part, and for which agencies").fill(
            "Police (DC Hart), school (Mrs Patel), health visitor, social worker"
        )
        p.get_by_role("group", name="Start a section 47 enquiry").get_by_label("Yes").check()
        p.get_by_role("button", name="Save discussion").click()
        expect(p.get_by_text("Strategy discussion recorded.")).to_be_visible()
        p.get_by_role("link", name="Start a section 47 enquiry").click()
        page.check_accessibility()
        fill_date(page, "Date the enquiry started", STRATEGY_DAY)
        p.get_by_label("Strategy discussion").select_option(label=shown_long(STRATEGY_DAY))
        p.get_by_role("button", name="Start enquiry").click()
        expect(
            p.get_by_text("The initial conference is due 15 working days after the strategy")
        ).to_be_visible()

        # the conference is due 15 working days after the discussion; the Spring bank
        # holiday (25 May) does not count, so counting weekdays alone would be a day early
        icpc_due = calendar.add_working_days(STRATEGY_DAY, 15)
        assert icpc_due == dt.date(2026, 6, 10)
        assert calendar.is_bank_holiday(dt.date(2026, 5, 25))
        s47 = p.get_by_test_id("cin-s47")
        expect(s47.get_by_role("definition").first).to_have_text(shown(icpc_due))
        page.check_accessibility()
        tab(page, "Work", check=False)
        expect(work_row(page, "Initial child protection conference")).to_contain_text(
            shown(icpc_due)
        )
        expect(work_row(page, "Section 47 enquiry")).to_contain_text(shown(icpc_due))
        # and they are on the worker's own list, soonest first after the assessment
        p.get_by_role("link", name="My work").first.click()
        page.check_accessibility()
        mine = p.get_by_test_id("my-work-items")
        expect(
            mine.get_by_role("row").filter(has_text="Initial child protection conference")
        ).to_contain_text(shown(icpc_due))

        # --- 4 June: the enquiry ends; a conference is needed. It waits for the manager.
        clock.move_to(at(S47_END_DAY), tick=True)
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/children")
        p.get_by_role("link", name="End the enquiry").click()
        page.check_accessibility()
        fill_date(page, "Date the enquiry ended", S47_END_DAY)
        p.get_by_label("Outcome").select_option("icpc")
        p.get_by_role("group", name="Is an initial conference needed").get_by_label("Yes").check()
        p.get_by_role("button", name="Save").click()
        expect(p.get_by_text("Section 47 enquiry ended.")).to_be_visible()
        expect(p.get_by_test_id("cin-s47")).to_contain_text(shown(S47_END_DAY))
        # and the assessment is finished the same day
        p.get_by_role("link", name="Update the assessment").click()
        page.check_accessibility()
        fill_date(page, "Authorisation date", S47_END_DAY)
        p.get_by_label("2A", exact=True).check()
        p.get_by_label("3A", exact=True).check()
        p.get_by_label("Outcome").select_option("cin-plan")
        p.get_by_role("button", name="Save assessment").click()
        expect(p.get_by_text("Assessment saved.")).to_be_visible()
        expect(p.get_by_test_id("cin-assessment")).to_contain_text("2A, 3A")

        # both steps wait for the manager, who signs them off from the dashboard
        sign_in_as(manager_page, manager)
        dashboard(manager_page)
        waiting = m.get_by_test_id("awaiting-authorisation")
        expect(waiting).to_contain_text("2 work items are waiting for a manager's authorisation")
        for step in ("Section 47 enquiry", "Child and family assessment"):
            m.get_by_test_id("awaiting-authorisation").get_by_role("link").click()
            manager_page.check_accessibility()
            queue = m.get_by_test_id("authorisations")
            row = queue.get_by_role("row").filter(has_text=step)
            expect(row).to_contain_text("Mia Carter")
            expect(row).to_contain_text(worker.display_name)
            row.get_by_role("link", name=step).click()
            manager_page.check_accessibility()
            m.get_by_role("button", name="Authorise").click()
            expect(m.get_by_text("Authorised.")).to_be_visible()
            dashboard(manager_page, check=False)
        expect(m.get_by_test_id("awaiting-authorisation")).to_contain_text(
            "Nothing in Front Door is waiting for authorisation."
        )

        # --- 8 June: the initial conference, before its target, decides on a plan (neglect)
        clock.move_to(at(ICPC_DAY), tick=True)
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/children")
        p.get_by_role("link", name="Record an initial conference").click()
        page.check_accessibility()
        fill_date(page, "Date of the conference", ICPC_DAY)
        p.get_by_label("Section 47 enquiry it follows").select_option(
            label=f"Started {shown_long(STRATEGY_DAY)}"
        )
        p.get_by_role("group", name="Child protection plan").get_by_label("Yes").check()
        p.get_by_label("Category of abuse").select_option("NEG")
        p.get_by_role("button", name="Save conference").click()
        expect(p.get_by_text("Conference recorded.")).to_be_visible()
        status = p.get_by_test_id("cin-status")
        expect(status).to_contain_text("Child protection plan (NEG)")
        expect(status).to_contain_text(f"since {shown(ICPC_DAY)}")
        page.check_accessibility()

        # the first review is due 3 months after the conference; the first core group and
        # visit 10 working days after it
        first_review_due = calendar.add_calendar_period(ICPC_DAY, 3, "months")
        core_group_due = calendar.add_working_days(ICPC_DAY, 10)
        assert first_review_due == dt.date(2026, 9, 8)
        expect(status).to_contain_text(f"Next review due {shown(first_review_due)}")
        tab(page, "Work")
        expect(work_row(page, "Initial child protection conference")).to_contain_text("Completed")
        expect(work_row(page, "Child protection review conference")).to_contain_text(
            shown(first_review_due)
        )
        expect(work_row(page, "Core group meeting")).to_contain_text(shown(core_group_due))
        expect(work_row(page, "Child protection visit")).to_contain_text(shown(core_group_due))
        # the child's summary shows the plan and what is due next
        page.goto(f"/people/{child.pk}")
        summary = p.get_by_test_id("summary-cin-status")
        expect(summary).to_contain_text(f"Child protection plan (NEG) since {shown(ICPC_DAY)}")
        expect(summary).to_contain_text(f"Next review due{shown(first_review_due)}")
        expect(summary).to_contain_text(f"Next core group due{shown(core_group_due)}")
        expect(summary).to_contain_text(worker.display_name)

        # --- 3 September: the first review conference; the plan continues
        clock.move_to(at(FIRST_REVIEW_DAY), tick=True)
        sign_in_as(page, worker)
        p.get_by_role("link", name="My work").first.click()
        row = p.get_by_test_id("my-work-items").get_by_role("row")
        expect(row.filter(has_text="Child protection review conference")).to_contain_text(
            shown(first_review_due)
        )
        page.goto(f"/people/{child.pk}/children")
        record_review(page, FIRST_REVIEW_DAY, continues=True)
        next_review_due = calendar.add_calendar_period(FIRST_REVIEW_DAY, 6, "months")
        assert next_review_due == dt.date(2027, 3, 3)
        expect(p.get_by_test_id("cin-cp-plan")).to_contain_text(shown(FIRST_REVIEW_DAY))
        expect(p.get_by_test_id("cin-status")).to_contain_text(
            f"Next review due {shown(next_review_due)}"
        )
        tab(page, "Work", check=False)
        expect(
            work_row(page, "Child protection review conference", shown(first_review_due))
        ).to_contain_text("Completed")
        expect(
            work_row(page, "Child protection review conference", shown(next_review_due))
        ).to_contain_text("Not started")

        # --- 2 March 2027: the second review decides the plan can end
        clock.move_to(at(SECOND_REVIEW_DAY), tick=True)
        # the plan's visits and core groups were not recorded here: the manager sees the
        # first of each overdue since 10 working days after the conference
        sign_in_as(manager_page, manager)
        dashboard(manager_page, check=False)
        overdue = m.get_by_test_id("overdue-items")
        for what in ("Child protection visit", "Core group meeting"):
            row = overdue.get_by_role("row").filter(has_text=what)
            expect(row).to_contain_text(shown(core_group_due))
            expect(row.get_by_role("cell").last).to_have_text(
                str(calendar.working_days_between(core_group_due, SECOND_REVIEW_DAY))
            )
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/children")
        record_review(page, SECOND_REVIEW_DAY, continues=False)
        status = p.get_by_test_id("cin-status")
        expect(status).to_contain_text("Child in need")
        expect(status).not_to_contain_text("Child protection plan")
        expect(status).not_to_contain_text("Next review due")
        expect(
            p.get_by_role(
                "heading",
                name=f"Child protection plan from {shown(ICPC_DAY)} to {shown(SECOND_REVIEW_DAY)}",
            )
        ).to_be_visible()
        # what the plan needed stops being due: nothing about it is open any more
        tab(page, "Work")
        expect(
            work_row(page, "Child protection review conference", shown(next_review_due))
        ).to_contain_text("Completed")
        for what in ("Core group meeting", "Child protection visit"):
            expect(work_row(page, what, "Cancelled").first).to_be_visible()
        open_plan_items = WorkItem.objects.filter(
            person=child,
            item_type__code__in=["cp-review", "core-group", "cp-visit"],
            status__in=WorkItem.OPEN,
        )
        assert not open_plan_items.exists()
        page.goto(f"/people/{child.pk}")
        summary = p.get_by_test_id("summary-cin-status")
        expect(summary).to_contain_text("Child in need")
        expect(summary).not_to_contain_text("Next review due")
        # and the manager's dashboard no longer lists the plan's visits as overdue
        dashboard(manager_page, check=False)
        overdue = m.get_by_test_id("overdue-items")
        expect(overdue).not_to_contain_text("Child protection visit")
        expect(overdue).not_to_contain_text("Core group meeting")

        # the chronology has every statutory event of the journey
        tab(page, "Chronology")
        events = p.get_by_test_id("chronology-events")
        for text in (
            "Contact from Mrs Patel, class teacher",
            "Contact decision: Progress to a referral",
            "Referral (need N1)",
            "Child and family assessment started",
            "Strategy discussion: section 47 enquiry",
            "Section 47 enquiry started",
            "Section 47 enquiry ended: Initial child protection conference",
            "Initial child protection conference: child protection plan",
            "Child protection plan started (NEG)",
            "Child protection review: plan continues",
            "Child protection review: plan ends",
            "Child protection plan ended",
        ):
            expect(events).to_contain_text(text)
        # newest first: one event of each day of the story, the last day at the top
        text = events.inner_text()
        by_day = [
            text.index(event)
            for event in (
                "Child protection plan ended",
                "Child protection review: plan continues",
                "Initial child protection conference: child protection plan",
                "Section 47 enquiry ended",
                "Strategy discussion: section 47 enquiry",
                "Contact decision: Progress to a referral",
                "Contact from Mrs Patel",
            )
        ]
        assert by_day == sorted(by_day), by_day


def shown_long(day: dt.date) -> str:
    """A date as the forms' choices name it (``%d %B %Y``)."""
    return f"{day:%d %B %Y}"


def record_review(page: AccessiblePage, day: dt.date, *, continues: bool) -> None:
    p = page.page
    p.get_by_role("link", name="Record a review").click()
    page.check_accessibility()
    fill_date(page, "Date of the review", day)
    answer = "Yes" if continues else "No"
    p.get_by_role("group", name="Does the plan continue").get_by_label(answer).check()
    p.get_by_role("group", name="Was the conference quorate").get_by_label("Yes").check()
    p.get_by_label("Child's participation").select_option("attended-spoke")
    p.get_by_role("button", name="Save review").click()
    expect(p.get_by_text("Review recorded.")).to_be_visible()
    page.check_accessibility()
