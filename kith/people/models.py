"""The client index: one record per person, whichever service meets them first."""

from django.db import models

from kith.core.models import BaseModel


class Person(BaseModel):
    personal_data = True

    class Sex(models.TextChoices):
        MALE = "M", "Male"
        FEMALE = "F", "Female"
        UNKNOWN = "U", "Not known"

    la_number = models.PositiveIntegerField("LA person number", unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    known_as = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    postcode = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.la_number})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class LaNumberSequence(models.Model):
    """The last LA person number issued. Numbers are never reused, even after a merge."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_issued = models.PositiveIntegerField(default=100000)

    def __str__(self) -> str:
        return f"LA numbers issued up to {self.last_issued}"
