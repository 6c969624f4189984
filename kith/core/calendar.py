"""The working-day calendar for England and Wales, and loading its bank holidays.

A working day is Monday to Friday and not a bank holiday. Bank holidays are data (the
``BankHoliday`` table, loaded from GOV.UK's list), read once and cached in this process. A date
in a year with no bank holidays loaded raises ``HolidaysNotLoaded``, so a due date never silently
ignores holidays.
"""

from __future__ import annotations

import csv
import io
import json
import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from django.db import transaction

from kith.core.models import ENGLAND_AND_WALES, BankHoliday
from kith.core.signals import bank_holidays_changed

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

SHIPPED_BANK_HOLIDAYS = (
    Path(__file__).resolve().parent / "data" / "bank_holidays_england_and_wales.csv"
)
CalendarUnit = Literal["days", "weeks", "months"]
CALENDAR_UNITS: tuple[CalendarUnit, ...] = ("days", "weeks", "months")
TITLE_MAX_LENGTH = BankHoliday._meta.get_field("title").max_length or 200
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class HolidaysNotLoaded(LookupError):
    """Working days were asked about in a year with no bank holidays loaded."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"No bank holidays are loaded for {year}, so working days in {year} cannot be "
            "counted. Load them with `kith load_bank_holidays FILE` (GOV.UK's "
            "bank-holidays.json or a CSV of date,title)."
        )


class BankHolidayFileError(ValueError):
    """A bank holiday file has problems; ``problems`` names each line and what is wrong."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


# --- The calendar -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Holidays:
    dates: frozenset[date]
    years: frozenset[int]


_cache: _Holidays | None = None


def clear_holiday_cache() -> None:
    """Forget the cached bank holidays; the next question reads them from the database."""
    global _cache
    _cache = None


def _read_holidays() -> _Holidays:
    dates = frozenset(
        BankHoliday.objects.filter(division=ENGLAND_AND_WALES).values_list("date", flat=True)
    )
    return _Holidays(dates=dates, years=frozenset(d.year for d in dates))


def _holidays_in(year: int) -> _Holidays:
    global _cache
    holidays = _cache
    if holidays is None or year not in holidays.years:
        # A miss reads again: another process may have loaded the year since.
        holidays = _cache = _read_holidays()
    if year not in holidays.years:
        raise HolidaysNotLoaded(year)
    return holidays


def _require_date(value: date) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"Expected a date, got {type(value).__name__}: {value!r}")
    return value


def is_bank_holiday(day: date) -> bool:
    return _require_date(day) in _holidays_in(day.year).dates


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    holidays = _holidays_in(_require_date(day).year)
    return day.weekday() < 5 and day not in holidays.dates


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (``start`` itself does not count).

    45 working days from a referral is ``add_working_days(referral_date, 45)``. ``n == 0``
    returns ``start`` unchanged, whether or not it is a working day.
    """
    _require_date(start)
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``.

    The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n``.
    If ``end`` is before ``start`` the count is negative: ``-working_days_between(end, start)``.
    """
    _require_date(start)
    _require_date(end)
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def next_working_day(day: date) -> date:
    """The first working day after ``day`` (never ``day`` itself)."""
    return add_working_days(day, 1)


def add_calendar_period(start: date, n: int, unit: CalendarUnit) -> date:
    """``start`` plus n days, weeks or months; n may be negative.

    Months keep the day of the month, clamped to the month's end: 31 January + 1 month is
    28 February (29 in a leap year). Bank holidays play no part.
    """
    _require_date(start)
    if unit == "days":
        return start + timedelta(days=n)
    if unit == "weeks":
        return start + timedelta(weeks=n)
    if unit == "months":
        year, month_index = divmod(start.year * 12 + start.month - 1 + n, 12)
        month = month_index + 1
        return date(year, month, min(start.day, monthrange(year, month)[1]))
    raise ValueError(f"unit must be one of {', '.join(CALENDAR_UNITS)}; got {unit!r}")


# --- Loading bank holidays ------------------------------------------------------------------


@dataclass(frozen=True)
class BankHolidayRow:
    date: date
    title: str
    where: str  # e.g. "line 12" or "event 7", for messages


@dataclass(frozen=True)
class BankHolidayLoadResult:
    added: int
    already_present: int
    title_updated: int
    removed: list[BankHolidayRow]
    not_in_file: list[BankHolidayRow]  # held for a year the file covers, but not in the file


