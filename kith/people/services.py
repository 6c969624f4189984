"""Writes to the client index. Each runs in one transaction with its audit entry.

Every write checks the access policy for the actor (``actor`` None is the synthetic council and
data loads) and keeps the search keys in step with names, dates of birth and addresses.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from kith.access.policy import RECORD_MODULES, Do, decide, user_modules
from kith.accounts.models import User
from kith.accounts.selectors import user_is_administrator
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.core import codelists
from kith.people import identifiers, matching
from kith.people.models import (
    Address,
    Alert,
    AlertReview,
    ContactDetail,
    DuplicateDismissal,
    Household,
    HouseholdMember,
    LaNumberSequence,
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

# The fields of Person a user may change (identity, demographics, needs).
EDITABLE_FIELDS = (
    "given_name",
    "middle_names",
    "family_name",
    "known_as",
    "date_of_birth",
    "expected_date_of_birth",
    "date_of_death",
    "sex",
    "gender_identity",
    "ethnicity",
    "first_language",
    "interpreter_required",
    "religion",
    "disabilities",
    "communication_needs",
    "immigration_status",
)

INVERSE: dict[str, str] = {
    RelationshipType.PARENT: RelationshipType.CHILD,
    RelationshipType.CHILD: RelationshipType.PARENT,
    RelationshipType.STEP_PARENT: RelationshipType.STEP_CHILD,
    RelationshipType.STEP_CHILD: RelationshipType.STEP_PARENT,
    RelationshipType.FOSTER_CARER: RelationshipType.FOSTER_CHILD,
    RelationshipType.FOSTER_CHILD: RelationshipType.FOSTER_CARER,
    RelationshipType.GRANDPARENT: RelationshipType.GRANDCHILD,
    RelationshipType.GRANDCHILD: RelationshipType.GRANDPARENT,
    RelationshipType.SIBLING: RelationshipType.SIBLING,
    RelationshipType.HALF_SIBLING: RelationshipType.HALF_SIBLING,
    RelationshipType.STEP_SIBLING: RelationshipType.STEP_SIBLING,
    RelationshipType.AUNT_UNCLE: RelationshipType.NIECE_NEPHEW,
    RelationshipType.NIECE_NEPHEW: RelationshipType.AUNT_UNCLE,
    RelationshipType.PARTNER: RelationshipType.PARTNER,
    RelationshipType.FORMER_PARTNER: RelationshipType.FORMER_PARTNER,
    RelationshipType.SPECIAL_GUARDIAN: RelationshipType.WARD,
    RelationshipType.WARD: RelationshipType.SPECIAL_GUARDIAN,
    RelationshipType.CARER: RelationshipType.CARED_FOR,
    RelationshipType.CARED_FOR: RelationshipType.CARER,
    RelationshipType.FRIEND: RelationshipType.FRIEND,
    RelationshipType.OTHER: RelationshipType.OTHER,
}
# Who can hold parental responsibility for the other person in the relationship.
PARENTAL_RESPONSIBILITY_KINDS = frozenset(
    {
        RelationshipType.PARENT,
        RelationshipType.STEP_PARENT,
        RelationshipType.SPECIAL_GUARDIAN,
        RelationshipType.GRANDPARENT,
        RelationshipType.AUNT_UNCLE,
        RelationshipType.OTHER,
    }
)


# --- Checks shared by every write ---


def _require_edit(actor: User | None, person: Person) -> None:
    if actor is None:
        return
    if person.merged_into_id is not None:
        raise ValidationError("This record has been merged into another; change that one instead.")
    decision = decide(actor, person.pk, Do.EDIT)
    if not decision.allowed:
        raise PermissionDenied("You cannot change this person's record.")


def _may_edit(actor: User | None, person: Person) -> bool:
    try:
        _require_edit(actor, person)
    except (PermissionDenied, ValidationError):
        return False
    return True


def _audit_write(
    actor: User | None,
    action: Action,
    person: Person | uuid.UUID,
    obj: models.Model,
    changed: Iterable[str] = (),
    reason: str = "",
) -> None:
    audit_record(
        actor=actor,
        action=action,
        person_id=person.pk if isinstance(person, Person) else person,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        changed_fields=list(changed),
        reason=reason,
    )


def _stamp(obj: Any, actor: User | None) -> None:
    """Set who made (when new) and last changed a row."""
    if obj._state.adding:
        obj.created_by = actor
    obj.updated_by = actor


def _validate_person(person: Person) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not person.given_name or not person.family_name:
        errors["family_name"] = "Enter the person's given name and family name"
    if person.date_of_birth and person.date_of_birth > today:
        errors["date_of_birth"] = "Date of birth must be today or in the past"
    if person.date_of_birth and person.expected_date_of_birth:
        errors["expected_date_of_birth"] = (
            "Enter either a date of birth or an expected date of birth, not both"
        )
    if person.date_of_death:
        if person.date_of_death > today:
            errors["date_of_death"] = "Date of death must be today or in the past"
        elif person.date_of_birth and person.date_of_death < person.date_of_birth:
            errors["date_of_death"] = "Date of death must be on or after the date of birth"
    if person.ethnicity and not codelists.is_valid("ssda903_ethnic", person.ethnicity):
        errors["ethnicity"] = f"'{person.ethnicity}' is not a DfE ethnicity code"
    unknown = [d for d in person.disabilities if not codelists.is_valid("cin_disability", d)]
    if unknown:
        errors["disabilities"] = f"Not disability codes: {', '.join(unknown)}"
    if errors:
        raise ValidationError(errors)


def search_keys_rebuild(person: Person) -> None:
    """Recompute the person's blocking keys from their names, date of birth and addresses."""
    PersonSearchKey.objects.filter(person=person).delete()
    if person.merged_into_id is not None:
        return
    candidate = matching.Candidate.of_person(
        person,
        PersonName.objects.filter(person=person, ended_at__isnull=True).values_list(
            "given_name", "family_name"
        ),
        Address.objects.filter(person=person).values_list("postcode", flat=True),
    )
    PersonSearchKey.objects.bulk_create(
        [
            PersonSearchKey(person=person, key=key)
            for key in sorted(matching.person_search_keys(candidate))
        ]
    )


