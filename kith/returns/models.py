"""What the returns app keeps: builds started from the Returns page (``ReturnRun``), and what
the DfE children's social care API has accepted (``DfeApiChild``, ``DfeApiBatch``)."""

import datetime as dt

from django.conf import settings
from django.db import models

from kith.core.models import BaseModel


class ReturnRun(BaseModel):
    """One build of a return, started from the Returns page or the API and run as a
    background task: its parameters, who asked, progress, files and the validator's issues
    (which name children, so only staff with the Returns module see a run)."""

    personal_data = True

    class Kind(models.TextChoices):
        SSDA903 = "ssda903", "SSDA903 (children looked after)"
        CIN = "cin", "CIN census"
        ANNEX_A = "annex-a", "Ofsted Annex A"
        DFE_API_DRY_RUN = "dfe-api-dry-run", "DfE children's social care API (dry run)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Building"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    parameters = models.JSONField(default=dict, help_text="year, or date_from and date_to")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    output_dir = models.CharField(max_length=500, blank=True)
    files = models.JSONField(default=list, help_text="File names in output_dir")
    children = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    validation = models.JSONField(
        default=dict, help_text="The DfE validator's result, each issue with where to fix it"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.parameters} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def period_label(self) -> str:
        """The period in words: a collection year, a date range, or today (the DfE feed)."""
        p = self.parameters or {}
        if p.get("year"):
            return f"1 April {int(p['year']) - 1} to 31 March {p['year']}"
        if p.get("date_from"):
            first = dt.date.fromisoformat(p["date_from"])
            last = dt.date.fromisoformat(p["date_to"])
            return f"{first:%-d %B %Y} to {last:%-d %B %Y}"
        return "As at the day it was built"

    @property
    def percent(self) -> int:
        if self.status == self.Status.FINISHED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class DfeApiChild(BaseModel):
    """The payload the DfE last accepted for a child (by its hash), so only changed children
    are sent; ``purged`` once a purge for them was accepted. Keyed by the person's id, not a
    foreign key: the row outlives a merge, and a purge is sent from it."""

    personal_data = True

    person_id = models.UUIDField(unique=True)
    la_child_id = models.CharField(max_length=20)
    sent_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField()
    purged = models.BooleanField(default=False)
    batch = models.ForeignKey(
        "DfeApiBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["la_child_id"]

    def __str__(self) -> str:
        return f"DfE API child {self.la_child_id}{' (purged)' if self.purged else ''}"


class DfeApiBatch(BaseModel):
    """One POST of up to 100 children to the DfE, and what came back."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices)
    la_child_ids = models.JSONField(default=list)
    purges = models.PositiveIntegerField(default=0)
    body_hash = models.CharField(max_length=64)
    attempts = models.PositiveIntegerField(default=0)
    http_status = models.PositiveIntegerField(null=True, blank=True)
    receipt = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"DfE API batch of {len(self.la_child_ids)} ({self.status})"
