"""Issue #7, checked in the browser: a child becomes looked after on an interim care order, is
visited, moves to another foster carer, has their first review, comes under a full care order
and leaves care under a child arrangements order; and another child's adoption journey is
recorded stage by stage (the decision, then the placement order on a later visit).

At each step the SSDA903 episode rows the Looked after tab shows are checked against what the
return expects (RNE S, then P for a new carer, then L for a new legal status, the episode before
each closing X1 the same day, with the reason for a placement change), and each due date against
the timescales worked out here with the working-day calendar: the first review 20 working days
after the child became looked after, the Reg 28 visit within a week of each placement, the next
review 3 months after the first. The summary panel and the chronology follow each step, and when
the child leaves care what was still due is cancelled, so the manager's overdue list clears.

The clock is moved to each day of the story (``time_machine``); the worker and the manager each
use their own browser and sign in with their authenticator; every page is checked with axe."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from kith.children import services_cla
from kith.core import calendar
from kith.work.models import WorkItem
from tests import factories
from tests.children.cla_helpers import foster, verified
from tests.system.conftest import AccessiblePage, fill_date, sign_in_as

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

LONDON = ZoneInfo("Europe/London")

START_DAY = dt.date(2026, 6, 1)  # a Monday: an interim care order (C1), foster care
VISIT_DAY = dt.date(2026, 6, 5)  # the Reg 28 visit, within the week
MOVE_DAY = dt.date(2026, 6, 15)  # to another foster carer
REVIEW_DAY = dt.date(2026, 6, 25)  # the first review, before its due date
CARE_ORDER_DAY = dt.date(2026, 7, 1)  # a full care order (C2)
LEAVES_CARE_DAY = dt.date(2026, 7, 17)  # a child arrangements order (E41)

FIRST_CARER = {"urn": "SC123456", "provider": "PR1", "name": "Kithshire Fostering"}
SECOND_CARER = {"urn": "SC654321", "provider": "PR4", "name": "Bright Futures Fostering"}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON)


def shown(day: dt.date | None) -> str:
    """A date as the pages show it (the ``date`` filter); blank for none."""
    return f"{day.day} {day:%B %Y}" if day else ""


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


def table_rows(page: AccessiblePage, testid: str) -> list[list[str]]:
    rows = page.page.get_by_test_id(testid).locator("tbody tr")
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]


def episode(
    start: dt.date,
    rne: str,
    ls: str,
    carer: dict,
    end: dt.date | None = None,
    rec: str = "",
    reason: str = "",
) -> list[str]:
    """One SSDA903 episode row as the Looked after tab shows it (CIN N1, foster care U4)."""
    return [
        shown(start), rne, ls, "N1", "U4", carer["provider"], shown(end), rec, reason,
        carer["urn"],
    ]  # fmt: skip


def status_row(page: AccessiblePage, key: str):
    return page.page.get_by_test_id("cla-status").get_by_role("definition").nth(
        ["Looked after since", "Legal status", "Placement", "Next review due",
         "Next statutory visit due", "Health assessment due"].index(key)
    )  # fmt: skip


def fill_placement(page: AccessiblePage, carer: dict, who: str, postcode: str) -> None:
    p = page.page
    p.get_by_label("Placement type").select_option("U4")
    p.get_by_label("Placement provider").select_option(carer["provider"])
    p.get_by_label("Provider's name").fill(carer["name"])
    p.get_by_label("Carer", exact=True).fill(who)
    p.get_by_label("Ofsted URN").fill(carer["urn"])
    p.get_by_label("Placement postcode").fill(postcode)
    p.get_by_label("Home postcode").fill("AB3 4EF")


def open_items(child, code: str) -> list[WorkItem]:
    return list(
        WorkItem.objects.filter(person=child, item_type__code=code, status__in=WorkItem.OPEN)
    )


def visit(page: AccessiblePage, path: str, check: bool) -> None:
    if check:
        page.goto(path)
    else:
        page.page.goto(page.base_url + path)


def check_summary(page: AccessiblePage, child, *expected: str, check: bool = False) -> None:
    visit(page, f"/people/{child.pk}", check)
    summary = page.page.get_by_test_id("summary-looked-after")
    for text in expected:
        expect(summary).to_contain_text(text)


def check_chronology(page: AccessiblePage, child, *expected: str, check: bool = False) -> None:
    visit(page, f"/people/{child.pk}/chronology", check)
    events = page.page.get_by_test_id("chronology-events")
    for text in expected:
        expect(events).to_contain_text(text)


def test_a_child_becomes_looked_after_moves_changes_legal_status_and_leaves_care(
    page: AccessiblePage, manager_page: AccessiblePage
):
    p, m = page.page, manager_page.page
    with time_machine.travel(at(START_DAY), tick=True) as clock:
        team = factories.team("Children in Care")
        worker = factories.user("social_worker", in_team=team)
        manager = factories.user("team_manager", in_team=team)
        child = factories.person("Casey", "Moss", date_of_birth=dt.date(2015, 3, 9))
        factories.involve(child, team)
        factories.allocate(child, worker, team)

        # --- 1 June: the court makes an interim care order; Casey goes to foster carers
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}")
        tab(page, "Looked after")
        expect(p.get_by_text("Not looked after now.")).to_be_visible()
        p.get_by_role("link", name="Start a period of care").click()
        page.check_accessibility()
        fill_date(page, "Date the child started to be looked after", START_DAY)
        p.get_by_label("Legal status").select_option("C1")
        p.get_by_label("Category of need").select_option("N1")
        fill_placement(page, FIRST_CARER, "Mr and Mrs Lee", "AB1 2CD")
        p.get_by_role("button", name="Start the period of care").click()
        expect(
            p.get_by_text("The child is looked after. The first review, visit and health")
        ).to_be_visible()
        page.check_accessibility()

        # the first review is due 20 working days on, the Reg 28 visit within a week
        first_review_due = calendar.add_working_days(START_DAY, 20)
        first_visit_due = calendar.add_calendar_period(START_DAY, 1, "weeks")
        health_due = calendar.add_working_days(START_DAY, 20)
        assert (first_review_due, first_visit_due) == (dt.date(2026, 6, 29), dt.date(2026, 6, 8))
        expect(status_row(page, "Looked after since")).to_have_text(shown(START_DAY))
        expect(status_row(page, "Next review due")).to_have_text(shown(first_review_due))
        expect(status_row(page, "Next statutory visit due")).to_contain_text(shown(first_visit_due))
        expect(status_row(page, "Health assessment due")).to_have_text(shown(health_due))
        assert table_rows(page, "cla-episodes") == [episode(START_DAY, "S", "C1", FIRST_CARER)]
        tab(page, "Work")
        items = p.get_by_test_id("person-work-items")
        expect(
            items.get_by_role("row").filter(has_text="Looked-after child review")
        ).to_contain_text(shown(first_review_due))
        expect(
            items.get_by_role("row").filter(has_text="Looked-after child statutory visit")
        ).to_contain_text(shown(first_visit_due))
        check_summary(
            page,
            child,
            f"Looked after since{shown(START_DAY)}",
            f"(from {shown(START_DAY)})",
            f"Next review due{shown(first_review_due)}",
            f"Next statutory visit due{shown(first_visit_due)}",
            check=True,
        )
        check_chronology(page, child, "Started to be looked after", "Legal status C1", check=True)

        # the manager's dashboard counts the three new steps on the worker's caseload
        sign_in_as(manager_page, manager)
        m.get_by_role("link", name="Team dashboard", exact=True).click()
        manager_page.check_accessibility()
        caseload = (
            m.get_by_test_id("caseloads").get_by_role("row").filter(has_text=worker.display_name)
        )
        expect(caseload.get_by_role("cell").nth(0)).to_have_text("1")
        expect(caseload.get_by_role("cell").nth(1)).to_have_text("3")

        # --- 5 June: the Reg 28 visit; the next is due 6 weeks on
        clock.move_to(at(VISIT_DAY), tick=True)
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/looked-after")
        p.get_by_role("link", name="record a visit").click()
        page.check_accessibility()
        p.get_by_label("Type of visit").select_option("cla-visit")
        fill_date(page, "Date of the visit", VISIT_DAY)
        p.get_by_role("group", name="Were they seen", exact=True).get_by_label("Yes").check()
        p.get_by_role("group", name="Were they seen alone").get_by_label("Yes").check()
        p.get_by_role("group", name="Was their bedroom seen").get_by_label("Yes").check()
        p.get_by_label("Notes of the visit").fill("Casey is settling in; showed me her room.")
        p.get_by_role("button", name="Save visit").click()
        second_visit_due = calendar.add_calendar_period(VISIT_DAY, 6, "weeks")
        expect(
            p.get_by_text(
                f"The next looked-after child statutory visit is due by {shown(second_visit_due)}"
            )
        ).to_be_visible()
        page.goto(f"/people/{child.pk}/looked-after")
        expect(status_row(page, "Next statutory visit due")).to_contain_text(
            shown(second_visit_due)
        )

        # --- 15 June: the care plan changes (CARPL): Casey moves to a foster carer near school
        clock.move_to(at(MOVE_DAY), tick=True)
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/looked-after")
        p.get_by_role("link", name="Placement move").click()
        page.check_accessibility()
        fill_date(page, "Date of the move", MOVE_DAY)
        p.get_by_role("group", name="Is the child staying with the same carer?").get_by_label(
            "No"
        ).check()
        fill_placement(page, SECOND_CARER, "Ms Okafor", "AB5 6GH")
        p.get_by_role("button", name="Save the move").click()
        # without the reason for the change, SSDA903 rule 225 stops it
        expect(p.get_by_role("alert")).to_contain_text("225")
        page.check_accessibility()
        p.get_by_label("Reason for the placement change").select_option("CARPL")
        p.get_by_role("button", name="Save the move").click()
        expect(
            p.get_by_text("Placement changed. A statutory visit is due within a week.")
        ).to_be_visible()
        page.check_accessibility()
        # the first episode closes X1 that day with the reason; a new one starts, RNE P
        assert table_rows(page, "cla-episodes") == [
            episode(START_DAY, "S", "C1", FIRST_CARER, MOVE_DAY, "X1", "CARPL"),
            episode(MOVE_DAY, "P", "C1", SECOND_CARER),
        ]
        placements = table_rows(page, "cla-placements")
        assert placements[0][4:7] == [shown(START_DAY), shown(MOVE_DAY), "CARPL"]
        assert placements[1][4:7] == [shown(MOVE_DAY), "", ""]
        # the visiting series starts again: a visit within a week of the new placement
        moved_visit_due = calendar.add_calendar_period(MOVE_DAY, 1, "weeks")
        expect(status_row(page, "Next statutory visit due")).to_contain_text(shown(moved_visit_due))
        expect(status_row(page, "Next review due")).to_have_text(shown(first_review_due))
        assert [i.due_date for i in open_items(child, "cla-visit")] == [moved_visit_due]
        tab(page, "Work")
        visits = (
            p.get_by_test_id("person-work-items")
            .get_by_role("row")
            .filter(has_text="Looked-after child statutory visit")
        )
        expect(visits.filter(has_text=shown(second_visit_due))).to_contain_text("Cancelled")
        expect(visits.filter(has_text=shown(moved_visit_due))).to_contain_text("Not started")
        check_summary(
            page,
            child,
            f"(from {shown(MOVE_DAY)})",
            "Bright Futures Fostering",
            f"Next statutory visit due{shown(moved_visit_due)}",
        )
        check_chronology(page, child, "Placement changed")

        # --- 25 June: the first review, four days before it is due
        clock.move_to(at(REVIEW_DAY), tick=True)
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/looked-after")
        p.get_by_role("link", name="Record a review").click()
        page.check_accessibility()
        fill_date(page, "Date of the review", REVIEW_DAY)
        p.get_by_label("How the child took part").select_option("PN1")
        p.get_by_role("button", name="Save the review").click()
        expect(p.get_by_text("Review recorded.")).to_be_visible()
        page.check_accessibility()
        second_review_due = calendar.add_calendar_period(REVIEW_DAY, 3, "months")
        assert second_review_due == dt.date(2026, 9, 25)
        assert table_rows(page, "cla-reviews") == [
            [shown(first_review_due), shown(REVIEW_DAY), "PN1"]
        ]
        expect(status_row(page, "Next review due")).to_have_text(shown(second_review_due))
        check_summary(page, child, f"Next review due{shown(second_review_due)}")
        check_chronology(page, child, "Looked-after review", "Participation PN1")

        # --- 1 July: the court makes a full care order; Casey stays with Ms Okafor
        clock.move_to(at(CARE_ORDER_DAY), tick=True)
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/looked-after")
        p.get_by_role("link", name="Change of legal status").click()
        page.check_accessibility()
        fill_date(page, "Date the legal status changed", CARE_ORDER_DAY)
        p.get_by_label("Legal status").select_option("C2")
        p.get_by_role("button", name="Save the legal status").click()
        expect(p.get_by_text("Legal status changed.")).to_be_visible()
        page.check_accessibility()
        assert table_rows(page, "cla-episodes") == [
            episode(START_DAY, "S", "C1", FIRST_CARER, MOVE_DAY, "X1", "CARPL"),
            episode(MOVE_DAY, "P", "C1", SECOND_CARER, CARE_ORDER_DAY, "X1"),
            episode(CARE_ORDER_DAY, "L", "C2", SECOND_CARER),
        ]
        expect(status_row(page, "Legal status")).to_contain_text("Care order")
        # a legal status change is not a move: the visit and review due stay as they were
        expect(status_row(page, "Next statutory visit due")).to_contain_text(shown(moved_visit_due))
        expect(status_row(page, "Next review due")).to_have_text(shown(second_review_due))
        check_summary(page, child, "Care order", f"(from {shown(CARE_ORDER_DAY)})")
        check_chronology(page, child, "Legal status changed to C2")

        # --- 17 July: the care order is discharged; a child arrangements order to her aunt.
        # The health assessment and the visit after the move were not recorded: the manager
        # sees both overdue.
        clock.move_to(at(LEAVES_CARE_DAY), tick=True)
        sign_in_as(manager_page, manager)
        m.get_by_role("link", name="Team dashboard", exact=True).click()
        manager_page.check_accessibility()
        overdue = m.get_by_test_id("overdue-items")
        row = overdue.get_by_role("row").filter(has_text="Initial health assessment")
        expect(row).to_contain_text("Casey Moss")
        expect(row).to_contain_text(shown(health_due))
        expect(row.get_by_role("cell").last).to_have_text(
            str(calendar.working_days_between(health_due, LEAVES_CARE_DAY))
        )
        expect(overdue.get_by_role("row").filter(has_text="statutory visit")).to_contain_text(
            shown(moved_visit_due)
        )

        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/looked-after")
        p.get_by_role("link", name="End the period of care").click()
        page.check_accessibility()
        fill_date(page, "Date the child ceased to be looked after", LEAVES_CARE_DAY)
        p.get_by_label("Reason the child ceased to be looked after").select_option("E41")
        p.get_by_role("button", name="End the period of care").click()
        expect(p.get_by_text("The child is no longer looked after.")).to_be_visible()
        expect(p.get_by_text("Not looked after now.")).to_be_visible()
        page.check_accessibility()
        assert table_rows(page, "cla-episodes") == [
            episode(START_DAY, "S", "C1", FIRST_CARER, MOVE_DAY, "X1", "CARPL"),
            episode(MOVE_DAY, "P", "C1", SECOND_CARER, CARE_ORDER_DAY, "X1"),
            episode(CARE_ORDER_DAY, "L", "C2", SECOND_CARER, LEAVES_CARE_DAY, "E41"),
        ]
        # nothing of the care is still due: the review, visit and health assessment stop
        for code in ("cla-review", "cla-visit", "cla-health-assessment"):
            assert open_items(child, code) == [], code
        tab(page, "Work", check=False)
        rows = p.get_by_test_id("person-work-items").get_by_role("row")
        for what, due in (
            ("Looked-after child review", second_review_due),
            ("Looked-after child statutory visit", moved_visit_due),
            ("Initial health assessment", health_due),
        ):
            expect(rows.filter(has_text=what).filter(has_text=shown(due))).to_contain_text(
                "Cancelled"
            )
        page.goto(f"/people/{child.pk}")
        expect(p.get_by_test_id("summary-looked-after")).to_have_count(0)
        expect(p.get_by_text("Not looked after.")).to_be_visible()
        check_chronology(page, child, "Ceased to be looked after", "CAO", check=True)

        # and the manager's overdue list clears
        m.get_by_role("link", name="Team dashboard", exact=True).click()
        expect(m.get_by_test_id("overdue-items")).to_contain_text("Nothing is overdue.")
        manager_page.check_accessibility()


DECISION_DAY = dt.date(2026, 7, 6)  # the agency decision maker: Casey should be adopted
ORDER_DAY = dt.date(2026, 8, 3)  # the court makes a placement order, a later visit


def test_an_adoption_decision_then_a_placement_order_on_a_later_visit(page: AccessiblePage):
    p = page.page
    with time_machine.travel(at(START_DAY), tick=True) as clock:
        team = factories.team("Children in Care")
        worker = factories.user("social_worker", in_team=team)
        child = factories.person("Casey", "Moss", date_of_birth=dt.date(2024, 3, 9))
        factories.involve(child, team)
        factories.allocate(child, worker, team)
        services_cla.care_start(
            actor=verified(worker),
            person=child,
            start_date=START_DAY,
            ls="C1",
            cin="N1",
            placement=foster(),
        )

        # --- 6 July: the decision that Casey should be placed for adoption
        clock.move_to(at(DECISION_DAY), tick=True)
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/looked-after")
        # the health assessment due has its own "Record" action
        p.get_by_role("link", name="Record a health assessment").click()
        expect(p.get_by_label("Kind of check")).to_have_value("health_assessment")
        page.check_accessibility()
        page.goto(f"/people/{child.pk}/looked-after")
        expect(p.get_by_test_id("cla-adoption")).to_contain_text("No adoption decision recorded.")
        p.get_by_role("link", name="Record an adoption decision").click()
        page.check_accessibility()
        legend = "Date of the decision that the child should be placed for adoption"
        # a date before Casey was born breaks SSDA903 rule 184: named in the error summary
        fill_date(page, legend, dt.date(2024, 1, 2))
        p.get_by_role("button", name="Save the decision").click()
        summary = p.get_by_role("alert")
        expect(summary).to_contain_text("There is a problem")
        expect(summary).to_contain_text("SSDA903 rule 184")
        page.check_accessibility()
        summary.get_by_role("link").first.click()
        expect(p.get_by_role("group", name=legend).get_by_label("Day")).to_be_focused()
        fill_date(page, legend, DECISION_DAY)
        p.get_by_role("button", name="Save the decision").click()
        expect(p.get_by_text("Adoption decision recorded.")).to_be_visible()
        page.check_accessibility()
        card = p.get_by_test_id("cla-adoption-record")
        expect(card).to_contain_text(f"Decision of {shown(DECISION_DAY)}: in progress")
        expect(
            card.locator(".govuk-summary-list__row").filter(has_text="Placement order")
        ).to_contain_text("Not recorded")

        # --- 3 August, a later visit: the placement order
        clock.move_to(at(ORDER_DAY), tick=True)
        sign_in_as(page, worker)
        page.goto(f"/people/{child.pk}/looked-after")
        p.get_by_role("link", name="Record the placement order").click()
        page.check_accessibility()
        fill_date(page, "Date of the placement order", ORDER_DAY)
        p.get_by_role("button", name="Save the placement order").click()
        expect(p.get_by_text("Placement order recorded.")).to_be_visible()
        page.check_accessibility()
        card = p.get_by_test_id("cla-adoption-record")
        expect(
            card.locator(".govuk-summary-list__row").filter(has_text="Placement order")
        ).to_contain_text(shown(ORDER_DAY))
        expect(p.get_by_role("link", name="Change the placement order")).to_be_visible()
        expect(p.get_by_role("link", name="Record the match with adopters")).to_be_visible()
