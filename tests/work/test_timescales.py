"""Timescales as data: due dates on the real England and Wales calendar, which rule is in force,
loading the timescales file, and telling the work services when rules or holidays change.

Every expected date below is worked out by hand from the calendar, never computed by the code
under test. 2025's bank holidays: 1 January, 18 April (Good Friday), 21 April (Easter Monday),
5 May, 26 May, 25 August, 25 and 26 December.
"""

import datetime as dt
import importlib
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from kith.audit.models import AuditEvent
from kith.core import calendar
from kith.core.calendar import clear_holiday_cache, is_working_day
from kith.work import timescales
from kith.work.models import EscalationRule, TimescaleRule, WorkItemType

pytestmark = pytest.mark.django_db

NOON_UTC = dt.time(12, 0, tzinfo=dt.UTC)
HEADER = ",".join(timescales.COLUMNS)
CIN_VISIT_LINE = (
    "cin-visit,cin-visit,Child in need visit,children,false,false,0.5,"
    "Visit a child in need at least every 20 working days,previous_completed,,,,,20,"
    "working_days,true,true,Local visiting standard,2023-12-15"
)


@pytest.fixture(autouse=True)
def fresh_holiday_cache():
    """Holidays come from this test's database, not one a rolled-back test left cached."""
    clear_holiday_cache()
    yield
    clear_holiday_cache()


@pytest.fixture
def told():
    """The calls a work service registered with the timescales would receive."""
    calls: list[tuple[set | None, object]] = []

    def callback(item_type_ids, actor):
        calls.append((item_type_ids, actor))

    timescales.on_rules_changed_register(callback)
    yield calls
    timescales.on_rules_changed_unregister(callback)


def on(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, NOON_UTC), tick=False)


def item_type(code: str) -> WorkItemType:
    return WorkItemType.objects.get(code=code)


def shipped_rule(code: str) -> TimescaleRule:
    """The rule in force now (the children's rules have an earlier, ended version too)."""
    return TimescaleRule.objects.get(code=code, effective_to__isnull=True)


def write_csv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "timescales.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- Due dates -------------------------------------------------------------------------------


def test_45_working_days_from_a_referral_on_the_thursday_before_easter_2025():
    # given a referral on Thursday 17 April 2025 and the 45-working-day assessment rule
    rule = shipped_rule("cf-assessment")
    referral = dt.date(2025, 4, 17)
    # when the assessment's due date is worked out
    due = timescales.due_date(rule, referral)
    # then, by hand: Good Friday 18 April, the weekend and Easter Monday 21 April don't count.
    #   Tue 22 – Fri 25 April       days 1–4
    #   Mon 28 April – Fri 2 May    days 5–9
    #   Tue 6 – Fri 9 May           days 10–13 (Mon 5 May is the early May bank holiday)
    #   12–16 May, 19–23 May        days 14–23
    #   Tue 27 – Fri 30 May         days 24–27 (Mon 26 May is the spring bank holiday)
    #   2–6 June, 9–13 June, 16–20 June   days 28–42
    #   Mon 23, Tue 24, Wed 25 June days 43, 44, 45
    # (check: 9 weeks on is Thursday 19 June; 4 holidays push it 4 working days to the 25th)
    assert due == dt.date(2025, 6, 25)
    assert due.weekday() == 2  # a Wednesday


def test_one_working_day_from_the_friday_before_a_bank_holiday_monday():
    rule = shipped_rule("referral-decision")  # decide within 1 working day
    # Friday 23 May 2025: Saturday, Sunday and the spring bank holiday Monday 26 May don't count
    assert timescales.due_date(rule, dt.date(2025, 5, 23)) == dt.date(2025, 5, 27)
    # Friday 22 August 2025: Monday 25 August is the summer bank holiday
    assert timescales.due_date(rule, dt.date(2025, 8, 22)) == dt.date(2025, 8, 26)
    # Wednesday 24 December 2025: Christmas (Thu), Boxing Day (Fri), then the weekend
    assert timescales.due_date(rule, dt.date(2025, 12, 24)) == dt.date(2025, 12, 29)


def test_a_referral_at_the_weekend_is_due_the_second_working_day_after_it():
    rule = shipped_rule("referral-decision")
    # Saturday 14 June 2025: Monday 16 June is the first working day after it
    assert timescales.due_date(rule, dt.date(2025, 6, 14)) == dt.date(2025, 6, 16)


