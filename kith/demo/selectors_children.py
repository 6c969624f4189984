"""Reads for the seed's children's phase (``kith.demo.children_seed``): the children on the
children's teams' caseloads, the children and young people known before, the teams' workers
and managers, and what the phase made (for its summary and for the work phase). The seed runs
as the system, on a demo database only, so nothing here is scoped by the access policy."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from kith.accounts.models import Membership, Team, User
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
    HealthCheck,
    InitialConference,
    MissingEpisode,
    Placement,
    SdqScore,
    Section47,
    SocialWorkerEpisode,
    UascStatus,
)
from kith.people.models import Person, PersonIdentifier
from kith.recording.models import Visit, VisitType
from kith.work.models import Involvement, WorkItem

CASEWORK_ROLES = ("social_worker", "senior_practitioner")


def seed_people(*, person_ids: set[uuid.UUID]) -> dict[uuid.UUID, Person]:
    return Person.objects.in_bulk(list(person_ids))


def seed_known_young_people(*, born_after: dt.date, limit: int | None = None) -> list[Person]:
    """People born after ``born_after`` (so under 22) with no team working with them, never
    merged: children and young people known before, in LA number order."""
    involved = Involvement.objects.values("person_id")
    return list(
        Person.objects.filter(
            date_of_birth__gt=born_after, merged_into__isnull=True, date_of_death__isnull=True
        )
        .exclude(pk__in=involved)
        .order_by("la_number")[:limit]
    )


def seed_team_workers(*, team_ids: set[uuid.UUID], on: dt.date) -> dict[uuid.UUID, list[User]]:
    """Each team's caseworkers (social workers, senior practitioners) on ``on``, by username."""
    found: dict[uuid.UUID, list[User]] = {}
    for membership in (
        Membership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on),
            start_date__lte=on,
            team_id__in=team_ids,
            role_id__in=CASEWORK_ROLES,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__username")
    ):
        found.setdefault(membership.team_id, []).append(membership.user)
    return found


def seed_has_upn(*, person: Person) -> bool:
    return PersonIdentifier.objects.filter(
        person=person, kind=PersonIdentifier.Kind.UPN, ended_at__isnull=True
    ).exists()


def seed_upn_taken(*, value: str) -> bool:
    return PersonIdentifier.objects.filter(kind=PersonIdentifier.Kind.UPN, value=value).exists()


def seed_visit_types() -> dict[str, VisitType]:
    return {t.code: t for t in VisitType.objects.filter(active=True)}


def seed_children_covered(*, person_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Of these people, those with a children's statutory record (a contact, referral, period
    of care or care leaver contact): their statutory work came from the children's services."""
    found: set[uuid.UUID] = set()
    for model in (Contact, CINEpisode, CarePeriod, CareLeaverContact):
        # every child with one, then those asked about (a county's list of ids is too long
        # for one query's parameters)
        found.update(model.objects.values_list("person_id", flat=True).distinct())
    return found & set(person_ids)


def seed_referrals_by_month(*, since: dt.date) -> dict[dt.date, int]:
    """Referrals (CIN episodes) by the month they were made in (its first day), from ``since``."""
    rows = (
        CINEpisode.objects.filter(referral_date__gte=since)
        .annotate(month=TruncMonth("referral_date"))
        .values("month")
        .annotate(n=Count("id"))
    )
    return {_month_start(row["month"]): row["n"] for row in rows}


def _month_start(value: dt.date | dt.datetime) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    return day.replace(day=1)


def seed_work_items_exist_outside_children() -> bool:
    """Whether there are work items other than those the children's services started for the
    children the children's phase wrote histories for (i.e. the work phase has run)."""
    covered = Q()
    for model in (Contact, CINEpisode, CarePeriod, CareLeaverContact):
        covered |= Q(person_id__in=model.objects.values("person_id"))
    return WorkItem.objects.exclude(covered).exists()


def seed_children_counts(*, on: dt.date) -> dict[str, int]:
    """What the children's phase made, and the case mix open on ``on``."""
    year_ago = on - dt.timedelta(days=365)
    open_on = Q(end_date__isnull=True) | Q(end_date__gt=on)
    cla_now = CarePeriod.objects.filter(open_on, start_date__lte=on)
    cp_now = CPPlan.objects.filter(open_on, start_date__lte=on)
    cin_open = CINEpisode.objects.filter(
        Q(closure_date__isnull=True) | Q(closure_date__gt=on), referral_date__lte=on
    )
    return {
        "contacts": Contact.objects.count(),
        "referrals": CINEpisode.objects.count(),
        "referrals_last_year": CINEpisode.objects.filter(referral_date__gt=year_ago).count(),
        "assessments": Assessment.objects.count(),
        "section47s": Section47.objects.count(),
        "conferences": InitialConference.objects.count(),
        "cp_plans": CPPlan.objects.count(),
        "cin_plans": CINPlan.objects.count(),
        "care_periods": CarePeriod.objects.count(),
        "care_episodes": CareEpisode.objects.count(),
        "placements": Placement.objects.count(),
        "cla_reviews": ClaReview.objects.count(),
        "health_checks": HealthCheck.objects.count(),
        "sdq_scores": SdqScore.objects.count(),
        "missing_episodes": MissingEpisode.objects.count(),
        "uasc": UascStatus.objects.count(),
        "sw_episodes": SocialWorkerEpisode.objects.count(),
        "adoptions": AdoptionRecord.objects.count(),
        "care_leavers": CareLeaverContact.objects.values("person_id").distinct().count(),
        "visits": Visit.objects.filter(visit_type__code__in=CHILDREN_VISITS).count(),
        "cla_now": cla_now.values("person_id").distinct().count(),
        "cp_now": cp_now.values("person_id").distinct().count(),
        # Children in need as the census counts them: an open episode (CP and CLA included)
        "cin_now": cin_open.values("person_id").distinct().count(),
    }


CHILDREN_VISITS = ("cin-visit", "cp-visit", "cla-visit", "cla-visit-long-term")


def seed_children_teams() -> dict[uuid.UUID, Team]:
    """The children's teams (not services or directorates)."""
    return Team.objects.in_bulk(
        list(
            Team.objects.filter(kind=Team.Kind.TEAM, service_area="children").values_list(
                "pk", flat=True
            )
        )
    )
