"""Statutory and local timescales as data: which rule is in force, and when a step is due.

Rules are ``TimescaleRule`` rows, shipped in ``data/timescales.csv`` and loaded by the data
migration ``0003_timescales`` and by ``kith load_timescales``; administrators add local rules and
end rules from Administration › Timescales. Due dates come from the England and Wales
working-day calendar (``kith.core.calendar``).

When rules change, or bank holidays are added or removed, the callbacks registered with
``on_rules_changed_register`` are told which work item types are affected, so the work services
can recalculate open items' due dates without this module importing them.

``TimescaleRule`` and ``WorkItemType`` hold no personal data, so their writes live here rather
than in ``services.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.core.calendar import (
    CalendarUnit,
    add_calendar_period,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from kith.core.formatting import format_date
from kith.core.signals import bank_holidays_changed
from kith.work.models import TimescaleRule, TimeUnit, WorkItemType

if TYPE_CHECKING:
    from kith.accounts.models import User

TIMESCALES_FILE = Path(__file__).resolve().parent / "data" / "timescales.csv"

# --- Age bands --------------------------------------------------------------------------------


class AgeBand(NamedTuple):
    label: str
    up_to: int | None  # the most working days in the band; None for no upper limit


# How long work has waited, in working days, for the manager's dashboard. "10+" means more
# than 10: a 10-day-old item is in "6–10". Change the bands here and nowhere else.
AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("0–2", 2),
    AgeBand("3–5", 5),
    AgeBand("6–10", 10),
    AgeBand("10+", None),
)


def age_band(working_days: int) -> str:
    """The dashboard band ("0–2", "3–5", "6–10" or "10+") for an age in working days."""
    if working_days < 0:
        raise ValueError(f"An age in working days cannot be negative; got {working_days}")
    for band in AGE_BANDS:
        if band.up_to is None or working_days <= band.up_to:
            return band.label
    raise AssertionError("AGE_BANDS must end with a band with no upper limit")


def overdue_working_days(due: dt.date, today: dt.date) -> int:
    """Working days after ``due`` up to and including ``today``; 0 if it is not yet overdue.

    Due on Friday, today the next Monday: 1. A due date that is itself not a working day (one
    counted in calendar units) on a Saturday is 0 working days overdue on the Sunday and 1 on
    the Monday.
    """
    if today <= due:
        return 0
    return working_days_between(due, today)


# --- Which rule, and when a step is due ----------------------------------------------------


def _in_force_on(on: dt.date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


# Local before statutory, then the latest to start; created_at breaks an exact tie.
_PRECEDENCE = ("-local", "-effective_from", "-created_at")


def _precedence_key(rule: TimescaleRule) -> tuple[bool, dt.date, dt.datetime]:
    return (rule.local, rule.effective_from, rule.created_at)


def rule_for(
    item_type: WorkItemType, on: dt.date, *, excluding: TimescaleRule | None = None
) -> TimescaleRule | None:
    """The rule in force for ``item_type`` on ``on`` (None if there is none).

    In force: ``effective_from <= on`` and (no ``effective_to`` or ``effective_to >= on``). A
    local rule wins over a statutory one; among rules that are equally local, the one with the
    latest ``effective_from`` wins. ``excluding`` asks what would apply without that rule.
    """
    rules = TimescaleRule.objects.filter(_in_force_on(on), item_type=item_type)
    if excluding is not None:
        rules = rules.exclude(pk=excluding.pk)
    return rules.order_by(*_PRECEDENCE).first()


_CALENDAR_UNITS: dict[str, CalendarUnit] = {
    TimeUnit.CALENDAR_DAYS: "days",
    TimeUnit.WEEKS: "weeks",
    TimeUnit.MONTHS: "months",
}


def add_period(start: dt.date, length: int, unit: str) -> dt.date:
    """``start`` plus ``length`` ``unit``s (a ``TimeUnit`` value). See ``due_date``."""
    if unit == TimeUnit.WORKING_DAYS:
        if length == 0 and not is_working_day(start):
            return next_working_day(start)
        return add_working_days(start, length)
    if unit in _CALENDAR_UNITS:
        return add_calendar_period(start, length, _CALENDAR_UNITS[unit])
    raise ValueError(f"Unknown time unit {unit!r}; expected one of {', '.join(TimeUnit.values)}")


def rule_clock(rule: TimescaleRule, occurrence: int = 1) -> tuple[int, str]:
    """The (length, unit) that applies to the ``occurrence``-th step of a series (1 = first).

    Occurrence 1 uses ``first_length``/``first_unit`` when set, occurrence 2 uses
    ``second_length``/``second_unit`` when set; every other occurrence, and those whose own
    clock is not set, uses ``length``/``unit``.
    """
    if occurrence < 1:
        raise ValueError(f"occurrence counts from 1; got {occurrence}")
    if occurrence == 1 and rule.first_length is not None and rule.first_unit:
        return rule.first_length, rule.first_unit
    if occurrence == 2 and rule.second_length is not None and rule.second_unit:
        return rule.second_length, rule.second_unit
    return rule.length, rule.unit


def due_date(rule: TimescaleRule, clock_start: dt.date, occurrence: int = 1) -> dt.date:
    """When the ``occurrence``-th step of ``rule``'s type is due, its clock having started on
    ``clock_start`` (for a recurring step, the day the previous one was completed).

    Working days are counted with ``add_working_days``: the day the clock starts does not
    count, weekends and England and Wales bank holidays are skipped, so a due date in working
    days is always a working day.

    Calendar days, weeks and months are counted with ``add_calendar_period`` (a month keeps
    the day of the month, clamped to the month's end: 3 months from 30 November is 28 or 29
    February). A due date in calendar units that falls on a weekend or bank holiday **stays
    where it falls**: it is not moved to the next or the previous working day. Statute and
    guidance count these periods in calendar time ("within 3 months", "every 6 weeks"), so
    the step is due that day and a worker plans to do it on the working day before.
    """
    length, unit = rule_clock(rule, occurrence)
    return add_period(clock_start, length, unit)


def describe_clock(length: int | None, unit: str) -> str:
    """A clock in words: 20 working days, 1 week, 3 months."""
    if length is None or not unit:
        return ""
    label = TimeUnit(unit).label.lower()
    return f"{length} {label[:-1] if length == 1 else label}"


def describe_rule(rule: TimescaleRule) -> str:
    """The rule's clocks in words: "20 working days, then 3 months, then every 6 months"."""
    regular = describe_clock(rule.length, rule.unit)
    parts = [
        clock
        for clock in (
            describe_clock(rule.first_length, rule.first_unit),
            describe_clock(rule.second_length, rule.second_unit),
        )
        if clock
    ]
    if rule.recurs:
        # "every month", not "every 1 month"
        regular = regular.removeprefix("1 ") if rule.length == 1 else regular
        parts.append(f"every {regular}")
    else:
        parts.append(regular)
    return ", then ".join(parts)