def test_a_due_date_in_working_days_is_always_a_working_day():
    rule = shipped_rule("contact-decision")
    day = dt.date(2025, 1, 1)
    while day.year == 2025:
        assert is_working_day(timescales.due_date(rule, day)), day
        day += dt.timedelta(days=1)


def test_zero_working_days_from_a_non_working_day_is_the_next_working_day():
    # Saturday 19 April 2025 (Easter weekend): Easter Monday 21 April is a holiday too
    assert timescales.add_period(dt.date(2025, 4, 19), 0, "working_days") == dt.date(2025, 4, 22)
    assert timescales.add_period(dt.date(2025, 4, 22), 0, "working_days") == dt.date(2025, 4, 22)


def test_months_keep_the_day_of_the_month_clamped_to_the_end_of_february():
    first_cp_review = shipped_rule("cp-review")  # first within 3 months, then every 6
    core_group = shipped_rule("core-group")  # first 10 working days, then monthly
    # 3 months from 30 November: February has no 30th, so its last day
    assert timescales.due_date(first_cp_review, dt.date(2024, 11, 30)) == dt.date(2025, 2, 28)
    assert timescales.due_date(first_cp_review, dt.date(2023, 11, 30)) == dt.date(2024, 2, 29)
    # 3 months from 31 January: April has no 31st
    assert timescales.due_date(first_cp_review, dt.date(2025, 1, 31)) == dt.date(2025, 4, 30)
    # a month from 31 January: the end of February, leap year and not
    assert timescales.due_date(core_group, dt.date(2024, 1, 31), 2) == dt.date(2024, 2, 29)
    assert timescales.due_date(core_group, dt.date(2025, 1, 31), 2) == dt.date(2025, 2, 28)


def test_12_months_from_29_february_is_28_february():
    review = shipped_rule("care-plan-review")  # 8 weeks, then every 12 months
    assert timescales.due_date(review, dt.date(2024, 2, 29), 2) == dt.date(2025, 2, 28)
    assert timescales.due_date(review, dt.date(2024, 2, 29), 5) == dt.date(2025, 2, 28)


def test_a_calendar_due_date_on_a_weekend_or_bank_holiday_stays_where_it_falls():
    first_cp_review = shipped_rule("cp-review")
    # 3 months from Sunday 30 November 2025 is Saturday 28 February 2026: not moved
    due = timescales.due_date(first_cp_review, dt.date(2025, 11, 30))
    assert due == dt.date(2026, 2, 28)
    assert due.weekday() == 5
    # 28 days from Friday 28 November 2025 is Friday 26 December, Boxing Day: not moved
    care_act = shipped_rule("care-act-assessment")
    assert timescales.due_date(care_act, dt.date(2025, 11, 28)) == dt.date(2025, 12, 26)
    assert not is_working_day(dt.date(2025, 12, 26))


def test_looked_after_reviews_20_working_days_then_3_months_then_every_6_months():
    rule = shipped_rule("cla-review")
    # Monday 1 September 2025 the child becomes looked after. No bank holiday until
    # Christmas: 2–5 Sept (1–4), 8–12 (5–9), 15–19 (10–14), 22–26 (15–19), Mon 29 Sept (20).
    first = timescales.due_date(rule, dt.date(2025, 9, 1), occurrence=1)
    assert first == dt.date(2025, 9, 29)
    # the first review is held on Friday 26 September; 3 months on is Friday 26 December,
    # Boxing Day, and a period in months is not moved off a bank holiday
    second = timescales.due_date(rule, dt.date(2025, 9, 26), occurrence=2)
    assert second == dt.date(2025, 12, 26)
    # the second is held on Friday 19 December; the third is due 6 months on, Friday 19 June
    third = timescales.due_date(rule, dt.date(2025, 12, 19), occurrence=3)
    assert third == dt.date(2026, 6, 19)
    # and every 6 months after that: from Friday 19 June 2026 to Saturday 19 December 2026
    assert timescales.due_date(rule, dt.date(2026, 6, 19), occurrence=4) == dt.date(2026, 12, 19)


