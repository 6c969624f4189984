import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from kith.accounts import services
from kith.accounts.models import Membership, User
from tests import factories

pytestmark = pytest.mark.django_db


def test_only_system_administrators_reach_staff_administration(signed_in_client):
    worker = signed_in_client("social_worker")
    manager = signed_in_client("team_manager")
    admin = signed_in_client("system_administrator")
    for client in (worker, manager):
        response = client.get("/administration/staff")
        assert response.status_code == 403
        assert "You cannot see this page" in response.content.decode()
    assert admin.get("/administration/staff").status_code == 200


def test_administrator_creates_a_user_with_a_temporary_password(signed_in_client):
    admin = signed_in_client("system_administrator")
    team = factories.team("Assessment North")
    response = admin.post(
        "/administration/staff/new",
        {
            "first_name": "Amara",
            "last_name": "Okafor",
            "username": "amara.okafor",
            "email": "amara.okafor@kith-council.example",
            "job_title": "Social worker",
            "swe_number": "sw 123456",
            "team": str(team.pk),
            "role": "social_worker",
            "start_date-day": "3",
            "start_date-month": "11",
            "start_date-year": "2026",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Account created" in body
    created = User.objects.get(username="amara.okafor")
    assert created.swe_number == "SW123456"
    assert created.must_change_password
    membership = Membership.objects.get(user=created)
    assert (membership.team, membership.role_id, membership.start_date) == (
        team,
        "social_worker",
        dt.date(2026, 11, 3),
    )


def test_create_user_errors_name_each_problem_and_save_nothing(signed_in_client):
    admin = signed_in_client("system_administrator")
    before = User.objects.count()
    response = admin.post(
        "/administration/staff/new",
        {
            "first_name": "",
            "last_name": "Okafor",
            "username": "a",
            "email": "not-an-email",
            "swe_number": "12345",
            "team": "",
            "role": "social_worker",
            "start_date-day": "31",
            "start_date-month": "2",
            "start_date-year": "2026",
        },
    )
    body = response.content.decode()
    assert "Enter a first name" in body
    assert "Enter an email address in the correct format" in body
    assert "Enter a registration number that starts SW then digits" in body
    assert "Select a team" in body
    assert "Start date must be a real date" in body
    assert User.objects.count() == before


def test_duplicate_username_is_refused_with_a_message(signed_in_client):
    admin = signed_in_client("system_administrator")
    factories.user(username="sam.jones")
    team = factories.team()
    response = admin.post(
        "/administration/staff/new",
        {
            "first_name": "Sam",
            "last_name": "Jones",
            "username": "Sam.Jones",
            "email": "sam.jones2@kith-council.example",
            "team": str(team.pk),
            "role": "social_worker",
            "start_date-day": "1",
            "start_date-month": "1",
            "start_date-year": "2026",
        },
    )
    assert "The username sam.jones is already taken" in response.content.decode()


def test_a_leaver_loses_access_at_once(signed_in_client):
    # given a worker who is signed in
    worker_client = signed_in_client("social_worker")
    worker = worker_client.user
    assert worker_client.get("/").status_code == 200
    # when an administrator records them as a leaver today
    admin = signed_in_client("system_administrator")
    today = timezone.localdate()
    response = admin.post(
        f"/administration/staff/{worker.pk}/leaver",
        {
            "left_on-day": str(today.day),
            "left_on-month": str(today.month),
            "left_on-year": str(today.year),
            "reason": "Resigned",
        },
    )
    assert response.status_code == 302
    # then their open session no longer works, and they cannot sign in again
    assert worker_client.get("/").status_code == 302
    again = Client().post("/sign-in", {"username": worker.username, "password": factories.PASSWORD})
    assert "Enter a correct username and password" in again.content.decode()
    assert not Membership.objects.filter(user=worker, end_date__isnull=True).exists()


def test_ending_the_last_membership_signs_the_user_out(signed_in_client):
    # an end date is the membership's last day: ending it today keeps access until midnight
    worker_client = signed_in_client("social_worker")
    membership = Membership.objects.get(user=worker_client.user)
    services.membership_end(
        actor=None, membership=membership, end_date=timezone.localdate(), reason="Moved on"
    )
    assert worker_client.get("/").status_code == 200
    # ended as of yesterday, the open session stops at once
    other_client = signed_in_client("social_worker")
    other = Membership.objects.get(user=other_client.user)
    services.membership_end(
        actor=None,
        membership=other,
        end_date=timezone.localdate() - dt.timedelta(days=1),
        reason="Moved to another council",
    )
    assert other_client.get("/").status_code == 302
    # and from tomorrow the first worker is out too
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        response = worker_client.post("/session/keep-alive")
    assert response.status_code == 302


def test_reset_second_factor_signs_out_and_requires_a_new_authenticator(signed_in_client):
    worker_client = signed_in_client("social_worker")
    worker = worker_client.user
    admin = signed_in_client("system_administrator")
    assert admin.post(f"/administration/staff/{worker.pk}/reset-second-factor").status_code == 302
    assert worker_client.get("/").status_code == 302
    fresh = Client()
    response = fresh.post("/sign-in", {"username": worker.username, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/sign-in/set-up-authenticator"


def test_admin_actions_refuse_get(signed_in_client):
    admin = signed_in_client("system_administrator")
    worker = factories.user()
    assert admin.get(f"/administration/staff/{worker.pk}/reset-second-factor").status_code == 405


def test_staff_search_finds_by_name_and_registration(signed_in_client):
    admin = signed_in_client("system_administrator")
    services.user_create(
        actor=None,
        username="kwame.mensah",
        first_name="Kwame",
        last_name="Mensah",
        email="kwame.mensah@kith-council.example",
        swe_number="SW654321",
        password=factories.PASSWORD,
    )
    assert "Kwame Mensah" in admin.get("/administration/staff?q=mensah").content.decode()
    assert "Kwame Mensah" in admin.get("/administration/staff?q=SW654321").content.decode()
    assert "Kwame Mensah" not in admin.get("/administration/staff?q=zzz").content.decode()


def test_team_tree_rules():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="must sit within a directorate"):
        services.team_create(actor=None, name="Loose", kind="service", service_area="adults")
