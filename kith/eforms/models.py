"""Configurable forms: definitions published as immutable versions, and the submissions filled
in on them (drafts saved as they are typed, sent for a manager's approval, locked once done).

A submission keeps the version it was filled in on: a later version never changes it. Answers
that other parts of Kith need are copied to typed columns (``FormOutcome``) by each question's
``maps_to`` key when the submission is finished, so the children's and adults' modules read
columns, never the answers' JSON.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from kith.core.models import BaseModel


class FormDefinition(BaseModel):
    """A kind of form (e.g. a child and family assessment): its versions hold the questions."""

    class ServiceArea(models.TextChoices):
        CHILDREN = "children", "Children's social care"
        ADULTS = "adults", "Adult social care"
        ANY = "any", "Any service"

    code = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    service_area = models.CharField(
        max_length=20, choices=ServiceArea.choices, default=ServiceArea.ANY
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class FormVersion(BaseModel):
    """One version of a definition's questions. Published versions never change; editing a
    definition makes a new draft version, which is published in its turn."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Replaced by a later version"

    definition = models.ForeignKey(
        FormDefinition, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    schema = models.JSONField(default=dict)
    needs_approval = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["definition", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "number"], name="eforms_one_version_number"
            ),
            models.UniqueConstraint(
                fields=["definition"],
                condition=Q(status="draft"),
                name="eforms_one_draft_version",
            ),
            models.UniqueConstraint(
                fields=["definition"],
                condition=Q(status="published"),
                name="eforms_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition} v{self.number} ({self.status})"

    @property
    def title(self) -> str:
        return str(self.schema.get("title") or self.definition.title)


class FormSubmission(BaseModel):
    """A form filled in for a person on one version of its definition."""

    personal_data = True

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
        RETURNED = "returned", "Returned for changes"
        COMPLETED = "completed", "Completed"
        APPROVED = "approved", "Approved"

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    FINISHED = (Status.COMPLETED, Status.APPROVED)

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(default=dict, blank=True)
    # Question key -> where its first answer came from ("person", "previous").
    prefilled = models.JSONField(default=dict, blank=True)
    last_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_comment = models.TextField(blank=True)
    work_item = models.ForeignKey(
        "work.WorkItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A change to a finished submission is a new submission pointing at the one it changes.
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next"
    )
    amendment_reason = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["person", "status"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.version} for {self.person_id} ({self.status})"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_locked(self) -> bool:
        return self.status in self.FINISHED


class FormAttachment(BaseModel):
    """A file attached to a file question, kept in Django's storage with its SHA-256."""

    personal_data = True

    submission = models.ForeignKey(
        FormSubmission, on_delete=models.PROTECT, related_name="attachments"
    )
    question_key = models.CharField(max_length=80)
    file = models.FileField(upload_to="eforms/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.filename


class FormOutcome(BaseModel):
    """The typed answers other modules read (an assessment's outcome, the factors identified,
    the date the child was seen…), written when a submission is finished."""

    personal_data = True

    submission = models.OneToOneField(
        FormSubmission, on_delete=models.PROTECT, related_name="outcome"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    form_code = models.SlugField(max_length=80)
    outcome = models.CharField(max_length=200, blank=True)
    outcome_date = models.DateField(null=True, blank=True)
    date_seen = models.DateField(null=True, blank=True)
    factors = models.JSONField(default=list, blank=True)
    eligible = models.BooleanField(null=True, blank=True)
    summary = models.TextField(blank=True)
    # When it took effect: the approval, or the completion for forms without approval.
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["person", "form_code"])]

    def __str__(self) -> str:
        return f"{self.form_code}: {self.outcome}"