def test_which_clock_each_occurrence_uses():
    rule = shipped_rule("cla-review")
    assert timescales.rule_clock(rule, 1) == (20, "working_days")
    assert timescales.rule_clock(rule, 2) == (3, "months")
    assert timescales.rule_clock(rule, 3) == (6, "months")
    # the CLA visit has a first clock but no second: the second uses the regular one
    visit = shipped_rule("cla-visit")
    assert timescales.rule_clock(visit, 1) == (1, "weeks")
    assert timescales.rule_clock(visit, 2) == (6, "weeks")
    with pytest.raises(ValueError, match="occurrence"):
        timescales.rule_clock(rule, 0)
    assert timescales.describe_rule(rule) == ("20 working days, then 3 months, then every 6 months")
    assert timescales.describe_rule(shipped_rule("cf-assessment")) == "45 working days"
    assert timescales.describe_rule(visit) == "1 week, then every 6 weeks"
    assert timescales.describe_rule(shipped_rule("core-group")) == (
        "10 working days, then every month"
    )


# --- Overdue days and age bands --------------------------------------------------------------


def test_working_days_overdue_skip_the_bank_holiday_weekend():
    due = dt.date(2025, 5, 23)  # Friday before the spring bank holiday
    with on(dt.date(2025, 5, 23)):
        assert timescales.overdue_working_days(due, timezone.localdate()) == 0
    with on(dt.date(2025, 5, 26)):  # the bank holiday Monday: past due, no working day lost
        assert timescales.overdue_working_days(due, timezone.localdate()) == 0
    with on(dt.date(2025, 5, 27)):  # Tuesday
        assert timescales.overdue_working_days(due, timezone.localdate()) == 1
    with on(dt.date(2025, 5, 30)):  # Friday: 27, 28, 29, 30
        assert timescales.overdue_working_days(due, timezone.localdate()) == 4
    # not yet due
    assert timescales.overdue_working_days(dt.date(2025, 6, 2), dt.date(2025, 5, 30)) == 0


def test_age_bands_at_their_edges():
    # unallocated since Friday 23 May 2025 (the spring bank holiday Monday doesn't count)
    since = dt.date(2025, 5, 23)
    cases = [
        (dt.date(2025, 5, 26), 0, "0–2"),  # Monday, a bank holiday
        (dt.date(2025, 5, 28), 2, "0–2"),  # Wednesday: 27, 28
        (dt.date(2025, 5, 29), 3, "3–5"),  # Thursday
        (dt.date(2025, 6, 2), 5, "3–5"),  # Monday: 27, 28, 29, 30 May, 2 June
        (dt.date(2025, 6, 3), 6, "6–10"),
        (dt.date(2025, 6, 9), 10, "6–10"),  # 27–30 May, 2–6 June, Mon 9 June
        (dt.date(2025, 6, 10), 11, "10+"),
    ]
    for today, days, band in cases:
        with on(today):
            age = calendar.working_days_between(since, timezone.localdate())
            assert age == days, today
            assert timescales.age_band(age) == band, today


def test_the_age_bands_are_one_list_of_data():
    assert [band.label for band in timescales.AGE_BANDS] == ["0–2", "3–5", "6–10", "10+"]
    assert [label for label, _ in timescales.AGE_BANDS] == ["0–2", "3–5", "6–10", "10+"]
    assert timescales.age_band(10_000) == "10+"
    with pytest.raises(ValueError, match="negative"):
        timescales.age_band(-1)


# --- Which rule is in force ------------------------------------------------------------------


def test_the_shipped_rule_applies_from_its_effective_date():
    cla_review = item_type("cla-review")
    assert timescales.rule_for(cla_review, dt.date(2011, 3, 31)) is None
    assert timescales.rule_for(cla_review, dt.date(2011, 4, 1)).code == "cla-review"


