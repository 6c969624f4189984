"""Who is working with a person: their team's involvement and the worker allocated."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kith.core.models import BaseModel


class Involvement(BaseModel):
    """A team working with a person over a period (the team's caseload)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["team", "end_date"]), models.Index(fields=["person"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="involvement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id} with {self.person_id} from {self.start_date}"


class Allocation(BaseModel):
    """A worker allocated to a person within a team, over a period."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["worker", "end_date"]), models.Index(fields=["person"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="allocation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} allocated to {self.person_id} from {self.start_date}"
