"""Synthetic families written to the client index, through the services or in bulk.

`ServicesWriter` writes each family through `kith.people.services` (every write checked and
audited, as a person would make it on the pages). `BulkWriter` makes the same rows with
`bulk_create`, many families at a time, for the county-sized seed: the people not on open
caseloads (relatives, closed cases and their families), and the records of those on open
caseloads once `person_create` has made them. The rows are those the services would have
made (inverse relationships, address history ended the day before the next, search keys
computed by the same `matching.person_search_keys` from the same `Candidate`); LA numbers are
taken from `LaNumberSequence` in one locked update a batch; each batch has one audit entry
naming the people it made (and one naming the people it completed).

It writes personal-data rows directly, as a data load does: only ever for the synthetic
council (actor None), never from a request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.demo.synthetic.families import FamilySpec, Member, Residence
from kith.demo.synthetic.local_services import OrganisationSpec
from kith.demo.synthetic.numbers import LEGACY_SYSTEM
from kith.demo.synthetic.places import AddressSpec
from kith.people import matching
from kith.people import services as people
from kith.people.models import (
    Address,
    Alert,
    ContactDetail,
    Household,
    HouseholdMember,
    LaNumberSequence,
    Organisation,
    Person,
    PersonIdentifier,
    PersonName,
    PersonSearchKey,
    ProfessionalInvolvement,
    Relationship,
)

BATCH_PEOPLE = 2_000
LOAD_REASON = "synthetic council load"
_PERSON_ID = PersonSearchKey._meta.get_field("person")


def _insert_key_sql() -> str:
    """INSERT for search keys: the table and column names are the model's, quoted."""
    table, person, key = (
        connection.ops.quote_name(name)
        for name in (
            PersonSearchKey._meta.db_table,
            _PERSON_ID.column,
            PersonSearchKey._meta.get_field("key").column,
        )
    )
    return f"INSERT INTO {table} ({person}, {key}) VALUES (%s, %s)"  # noqa: S608


# --- What a member's rows hold (shared by both writers) ---


def person_fields(member: Member) -> dict[str, Any]:
    """The arguments of `person_create` for the member."""
    spec = member.spec
    return {
        "given_name": spec.given_name,
        "middle_names": spec.middle_names,
        "family_name": spec.family_name,
        "known_as": spec.known_as,
        "date_of_birth": spec.date_of_birth,
        "expected_date_of_birth": spec.expected_date_of_birth,
        "sex": spec.sex,
        "gender_identity": spec.gender_identity,
        "ethnicity": spec.ethnicity,
        "first_language": spec.first_language,
        "interpreter_required": spec.interpreter_required,
        "religion": spec.religion,
        "disabilities": list(member.disabilities),
        "communication_needs": member.communication_needs,
        "postcode": member.address.postcode,
    }


def address_fields(address: AddressSpec) -> dict[str, str]:
    """An address as the Address model's lines: the flat or building, then the street (and
    village) as the second line, the post town and postcode."""
    first = ", ".join(part for part in (address.flat, address.building) if part)
    street = f"{address.house_number} {address.street}".strip()
    if first:
        line_1, line_2 = first, ", ".join(p for p in (street, address.locality) if p)
    else:
        line_1, line_2 = street, address.locality
    return {
        "line_1": line_1,
        "line_2": line_2,
        "town": address.town,
        "postcode": address.postcode,
        "uprn": address.uprn,
    }


def household_address(address: AddressSpec) -> str:
    return ", ".join(address.lines)


def review_date(when: dt.date) -> dt.date:
    """An alert's review date, in the future even when the council is made as at a past day."""
    return max(when, timezone.localdate() + dt.timedelta(days=30))


def _identifiers(member: Member) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    if member.nhs_number:
        found.append((PersonIdentifier.Kind.NHS_NUMBER, member.nhs_number, ""))
    if member.upn:
        found.append((PersonIdentifier.Kind.UPN, member.upn, ""))
    if member.legacy_id:
        found.append((PersonIdentifier.Kind.LEGACY, member.legacy_id, LEGACY_SYSTEM))
    return found


def organisations_create(specs: tuple[OrganisationSpec, ...]) -> dict[str, Organisation]:
    """The GP practices, schools and health providers, by code."""
    return {
        spec.code: people.organisation_create(
            actor=None,
            kind=spec.kind,
            name=spec.name,
            code=spec.code,
            address=spec.address,
            phone=spec.phone,
            email=spec.email,
        )
        for spec in specs
    }


# --- Through the services ---


