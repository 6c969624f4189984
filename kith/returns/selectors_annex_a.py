"""The records Ofsted's Annex A lists are made from, read whole for one date range.

A statutory return covers every child, restricted and sealed records included, so nothing here
is filtered by the access policy: the caller must hold the Returns module
(``require_returns_module``), which every function here checks again. Merged-away records are
left out (their rows were moved to the record they were merged into).
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
    CarePeriod,
    CINEpisode,
    CINPlan,
    ClaReview,
    Contact,
    CPPlan,
    CPReview,
    EarlyHelpEpisode,
    HealthCheck,
    InitialConference,
    IroContact,
    LegalStatus,
    MissingEpisode,
    Placement,
    Section47,
    UascStatus,
)
from kith.people.models import Person
from kith.recording.models import Visit
from kith.returns.building import require_returns_module
from kith.work.models import Allocation, Involvement


def _by_person(rows: Any) -> dict[uuid.UUID, list[Any]]:
    grouped: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.person_id].append(row)
    return grouped


def _live(model: Any) -> Any:
    """Rows of a children's model whose person has not been merged away."""
    return model.objects.filter(person__merged_into__isnull=True)


@dataclass
class AnnexARecords:
    """Every row the lists need, for children with something in the range."""

    date_from: dt.date
    date_to: dt.date
    contacts: list[Contact] = field(default_factory=list)
    early_help: list[EarlyHelpEpisode] = field(default_factory=list)
    referrals: list[CINEpisode] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    enquiries: list[Section47] = field(default_factory=list)
    cin_episodes: list[CINEpisode] = field(default_factory=list)
    cp_plans: list[CPPlan] = field(default_factory=list)
    care_periods: list[CarePeriod] = field(default_factory=list)
    care_leavers: dict[uuid.UUID, CareLeaverContact] = field(default_factory=dict)
    adoptions: list[AdoptionRecord] = field(default_factory=list)
    people: dict[uuid.UUID, Person] = field(default_factory=dict)
    # per person, everything needed to fill the other columns
    allocations: dict[uuid.UUID, list[Allocation]] = field(default_factory=dict)
    involvements: dict[uuid.UUID, list[Involvement]] = field(default_factory=dict)
    all_referrals: dict[uuid.UUID, list[CINEpisode]] = field(default_factory=dict)
    all_enquiries: dict[uuid.UUID, list[Section47]] = field(default_factory=dict)
    conferences: dict[uuid.UUID, list[InitialConference]] = field(default_factory=dict)
    cin_plans: dict[uuid.UUID, list[CINPlan]] = field(default_factory=dict)
    all_cp_plans: dict[uuid.UUID, list[CPPlan]] = field(default_factory=dict)
    cp_reviews: dict[uuid.UUID, list[CPReview]] = field(default_factory=dict)
    visits: dict[uuid.UUID, list[Visit]] = field(default_factory=dict)
    all_periods: dict[uuid.UUID, list[CarePeriod]] = field(default_factory=dict)
    legal_statuses: dict[uuid.UUID, list[LegalStatus]] = field(default_factory=dict)
    placements: dict[uuid.UUID, list[Placement]] = field(default_factory=dict)
    episodes: dict[uuid.UUID, list[CareEpisode]] = field(default_factory=dict)
    reviews: dict[uuid.UUID, list[ClaReview]] = field(default_factory=dict)
    iro_contacts: dict[uuid.UUID, list[IroContact]] = field(default_factory=dict)
    health_checks: dict[uuid.UUID, list[HealthCheck]] = field(default_factory=dict)
    missing: dict[uuid.UUID, list[MissingEpisode]] = field(default_factory=dict)
    uasc: dict[uuid.UUID, list[UascStatus]] = field(default_factory=dict)


def _overlapping(model: Any, start: str, end: str, date_from: dt.date, date_to: dt.date) -> Any:
    return (
        _live(model)
        .filter(**{f"{start}__lte": date_to})
        .filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": date_from}))
    )


