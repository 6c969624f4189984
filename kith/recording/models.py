"""Case notes and visits.

A case note is never changed in place: a correction or a deletion is a new row that supersedes
the current one, with the reason and who asked for it, so the original is always kept (see
docs/adr/0007-case-notes-and-visits.md). The database refuses UPDATEs of a note's content and
DELETEs (migration 0002), on SQLite and PostgreSQL.
"""

from django.conf import settings
from django.db import models

from kith.core.models import BaseModel


class NoteType(BaseModel):
    """What kind of note: a code list kept as data (data/note_types.csv, loaded by a migration).
    ``manager_only`` types (management oversight, supervision) are recorded by managers of a
    team working with the person."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    manager_only = models.BooleanField(default=False)
    # A note of this type goes to a manager of the worker's team for authorisation.
    needs_approval = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CaseNote(BaseModel):
    """One version of a note on one person.

    ``thread_id`` is the same for every version of the note on this person (the id of its
    first row); ``group_id`` is the same for the notes recorded together for several people
    (siblings, a household), across all their versions. The current version of a thread is
    the row nothing supersedes; if it is a deletion, the note is deleted."""

    personal_data = True

    class Kind(models.TextChoices):
        ORIGINAL = "original", "Recorded"
        CORRECTION = "correction", "Corrected"
        DELETION = "deletion", "Deleted"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    thread_id = models.UUIDField(db_index=True)
    group_id = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORIGINAL)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    note_type = models.ForeignKey(NoteType, on_delete=models.PROTECT, related_name="+")
    event_date = models.DateField()
    narrative = models.TextField(blank=True)
    significant = models.BooleanField(default=False)
    # For a correction or deletion: why, and who asked for it.
    reason = models.TextField(blank=True)
    requested_by = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "event_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="original", supersedes__isnull=True)
                | (
                    ~models.Q(kind="original")
                    & models.Q(supersedes__isnull=False)
                    & ~models.Q(reason="")
                ),
                name="casenote_change_supersedes_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} note {self.thread_id} on {self.person_id}"

    @property
    def is_deleted(self) -> bool:
        return self.kind == self.Kind.DELETION


class NoteDraft(BaseModel):
    """A note being written, saved on the server as it is typed (ADR 0016): the author's
    only, never on the record, in the chronology or shown to anyone else. Finishing it makes
    the note (``note_add``) and closes the draft; so does discarding it. Kept as typed: a
    half-typed date stays as its parts, the type and the people as the codes and ids chosen."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note_type_code = models.CharField(max_length=60, blank=True)
    event_day = models.CharField(max_length=10, blank=True)
    event_month = models.CharField(max_length=10, blank=True)
    event_year = models.CharField(max_length=10, blank=True)
    narrative = models.TextField(blank=True)
    significant = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    # Ids of the other people the note is also for (siblings, a household).
    also_for = models.JSONField(default=list, blank=True)
    last_saved_at = models.DateTimeField()
    # Finished (the note was made) or discarded: the text is cleared, the row stays so that a
    # save still on its way from the page cannot bring the draft back.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_as = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "person"])]

    def __str__(self) -> str:
        return f"Draft note {self.pk} on {self.person_id}"


class NoteApproval(BaseModel):
    """A note whose type needs a manager's approval: the work item in the team's
    authorisation queue, and where it stands. One per group of notes recorded together (the
    work item is about the first person of the group). Each decision is also a row on the
    work item's history (``WorkItemEvent``) with its comment."""

    personal_data = True

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting authorisation"
        RETURNED = "returned", "Returned with comments"
        AUTHORISED = "authorised", "Authorised"

    group_id = models.UUIDField(unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    work_item = models.ForeignKey("work.WorkItem", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    # The worker who wrote the note (and amends it if it is returned).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_comment = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Approval of note group {self.group_id} ({self.status})"

    @property
    def locked(self) -> bool:
        """Waiting for the manager: nobody changes the note until they decide."""
        return self.status == self.Status.AWAITING


class NotePin(BaseModel):
    """A note pinned to the top of a person's notes and their summary, until unpinned."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    thread_id = models.UUIDField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "thread_id"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_pin_per_note",
            )
        ]

    def __str__(self) -> str:
        return f"Pin of {self.thread_id}"


class VisitType(BaseModel):
    """A kind of visit (data/visit_types.csv), and the work item type a visit of this kind
    completes (``work_item_type`` is a WorkItemType code; blank: none)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    work_item_type = models.SlugField(max_length=60, blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Visit(BaseModel):
    """A visit to a person: planned (a planned date), then recorded (the actual date, whether
    they were seen, seen alone, their bedroom seen, who was there, notes)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    visit_type = models.ForeignKey(VisitType, on_delete=models.PROTECT, related_name="+")
    planned_date = models.DateField(null=True, blank=True)
    actual_date = models.DateField(null=True, blank=True)
    seen = models.BooleanField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)
    # Children only.
    bedroom_seen = models.BooleanField(null=True, blank=True)
    present = models.TextField(blank=True, help_text="Who else was there, in words")
    notes = models.TextField(blank=True)
    # The work item this visit is for (completed when the visit is recorded).
    work_item = models.ForeignKey(
        "work.WorkItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["person", "actual_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_date__isnull=False)
                | models.Q(actual_date__isnull=False),
                name="visit_planned_or_done",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit_type} for {self.person_id}"

    @property
    def is_recorded(self) -> bool:
        return self.actual_date is not None


class VisitPresent(BaseModel):
    """Someone on the client index who was present at a visit."""

    personal_data = True

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="present_people")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.person_id} at {self.visit_id}"