# --- Telling the work services that rules or the calendar changed --------------------------

# Called with the ids of the work item types whose rules changed (None: every type, as when
# bank holidays change) and the user who changed them (None for a command or migration).
RulesChangedCallback = Callable[[set[uuid.UUID] | None, Any], None]
_callbacks: list[RulesChangedCallback] = []


def on_rules_changed_register(callback: RulesChangedCallback) -> None:
    """Call ``callback`` whenever timescale rules or bank holidays change (once per callback)."""
    if callback not in _callbacks:
        _callbacks.append(callback)


def on_rules_changed_unregister(callback: RulesChangedCallback) -> None:
    if callback in _callbacks:
        _callbacks.remove(callback)


def on_rules_changed(item_type_ids: set[uuid.UUID] | None, actor: Any = None) -> None:
    """Tell every registered callback, in the caller's transaction: a callback that fails
    rolls back the change of rules that caused it, so due dates never disagree with the rules.
    """
    for callback in list(_callbacks):
        callback(set(item_type_ids) if item_type_ids is not None else None, actor)


def _bank_holidays_changed(sender: Any, *, actor: Any = None, **kwargs: Any) -> None:
    on_rules_changed(None, actor)


# kith.core cannot import kith.work, so the calendar announces its changes with a signal.
bank_holidays_changed.connect(_bank_holidays_changed, dispatch_uid="kith.work.timescales")


