import datetime as dt
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from kith.accounts.models import Membership, Team, User
from kith.audit.services import audit_verify
from kith.demo.logins import DEMO_LOGINS, current_code, demo_password
from kith.demo.seed import council_seed
from kith.people.models import Person
from kith.work.models import Allocation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 2)


def seed_small() -> None:
    call_command(
        "seed", "--size", "small", "--seed", "7", "--today", TODAY.isoformat(), stdout=io.StringIO()
    )


def test_small_council_through_the_services():
    seed_small()
    assert Team.objects.filter(kind="directorate").exists()
    assert Team.objects.filter(kind="team").count() >= 8
    assert User.objects.count() >= 50
    # every team has exactly one team manager, demo.manager included
    for team in Team.objects.filter(kind="team"):
        managers = Membership.objects.filter(team=team, role_id="team_manager").count()
        assert managers >= 1, team.name
    assert Person.objects.count() >= 80
    worker = User.objects.get(username="demo.worker")
    assert Allocation.objects.filter(worker=worker).count() >= 8
    # the staff made for the demo cannot sign in; the demo logins can
    assert (
        not User.objects.exclude(username__startswith="demo.")
        .filter(password__startswith="md5")
        .exists()
    )
    assert audit_verify().ok


def seed_in_fresh_database(path: Path, seed: int) -> tuple[list, list]:
    """`kith migrate` and `kith seed` as a person would run them, into their own SQLite file."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "kith.config.settings.dev",
    }
    for args in (
        ["migrate", "-v0"],
        ["seed", "--size", "small", "--seed", str(seed), "--today", TODAY.isoformat()],
    ):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "kith.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    with sqlite3.connect(path) as db:
        users = db.execute(
            "SELECT username, first_name, last_name FROM accounts_user ORDER BY username"
        ).fetchall()
        people = db.execute(
            "SELECT given_name, family_name, date_of_birth, postcode FROM people_person"
            " ORDER BY la_number"
        ).fetchall()
    return users, people


def test_same_seed_same_council_different_seed_different_council(tmp_path):
    first = seed_in_fresh_database(tmp_path / "a.sqlite3", 11)
    again = seed_in_fresh_database(tmp_path / "b.sqlite3", 11)
    other = seed_in_fresh_database(tmp_path / "c.sqlite3", 12)
    assert first == again
    assert first[1] != other[1]
    assert len(first[1]) >= 80


def test_refuses_a_database_with_staff():
    User.objects.create(username="someone.real")
    with pytest.raises(CommandError, match="already has staff accounts"):
        seed_small()


def test_if_empty_does_nothing_the_second_time():
    seed_small()
    out = io.StringIO()
    call_command("seed", "--size", "small", "--seed", "7", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()


def test_demo_logins_sign_in_with_their_code():
    seed_small()
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert demo_password(7) in out.getvalue()
    for login in DEMO_LOGINS:
        assert login.username in out.getvalue()
    client = Client()
    response = client.post("/sign-in", {"username": "demo.worker", "password": demo_password(7)})
    assert response.headers["Location"] == "/sign-in/security-code"
    code = io.StringIO()
    call_command("totp", "demo.worker", stdout=code)
    response = client.post("/sign-in/security-code", {"code": code.getvalue().strip()})
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_totp_command_only_for_demo_logins():
    seed_small()
    with pytest.raises(CommandError, match="not a demo login"):
        call_command("totp", User.objects.exclude(username__startswith="demo.").first().username)


def test_council_seed_reports_what_it_made():
    summary = council_seed(size="small", seed=3, today=TODAY)
    assert summary.teams == Team.objects.filter(kind="team").count()
    assert summary.people == Person.objects.count()
    assert summary.allocated == Allocation.objects.count()
    assert current_code  # the helper the demo logins use
