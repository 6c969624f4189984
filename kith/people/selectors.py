"""Reads of the client index, always through the access policy, always audited.

A person the policy hides does not exist here: the caller gets ``PersonNotFound`` exactly as
for an id that was never issued.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
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
from kith.accounts.selectors import team_managers, user_is_manager
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.people.models import Person

SEARCH_PAGE_SIZE = 25


class PersonNotFound(Exception):
    """No such person for this user (never issued, or hidden from them)."""


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
    """Which teams are working with each person, and their managers: who to contact."""
    day = on or timezone.localdate()
    contacts: dict[uuid.UUID, list[Contact]] = {}
    for person_id in person_ids:
        team_ids: set[uuid.UUID] = set()
        for provider in relationships.providers():
            team_ids |= provider.responsible_team_ids(person_id=person_id, on=day)
        teams = Team.objects.filter(pk__in=team_ids).order_by("name")
        contacts[person_id] = [
            Contact(
                team=team.name,
                managers=sorted(m.display_name for m in team_managers(team_ids={team.pk})),
            )
            for team in teams
        ]
    return contacts


def person_search(*, user: User | AnonymousUser, terms: str, page: int = 1) -> SearchResults:
    """People whose name or LA number matches. Hidden records never appear; people outside
    the user's relationships appear with only enough to avoid a duplicate."""
    if not user_modules(user) & RECORD_MODULES:
        raise PermissionDenied("Your role does not give access to people's records.")
    terms = " ".join(terms.split())[:200]
    matches = Person.objects.exclude(hidden_q(user))
    for word in terms.split():
        if word.isdigit():
            matches = matches.filter(la_number=int(word))
        else:
            matches = matches.filter(
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(known_as__icontains=word)
            )
    if not terms:
        matches = matches.none()
    total = matches.count()
    pages = max(1, -(-total // SEARCH_PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * SEARCH_PAGE_SIZE
    people = list(
        matches.order_by("family_name", "given_name", "la_number")[start : start + SEARCH_PAGE_SIZE]
    )
    ids = [p.pk for p in people]
    full = set(Person.objects.filter(accessible_q(user), pk__in=ids).values_list("pk", flat=True))
    contacts = person_contacts(person_ids=[pk for pk in ids if pk not in full])
    hits = [SearchHit(p, p.pk in full, contacts.get(p.pk, [])) for p in people]
    audit_record(
        actor=user,
        action=Action.SEARCH,
        object_type="people.person",
        search_terms=terms,
        result_ids=ids,
    )
    return SearchResults(terms=terms, hits=hits, total=total, page=page, pages=pages)


def person_list_accessible(*, user: User | AnonymousUser, limit: int = 50) -> list[Person]:
    """The people whose records the user may open (their caseload and their teams')."""
    people = list(
        Person.objects.filter(accessible_q(user)).order_by("family_name", "given_name")[:limit]
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