# --- Reading rules for the administrators' page --------------------------------------------


@dataclass
class TypeTimescales:
    item_type: WorkItemType
    in_force: TimescaleRule | None
    overridden: list[TimescaleRule]  # also in force today, but beaten by ``in_force``
    upcoming: list[TimescaleRule]  # start after today


@dataclass
class ServiceAreaTimescales:
    service_area: str
    label: str
    types: list[TypeTimescales]


def timescales_by_service_area(on: dt.date) -> list[ServiceAreaTimescales]:
    """For each service area, each active type with the rule in force on ``on``, the rules
    it beats, and the rules that start later."""
    rules_by_type: dict[uuid.UUID, list[TimescaleRule]] = {}
    for rule in TimescaleRule.objects.order_by("effective_from"):
        rules_by_type.setdefault(rule.item_type_id, []).append(rule)
    areas: list[ServiceAreaTimescales] = []
    for value, label in WorkItemType.ServiceArea.choices:
        types = []
        for item_type in WorkItemType.objects.filter(service_area=value, active=True).order_by(
            "name"
        ):
            rules = rules_by_type.get(item_type.pk, [])
            current = sorted(
                (r for r in rules if r.effective_from <= on and not _ended_before(r, on)),
                key=_precedence_key,
                reverse=True,
            )
            types.append(
                TypeTimescales(
                    item_type=item_type,
                    in_force=current[0] if current else None,
                    overridden=current[1:],
                    upcoming=[r for r in rules if r.effective_from > on],
                )
            )
        if types:
            areas.append(ServiceAreaTimescales(value, label, types))
    return areas


def _ended_before(rule: TimescaleRule, on: dt.date) -> bool:
    return rule.effective_to is not None and rule.effective_to < on


def timescale_rule_get(rule_id: uuid.UUID) -> TimescaleRule | None:
    return TimescaleRule.objects.select_related("item_type").filter(pk=rule_id).first()


def item_type_get(item_type_id: uuid.UUID | str) -> WorkItemType | None:
    try:
        return WorkItemType.objects.filter(pk=item_type_id, active=True).first()
    except (ValueError, ValidationError):
        return None


def item_type_choices() -> list[tuple[str, str]]:
    """(id, "Service area: name") for every active type, for a select."""
    areas = dict(WorkItemType.ServiceArea.choices)
    return [
        (str(t.pk), f"{areas.get(t.service_area, t.service_area)}: {t.name}")
        for t in WorkItemType.objects.filter(active=True).order_by("service_area", "name")
    ]


# --- Changing rules ----------------------------------------------------------------------


def _check_clocks(
    *,
    length: int,
    unit: str,
    first_length: int | None,
    first_unit: str,
    second_length: int | None,
    second_unit: str,
    recurs: bool,
) -> dict[str, str]:
    """Problems with a rule's clocks, by form field, in words an administrator understands."""
    errors: dict[str, str] = {}
    if length < 1:
        errors["length"] = "The regular length must be 1 or more"
    if unit not in TimeUnit.values:
        errors["unit"] = "Select the unit of the regular length"
    for name, size, size_unit in (
        ("first", first_length, first_unit),
        ("second", second_length, second_unit),
    ):
        if size_unit and size_unit not in TimeUnit.values:
            errors[f"{name}_unit"] = f"Select the unit of the {name} length"
        if size is None and size_unit:
            errors[f"{name}_length"] = (
                f"Enter the {name} length, or leave its unit blank if there is no {name} clock"
            )
        elif size is not None and not size_unit:
            errors[f"{name}_unit"] = f"Select the unit of the {name} length"
        elif size is not None and size < 1:
            errors[f"{name}_length"] = f"The {name} length must be 1 or more"
    if not recurs and (first_length is not None or second_length is not None):
        errors["recurs"] = (
            "Only a step that recurs can have first and second lengths; "
            "for a one-off step give the regular length only"
        )
    return errors


