"""Load the England and Wales bank holidays shipped in kith/core/data (2015–2030)."""

from django.db import migrations

from kith.core.calendar import SHIPPED_BANK_HOLIDAYS, bank_holidays_load, read_bank_holidays_file


def load_shipped_bank_holidays(apps, schema_editor):
    bank_holidays_load(
        holidays=read_bank_holidays_file(SHIPPED_BANK_HOLIDAYS),
        model=apps.get_model("core", "BankHoliday"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        # Reversing keeps the rows: loading again adds nothing twice.
        migrations.RunPython(load_shipped_bank_holidays, migrations.RunPython.noop),
    ]
