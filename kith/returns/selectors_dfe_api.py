"""What the DfE children's social care API feed is made from: the cohort and its records, and
what was last sent for each child.

Read whole, as every return is (``require_returns_module``); merged-away records are never in
the cohort, so a child merged into another is purged from the DfE's copy.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from kith.children.models import (
    AdoptionRecord,
    Assessment,
    CareEpisode,
    CareLeaverContact,
    CINEpisode,
    CINPlan,
    CPPlan,
    InitialConference,
    Placement,
    SdqScore,
    Section47,
    UascStatus,
)
from kith.people.models import Person, PersonIdentifier
from kith.returns.building import require_returns_module
from kith.returns.models import DfeApiBatch, DfeApiChild
from kith.work.models import Allocation

COHORT_MAX_AGE = 25
COHORT_MONTHS_BACK = 24


def cohort_window_start(today: dt.date) -> dt.date:
    """24 months back from ``today``, then back to the 1 April on or before it."""
    back = today.replace(year=today.year - COHORT_MONTHS_BACK // 12, day=1)
    year = back.year if back.month >= 4 else back.year - 1
    return dt.date(year, 4, 1)


def _by_person(rows: Any) -> dict[uuid.UUID, list[Any]]:
    grouped: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.person_id].append(row)
    return grouped


@dataclass
class CohortRecords:
    today: dt.date
    window_start: dt.date
    people: dict[uuid.UUID, Person] = field(default_factory=dict)
    identifiers: dict[uuid.UUID, list[PersonIdentifier]] = field(default_factory=dict)
    uasc: dict[uuid.UUID, list[UascStatus]] = field(default_factory=dict)
    sdq: dict[uuid.UUID, list[SdqScore]] = field(default_factory=dict)
    episodes: dict[uuid.UUID, list[CINEpisode]] = field(default_factory=dict)
    assessments: dict[uuid.UUID, list[Assessment]] = field(default_factory=dict)
    cin_plans: dict[uuid.UUID, list[CINPlan]] = field(default_factory=dict)
    enquiries: dict[uuid.UUID, list[Section47]] = field(default_factory=dict)
    conferences: dict[uuid.UUID, list[InitialConference]] = field(default_factory=dict)
    cp_plans: dict[uuid.UUID, list[CPPlan]] = field(default_factory=dict)
    placements: dict[uuid.UUID, list[Placement]] = field(default_factory=dict)
    care_episodes: dict[uuid.UUID, list[CareEpisode]] = field(default_factory=dict)
    adoptions: dict[uuid.UUID, list[AdoptionRecord]] = field(default_factory=dict)
    care_leavers: dict[uuid.UUID, list[CareLeaverContact]] = field(default_factory=dict)
    allocations: dict[uuid.UUID, list[Allocation]] = field(default_factory=dict)
    swe_numbers: dict[uuid.UUID, str] = field(default_factory=dict)


def _overlapping(model: Any, start: str, end: str, first: dt.date, last: dt.date) -> Any:
    return model.objects.filter(
        Q(**{f"{start}__lte": last}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first}))
    )


def dfe_api_cohort(*, user: Any, today: dt.date) -> CohortRecords:
    """Children aged 25 or under with child in need, plan, placement or care leaver activity
    between the 1 April 24 months or more back and ``today``, and all their records."""
    require_returns_module(user)
    start = cohort_window_start(today)
    found = CohortRecords(today=today, window_start=start)
    ids: set[uuid.UUID] = set()
    ids.update(
        _overlapping(CINEpisode, "referral_date", "closure_date", start, today).values_list(
            "person_id", flat=True
        )
    )
    for model in (CINPlan, CPPlan, Placement):
        ids.update(
            _overlapping(model, "start_date", "end_date", start, today).values_list(
                "person_id", flat=True
            )
        )
    ids.update(
        CareLeaverContact.objects.filter(
            contact_date__gte=start, contact_date__lte=today
        ).values_list("person_id", flat=True)
    )
    # born after this day: 25 or under today (on 29 February, the 28th)
    try:
        oldest = today.replace(year=today.year - COHORT_MAX_AGE - 1)
    except ValueError:
        oldest = today.replace(year=today.year - COHORT_MAX_AGE - 1, day=28)
    people = Person.objects.filter(pk__in=ids, merged_into__isnull=True).filter(
        Q(date_of_birth__isnull=True) | Q(date_of_birth__gt=oldest)
    )
    found.people = {p.pk: p for p in people.order_by("la_number")}
    known = list(found.people)

    def load(model: Any, *order: str, **filters: Any) -> dict[uuid.UUID, list[Any]]:
        return _by_person(model.objects.filter(person_id__in=known, **filters).order_by(*order))

    found.identifiers = load(PersonIdentifier, "created_at", ended_at__isnull=True)
    found.uasc = load(UascStatus, "start_date")
    found.sdq = load(SdqScore, "sdq_date")
    found.episodes = _by_person(
        _overlapping(CINEpisode, "referral_date", "closure_date", start, today)
        .filter(person_id__in=known)
        .order_by("referral_date", "created_at")
    )
    found.assessments = load(Assessment, "start_date", "created_at")
    found.cin_plans = load(CINPlan, "start_date")
    found.enquiries = load(Section47, "start_date")
    found.conferences = load(InitialConference, "conference_date")
    found.cp_plans = load(CPPlan, "start_date")
    found.placements = load(Placement, "start_date", "created_at")
    found.care_episodes = load(CareEpisode, "decom", "created_at")
    found.adoptions = load(AdoptionRecord, "adm_decision_date")
    found.care_leavers = load(CareLeaverContact, "contact_date", "created_at")
    found.allocations = load(Allocation, "start_date", "created_at")
    from kith.accounts.models import User

    worker_ids = {a.worker_id for rows in found.allocations.values() for a in rows}
    found.swe_numbers = dict(
        User.objects.filter(pk__in=worker_ids)
        .exclude(swe_number="")
        .values_list("pk", "swe_number")
    )
    return found


def dfe_api_children_sent(*, user: Any) -> dict[uuid.UUID, DfeApiChild]:
    """What was last accepted by the DfE for each child ever sent, by person id."""
    require_returns_module(user)
    return {row.person_id: row for row in DfeApiChild.objects.all()}


def dfe_api_batches(*, user: Any, limit: int = 50) -> list[DfeApiBatch]:
    """The latest batches sent, newest first."""
    require_returns_module(user)
    return list(DfeApiBatch.objects.order_by("-created_at")[:limit])
