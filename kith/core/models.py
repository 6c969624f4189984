"""The base every Kith model builds on."""

import uuid

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    """UUID key, and when and by whom a row was created and last updated.

    Services set ``created_by``/``updated_by`` explicitly from their ``actor``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


ENGLAND_AND_WALES = "england-and-wales"


class BankHoliday(BaseModel):
    """A bank holiday: a day that is not a working day. Loaded from GOV.UK's list, never typed."""

    date = models.DateField(unique=True)
    title = models.CharField(max_length=200)
    division = models.CharField(max_length=40, default=ENGLAND_AND_WALES)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.title}"


class CodeList(BaseModel):
    """A statutory code list (e.g. ``ssda903_ls``), effective-dated by collection year."""

    name = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    source = models.TextField(blank=True)
    applies_to = models.TextField(blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CodeListEntry(BaseModel):
    """One code in a list. ``code`` is a case-sensitive string: "0" and "10" stay strings."""

    code_list = models.ForeignKey(CodeList, on_delete=models.PROTECT, related_name="entries")
    code = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    # Order within the list as published, so choices keep the source's order.
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["code_list", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_list", "code", "valid_from"],
                name="core_codelistentry_unique_code_from",
            ),
            # NULLs are distinct in a unique index, so one open-start row per code needs its own.
            models.UniqueConstraint(
                fields=["code_list", "code"],
                condition=models.Q(valid_from__isnull=True),
                name="core_codelistentry_unique_code_open_start",
            ),
        ]
        verbose_name_plural = "code list entries"

    def __str__(self) -> str:
        return f"{self.code_list.name}:{self.code}"
