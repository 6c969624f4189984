from django.db import migrations

# role -> {module: can_edit}. A system administrator changes these in Administration.
DEFAULT_GRANTS = {
    "social_worker": {"children": True, "adults": True},
    "senior_practitioner": {"children": True, "adults": True},
    "team_manager": {"children": True, "adults": True},
    "business_support": {"children": True, "adults": True},
    "finance_officer": {"finance": True},
    "finance_approver": {"finance": True},
    "commissioner": {"commissioning": True},
    "auditor": {"audit": False},
}


def add_grants(apps, schema_editor):
    ModuleGrant = apps.get_model("access", "ModuleGrant")
    for role, modules in DEFAULT_GRANTS.items():
        for module, can_edit in modules.items():
            ModuleGrant.objects.get_or_create(
                role_id=role, module=module, defaults={"can_edit": can_edit}
            )


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(add_grants, migrations.RunPython.noop)]
