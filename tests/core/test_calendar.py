"""Working days in England and Wales: weekends, bank holidays, substitutes and one-offs."""

from datetime import date, datetime, timedelta

import pytest

from kith.core.calendar import (
    HolidaysNotLoaded,
    add_calendar_period,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from kith.core.models import BankHoliday

pytestmark = pytest.mark.django_db


def test_45_working_days_from_a_referral_on_the_thursday_before_easter_2026():
    # given a referral on Thursday 2 April 2026; Good Friday 3 April, Easter Monday 6 April,
    # early May 4 May and spring 25 May 2026 are bank holidays
    referral = date(2026, 4, 2)
    # when 45 working days are counted from it
    due = add_working_days(referral, 45)
    # then 9 weeks of weekdays (to Thursday 4 June) plus 4 holidays lands on Wednesday 10 June
    assert due == date(2026, 6, 10)
    assert working_days_between(referral, due) == 45


def test_weekends_are_not_working_days():
    # given a Friday and the weekend after it
    friday = date(2026, 3, 13)
    # then Saturday and Sunday are skipped
    assert is_working_day(friday)
    assert not is_working_day(friday + timedelta(days=1))
    assert not is_working_day(friday + timedelta(days=2))
    assert next_working_day(friday) == date(2026, 3, 16)
    assert add_working_days(friday, 1) == date(2026, 3, 16)
    assert add_working_days(friday, 5) == date(2026, 3, 20)


def test_next_working_day_is_never_the_day_itself():
    # given a working Monday
    monday = date(2026, 3, 16)
    # then the next working day is the Tuesday, and counting 0 days stays put
    assert next_working_day(monday) == date(2026, 3, 17)
    assert add_working_days(monday, 0) == monday
    assert add_working_days(date(2026, 3, 14), 0) == date(2026, 3, 14)


def test_christmas_substitutes_when_christmas_is_on_a_saturday():
    # given Christmas 2021 on a Saturday: Monday 27 and Tuesday 28 December are substitutes
    christmas_eve = date(2021, 12, 24)
    # then
    assert not is_working_day(date(2021, 12, 27))
    assert not is_working_day(date(2021, 12, 28))
    assert next_working_day(christmas_eve) == date(2021, 12, 29)


def test_boxing_day_substitute_when_it_falls_on_a_saturday():
    # given Christmas 2026 on a Friday: Boxing Day moves to Monday 28 December
    christmas_eve = date(2026, 12, 24)
    # then
    assert next_working_day(christmas_eve) == date(2026, 12, 29)


def test_new_year_substitute_and_counting_across_the_year_end():
    # given New Year's Day 2022 on a Saturday: Monday 3 January is the substitute
    christmas_eve = date(2021, 12, 24)
    # when counting into the new year
    # then only 29, 30, 31 December and 4 January 2022 are working days
    assert not is_working_day(date(2022, 1, 3))
    assert next_working_day(date(2021, 12, 31)) == date(2022, 1, 4)
    assert working_days_between(christmas_eve, date(2022, 1, 4)) == 4
    assert add_working_days(christmas_eve, 4) == date(2022, 1, 4)


def test_the_2022_platinum_jubilee_and_state_funeral():
    # given spring bank holiday moved to Thursday 2 June 2022 beside the jubilee on Friday 3 June
    # then Monday 30 May was a working day and the Wednesday before rolls on to Monday
    assert is_working_day(date(2022, 5, 30))
    assert not is_working_day(date(2022, 6, 2))
    assert not is_working_day(date(2022, 6, 3))
    assert next_working_day(date(2022, 6, 1)) == date(2022, 6, 6)
    # and the state funeral on Monday 19 September 2022
    assert not is_working_day(date(2022, 9, 19))
    assert next_working_day(date(2022, 9, 16)) == date(2022, 9, 20)


def test_ve_day_2020_and_the_coronation_2023():
    # given early May 2020 moved to Friday 8 May, and the coronation added on 8 May 2023
    # then
    assert is_working_day(date(2020, 5, 4))
    assert not is_working_day(date(2020, 5, 8))
    assert not is_working_day(date(2023, 5, 1))
    assert not is_working_day(date(2023, 5, 8))


def test_working_days_between_is_the_inverse_of_adding_them():
    # given every start day around Christmas and Easter 2022
    starts = [date(2021, 12, 1) + timedelta(days=n) for n in range(62)]
    starts += [date(2022, 4, 1) + timedelta(days=n) for n in range(30)]
    for start in starts:
        for n in (0, 1, 2, 5, 20, 45):
            # when n working days are added
            end = add_working_days(start, n)
            # then counting back gives n, reversed gives -n, and a non-zero count ends on a
            # working day
            assert working_days_between(start, end) == n
            assert working_days_between(end, start) == -n
            assert n == 0 or is_working_day(end)


def test_working_days_between_counts_after_start_up_to_and_including_end():
    # given Monday 16 March 2026 and the Friday of the same week
    # then Tuesday to Friday are counted; the same day is none
    assert working_days_between(date(2026, 3, 16), date(2026, 3, 20)) == 4
    assert working_days_between(date(2026, 3, 16), date(2026, 3, 16)) == 0
    assert working_days_between(date(2026, 3, 20), date(2026, 3, 16)) == -4
    # and a weekend end adds nothing
    assert working_days_between(date(2026, 3, 20), date(2026, 3, 22)) == 0


@pytest.mark.parametrize(
    ("start", "n", "unit", "expected"),
    [
        (date(2026, 1, 31), 1, "months", date(2026, 2, 28)),
        (date(2024, 1, 31), 1, "months", date(2024, 2, 29)),
        (date(2026, 8, 31), 1, "months", date(2026, 9, 30)),
        (date(2026, 11, 30), 3, "months", date(2027, 2, 28)),
        (date(2026, 3, 31), -1, "months", date(2026, 2, 28)),
        (date(2026, 1, 15), 12, "months", date(2027, 1, 15)),
        (date(2026, 10, 15), 6, "months", date(2027, 4, 15)),
        (date(2026, 12, 28), 1, "weeks", date(2027, 1, 4)),
        (date(2026, 2, 20), 10, "days", date(2026, 3, 2)),
        (date(2026, 12, 25), 0, "days", date(2026, 12, 25)),
    ],
)
def test_calendar_periods_clamp_to_the_month_end(start, n, unit, expected):
    # given a start date, when a calendar period is added, then months clamp to the month end
    assert add_calendar_period(start, n, unit) == expected


def test_an_unknown_period_unit_is_refused():
    # when asked for years (not a supported unit) then it says which units there are
    with pytest.raises(ValueError, match="days, weeks, months"):
        add_calendar_period(date(2026, 1, 1), 1, "years")  # type: ignore[arg-type]


def test_a_year_without_bank_holidays_is_refused_not_guessed():
    # given no bank holidays loaded for 2031
    assert not BankHoliday.objects.filter(date__year=2031).exists()
    # when a due date would run into 2031
    # then the calendar refuses, naming the year and how to load it
    with pytest.raises(HolidaysNotLoaded, match=r"2031.*load_bank_holidays"):
        add_working_days(date(2030, 12, 20), 10)
    with pytest.raises(HolidaysNotLoaded):
        is_working_day(date(2031, 1, 4))  # a Saturday is still refused
    with pytest.raises(HolidaysNotLoaded):
        working_days_between(date(2014, 12, 30), date(2015, 1, 5))


def test_holidays_are_read_once_then_served_from_the_cache(django_assert_num_queries):
    # given the calendar has read the holidays once
    is_working_day(date(2026, 1, 2))
    # when many more questions are asked within the loaded years
    # then the database is not asked again
    with django_assert_num_queries(0):
        add_working_days(date(2015, 1, 1), 1000)
        working_days_between(date(2030, 12, 31), date(2015, 1, 1))


def test_a_year_loaded_by_another_process_is_found_without_a_restart():
    # given the cache was filled before 2031 was loaded (here, directly, as another process would)
    assert is_working_day(date(2030, 6, 3))
    BankHoliday.objects.create(date=date(2031, 1, 1), title="New Year’s Day")
    # when 2031 is asked about, then the calendar reads again and finds it
    assert not is_working_day(date(2031, 1, 1))
    assert is_working_day(date(2031, 1, 2))


def test_datetimes_are_refused():
    # given a datetime where a date belongs, then the calendar refuses rather than miscount
    with pytest.raises(TypeError, match="Expected a date"):
        is_working_day(datetime(2026, 1, 2, 9, 0))  # noqa: DTZ001