def annex_a_records(*, user: Any, date_from: dt.date, date_to: dt.date) -> AnnexARecords:
    """The rows of lists 1–10 for ``date_from``–``date_to`` (both included), and everything
    about their children that the lists' other columns are worked out from."""
    require_returns_module(user)
    found = AnnexARecords(date_from=date_from, date_to=date_to)
    found.contacts = list(
        _live(Contact)
        .filter(received_at__date__gte=date_from, received_at__date__lte=date_to)
        .order_by("received_at")
    )
    found.early_help = list(
        _overlapping(EarlyHelpEpisode, "start_date", "end_date", date_from, date_to).order_by(
            "start_date"
        )
    )
    found.referrals = list(
        _live(CINEpisode)
        .filter(referral_date__gte=date_from, referral_date__lte=date_to)
        .select_related("team")
        .order_by("referral_date")
    )
    found.assessments = list(
        _overlapping(Assessment, "start_date", "authorisation_date", date_from, date_to).order_by(
            "start_date"
        )
    )
    found.enquiries = list(
        _live(Section47)
        .filter(start_date__gte=date_from, start_date__lte=date_to)
        .select_related("strategy_discussion")
        .order_by("start_date")
    )
    found.cin_episodes = list(
        _overlapping(CINEpisode, "referral_date", "closure_date", date_from, date_to)
        .filter(referral_nfa=False)
        .order_by("referral_date")
    )
    found.cp_plans = list(
        _overlapping(CPPlan, "start_date", "end_date", date_from, date_to).order_by("start_date")
    )
    found.care_periods = list(
        _overlapping(CarePeriod, "start_date", "end_date", date_from, date_to).order_by(
            "start_date"
        )
    )
    latest: dict[uuid.UUID, CareLeaverContact] = {}
    for contact in (
        _live(CareLeaverContact).filter(contact_date__lte=date_to).order_by("contact_date")
    ):
        latest[contact.person_id] = contact
    found.care_leavers = latest
    found.adoptions = list(
        _live(AdoptionRecord)
        .filter(adm_decision_date__lte=date_to)
        .filter(Q(decision_reversed_date__isnull=True) | Q(decision_reversed_date__gte=date_from))
        .order_by("adm_decision_date")
    )

    ids: set[uuid.UUID] = set()
    for rows in (
        found.contacts,
        found.early_help,
        found.referrals,
        found.assessments,
        found.enquiries,
        found.cin_episodes,
        found.cp_plans,
        found.care_periods,
        found.adoptions,
    ):
        ids.update(row.person_id for row in rows)
    ids.update(found.care_leavers)
    found.people = {p.pk: p for p in Person.objects.filter(pk__in=ids, merged_into__isnull=True)}
    known = list(found.people)

    def load(model: Any, *order: str, **filters: Any) -> dict[uuid.UUID, list[Any]]:
        return _by_person(model.objects.filter(person_id__in=known, **filters).order_by(*order))

    found.allocations = load(Allocation, "start_date", "created_at")
    found.involvements = load(Involvement, "start_date", "created_at")
    found.all_referrals = load(CINEpisode, "referral_date")
    found.all_enquiries = load(Section47, "start_date")
    found.conferences = load(InitialConference, "conference_date")
    found.cin_plans = load(CINPlan, "start_date")
    found.all_cp_plans = load(CPPlan, "start_date")
    found.cp_reviews = load(CPReview, "review_date")
    found.visits = _by_person(
        Visit.objects.filter(person_id__in=known, actual_date__isnull=False)
        .select_related("visit_type")
        .order_by("actual_date", "created_at")
    )
    found.all_periods = load(CarePeriod, "start_date")
    found.legal_statuses = load(LegalStatus, "start_date", "created_at")
    found.placements = load(Placement, "start_date", "created_at")
    found.episodes = load(CareEpisode, "decom", "created_at")
    found.reviews = load(ClaReview, "review_date")
    found.iro_contacts = load(IroContact, "contact_date")
    found.health_checks = load(HealthCheck, "check_date")
    found.missing = load(MissingEpisode, "start_date")
    found.uasc = load(UascStatus, "start_date")
    return found


def team_names(*, user: Any, team_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Team names for the Allocated Team column."""
    from kith.accounts.models import Team

    require_returns_module(user)
    return dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))


def worker_names(*, user: Any, worker_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Workers' names for the Allocated Worker column."""
    from kith.accounts.models import User

    require_returns_module(user)
    return {
        u.pk: (u.get_full_name() or u.get_username())
        for u in User.objects.filter(pk__in=worker_ids)
    }