def test_steps_begun_under_working_together_2018_are_due_by_its_rules():
    assessment = item_type("cf-assessment")
    assert timescales.rule_for(assessment, dt.date(2018, 7, 3)) is None
    wt2018 = timescales.rule_for(assessment, dt.date(2022, 3, 1))
    assert (wt2018.effective_from, wt2018.effective_to) == (
        dt.date(2018, 7, 4),
        dt.date(2023, 12, 14),
    )
    assert wt2018.source == "Working Together to Safeguard Children 2018"
    # 45 working days, skipping Good Friday, Easter Monday and the early May bank holiday
    assert timescales.due_date(wt2018, dt.date(2022, 3, 1)) == dt.date(2022, 5, 6)
    # the day Working Together 2023 took over
    assert timescales.rule_for(assessment, dt.date(2023, 12, 14)) == wt2018
    assert timescales.rule_for(assessment, dt.date(2023, 12, 15)) == shipped_rule("cf-assessment")
    # the first CP review three months after the conference, under either
    review = item_type("cp-review")
    assert timescales.rule_for(review, dt.date(2021, 6, 1)).first_length == 3


def test_a_local_rule_beats_a_statutory_one_even_if_it_started_earlier():
    assessment = item_type("cf-assessment")
    local = timescales.local_rule_add(
        actor=None,
        item_type=assessment,
        description="Complete assessments within 35 working days",
        length=35,
        unit="working_days",
        effective_from=dt.date(2020, 1, 1),
    )
    # the statutory rule started 15 December 2023, later than the local one: local still wins
    assert timescales.rule_for(assessment, dt.date(2025, 1, 1)) == local
    # before the local rule, Working Together 2018's
    assert timescales.rule_for(assessment, dt.date(2019, 12, 31)).source.endswith("2018")
    # and without it, the statutory one
    statutory = timescales.rule_for(assessment, dt.date(2025, 1, 1), excluding=local)
    assert statutory == shipped_rule("cf-assessment")


def test_among_statutory_rules_the_latest_to_start_wins():
    assessment = item_type("cf-assessment")
    newer = TimescaleRule.objects.create(
        code="cf-assessment",
        item_type=assessment,
        description="Complete the assessment within 40 working days",
        length=40,
        unit="working_days",
        source="Working Together 2026 (imagined)",
        effective_from=dt.date(2026, 1, 1),
    )
    assert timescales.rule_for(assessment, dt.date(2025, 12, 31)).length == 45
    assert timescales.rule_for(assessment, dt.date(2026, 1, 1)) == newer


def test_an_ended_rule_applies_up_to_and_including_its_last_day():
    cin_visit = item_type("cin-visit")
    local = timescales.local_rule_add(
        actor=None,
        item_type=cin_visit,
        description="Visit every 15 working days",
        length=15,
        unit="working_days",
        recurs=True,
        starts="previous_completed",
        effective_from=dt.date(2025, 1, 1),
    )
    timescales.rule_end(actor=None, rule=local, effective_to=dt.date(2025, 6, 30))
    assert timescales.rule_for(cin_visit, dt.date(2025, 6, 30)) == local
    assert timescales.rule_for(cin_visit, dt.date(2025, 7, 1)).length == 20
    # a shipped rule ended with nothing after it: no rule
    referral = shipped_rule("referral-decision")
    timescales.rule_end(actor=None, rule=referral, effective_to=dt.date(2025, 3, 31))
    assert timescales.rule_for(item_type("referral-decision"), dt.date(2025, 4, 1)) is None


def test_the_administrators_view_groups_types_by_service_area():
    cin_visit = item_type("cin-visit")
    local = timescales.local_rule_add(
        actor=None,
        item_type=cin_visit,
        description="Visit every 15 working days",
        length=15,
        unit="working_days",
        recurs=True,
        effective_from=dt.date(2025, 1, 1),
    )
    later = timescales.local_rule_add(
        actor=None,
        item_type=cin_visit,
        description="Visit every 10 working days",
        length=10,
        unit="working_days",
        recurs=True,
        effective_from=dt.date(2025, 9, 1),
    )
    areas = timescales.timescales_by_service_area(dt.date(2025, 6, 1))
    assert [area.service_area for area in areas] == ["children", "adults", "finance"]
    row = next(t for t in areas[0].types if t.item_type == cin_visit)
    assert row.in_force == local
    assert row.overridden == [shipped_rule("cin-visit")]
    assert row.upcoming == [later]


# --- Changing rules: checks, audit, callbacks --------------------------------------------------