SEARCH_KEYS_BATCH = 2_000
SEARCH_KEY_FIELDS = (
    "id",
    "given_name",
    "middle_names",
    "known_as",
    "family_name",
    "date_of_birth",
    "expected_date_of_birth",
    "postcode",
    "merged_into",
)


def search_keys_rebuild_all(
    *,
    batch: int = SEARCH_KEYS_BATCH,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> tuple[int, int, int]:
    """Bring every person's blocking keys up to the current key scheme (after an upgrade
    that changes it): adds the keys missing, removes those no longer made, leaves the rest.
    A batch of people at a time, each batch one transaction with one audit entry naming
    the people whose keys changed. Returns (people, keys added, keys removed)."""
    total = Person.objects.count()
    done = added = removed = 0
    after: uuid.UUID | None = None
    while True:
        page = Person.objects.order_by("pk").only(*SEARCH_KEY_FIELDS)
        if after is not None:
            page = page.filter(pk__gt=after)
        people = list(page[:batch])
        if not people:
            break
        after = people[-1].pk
        ids = [person.pk for person in people]
        with transaction.atomic():
            other_names: dict[uuid.UUID, list[tuple[str, str]]] = {}
            for person_id, given, family in PersonName.objects.filter(
                person_id__in=ids, ended_at__isnull=True
            ).values_list("person_id", "given_name", "family_name"):
                other_names.setdefault(person_id, []).append((given, family))
            postcodes: dict[uuid.UUID, list[str]] = {}
            for person_id, postcode in Address.objects.filter(person_id__in=ids).values_list(
                "person_id", "postcode"
            ):
                postcodes.setdefault(person_id, []).append(postcode)
            existing: dict[uuid.UUID, dict[str, int]] = {}
            for pk, person_id, key in PersonSearchKey.objects.filter(person_id__in=ids).values_list(
                "pk", "person_id", "key"
            ):
                existing.setdefault(person_id, {})[key] = pk
            new_rows: list[PersonSearchKey] = []
            stale: list[int] = []
            changed: list[uuid.UUID] = []
            for person in people:
                wanted: set[str] = set()
                if person.merged_into_id is None:
                    candidate = matching.Candidate.of_person(
                        person, other_names.get(person.pk, []), postcodes.get(person.pk, [])
                    )
                    wanted = matching.person_search_keys(candidate)
                have = existing.get(person.pk, {})
                missing = sorted(wanted - have.keys())
                gone = [pk for key, pk in have.items() if key not in wanted]
                if missing or gone:
                    changed.append(person.pk)
                new_rows += [PersonSearchKey(person_id=person.pk, key=key) for key in missing]
                stale += gone
            if stale:
                PersonSearchKey.objects.filter(pk__in=stale).delete()
            PersonSearchKey.objects.bulk_create(new_rows, batch_size=5_000)
            if changed:
                audit_record(
                    actor=None,
                    action=Action.UPDATE,
                    object_type="people.personsearchkey",
                    result_ids=changed,
                    reason="search keys rebuilt for the current key scheme",
                )
        added += len(new_rows)
        removed += len(stale)
        done += len(people)
        progress(done, total)
    return done, added, removed


def _next_la_number() -> int:
    sequence = LaNumberSequence.objects.select_for_update().get(pk=1)
    sequence.last_issued += 1
    sequence.save(update_fields=["last_issued"])
    return sequence.last_issued


# --- The person ---


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None = None,
    sex: str = Person.Sex.UNKNOWN,
    known_as: str = "",
    postcode: str = "",
    **details: Any,
) -> Person:
    """Record a new person. ``details`` are any other EDITABLE_FIELDS."""
    if actor is not None and not (user_modules(actor, editing=True) & RECORD_MODULES):
        raise PermissionDenied("Your role cannot add people to the client index.")
    unknown = set(details) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not person fields: {sorted(unknown)}")
    person = Person(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        known_as=known_as.strip(),
        date_of_birth=date_of_birth,
        sex=sex,
        postcode=identifiers.validate_postcode(postcode) if postcode.strip() else "",
        created_by=actor,
        updated_by=actor,
        **details,
    )
    _validate_person(person)
    person.la_number = _next_la_number()
    person.full_clean()
    person.save()
    search_keys_rebuild(person)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        person_id=person.pk,
        object_type="people.person",
        object_id=person.pk,
        changed_fields=[f for f in (*EDITABLE_FIELDS, "postcode") if getattr(person, f)],
    )
    return person


