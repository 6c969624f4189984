"""Reads for the CIN census: every child with a child in need episode open at any point in a
period, with the journey's records the census is built from.

A statutory return covers every child, restricted and sealed records included, so these reads
apply no access policy: they are called only by ``kith.returns.cin_census``, after
``building.require_returns_module`` has checked the user may build returns, and the build
writes one audit entry naming every child read (``building.audit_return_built``).

Rows are read in a few queries whatever the number of children (each table once, filtered by a
subquery on the episodes in the period), then grouped in memory.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from kith.children.models import (
    Assessment,
    CINEpisode,
    CINPlan,
    CPPlan,
    CPReview,
    InitialConference,
    PreProceedings,
    Section47,
)
from kith.people.models import Person, PersonIdentifier


@dataclass
class CensusEpisode:
    episode: CINEpisode
    assessments: list[Assessment] = field(default_factory=list)
    enquiries: list[Section47] = field(default_factory=list)
    conferences: list[InitialConference] = field(default_factory=list)
    cp_plans: list[CPPlan] = field(default_factory=list)
    reviews: dict[uuid.UUID, list[CPReview]] = field(default_factory=dict)
    cin_plans: list[CINPlan] = field(default_factory=list)
    pre_proceedings: list[PreProceedings] = field(default_factory=list)


@dataclass
class CensusChild:
    person: Person
    identifiers: list[PersonIdentifier]
    episodes: list[CensusEpisode]


def _episodes_in(start: dt.date, end: dt.date) -> QuerySet[CINEpisode]:
    """Episodes referred by ``end`` and not closed before ``start``. A referral with no further
    action and no closure date lasts its one day, so it counts only if referred in the period."""
    return CINEpisode.objects.filter(referral_date__lte=end).filter(
        Q(closure_date__gte=start)
        | Q(closure_date__isnull=True, referral_nfa=False)
        | Q(closure_date__isnull=True, referral_nfa=True, referral_date__gte=start)
    )


def cin_census_children(*, start: dt.date, end: dt.date) -> list[CensusChild]:
    """Every child (by LA number) with an episode open at any point from ``start`` to ``end``,
    with those episodes (by referral date) and everything recorded on them. The caller decides
    what falls in the census "as at" ``end``."""
    episodes = _episodes_in(start, end)
    episode_ids = episodes.values("pk")
    views: dict[uuid.UUID, CensusEpisode] = {
        e.pk: CensusEpisode(e) for e in episodes.order_by("referral_date", "created_at")
    }
    for model, name, order in (
        (Assessment, "assessments", "start_date"),
        (Section47, "enquiries", "start_date"),
        (InitialConference, "conferences", "conference_date"),
        (CPPlan, "cp_plans", "start_date"),
        (CINPlan, "cin_plans", "start_date"),
        (PreProceedings, "pre_proceedings", "start_date"),
    ):
        for row in model._default_manager.filter(episode_id__in=episode_ids).order_by(
            order, "created_at"
        ):
            getattr(views[row.episode_id], name).append(row)
    plan_episode = {p.pk: v for v in views.values() for p in v.cp_plans}
    for review in CPReview.objects.filter(plan__episode_id__in=episode_ids).order_by(
        "review_date", "created_at"
    ):
        plan_episode[review.plan_id].reviews.setdefault(review.plan_id, []).append(review)

    person_ids = episodes.values("person_id")
    identifiers: dict[uuid.UUID, list[PersonIdentifier]] = defaultdict(list)
    for identifier in PersonIdentifier.objects.filter(
        person_id__in=person_ids,
        kind__in=[PersonIdentifier.Kind.UPN, PersonIdentifier.Kind.FORMER_UPN],
        ended_at__isnull=True,
    ).order_by("created_at"):
        identifiers[identifier.person_id].append(identifier)
    by_person: dict[uuid.UUID, list[CensusEpisode]] = defaultdict(list)
    for view in views.values():
        by_person[view.episode.person_id].append(view)
    return [
        CensusChild(person, identifiers[person.pk], by_person[person.pk])
        for person in Person.objects.filter(pk__in=person_ids).order_by("la_number")
    ]