@transaction.atomic
def local_rule_add(
    *,
    actor: User | None,
    item_type: WorkItemType,
    description: str,
    length: int,
    unit: str,
    effective_from: dt.date,
    starts: str = TimescaleRule.Starts.ITEM_START,
    recurs: bool = False,
    first_length: int | None = None,
    first_unit: str = "",
    second_length: int | None = None,
    second_unit: str = "",
    source: str = "",
) -> TimescaleRule:
    """Add a council's own (local) rule for ``item_type``. For work whose clock starts on or
    after ``effective_from`` it wins over the statutory rule. Open items are recalculated
    through ``on_rules_changed``."""
    errors = _check_clocks(
        length=length,
        unit=unit,
        first_length=first_length,
        first_unit=first_unit,
        second_length=second_length,
        second_unit=second_unit,
        recurs=recurs,
    )
    description = description.strip()
    if not description:
        errors["description"] = "Enter a description of the rule, as staff will see it"
    if starts not in TimescaleRule.Starts.values:
        errors["starts"] = "Select when the clock starts"
    if errors:
        raise ValidationError(errors)
    code_field = TimescaleRule._meta.get_field("code")
    code = f"local-{item_type.code}"[: code_field.max_length]
    rule = TimescaleRule(
        code=code,
        item_type=item_type,
        description=description,
        starts=starts,
        length=length,
        unit=unit,
        recurs=recurs,
        first_length=first_length,
        first_unit=first_unit,
        second_length=second_length,
        second_unit=second_unit,
        local=True,
        source=source.strip() or "Local rule",
        effective_from=effective_from,
        created_by=actor,
        updated_by=actor,
    )
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise ValidationError(
            {
                "effective_from": f"There is already a local rule for {item_type.name} from "
                f"{format_date(effective_from)}: end it, or choose another date"
            }
        ) from None
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="work.timescalerule",
        object_id=rule.pk,
        reason=f"Local rule for {item_type.name}: {describe_rule(rule)} "
        f"from {effective_from.isoformat()}",
    )
    on_rules_changed({item_type.pk}, actor)
    return rule


