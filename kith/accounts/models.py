"""Staff accounts, the team tree, roles and memberships."""

import datetime as dt
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

from kith.core.models import BaseModel


class User(AbstractUser):
    """A member of staff. Personal data of service users never lives here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job_title = models.CharField(max_length=150, blank=True)
    swe_number = models.CharField(
        "Social Work England registration number", max_length=20, blank=True
    )
    must_change_password = models.BooleanField(default=False)
    left_on = models.DateField(null=True, blank=True)
    # Raising this signs the user out of every session at once (leavers, second-factor resets).
    session_generation = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["swe_number"], condition=~Q(swe_number=""), name="unique_swe_number"
            )
        ]

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        return salted_hmac(
            "kith.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Team(BaseModel):
    """A node of the organisation tree: directorate › service › team."""

    class Kind(models.TextChoices):
        DIRECTORATE = "directorate", "Directorate"
        SERVICE = "service", "Service"
        TEAM = "team", "Team"

    class ServiceArea(models.TextChoices):
        CHILDREN = "children", "Children's social care"
        ADULTS = "adults", "Adult social care"
        FINANCE = "finance", "Finance"
        COMMISSIONING = "commissioning", "Commissioning"
        CORPORATE = "corporate", "Corporate"

    PARENT_KIND = {Kind.SERVICE: Kind.DIRECTORATE, Kind.TEAM: Kind.SERVICE}

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_team_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A job role; what each role may do is decided by the access policy."""

    class Code(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Social worker"
        SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
        TEAM_MANAGER = "team_manager", "Team manager"
        BUSINESS_SUPPORT = "business_support", "Business support"
        FINANCE_OFFICER = "finance_officer", "Finance officer"
        FINANCE_APPROVER = "finance_approver", "Finance approver"
        COMMISSIONER = "commissioner", "Commissioner"
        AUDITOR = "auditor", "Auditor"
        PERFORMANCE_OFFICER = "performance_officer", "Performance officer"
        SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"

    code = models.CharField(max_length=40, primary_key=True, choices=Code.choices)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    is_manager = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    """A user's role in a team over a period. Ended, never deleted."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            )
        ]

    def is_current(self, on: dt.date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class Notification(BaseModel):
    """A message to one member of staff inside Kith (e.g. "X used emergency access")."""

    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject
