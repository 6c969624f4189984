"""The work item type forms are approved through (when a definition names none), and the form
definitions shipped in kith/eforms/data (published as version 1 if the form is new).

Later changes to the shipped files are loaded with ``kith load_form``, which makes new versions.
"""

from pathlib import Path

import yaml
from django.db import migrations
from django.utils import timezone

SHIPPED = Path(__file__).resolve().parent.parent / "data"


def add_approval_type(apps, schema_editor):
    WorkItemType = apps.get_model("work", "WorkItemType")
    WorkItemType.objects.get_or_create(
        code="form-approval",
        defaults={
            "name": "Form approval",
            "service_area": "children",
            "needs_authorisation": True,
            "statutory": False,
            "weighting": 0,
        },
    )


def load_shipped_forms(apps, schema_editor):
    FormDefinition = apps.get_model("eforms", "FormDefinition")
    FormVersion = apps.get_model("eforms", "FormVersion")
    for path in sorted(SHIPPED.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        definition, _ = FormDefinition.objects.get_or_create(
            code=data["code"],
            defaults={"title": data["title"], "service_area": data.get("service_area", "any")},
        )
        if FormVersion.objects.filter(definition=definition).exists():
            continue
        FormVersion.objects.create(
            definition=definition,
            number=1,
            status="published",
            schema=data,
            needs_approval=bool(data.get("needs_approval", False)),
            published_at=timezone.now(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("eforms", "0001_initial"),
        ("work", "0003_timescales"),
    ]

    operations = [
        migrations.RunPython(add_approval_type, migrations.RunPython.noop),
        migrations.RunPython(load_shipped_forms, migrations.RunPython.noop),
    ]