@transaction.atomic
def person_update(*, actor: User | None, person: Person, **changes: Any) -> list[str]:
    """Change the person's details. A changed name keeps the old one as a previous name.
    Returns the fields that changed."""
    _require_edit(actor, person)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not person fields: {sorted(unknown)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    old_given, old_family = person.given_name, person.family_name
    changed = []
    for field, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field)
    if not changed:
        return []
    _validate_person(person)
    person.updated_by = actor
    person.full_clean()
    person.save()
    if {"given_name", "family_name"} & set(changed):
        PersonName.objects.create(
            person=person,
            kind=PersonName.Kind.PREVIOUS,
            given_name=old_given,
            family_name=old_family,
            created_by=actor,
            updated_by=actor,
        )
    search_keys_rebuild(person)
    _audit_write(actor, Action.UPDATE, person, person, changed)
    return changed


# --- Identifiers ---

_VALIDATORS: dict[str, Callable[[str], str]] = {
    PersonIdentifier.Kind.NHS_NUMBER: identifiers.validate_nhs_number,
    PersonIdentifier.Kind.UPN: identifiers.validate_upn,
    PersonIdentifier.Kind.FORMER_UPN: identifiers.validate_upn,
}


@transaction.atomic
def identifier_add(
    *, actor: User | None, person: Person, kind: str, value: str, system: str = ""
) -> PersonIdentifier:
    """Add an NHS number, UPN, former UPN or legacy id. A new UPN makes the current one a
    former UPN. An NHS number or UPN already on another record is refused, naming it."""
    _require_edit(actor, person)
    if kind not in PersonIdentifier.Kind.values:
        raise ValidationError({"kind": "Choose which kind of identifier this is"})
    validator = _VALIDATORS.get(kind)
    value = validator(value) if validator else " ".join(value.split())
    if not value:
        raise ValidationError({"value": "Enter the identifier"})
    if kind == PersonIdentifier.Kind.LEGACY and not system.strip():
        raise ValidationError({"system": "Enter which system the legacy id comes from"})
    current = PersonIdentifier.objects.filter(kind=kind, value=value, ended_at__isnull=True)
    if kind == PersonIdentifier.Kind.LEGACY:
        current = current.filter(system=system.strip())
    clash = current.select_related("person").first()
    if clash is not None:
        where = (
            "this record"
            if clash.person_id == person.pk
            else f"another record (LA number {clash.person.la_number})"
        )
        raise ValidationError({"value": f"This {clash.get_kind_display()} is already on {where}"})
    if kind == PersonIdentifier.Kind.UPN:
        for old in PersonIdentifier.objects.filter(
            person=person, kind=PersonIdentifier.Kind.UPN, ended_at__isnull=True
        ):
            identifier_end(actor=actor, identifier=old)
            identifier_add(
                actor=actor, person=person, kind=PersonIdentifier.Kind.FORMER_UPN, value=old.value
            )
    if (
        kind == PersonIdentifier.Kind.NHS_NUMBER
        and PersonIdentifier.objects.filter(
            person=person, kind=kind, ended_at__isnull=True
        ).exists()
    ):
        raise ValidationError({"value": "This person already has an NHS number; end it first"})
    identifier = PersonIdentifier(person=person, kind=kind, value=value, system=system.strip())
    _stamp(identifier, actor)
    identifier.save()
    _audit_write(actor, Action.CREATE, person, identifier, ["kind", "value"])
    return identifier