class ServicesWriter:
    """Writes each family through the services, one transaction a family."""

    def __init__(self, organisations: dict[str, Organisation]) -> None:
        self.organisations = organisations
        self.relationships = 0
        self.households = 0

    def write(self, family: FamilySpec) -> list[Person]:
        with transaction.atomic():
            persons = [self._person(member) for member in family.members]
            for tie in family.ties:
                people.relationship_add(
                    actor=None,
                    person=persons[tie.person],
                    other=persons[tie.other],
                    kind=tie.kind,
                    start_date=tie.start_date,
                    parental_responsibility=tie.parental_responsibility,
                    main_carer=tie.main_carer,
                )
            self.relationships += 2 * len(family.ties)
            for home in family.homes:
                household = people.household_create(
                    actor=None, name=home.name, address=household_address(home.address)
                )
                for stay in home.stays:
                    member = people.household_member_add(
                        actor=None,
                        household=household,
                        person=persons[stay.person],
                        start_date=stay.start_date,
                    )
                    if stay.end_date:
                        people.household_member_end(
                            actor=None, member=member, end_date=stay.end_date
                        )
                self.households += 1
        return persons

    def _person(self, member: Member) -> Person:
        person = people.person_create(actor=None, **person_fields(member))
        for previous in member.previous_family_names:
            people.name_add(
                actor=None, person=person, kind=PersonName.Kind.PREVIOUS, family_name=previous
            )
        for residence in member.addresses:
            people.address_add(
                actor=None,
                person=person,
                start_date=residence.start_date,
                **address_fields(residence.address),
            )
        for kind, value, system in _identifiers(member):
            people.identifier_add(actor=None, person=person, kind=kind, value=value, system=system)
        for kind, value in member.contacts:
            people.contact_add(actor=None, person=person, kind=kind, value=value)
        if member.alert:
            kind, text, when = member.alert
            people.alert_add(
                actor=None, person=person, kind=kind, text=text, review_date=review_date(when)
            )
        for professional in member.professionals:
            people.professional_add(
                actor=None,
                person=person,
                role=professional.role,
                organisation=self.organisations[professional.organisation],
                contact_name=professional.contact_name,
                phone=professional.phone,
                start_date=professional.start_date,
            )
        return person


# --- In bulk ---


def search_keys(
    person: Person, other_names: list[PersonName], addresses: list[Address]
) -> set[str]:
    """The person's search keys, as `kith.people.services.search_keys_rebuild` computes them
    (the same Candidate: current names, then other names; the current postcode, then every
    address's, newest first)."""
    # With no other names or addresses: the keys `person_create` makes.
    newest_first = sorted(addresses, key=lambda a: a.start_date, reverse=True)
    postcodes = [a.postcode for a in newest_first if a.postcode]
    candidate = matching.Candidate(
        given_names=tuple(
            n
            for n in (
                person.given_name,
                person.middle_names,
                person.known_as,
                *(o.given_name for o in other_names),
            )
            if n
        ),
        family_names=tuple(
            n for n in (person.family_name, *(o.family_name for o in other_names)) if n
        ),
        date_of_birth=person.date_of_birth or person.expected_date_of_birth,
        postcodes=tuple(
            dict.fromkeys([*([person.postcode] if person.postcode else []), *postcodes])
        ),
    )
    return matching.person_search_keys(candidate)