def test_adding_a_local_rule_tells_the_work_services_and_is_audited(told):
    cin_visit = item_type("cin-visit")
    admin = None
    rule = timescales.local_rule_add(
        actor=admin,
        item_type=cin_visit,
        description="  Visit every 15 working days ",
        length=15,
        unit="working_days",
        recurs=True,
        effective_from=dt.date(2025, 1, 1),
    )
    assert (rule.local, rule.code, rule.description) == (
        True,
        "local-cin-visit",
        "Visit every 15 working days",
    )
    assert rule.source == "Local rule"
    assert told == [({cin_visit.pk}, None)]
    event = AuditEvent.objects.get(object_type="work.timescalerule", object_id=str(rule.pk))
    assert "15 working days" in event.reason
    timescales.rule_end(actor=None, rule=rule, effective_to=dt.date(2025, 12, 31))
    assert told[-1] == ({cin_visit.pk}, None)


def test_a_local_rule_with_clocks_that_do_not_go_together_is_refused(told):
    cin_visit = item_type("cin-visit")
    with pytest.raises(ValidationError) as error:
        timescales.local_rule_add(
            actor=None,
            item_type=cin_visit,
            description="",
            length=0,
            unit="fortnights",
            first_unit="weeks",
            second_length=3,
            effective_from=dt.date(2025, 1, 1),
        )
    problems = error.value.message_dict
    assert problems["length"] == ["The regular length must be 1 or more"]
    assert problems["unit"] == ["Select the unit of the regular length"]
    assert problems["first_length"][0].startswith("Enter the first length")
    assert problems["second_unit"] == ["Select the unit of the second length"]
    assert "recurs" in problems
    assert "description" in problems
    assert told == []


def test_two_local_rules_for_a_type_cannot_start_on_the_same_day():
    cin_visit = item_type("cin-visit")
    kwargs = {
        "actor": None,
        "item_type": cin_visit,
        "description": "Visit every 15 working days",
        "length": 15,
        "unit": "working_days",
        "effective_from": dt.date(2025, 1, 1),
    }
    timescales.local_rule_add(**kwargs)
    with pytest.raises(ValidationError, match="already a local rule"):
        timescales.local_rule_add(**kwargs)


def test_a_rule_cannot_end_before_it_starts_or_end_twice():
    rule = shipped_rule("cf-assessment")  # from 15 December 2023
    with pytest.raises(ValidationError, match="on or after the day the rule started"):
        timescales.rule_end(actor=None, rule=rule, effective_to=dt.date(2023, 12, 14))
    timescales.rule_end(actor=None, rule=rule, effective_to=dt.date(2023, 12, 15))
    with pytest.raises(ValidationError, match="already ended, on 15 December 2023"):
        timescales.rule_end(actor=None, rule=rule, effective_to=dt.date(2024, 1, 1))


# --- Bank holidays ---------------------------------------------------------------------------


def test_loading_a_new_bank_holiday_tells_the_work_services(told):
    # given an extra holiday in 2030 (the shipped list runs to 2030)
    extra = calendar.BankHolidayRow(dt.date(2030, 6, 4), "A royal occasion", "test")
    # when it is loaded
    calendar.bank_holidays_load(holidays=[extra])
    # then every type may have moved: the callbacks are told None
    assert told == [(None, None)]
    assert not is_working_day(dt.date(2030, 6, 4))


def test_loading_holidays_already_held_or_renamed_tells_nobody(told):
    held = calendar.BankHoliday.objects.get(date=dt.date(2025, 12, 25))
    calendar.bank_holidays_load(holidays=[calendar.BankHolidayRow(held.date, held.title, "test")])
    calendar.bank_holidays_load(holidays=[calendar.BankHolidayRow(held.date, "Christmas", "test")])
    assert told == []


def test_removing_a_moved_bank_holiday_tells_the_work_services(told):
    # 2025 loaded again without 26 May (as if it had moved), removing what is missing
    holidays = [
        calendar.BankHolidayRow(h.date, h.title, "test")
        for h in calendar.BankHoliday.objects.filter(date__year=2025).exclude(
            date=dt.date(2025, 5, 26)
        )
    ]
    calendar.bank_holidays_load(holidays=holidays, remove_missing=True)
    assert told == [(None, None)]
    # Friday 23 May + 1 working day is now Monday 26 May
    rule = shipped_rule("referral-decision")
    assert timescales.due_date(rule, dt.date(2025, 5, 23)) == dt.date(2025, 5, 26)