@transaction.atomic
def identifier_end(*, actor: User | None, identifier: PersonIdentifier) -> None:
    """Stop using an identifier (recorded in error, or replaced). It stays searchable."""
    person = identifier.person
    _require_edit(actor, person)
    identifier.ended_at = timezone.now()
    _stamp(identifier, actor)
    identifier.save(update_fields=["ended_at", "updated_by", "updated_at"])
    _audit_write(actor, Action.UPDATE, person, identifier, ["ended_at"])


# --- Names, addresses, contact details ---


@transaction.atomic
def name_add(
    *, actor: User | None, person: Person, kind: str, given_name: str = "", family_name: str = ""
) -> PersonName:
    _require_edit(actor, person)
    if kind not in PersonName.Kind.values:
        raise ValidationError({"kind": "Choose what kind of name this is"})
    if not given_name.strip() and not family_name.strip():
        raise ValidationError({"family_name": "Enter a given name or a family name"})
    name = PersonName(
        person=person, kind=kind, given_name=given_name.strip(), family_name=family_name.strip()
    )
    _stamp(name, actor)
    name.save()
    search_keys_rebuild(person)
    _audit_write(actor, Action.CREATE, person, name, ["kind", "given_name", "family_name"])
    return name


@transaction.atomic
def address_add(
    *,
    actor: User | None,
    person: Person,
    line_1: str,
    start_date: dt.date,
    line_2: str = "",
    town: str = "",
    postcode: str = "",
    uprn: str = "",
) -> Address:
    """A new current address. The one before ends the day before this one starts."""
    _require_edit(actor, person)
    errors: dict[str, str] = {}
    if not line_1.strip():
        errors["line_1"] = "Enter the first line of the address"
    try:
        postcode = identifiers.validate_postcode(postcode) if postcode.strip() else ""
    except ValidationError as exc:
        errors["postcode"] = exc.messages[0]
    try:
        uprn = identifiers.validate_uprn(uprn) if uprn.strip() else ""
    except ValidationError as exc:
        errors["uprn"] = exc.messages[0]
    if start_date > timezone.localdate() + dt.timedelta(days=366):
        errors["start_date"] = "The move-in date must be within the next year"
    previous = Address.objects.filter(person=person, end_date__isnull=True).first()
    if previous is not None and start_date <= previous.start_date:
        errors["start_date"] = (
            f"The move-in date must be after the current address's, {previous.start_date:%d %B %Y}"
        )
    if errors:
        raise ValidationError(errors)
    if previous is not None:
        previous.end_date = start_date - dt.timedelta(days=1)
        _stamp(previous, actor)
        previous.save(update_fields=["end_date", "updated_by", "updated_at"])
        _audit_write(actor, Action.UPDATE, person, previous, ["end_date"])
    address = Address(
        person=person,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=postcode,
        uprn=uprn,
        start_date=start_date,
    )
    _stamp(address, actor)
    address.save()
    Person.objects.filter(pk=person.pk).update(postcode=postcode)
    person.postcode = postcode
    search_keys_rebuild(person)
    _audit_write(actor, Action.CREATE, person, address, ["line_1", "postcode", "start_date"])
    return address


@transaction.atomic
def address_end(*, actor: User | None, address: Address, end_date: dt.date) -> None:
    """The person has left this address (no new address known)."""
    person = address.person
    _require_edit(actor, person)
    if end_date < address.start_date:
        raise ValidationError({"end_date": "The move-out date must be after the move-in date"})
    address.end_date = end_date
    _stamp(address, actor)
    address.save(update_fields=["end_date", "updated_by", "updated_at"])
    if not Address.objects.filter(person=person, end_date__isnull=True).exists():
        Person.objects.filter(pk=person.pk).update(postcode="")
    _audit_write(actor, Action.UPDATE, person, address, ["end_date"])


