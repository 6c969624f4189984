from django.db import migrations


def start_sequence(apps, schema_editor):
    apps.get_model("people", "LaNumberSequence").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(start_sequence, migrations.RunPython.noop)]
