"""The client index: one record per person, whichever service meets them first."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kith.core.models import BaseModel


class Person(BaseModel):
    personal_data = True

    class Sex(models.TextChoices):
        MALE = "M", "Male"
        FEMALE = "F", "Female"
        UNKNOWN = "U", "Not known"

    la_number = models.PositiveIntegerField("LA person number", unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=100)
    known_as = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child: the expected date of birth"
    )
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(
        max_length=4, blank=True, help_text="DfE ethnicity code (code list ssda903_ethnic)"
    )
    first_language = models.CharField(max_length=100, blank=True)
    interpreter_required = models.BooleanField(default=False)
    religion = models.CharField(max_length=100, blank=True)
    disabilities = models.JSONField(
        default=list, blank=True, help_text="Codes from the cin_disability code list"
    )
    communication_needs = models.TextField(blank=True)
    immigration_status = models.CharField(max_length=100, blank=True)
    # The current address's postcode, kept in step by the address services (for search).
    postcode = models.CharField(max_length=8, blank=True)
    # Set when this record was merged into another; it then appears nowhere but the merge log.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["postcode"]),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.la_number})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None


class LaNumberSequence(models.Model):
    """The last LA person number issued. Numbers are never reused, even after a merge."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_issued = models.PositiveIntegerField(default=100000)

    def __str__(self) -> str:
        return f"LA numbers issued up to {self.last_issued}"


class PersonIdentifier(BaseModel):
    """NHS number, UPN, former UPN or a legacy system's id. Ended, never deleted."""

    personal_data = True

    class Kind(models.TextChoices):
        NHS_NUMBER = "nhs_number", "NHS number"
        UPN = "upn", "Unique pupil number (UPN)"
        FORMER_UPN = "former_upn", "Former UPN"
        LEGACY = "legacy", "Legacy system id"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=50)
    system = models.CharField(max_length=60, blank=True, help_text="For legacy ids: which system")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display_value}"

    @property
    def display_value(self) -> str:
        """NHS numbers as they are written on letters: 943 476 5919."""
        if self.kind == self.Kind.NHS_NUMBER and len(self.value) == 10:
            return f"{self.value[:3]} {self.value[3:6]} {self.value[6:]}"
        return self.value


class PersonName(BaseModel):
    """Other and previous names (aliases, names before marriage, birth names)."""

    personal_data = True

    class Kind(models.TextChoices):
        PREVIOUS = "previous", "Previous name"
        ALIAS = "alias", "Also known as"
        BIRTH = "birth", "Name at birth"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="other_names")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.given_name} {self.family_name}".strip()


class Address(BaseModel):
    """Where a person lives or lived: history by dates, never overwritten."""

    personal_data = True

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="addresses")
    uprn = models.CharField("UPRN", max_length=12, blank=True)
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["postcode"])]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return ", ".join(
            part for part in (self.line_1, self.line_2, self.town, self.postcode) if part
        )


class ContactDetail(BaseModel):
    personal_data = True

    class Kind(models.TextChoices):
        PHONE = "phone", "Phone"
        MOBILE = "mobile", "Mobile"
        EMAIL = "email", "Email"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contact_details")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class Alert(BaseModel):
    """A warning shown at the top of every page about the person, reviewed by a date."""

    personal_data = True

    class Kind(models.TextChoices):
        RISK_TO_STAFF = "risk_to_staff", "Risk to staff"
        RISK_TO_OTHERS = "risk_to_others", "Risk to others"
        COMMUNICATION = "communication", "Communication needs"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    review_date = models.DateField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class AlertReview(BaseModel):
    """Each review of an alert: kept, changed or ended, by whom, and the next review date."""

    personal_data = True

    class Outcome(models.TextChoices):
        KEPT = "kept", "Still needed"
        CHANGED = "changed", "Changed"
        ENDED = "ended", "No longer needed"

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="reviews")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.TextField(blank=True)
    next_review_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.created_at:%Y-%m-%d})"


class PersonSearchKey(models.Model):
    """Blocking keys (phonetic name + year, folded name + outcode…) for fast fuzzy search.
    Rebuilt by the services whenever a name, date of birth or address changes."""

    personal_data = True

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="unique_person_search_key")
        ]
        # Key then person: a tier's lookup is read from the index alone.
        indexes = [models.Index(fields=["key", "person"], name="people_search_key_person")]

    def __str__(self) -> str:
        return self.key


class RelationshipType(models.TextChoices):
    """How one person is related to another. Each has an inverse, kept in step by the services."""

    PARENT = "parent", "Parent"
    CHILD = "child", "Child"
    STEP_PARENT = "step_parent", "Step-parent"
    STEP_CHILD = "step_child", "Step-child"
    FOSTER_CARER = "foster_carer", "Foster carer"
    FOSTER_CHILD = "foster_child", "Foster child"
    GRANDPARENT = "grandparent", "Grandparent"
    GRANDCHILD = "grandchild", "Grandchild"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half_sibling", "Half-sibling"
    STEP_SIBLING = "step_sibling", "Step-sibling"
    AUNT_UNCLE = "aunt_uncle", "Aunt or uncle"
    NIECE_NEPHEW = "niece_nephew", "Niece or nephew"
    PARTNER = "partner", "Partner"
    FORMER_PARTNER = "former_partner", "Former partner"
    SPECIAL_GUARDIAN = "special_guardian", "Special guardian"
    WARD = "ward", "Under special guardianship of"
    CARER = "carer", "Unpaid carer"
    CARED_FOR = "cared_for", "Cared for by them"
    FRIEND = "friend", "Friend"
    OTHER = "other", "Other"