@transaction.atomic
def contact_add(
    *, actor: User | None, person: Person, kind: str, value: str, note: str = ""
) -> ContactDetail:
    _require_edit(actor, person)
    value = value.strip()
    if kind not in ContactDetail.Kind.values:
        raise ValidationError({"kind": "Choose phone, mobile or email"})
    if kind == ContactDetail.Kind.EMAIL:
        from django.core.validators import validate_email

        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError(
                {"value": "Enter an email address in the right form, like name@example.com"}
            ) from exc
    else:
        digits = "".join(c for c in value if c.isdigit())
        if not 10 <= len(digits) <= 13 or any(c not in "0123456789 +()-" for c in value):
            raise ValidationError(
                {"value": "Enter a phone number, like 01632 960 001 or +44 7700 900 982"}
            )
    detail = ContactDetail(person=person, kind=kind, value=value, note=note.strip())
    _stamp(detail, actor)
    detail.save()
    _audit_write(actor, Action.CREATE, person, detail, ["kind", "value"])
    return detail


@transaction.atomic
def contact_end(*, actor: User | None, detail: ContactDetail) -> None:
    person = detail.person
    _require_edit(actor, person)
    detail.ended_at = timezone.now()
    _stamp(detail, actor)
    detail.save(update_fields=["ended_at", "updated_by", "updated_at"])
    _audit_write(actor, Action.UPDATE, person, detail, ["ended_at"])


# --- Alerts ---


@transaction.atomic
def alert_add(
    *, actor: User | None, person: Person, kind: str, text: str, review_date: dt.date
) -> Alert:
    _require_edit(actor, person)
    errors = {}
    if kind not in Alert.Kind.values:
        errors["kind"] = "Choose what the alert is about"
    if not text.strip():
        errors["text"] = "Enter what staff need to know"
    if review_date <= timezone.localdate():
        errors["review_date"] = "The review date must be in the future"
    if errors:
        raise ValidationError(errors)
    alert = Alert(person=person, kind=kind, text=text.strip(), review_date=review_date)
    _stamp(alert, actor)
    alert.save()
    _audit_write(actor, Action.CREATE, person, alert, ["kind", "text", "review_date"])
    return alert


@transaction.atomic
def alert_review(
    *,
    actor: User | None,
    alert: Alert,
    outcome: str,
    note: str = "",
    next_review_date: dt.date | None = None,
    text: str = "",
) -> AlertReview:
    """Review an alert: still needed (next review date), changed (new text), or ended."""
    person = alert.person
    _require_edit(actor, person)
    if alert.ended_at is not None:
        raise ValidationError("This alert has already ended")
    errors = {}
    if outcome not in AlertReview.Outcome.values:
        errors["outcome"] = "Choose the outcome of the review"
    if outcome != AlertReview.Outcome.ENDED:
        if next_review_date is None:
            errors["next_review_date"] = "Enter the date of the next review"
        elif next_review_date <= timezone.localdate():
            errors["next_review_date"] = "The next review must be in the future"
    if outcome == AlertReview.Outcome.CHANGED and not text.strip():
        errors["text"] = "Enter the alert's new wording"
    if outcome == AlertReview.Outcome.ENDED and not note.strip():
        errors["note"] = "Say why the alert is no longer needed"
    if errors:
        raise ValidationError(errors)
    review = AlertReview(
        alert=alert,
        outcome=outcome,
        note=note.strip(),
        next_review_date=next_review_date if outcome != AlertReview.Outcome.ENDED else None,
    )
    _stamp(review, actor)
    review.save()
    changed = ["review_date"]
    if outcome == AlertReview.Outcome.ENDED:
        alert.ended_at = timezone.now()
        alert.end_reason = note.strip()[:200]
        changed = ["ended_at", "end_reason"]
    else:
        assert next_review_date is not None
        alert.review_date = next_review_date
        if outcome == AlertReview.Outcome.CHANGED:
            alert.text = text.strip()
            changed.append("text")
    _stamp(alert, actor)
    alert.save()
    _audit_write(actor, Action.UPDATE, person, alert, changed)
    _audit_write(actor, Action.CREATE, person, review, ["outcome"])
    return review


# --- Relationships, households, professionals ---


