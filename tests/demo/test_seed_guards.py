"""`kith seed` refuses a database that is not empty."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kith.accounts.models import User
from kith.people.models import Person

pytestmark = pytest.mark.django_db


def test_refuses_a_database_with_staff():
    User.objects.create(username="someone.real")
    with pytest.raises(CommandError, match="already has staff accounts"):
        call_command(
            "seed", "--size", "small", "--seed", "7", "--today", dt.date(2026, 11, 2).isoformat(),
            stdout=io.StringIO(),
        )  # fmt: skip
    assert not Person.objects.exists()