# --- The timescales file ---------------------------------------------------------------------


def test_the_shipped_file_reads_cleanly():
    rows = timescales.read_timescales()
    assert len(rows) == 29  # 19 in force, 10 from Working Together 2018 that have ended
    cla = next(row for row in rows if row.code == "cla-review")
    assert (cla.first_length, cla.first_unit, cla.second_length, cla.second_unit) == (
        20,
        "working_days",
        3,
        "months",
    )
    assert cla.weighting == Decimal("1.00")
    assert cla.where == "line 12"


def test_the_migration_loaded_exactly_what_the_loader_would(told):
    # the migration's frozen loader and today's loader agree: loading again changes nothing
    result = timescales.timescales_load(rows=timescales.read_timescales())
    assert not result.changed
    assert result.rules_unchanged == 29
    assert told == []
    # and the default escalation rules are there
    escalations = {
        (rule.applies, rule.level): rule.after_working_days for rule in EscalationRule.objects.all()
    }
    assert escalations == {
        ("unallocated_person", "team_manager"): 3,
        ("unallocated_person", "service_manager"): 10,
        ("unallocated_item", "team_manager"): 2,
        ("unallocated_item", "service_manager"): 5,
        ("overdue_item", "team_manager"): 0,
        ("overdue_item", "service_manager"): 5,
    }


def test_running_the_migration_again_changes_nothing():
    migration = importlib.import_module("kith.work.migrations.0003_timescales")
    before = list(TimescaleRule.objects.order_by("pk").values())
    EscalationRule.objects.filter(applies="overdue_item", level="service_manager").update(
        after_working_days=7  # a council's own setting survives
    )
    migration.load_shipped_timescales(django_apps, None)
    migration.create_default_escalation_rules(django_apps, None)
    assert list(TimescaleRule.objects.order_by("pk").values()) == before
    assert (
        EscalationRule.objects.get(
            applies="overdue_item", level="service_manager"
        ).after_working_days
        == 7
    )


def test_a_changed_length_is_updated_and_reported(told, tmp_path):
    path = write_csv(
        tmp_path, HEADER, CIN_VISIT_LINE.replace(",20,working_days,", ",15,working_days,")
    )
    result = timescales.timescales_load(rows=timescales.read_timescales(path))
    assert result.rules_updated == ["cin-visit from 2023-12-15: length 20 → 15"]
    assert result.rules_added == []
    assert shipped_rule("cin-visit").length == 15
    assert told == [({item_type("cin-visit").pk}, None)]
    # loading the same file again changes nothing
    again = timescales.timescales_load(rows=timescales.read_timescales(path))
    assert not again.changed
    assert len(told) == 1


def test_a_new_version_of_a_rule_is_added_beside_the_old_one(tmp_path):
    new_version = CIN_VISIT_LINE.replace(",20,working_days,", ",15,working_days,").replace(
        "2023-12-15", "2026-04-01"
    )
    path = write_csv(
        tmp_path, HEADER + ",effective_to", CIN_VISIT_LINE + ",2026-03-31", new_version + ","
    )
    result = timescales.timescales_load(rows=timescales.read_timescales(path))
    assert result.rules_added == ["cin-visit from 2026-04-01"]
    assert result.rules_updated == ["cin-visit from 2023-12-15: effective_to (blank) → 2026-03-31"]
    cin_visit = item_type("cin-visit")
    assert timescales.rule_for(cin_visit, dt.date(2026, 3, 31)).length == 20
    assert timescales.rule_for(cin_visit, dt.date(2026, 4, 1)).length == 15


def test_reloading_keeps_an_administrators_ending_of_a_shipped_rule(tmp_path):
    rule = shipped_rule("cin-visit")
    timescales.rule_end(actor=None, rule=rule, effective_to=dt.date(2025, 3, 31))
    result = timescales.timescales_load(
        rows=timescales.read_timescales(write_csv(tmp_path, HEADER, CIN_VISIT_LINE))
    )
    assert not result.changed
    rule.refresh_from_db()
    assert rule.effective_to == dt.date(2025, 3, 31)