class BulkWriter:
    """Collects families and writes them `batch_people` people at a time with bulk_create.

    `add` returns the family's Person objects at once; they are saved (and their LA numbers
    set) when the batch is written: by `flush`, or when an `add` fills the batch.
    """

    def __init__(
        self,
        organisations: dict[str, Organisation],
        *,
        batch_people: int = BATCH_PEOPLE,
        written: Callable[[int], None] | None = None,
    ) -> None:
        self.organisations = organisations
        self.batch_people = batch_people
        self.written = written or (lambda count: None)
        self.relationships = 0
        self.households = 0
        self.people = 0  # made by the bulk path (not those only completed by it)
        self._families: list[tuple[FamilySpec, list[Person], frozenset[int]]] = []
        self._pending = 0

    def add(self, family: FamilySpec, created: Mapping[int, Person] | None = None) -> list[Person]:
        """Add the family to the batch. `created` are members already made by `person_create`
        (by their place in the family): the batch writes everything else about them (their
        addresses, identifiers, relationships...) and replaces their search keys."""
        created = created or {}
        persons = [
            created.get(i) or Person(id=uuid.uuid4(), **person_fields(m))
            for i, m in enumerate(family.members)
        ]
        self._families.append((family, persons, frozenset(created)))
        self._pending += len(persons)
        if self._pending >= self.batch_people:
            self.flush()
        return persons

    def flush(self) -> None:
        if not self._families:
            return
        families, self._families, self._pending = self._families, [], 0
        with transaction.atomic():
            made = self._write(families)
        self.people += made
        self.written(made)

    def _write(self, families: list[tuple[FamilySpec, list[Person], frozenset[int]]]) -> int:
        new = [
            p for _, persons, created in families for i, p in enumerate(persons) if i not in created
        ]
        completed = [
            p for _, persons, created in families for i, p in enumerate(persons) if i in created
        ]
        sequence = LaNumberSequence.objects.select_for_update().get(pk=1)
        for number, person in enumerate(new, start=sequence.last_issued + 1):
            person.la_number = number
        sequence.last_issued += len(new)
        sequence.save(update_fields=["last_issued"])

        rows: dict[type[models.Model], list[Any]] = {
            model: []
            for model in (
                Person,
                PersonName,
                Address,
                PersonIdentifier,
                ContactDetail,
                Alert,
                ProfessionalInvolvement,
                Relationship,
                Household,
                HouseholdMember,
                PersonSearchKey,
            )
        }
        for family, persons, created in families:
            for index, (member, person) in enumerate(zip(family.members, persons, strict=True)):
                self._member_rows(member, person, rows, created=index in created)
            for tie in family.ties:
                forward = Relationship(
                    id=uuid.uuid4(),
                    person=persons[tie.person],
                    other=persons[tie.other],
                    kind=tie.kind,
                    start_date=tie.start_date,
                    parental_responsibility=tie.parental_responsibility,
                    main_carer=tie.main_carer,
                )
                backward = Relationship(
                    id=uuid.uuid4(),
                    person=persons[tie.other],
                    other=persons[tie.person],
                    kind=people.INVERSE[tie.kind],
                    start_date=tie.start_date,
                )
                forward.inverse, backward.inverse = backward, forward
                rows[Relationship] += [forward, backward]
            for home in family.homes:
                household = Household(
                    id=uuid.uuid4(), name=home.name, address=household_address(home.address)
                )
                rows[Household].append(household)
                rows[HouseholdMember] += [
                    HouseholdMember(
                        household=household,
                        person=persons[stay.person],
                        start_date=stay.start_date,
                        end_date=stay.end_date,
                    )
                    for stay in home.stays
                ]
        # People first, households before their members, each relationship row with its
        # inverse (the foreign keys are checked when the transaction commits).
        keys = rows.pop(PersonSearchKey)
        rows[Person] = new
        for model, objects in rows.items():
            model._default_manager.bulk_create(objects, batch_size=500)
        # Search keys are most of the rows: inserted as plain values, without model objects.
        with connection.cursor() as cursor:
            cursor.executemany(_insert_key_sql(), keys)
        self.relationships += len(rows[Relationship])
        self.households += len(rows[Household])
        audit_record(
            actor=None,
            action=Action.CREATE,
            object_type="people.person",
            result_ids=[person.pk for person in new],
            reason=LOAD_REASON,
        )
        if completed:
            audit_record(
                actor=None,
                action=Action.UPDATE,
                object_type="people.person",
                result_ids=[person.pk for person in completed],
                reason=LOAD_REASON,
            )
        return len(new)

    def _member_rows(
        self,
        member: Member,
        person: Person,
        rows: dict[type[models.Model], list[Any]],
        *,
        created: bool,
    ) -> None:
        """The member's rows. For a person `person_create` made (`created`), their search keys
        from then are kept, and only those their other names and addresses add are new."""
        names = [
            PersonName(person=person, kind=PersonName.Kind.PREVIOUS, family_name=previous)
            for previous in member.previous_family_names
        ]
        rows[PersonName] += names
        addresses = _address_rows(person, member.addresses)
        rows[Address] += addresses
        rows[PersonIdentifier] += [
            PersonIdentifier(person=person, kind=kind, value=value, system=system)
            for kind, value, system in _identifiers(member)
        ]
        rows[ContactDetail] += [
            ContactDetail(person=person, kind=kind, value=value) for kind, value in member.contacts
        ]
        if member.alert:
            kind, text, when = member.alert
            rows[Alert].append(
                Alert(person=person, kind=kind, text=text, review_date=review_date(when))
            )
        rows[ProfessionalInvolvement] += [
            ProfessionalInvolvement(
                person=person,
                role=p.role,
                organisation=self.organisations[p.organisation],
                contact_name=p.contact_name,
                phone=p.phone,
                start_date=p.start_date,
            )
            for p in member.professionals
        ]
        person_id = _PERSON_ID.get_db_prep_save(person.pk, connection)
        keys = search_keys(person, names, addresses)
        if created:
            keys -= search_keys(person, [], [])
        rows[PersonSearchKey] += [(person_id, key) for key in sorted(keys)]


def _address_rows(person: Person, residences: tuple[Residence, ...]) -> list[Address]:
    """Each address ends the day before the next one starts, as `address_add` ends it."""
    found = []
    for index, residence in enumerate(residences):
        end = None
        if index + 1 < len(residences):
            end = residences[index + 1].start_date - dt.timedelta(days=1)
        found.append(
            Address(
                person=person,
                start_date=residence.start_date,
                end_date=end,
                **address_fields(residence.address),
            )
        )
    return found
