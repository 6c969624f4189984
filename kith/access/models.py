"""What the access policy needs beyond teams and allocations: module grants, restricted and
sealed records, declared conflicts ("known to me") and emergency (break-glass) access."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from kith.core.models import BaseModel


class Module(models.TextChoices):
    CHILDREN = "children", "Children's social care"
    ADULTS = "adults", "Adult social care"
    FINANCE = "finance", "Finance"
    COMMISSIONING = "commissioning", "Commissioning"
    AUDIT = "audit", "Audit log"
    RETURNS = "returns", "Statutory returns"


class ModuleGrant(models.Model):
    """A role may use a module. Configured by a system administrator."""

    role = models.ForeignKey("accounts.Role", on_delete=models.CASCADE, related_name="+")
    module = models.CharField(max_length=20, choices=Module.choices)
    can_edit = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "module"], name="one_grant_per_role_module")
        ]

    def __str__(self) -> str:
        return f"{self.role_id} → {self.module}{' (edit)' if self.can_edit else ''}"


class RestrictionGroup(BaseModel):
    """The named group of staff who alone may see a restricted or sealed record."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonRestriction(BaseModel):
    """A person's record restricted (e.g. high profile, staff member) or sealed (e.g. adoption).

    Rows are never changed but ended; the current one has no ``ended_at``.
    """

    personal_data = True

    class Level(models.TextChoices):
        RESTRICTED = "restricted", "Restricted"
        SEALED = "sealed", "Sealed"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=12, choices=Level.choices)
    group = models.ForeignKey(RestrictionGroup, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_at__isnull=True), name="one_open_restriction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} ({self.group})"


class Conflict(BaseModel):
    """A worker knows the person (relative, neighbour…) and is kept out of their record."""

    personal_data = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(max_length=200)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "person"],
                condition=Q(ended_at__isnull=True),
                name="one_open_conflict_per_user_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} knows {self.person_id}"


class BreakGlassGrant(BaseModel):
    """Emergency access to a record without a relationship: time-limited, reviewed after."""

    personal_data = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    justified = models.BooleanField(null=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "person", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} broke glass on {self.person_id} at {self.started_at}"
