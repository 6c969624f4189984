"""Reads of a looked-after child's records, always audited.

Every function taking ``person`` expects one from ``people.selectors.person_get`` (which
applied the access policy and audited opening the record); these add the audit entry of what
was read. ``person_cla_events`` applies no policy: call it through the chronology.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from kith.access.policy import Decision
from kith.accounts.models import User
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.children import rules_cla
from kith.children.models import (
    AdoptionRecord,
    CareEpisode,
    CareLeaverContact,
    CarePeriod,
    ClaReview,
    DoloOrder,
    HealthCheck,
    IroContact,
    LegalStatus,
    MissingEpisode,
    Placement,
    PreviousPermanence,
    SdqScore,
    SocialWorkerEpisode,
    UascStatus,
    WellbeingRecord,
)
from kith.children.selectors_cin import _get  # one child's row by id, the read audited
from kith.core import codelists
from kith.people.chronology import ChronologyEvent, EventType
from kith.people.models import Person
from kith.work.models import WorkItem

REVIEW_ITEM = "cla-review"
VISIT_ITEMS = ("cla-visit", "cla-visit-long-term")
HEALTH_ITEM = "cla-health-assessment"


@dataclass
class LookedAfter:
    """Everything recorded about a child's care, oldest first in each list."""

    periods: list[CarePeriod] = field(default_factory=list)
    episodes: list[CareEpisode] = field(default_factory=list)
    legal_statuses: list[LegalStatus] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    reviews: list[ClaReview] = field(default_factory=list)
    iro_contacts: list[IroContact] = field(default_factory=list)
    health_checks: list[HealthCheck] = field(default_factory=list)
    sdq_scores: list[SdqScore] = field(default_factory=list)
    wellbeing: list[WellbeingRecord] = field(default_factory=list)
    missing: list[MissingEpisode] = field(default_factory=list)
    uasc: list[UascStatus] = field(default_factory=list)
    dolo: list[DoloOrder] = field(default_factory=list)
    sw_episodes: list[SocialWorkerEpisode] = field(default_factory=list)
    adoption: list[AdoptionRecord] = field(default_factory=list)
    previous_permanence: list[PreviousPermanence] = field(default_factory=list)
    care_leaver_contacts: list[CareLeaverContact] = field(default_factory=list)
    status: ClaStatus | None = None


@dataclass
class ClaStatus:
    """The child's current looked-after status, for the summary panel and the API."""

    looked_after: bool
    since: dt.date | None = None
    legal_status: str = ""
    legal_status_since: dt.date | None = None
    placement: Placement | None = None
    next_review_due: dt.date | None = None
    next_visit_due: dt.date | None = None
    health_assessment_due: dt.date | None = None
    last_review: dt.date | None = None
    last_iro_contact: dt.date | None = None
    care_leaver: CareLeaverContact | None = None
    missing_now: bool = False

    @property
    def legal_status_label(self) -> str:
        return _label("ssda903_ls", self.legal_status)

    @property
    def in_temporary_placement(self) -> bool:
        """In a temporary placement (T0–T4), from which they go back to the usual one."""
        kind = rules_cla.placement_type(self.placement.place) if self.placement else None
        return kind is not None and kind.temporary

    @property
    def placement_label(self) -> str:
        return _label("ssda903_place", self.placement.place) if self.placement else ""


def _label(list_name: str, code: str) -> str:
    if not code:
        return ""
    try:
        text = codelists.description(list_name, code)
    except LookupError:
        return code
    return f"{code} – {text}" if text else code


def _due(person: Person, codes: tuple[str, ...]) -> dt.date | None:
    item = (
        WorkItem.objects.filter(person=person, item_type__code__in=codes, status__in=WorkItem.OPEN)
        .exclude(due_date__isnull=True)
        .order_by("due_date")
        .first()
    )
    return item.due_date if item else None


