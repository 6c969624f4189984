"""The statutory and local timescales shipped with Kith, and the default escalation rules."""

from django.db import migrations

from kith.work.timescales import TIMESCALES_FILE, read_timescales, timescales_load

ESCALATIONS = (
    ("unallocated_person", "team_manager", 3),
    ("unallocated_person", "service_manager", 10),
    ("unallocated_item", "team_manager", 2),
    ("unallocated_item", "service_manager", 5),
    ("overdue_item", "team_manager", 0),
    ("overdue_item", "service_manager", 5),
)


def forwards(apps, schema_editor):
    timescales_load(
        read_timescales(TIMESCALES_FILE),
        type_model=apps.get_model("work", "WorkItemType"),
        rule_model=apps.get_model("work", "TimescaleRule"),
    )
    rule = apps.get_model("work", "EscalationRule")
    for applies, level, days in ESCALATIONS:
        rule.objects.get_or_create(
            applies=applies, level=level, defaults={"after_working_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("work", "0002_work_items")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
