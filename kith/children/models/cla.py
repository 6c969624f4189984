"""Children looked after: episodes to leaving care.

A period of care is made of SSDA903 episodes. The user never types an episode: the services
``care_start``, ``legal_status_change``, ``placement_change`` and ``care_end`` (services_cla.py)
derive and store the episode rows the way the 903 expects (RNE S/L/P/T/B/U, the previous one
closed with REC X1 the same day), from the legal statuses and placements the user records.
Codes are SSDA903 codes, checked against the effective-dated code lists (kith.core.codelists)
by the entry-validation rules in ``rules_cla.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kith.core.models import BaseModel

__all__ = [
    "AdoptionRecord",
    "CareEpisode",
    "CareLeaverContact",
    "CarePeriod",
    "ClaReview",
    "DoloOrder",
    "HealthCheck",
    "IroContact",
    "LegalStatus",
    "MissingEpisode",
    "Placement",
    "PreviousPermanence",
    "SdqScore",
    "SocialWorkerEpisode",
    "UascStatus",
    "WellbeingRecord",
]


def _ends_after_start(prefix: str, start: str, end: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=f"{prefix}_ends_after_start",
    )


class CarePeriod(BaseModel):
    """A period of care: from the day the child started to be looked after to the day they
    ceased (with the REC code of the last episode)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=4, blank=True)  # REC
    # Reg 28: the placement is intended to last until the child is 18 (visits 3-monthly after
    # the first year) — kept on the placement; this is the permanence plan in words.
    permanence_plan = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "start_date"])]
        constraints = [
            _ends_after_start("careperiod", "start_date", "end_date"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="one_open_care_period"
            ),
        ]

    def __str__(self) -> str:
        return f"Period of care of {self.person_id} from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class LegalStatus(BaseModel):
    """A legal status (LS) held from ``start_date`` to ``end_date``."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="legal_statuses")
    code = models.CharField(max_length=2)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start_date", "created_at"]
        constraints = [_ends_after_start("legalstatus", "start_date", "end_date")]

    def __str__(self) -> str:
        return f"{self.code} from {self.start_date}"


class Placement(BaseModel):
    """Where the child lives while looked after: type (PLACE), provider (PLACE_PROVIDER and
    who), Ofsted URN, postcode; ``change_reason`` (REASON_PLACE_CHANGE) when it ends by a move.
    ``carer`` names the carer in words: a new placement with the same carer is a T/U episode."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="placements")
    place = models.CharField(max_length=3)
    place_provider = models.CharField(max_length=3, blank=True)
    provider_name = models.CharField(max_length=200, blank=True)
    provider_organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    carer = models.CharField(max_length=200, blank=True)
    urn = models.CharField(max_length=8, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    home_postcode = models.CharField(max_length=8, blank=True)
    intended_until_18 = models.BooleanField(default=False)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    change_reason = models.CharField(max_length=6, blank=True)

    class Meta:
        ordering = ["start_date", "created_at"]
        constraints = [_ends_after_start("placement", "start_date", "end_date")]

    def __str__(self) -> str:
        return f"{self.place} from {self.start_date}"


class CareEpisode(BaseModel):
    """One SSDA903 Episodes row, derived by the services (never typed)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="episodes")
    legal_status = models.ForeignKey(LegalStatus, on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+")
    decom = models.DateField()
    rne = models.CharField(max_length=1)
    ls = models.CharField(max_length=2)
    cin = models.CharField(max_length=2)
    place = models.CharField(max_length=3)
    place_provider = models.CharField(max_length=3, blank=True)
    dec = models.DateField(null=True, blank=True)
    rec = models.CharField(max_length=4, blank=True)
    reason_place_change = models.CharField(max_length=6, blank=True)
    home_post = models.CharField(max_length=8, blank=True)
    pl_post = models.CharField(max_length=8, blank=True)
    urn = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["decom", "created_at"]
        indexes = [models.Index(fields=["person", "decom"])]
        constraints = [
            _ends_after_start("careepisode", "decom", "dec"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(dec__isnull=True), name="one_open_care_episode"
            ),
            models.CheckConstraint(
                condition=Q(dec__isnull=True, rec="") | (Q(dec__isnull=False) & ~Q(rec="")),
                name="careepisode_dec_and_rec_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode {self.rne} {self.decom} of {self.person_id}"


class ClaReview(BaseModel):
    """A looked-after review: due date (from the work item), date held or cancelled,
    the child's participation (REVIEW_CODE PN0–PN7)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(CarePeriod, on_delete=models.PROTECT, related_name="reviews")
    due_date = models.DateField(null=True, blank=True)
    review_date = models.DateField()
    cancelled = models.BooleanField(default=False)
    participation = models.CharField(max_length=3, blank=True)
    work_item = models.ForeignKey(
        "work.WorkItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["review_date"]

    def __str__(self) -> str:
        return f"CLA review {self.review_date}"


class IroContact(BaseModel):
    """The independent reviewing officer's contact with the child."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    contact_date = models.DateField()
    iro_name = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["contact_date"]

    def __str__(self) -> str:
        return f"IRO contact {self.contact_date}"


class HealthCheck(BaseModel):
    """A health assessment, dental check, or immunisations check (up to date or not)."""

    personal_data = True

    class Kind(models.TextChoices):
        HEALTH_ASSESSMENT = "health_assessment", "Health assessment"
        DENTAL_CHECK = "dental_check", "Dental check"
        IMMUNISATIONS = "immunisations", "Immunisations check"
        DEVELOPMENT_CHECK = "development_check", "Health surveillance / development check"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    check_date = models.DateField()
    up_to_date = models.BooleanField(null=True, blank=True)  # immunisations only
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["check_date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.check_date}"


class SdqScore(BaseModel):
    """A Strengths and Difficulties Questionnaire: a score 0–40, or the reason there is none
    (SDQ_REASON SDQ1–SDQ5)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    sdq_date = models.DateField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["sdq_date"]

    def __str__(self) -> str:
        return f"SDQ {self.sdq_date}"


class WellbeingRecord(BaseModel):
    """OC2 flags as known on a date: substance misuse (and interventions), convictions."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField()
    substance_misuse = models.BooleanField()
    intervention_received = models.BooleanField(null=True, blank=True)
    intervention_offered = models.BooleanField(null=True, blank=True)
    convicted = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_on"]

    def __str__(self) -> str:
        return f"Wellbeing {self.recorded_on}"


class MissingEpisode(BaseModel):
    """Missing (M) or away without authorisation (A), with the return home interview."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=1)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    rhi_offered = models.BooleanField(null=True, blank=True)
    rhi_accepted = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [_ends_after_start("missingepisode", "start_date", "end_date")]

    def __str__(self) -> str:
        return f"Missing {self.kind} {self.start_date}"


class UascStatus(BaseModel):
    """Unaccompanied asylum-seeking child from ``start_date``; DUC = ``ceased_date``."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    ceased_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start_date"]

    def __str__(self) -> str:
        return f"UASC from {self.start_date}"


class DoloOrder(BaseModel):
    """A deprivation of liberty order (SSDA903 DoLo)."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start_date"]

    def __str__(self) -> str:
        return f"DoLO from {self.start_date}"


class SocialWorkerEpisode(BaseModel):
    """SSDA903 SWEpisodes: the child's social worker (SW_ID: SWE registration number, or XX…)
    from SW_DECOM to SW_DEC, and why it changed (SW_REASON). Derived from the child's
    allocations (kith.work) when the worker has an SWE number, or recorded directly."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    sw_id = models.CharField(max_length=20)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=6, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocation = models.OneToOneField(
        "work.Allocation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["start_date"]
        constraints = [_ends_after_start("swepisode", "start_date", "end_date")]

    def __str__(self) -> str:
        return f"{self.sw_id} from {self.start_date}"


class AdoptionRecord(BaseModel):
    """Adoption and permanence (AD1, PlacedAdoption): the agency decision maker's decision
    that the child should be placed for adoption, placement order, matching, placement,
    placement ceased (RD1–RD4) and the adopters."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    adm_decision_date = models.DateField()  # DATE_INT / DATE_SHOULD_BE_PLACED
    placement_order_date = models.DateField(null=True, blank=True)
    matched_date = models.DateField(null=True, blank=True)  # DATE_MATCH
    placed_date = models.DateField(null=True, blank=True)  # DATE_PLACED
    placed_ceased_date = models.DateField(null=True, blank=True)
    placed_ceased_reason = models.CharField(max_length=3, blank=True)
    decision_reversed_date = models.DateField(null=True, blank=True)
    foster_care = models.CharField(max_length=1, blank=True)
    nb_adoptr = models.CharField(max_length=1, blank=True)
    sex_adoptr = models.CharField(max_length=2, blank=True)
    ls_adoptr = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["adm_decision_date"]

    def __str__(self) -> str:
        return f"Adoption decision {self.adm_decision_date}"


class PreviousPermanence(BaseModel):
    """Permanence before this period of care (PrevPerm): P1–P4 or Z1, the LA, the date."""

    personal_data = True

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    prev_perm = models.CharField(max_length=2)
    la_perm = models.CharField(max_length=3, blank=True)
    date_perm = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Previous permanence {self.prev_perm}"


class CareLeaverContact(BaseModel):
    """A care leaver's situation as found at a contact (OC3 and Annex A list 9): rows, never
    overwritten; the latest is the current one."""

    personal_data = True

    class Eligibility(models.TextChoices):
        ELIGIBLE = "eligible", "Eligible child"
        RELEVANT = "relevant", "Relevant child"
        FORMER_RELEVANT = "former_relevant", "Former relevant child"
        QUALIFYING = "qualifying", "Qualifying care leaver"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    eligibility = models.CharField(max_length=20, choices=Eligibility.choices)
    contact_date = models.DateField()
    in_touch = models.CharField(max_length=4)
    accommodation = models.CharField(max_length=2, blank=True)
    activity = models.CharField(max_length=2, blank=True)
    pathway_plan_review_date = models.DateField(null=True, blank=True)
    personal_adviser = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["contact_date", "created_at"]

    def __str__(self) -> str:
        return f"Care leaver contact {self.contact_date}"
