"""Load the statutory code lists shipped in kith/core/data/codes."""

from django.db import migrations

from kith.core.codelists import SHIPPED_CODE_LISTS, code_lists_load, read_code_lists


def load_shipped_code_lists(apps, schema_editor):
    code_lists_load(
        lists=read_code_lists(SHIPPED_CODE_LISTS),
        code_list_model=apps.get_model("core", "CodeList"),
        entry_model=apps.get_model("core", "CodeListEntry"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_load_bank_holidays")]

    operations = [
        # Reversing keeps the rows: loading again adds nothing twice.
        migrations.RunPython(load_shipped_code_lists, migrations.RunPython.noop),
    ]