def test_a_new_type_is_added_and_a_changed_type_reported(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        CIN_VISIT_LINE.replace("Child in need visit", "Child in need home visit"),
        "pa-visit,pa-visit,Personal adviser contact,children,false,true,0.25,"
        "Keep in touch with a care leaver at least every 8 weeks,previous_completed,,,,,8,weeks,"
        "true,false,Care Leavers Regulations 2010,2011-04-01",
    )
    result = timescales.timescales_load(rows=timescales.read_timescales(path))
    assert result.types_added == ["pa-visit"]
    assert result.types_updated == [
        "cin-visit: name Child in need visit → Child in need home visit"
    ]
    assert result.rules_added == ["pa-visit from 2011-04-01"]
    assert item_type("pa-visit").weighting == Decimal("0.25")


def test_the_command_prints_what_it_added_and_updated(tmp_path, capsys):
    call_command("load_timescales")
    assert "0 rules added, 0 updated, 29 unchanged" in capsys.readouterr().out
    path = write_csv(
        tmp_path, HEADER, CIN_VISIT_LINE.replace(",20,working_days,", ",15,working_days,")
    )
    call_command("load_timescales", str(path))
    out = capsys.readouterr().out
    assert "0 rules added, 1 updated, 0 unchanged" in out
    assert "rule updated: cin-visit from 2023-12-15: length 20 → 15" in out


def test_a_bad_file_is_refused_naming_each_line_and_nothing_is_loaded(tmp_path):
    good = timescales.TIMESCALES_FILE.read_text(encoding="utf-8").splitlines()
    lines = [
        good[0],
        good[1].replace(",1,working_days,", ",1,fortnights,"),  # line 2: unknown unit
        good[3].replace(",45,working_days,", ",-45,working_days,"),  # line 3: negative
        good[7].replace(",10,working_days,,,", ",,working_days,,,"),  # line 4: unit, no length
        good[10],  # line 5: fine (cin-visit)
        good[11].replace(",3,months,", ",,months,"),  # line 6: second_unit, no length
    ]
    path = write_csv(tmp_path, *lines)
    with pytest.raises(timescales.TimescaleFileError) as error:
        timescales.read_timescales(path)
    assert error.value.problems == [
        "line 2: unknown unit 'fortnights' in unit; use one of working_days, calendar_days, "
        "weeks, months",
        "line 3: length -45 is negative; give a whole number of 1 or more",
        "line 4: first_unit is given without first_length; give both or neither",
        "line 6: second_unit is given without second_length; give both or neither",
    ]
    with pytest.raises(CommandError, match="Nothing was loaded") as command_error:
        call_command("load_timescales", str(path))
    assert "line 3: length -45 is negative" in str(command_error.value)
    assert shipped_rule("cf-assessment").length == 45


def test_a_file_missing_a_column_is_refused_on_line_1(tmp_path):
    header = HEADER.replace(",unit,", ",")
    path = write_csv(tmp_path, header)
    with pytest.raises(timescales.TimescaleFileError) as error:
        timescales.read_timescales(path)
    assert error.value.problems == ["line 1: the header is missing the column(s) unit"]


def test_other_mistakes_name_their_line(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        CIN_VISIT_LINE.replace(",children,", ",housing,"),
        CIN_VISIT_LINE.replace(",true,true,Local", ",maybe,true,Local"),
        CIN_VISIT_LINE.replace("2023-12-15", "15/12/2023"),
        CIN_VISIT_LINE.replace(",20,working_days,true,", ",20,working_days,false,").replace(
            "previous_completed,,,", "previous_completed,2,weeks,"
        ),
        CIN_VISIT_LINE,
        CIN_VISIT_LINE,
        "too,few,columns",
    )
    with pytest.raises(timescales.TimescaleFileError) as error:
        timescales.read_timescales(path)
    problems = error.value.problems
    assert problems[0].startswith("line 2: service_area 'housing' is not one of children")
    assert problems[1] == "line 3: recurs 'maybe' must be true or false"
    assert problems[2] == "line 4: effective_from '15/12/2023' is not a date in the form YYYY-MM-DD"
    assert problems[3] == "line 5: first_length is only for a step that recurs (recurs is false)"
    assert problems[4] == "line 7: the rule cin-visit from 2023-12-15 is listed twice (also line 6)"
    assert problems[5] == "line 8: expected 19 columns, found 3"
