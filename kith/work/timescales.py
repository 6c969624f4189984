"""Statutory and local timescales as data: which rule is in force, and when a step is due.

Rules are ``TimescaleRule`` rows (shipped in ``data/timescales.csv``, loaded by a migration and
``kith load_timescales``). Due dates come from the England and Wales working-day calendar
(``kith.core.calendar``). Work's services register a callback here to recalculate open items
when rules or bank holidays change; this module never imports them.
"""

import csv
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Q

from kith.core import calendar
from kith.core.signals import bank_holidays_changed
from kith.work.models import TimescaleRule, TimeUnit, WorkItemType

TIMESCALES_FILE = Path(__file__).resolve().parent / "data" / "timescales.csv"

# Age bands for unallocated work on the manager's dashboard: (label, up to this many working
# days inclusive; None for no upper limit).
AGE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("0–2", 2),
    ("3–5", 5),
    ("6–10", 10),
    ("10+", None),
)


def rule_for(item_type: WorkItemType, on: dt.date) -> TimescaleRule | None:
    """The rule in force for the type on the day: a local rule wins over a statutory one,
    and among equals the one that started latest."""
    in_force = TimescaleRule.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
        item_type=item_type,
        effective_from__lte=on,
    )
    return in_force.order_by("-local", "-effective_from").first()


def _add(start: dt.date, length: int, unit: str) -> dt.date:
    if unit == TimeUnit.WORKING_DAYS:
        return calendar.add_working_days(start, length)
    if unit == TimeUnit.CALENDAR_DAYS:
        return calendar.add_calendar_period(start, length, "days")
    if unit == TimeUnit.WEEKS:
        return calendar.add_calendar_period(start, length, "weeks")
    if unit == TimeUnit.MONTHS:
        return calendar.add_calendar_period(start, length, "months")
    raise ValueError(f"Unknown time unit {unit!r}")


def due_date(rule: TimescaleRule, clock_start: dt.date, occurrence: int = 1) -> dt.date:
    """When a step is due. Occurrence 1 of a series uses the rule's first clock, 2 its second
    (when set); otherwise the regular one. A period in calendar units (days, weeks, months)
    that ends on a weekend or bank holiday is not moved: the statute counts calendar time."""
    if occurrence == 1 and rule.first_length is not None and rule.first_unit:
        return _add(clock_start, rule.first_length, rule.first_unit)
    if occurrence == 2 and rule.second_length is not None and rule.second_unit:
        return _add(clock_start, rule.second_length, rule.second_unit)
    return _add(clock_start, rule.length, rule.unit)


def overdue_working_days(due: dt.date, today: dt.date) -> int:
    """Working days past the due date (0 if not yet due)."""
    return max(calendar.working_days_between(due, today), 0)


def age_band(working_days: int) -> str:
    for label, upper in AGE_BANDS:
        if upper is None or working_days <= upper:
            return label
    return AGE_BANDS[-1][0]


# --- Recalculation when rules or the calendar change ---

RulesChanged = Callable[[set[uuid.UUID] | None, Any], None]
_on_rules_changed: list[RulesChanged] = []


def on_rules_changed_register(callback: RulesChanged) -> None:
    if callback not in _on_rules_changed:
        _on_rules_changed.append(callback)


def rules_changed(item_type_ids: set[uuid.UUID] | None, actor: Any = None) -> None:
    """Tell the registered callbacks (None: every type, e.g. the calendar changed)."""
    for callback in _on_rules_changed:
        callback(item_type_ids, actor)


def _bank_holidays_changed(sender: Any, **kwargs: Any) -> None:
    rules_changed(None, kwargs.get("actor"))


bank_holidays_changed.connect(_bank_holidays_changed, dispatch_uid="work-timescales")


# --- Changing rules (not personal data) ---


def local_rule_add(
    *,
    actor: Any,
    item_type: WorkItemType,
    description: str,
    length: int,
    unit: str,
    effective_from: dt.date,
    starts: str = TimescaleRule.Starts.ITEM_START,
    recurs: bool = False,
    first_length: int | None = None,
    first_unit: str = "",
    source: str = "",
) -> TimescaleRule:
    """A council's own rule for a type; from its start date it wins over the statutory one."""
    from django.core.exceptions import ValidationError

    errors = {}
    if length < 1:
        errors["length"] = "The length must be at least 1"
    if unit not in TimeUnit.values:
        errors["unit"] = "Choose working days, calendar days, weeks or months"
    if (first_length is None) != (not first_unit):
        errors["first_length"] = "Give both the first clock's length and its unit, or neither"
    if not description.strip():
        errors["description"] = "Describe the rule, as staff will see it"
    if errors:
        raise ValidationError(errors)
    rule = TimescaleRule.objects.create(
        code=f"local-{item_type.code}-{effective_from:%Y%m%d}"[:60],
        item_type=item_type,
        description=description.strip(),
        starts=starts,
        length=length,
        unit=unit,
        recurs=recurs,
        first_length=first_length,
        first_unit=first_unit,
        local=True,
        source=source.strip() or "Local rule",
        effective_from=effective_from,
        created_by=actor,
        updated_by=actor,
    )
    rules_changed({item_type.pk}, actor)
    return rule


