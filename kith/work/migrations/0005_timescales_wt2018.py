"""The children's timescales as Working Together 2018 set them (4 July 2018 to 14 December
2023), so steps whose clocks started before Working Together 2023 have their due dates too.
Loads kith/work/data/timescales.csv again: rows already there are left as they are."""

from importlib import import_module

from django.db import migrations

shipped = import_module("kith.work.migrations.0003_timescales")


class Migration(migrations.Migration):
    dependencies = [("work", "0004_team_month_figures")]

    operations = [
        migrations.RunPython(shipped.load_shipped_timescales, migrations.RunPython.noop),
    ]
