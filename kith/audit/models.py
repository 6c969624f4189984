"""The append-only, hash-chained log of every read and write of personal data.

It holds ids, actions and search terms: never the contents of the records themselves.
Updates and deletes are refused by database triggers (see migrations), and each entry carries
the hash of the one before, so a change made around the triggers is found by `kith audit verify`.
"""

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    SEARCH = "search", "Searched"
    DOWNLOAD = "download", "Downloaded"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    MERGE = "merge", "Merged"
    BREAK_GLASS = "break_glass", "Emergency access started"
    ACCESS_DENIED = "access_denied", "Access refused"
    CONFLICT_DECLARED = "conflict_declared", "Conflict declared"
    REVIEW = "review", "Emergency access reviewed"


class AuditEvent(models.Model):
    personal_data = True
    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    rule = models.CharField(max_length=60, blank=True)
    reason = models.TextField(blank=True)
    search_terms = models.TextField(blank=True)
    result_ids = models.JSONField(default=list, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    via = models.CharField(max_length=10, blank=True)  # "page", "api", "cli", "task"
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["actor", "occurred_at"])]

    def __str__(self) -> str:
        return (
            f"#{self.seq} {self.actor_username} {self.action} {self.object_type}:{self.object_id}"
        )


class AuditChainHead(models.Model):
    """One row: the last entry's sequence number and hash. Writers lock it, so the chain
    never forks, and a log cut short at the end is detected."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain at #{self.last_seq}"
