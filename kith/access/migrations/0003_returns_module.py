from django.db import migrations

# A performance officer builds the statutory returns; a system administrator may change this.
GRANTS = {"performance_officer": {"returns": True}}


def add_grants(apps, schema_editor):
    ModuleGrant = apps.get_model("access", "ModuleGrant")
    for role, modules in GRANTS.items():
        for module, can_edit in modules.items():
            ModuleGrant.objects.get_or_create(
                role_id=role, module=module, defaults={"can_edit": can_edit}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_default_module_grants"),
        ("accounts", "0004_performance_officer"),
    ]
    operations = [migrations.RunPython(add_grants, migrations.RunPython.noop)]
