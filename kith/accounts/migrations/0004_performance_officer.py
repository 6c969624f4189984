from django.db import migrations


def add_role(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Role.objects.update_or_create(
        code="performance_officer",
        defaults={
            "name": "Performance officer",
            "is_manager": False,
            "description": "Builds, checks and submits the statutory returns.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_notification")]
    operations = [migrations.RunPython(add_role, migrations.RunPython.noop)]
