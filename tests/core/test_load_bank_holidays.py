"""`kith load_bank_holidays`: GOV.UK JSON or CSV, idempotent, all or nothing."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kith.core.calendar import is_working_day
from kith.core.models import BankHoliday

pytestmark = pytest.mark.django_db

HOLIDAYS_2031 = [
    ("2031-01-01", "New Year’s Day"),
    ("2031-04-11", "Good Friday"),
    ("2031-04-14", "Easter Monday"),
    ("2031-05-05", "Early May bank holiday"),
    ("2031-05-26", "Spring bank holiday"),
    ("2031-08-25", "Summer bank holiday"),
    ("2031-12-25", "Christmas Day"),
    ("2031-12-26", "Boxing Day"),
]


def gov_uk_json(events: list[dict]) -> str:
    """GOV.UK's bank-holidays.json shape, with the other divisions it always carries."""
    return json.dumps(
        {
            "england-and-wales": {"division": "england-and-wales", "events": events},
            "scotland": {
                "division": "scotland",
                "events": [event("2031-12-01", "St Andrew’s Day")],
            },
            "northern-ireland": {"division": "northern-ireland", "events": []},
        }
    )


def event(day: str, title: str, notes: str = "") -> dict:
    return {"title": title, "date": day, "notes": notes, "bunting": True}


def load(path) -> str:
    out = StringIO()
    call_command("load_bank_holidays", str(path), stdout=out)
    return out.getvalue()


def write_csv(tmp_path, lines: list[str]):
    path = tmp_path / "holidays.csv"
    path.write_text("\n".join(["date,title", *lines]) + "\n", encoding="utf-8")
    return path


def test_gov_uk_json_adds_a_new_year_and_is_idempotent(tmp_path):
    # given GOV.UK's file with 2031 and two 2027 days already held, one a substitute day
    events = [event(day, title) for day, title in HOLIDAYS_2031]
    events += [
        event("2027-12-27", "Christmas Day", notes="Substitute day"),
        event("2027-12-28", "Boxing Day", notes="Substitute day"),
    ]
    path = tmp_path / "bank-holidays.json"
    path.write_text(gov_uk_json(events), encoding="utf-8")
    # when it is loaded
    output = load(path)
    # then 2031 is added, the 2027 days are recognised, and Scotland is ignored
    assert "8 added, 2 already present." in output
    assert "Years loaded: 2015–2031." in output
    assert BankHoliday.objects.filter(date__year=2031).count() == 8
    assert not BankHoliday.objects.filter(date=date(2031, 12, 1)).exists()
    assert (
        BankHoliday.objects.get(date=date(2027, 12, 27)).title == "Christmas Day (substitute day)"
    )
    # and the calendar sees 2031 at once
    assert not is_working_day(date(2031, 4, 11))
    # when it is loaded again, then nothing is duplicated
    assert "0 added, 10 already present." in load(path)
    assert BankHoliday.objects.filter(date__year=2031).count() == 8


def test_csv_adds_a_new_year_and_is_idempotent(tmp_path):
    # given a CSV of 2031
    path = write_csv(tmp_path, [f"{day},{title}" for day, title in HOLIDAYS_2031])
    # when it is loaded twice
    first, second = load(path), load(path)
    # then the first adds 8 and the second finds them all present
    assert "8 added, 0 already present." in first
    assert "0 added, 8 already present." in second
    assert BankHoliday.objects.filter(date__year=2031).count() == 8


def test_the_shipped_list_is_already_loaded_by_the_migration():
    # when the command runs with no file
    out = StringIO()
    call_command("load_bank_holidays", stdout=out)
    # then it loads the shipped list, which the data migration already did
    assert "0 added, 131 already present." in out.getvalue()


def test_a_cached_calendar_sees_holidays_loaded_later(tmp_path):
    # given the calendar has cached 2030, in which Friday 14 June is a working day
    assert is_working_day(date(2030, 6, 14))
    # when an extra 2030 holiday is proclaimed and loaded
    load(write_csv(tmp_path, ["2030-06-14,Extra bank holiday"]))
    # then the calendar knows it
    assert not is_working_day(date(2030, 6, 14))


def test_bad_csv_rows_reject_the_whole_file_naming_each_line(tmp_path):
    # given a CSV with good 2031 rows and three bad ones
    path = write_csv(
        tmp_path,
        [
            "2031-01-01,New Year’s Day",
            "2031-02-30,Not a day",
            "2031-04-11,Good Friday",
            "2031-02-01,A Saturday",
            "01/05/2031,Early May bank holiday",
            "2031-05-26,",
            "2031-04-11,Good Friday again",
        ],
    )
    # when it is loaded
    with pytest.raises(CommandError) as raised:
        load(path)
    # then the message names every bad line and what is wrong with it
    message = str(raised.value)
    assert "Nothing was loaded" in message
    assert "line 3: 2031-02-30 is not a real date" in message
    assert "line 5: 2031-02-01 is a Saturday" in message
    assert "line 6: the date '01/05/2031' is not in the form YYYY-MM-DD" in message
    assert "line 7: the title is blank" in message
    assert "line 8: 2031-04-11 is listed twice (also line 4)" in message
    assert "line 2:" not in message
    # and none of the good rows was loaded
    assert not BankHoliday.objects.filter(date__year=2031).exists()