@transaction.atomic
def rule_end(*, actor: User | None, rule: TimescaleRule, effective_to: dt.date) -> TimescaleRule:
    """The rule applies to work whose clock starts up to and including ``effective_to``; after
    that, the rule it beat (if any) applies again. Open items are recalculated."""
    if rule.effective_to is not None:
        raise ValidationError(
            {"effective_to": f"This rule has already ended, on {format_date(rule.effective_to)}"}
        )
    if effective_to < rule.effective_from:
        raise ValidationError(
            {
                "effective_to": "The last day must be on or after the day the rule started, "
                f"{format_date(rule.effective_from)}"
            }
        )
    rule.effective_to = effective_to
    rule.updated_by = actor
    rule.save(update_fields=["effective_to", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="work.timescalerule",
        object_id=rule.pk,
        changed_fields=["effective_to"],
        reason=f"{rule.item_type.name}: rule ends on {effective_to.isoformat()}",
    )
    on_rules_changed({rule.item_type_id}, actor)
    return rule


# --- Reading the timescales file ---------------------------------------------------------

COLUMNS = (
    "code",
    "type_code",
    "type_name",
    "service_area",
    "needs_authorisation",
    "statutory",
    "weighting",
    "description",
    "starts",
    "first_length",
    "first_unit",
    "second_length",
    "second_unit",
    "length",
    "unit",
    "recurs",
    "local",
    "source",
    "effective_from",
)
# Optional: a shipped rule that statute replaced from a date ends the day before.
OPTIONAL_COLUMNS = ("effective_to",)
TYPE_COLUMNS = (
    "type_name",
    "service_area",
    "needs_authorisation",
    "statutory",
    "weighting",
)
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNITS_IN_WORDS = ", ".join(TimeUnit.values)


class TimescaleFileError(ValueError):
    """A timescales file has problems; ``problems`` names each line and what is wrong."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class TimescaleRow:
    """One checked line of a timescales file: a rule and the type it belongs to."""

    code: str
    type_code: str
    type_name: str
    service_area: str
    needs_authorisation: bool
    statutory: bool
    weighting: Decimal
    description: str
    starts: str
    first_length: int | None
    first_unit: str
    second_length: int | None
    second_unit: str
    length: int
    unit: str
    recurs: bool
    local: bool
    source: str
    effective_from: dt.date
    effective_to: dt.date | None
    where: str  # "line 12", for messages


def read_timescales(path: Path = TIMESCALES_FILE) -> list[TimescaleRow]:
    """Read and check a timescales CSV. Raises ``TimescaleFileError`` naming every bad line;
    nothing is returned unless every line is good."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise TimescaleFileError(str(path), [f"cannot be read: {error}"]) from error
    return parse_timescales(text, source=str(path))


def parse_timescales(text: str, source: str = "timescales") -> list[TimescaleRow]:
    """As ``read_timescales``, from the text of a CSV."""
    problems: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip() for column in next(reader, [])]
    missing = [column for column in COLUMNS if column not in header]
    unknown = [column for column in header if column not in COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        if missing:
            problems.append(f"line 1: the header is missing the column(s) {', '.join(missing)}")
        if unknown:
            problems.append(
                f"line 1: unknown column(s) {', '.join(unknown)}; the columns are "
                f"{','.join(COLUMNS)} (and optionally {','.join(OPTIONAL_COLUMNS)})"
            )
        raise TimescaleFileError(source, problems)
    rows: list[TimescaleRow] = []
    first_seen: dict[tuple[str, dt.date], str] = {}
    types_seen: dict[str, TimescaleRow] = {}
    for cells in reader:
        where = f"line {reader.line_num}"
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(f"{where}: expected {len(header)} columns, found {len(cells)}")
            continue
        row = _parse_row(dict(zip(header, cells, strict=True)), where, problems)
        if row is None:
            continue
        key = (row.code, row.effective_from)
        if key in first_seen:
            problems.append(
                f"{where}: the rule {row.code} from {row.effective_from.isoformat()} is listed "
                f"twice (also {first_seen[key]})"
            )
            continue
        earlier = types_seen.get(row.type_code)
        if earlier is not None:
            differ = [c for c in TYPE_COLUMNS if getattr(row, c) != getattr(earlier, c)]
            if differ:
                problems.append(
                    f"{where}: the type {row.type_code} is described differently on "
                    f"{earlier.where} ({', '.join(differ)})"
                )
                continue
        first_seen[key] = where
        types_seen.setdefault(row.type_code, row)
        rows.append(row)
    if not problems and not rows:
        problems.append("holds no rules")
    if problems:
        raise TimescaleFileError(source, problems)
    return rows


def _parse_row(raw: dict[str, str], where: str, problems: list[str]) -> TimescaleRow | None:
    before = len(problems)

    def problem(text: str) -> None:
        problems.append(f"{where}: {text}")

    value = {name: raw.get(name, "").strip() for name in COLUMNS + OPTIONAL_COLUMNS}
    for name in ("code", "type_code"):
        if not _SLUG.fullmatch(value[name]):
            problem(f"{name} {value[name]!r} must be letters, digits, - and _ (and not blank)")
        elif len(value[name]) > 60:
            problem(f"{name} is longer than 60 characters")
    for name, limit in (("type_name", 120), ("description", 300)):
        if not value[name]:
            problem(f"{name} is blank")
        elif len(value[name]) > limit:
            problem(f"{name} is longer than {limit} characters")
    if len(value["source"]) > 300:
        problem("source is longer than 300 characters")
    if value["service_area"] not in WorkItemType.ServiceArea.values:
        problem(
            f"service_area {value['service_area']!r} is not one of "
            f"{', '.join(WorkItemType.ServiceArea.values)}"
        )
    if value["starts"] not in TimescaleRule.Starts.values:
        problem(
            f"starts {value['starts']!r} is not one of {', '.join(TimescaleRule.Starts.values)}"
        )
    flags = {
        name: _flag(value[name], name, problem)
        for name in ("needs_authorisation", "statutory", "recurs", "local")
    }
    weighting = _weighting(value["weighting"], problem)
    length = _length(value["length"], "length", problem, required=True)
    units = {
        name: _unit(value[name], name, problem) for name in ("unit", "first_unit", "second_unit")
    }
    if not value["unit"]:
        problem(f"unit is blank; use one of {_UNITS_IN_WORDS}")
    lengths: dict[str, int | None] = {}
    for name in ("first", "second"):
        size = lengths[name] = _length(value[f"{name}_length"], f"{name}_length", problem)
        if value[f"{name}_unit"] and not value[f"{name}_length"]:
            problem(f"{name}_unit is given without {name}_length; give both or neither")
        elif value[f"{name}_length"] and not value[f"{name}_unit"]:
            problem(f"{name}_length is given without {name}_unit; give both or neither")
        if size is not None and flags["recurs"] is False:
            problem(f"{name}_length is only for a step that recurs (recurs is false)")
    effective_from = _date(value["effective_from"], "effective_from", problem, required=True)
    effective_to = _date(value["effective_to"], "effective_to", problem)
    if effective_from and effective_to and effective_to < effective_from:
        problem(
            f"effective_to {effective_to.isoformat()} is before effective_from "
            f"{effective_from.isoformat()}"
        )
    if len(problems) > before:
        return None
    assert length is not None
    assert effective_from is not None
    assert weighting is not None
    return TimescaleRow(
        code=value["code"],
        type_code=value["type_code"],
        type_name=value["type_name"],
        service_area=value["service_area"],
        needs_authorisation=bool(flags["needs_authorisation"]),
        statutory=bool(flags["statutory"]),
        weighting=weighting,
        description=value["description"],
        starts=value["starts"],
        first_length=lengths["first"],
        first_unit=units["first_unit"],
        second_length=lengths["second"],
        second_unit=units["second_unit"],
        length=length,
        unit=units["unit"],
        recurs=bool(flags["recurs"]),
        local=bool(flags["local"]),
        source=value["source"],
        effective_from=effective_from,
        effective_to=effective_to,
        where=where,
    )


def _flag(raw: str, name: str, problem: Callable[[str], None]) -> bool | None:
    if raw.lower() in {"true", "false"}:
        return raw.lower() == "true"
    problem(f"{name} {raw!r} must be true or false")
    return None


def _weighting(raw: str, problem: Callable[[str], None]) -> Decimal | None:
    try:
        number = Decimal(raw or "1")
    except InvalidOperation:
        number = Decimal("NaN")
    if (
        not number.is_finite()
        or number < 0
        or number >= 100
        or number != number.quantize(Decimal("0.01"))
    ):
        problem(f"weighting {raw!r} must be a number from 0 to 99.99 with at most 2 decimals")
        return None
    return number.quantize(Decimal("0.01"))


def _length(
    raw: str, name: str, problem: Callable[[str], None], required: bool = False
) -> int | None:
    if not raw:
        if required:
            problem(f"{name} is blank; give a whole number of 1 or more")
        return None
    try:
        number = int(raw)
    except ValueError:
        problem(f"{name} {raw!r} is not a whole number")
        return None
    if number < 0:
        problem(f"{name} {number} is negative; give a whole number of 1 or more")
        return None
    if number == 0:
        problem(f"{name} is 0; give a whole number of 1 or more")
        return None
    return number


def _unit(raw: str, name: str, problem: Callable[[str], None]) -> str:
    if raw and raw not in TimeUnit.values:
        problem(f"unknown unit {raw!r} in {name}; use one of {_UNITS_IN_WORDS}")
        return ""
    return raw


def _date(
    raw: str, name: str, problem: Callable[[str], None], required: bool = False
) -> dt.date | None:
    if not raw:
        if required:
            problem(f"{name} is blank; give a date in the form YYYY-MM-DD")
        return None
    if _ISO_DATE.fullmatch(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    problem(f"{name} {raw!r} is not a date in the form YYYY-MM-DD")
    return None


# --- Loading the timescales file ---------------------------------------------------------


@dataclass
class TimescalesLoadResult:
    types_added: list[str] = field(default_factory=list)
    types_updated: list[str] = field(default_factory=list)  # "code: what changed"
    rules_added: list[str] = field(default_factory=list)
    rules_updated: list[str] = field(default_factory=list)  # "code from date: what changed"
    rules_unchanged: int = 0
    changed_type_ids: set[uuid.UUID] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return any((self.types_added, self.types_updated, self.rules_added, self.rules_updated))


_RULE_FIELDS = (
    "description",
    "starts",
    "first_length",
    "first_unit",
    "second_length",
    "second_unit",
    "length",
    "unit",
    "recurs",
    "local",
    "source",
)


def _changes(obj: Any, wanted: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [
        (name, getattr(obj, name), new) for name, new in wanted.items() if getattr(obj, name) != new
    ]


def _in_words(changes: list[tuple[str, Any, Any]]) -> str:
    def show(value: Any) -> str:
        if value is None or value == "":
            return "(blank)"
        if isinstance(value, WorkItemType):
            return value.code
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    return ", ".join(f"{name} {show(old)} → {show(new)}" for name, old, new in changes)


def timescales_load(
    *, rows: Iterable[TimescaleRow], actor: User | None = None
) -> TimescalesLoadResult:
    """Bring the types and rules in line with ``rows`` (from ``read_timescales``) in one
    transaction; re-running changes nothing.

    A type is matched by its code, a rule by its code and ``effective_from``; a rule whose
    length (or any other column) differs is updated and reported. Nothing is deleted, and
    rules not in the file (such as local rules added from Administration) are left alone.
    ``effective_to`` is set only where the file gives one, so an administrator's ending of a
    shipped rule survives reloading. Registered callbacks are told which types' rules
    changed.
    """
    rows = list(rows)
    result = TimescalesLoadResult()
    with transaction.atomic():
        types = {t.code: t for t in WorkItemType.objects.select_for_update()}
        for row in rows:
            item_type = types.get(row.type_code)
            wanted_type = {
                "name": row.type_name,
                "service_area": row.service_area,
                "needs_authorisation": row.needs_authorisation,
                "statutory": row.statutory,
                "weighting": row.weighting,
            }
            if item_type is None:
                item_type = types[row.type_code] = WorkItemType.objects.create(
                    code=row.type_code, created_by=actor, updated_by=actor, **wanted_type
                )
                result.types_added.append(row.type_code)
            elif changes := _changes(item_type, wanted_type):
                _save(item_type, changes, actor)
                result.types_updated.append(f"{row.type_code}: {_in_words(changes)}")
        held = {
            (rule.code, rule.effective_from): rule
            for rule in TimescaleRule.objects.select_for_update().select_related("item_type")
        }
        for row in rows:
            item_type = types[row.type_code]
            wanted: dict[str, Any] = {name: getattr(row, name) for name in _RULE_FIELDS}
            if row.effective_to is not None:
                wanted["effective_to"] = row.effective_to
            label = f"{row.code} from {row.effective_from.isoformat()}"
            rule = held.get((row.code, row.effective_from))
            if rule is None:
                TimescaleRule.objects.create(
                    code=row.code,
                    effective_from=row.effective_from,
                    item_type=item_type,
                    created_by=actor,
                    updated_by=actor,
                    **wanted,
                )
                result.rules_added.append(label)
                result.changed_type_ids.add(item_type.pk)
                continue
            changes = _changes(rule, wanted)
            if rule.item_type_id != item_type.pk:
                # The file moved the rule to another type: both types' items are affected.
                result.changed_type_ids.add(rule.item_type_id)
                changes.append(("item_type", rule.item_type, item_type))
            if changes:
                _save(rule, changes, actor)
                result.rules_updated.append(f"{label}: {_in_words(changes)}")
                result.changed_type_ids.add(item_type.pk)
            else:
                result.rules_unchanged += 1
        if result.changed_type_ids:
            on_rules_changed(set(result.changed_type_ids), actor)
    return result


def _save(obj: Any, changes: list[tuple[str, Any, Any]], actor: User | None) -> None:
    for name, _, new in changes:
        setattr(obj, name, new)
    obj.updated_by = actor
    obj.save(update_fields=[*(name for name, _, _ in changes), "updated_by", "updated_at"])
