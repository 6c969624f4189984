import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from kith.core.db.append_only import make_append_only

GENESIS_HASH = "0" * 64


def create_chain_head(apps, schema_editor):
    apps.get_model("audit", "AuditChainHead").objects.get_or_create(
        pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
    )


class Migration(migrations.Migration):
    initial = True
    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("last_seq", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.PositiveBigIntegerField(unique=True)),
                ("occurred_at", models.DateTimeField(db_index=True)),
                ("actor_username", models.CharField(blank=True, max_length=150)),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("view", "Viewed"),
                            ("list", "Listed"),
                            ("search", "Searched"),
                            ("download", "Downloaded"),
                            ("export", "Exported"),
                            ("print", "Printed"),
                            ("create", "Created"),
                            ("update", "Changed"),
                            ("delete", "Deleted"),
                            ("merge", "Merged"),
                            ("break_glass", "Emergency access started"),
                            ("access_denied", "Access refused"),
                            ("conflict_declared", "Conflict declared"),
                            ("review", "Emergency access reviewed"),
                        ],
                        db_index=True,
                        max_length=30,
                    ),
                ),
                ("object_type", models.CharField(blank=True, max_length=60)),
                ("object_id", models.CharField(blank=True, max_length=64)),
                ("person_id", models.UUIDField(blank=True, db_index=True, null=True)),
                ("rule", models.CharField(blank=True, max_length=60)),
                ("reason", models.TextField(blank=True)),
                ("search_terms", models.TextField(blank=True)),
                ("result_ids", models.JSONField(blank=True, default=list)),
                ("changed_fields", models.JSONField(blank=True, default=list)),
                ("via", models.CharField(blank=True, max_length=10)),
                ("method", models.CharField(blank=True, max_length=10)),
                ("path", models.CharField(blank=True, max_length=300)),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["seq"],
                "indexes": [
                    models.Index(
                        fields=["actor", "occurred_at"], name="audit_audit_actor_i_023a4b_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
        make_append_only("audit_auditevent"),
    ]