def test_a_csv_without_the_date_and_title_columns_is_refused(tmp_path):
    # given a CSV with the wrong header
    path = tmp_path / "holidays.csv"
    path.write_text("day,name\n2031-01-01,New Year’s Day\n", encoding="utf-8")
    # when it is loaded, then the header line is named
    with pytest.raises(CommandError, match="line 1: the header must name the columns date,title"):
        load(path)


def test_bad_json_events_reject_the_whole_file_naming_each_event(tmp_path):
    # given GOV.UK's shape with one event lacking a date and one with no title
    events = [
        event("2031-01-01", "New Year’s Day"),
        {"title": "Good Friday", "notes": "", "bunting": False},
        event("2031-04-14", ""),
    ]
    path = tmp_path / "bank-holidays.json"
    path.write_text(gov_uk_json(events), encoding="utf-8")
    # when it is loaded
    with pytest.raises(CommandError) as raised:
        load(path)
    # then each bad event is named and nothing is loaded
    message = str(raised.value)
    assert "england-and-wales event 2: the date None is not in the form YYYY-MM-DD" in message
    assert "england-and-wales event 3: the title is blank" in message
    assert not BankHoliday.objects.filter(date__year=2031).exists()


def test_a_file_that_is_not_gov_uk_json_is_refused(tmp_path):
    # given broken JSON, and JSON in some other shape
    broken = tmp_path / "broken.json"
    broken.write_text('{"england-and-wales": {"events": [\n  {"title": }\n]}}', encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text('{"holidays": []}', encoding="utf-8")
    # then both are refused with the reason
    with pytest.raises(CommandError, match="line 2: not valid JSON"):
        load(broken)
    with pytest.raises(CommandError, match=r"not in GOV\.UK's format"):
        load(other)


def test_a_failure_while_saving_leaves_everything_as_it_was(tmp_path, monkeypatch):
    # given a file that renames a held holiday and adds 2031
    path = write_csv(
        tmp_path,
        ["2030-01-01,New Year's Day", *[f"{day},{title}" for day, title in HOLIDAYS_2031]],
    )

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(BankHoliday.objects, "bulk_create", fail)
    # when saving fails after the rename
    with pytest.raises(RuntimeError):
        load(path)
    # then the rename is rolled back with the rest
    assert BankHoliday.objects.get(date=date(2030, 1, 1)).title == "New Year’s Day"
    assert not BankHoliday.objects.filter(date__year=2031).exists()


def test_a_changed_title_is_updated_not_duplicated(tmp_path):
    # given a file giving 2030's New Year's Day a straight apostrophe
    path = write_csv(tmp_path, ["2030-01-01,New Year's Day"])
    # when it is loaded
    output = load(path)
    # then the one row is renamed
    assert "0 added, 0 already present, 1 renamed." in output
    assert BankHoliday.objects.get(date=date(2030, 1, 1)).title == "New Year's Day"


def test_a_moved_holiday_is_reported_and_removed_only_when_asked(tmp_path):
    # given 2030 as GOV.UK might republish it with early May moved to Friday 10 May
    held_2030 = BankHoliday.objects.filter(date__year=2030).exclude(date=date(2030, 5, 6))
    lines = [f"{holiday.date.isoformat()},{holiday.title}" for holiday in held_2030]
    path = write_csv(tmp_path, [*lines, "2030-05-10,Early May bank holiday"])
    # when it is loaded, then Monday 6 May is reported but kept
    output = load(path)
    assert "Held but not in the file: 2030-05-06 Early May bank holiday" in output
    assert BankHoliday.objects.filter(date=date(2030, 5, 6)).exists()
    # when it is loaded with --remove-missing, then Monday 6 May goes
    out = StringIO()
    call_command("load_bank_holidays", str(path), "--remove-missing", stdout=out)
    assert "1 removed" in out.getvalue()
    assert not BankHoliday.objects.filter(date=date(2030, 5, 6)).exists()
    assert is_working_day(date(2030, 5, 6))
    assert not is_working_day(date(2030, 5, 10))


def test_a_file_covering_part_of_a_year_is_warned_about(tmp_path):
    # given a file with only the first two 2031 holidays
    path = write_csv(tmp_path, [f"{day},{title}" for day, title in HOLIDAYS_2031[:2]])
    # when it is loaded, then the short year is pointed out
    assert "only 2 bank holiday(s) in 2031" in load(path)
