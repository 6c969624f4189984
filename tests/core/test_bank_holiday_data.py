"""The shipped bank holiday list, checked against the rules that make it."""

import csv
from datetime import date, timedelta

import pytest
from dateutil.easter import easter  # type: ignore[import-untyped]

from kith.core.calendar import SHIPPED_BANK_HOLIDAYS
from kith.core.models import BankHoliday

NEW_YEARS_DAY = "New Year’s Day"
SUBSTITUTE = " (substitute day)"

# Proclaimed one-offs and moved holidays: (ordinary date moved away from, or None, new date, title)
SPECIALS = [
    (date(2020, 5, 4), date(2020, 5, 8), "Early May bank holiday (VE day)"),
    (date(2022, 5, 30), date(2022, 6, 2), "Spring bank holiday"),
    (None, date(2022, 6, 3), "Platinum Jubilee bank holiday"),
    (None, date(2022, 9, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II"),
    (None, date(2023, 5, 8), "Bank holiday for the coronation of King Charles III"),
]


def first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=-day.weekday() % 7)


def last_monday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=day.weekday())


def ordinary_holidays(year: int) -> dict[date, str]:
    """England and Wales by the standing rules, with weekend days moved to substitutes."""
    holidays = {
        easter(year) - timedelta(days=2): "Good Friday",
        easter(year) + timedelta(days=1): "Easter Monday",
        first_monday(year, 5): "Early May bank holiday",
        last_monday(year, 5): "Spring bank holiday",
        last_monday(year, 8): "Summer bank holiday",
    }
    new_year = date(year, 1, 1)
    if new_year.weekday() < 5:
        holidays[new_year] = NEW_YEARS_DAY
    else:
        holidays[new_year + timedelta(days=7 - new_year.weekday())] = NEW_YEARS_DAY + SUBSTITUTE
    # Christmas and Boxing Day: one on a weekend moves to the next weekday not already taken.
    christmas = ((date(year, 12, 25), "Christmas Day"), (date(year, 12, 26), "Boxing Day"))
    holidays |= {day: title for day, title in christmas if day.weekday() < 5}
    for day, title in christmas:
        if day.weekday() >= 5:
            substitute = day
            while substitute.weekday() >= 5 or substitute in holidays:
                substitute += timedelta(days=1)
            holidays[substitute] = title + SUBSTITUTE
    return holidays


def expected_holidays() -> dict[date, str]:
    holidays: dict[date, str] = {}
    for year in range(2015, 2031):
        holidays |= ordinary_holidays(year)
    for moved_from, day, title in SPECIALS:
        if moved_from:
            del holidays[moved_from]
        holidays[day] = title
    return holidays


def shipped_holidays() -> dict[date, str]:
    with SHIPPED_BANK_HOLIDAYS.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    shipped = {date.fromisoformat(row["date"]): row["title"] for row in rows}
    assert len(shipped) == len(rows), "a date is listed twice"
    return shipped


def test_the_shipped_file_matches_the_rules_and_the_proclaimed_holidays():
    # given the rules, Easter, and the proclaimed one-offs of 2020, 2022 and 2023
    expected = expected_holidays()
    # when the shipped file is read
    shipped = shipped_holidays()
    # then every date and title agrees, 2015 to 2030
    assert sorted(shipped) == sorted(expected)
    assert shipped == expected
    assert {day.year for day in shipped} == set(range(2015, 2031))


def test_substitute_days_fall_where_gov_uk_puts_them():
    # given the shipped file
    shipped = shipped_holidays()
    # then weekend Christmases, Boxing Days and New Years have weekday substitutes
    assert shipped[date(2016, 12, 26)] == "Boxing Day"
    assert shipped[date(2016, 12, 27)] == "Christmas Day (substitute day)"
    assert shipped[date(2020, 12, 28)] == "Boxing Day (substitute day)"
    assert shipped[date(2021, 12, 27)] == "Christmas Day (substitute day)"
    assert shipped[date(2021, 12, 28)] == "Boxing Day (substitute day)"
    assert shipped[date(2022, 1, 3)] == "New Year’s Day (substitute day)"
    assert shipped[date(2023, 1, 2)] == "New Year’s Day (substitute day)"
    assert shipped[date(2027, 12, 28)] == "Boxing Day (substitute day)"
    assert shipped[date(2028, 1, 3)] == "New Year’s Day (substitute day)"
    assert all(day.weekday() < 5 for day in shipped)


@pytest.mark.django_db
def test_the_data_migration_loaded_the_shipped_file():
    # given a migrated database
    # when the bank holidays are read from it
    held = dict(BankHoliday.objects.values_list("date", "title"))
    # then they are exactly the shipped file, all England and Wales
    assert held == shipped_holidays()
    assert set(BankHoliday.objects.values_list("division", flat=True)) == {"england-and-wales"}