@transaction.atomic
def relationship_add(
    *,
    actor: User | None,
    person: Person,
    other: Person,
    kind: str,
    start_date: dt.date | None = None,
    parental_responsibility: bool = False,
    main_carer: bool = False,
    note: str = "",
) -> Relationship:
    """``person`` is ``kind`` of ``other``; the inverse row is made with it. The actor must
    be able to change one of the two records and see the other (not hidden from them)."""
    editable = [p for p in (person, other) if _may_edit(actor, p)]
    if not editable:
        raise PermissionDenied("You cannot change either person's record.")
    if actor is not None and not all(decide(actor, p.pk).visible for p in (person, other)):
        raise PermissionDenied("You cannot change this person's record.")
    errors = {}
    if person.pk == other.pk:
        errors["other"] = "A person cannot be related to themselves"
    if kind not in INVERSE:
        errors["kind"] = "Choose how they are related"
    if parental_responsibility and kind not in PARENTAL_RESPONSIBILITY_KINDS:
        errors["parental_responsibility"] = (
            "Parental responsibility can only be held by a parent, step-parent, special "
            "guardian or another relative"
        )
    if start_date and start_date > timezone.localdate():
        errors["start_date"] = "The start date must be today or in the past"
    if (
        not errors
        and Relationship.objects.filter(
            person=person, other=other, kind=kind, end_date__isnull=True
        ).exists()
    ):
        errors["kind"] = "This relationship is already recorded"
    if errors:
        raise ValidationError(errors)
    forward = Relationship(
        person=person,
        other=other,
        kind=kind,
        start_date=start_date,
        parental_responsibility=parental_responsibility,
        main_carer=main_carer,
        note=note.strip(),
    )
    backward = Relationship(
        person=other, other=person, kind=INVERSE[kind], start_date=start_date, note=note.strip()
    )
    for row in (forward, backward):
        _stamp(row, actor)
        row.save()
    forward.inverse = backward
    backward.inverse = forward
    forward.save(update_fields=["inverse"])
    backward.save(update_fields=["inverse"])
    _audit_write(actor, Action.CREATE, person, forward, ["kind", "other"])
    _audit_write(actor, Action.CREATE, other, backward, ["kind", "other"])
    return forward


@transaction.atomic
def relationship_update(
    *,
    actor: User | None,
    relationship: Relationship,
    parental_responsibility: bool,
    main_carer: bool,
    note: str = "",
) -> None:
    _require_edit(actor, relationship.person)
    if parental_responsibility and relationship.kind not in PARENTAL_RESPONSIBILITY_KINDS:
        raise ValidationError(
            {"parental_responsibility": "This relationship cannot hold parental responsibility"}
        )
    relationship.parental_responsibility = parental_responsibility
    relationship.main_carer = main_carer
    relationship.note = note.strip()
    _stamp(relationship, actor)
    relationship.save()
    if relationship.inverse is not None:
        relationship.inverse.note = note.strip()
        relationship.inverse.save(update_fields=["note", "updated_at"])
    _audit_write(
        actor,
        Action.UPDATE,
        relationship.person_id,
        relationship,
        ["parental_responsibility", "main_carer", "note"],
    )


@transaction.atomic
def relationship_end(*, actor: User | None, relationship: Relationship, end_date: dt.date) -> None:
    """End the relationship and its inverse on the same date."""
    _require_edit(actor, relationship.person)
    if relationship.start_date and end_date < relationship.start_date:
        raise ValidationError({"end_date": "The end date must be on or after the start date"})
    if end_date > timezone.localdate():
        raise ValidationError({"end_date": "The end date must be today or in the past"})
    for row in filter(None, (relationship, relationship.inverse)):
        row.end_date = end_date
        _stamp(row, actor)
        row.save()
        _audit_write(actor, Action.UPDATE, row.person_id, row, ["end_date"])


@transaction.atomic
def household_create(
    *,
    actor: User | None,
    name: str,
    address: str = "",
    members: Iterable[Person] = (),
    start_date: dt.date | None = None,
) -> Household:
    if not name.strip():
        raise ValidationError({"name": "Enter a name for the household"})
    household = Household(name=name.strip(), address=address.strip())
    _stamp(household, actor)
    household.save()
    for person in members:
        household_member_add(
            actor=actor,
            household=household,
            person=person,
            start_date=start_date or timezone.localdate(),
        )
    return household


@transaction.atomic
def household_member_add(
    *, actor: User | None, household: Household, person: Person, start_date: dt.date
) -> HouseholdMember:
    _require_edit(actor, person)
    if HouseholdMember.objects.filter(
        household=household, person=person, end_date__isnull=True
    ).exists():
        raise ValidationError({"person": f"{person.full_name} is already in this household"})
    member = HouseholdMember(household=household, person=person, start_date=start_date)
    _stamp(member, actor)
    member.save()
    _audit_write(actor, Action.CREATE, person, member, ["household", "start_date"])
    return member


