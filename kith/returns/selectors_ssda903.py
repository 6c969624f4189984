"""The reads behind the SSDA903 return: every record of every child the return may cover.

A statutory return includes every child it covers, restricted and sealed records included, so
these reads apply no per-person access policy; only a user whose role grants the Returns
module may make them (``require_returns_module``), and the build that uses them writes one
audit entry naming every child in the return (``kith.returns.building.audit_return_built``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from kith.children.models import (
    AdoptionRecord,
    CareEpisode,
    CareLeaverContact,
    ClaReview,
    DoloOrder,
    HealthCheck,
    MissingEpisode,
    PreviousPermanence,
    SdqScore,
    SocialWorkerEpisode,
    UascStatus,
    WellbeingRecord,
)
from kith.people.models import Person, PersonIdentifier, Relationship, RelationshipType
from kith.returns.building import require_returns_module
from kith.work.models import Allocation


@dataclass
class ChildRecords:
    """One child's records, oldest first in each list."""

    person: Person
    upn: str = ""
    children_born: list[dt.date] = field(default_factory=list)  # a mother's children
    episodes: list[CareEpisode] = field(default_factory=list)
    reviews: list[ClaReview] = field(default_factory=list)
    health_checks: list[HealthCheck] = field(default_factory=list)
    sdq_scores: list[SdqScore] = field(default_factory=list)
    wellbeing: list[WellbeingRecord] = field(default_factory=list)
    missing: list[MissingEpisode] = field(default_factory=list)
    uasc: list[UascStatus] = field(default_factory=list)
    dolo: list[DoloOrder] = field(default_factory=list)
    sw_episodes: list[SocialWorkerEpisode] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    adoption: list[AdoptionRecord] = field(default_factory=list)
    previous_permanence: list[PreviousPermanence] = field(default_factory=list)
    care_leaver_contacts: list[CareLeaverContact] = field(default_factory=list)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 2, 28)


def _group(rows: Any, into: dict[uuid.UUID, ChildRecords], name: str) -> None:
    for row in rows:
        found = into.get(row.person_id)
        if found is not None:
            getattr(found, name).append(row)


def ssda903_children(*, user: Any, start: dt.date, end: dt.date) -> list[ChildRecords]:
    """Every child the SSDA903 for the period ``start``–``end`` may cover, with their records:
    children with an episode open at any time in the period, and young people who may be care
    leavers for OC3 (born 17 to 21 years before a day in the period, with a care leaver contact
    recorded). Merged-away records are left out (their records moved to the survivor)."""
    require_returns_module(user)
    looked_after = set(
        CareEpisode.objects.filter(decom__lte=end)
        .exclude(dec__lt=start)
        .values_list("person_id", flat=True)
    )
    leavers = set(
        CareLeaverContact.objects.filter(
            person__date_of_birth__lte=_years_before(end, 17),
            person__date_of_birth__gt=_years_before(start, 22),
        ).values_list("person_id", flat=True)
    )
    ids = looked_after | leavers
    people = Person.objects.filter(pk__in=ids, merged_into__isnull=True).order_by("la_number")
    found = {p.pk: ChildRecords(person=p) for p in people}
    ids = set(found)
    for ident in PersonIdentifier.objects.filter(
        person_id__in=ids, kind=PersonIdentifier.Kind.UPN, ended_at__isnull=True
    ).order_by("created_at"):
        found[ident.person_id].upn = ident.value
    for rel in (
        Relationship.objects.filter(
            person_id__in=ids, kind=RelationshipType.PARENT, other__date_of_birth__isnull=False
        )
        .select_related("other")
        .order_by("other__date_of_birth")
    ):
        if rel.other.date_of_birth is not None:
            found[rel.person_id].children_born.append(rel.other.date_of_birth)
    mine = {"person_id__in": ids}
    _group(CareEpisode.objects.filter(**mine).order_by("decom", "created_at"), found, "episodes")
    _group(ClaReview.objects.filter(**mine).order_by("review_date", "created_at"), found, "reviews")
    _group(HealthCheck.objects.filter(**mine).order_by("check_date"), found, "health_checks")
    _group(SdqScore.objects.filter(**mine).order_by("sdq_date", "created_at"), found, "sdq_scores")
    _group(WellbeingRecord.objects.filter(**mine).order_by("recorded_on"), found, "wellbeing")
    _group(MissingEpisode.objects.filter(**mine).order_by("start_date"), found, "missing")
    _group(UascStatus.objects.filter(**mine).order_by("start_date"), found, "uasc")
    _group(DoloOrder.objects.filter(**mine).order_by("start_date"), found, "dolo")
    _group(
        SocialWorkerEpisode.objects.filter(**mine).order_by("start_date", "created_at"),
        found,
        "sw_episodes",
    )
    _group(
        Allocation.objects.filter(**mine)
        .select_related("worker")
        .order_by("start_date", "created_at"),
        found,
        "allocations",
    )
    _group(
        AdoptionRecord.objects.filter(**mine).order_by("adm_decision_date", "created_at"),
        found,
        "adoption",
    )
    _group(
        PreviousPermanence.objects.filter(**mine).order_by("created_at"),
        found,
        "previous_permanence",
    )
    _group(
        CareLeaverContact.objects.filter(**mine).order_by("contact_date", "created_at"),
        found,
        "care_leaver_contacts",
    )
    return list(found.values())
