"""Reads of the client index, always through the access policy, always audited.

A person the policy hides does not exist here: the caller gets ``PersonNotFound`` exactly as
for an id that was never issued.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from kith.access import relationships
from kith.access.models import Module
from kith.access.policy import (
    RECORD_MODULES,
    Decision,
    Do,
    Rule,
    accessible_q,
    decide,
    hidden_q,
    may_use_module,
    user_modules,
)
from kith.accounts.models import Team, User
from kith.accounts.selectors import (
    team_managers_by_team,
    user_is_administrator,
    user_is_manager,
)
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.people import matching
from kith.people.models import (
    Address,
    Alert,
    AlertReview,
    ContactDetail,
    Household,
    HouseholdMember,
    MergeRecord,
    Organisation,
    Person,
    PersonIdentifier,
    PersonName,
    PersonSearchKey,
    ProfessionalInvolvement,
    Relationship,
    RelationshipType,
)

SEARCH_PAGE_SIZE = 25
SEARCH_MIN_SCORE = 50.0
LIKELY_MATCH_MIN_SCORE = 60.0
LIKELY_MATCH_LIMIT = 10
# How many people a fuzzy search scores at most, and how many make a tier enough.
CANDIDATE_LIMIT = 250
CANDIDATE_ENOUGH = 120
# Fewer candidates than this from the keys (none), and PostgreSQL adds similar family names.
TRIGRAM_BELOW = 1
# What scoring and the results table need of each candidate.
_SCORED_FIELDS = (
    "id",
    "la_number",
    "given_name",
    "middle_names",
    "family_name",
    "known_as",
    "date_of_birth",
    "expected_date_of_birth",
    "date_of_death",
    "sex",
    "postcode",
    "merged_into",
)


class PersonNotFound(Exception):
    """No such person for this user (never issued, or hidden from them)."""


class PersonMerged(Exception):
    """The record was merged into another: go to ``survivor_id`` instead."""

    def __init__(self, survivor_id: uuid.UUID) -> None:
        super().__init__(str(survivor_id))
        self.survivor_id = survivor_id


class RecordAccessDenied(Exception):
    def __init__(self, person: Person, decision: Decision) -> None:
        super().__init__(decision.rule)
        self.person = person
        self.decision = decision


@dataclass(frozen=True)
class Contact:
    team: str
    managers: list[str]


@dataclass
class SearchHit:
    person: Person
    full_access: bool
    contacts: list[Contact] = field(default_factory=list)
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    @property
    def year_of_birth(self) -> int | None:
        return self.person.date_of_birth.year if self.person.date_of_birth else None


@dataclass
class SearchResults:
    terms: str
    hits: list[SearchHit]
    total: int
    page: int
    pages: int


def _parse_uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def person_get(
    *, user: User | AnonymousUser, person_id: object, action: Do = Do.VIEW
) -> tuple[Person, Decision]:
    """The person, if the policy allows; every look (and every refusal) is audited."""
    pk = _parse_uuid(person_id)
    person = Person.objects.filter(pk=pk).first() if pk else None
    if person is None:
        raise PersonNotFound(str(person_id))
    if person.merged_into_id is not None:
        raise PersonMerged(person.merged_into_id)
    decision = decide(user, person.pk, action)
    if not decision.visible:
        raise PersonNotFound(str(person_id))
    audit_record(
        actor=user,
        action=Action.VIEW if decision.allowed else Action.ACCESS_DENIED,
        person_id=person.pk,
        object_type="people.person",
        object_id=person.pk,
        rule=decision.rule,
        reason=decision.break_glass_reason,
    )
    if not decision.allowed:
        raise RecordAccessDenied(person, decision)
    return person, decision


def person_contacts(
    *, person_ids: list[uuid.UUID], on: dt.date | None = None
) -> dict[uuid.UUID, list[Contact]]:
    """Which teams are working with each person, and their managers: who to contact. A few
    queries for the whole list, however long."""
    day = on or timezone.localdate()
    team_ids: dict[uuid.UUID, set[uuid.UUID]] = {person_id: set() for person_id in person_ids}
    for provider in relationships.providers():
        for person_id, teams in provider.responsible_team_ids(
            person_ids=person_ids, on=day
        ).items():
            team_ids.setdefault(person_id, set()).update(teams)
    every_team = set().union(*team_ids.values()) if team_ids else set()
    if not every_team:
        return {person_id: [] for person_id in person_ids}
    names = dict(Team.objects.filter(pk__in=every_team).values_list("pk", "name"))
    managers = team_managers_by_team(team_ids=every_team, on=day)
    return {
        person_id: [
            Contact(
                team=names[team_id],
                managers=sorted(m.display_name for m in managers.get(team_id, set())),
            )
            for team_id in sorted(teams, key=lambda pk: names.get(pk, ""))
            if team_id in names
        ]
        for person_id, teams in team_ids.items()
    }


def _hits_for(
    user: User | AnonymousUser, scored: list[tuple[Person, matching.Match]]
) -> list[SearchHit]:
    ids = [p.pk for p, _ in scored]
    # Scoring loaded only some fields; the page's people are loaded whole, in one query.
    whole = Person.objects.in_bulk(ids)
    scored = [(whole[p.pk], m) for p, m in scored]
    full = set(Person.objects.filter(accessible_q(user), pk__in=ids).values_list("pk", flat=True))
    contacts = person_contacts(person_ids=[pk for pk in ids if pk not in full])
    return [
        SearchHit(p, p.pk in full, contacts.get(p.pk, []), m.score, list(m.reasons))
        for p, m in scored
    ]


def _candidates(people: Sequence[Person]) -> dict[uuid.UUID, matching.Candidate]:
    """Each person as matching sees them: their current other names and every address's
    postcode (newest first), read in two narrow queries for the whole list."""
    ids = [person.pk for person in people]
    other_names: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for person_id, given, family in PersonName.objects.filter(
        person_id__in=ids, ended_at__isnull=True
    ).values_list("person_id", "given_name", "family_name"):
        other_names.setdefault(person_id, []).append((given, family))
    postcodes: dict[uuid.UUID, list[str]] = {}
    for person_id, postcode in (
        Address.objects.filter(person_id__in=ids)
        .order_by("-start_date")
        .values_list("person_id", "postcode")
    ):
        postcodes.setdefault(person_id, []).append(postcode)
    return {
        person.pk: matching.Candidate.of_person(
            person, other_names.get(person.pk, []), postcodes.get(person.pk, [])
        )
        for person in people
    }


def _surviving_record(person_id: uuid.UUID) -> uuid.UUID:
    """Where a chain of merges ends."""
    for _ in range(50):
        following = Person.objects.filter(pk=person_id).values_list("merged_into", flat=True)[0]
        if following is None:
            break
        person_id = following
    return person_id


def _by_identifier(query: matching.ParsedQuery) -> list[tuple[uuid.UUID, str]]:
    """Exact matches on an identifier, with the reason."""
    found: list[tuple[uuid.UUID, str]] = []
    if query.la_number is not None:
        row = Person.objects.filter(la_number=query.la_number).values("pk", "merged_into").first()
        if row and not row["merged_into"]:
            found.append((row["pk"], "LA number matches"))
        elif row:
            survivor = _surviving_record(row["merged_into"])  # type: ignore[arg-type]
            found.append((survivor, "LA number of a record merged into this one"))
    wanted = []
    if query.nhs_number:
        wanted.append(Q(kind=PersonIdentifier.Kind.NHS_NUMBER, value=query.nhs_number))
    if query.upn:
        wanted.append(
            Q(
                kind__in=[PersonIdentifier.Kind.UPN, PersonIdentifier.Kind.FORMER_UPN],
                value=query.upn,
            )
        )
    if query.other_id:
        wanted.append(Q(value__iexact=query.other_id))
    if wanted:
        condition = wanted[0]
        for more in wanted[1:]:
            condition |= more
        for identifier in PersonIdentifier.objects.filter(condition).order_by("ended_at"):
            label = identifier.get_kind_display()
            if identifier.kind == PersonIdentifier.Kind.LEGACY:
                label = f"{identifier.system or 'Legacy'} id"
            reason = f"{label} matches" + (" (no longer used)" if identifier.ended_at else "")
            found.append((identifier.person_id, reason))
    return found


def _candidate_ids(query: matching.ParsedQuery) -> list[uuid.UUID]:
    """People sharing blocking keys with the query, most keys first, tier by tier until
    enough are found. Names alone (large groups) are asked for only when the selective tiers
    find nobody; on PostgreSQL, trigram similarity then adds family names the keys miss
    (typos in the first letters)."""
    found: dict[uuid.UUID, int] = {}
    for tier in matching.query_key_tiers(query):
        if tier.broad and found:
            break
        rows = (
            PersonSearchKey.objects.filter(key__in=sorted(tier.keys))
            .values("person_id")
            .annotate(shared=Count("person_id"))  # read from the index alone
            .order_by("-shared")[:CANDIDATE_LIMIT]
        )
        for row in rows:
            found.setdefault(row["person_id"], row["shared"])
        if len(found) >= CANDIDATE_ENOUGH:
            break
    if connection.vendor == "postgresql" and len(found) < TRIGRAM_BELOW and query.names:
        for name in query.names:
            if len(name) < 4:
                continue
            for pk in (
                Person.objects.extra(
                    where=["lower(people_person.family_name) %% %s"], params=[name]
                )
                .filter(merged_into__isnull=True)
                .values_list("pk", flat=True)[:CANDIDATE_ENOUGH]
            ):
                found.setdefault(pk, 0)
    return list(found)[:CANDIDATE_LIMIT]


def _match_people(
    user: User | AnonymousUser, query: matching.ParsedQuery, *, minimum: float
) -> list[tuple[Person, matching.Match]]:
    visible = Person.objects.exclude(hidden_q(user)).filter(merged_into__isnull=True)
    exact = _by_identifier(query)
    scored: dict[uuid.UUID, tuple[Person, matching.Match]] = {}
    if exact:
        reasons: dict[uuid.UUID, list[str]] = {}
        for pk, reason in exact:
            reasons.setdefault(pk, []).append(reason)
        for person in visible.filter(pk__in=list(reasons)):
            scored[person.pk] = (person, matching.Match(100.0, tuple(reasons[person.pk])))
        return sorted(scored.values(), key=lambda pm: (-pm[1].score, pm[0].la_number))
    if query.names:
        ids = _candidate_ids(query)
        people = visible.filter(pk__in=ids)
    elif query.date_of_birth or query.postcode or query.outcode or query.year_of_birth:
        people = visible
        if query.date_of_birth:
            people = people.filter(date_of_birth=query.date_of_birth)
        elif query.year_of_birth:
            people = people.filter(date_of_birth__year=query.year_of_birth)
        if query.postcode:
            people = people.filter(postcode=query.postcode)
        elif query.outcode:
            people = people.filter(postcode__startswith=f"{query.outcode} ")
        people = people.order_by("family_name", "given_name")[:CANDIDATE_LIMIT]
    else:
        return []
    loaded = list(people.only(*_SCORED_FIELDS))
    candidates = _candidates(loaded)
    for person in loaded:
        match = matching.score(query, candidates[person.pk])
        if match.score >= minimum:
            scored[person.pk] = (person, match)
    return sorted(
        scored.values(),
        key=lambda pm: (-pm[1].score, pm[0].family_name, pm[0].given_name, pm[0].la_number),
    )


def person_search(*, user: User | AnonymousUser, terms: str, page: int = 1) -> SearchResults:
    """People matching an identifier exactly, or a name (tolerant of typos, nicknames,
    hyphens and names the other way round) with a date or year of birth and a postcode or
    postcode area. Ranked, paged, each with why it matched. Hidden records never appear;
    people outside the user's relationships appear with only enough to avoid a duplicate."""
    if not user_modules(user) & RECORD_MODULES:
        raise PermissionDenied("Your role does not give access to people's records.")
    terms = " ".join(terms.split())[:200]
    query = matching.parse_query(terms)
    matches = _match_people(user, query, minimum=SEARCH_MIN_SCORE) if terms else []
    total = len(matches)
    pages = max(1, -(-total // SEARCH_PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * SEARCH_PAGE_SIZE
    hits = _hits_for(user, matches[start : start + SEARCH_PAGE_SIZE])
    audit_record(
        actor=user,
        action=Action.SEARCH,
        object_type="people.person",
        search_terms=terms,
        result_ids=[hit.person.pk for hit in hits],
    )
    return SearchResults(terms=terms, hits=hits, total=total, page=page, pages=pages)


def person_likely_matches(
    *,
    user: User | AnonymousUser,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None = None,
    postcode: str = "",
    nhs_number: str = "",
) -> list[SearchHit]:
    """Search-before-create: the people who may already be the person about to be added."""
    if not user_modules(user) & RECORD_MODULES:
        raise PermissionDenied("Your role does not give access to people's records.")
    words = [given_name, family_name]
    if date_of_birth:
        words.append(date_of_birth.strftime("%d/%m/%Y"))
    if postcode:
        words.append(postcode)
    terms = " ".join(" ".join(words).split())
    query = matching.parse_query(terms)
    matches = _match_people(user, query, minimum=LIKELY_MATCH_MIN_SCORE)
    if nhs_number.strip():
        by_nhs = matching.parse_query(nhs_number)
        known = {p.pk for p, _ in matches}
        matches = [
            pm for pm in _match_people(user, by_nhs, minimum=0) if pm[0].pk not in known
        ] + matches
    hits = _hits_for(user, matches[:LIKELY_MATCH_LIMIT])
    audit_record(
        actor=user,
        action=Action.SEARCH,
        object_type="people.person",
        search_terms=f"before adding: {terms} {nhs_number}".strip(),
        result_ids=[hit.person.pk for hit in hits],
    )
    return hits


# --- What the person's pages show. Call only with a person from ``person_get``: that read
# applied the policy and is the audit entry for the page. ---


def person_alerts_current(*, person: Person) -> list[Alert]:
    return list(Alert.objects.filter(person=person, ended_at__isnull=True))


@dataclass
class PersonDetails:
    identifiers: list[PersonIdentifier]
    other_names: list[PersonName]
    addresses: list[Address]
    contact_details: list[ContactDetail]
    alerts: list[Alert]
    reviews: dict[uuid.UUID, list[AlertReview]]


def person_details(*, person: Person) -> PersonDetails:
    alerts = list(Alert.objects.filter(person=person).order_by("ended_at", "-created_at"))
    reviews: dict[uuid.UUID, list[AlertReview]] = {}
    for review in AlertReview.objects.filter(alert__person=person).select_related("created_by"):
        reviews.setdefault(review.alert_id, []).append(review)
    return PersonDetails(
        identifiers=list(
            PersonIdentifier.objects.filter(person=person).order_by("ended_at", "kind")
        ),
        other_names=list(PersonName.objects.filter(person=person).order_by("-created_at")),
        addresses=list(Address.objects.filter(person=person).order_by("-start_date")),
        contact_details=list(
            ContactDetail.objects.filter(person=person).order_by("ended_at", "kind")
        ),
        alerts=alerts,
        reviews=reviews,
    )


@dataclass
class RelatedPerson:
    relationship: Relationship
    other: Person
    may_open: bool

    @property
    def _theirs(self) -> Relationship:
        """The row seen from the other person: what they are to this person."""
        return self.relationship.inverse or self.relationship

    @property
    def label(self) -> str:
        return relationship_label(self._theirs.kind, self.other.sex)

    @property
    def they_hold_parental_responsibility(self) -> bool:
        return self._theirs.parental_responsibility

    @property
    def they_are_main_carer(self) -> bool:
        return self._theirs.main_carer


@dataclass
class HouseholdView:
    household: Household
    members: list[tuple[HouseholdMember, bool]]  # (member, may open their record)


@dataclass
class PersonFamily:
    current: list[RelatedPerson]
    past: list[RelatedPerson]
    households: list[HouseholdView]
    professionals: list[ProfessionalInvolvement]


_GENDERED = {
    ("parent", "F"): "Mother",
    ("parent", "M"): "Father",
    ("child", "F"): "Daughter",
    ("child", "M"): "Son",
    ("sibling", "F"): "Sister",
    ("sibling", "M"): "Brother",
    ("grandparent", "F"): "Grandmother",
    ("grandparent", "M"): "Grandfather",
    ("step_parent", "F"): "Stepmother",
    ("step_parent", "M"): "Stepfather",
    ("aunt_uncle", "F"): "Aunt",
    ("aunt_uncle", "M"): "Uncle",
    ("half_sibling", "F"): "Half-sister",
    ("half_sibling", "M"): "Half-brother",
}


def relationship_label(kind: str, sex: str) -> str:
    """A relationship kind in everyday words for someone of that sex, e.g. parent → "Mother"."""
    return _GENDERED.get((kind, sex), RelationshipType(kind).label)


def person_family(*, user: User | AnonymousUser, person: Person) -> PersonFamily:
    """Relationships, households and professionals. Related people whose records are hidden
    from the user do not appear; those the user may not open appear by name only."""
    hidden = Person.objects.filter(hidden_q(user)).values("pk")
    rows = list(
        Relationship.objects.filter(person=person, other__merged_into__isnull=True)
        .exclude(other__in=hidden)
        .select_related("other", "inverse")
        .order_by("end_date", "kind", "other__date_of_birth")
    )
    household_rows = list(
        HouseholdMember.objects.filter(person=person)
        .select_related("household")
        .order_by("end_date", "-start_date")
    )
    members = list(
        HouseholdMember.objects.filter(household__in=[m.household_id for m in household_rows])
        .exclude(person__in=hidden)
        .filter(person__merged_into__isnull=True)
        .select_related("person")
        .order_by("end_date", "person__date_of_birth")
    )
    ids = {r.other_id for r in rows} | {m.person_id for m in members}
    may_open = set(
        Person.objects.filter(accessible_q(user), pk__in=ids).values_list("pk", flat=True)
    )
    related = [RelatedPerson(r, r.other, r.other_id in may_open) for r in rows]
    households = [
        HouseholdView(
            m.household,
            [(x, x.person_id in may_open) for x in members if x.household_id == m.household_id],
        )
        for m in household_rows
    ]
    return PersonFamily(
        current=[r for r in related if r.relationship.end_date is None],
        past=[r for r in related if r.relationship.end_date is not None],
        households=households,
        professionals=list(
            ProfessionalInvolvement.objects.filter(person=person)
            .select_related("organisation")
            .order_by("end_date", "role")
        ),
    )


def relationship_get(*, person: Person, relationship_id: object) -> Relationship | None:
    pk = _parse_uuid(relationship_id)
    if pk is None:
        return None
    return Relationship.objects.filter(pk=pk, person=person).select_related("inverse").first()


def alert_get(*, person: Person, alert_id: object) -> Alert | None:
    pk = _parse_uuid(alert_id)
    if pk is None:
        return None
    return Alert.objects.filter(pk=pk, person=person).first()


def identifier_get(*, person: Person, identifier_id: object) -> PersonIdentifier | None:
    pk = _parse_uuid(identifier_id)
    if pk is None:
        return None
    return PersonIdentifier.objects.filter(pk=pk, person=person).first()


def contact_detail_get(*, person: Person, detail_id: object) -> ContactDetail | None:
    pk = _parse_uuid(detail_id)
    if pk is None:
        return None
    return ContactDetail.objects.filter(pk=pk, person=person).first()


def organisation_choices() -> list[tuple[str, str]]:
    return [(str(o.pk), f"{o.name} ({o.get_kind_display()})") for o in Organisation.objects.all()]


def organisation_list() -> list[Organisation]:
    return list(Organisation.objects.order_by("kind", "name"))


def organisation_get(*, organisation_id: object) -> Organisation | None:
    pk = _parse_uuid(organisation_id)
    return Organisation.objects.filter(pk=pk).first() if pk else None


# --- Duplicates and merges (data quality staff) ---


def person_for_merge(*, user: User | AnonymousUser, la_number: int) -> Person | None:
    """A record data quality staff are about to merge, found by LA number, audited."""
    if not user_is_administrator(user=user):
        raise PermissionDenied("Merging records is for data quality staff.")
    person = (
        Person.objects.exclude(hidden_q(user))
        .filter(la_number=la_number, merged_into__isnull=True)
        .first()
    )
    audit_record(
        actor=user,
        action=Action.VIEW,
        person_id=person.pk if person else None,
        object_type="people.person",
        object_id=person.pk if person else "",
        search_terms=f"LA number {la_number}",
        rule="data_quality",
    )
    return person


def person_for_dismissal(*, user: User | AnonymousUser, person_id: object) -> Person | None:
    """A record on the duplicate report being marked as not a duplicate."""
    if not user_is_administrator(user=user):
        raise PermissionDenied("The duplicate report is for data quality staff.")
    pk = _parse_uuid(person_id)
    return Person.objects.exclude(hidden_q(user)).filter(pk=pk).first() if pk else None


@dataclass
class MergeComparison:
    """What each record holds, side by side, so staff can choose which stays."""

    rows: list[tuple[str, str, str]]  # (what, first, second)
    linked: list[tuple[str, int, int]]  # (what, how many on first, how many on second)


def merge_comparison(*, first: Person, second: Person) -> MergeComparison:
    """Call only with people from ``person_for_merge`` (audited)."""
    rows = []
    for field_name in (
        "given_name",
        "middle_names",
        "family_name",
        "known_as",
        "date_of_birth",
        "sex",
        "ethnicity",
        "first_language",
        "postcode",
    ):
        label = field_name.replace("_", " ").capitalize()
        a, b = getattr(first, field_name), getattr(second, field_name)
        rows.append((label, str(a or ""), str(b or "")))
    ids = {
        p.pk: ", ".join(
            f"{i.get_kind_display()} {i.value}"
            for i in PersonIdentifier.objects.filter(person=p, ended_at__isnull=True)
        )
        for p in (first, second)
    }
    rows.append(("Identifiers", ids[first.pk], ids[second.pk]))
    linked = []
    for model in apps.get_models():
        person_fields = [
            f.name
            for f in model._meta.concrete_fields
            if getattr(f, "related_model", None) is Person and model is not Person
        ]
        label = model._meta.label_lower
        if not person_fields or label in {
            "people.personsearchkey",
            "people.mergerecord",
            "people.duplicatedismissal",
            "people.duplicatecandidate",
        }:
            continue
        counts = []
        for p in (first, second):
            condition = Q()
            for name in person_fields:
                condition |= Q(**{name: p})
            counts.append(model._default_manager.filter(condition).count())
        if any(counts):
            linked.append((str(model._meta.verbose_name_plural).capitalize(), counts[0], counts[1]))
    return MergeComparison(rows=rows, linked=linked)


def merge_records(*, user: User | AnonymousUser, limit: int = 100) -> list[MergeRecord]:
    if not user_is_administrator(user=user):
        raise PermissionDenied("The merge log is for data quality staff.")
    records = list(
        MergeRecord.objects.select_related("survivor", "merged", "created_by", "unmerged_by")[
            :limit
        ]
    )
    audit_record(
        actor=user,
        action=Action.LIST,
        object_type="people.mergerecord",
        result_ids=[r.pk for r in records],
        rule="data_quality",
    )
    return records


def merge_record_get(*, user: User | AnonymousUser, record_id: object) -> MergeRecord | None:
    if not user_is_administrator(user=user):
        raise PermissionDenied("The merge log is for data quality staff.")
    pk = _parse_uuid(record_id)
    return (
        MergeRecord.objects.select_related("survivor", "merged").filter(pk=pk).first()
        if pk
        else None
    )


def person_list_accessible(*, user: User | AnonymousUser, limit: int = 50) -> list[Person]:
    """The people whose records the user may open (their caseload and their teams')."""
    people = list(
        Person.objects.filter(accessible_q(user), merged_into__isnull=True).order_by(
            "family_name", "given_name"
        )[:limit]
    )
    audit_record(
        actor=user,
        action=Action.LIST,
        object_type="people.person",
        result_ids=[p.pk for p in people],
    )
    return people


def person_for_access_request(*, user: User | AnonymousUser, person_id: object) -> Person | None:
    """The person, when the user may ask for emergency access or declare they know them:
    the record exists for them (not hidden) but they cannot open it, or can."""
    pk = _parse_uuid(person_id)
    person = Person.objects.filter(pk=pk).first() if pk else None
    if person is None:
        return None
    decision = decide(user, person.pk)
    if not decision.visible:
        return None
    return person


def person_for_break_glass(*, user: User | AnonymousUser, person_id: object) -> Person | None:
    """The person, if the user may ask for emergency access; PermissionDenied if their role
    or a declared conflict rules it out; None if the record is hidden from them."""
    person = person_for_access_request(user=user, person_id=person_id)
    if person is not None and decide(user, person.pk).rule in {Rule.NO_MODULE, Rule.KNOWN_TO_ME}:
        raise PermissionDenied("Emergency access is not available to you for this record.")
    return person


def person_find_by_la_number(*, user: User | AnonymousUser, la_number: int) -> Person | None:
    """A person named by LA number while recording (a relative, a household member): found
    only if the record is not hidden from the user. Audited as a search."""
    if not user_modules(user) & RECORD_MODULES:
        raise PermissionDenied("Your role does not give access to people's records.")
    person = (
        Person.objects.exclude(hidden_q(user))
        .filter(la_number=la_number, merged_into__isnull=True)
        .first()
    )
    audit_record(
        actor=user,
        action=Action.SEARCH,
        object_type="people.person",
        search_terms=f"LA number {la_number}",
        result_ids=[person.pk] if person else [],
    )
    return person


def household_get(*, person: Person, household_id: object) -> Household | None:
    """One of the person's households."""
    pk = _parse_uuid(household_id)
    return (
        Household.objects.filter(pk=pk, members__person=person).distinct().first() if pk else None
    )


def household_member_get(*, person: Person, member_id: object) -> HouseholdMember | None:
    """A membership of one of the person's households."""
    pk = _parse_uuid(member_id)
    if pk is None:
        return None
    return (
        HouseholdMember.objects.filter(pk=pk, household__members__person=person)
        .select_related("person", "household")
        .distinct()
        .first()
    )


def professional_get(*, person: Person, involvement_id: object) -> ProfessionalInvolvement | None:
    pk = _parse_uuid(involvement_id)
    return ProfessionalInvolvement.objects.filter(pk=pk, person=person).first() if pk else None


def person_by_la_number_for_admin(*, user: User | AnonymousUser, la_number: int) -> Person | None:
    """For a system administrator restricting a record: found by LA number, audited."""
    person = Person.objects.filter(la_number=la_number).first()
    audit_record(
        actor=user,
        action=Action.SEARCH,
        object_type="people.person",
        search_terms=f"LA number {la_number}",
        result_ids=[person.pk] if person else [],
        rule="administration",
    )
    return person


def person_for_access_log(*, user: User | AnonymousUser, person_id: object) -> Person:
    """The person whose access log the user asks for: auditors, and managers with a
    relationship to the person. Reading the log is audited by ``audit.selectors``; a refusal
    is audited here."""
    pk = _parse_uuid(person_id)
    person = Person.objects.filter(pk=pk).first() if pk else None
    if person is None:
        raise PersonNotFound(str(person_id))
    decision = decide(user, person.pk)
    if not decision.visible:
        raise PersonNotFound(str(person_id))
    if (decision.allowed and user_is_manager(user=user)) or may_use_module(user, Module.AUDIT):
        return person
    audit_record(
        actor=user,
        action=Action.ACCESS_DENIED,
        person_id=person.pk,
        object_type="audit.person_access_log",
        object_id=person.pk,
        rule=decision.rule,
    )
    raise PermissionDenied("Only managers and auditors can see who has looked at a record.")


# --- Chronology (people's own events) ---

from kith.people import chronology  # noqa: E402 -- kept with the section that uses it


def _by(user: User | None) -> str:
    return user.display_name if user is not None else ""


def _event(
    day: dt.date | dt.datetime,
    event_type: chronology.EventType,
    title: str,
    detail: str = "",
    by: User | None = None,
    names_people: tuple[uuid.UUID, ...] = (),
) -> chronology.ChronologyEvent:
    return chronology.ChronologyEvent(
        date=timezone.localdate(day) if isinstance(day, dt.datetime) else day,
        type_code=event_type.code,
        title=title,
        detail=detail,
        recorded_by=_by(by),
        module=event_type.module,
        names_people=names_people,
    )


def person_own_events(*, person_id: uuid.UUID) -> list[chronology.ChronologyEvent]:
    """The events in the person's own rows: birth, death, first recorded, addresses, alerts,
    relationships, households and merges. No policy here: ``person_chronology`` applies it."""
    c = chronology
    person = Person.objects.select_related("created_by").filter(pk=person_id).first()
    if person is None:
        return []
    events: list[chronology.ChronologyEvent] = []
    if person.date_of_birth:
        events.append(_event(person.date_of_birth, c.BIRTH, "Born"))
    elif person.expected_date_of_birth:
        events.append(_event(person.expected_date_of_birth, c.BIRTH, "Expected to be born"))
    if person.date_of_death:
        events.append(_event(person.date_of_death, c.DEATH, "Died"))
    events.append(
        _event(
            person.created_at,
            c.FIRST_RECORDED,
            "First recorded in Kith",
            f"LA number {person.la_number}",
            person.created_by,
        )
    )
    addresses = Address.objects.filter(person=person).select_related("created_by")
    for index, address in enumerate(addresses.order_by("start_date", "created_at")):
        title = "Moved address" if index else "Address recorded"
        events.append(
            _event(address.start_date, c.ADDRESS, title, address.display, address.created_by)
        )
    for alert in Alert.objects.filter(person=person).select_related("created_by", "updated_by"):
        kind = alert.get_kind_display()
        events.append(
            _event(alert.created_at, c.ALERT, f"Alert added: {kind}", alert.text, alert.created_by)
        )
        if alert.ended_at is not None:
            events.append(
                _event(
                    alert.ended_at,
                    c.ALERT,
                    f"Alert ended: {kind}",
                    alert.end_reason,
                    alert.updated_by,
                )
            )
    relationships = Relationship.objects.filter(person=person).select_related(
        "other", "inverse", "created_by", "updated_by"
    )
    for row in relationships:
        # What the other person is to this one (their row's kind, in everyday words).
        label = relationship_label((row.inverse or row).kind, row.other.sex)
        who = f"{label}: {row.other.full_name} (LA number {row.other.la_number})"
        named = (row.other_id,)
        if row.start_date:
            events.append(
                _event(
                    row.start_date,
                    c.RELATIONSHIP,
                    "Relationship started",
                    who,
                    row.created_by,
                    named,
                )
            )
        if row.end_date:
            events.append(
                _event(
                    row.end_date, c.RELATIONSHIP, "Relationship ended", who, row.updated_by, named
                )
            )
    members = HouseholdMember.objects.filter(person=person).select_related(
        "household", "created_by", "updated_by"
    )
    for member in members:
        name = member.household.name
        events.append(
            _event(member.start_date, c.HOUSEHOLD, "Joined a household", name, member.created_by)
        )
        if member.end_date:
            events.append(
                _event(member.end_date, c.HOUSEHOLD, "Left a household", name, member.updated_by)
            )
    merges = MergeRecord.objects.filter(survivor=person).select_related(
        "merged", "created_by", "unmerged_by"
    )
    for record in merges:
        merged = f"LA number {record.merged.la_number}"
        events.append(
            _event(
                record.created_at,
                c.MERGE,
                "Duplicate record merged into this one",
                f"{merged}. Reason: {record.reason}",
                record.created_by,
            )
        )
        if record.unmerged_at is not None:
            events.append(
                _event(
                    record.unmerged_at,
                    c.MERGE,
                    "Merge undone",
                    f"{merged}. Reason: {record.unmerge_reason}",
                    record.unmerged_by,
                )
            )
    return events


def person_chronology(
    *,
    user: User | AnonymousUser,
    person_id: object,
    types: set[str] | frozenset[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[Person, Decision, list[chronology.ChronologyEvent]]:
    """The person's chronology from every module, newest first, filtered by type and date.
    Opening it is the audited read of ``person_get`` (PersonNotFound, PersonMerged and
    RecordAccessDenied as there). Events naming someone hidden from the user are left out."""
    person, decision = person_get(user=user, person_id=person_id)
    events = chronology.gather(
        person_id=person.pk, types=types, date_from=date_from, date_to=date_to
    )
    return person, decision, _without_hidden_people(user, events)


def _without_hidden_people(
    user: User | AnonymousUser, events: list[chronology.ChronologyEvent]
) -> list[chronology.ChronologyEvent]:
    named = {pk for event in events for pk in event.names_people}
    if named:
        hidden = set(
            Person.objects.filter(hidden_q(user), pk__in=named).values_list("pk", flat=True)
        )
        events = [e for e in events if not hidden.intersection(e.names_people)]
    return events


def person_recent_events(
    *, user: User | AnonymousUser, person: Person, limit: int = 8
) -> list[chronology.ChronologyEvent]:
    """The newest significant events, for the summary. Call only with a person from
    ``person_get`` (that read is the page's audit entry)."""
    return _without_hidden_people(user, chronology.gather(person_id=person.pk))[:limit]


@dataclass(frozen=True)
class KeyDate:
    date: dt.date
    what: str
    overdue: bool


# A child becomes an adult at 18: the date transitions planning works towards.
ADULTHOOD_AGE = 18


def person_key_dates(*, person: Person, on: dt.date | None = None) -> list[KeyDate]:
    """Dates due for the person that the client index knows: alert reviews, an unborn
    child's expected birth, a child's 18th birthday. Later modules add theirs as panels.
    Call only with a person from ``person_get``."""
    today = on or timezone.localdate()
    dates = [
        KeyDate(a.review_date, f"Review the alert: {a.get_kind_display()}", a.review_date < today)
        for a in Alert.objects.filter(person=person, ended_at__isnull=True)
    ]
    if person.is_unborn and person.expected_date_of_birth:
        dates.append(KeyDate(person.expected_date_of_birth, "Expected date of birth", False))
    born = person.date_of_birth
    if born and not person.date_of_death:
        try:
            adult = born.replace(year=born.year + ADULTHOOD_AGE)
        except ValueError:  # 29 February
            adult = dt.date(born.year + ADULTHOOD_AGE, 3, 1)
        if today <= adult <= today + dt.timedelta(days=366 * 2):
            dates.append(KeyDate(adult, "18th birthday", False))
    return sorted(dates, key=lambda d: d.date)


def person_chronology_download(
    *,
    user: User | AnonymousUser,
    person_id: object,
    types: set[str] | frozenset[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[Person, Decision, list[chronology.ChronologyEvent]]:
    """``person_chronology``, for a copy that leaves Kith (a PDF): the read is audited by
    ``person_get`` and the download by its own entry, in the same (the request's) transaction,
    so a download that fails leaves neither."""
    person, decision, events = person_chronology(
        user=user, person_id=person_id, types=types, date_from=date_from, date_to=date_to
    )
    filters = []
    if types is not None:
        filters.append("types " + ", ".join(sorted(types)))
    if date_from:
        filters.append(f"from {date_from.isoformat()}")
    if date_to:
        filters.append(f"to {date_to.isoformat()}")
    audit_record(
        actor=user,
        action=Action.DOWNLOAD,
        person_id=person.pk,
        object_type="people.chronology",
        object_id=person.pk,
        rule=decision.rule,
        reason=decision.break_glass_reason,
        search_terms="; ".join(filters),
    )
    return person, decision, events
