"""Who is working with a person: their team's involvement and the worker allocated."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kith.core.models import BaseModel


class Priority(models.TextChoices):
    """RAG rating of a person's case for the team: how urgently it needs attention."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Involvement(BaseModel):
    """A team working with a person over a period (the team's caseload)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    priority = models.CharField(max_length=5, choices=Priority.choices, default=Priority.GREEN)

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
    # Why this worker: first allocation, previous worker left, change of team…
    reason = models.CharField(max_length=200, blank=True)

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


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "Working days"
    CALENDAR_DAYS = "calendar_days", "Calendar days"
    WEEKS = "weeks", "Weeks"
    MONTHS = "months", "Months"


class WorkItemType(BaseModel):
    """A kind of statutory or local step: referral decision, S47, Care Act assessment…"""

    class ServiceArea(models.TextChoices):
        CHILDREN = "children", "Children's social care"
        ADULTS = "adults", "Adult social care"
        FINANCE = "finance", "Finance"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    needs_authorisation = models.BooleanField(default=False)
    statutory = models.BooleanField(default=True)
    # How much of a worker's capacity one open item of this kind takes (caseload weighting).
    weighting = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["service_area", "name"]

    def __str__(self) -> str:
        return self.name


class TimescaleRule(BaseModel):
    """When a step of one type is due: ``length`` ``unit``s after the event that starts the
    clock, resolved with the working-day calendar; stopped by completing the step. Statutory
    rules ship as data; a council adds local ones (which win over statutory ones for the same
    type) without code. Effective dates let a rule change from a date without rewriting the
    past."""

    class Starts(models.TextChoices):
        ITEM_START = "item_start", "The step is created (e.g. the referral is received)"
        PREVIOUS_COMPLETED = "previous_completed", "The previous step of this kind is completed"

    code = models.SlugField(max_length=60)
    item_type = models.ForeignKey(WorkItemType, on_delete=models.PROTECT, related_name="rules")
    description = models.CharField(max_length=300)
    starts = models.CharField(max_length=30, choices=Starts.choices, default=Starts.ITEM_START)
    length = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=TimeUnit.choices)
    # A recurring step (visits, reviews): completing one creates the next, due by this rule.
    recurs = models.BooleanField(default=False)
    # A recurring series may start with shorter clocks: the first CLA review is due 20 working
    # days after the child becomes looked after, the second 3 months after the first, then
    # every 6 months (``length``/``unit``).
    first_length = models.PositiveIntegerField(null=True, blank=True)
    first_unit = models.CharField(max_length=20, choices=TimeUnit.choices, blank=True)
    second_length = models.PositiveIntegerField(null=True, blank=True)
    second_unit = models.CharField(max_length=20, choices=TimeUnit.choices, blank=True)
    local = models.BooleanField(default=False, help_text="A council's own rule, not statute")
    source = models.CharField(max_length=300, blank=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["item_type__name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="unique_timescale_rule_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_type}: {self.length} {self.get_unit_display().lower()}"


class WorkItem(BaseModel):
    """One statutory or local step on a person, with its clock, who is responsible and its
    status. Every change is a WorkItemEvent row."""

    personal_data = True

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        AWAITING_AUTHORISATION = "awaiting_authorisation", "Awaiting authorisation"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.AWAITING_AUTHORISATION)

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    item_type = models.ForeignKey(WorkItemType, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NOT_STARTED)
    clock_start = models.DateField(help_text="The date of the event that started the clock")
    due_date = models.DateField(null=True, blank=True)
    rule = models.ForeignKey(
        TimescaleRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when someone moved the due date by hand (with a reason in the history).
    due_date_fixed = models.BooleanField(default=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocated_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["worker", "status"]),
            models.Index(fields=["person"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.item_type} for {self.person_id} due {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class WorkItemEvent(BaseModel):
    """The history of a work item, as rows: never changed, only added to."""

    personal_data = True

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        TEAM = "team", "Allocated to a team"
        WORKER = "worker", "Allocated to a worker"
        STATUS = "status", "Status changed"
        DUE_DATE = "due_date", "Due date changed"
        AUTHORISATION_REQUESTED = "authorisation_requested", "Sent for authorisation"
        AUTHORISED = "authorised", "Authorised"
        RETURNED = "returned", "Returned with comments"
        REASSIGNED = "reassigned", "Reassigned"
        ESCALATED = "escalated", "Escalated"

    work_item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.old_value} → {self.new_value}"


class EscalationRule(BaseModel):
    """When unallocated or overdue work is escalated, and to whom. Configurable per council."""

    class Applies(models.TextChoices):
        UNALLOCATED_PERSON = "unallocated_person", "A person with no worker allocated"
        UNALLOCATED_ITEM = "unallocated_item", "A work item with no worker"
        OVERDUE_ITEM = "overdue_item", "An overdue statutory step"

    class Level(models.TextChoices):
        TEAM_MANAGER = "team_manager", "Team manager"
        SERVICE_MANAGER = "service_manager", "Service manager"

    applies = models.CharField(max_length=30, choices=Applies.choices)
    level = models.CharField(max_length=20, choices=Level.choices)
    after_working_days = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["applies", "level"], name="unique_escalation_rule")
        ]

    def __str__(self) -> str:
        return f"{self.applies} → {self.level} after {self.after_working_days} working days"


class Escalation(BaseModel):
    """An escalation sent: one per thing and level, so re-running never repeats it."""

    personal_data = True

    rule = models.ForeignKey(EscalationRule, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    work_item = models.ForeignKey(
        WorkItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    involvement = models.ForeignKey(
        Involvement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    notified = models.JSONField(default=list, help_text="Usernames told")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "work_item"],
                condition=Q(work_item__isnull=False),
                name="one_escalation_per_item_and_rule",
            ),
            models.UniqueConstraint(
                fields=["rule", "involvement"],
                condition=Q(involvement__isnull=False),
                name="one_escalation_per_involvement_and_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} for {self.person_id}"


class TeamMonthFigures(models.Model):
    """A team's figures at the end of a month gone by, for the managers' trend charts: worked
    out once the month is over (``kith month_end_figures`` nightly, or the first page that
    needs them) and kept, so a directorate's twelve months are read, not recounted. Counts
    only; restricted and sealed records are left out of them for everyone."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    month_end = models.DateField()
    unallocated_people = models.PositiveIntegerField(default=0)
    overdue_items = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    completed_with_due_date = models.PositiveIntegerField(default=0)
    completed_on_time = models.PositiveIntegerField(default=0)
    worked_out_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "month_end"], name="unique_team_month_end")
        ]

    def __str__(self) -> str:
        return f"{self.team_id} at {self.month_end}"
