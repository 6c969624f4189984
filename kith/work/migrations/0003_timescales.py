"""Load the timescales shipped in kith/work/data/timescales.csv, and the default escalation rules.

A frozen copy of the loader in ``kith.work.timescales``: a migration uses its historical models
and must not import app code written against the current ones. The shipped file is checked by
``kith.work.timescales.read_timescales`` in the tests; later changes to it are loaded by
``kith load_timescales`` (or a later migration), which tells the work services to recalculate.
"""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import migrations

SHIPPED_TIMESCALES = Path(__file__).resolve().parent.parent / "data" / "timescales.csv"

UNITS = {"working_days", "calendar_days", "weeks", "months"}

# (applies, level, after working days): unallocated people and items, and overdue statutory
# steps, go to the team manager and then the service manager. Councils change them later.
DEFAULT_ESCALATIONS = (
    ("unallocated_person", "team_manager", 3),
    ("unallocated_person", "service_manager", 10),
    ("unallocated_item", "team_manager", 2),
    ("unallocated_item", "service_manager", 5),
    ("overdue_item", "team_manager", 0),
    ("overdue_item", "service_manager", 5),
)


def _flag(row, name, where):
    value = row[name].strip().lower()
    if value not in {"true", "false"}:
        raise ValueError(f"{SHIPPED_TIMESCALES.name} {where}: {name} must be true or false")
    return value == "true"


def _length(row, name, where, required=False):
    raw = row[name].strip()
    if not raw and not required:
        return None
    number = int(raw)
    if number < 1:
        raise ValueError(f"{SHIPPED_TIMESCALES.name} {where}: {name} must be 1 or more")
    return number


def _unit(row, name, where):
    unit = row[name].strip()
    if unit and unit not in UNITS:
        raise ValueError(f"{SHIPPED_TIMESCALES.name} {where}: unknown unit {unit!r} in {name}")
    return unit


def read_shipped_timescales(path=SHIPPED_TIMESCALES):
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for raw in reader:
            where = f"line {reader.line_num}"
            if not any((value or "").strip() for value in raw.values()):
                continue
            effective_to = (raw.get("effective_to") or "").strip()
            rows.append(
                {
                    "code": raw["code"].strip(),
                    "type": {
                        "code": raw["type_code"].strip(),
                        "name": raw["type_name"].strip(),
                        "service_area": raw["service_area"].strip(),
                        "needs_authorisation": _flag(raw, "needs_authorisation", where),
                        "statutory": _flag(raw, "statutory", where),
                        "weighting": Decimal(raw["weighting"].strip() or "1").quantize(
                            Decimal("0.01")
                        ),
                    },
                    "rule": {
                        "description": raw["description"].strip(),
                        "starts": raw["starts"].strip(),
                        "first_length": _length(raw, "first_length", where),
                        "first_unit": _unit(raw, "first_unit", where),
                        "second_length": _length(raw, "second_length", where),
                        "second_unit": _unit(raw, "second_unit", where),
                        "length": _length(raw, "length", where, required=True),
                        "unit": _unit(raw, "unit", where),
                        "recurs": _flag(raw, "recurs", where),
                        "local": _flag(raw, "local", where),
                        "source": raw["source"].strip(),
                        **(
                            {"effective_to": dt.date.fromisoformat(effective_to)}
                            if effective_to
                            else {}
                        ),
                    },
                    "effective_from": dt.date.fromisoformat(raw["effective_from"].strip()),
                }
            )
    return rows


def load_shipped_timescales(apps, schema_editor):
    """Add the shipped types and rules, or bring them up to date; re-running changes nothing."""
    item_type_model = apps.get_model("work", "WorkItemType")
    rule_model = apps.get_model("work", "TimescaleRule")
    types = {item_type.code: item_type for item_type in item_type_model.objects.all()}
    for row in read_shipped_timescales():
        wanted_type = row["type"]
        item_type = types.get(wanted_type["code"])
        if item_type is None:
            item_type = types[wanted_type["code"]] = item_type_model.objects.create(**wanted_type)
        else:
            _update(item_type, wanted_type)
        wanted_rule = {**row["rule"], "item_type_id": item_type.pk}
        rule = rule_model.objects.filter(
            code=row["code"], effective_from=row["effective_from"]
        ).first()
        if rule is None:
            rule_model.objects.create(
                code=row["code"], effective_from=row["effective_from"], **wanted_rule
            )
        else:
            _update(rule, wanted_rule)


def _update(obj, wanted):
    changed = [name for name, value in wanted.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, wanted[name])
        obj.save(update_fields=[*changed, "updated_at"])


def create_default_escalation_rules(apps, schema_editor):
    """Only where a council has not set its own: an existing rule keeps its days."""
    escalation_rule_model = apps.get_model("work", "EscalationRule")
    for applies, level, after_working_days in DEFAULT_ESCALATIONS:
        escalation_rule_model.objects.get_or_create(
            applies=applies, level=level, defaults={"after_working_days": after_working_days}
        )


class Migration(migrations.Migration):
    dependencies = [("work", "0002_work_items")]

    operations = [
        # Reversing keeps the rows: loading again adds nothing twice.
        migrations.RunPython(load_shipped_timescales, migrations.RunPython.noop),
        migrations.RunPython(create_default_escalation_rules, migrations.RunPython.noop),
    ]