def _status(person: Person) -> ClaStatus:
    episode = (
        CareEpisode.objects.filter(person=person, dec__isnull=True)
        .select_related("period", "legal_status", "placement")
        .first()
    )
    last_review = (
        ClaReview.objects.filter(person=person, cancelled=False).order_by("-review_date").first()
    )
    last_iro = IroContact.objects.filter(person=person).order_by("-contact_date").first()
    leaver = (
        CareLeaverContact.objects.filter(person=person)
        .order_by("-contact_date", "-created_at")
        .first()
    )
    status = ClaStatus(
        looked_after=episode is not None,
        last_review=last_review.review_date if last_review else None,
        last_iro_contact=last_iro.contact_date if last_iro else None,
        care_leaver=leaver,
        missing_now=MissingEpisode.objects.filter(person=person, end_date__isnull=True).exists(),
    )
    if episode is not None:
        status.since = episode.period.start_date
        status.legal_status = episode.ls
        status.legal_status_since = episode.legal_status.start_date
        status.placement = episode.placement
        status.next_review_due = _due(person, (REVIEW_ITEM,))
        status.next_visit_due = _due(person, VISIT_ITEMS)
        status.health_assessment_due = _due(person, (HEALTH_ITEM,))
    return status


def person_cla_status(
    *, user: User | AnonymousUser, person: Person, decision: Decision | None = None
) -> ClaStatus:
    """The summary's read of the record is audited by ``person_get``; this adds an entry only
    when there is a looked-after or care leaver status to show."""
    status = _status(person)
    if not (status.looked_after or status.care_leaver or status.last_review):
        return status
    audit_record(
        actor=user,
        action=Action.VIEW,
        person_id=person.pk,
        object_type="children.cla_status",
        object_id=person.pk,
        rule=decision.rule if decision else "",
    )
    return status


def person_looked_after(
    *, user: User | AnonymousUser, person: Person, decision: Decision | None = None
) -> LookedAfter:
    """Every looked-after record of the child (the Looked after tab and the API)."""
    found = LookedAfter(
        periods=list(CarePeriod.objects.filter(person=person).order_by("start_date")),
        episodes=list(CareEpisode.objects.filter(person=person).order_by("decom", "created_at")),
        legal_statuses=list(LegalStatus.objects.filter(person=person)),
        placements=list(
            Placement.objects.filter(person=person).select_related("provider_organisation")
        ),
        reviews=list(ClaReview.objects.filter(person=person)),
        iro_contacts=list(IroContact.objects.filter(person=person)),
        health_checks=list(HealthCheck.objects.filter(person=person)),
        sdq_scores=list(SdqScore.objects.filter(person=person)),
        wellbeing=list(WellbeingRecord.objects.filter(person=person)),
        missing=list(MissingEpisode.objects.filter(person=person)),
        uasc=list(UascStatus.objects.filter(person=person)),
        dolo=list(DoloOrder.objects.filter(person=person)),
        sw_episodes=list(SocialWorkerEpisode.objects.filter(person=person)),
        adoption=list(AdoptionRecord.objects.filter(person=person)),
        previous_permanence=list(PreviousPermanence.objects.filter(person=person)),
        care_leaver_contacts=list(CareLeaverContact.objects.filter(person=person)),
        status=_status(person),
    )
    audit_record(
        actor=user,
        action=Action.LIST,
        person_id=person.pk,
        object_type="children.looked_after",
        object_id=person.pk,
        rule=decision.rule if decision else "",
        result_ids=sorted(str(e.pk) for e in found.episodes),
    )
    return found


def missing_get(
    *, user: User | AnonymousUser, person: Person, episode_id: object
) -> MissingEpisode | None:
    return _get(user, person, MissingEpisode, episode_id)


def adoption_get(
    *, user: User | AnonymousUser, person: Person, record_id: object
) -> AdoptionRecord | None:
    return _get(user, person, AdoptionRecord, record_id)


def dolo_get(*, user: User | AnonymousUser, person: Person, order_id: object) -> DoloOrder | None:
    return _get(user, person, DoloOrder, order_id)


def uasc_get(*, user: User | AnonymousUser, person: Person, status_id: object) -> UascStatus | None:
    return _get(user, person, UascStatus, status_id)


def person_adoption(
    *, user: User | AnonymousUser, person: Person, decision: Decision | None = None
) -> list[AdoptionRecord]:
    """The child's adoption journeys, oldest decision first."""
    found = list(
        AdoptionRecord.objects.filter(person=person).order_by("adm_decision_date", "created_at")
    )
    audit_record(
        actor=user,
        action=Action.LIST,
        person_id=person.pk,
        object_type="children.adoptionrecord",
        object_id=person.pk,
        rule=decision.rule if decision else "",
        result_ids=sorted(str(a.pk) for a in found),
    )
    return found