@transaction.atomic
def household_member_end(*, actor: User | None, member: HouseholdMember, end_date: dt.date) -> None:
    _require_edit(actor, member.person)
    if end_date < member.start_date:
        raise ValidationError({"end_date": "The date they left must be after they joined"})
    member.end_date = end_date
    _stamp(member, actor)
    member.save(update_fields=["end_date", "updated_by", "updated_at"])
    _audit_write(actor, Action.UPDATE, member.person_id, member, ["end_date"])


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    kind: str,
    name: str,
    code: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
) -> Organisation:
    organisation = Organisation(
        kind=kind,
        name=name.strip(),
        code=code.strip().upper(),
        address=address.strip(),
        phone=phone.strip(),
        email=email.strip(),
    )
    _stamp(organisation, actor)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def professional_add(
    *,
    actor: User | None,
    person: Person,
    role: str,
    organisation: Organisation | None = None,
    contact_name: str = "",
    phone: str = "",
    email: str = "",
    start_date: dt.date | None = None,
) -> ProfessionalInvolvement:
    _require_edit(actor, person)
    if organisation is None and not contact_name.strip():
        raise ValidationError({"contact_name": "Enter the professional's name or organisation"})
    involvement = ProfessionalInvolvement(
        person=person,
        role=role,
        organisation=organisation,
        contact_name=contact_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        start_date=start_date,
    )
    _stamp(involvement, actor)
    involvement.full_clean()
    involvement.save()
    _audit_write(actor, Action.CREATE, person, involvement, ["role", "organisation"])
    return involvement


@transaction.atomic
def professional_end(
    *, actor: User | None, involvement: ProfessionalInvolvement, end_date: dt.date
) -> None:
    _require_edit(actor, involvement.person)
    if involvement.start_date and end_date < involvement.start_date:
        raise ValidationError({"end_date": "The end date must be after the start date"})
    involvement.end_date = end_date
    _stamp(involvement, actor)
    involvement.save(update_fields=["end_date", "updated_by", "updated_at"])
    _audit_write(actor, Action.UPDATE, involvement.person_id, involvement, ["end_date"])


# --- Duplicates: merge and unmerge ---

# Links to a person that a merge does not move: the search keys are rebuilt, and the merge's
# own records name both people by design.
# Rows about the records themselves rather than the person: they stay where they are. A
# scan's pairs naming the merged record drop off the report (it is merged).
_NOT_MOVED = {
    "people.personsearchkey",
    "people.mergerecord",
    "people.duplicatedismissal",
    "people.duplicatecandidate",
}


def _require_data_quality(actor: User | None) -> None:
    if actor is not None and not user_is_administrator(user=actor):
        raise PermissionDenied("Only data quality staff (system administrators) can merge records.")


def _person_links() -> list[tuple[type[models.Model], models.ForeignKey[Any, Any]]]:
    """Every foreign key, in every installed app, that points at a person."""
    links = []
    for model in apps.get_models():
        if model._meta.label_lower in _NOT_MOVED:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Person:
                if model is Person:
                    continue  # merged_into
                links.append((model, field))
    return links


def _links_both(row: models.Model, model: type[models.Model], survivor: Person) -> bool:
    """The row joins the two records (e.g. a relationship between them): moving it would
    relate the survivor to itself, so it stays with the merged record."""
    return any(
        isinstance(f, models.ForeignKey)
        and f.related_model is Person
        and getattr(row, f.attname) == survivor.pk
        for f in model._meta.concrete_fields
    )


