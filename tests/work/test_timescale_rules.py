"""Timescale rules: which one is in force, the shipped file, and due dates that follow a
change of rule or of the bank-holiday calendar."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from kith.core import calendar
from kith.work import services, timescales
from kith.work.models import TimescaleRule, WorkItemEvent, WorkItemType
from tests import factories

pytestmark = pytest.mark.django_db

NOON = dt.time(12, 0, tzinfo=dt.UTC)


def cin_visit() -> WorkItemType:
    return WorkItemType.objects.get(code="cin-visit")


def test_the_shipped_rules_are_loaded_and_reloading_changes_nothing(capsys):
    shipped = TimescaleRule.objects.filter(code="cf-assessment").order_by("effective_from")
    assert [(rule.length, rule.effective_to) for rule in shipped] == [
        (45, dt.date(2023, 12, 14)),
        (45, None),
    ]
    call_command("load_timescales")
    assert "0 rules added, 0 updated" in capsys.readouterr().out


def test_a_bad_file_names_every_bad_line(tmp_path: Path):
    good = timescales.TIMESCALES_FILE.read_text().splitlines()
    bad = [good[0], good[1].replace("working_days", "fortnights"), good[2].replace(",1,", ",0,")]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(bad) + "\n")
    with pytest.raises(timescales.TimescaleFileError) as error:
        timescales.read_timescales(path)
    assert "line 2: unknown unit 'fortnights'" in str(error.value)
    assert "line 3: " in str(error.value)


def test_a_local_rule_wins_from_its_start_date_and_moves_open_items():
    team = factories.team("Children in Need")
    child = factories.person("Ada", "Lane")
    with time_machine.travel(dt.datetime.combine(dt.date(2025, 3, 3), NOON), tick=False):
        visit = services.work_item_create(
            actor=None, person=child, item_type=cin_visit(), team=team
        )
        assert visit.due_date == dt.date(2025, 3, 31)  # the shipped 20 working days
        timescales.local_rule_add(
            actor=None,
            item_type=cin_visit(),
            description="Visit children in need every 15 working days",
            length=15,
            unit="working_days",
            effective_from=dt.date(2025, 1, 1),
            recurs=True,
            starts="previous_completed",
        )
    # the council's newer rule applies from its start date; before it, the shipped one
    assert timescales.rule_for(cin_visit(), dt.date(2025, 3, 3)).length == 15
    assert timescales.rule_for(cin_visit(), dt.date(2024, 12, 31)).length == 20
    visit.refresh_from_db()
    assert visit.due_date == dt.date(2025, 3, 24)  # 15 working days from 3 March
    moved = visit.events.get(kind=WorkItemEvent.Kind.DUE_DATE)
    assert moved.old_value == "2025-03-31"
    assert "timescale" in moved.comment


def test_a_new_bank_holiday_moves_working_day_due_dates():
    team = factories.team("Assessment")
    child = factories.person("Bo", "Marsh")
    with time_machine.travel(dt.datetime.combine(dt.date(2030, 6, 3), NOON), tick=False):
        item = services.work_item_create(
            actor=None,
            person=child,
            item_type=WorkItemType.objects.get(code="referral-decision"),
            team=team,
        )
        assert item.due_date == dt.date(2030, 6, 4)
        calendar.bank_holidays_load(
            holidays=[calendar.BankHolidayRow(dt.date(2030, 6, 4), "A royal occasion", "test")]
        )
    item.refresh_from_db()
    assert item.due_date == dt.date(2030, 6, 5)


def test_a_local_rule_wins_over_a_statutory_one():
    assessment = WorkItemType.objects.get(code="cf-assessment")
    timescales.local_rule_add(
        actor=None,
        item_type=assessment,
        description="Assessments within 35 working days",
        length=35,
        unit="working_days",
        effective_from=dt.date(2020, 1, 1),
    )
    # the statutory 45-day rule started later (2023), but the local one wins
    assert timescales.rule_for(assessment, dt.date(2025, 1, 1)).length == 35


@pytest.mark.parametrize(
    ("days", "band"), [(0, "0–2"), (2, "0–2"), (3, "3–5"), (5, "3–5"), (6, "6–10"), (11, "10+")]
)
def test_age_bands(days, band):
    assert timescales.age_band(days) == band