def code_choices(list_name: str, on: dt.date | None = None) -> list[tuple[str, str]]:
    return codelists.choices(list_name, on or timezone.localdate())


# --- Chronology ----------------------------------------------------------------------------

CLA = "Looked after"
CARE_STARTED = EventType("children.cla_started", "Started to be looked after", CLA)
CARE_ENDED = EventType("children.cla_ended", "Ceased to be looked after", CLA)
LEGAL_STATUS = EventType("children.cla_legal_status", "Legal status changes", CLA)
PLACEMENT = EventType("children.cla_placement", "Placement moves", CLA)
REVIEW = EventType("children.cla_review", "Looked-after reviews", CLA)
HEALTH = EventType("children.cla_health", "Health assessments and checks", CLA)
MISSING = EventType("children.cla_missing", "Missing and away", CLA)
ADOPTION = EventType("children.cla_adoption", "Adoption", CLA)
CARE_LEAVER = EventType("children.cla_care_leaver", "Care leaver contacts", CLA)
EVENT_TYPES = (
    CARE_STARTED,
    CARE_ENDED,
    LEGAL_STATUS,
    PLACEMENT,
    REVIEW,
    HEALTH,
    MISSING,
    ADOPTION,
    CARE_LEAVER,
)


def _by(row: Any) -> str:
    return row.created_by.display_name if row.created_by else ""


def person_cla_events(*, person_id: uuid.UUID) -> list[ChronologyEvent]:
    """The statutory events of the child's care. No policy here: call through
    ``people.selectors.person_chronology``."""
    events: list[ChronologyEvent] = []

    def add(day: dt.date, kind: EventType, title: str, detail: str, row: Any) -> None:
        events.append(ChronologyEvent(day, kind.code, title, detail, _by(row), CLA))

    for e in CareEpisode.objects.filter(person_id=person_id).select_related("created_by"):
        place = _label("ssda903_place", e.place)
        if e.rne == "S":
            add(
                e.decom,
                CARE_STARTED,
                "Started to be looked after",
                f"Legal status {e.ls}; {place}",
                e,
            )
        if e.rne in {"L", "B", "U"}:
            add(
                e.decom,
                LEGAL_STATUS,
                f"Legal status changed to {e.ls}",
                _label("ssda903_ls", e.ls),
                e,
            )
        if e.rne in {"P", "T", "B", "U"}:
            add(e.decom, PLACEMENT, "Placement changed", place, e)
        if e.dec is not None and e.rec != "X1":
            add(e.dec, CARE_ENDED, "Ceased to be looked after", _label("ssda903_rec", e.rec), e)
    for r in ClaReview.objects.filter(person_id=person_id).select_related("created_by"):
        detail = "Cancelled" if r.cancelled else f"Participation {r.participation}"
        add(r.review_date, REVIEW, "Looked-after review", detail, r)
    for h in HealthCheck.objects.filter(person_id=person_id).select_related("created_by"):
        add(h.check_date, HEALTH, h.get_kind_display(), h.notes[:200], h)
    for m in MissingEpisode.objects.filter(person_id=person_id).select_related("created_by"):
        title = "Missing" if m.kind == "M" else "Away without authorisation"
        detail = f"Returned {m.end_date:%d %B %Y}" if m.end_date else "Not yet returned"
        add(m.start_date, MISSING, title, detail, m)
    for a in AdoptionRecord.objects.filter(person_id=person_id).select_related("created_by"):
        add(a.adm_decision_date, ADOPTION, "Decision: should be placed for adoption", "", a)
        if a.matched_date:
            add(a.matched_date, ADOPTION, "Matched with adopters", "", a)
        if a.placed_date:
            add(a.placed_date, ADOPTION, "Placed for adoption", "", a)
    for c in CareLeaverContact.objects.filter(person_id=person_id).select_related("created_by"):
        add(c.contact_date, CARE_LEAVER, "Care leaver contact", f"In touch: {c.in_touch}", c)
    return events
