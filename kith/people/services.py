"""Writes to the client index. Each runs in one transaction with its audit entry."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kith.access.policy import RECORD_MODULES, user_modules
from kith.accounts.models import User
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.people.models import LaNumberSequence, Person

EDITABLE_FIELDS = ("given_name", "family_name", "known_as", "date_of_birth", "sex", "postcode")


def _next_la_number() -> int:
    sequence = LaNumberSequence.objects.select_for_update().get(pk=1)
    sequence.last_issued += 1
    sequence.save(update_fields=["last_issued"])
    return sequence.last_issued


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
) -> Person:
    """Record a new person. ``actor`` None is for the synthetic council and data loads."""
    if actor is not None and not (user_modules(actor, editing=True) & RECORD_MODULES):
        raise PermissionDenied("Your role cannot add people to the client index.")
    person = Person(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        known_as=known_as.strip(),
        date_of_birth=date_of_birth,
        sex=sex,
        postcode=postcode.strip().upper(),
        created_by=actor,
        updated_by=actor,
    )
    if not person.given_name or not person.family_name:
        raise ValidationError({"family_name": "Enter the person's given name and family name"})
    person.la_number = _next_la_number()
    person.full_clean()
    person.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        person_id=person.pk,
        object_type="people.person",
        object_id=person.pk,
        changed_fields=[f for f in EDITABLE_FIELDS if getattr(person, f)],
    )
    return person