class Relationship(BaseModel):
    """``person`` is ``kind`` of ``other`` (a PARENT row reads "person is the parent of other").
    Every row has its inverse row, created, changed and ended with it."""

    personal_data = True

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships")
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RelationshipType.choices)
    inverse = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # On a row where ``person`` holds it for ``other`` (a parent for a child).
    parental_responsibility = models.BooleanField(default=False)
    # ``person`` is ``other``'s main carer.
    main_carer = models.BooleanField(default=False)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=F("other")), name="relationship_not_to_self"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="relationship_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} of {self.other_id}"


class Household(BaseModel):
    """People living together at an address, over time."""

    personal_data = True

    name = models.CharField(max_length=200, help_text="e.g. the family's name and street")
    address = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


class HouseholdMember(BaseModel):
    personal_data = True

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="households")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.household_id}"


class Organisation(BaseModel):
    """A GP practice, school, nursery, hospital or other agency (not personal data)."""

    class Kind(models.TextChoices):
        GP_PRACTICE = "gp_practice", "GP practice"
        SCHOOL = "school", "School or college"
        NURSERY = "nursery", "Nursery or early years"
        HEALTH = "health", "Health service"
        POLICE = "police", "Police"
        HOUSING = "housing", "Housing"
        VOLUNTARY = "voluntary", "Voluntary organisation"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    code = models.CharField(
        max_length=20, blank=True, help_text="ODS code for health, URN for schools"
    )
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name


class ProfessionalInvolvement(BaseModel):
    """A professional working with the person: their GP, school, health visitor…"""

    personal_data = True

    class Role(models.TextChoices):
        GP = "gp", "GP"
        SCHOOL = "school", "School"
        HEALTH_VISITOR = "health_visitor", "Health visitor"
        SCHOOL_NURSE = "school_nurse", "School nurse"
        MIDWIFE = "midwife", "Midwife"
        PAEDIATRICIAN = "paediatrician", "Paediatrician"
        CAMHS = "camhs", "Mental health worker"
        PROBATION = "probation", "Probation officer"
        POLICE = "police", "Police officer"
        HOUSING = "housing", "Housing officer"
        ADVOCATE = "advocate", "Advocate"
        OTHER = "other", "Other professional"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="professionals")
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_role_display()} for {self.person_id}"


class MergeRecord(BaseModel):
    """Two records merged into one, with every change it made, so ``unmerge`` can restore both
    exactly. ``changes`` lists each re-pointed row (model, pk, field) and the survivor's
    fields filled from the merged record, with their values before."""

    personal_data = True

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    changes = models.JSONField(default=dict)
    unmerged_at = models.DateTimeField(null=True, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unmerge_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} merged into {self.survivor_id}"


class DuplicateDismissal(BaseModel):
    """Data quality staff checked a pair on the duplicate report: not the same person."""

    personal_data = True

    first = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_duplicate_dismissal")
        ]

    def __str__(self) -> str:
        return f"{self.first_id} is not {self.second_id}"


class DuplicateScan(BaseModel):
    """One run of the duplicate scan: who asked for it, how far it has got (blocking groups
    compared of all there are) and how it ended. Its pairs are ``DuplicateCandidate`` rows,
    written in the same transaction that marks it finished, so a scan's results appear whole
    or not at all; the report shows the latest finished scan's pairs. ``created_by`` is empty
    for a scan run from the command line (the nightly job). At most one runs at a time (a
    constraint, not just a check)."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"  # started_at is empty until a worker takes it up
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Blocking groups (people sharing a name-and-date, name-and-year or name-and-area key)
    # compared so far, of how many; the page's progress bar and the command's counter.
    groups_done = models.PositiveIntegerField(default=0)
    groups_total = models.PositiveIntegerField(default=0)
    people_compared = models.PositiveIntegerField(default=0)
    pairs_compared = models.PositiveIntegerField(default=0)
    pairs_found = models.PositiveIntegerField(default=0)
    minimum_score = models.FloatField()
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="running"),
                name="one_duplicate_scan_at_a_time",
            )
        ]

    def __str__(self) -> str:
        return f"Duplicate scan {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def percent(self) -> int:
        return self.groups_done * 100 // self.groups_total if self.groups_total else 0


class DuplicateCandidate(models.Model):
    """A pair of records a scan found probably the same person: its score and reasons as
    the scan saw them. ``first`` has the lower LA number."""

    personal_data = True

    id = models.BigAutoField(primary_key=True)
    scan = models.ForeignKey(DuplicateScan, on_delete=models.CASCADE, related_name="pairs")
    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scan", "first", "second"], name="unique_duplicate_candidate"
            )
        ]
        indexes = [models.Index(fields=["scan", "-score"], name="people_dup_candidate_score")]

    def __str__(self) -> str:
        return f"{self.first_id} and {self.second_id}: {self.score}"
