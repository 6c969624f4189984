"""Reads for work, through the access policy."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from kith.access.policy import decide
from kith.accounts.models import User
from kith.people.models import Person
from kith.work.models import Allocation, Involvement


def _current(on: dt.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def person_current_work(
    *, user: User | AnonymousUser, person: Person, on: dt.date | None = None
) -> tuple[list[Involvement], list[Allocation]]:
    """The teams working with the person and the workers allocated, if the user may see them.
    The caller has already opened (and so audited) the person's record."""
    if not decide(user, person.pk).allowed:
        return [], []
    day = on or timezone.localdate()
    involvements = list(
        Involvement.objects.filter(_current(day), person=person).select_related("team")
    )
    allocations = list(
        Allocation.objects.filter(_current(day), person=person).select_related("team", "worker")
    )
    return involvements, allocations
