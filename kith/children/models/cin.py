"""Child in need journey: front door to CP and CIN plans.

One row per statutory record, with the CIN census field each column feeds named in its help
text, so the census is built from these tables (see docs/adr/0009-children-cin.md). Codes are
kept as codes (referral source, need, closure reason, category of abuse, factors): their lists
are effective-dated reference data (``kith.core.codelists``), checked on entry by the DfE rules
in ``kith.children.rules_cin``. Visits to children on CIN and CP plans are recorded by
``kith.recording`` (visit types ``cin-visit`` and ``cp-visit``), not here.
"""

from django.db import models
from django.db.models import Q

from kith.core.models import BaseModel

__all__ = [
    "Assessment",
    "CINEpisode",
    "CINPlan",
    "CPPlan",
    "CPReview",
    "Contact",
    "CoreGroup",
    "EarlyHelpEpisode",
    "InitialConference",
    "PreProceedings",
    "Section47",
    "StrategyDiscussion",
]


class Contact(BaseModel):
    """A contact at the front door (MASH): who got in touch, about what, how urgent, and the
    decision on it (due within one working day: work item ``contact-decision``)."""

    personal_data = True

    class Priority(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    source = models.CharField(max_length=4, help_text="Code list cin_referral_source")
    referrer = models.CharField(max_length=200, help_text="Who got in touch, in words")
    summary = models.TextField()
    priority = models.CharField(max_length=5, choices=Priority.choices, default=Priority.GREEN)
    screening = models.TextField(blank=True, help_text="What screening found")
    decision = models.CharField(
        max_length=30, blank=True, help_text="Local code list contact_outcome (cin_local_codes)"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    work_item = models.ForeignKey(
        "work.WorkItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["person", "received_at"])]

    def __str__(self) -> str:
        return f"Contact {self.received_at:%Y-%m-%d} for {self.person_id}"


class EarlyHelpEpisode(BaseModel):
    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="early_help"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    end_reason = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="early_help_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Early help from {self.start_date} for {self.person_id}"


class CINEpisode(BaseModel):
    """A referral and the child in need episode it starts (census ``CINdetails``)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    referral_date = models.DateField(help_text="CINreferralDate")
    referral_source = models.CharField(max_length=4, help_text="ReferralSource")
    primary_need = models.CharField(max_length=4, blank=True, help_text="PrimaryNeedCode")
    referral_nfa = models.BooleanField(default=False, help_text="ReferralNFA")
    closure_date = models.DateField(null=True, blank=True, help_text="CINclosureDate")
    closure_reason = models.CharField(max_length=4, blank=True, help_text="ReasonForClosure")

    class Meta:
        indexes = [models.Index(fields=["person", "referral_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True)
                | Q(closure_date__gte=models.F("referral_date")),
                name="cin_episode_closes_after_referral",
            )
        ]

    def __str__(self) -> str:
        return f"CIN episode from {self.referral_date} for {self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class Assessment(BaseModel):
    """A child and family assessment (census ``Assessments``): due 45 working days from the
    referral (work item ``cf-assessment``); complete once authorised."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="assessments")
    start_date = models.DateField(help_text="AssessmentActualStartDate")
    child_seen_date = models.DateField(null=True, blank=True)
    internal_review_date = models.DateField(
        null=True, blank=True, help_text="AssessmentInternalReviewDate"
    )
    authorisation_date = models.DateField(
        null=True, blank=True, help_text="AssessmentAuthorisationDate"
    )
    factors = models.JSONField(
        default=list, blank=True, help_text="AssessmentFactors: codes, cin_assessment_factors"
    )
    outcome = models.CharField(
        max_length=30, blank=True, help_text="Local code list assessment_outcome"
    )
    outcome_nfa = models.BooleanField(default=False)
    work_item = models.ForeignKey(
        "work.WorkItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Assessment from {self.start_date} for {self.person_id}"

    @property
    def is_complete(self) -> bool:
        return self.authorisation_date is not None


class StrategyDiscussion(BaseModel):
    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        CINEpisode, on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    discussion_date = models.DateField()
    attendees = models.TextField(help_text="Who took part, and for which agencies")
    start_s47 = models.BooleanField(help_text="Decision to start a section 47 enquiry")
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Strategy discussion {self.discussion_date} for {self.person_id}"


class Section47(BaseModel):
    """A section 47 enquiry (census ``Section47``); the initial conference is due 15 working
    days after the strategy discussion that started it (``InitialCPCtarget``)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="enquiries")
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField(help_text="S47ActualStartDate")
    end_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, blank=True, help_text="Local list s47_outcome")
    icpc_target_date = models.DateField(null=True, blank=True, help_text="InitialCPCtarget")
    icpc_not_required = models.BooleanField(default=False, help_text="ICPCnotRequired")
    work_item = models.ForeignKey(
        "work.WorkItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="s47_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.start_date} for {self.person_id}"


class InitialConference(BaseModel):
    """An initial child protection conference (``DateOfInitialCPC``): after a section 47
    enquiry, or for a child moving in on another council's plan (``transfer_in``)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="conferences")
    section47 = models.OneToOneField(
        Section47, on_delete=models.PROTECT, null=True, blank=True, related_name="conference"
    )
    target_date = models.DateField(null=True, blank=True)
    conference_date = models.DateField(help_text="DateOfInitialCPC")
    transfer_in = models.BooleanField(default=False)
    cp_plan = models.BooleanField(help_text="Outcome: a child protection plan")
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Initial conference {self.conference_date} for {self.person_id}"


class CPPlan(BaseModel):
    """A child protection plan (census ``ChildProtectionPlans``)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="cp_plans")
    conference = models.OneToOneField(
        InitialConference, on_delete=models.PROTECT, null=True, blank=True, related_name="plan"
    )
    start_date = models.DateField(help_text="CPPstartDate")
    end_date = models.DateField(null=True, blank=True, help_text="CPPendDate")
    initial_category = models.CharField(max_length=3, help_text="InitialCategoryOfAbuse")
    latest_category = models.CharField(max_length=3, help_text="LatestCategoryOfAbuse")
    previous_plans = models.PositiveIntegerField(
        default=0, help_text="NumberOfPreviousCPP: worked out when the plan starts"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="cp_plan_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="one_open_cp_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"CP plan from {self.start_date} for {self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class CPReview(BaseModel):
    """A child protection review conference (``CPPreviewDate``)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(CPPlan, on_delete=models.PROTECT, related_name="reviews")
    due_date = models.DateField(null=True, blank=True)
    review_date = models.DateField(help_text="CPPreviewDate")
    continue_plan = models.BooleanField()
    quorate = models.BooleanField()
    participation = models.CharField(max_length=30, blank=True, help_text="Local list")
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"CP review {self.review_date} for {self.person_id}"


class CoreGroup(BaseModel):
    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(CPPlan, on_delete=models.PROTECT, related_name="core_groups")
    meeting_date = models.DateField()
    attendees = models.TextField()
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Core group {self.meeting_date} for {self.person_id}"


class CINPlan(BaseModel):
    """A child in need plan (census ``CINPlanDates``)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="cin_plans")
    start_date = models.DateField(help_text="CINPlanStartDate")
    end_date = models.DateField(null=True, blank=True, help_text="CINPlanEndDate")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="cin_plan_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="one_open_cin_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"CIN plan from {self.start_date} for {self.person_id}"


class PreProceedings(BaseModel):
    """Pre-proceedings under the Public Law Outline, and family group decision making: the
    CIN census 2026/27 ``PreProceedingsandFGDM`` block, one per episode."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        CINEpisode, on_delete=models.PROTECT, related_name="pre_proceedings"
    )
    start_date = models.DateField(help_text="PPStartDate")
    letter_before_proceedings_sent = models.DateField(
        null=True, blank=True, help_text="LBPSentDate"
    )
    fgdm_offered = models.BooleanField(null=True, blank=True, help_text="FGDMMeetingOffer")
    fgdm_facilitated = models.BooleanField(null=True, blank=True, help_text="FGDMMeetingFac")
    initial_meeting_date = models.DateField(null=True, blank=True, help_text="InitialPPMeetingDate")
    review_meetings = models.PositiveIntegerField(default=0, help_text="ReviewMeetingsCount")
    step_decision_date = models.DateField(null=True, blank=True, help_text="StepDecisionDate")
    outcome = models.CharField(max_length=30, blank=True, help_text="PPOutcome (local list)")
    court_application_date = models.DateField(null=True, blank=True, help_text="CourtAppDate")
    letter_initial_cp_date = models.DateField(null=True, blank=True, help_text="LetterInitCPDate")

    def __str__(self) -> str:
        return f"Pre-proceedings from {self.start_date} for {self.person_id}"
