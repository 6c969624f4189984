"""Managers' dashboards: ages and bands in working days, unallocated and overdue work,
caseload weighting, month-end trends from dated rows, hidden people, audit, query counts,
who may see them, and the charts they are drawn with.

Expected figures are written out by hand from the dates, never computed by the code under
test."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kith.access import services as access_services
from kith.accounts import services as account_services
from kith.accounts.models import Membership
from kith.audit.models import Action, AuditEvent
from kith.core import calendar
from kith.core.charts import Series, bar_chart, line_chart, nice_ticks
from kith.work import services
from kith.work.dashboards import selectors
from kith.work.models import TeamMonthFigures, WorkItem, WorkItemType
from kith.work.timescales import age_band
from tests import factories

pytestmark = pytest.mark.django_db

# Tuesday 22 April 2025, the day after Easter Monday: Good Friday (18th) and Easter Monday
# (21st) were bank holidays. Counting back, the working days are: Tue 22, Thu 17, Wed 16,
# Tue 15, Mon 14, Fri 11, Thu 10, Wed 9, Tue 8, Mon 7, Fri 4, Thu 3 April.
AFTER_EASTER = dt.datetime(2025, 4, 22, 9, 0, tzinfo=dt.UTC)


def verified(user):
    user.is_verified = lambda: True
    return user


class Office:
    """A directorate › service › two teams, with workers, managers and an outsider."""

    def __init__(self) -> None:
        self.team = factories.team("Front Door")
        assert self.team.parent is not None
        self.service = self.team.parent
        self.directorate = self.service.parent
        self.other_team = account_services.team_create(
            actor=None,
            name="Long Term",
            kind="team",
            service_area="children",
            parent=self.service,
        )
        self.elsewhere = factories.team("Elsewhere")
        self.worker = verified(factories.user("social_worker", in_team=self.team))
        self.colleague = verified(factories.user("social_worker", in_team=self.team))
        self.manager = verified(factories.user("team_manager", in_team=self.team))
        self.other_manager = verified(factories.user("team_manager", in_team=self.other_team))
        self.head = verified(factories.user("team_manager", in_team=self.service))
        self.director = verified(factories.user("team_manager", in_team=self.directorate))
        self.outsider = verified(factories.user("team_manager", in_team=self.elsewhere))


@pytest.fixture
def office() -> Office:
    return Office()


def person_with_team(name: str, team, start: dt.date, priority: str = "green"):
    person = factories.person(name, "Waiting")
    involvement = services.involvement_start(
        actor=None, person=person, team=team, start_date=start, priority=priority
    )
    return person, involvement


def item_type(code: str) -> WorkItemType:
    return WorkItemType.objects.get(code=code)


def team_page(user, team, on: dt.date | None = None) -> selectors.TeamDashboard:
    with transaction.atomic():
        return selectors.team_dashboard(user=user, team=team, on=on)


def restrict(person, member=None):
    admin = verified(factories.user("system_administrator"))
    group = access_services.restriction_group_create(
        actor=admin, name=f"Group for {person.pk}", members=[member] if member else []
    )
    access_services.restriction_set(
        actor=admin, person_id=person.pk, level="restricted", group=group, reason="Well known"
    )


# --- Working days and age bands ---


def test_working_days_agree_with_the_calendar_and_bands_with_the_timescales():
    today = dt.date(2025, 4, 22)
    days = selectors.WorkingDays(today)
    for offset in range(400):
        start = today - dt.timedelta(days=offset)
        assert days.after(start) == calendar.working_days_between(start, today), start
    # the band edges: 2 → 0–2, 3 → 3–5, 5 → 3–5, 6 → 6–10, 10 → 6–10, 11 → 10+
    assert [age_band(n) for n in (0, 2, 3, 5, 6, 10, 11, 400)] == [
        "0–2",
        "0–2",
        "3–5",
        "3–5",
        "6–10",
        "6–10",
        "10+",
        "10+",
    ]
    assert selectors.BAND_LABELS == ("0–2", "3–5", "6–10", "10+")
    assert days.nth_latest(1) == dt.date(2025, 4, 22)
    assert days.nth_latest(2) == dt.date(2025, 4, 17)
    assert days.nth_latest(11) == dt.date(2025, 4, 4)


@time_machine.travel(AFTER_EASTER, tick=False)
def test_ages_and_bands_at_the_edges_across_a_bank_holiday(office):
    starts = {
        "Today": (dt.date(2025, 4, 22), 0, "0–2"),
        "Maundy": (dt.date(2025, 4, 17), 1, "0–2"),  # Good Friday, Monday: holidays
        "Wednesday": (dt.date(2025, 4, 16), 2, "0–2"),
        "Tuesday": (dt.date(2025, 4, 15), 3, "3–5"),
        "Saturday": (dt.date(2025, 4, 12), 5, "3–5"),
        "Friday": (dt.date(2025, 4, 11), 5, "3–5"),
        "Thursday": (dt.date(2025, 4, 10), 6, "6–10"),
        "Fourth": (dt.date(2025, 4, 4), 10, "6–10"),
        "Third": (dt.date(2025, 4, 3), 11, "10+"),
    }
    for name, (start, _, _) in starts.items():
        person_with_team(name, office.team, start)
    # allocated from January until 15 April: waiting since the allocation ended, not since
    # the team started (3 working days, not 78)
    handed_back, _ = person_with_team("Handed", office.team, dt.date(2025, 1, 2))
    allocation = services.allocation_start(
        actor=None,
        person=handed_back,
        team=office.team,
        worker=office.worker,
        start_date=dt.date(2025, 1, 3),
    )
    services.allocation_end(
        actor=None, allocation=allocation, end_date=dt.date(2025, 4, 15), reason="Left"
    )
    referral = services.work_item_create(
        actor=None,
        person=handed_back,
        item_type=item_type("referral-decision"),
        team=office.team,
        clock_start=dt.date(2025, 4, 16),
    )
    assessment = services.work_item_create(
        actor=None,
        person=handed_back,
        item_type=item_type("cf-assessment"),
        team=office.team,
        clock_start=dt.date(2025, 4, 15),
    )

    data = team_page(office.manager, office.team)

    got = {row.person.given_name: (row.age, row.band) for row in data.people}
    expected = {name: (age, band) for name, (_, age, band) in starts.items()}
    expected["Handed"] = (3, "3–5")
    assert got == expected
    assert data.people_total == 10
    # oldest first
    assert [row.person.given_name for row in data.people][:2] == ["Third", "Fourth"]
    assert data.people_bands == {"0–2": 3, "3–5": 4, "6–10": 2, "10+": 1}
    handed = next(row for row in data.people if row.person.given_name == "Handed")
    assert handed.waiting_since == dt.date(2025, 4, 15)

    assert [(row.item.pk, row.age, row.band) for row in data.items] == [
        (assessment.pk, 3, "3–5"),
        (referral.pk, 2, "0–2"),
    ]
    assert data.item_bands == {"0–2": 1, "3–5": 1, "6–10": 0, "10+": 0}


@time_machine.travel(AFTER_EASTER, tick=False)
def test_the_unallocated_list_shrinks_when_a_person_or_item_is_allocated(office):
    ana, ana_involvement = person_with_team("Ana", office.team, dt.date(2025, 4, 1), "red")
    ben, _ = person_with_team("Ben", office.team, dt.date(2025, 4, 2))
    item = services.work_item_create(
        actor=None, person=ana, item_type=item_type("cf-assessment"), team=office.team
    )
    before = team_page(office.manager, office.team)
    assert [row.person for row in before.people] == [ana, ben]
    assert before.people[0].involvement.priority == "red"
    assert [row.item for row in before.items] == [item]
    summary = selectors.unallocated_summary(user=office.manager)
    assert summary == selectors.UnallocatedSummary(people=2, items=1, teams=1)

    services.person_allocate(
        actor=office.manager, involvement=ana_involvement, worker=office.worker, reason="Duty"
    )
    services.work_item_allocate(actor=office.manager, item=item, worker=office.worker)

    after = team_page(office.manager, office.team)
    assert [row.person for row in after.people] == [ben]
    assert after.people_total == 1
    assert after.items == []
    assert after.items_total == 0
    assert selectors.unallocated_summary(user=office.manager) == selectors.UnallocatedSummary(
        people=1, items=0, teams=1
    )
    # the service manager's banner covers both teams under the service
    assert selectors.unallocated_summary(user=office.head) == selectors.UnallocatedSummary(
        people=1, items=0, teams=2
    )
    assert selectors.unallocated_summary(user=office.worker) is None


@time_machine.travel(dt.datetime(2025, 6, 10, 9, 0, tzinfo=dt.UTC), tick=False)
def test_overdue_items_by_type_most_overdue_first(office):
    child, _ = person_with_team("Cara", office.team, dt.date(2025, 5, 1))
    # referral decisions are due one working day after the clock starts
    late_referral = services.work_item_create(
        actor=None,
        person=child,
        item_type=item_type("referral-decision"),
        team=office.team,
        clock_start=dt.date(2025, 6, 2),  # due Tue 3 June: 5 working days overdue
        worker=office.worker,
    )
    recent_referral = services.work_item_create(
        actor=None,
        person=child,
        item_type=item_type("referral-decision"),
        team=office.team,
        clock_start=dt.date(2025, 6, 5),  # due Fri 6 June: 2 working days overdue
    )
    assessment = services.work_item_create(
        actor=None,
        person=child,
        item_type=item_type("cf-assessment"),
        team=office.team,
        clock_start=dt.date(2025, 3, 3),
    )
    services.work_item_move_due_date(
        actor=None, item=assessment, due_date=dt.date(2025, 5, 30), reason="Agreed extension"
    )  # Friday 30 May: 7 working days overdue
    due_today = services.work_item_create(
        actor=None,
        person=child,
        item_type=item_type("strategy-discussion"),
        team=office.team,
        clock_start=dt.date(2025, 6, 5),  # due Tuesday 10 June: today, not overdue
    )
    done = services.work_item_create(
        actor=None,
        person=child,
        item_type=item_type("strategy-discussion"),
        team=office.team,
        clock_start=dt.date(2025, 5, 1),
    )
    services.work_item_complete(actor=None, item=done, on=dt.date(2025, 5, 20))
    dropped = services.work_item_create(
        actor=None,
        person=child,
        item_type=item_type("contact-decision"),
        team=office.team,
        clock_start=dt.date(2025, 5, 1),
    )
    services.work_item_cancel(actor=None, item=dropped, reason="Duplicate")
    elsewhere_child, _ = person_with_team("Eli", office.elsewhere, dt.date(2025, 5, 1))
    services.work_item_create(
        actor=None,
        person=elsewhere_child,
        item_type=item_type("referral-decision"),
        team=office.elsewhere,
        clock_start=dt.date(2025, 6, 2),
    )

    data = team_page(office.manager, office.team)

    assert data.overdue_by_type == [("Referral decision", 2), ("Child and family assessment", 1)]
    assert data.overdue_total == 3
    assert [(row.item.pk, row.age) for row in data.overdue] == [
        (assessment.pk, 7),
        (late_referral.pk, 5),
        (recent_referral.pk, 2),
    ]
    assert due_today.pk not in {row.item.pk for row in data.overdue}
    # the referral decisions need a manager's authorisation: none is waiting yet
    assert data.awaiting_authorisation == 0
    services.work_item_complete(actor=office.worker, item=late_referral)
    assert team_page(office.manager, office.team).awaiting_authorisation == 1


@time_machine.travel(dt.datetime(2025, 6, 10, 9, 0, tzinfo=dt.UTC), tick=False)
def test_an_escalated_overdue_item_is_marked(office):
    child, _ = person_with_team("Cara", office.team, dt.date(2025, 6, 10))
    item = services.work_item_create(
        actor=None,
        person=child,
        item_type=item_type("referral-decision"),
        team=office.team,
        clock_start=dt.date(2025, 6, 2),
    )
    assert [row.escalated for row in team_page(office.manager, office.team).overdue] == [False]
    services.escalations_run(today=dt.date(2025, 6, 10))
    data = team_page(office.manager, office.team)
    assert [(row.item.pk, row.escalated) for row in data.overdue] == [(item.pk, True)]


@time_machine.travel(AFTER_EASTER, tick=False)
def test_caseload_per_worker_counts_and_weighting(office):
    WorkItemType.objects.filter(code="cf-assessment").update(weighting=Decimal("1.5"))
    WorkItemType.objects.filter(code="referral-decision").update(weighting=Decimal("0.5"))
    WorkItemType.objects.filter(code="strategy-discussion").update(weighting=Decimal("0.75"))
    people = [person_with_team(f"P{n}", office.team, dt.date(2025, 4, 1))[0] for n in range(4)]
    for person in people[:2]:
        factories.allocate(person, office.worker, office.team)
    factories.allocate(people[2], office.colleague, office.team)

    def add(code: str, worker, person=people[0]):
        return services.work_item_create(
            actor=None, person=person, item_type=item_type(code), team=office.team, worker=worker
        )

    add("cf-assessment", office.worker)
    add("cf-assessment", office.worker, people[1])
    add("referral-decision", office.worker)
    add("strategy-discussion", office.colleague, people[2])
    finished = add("strategy-discussion", office.colleague, people[2])
    services.work_item_complete(actor=None, item=finished)  # closed: no longer counts
    add("strategy-discussion", None, people[3])  # unallocated: nobody's caseload

    data = team_page(office.manager, office.team)
    loads = {c.worker: (c.people, c.items, c.weighting) for c in data.caseloads}
    assert loads[office.worker] == (2, 3, Decimal("3.50"))
    assert loads[office.colleague] == (1, 1, Decimal("0.75"))
    assert loads[office.manager] == (0, 0, Decimal("0"))
    assert data.open_items == 5

    # a worker who has left the team but still holds a case there is listed as such
    Membership.objects.filter(user=office.colleague, team=office.team).update(
        end_date=dt.date(2025, 4, 1)
    )
    data = team_page(office.manager, office.team)
    leaver = next(c for c in data.caseloads if c.worker == office.colleague)
    assert (leaver.in_team, leaver.people, leaver.items) == (False, 1, 1)


# --- Trends ---


@time_machine.travel(dt.datetime(2025, 7, 15, 9, 0, tzinfo=dt.UTC), tick=False)
def test_trends_from_a_hand_built_history(office):
    """Month ends July 2024 … June 2025 (the twelve whole months before 15 July 2025)."""
    team = office.team
    # A: the team from 10 September 2024, never allocated
    a, _ = person_with_team("Ada", team, dt.date(2024, 9, 10))
    # B: from June 2024; allocated 5 June–15 October, then again from 1 December
    b, _ = person_with_team("Bo", office.other_team, dt.date(2024, 6, 1))
    first = services.allocation_start(
        actor=None,
        person=b,
        team=office.other_team,
        worker=office.other_manager,
        start_date=dt.date(2024, 6, 5),
    )
    services.allocation_end(
        actor=None, allocation=first, end_date=dt.date(2024, 10, 15), reason="Worker left"
    )
    services.allocation_start(
        actor=None,
        person=b,
        team=office.other_team,
        worker=office.other_manager,
        start_date=dt.date(2024, 12, 1),
    )
    # C: May–20 August 2024, never allocated
    _, c_involvement = person_with_team("Cy", team, dt.date(2024, 5, 1))
    services.involvement_end(
        actor=None, involvement=c_involvement, end_date=dt.date(2024, 8, 20), reason="Closed"
    )
    # not counted: a team outside the service, and a restricted person
    person_with_team("Out", office.elsewhere, dt.date(2024, 5, 1))
    hidden, _ = person_with_team("Hid", team, dt.date(2024, 5, 1))
    restrict(hidden)

    def item(code, clock, due, completed=None, cancel=False, person=a):
        made = services.work_item_create(
            actor=None, person=person, item_type=item_type(code), team=team, clock_start=clock
        )
        services.work_item_move_due_date(actor=None, item=made, due_date=due, reason="Test")
        if completed:
            services.work_item_complete(actor=None, item=made, on=completed)
        if cancel:
            services.work_item_cancel(actor=None, item=made, reason="Duplicate")
        return made

    step = "strategy-discussion"  # no authorisation, does not recur
    item(step, dt.date(2024, 7, 1), dt.date(2024, 7, 10), completed=dt.date(2024, 7, 5))
    item(step, dt.date(2024, 7, 1), dt.date(2024, 7, 10), completed=dt.date(2024, 8, 20))
    item(step, dt.date(2024, 12, 1), dt.date(2025, 1, 15))  # still open
    item(step, dt.date(2025, 3, 1), dt.date(2025, 3, 31), completed=dt.date(2025, 3, 31))
    item(step, dt.date(2024, 8, 1), dt.date(2024, 8, 5), cancel=True)
    item(step, dt.date(2025, 6, 1), dt.date(2025, 6, 10), completed=dt.date(2025, 6, 30))
    item(step, dt.date(2024, 7, 1), dt.date(2024, 7, 2), person=hidden)

    with transaction.atomic():
        data = selectors.service_dashboard(
            user=office.head,
            unit=office.service,
            teams=[office.team, office.other_team],
        )
    trends = data.trends
    assert trends.month_ends[0] == dt.date(2024, 7, 31)
    assert trends.month_ends[-1] == dt.date(2025, 6, 30)
    assert len(trends.month_ends) == 12
    #                                 Jul Aug Sep Oct Nov Dec Jan Feb Mar Apr May Jun
    assert trends.unallocated_people == [1, 0, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    assert trends.overdue_items == [1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    assert trends.completed == [1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]
    late, none = 0.0, None
    assert trends.on_time == [
        100.0,
        late,
        none,
        none,
        none,
        none,
        none,
        none,
        100.0,
        none,
        none,
        late,
    ]
    # today's figures: Ada unallocated in Front Door, Bo allocated in Long Term
    figures = {f.team: f for f in data.teams}
    assert (figures[team].people, figures[office.other_team].people) == (1, 0)
    assert figures[office.other_team].allocated == 1
    assert (figures[team].overdue, figures[team].open_items) == (1, 1)
    assert data.total.people == 1
    assert data.overdue_by_type == [("Strategy discussion", 1)]


@time_machine.travel(dt.datetime(2025, 7, 15, 9, 0, tzinfo=dt.UTC), tick=False)
def test_month_end_figures_are_kept_read_back_and_rebuilt(office):
    person_with_team("Ada", office.team, dt.date(2024, 9, 10))  # never allocated
    # restricted, and the head is in its group: listed and counted for them today, but the
    # kept month-end figures leave restricted records out for everyone
    hidden, _ = person_with_team("Hid", office.team, dt.date(2024, 5, 1))
    restrict(hidden, member=office.head)
    teams = [office.team, office.other_team]

    def trend() -> list[int]:
        with transaction.atomic():
            data = selectors.service_dashboard(user=office.head, unit=office.service, teams=teams)
        assert data.teams[0].people == 2  # today: Ada and the restricted person
        return data.trends.unallocated_people

    assert TeamMonthFigures.objects.count() == 0
    assert trend() == [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    assert TeamMonthFigures.objects.filter(team__in=teams).count() == 24

    # the page reads what is kept: a kept figure changed is what the chart shows
    june = dt.date(2025, 6, 30)
    TeamMonthFigures.objects.filter(team=office.team, month_end=june).update(unallocated_people=99)
    assert trend()[-1] == 99

    out = io.StringIO()
    call_command("month_end_figures", stdout=out)
    assert "Teams:" in out.getvalue()
    others = TeamMonthFigures.objects.exclude(team__in=teams).count()
    assert out.getvalue().strip().endswith(f"{others:,} month-end figures kept")
    assert others > 0  # the council's other teams, worked out by the command
    out = io.StringIO()
    call_command("month_end_figures", stdout=out)  # nothing left to work out
    assert out.getvalue().strip().endswith("0 month-end figures kept")
    assert trend()[-1] == 99

    call_command("month_end_figures", "--rebuild", stdout=io.StringIO())
    assert trend()[-1] == 1
    assert TeamMonthFigures.objects.filter(team=office.team).count() == 12


# --- Hidden people, the audit entry, query counts ---


@time_machine.travel(AFTER_EASTER, tick=False)
def test_restricted_people_are_never_listed_or_counted(office):
    seen, _ = person_with_team("Seen", office.team, dt.date(2025, 4, 1))
    hidden, _ = person_with_team("Hidden", office.team, dt.date(2025, 4, 1))
    for person in (seen, hidden):
        services.work_item_create(
            actor=None,
            person=person,
            item_type=item_type("referral-decision"),
            team=office.team,
            clock_start=dt.date(2025, 4, 1),
        )
    factories.allocate(hidden, office.worker, office.team)
    restrict(hidden)

    data = team_page(office.manager, office.team)
    assert [row.person for row in data.people] == [seen]
    assert {row.item.person_id for row in data.items} == {seen.pk}
    assert {row.item.person_id for row in data.overdue} == {seen.pk}
    assert (data.people_total, data.items_total, data.overdue_total) == (1, 1, 1)
    assert next(c for c in data.caseloads if c.worker == office.worker).people == 0
    assert selectors.unallocated_summary(user=office.manager).items == 1  # type: ignore[union-attr]
    listed = AuditEvent.objects.filter(action=Action.LIST, object_type="work.team_dashboard")
    assert str(hidden.pk) not in listed.get().result_ids
    with transaction.atomic():
        service = selectors.service_dashboard(
            user=office.head, unit=office.service, teams=[office.team]
        )
    assert (service.total.people, service.total.items, service.total.allocated) == (1, 1, 0)


@time_machine.travel(AFTER_EASTER, tick=False)
def test_the_page_writes_one_audit_entry_naming_the_people_shown(office, signed_in_client):
    ana, _ = person_with_team("Ana", office.team, dt.date(2025, 4, 1))
    ben, _ = person_with_team("Ben", office.team, dt.date(2025, 4, 1))
    factories.allocate(ben, office.worker, office.team)
    services.work_item_create(
        actor=None,
        person=ben,
        item_type=item_type("cf-assessment"),
        team=office.team,
        clock_start=dt.date(2025, 4, 1),
    )
    client = signed_in_client(user=office.manager)
    before = AuditEvent.objects.filter(action=Action.LIST).count()
    response = client.get("/teams/dashboard")
    assert response.status_code == 200
    entries = AuditEvent.objects.filter(action=Action.LIST).order_by("seq")
    assert entries.count() == before + 1
    entry = entries.last()
    assert entry is not None
    assert entry.object_type == "work.team_dashboard"
    assert entry.object_id == str(office.team.pk)
    assert sorted(entry.result_ids) == sorted([str(ana.pk), str(ben.pk)])
    page = response.content.decode()
    assert "Ana Waiting" in page
    assert "Ben Waiting" in page
    # the service dashboard names nobody and lists nothing
    response = signed_in_client(user=office.head).get("/services/dashboard")
    assert response.status_code == 200
    assert "Ana Waiting" not in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.LIST).count() == before + 1


def make_caseload(office: Office, n: int, start: dt.date) -> None:
    for index in range(n):
        person, involvement = person_with_team(f"Q{index}", office.team, start)
        if index % 3 == 0:
            factories.allocate(person, office.worker, office.team)
        services.work_item_create(
            actor=None,
            person=person,
            item_type=item_type("referral-decision" if index % 2 else "cf-assessment"),
            team=office.team,
            clock_start=start,
            worker=office.colleague if index % 4 == 0 else None,
        )
        if index % 5 == 0:
            services.involvement_end(
                actor=None, involvement=involvement, end_date=start, reason="Closed"
            )


@time_machine.travel(AFTER_EASTER, tick=False)
def test_the_number_of_queries_does_not_grow_with_the_caseload(office, signed_in_client):
    manager = signed_in_client(user=office.manager)
    head = signed_in_client(user=office.head)
    director = signed_in_client(user=office.director)

    def count(client, path: str) -> int:
        TeamMonthFigures.objects.all().delete()  # the month-end figures worked out each time
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        return len(queries)

    make_caseload(office, 3, dt.date(2025, 3, 3))
    small = [
        count(manager, "/teams/dashboard"),
        count(head, "/services/dashboard"),
        count(director, "/services/dashboard"),
        count(director, f"/teams/dashboard?team={office.team.pk}"),
    ]
    make_caseload(office, 40, dt.date(2025, 2, 3))
    large = [
        count(manager, "/teams/dashboard"),
        count(head, "/services/dashboard"),
        count(director, "/services/dashboard"),
        count(director, f"/teams/dashboard?team={office.team.pk}"),
    ]
    assert large == small
    # the whole request: session, user, navigation, the banner, the dashboard, the audit entry
    assert max(large) <= 40, large


# --- Who may see which dashboard ---


def test_only_managers_of_the_team_or_above_it_see_its_dashboard(office, signed_in_client):
    team = f"/teams/dashboard?team={office.team.pk}"
    expected = {
        "worker": (403, 403, 403),
        "manager": (200, 200, 403),
        "other_manager": (200, 403, 403),  # manages Long Term, not Front Door
        "head": (200, 200, 200),
        "director": (200, 200, 200),
        "outsider": (200, 403, 403),  # a manager, of a team elsewhere
    }
    # (a second factor's code is good once: one client per user)
    clients = {name: signed_in_client(user=getattr(office, name)) for name in expected}
    for name, (own, front_door, service) in expected.items():
        client = clients[name]
        assert client.get("/teams/dashboard").status_code == own, name
        assert client.get(team).status_code == front_door, name
        assert client.get("/services/dashboard").status_code == service, name
    assert clients["manager"].get("/teams/dashboard?team=not-a-uuid").status_code == 403
    head = clients["head"]
    assert head.get(f"/services/dashboard?unit={office.directorate.pk}").status_code == 403
    director = clients["director"]
    assert director.get(f"/services/dashboard?unit={office.service.pk}").status_code == 200
    assert director.post("/teams/dashboard").status_code == 405


def test_managers_see_the_unallocated_count_and_the_dashboard_link(office, signed_in_client):
    person_with_team("Ana", office.team, dt.date(2025, 4, 1))
    page = signed_in_client(user=office.manager).get("/").content.decode()
    assert "1 person and 0 work items are unallocated in your team." in page
    assert 'href="/teams/dashboard"' in page
    assert "Team dashboard" in page
    page = signed_in_client(user=office.worker).get("/").content.decode()
    assert "unallocated" not in page
    assert "Team dashboard" not in page


@time_machine.travel(AFTER_EASTER, tick=False)
def test_the_pages_show_the_figures_and_charts(office, signed_in_client):
    child, _ = person_with_team("Ana", office.team, dt.date(2025, 4, 3), "amber")
    services.work_item_create(
        actor=None,
        person=child,
        item_type=item_type("referral-decision"),
        team=office.team,
        clock_start=dt.date(2025, 4, 15),
    )
    head = signed_in_client(user=office.head)
    page = head.get("/teams/dashboard").content.decode()
    assert "Front Door" in page  # the team chooser
    assert "Long Term" in page
    assert "Ana Waiting" in page
    assert "Amber" in page
    assert ">11<" in page
    assert 'id="chart-age-bands"' in page
    assert '<title id="chart-age-bands-title">' in page
    assert "Show the data as a table" in page
    assert "Overdue work items in Front Door by type" in page
    page = head.get("/services/dashboard").content.decode()
    assert "Figures by team" in page
    assert "Unallocated people and overdue work items at each month end" in page
    assert "Ana Waiting" not in page


# --- The charts ---


def test_charts_are_described_and_have_their_data_as_a_table():
    chart = str(
        bar_chart(
            chart_id="c1",
            title="Waiting <by> age",
            categories=["0–2", "3–5"],
            series=[Series("People", [3, 0]), Series("Items", [1, 2])],
        )
    )
    assert 'role="img"' in chart
    assert 'aria-labelledby="c1-title"' in chart
    assert 'aria-describedby="c1-desc"' in chart
    assert '<title id="c1-title">Waiting &lt;by&gt; age</title>' in chart
    assert "People: 0–2: 3, 3–5: 0. Items: 0–2: 1, 3–5: 2." in chart
    assert chart.count("<rect") == 4 + 2  # bars and the legend's keys
    assert '<th scope="row" class="govuk-table__header">3–5</th>' in chart
    line = str(
        line_chart(
            chart_id="c2",
            title="On time",
            categories=["Jan", "Feb", "Mar"],
            series=[Series("On time", [50.0, None, 75.5])],
            unit="%",
            decimals=1,
            maximum=100,
        )
    )
    assert "Jan: 50%, Feb: no data, Mar: 75.5%." in line
    assert "<polyline" not in line  # a gap either side of February: no line of two points
    assert line.count("<circle") == 2
    with pytest.raises(ValueError, match="2 values for 1 categories"):
        bar_chart(chart_id="c3", title="Bad", categories=["a"], series=[Series("x", [1, 2])])


def test_axis_ticks_are_round_numbers():
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(3) == [0.0, 1.0, 2.0, 3.0]
    assert nice_ticks(7) == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert nice_ticks(9) == [0.0, 5.0, 10.0]  # whole numbers only for counts
    assert nice_ticks(100) == [0.0, 50.0, 100.0]
    assert nice_ticks(0.75) == [0.0, 0.2, 0.4, 0.6, 0.8]
    assert nice_ticks(1234)[-1] >= 1234


def test_no_charts_are_given_wrong_data_for_an_empty_team(office, signed_in_client):
    response = signed_in_client(user=office.manager).get("/teams/dashboard")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Everyone the team is working with has a worker." in page
    assert "Nothing is overdue." in page
    assert WorkItem.objects.count() == 0