def read_bank_holidays_file(path: Path) -> list[BankHolidayRow]:
    """Read and check a GOV.UK bank-holidays.json or a CSV of ``date,title``.

    Raises ``BankHolidayFileError`` listing every bad row; nothing is returned unless all are good.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise BankHolidayFileError(path, [f"cannot be read: {error}"]) from error
    looks_like_json = path.suffix.lower() == ".json" or text.lstrip().startswith("{")
    problems: list[str] = []
    candidates = _parse_json(text, problems) if looks_like_json else _parse_csv(text, problems)
    rows = _check_rows(candidates, problems)
    if not problems and not rows:
        problems.append("holds no bank holidays")
    if problems:
        raise BankHolidayFileError(path, problems)
    return rows


def _parse_csv(text: str, problems: list[str]) -> list[tuple[str, Any, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return []
    columns = [name.strip().lower() for name in header]
    if "date" not in columns or "title" not in columns:
        problems.append(f"line 1: the header must name the columns date,title; found {header}")
        return []
    date_at, title_at = columns.index("date"), columns.index("title")
    candidates: list[tuple[str, Any, Any]] = []
    for row in reader:
        where = f"line {reader.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            problems.append(f"{where}: expected {len(columns)} columns, found {len(row)}")
            continue
        candidates.append((where, row[date_at], row[title_at]))
    return candidates


def _parse_json(text: str, problems: list[str]) -> list[tuple[str, Any, Any]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(f"line {error.lineno}: not valid JSON ({error.msg})")
        return []
    division = document.get(ENGLAND_AND_WALES) if isinstance(document, dict) else None
    events = division.get("events") if isinstance(division, dict) else None
    if not isinstance(events, list):
        problems.append(
            f'not in GOV.UK\'s format: expected {{"{ENGLAND_AND_WALES}": {{"events": [...]}}}}'
        )
        return []
    candidates: list[tuple[str, Any, Any]] = []
    for number, event in enumerate(events, start=1):
        where = f"{ENGLAND_AND_WALES} event {number}"
        if not isinstance(event, dict):
            problems.append(f"{where}: expected an object with a title and a date")
            continue
        title, notes = event.get("title"), event.get("notes")
        if isinstance(title, str) and isinstance(notes, str) and notes.strip():
            title = f"{title.strip()} ({notes.strip().lower()})"  # e.g. "(substitute day)"
        candidates.append((where, event.get("date"), title))
    return candidates


def _check_rows(
    candidates: list[tuple[str, Any, Any]], problems: list[str]
) -> list[BankHolidayRow]:
    rows: list[BankHolidayRow] = []
    first_seen: dict[date, str] = {}
    for where, raw_date, raw_title in candidates:
        if not isinstance(raw_date, str) or not _ISO_DATE.fullmatch(raw_date.strip()):
            problems.append(f"{where}: the date {raw_date!r} is not in the form YYYY-MM-DD")
            continue
        try:
            day = date.fromisoformat(raw_date.strip())
        except ValueError:
            problems.append(f"{where}: {raw_date.strip()} is not a real date")
            continue
        title = raw_title.strip() if isinstance(raw_title, str) else ""
        if not title:
            problems.append(f"{where}: the title is blank")
            continue
        if len(title) > TITLE_MAX_LENGTH:
            problems.append(f"{where}: the title is longer than {TITLE_MAX_LENGTH} characters")
            continue
        if day.weekday() >= 5:
            problems.append(
                f"{where}: {day.isoformat()} is a {day:%A}; bank holidays fall on weekdays "
                "(a holiday on a weekend is listed as its substitute day)"
            )
            continue
        if day in first_seen:
            problems.append(f"{where}: {day.isoformat()} is listed twice (also {first_seen[day]})")
            continue
        first_seen[day] = where
        rows.append(BankHolidayRow(date=day, title=title, where=where))
    return rows


def bank_holidays_load(
    *,
    holidays: Iterable[BankHolidayRow],
    actor: AbstractBaseUser | None = None,
    remove_missing: bool = False,
    model: Any = BankHoliday,
) -> BankHolidayLoadResult:
    """Add the holidays not yet held, in one transaction; re-running adds nothing.

    A date already held keeps its row; only its title is brought up to date. Holidays held for
    a year the file covers but missing from it (a moved holiday) are reported, and deleted only
    if ``remove_missing``. ``model`` lets a data migration pass its historical model.
    Adding or removing holidays sends ``kith.core.signals.bank_holidays_changed``.
    """
    wanted = {row.date: row for row in holidays}
    years = {day.year for day in wanted}
    added = already_present = title_updated = 0
    with transaction.atomic():
        held = {
            holiday.date: holiday
            for holiday in model.objects.select_for_update().filter(date__year__in=years)
        }
        new = []
        for day, row in sorted(wanted.items()):
            holiday = held.get(day)
            if holiday is None:
                new.append(
                    model(
                        date=day,
                        title=row.title,
                        division=ENGLAND_AND_WALES,
                        created_by=actor,
                        updated_by=actor,
                    )
                )
                added += 1
            elif holiday.title != row.title:
                holiday.title, holiday.updated_by = row.title, actor
                holiday.save(update_fields=["title", "updated_by", "updated_at"])
                title_updated += 1
            else:
                already_present += 1
        model.objects.bulk_create(new)
        missing = [
            BankHolidayRow(date=day, title=holiday.title, where="database")
            for day, holiday in sorted(held.items())
            if day not in wanted
        ]
        if remove_missing and missing:
            model.objects.filter(date__in=[row.date for row in missing]).delete()
        clear_holiday_cache()
        transaction.on_commit(clear_holiday_cache)
        removed = missing if remove_missing else []
        if model is BankHoliday and (new or removed):
            # Due dates in working days may move: apps that count them listen (core cannot
            # import them). Not from a data migration, whose historical model differs.
            bank_holidays_changed.send(
                sender=BankHoliday,
                actor=actor,
                added=[holiday.date for holiday in new],
                removed=[row.date for row in removed],
            )
    return BankHolidayLoadResult(
        added=added,
        already_present=already_present,
        title_updated=title_updated,
        removed=missing if remove_missing else [],
        not_in_file=[] if remove_missing else missing,
    )


def loaded_years() -> list[int]:
    """The years with at least one bank holiday loaded, oldest first."""
    return sorted(_read_holidays().years)