@transaction.atomic
def person_merge(
    *, actor: User | None, survivor: Person, merged: Person, reason: str
) -> MergeRecord:
    """Merge ``merged`` into ``survivor``: everything linked to the merged record moves to the
    survivor, blank details on the survivor are filled from it, and the merged record stays
    (hidden, pointing at the survivor) so ``person_unmerge`` can restore both exactly."""
    _require_data_quality(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Say why these records are the same person"})
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if survivor.pk == merged.pk:
        raise ValidationError("Choose two different records to merge")
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError("One of these records has already been merged")
    changes: dict[str, Any] = {"moved": [], "kept": [], "filled": {}, "created": []}
    for model, field in _person_links():
        for row in model._default_manager.filter(**{field.name: merged}):
            entry = {"model": model._meta.label_lower, "pk": str(row.pk), "field": field.name}
            if _links_both(row, model, survivor):
                changes["kept"].append(entry)
                continue
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=row.pk).update(**{field.name: survivor})
            except IntegrityError as exc:
                raise ValidationError(
                    f"Both records have a current {model._meta.verbose_name}; "
                    "end one of them before merging"
                ) from exc
            changes["moved"].append(entry)
    filled = []
    for field_name in EDITABLE_FIELDS:
        mine, theirs = getattr(survivor, field_name), getattr(merged, field_name)
        if theirs not in ("", None, [], False, Person.Sex.UNKNOWN) and mine in (
            "",
            None,
            [],
            Person.Sex.UNKNOWN,
        ):
            changes["filled"][field_name] = _json_value(mine)
            setattr(survivor, field_name, theirs)
            filled.append(field_name)
    if not survivor.postcode and merged.postcode:
        changes["filled"]["postcode"] = ""
        survivor.postcode = merged.postcode
        filled.append("postcode")
    if survivor.expected_date_of_birth and survivor.date_of_birth:
        changes["filled"].setdefault("expected_date_of_birth", _json_value(None))
        survivor.expected_date_of_birth = None
    if filled:
        Person.objects.filter(pk=survivor.pk).update(
            **{f: getattr(survivor, f) for f in (*filled, "expected_date_of_birth")}
        )
    if (merged.given_name, merged.family_name) != (survivor.given_name, survivor.family_name):
        alias = PersonName(
            person=survivor,
            kind=PersonName.Kind.ALIAS,
            given_name=merged.given_name,
            family_name=merged.family_name,
        )
        _stamp(alias, actor)
        alias.save()
        changes["created"].append({"model": "people.personname", "pk": str(alias.pk)})
    former_number = PersonIdentifier(
        person=survivor,
        kind=PersonIdentifier.Kind.LEGACY,
        system="Kith LA number (merged record)",
        value=str(merged.la_number),
    )
    _stamp(former_number, actor)
    former_number.save()
    changes["created"].append({"model": "people.personidentifier", "pk": str(former_number.pk)})
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    merged.merged_into = survivor
    record = MergeRecord(survivor=survivor, merged=merged, reason=reason.strip(), changes=changes)
    _stamp(record, actor)
    record.save()
    search_keys_rebuild(survivor)
    search_keys_rebuild(merged)
    for person in (survivor, merged):
        audit_record(
            actor=actor,
            action=Action.MERGE,
            person_id=person.pk,
            object_type="people.mergerecord",
            object_id=record.pk,
            changed_fields=filled if person is survivor else ["merged_into"],
            reason=reason.strip(),
        )
    return record


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _from_json(field_name: str, value: Any) -> Any:
    field = Person._meta.get_field(field_name)
    if isinstance(field, models.DateField) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


@transaction.atomic
def person_unmerge(*, actor: User | None, record: MergeRecord, reason: str) -> None:
    """Undo a merge exactly: what moved goes back, filled details are emptied again, and the
    rows the merge made are removed."""
    _require_data_quality(actor)
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    if record.unmerged_at is not None:
        raise ValidationError("This merge has already been undone")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the merge is being undone"})
    survivor = Person.objects.select_for_update().get(pk=record.survivor_id)
    merged = Person.objects.select_for_update().get(pk=record.merged_id)
    if survivor.merged_into_id is not None:
        raise ValidationError(
            "The surviving record has since been merged into another; undo that merge first"
        )
    changes = record.changes
    for entry in changes["moved"]:
        model = apps.get_model(entry["model"])
        model._default_manager.filter(pk=entry["pk"], **{entry["field"]: survivor}).update(
            **{entry["field"]: merged}
        )
    restore = {}
    for field_name, before in changes["filled"].items():
        restore[field_name] = _from_json(field_name, before)
    if restore:
        Person.objects.filter(pk=survivor.pk).update(**restore)
    for entry in changes["created"]:
        apps.get_model(entry["model"])._default_manager.filter(pk=entry["pk"]).delete()
    Person.objects.filter(pk=merged.pk).update(merged_into=None)
    record.unmerged_at = timezone.now()
    record.unmerged_by = actor
    record.unmerge_reason = reason.strip()
    record.save(update_fields=["unmerged_at", "unmerged_by", "unmerge_reason", "updated_at"])
    survivor.refresh_from_db()
    merged.refresh_from_db()
    search_keys_rebuild(survivor)
    search_keys_rebuild(merged)
    for person in (survivor, merged):
        audit_record(
            actor=actor,
            action=Action.MERGE,
            person_id=person.pk,
            object_type="people.mergerecord",
            object_id=record.pk,
            changed_fields=["unmerged"],
            reason=reason.strip(),
        )


@transaction.atomic
def duplicate_dismiss(
    *, actor: User | None, first: Person, second: Person, note: str = ""
) -> DuplicateDismissal:
    """Checked: not the same person. The pair leaves the duplicate report."""
    _require_data_quality(actor)
    a, b = sorted((first, second), key=lambda p: str(p.pk))
    dismissal, _ = DuplicateDismissal.objects.get_or_create(
        first=a, second=b, defaults={"note": note.strip(), "created_by": actor, "updated_by": actor}
    )
    for person in (a, b):
        _audit_write(actor, Action.CREATE, person, dismissal, ["note"])
    return dismissal