def rule_end(*, actor: Any, rule: TimescaleRule, on: dt.date) -> TimescaleRule:
    """The rule stops applying after ``on``; the one it overrode (if any) applies again."""
    from django.core.exceptions import ValidationError

    if on < rule.effective_from:
        raise ValidationError({"effective_to": "A rule cannot end before it starts"})
    rule.effective_to = on
    rule.updated_by = actor
    rule.save(update_fields=["effective_to", "updated_by", "updated_at"])
    rules_changed({rule.item_type_id}, actor)
    return rule


# --- Loading the shipped rules ---


@dataclass
class LoadResult:
    types_added: int = 0
    rules_added: int = 0
    rules_updated: int = 0
    unchanged: int = 0
    changed_type_ids: set[uuid.UUID] = field(default_factory=set)


class TimescaleFileError(ValueError):
    pass


_COLUMNS = (
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


def read_timescales(path: Path = TIMESCALES_FILE) -> list[dict[str, Any]]:
    """The rows of a timescales CSV, checked; a bad file names every bad line."""
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise TimescaleFileError(f"{path.name}: missing columns {', '.join(missing)}")
        for line, raw in enumerate(reader, start=2):
            try:
                rows.append(_parse_row(raw))
            except ValueError as exc:
                problems.append(f"line {line}: {exc}")
    if problems:
        raise TimescaleFileError(f"{path.name}: " + "; ".join(problems))
    return rows


def _flag(value: str) -> bool:
    if value.strip().lower() not in {"true", "false"}:
        raise ValueError(f"'{value}' must be true or false")
    return value.strip().lower() == "true"


def _length(value: str, name: str) -> int | None:
    if not value.strip():
        return None
    number = int(value)
    if number < 1:
        raise ValueError(f"{name} must be 1 or more")
    return number


def _parse_row(raw: dict[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {k: (raw.get(k) or "").strip() for k in _COLUMNS}
    for unit_field in ("unit", "first_unit", "second_unit"):
        if row[unit_field] and row[unit_field] not in TimeUnit.values:
            raise ValueError(f"unknown unit '{row[unit_field]}' in {unit_field}")
    length = _length(row["length"], "length")
    if length is None or not row["unit"]:
        raise ValueError("length and unit are required")
    row["length"] = length
    for prefix in ("first", "second"):
        row[f"{prefix}_length"] = _length(row[f"{prefix}_length"], f"{prefix}_length")
        if (row[f"{prefix}_length"] is None) != (not row[f"{prefix}_unit"]):
            raise ValueError(f"{prefix}_length and {prefix}_unit go together")
    for flag in ("needs_authorisation", "statutory", "recurs", "local"):
        row[flag] = _flag(row[flag])
    if row["starts"] not in TimescaleRule.Starts.values:
        raise ValueError(f"unknown start event '{row['starts']}'")
    row["effective_from"] = dt.date.fromisoformat(row["effective_from"])
    return row


def timescales_load(
    rows: list[dict[str, Any]], *, type_model: Any = WorkItemType, rule_model: Any = TimescaleRule
) -> LoadResult:
    """Add or update types and rules from checked rows. Re-running changes nothing.
    The models can be a migration's historical ones."""
    result = LoadResult()
    for row in rows:
        item_type, created = type_model.objects.get_or_create(
            code=row["type_code"],
            defaults={
                "name": row["type_name"],
                "service_area": row["service_area"],
                "needs_authorisation": row["needs_authorisation"],
                "statutory": row["statutory"],
                "weighting": row["weighting"] or 1,
            },
        )
        result.types_added += created
        wanted = {
            "item_type_id": item_type.pk,
            "description": row["description"],
            "starts": row["starts"],
            "length": row["length"],
            "unit": row["unit"],
            "recurs": row["recurs"],
            "first_length": row["first_length"],
            "first_unit": row["first_unit"],
            "second_length": row["second_length"],
            "second_unit": row["second_unit"],
            "local": row["local"],
            "source": row["source"],
        }
        rule = rule_model.objects.filter(
            code=row["code"], effective_from=row["effective_from"]
        ).first()
        if rule is None:
            rule_model.objects.create(
                code=row["code"], effective_from=row["effective_from"], **wanted
            )
            result.rules_added += 1
            result.changed_type_ids.add(item_type.pk)
        elif any(getattr(rule, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(rule, k, v)
            rule.save()
            result.rules_updated += 1
            result.changed_type_ids.add(item_type.pk)
        else:
            result.unchanged += 1
    return result
