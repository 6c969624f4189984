from django.db import migrations

ROLES = [
    ("social_worker", "Social worker", False, "Holds a caseload and records the work with people."),
    (
        "senior_practitioner",
        "Senior practitioner",
        False,
        "An experienced social worker who may supervise and authorise some steps.",
    ),
    (
        "team_manager",
        "Team manager",
        True,
        "Allocates work, oversees the team's caseload and authorises decisions.",
    ),
    (
        "business_support",
        "Business support",
        False,
        "Administers records, letters and meetings for a team.",
    ),
    (
        "finance_officer",
        "Finance officer",
        False,
        "Carries out financial assessments and prepares payments.",
    ),
    ("finance_approver", "Finance approver", True, "Approves payment runs and charges."),
    ("commissioner", "Commissioner", False, "Manages providers, contracts and care packages."),
    ("auditor", "Auditor", False, "Reviews who has looked at records and why."),
    (
        "system_administrator",
        "System administrator",
        False,
        "Manages staff accounts, teams and configuration.",
    ),
]


def add_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, is_manager, description in ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "is_manager": is_manager, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
