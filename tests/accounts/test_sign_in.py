import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from kith.accounts import services
from tests import factories

pytestmark = pytest.mark.django_db


def sign_in_password(client: Client, user, password: str = factories.PASSWORD):
    return client.post("/sign-in", {"username": user.username, "password": password})


def test_password_alone_does_not_sign_in():
    # given a worker with an authenticator
    user = factories.user()
    client = Client()
    # when they give only their password
    response = sign_in_password(client, user)
    # then they are asked for a code, and nothing else is open to them
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in/security-code"
    home = client.get("/")
    assert home.status_code == 302
    assert home.headers["Location"].startswith("/sign-in?next=")


def test_password_and_totp_code_sign_in():
    user = factories.user()
    client = Client()
    sign_in_password(client, user)
    response = client.post(
        "/sign-in/security-code", {"code": factories.totp_code(factories.totp_device(user))}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome, Test" in home.content.decode()


def test_wrong_password_gives_one_message_whatever_the_username():
    user = factories.user()
    wrong_password = sign_in_password(Client(), user, "not the password at all")
    no_such_user = Client().post("/sign-in", {"username": "nobody", "password": "whatever123"})
    for response in (wrong_password, no_such_user):
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()


def test_empty_form_names_each_missing_field():
    response = Client().post("/sign-in", {"username": "", "password": ""})
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter your username" in body
    assert "Enter your password" in body
    assert "<title>Error: Sign in" in body


def test_lockout_after_repeated_wrong_passwords_even_with_the_right_one():
    user = factories.user()
    for _ in range(5):
        sign_in_password(Client(), user, "wrong password here")
    response = sign_in_password(Client(), user)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()


def test_wrong_security_codes_count_towards_lockout():
    user = factories.user()
    client = Client()
    sign_in_password(client, user)
    device = factories.totp_device(user)
    wrong = f"{(int(factories.totp_code(device)) + 1) % 1_000_000:06d}"
    for attempt in range(5):
        response = client.post("/sign-in/security-code", {"code": wrong})
        if attempt < 4:
            assert "The security code is not right" in response.content.decode()
    assert response.status_code == 429
    # and the right code is refused afterwards too
    again = Client()
    assert sign_in_password(again, user).status_code == 429


def test_administrator_unlock_lets_a_locked_user_back_in():
    user = factories.user()
    for _ in range(5):
        sign_in_password(Client(), user, "wrong password here")
    services.user_unlock(actor=None, user=user)
    assert sign_in_password(Client(), user).headers["Location"] == "/sign-in/security-code"


def test_backup_code_works_once():
    user = factories.user()
    codes = services.backup_codes_regenerate(user=user)
    first = Client()
    sign_in_password(first, user)
    assert first.post("/sign-in/security-code", {"code": codes[0]}).status_code == 302
    second = Client()
    sign_in_password(second, user)
    response = second.post("/sign-in/security-code", {"code": codes[0]})
    assert response.status_code == 200
    assert "The security code is not right" in response.content.decode()


def test_first_sign_in_sets_up_an_authenticator_and_shows_backup_codes():
    # given a new user with no authenticator
    user = factories.user(with_authenticator=False)
    client = Client()
    # when they sign in with their password, they are sent to set one up
    response = sign_in_password(client, user)
    assert response.headers["Location"] == "/sign-in/set-up-authenticator"
    page = client.get("/sign-in/set-up-authenticator").content.decode()
    assert "data:image/svg+xml" in page
    device = user.totpdevice_set.get(confirmed=False)
    # then a code from the app confirms it and the backup codes are shown once
    response = client.post("/sign-in/set-up-authenticator", {"code": factories.totp_code(device)})
    assert response.headers["Location"] == "/account/backup-codes"
    shown = client.get("/account/backup-codes").content.decode()
    assert shown.count("<li><code>") == services.BACKUP_CODE_COUNT
    assert "You have 10 unused backup codes" in client.get("/account/backup-codes").content.decode()
    assert client.get("/").status_code == 200


def test_pending_sign_in_expires():
    user = factories.user()
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in_password(client, user)
        traveller.shift(dt.timedelta(minutes=6))
        response = client.post(
            "/sign-in/security-code", {"code": factories.totp_code(factories.totp_device(user))}
        )
    assert response.headers["Location"] == "/sign-in"


def test_idle_session_is_signed_out(signed_in_client):
    client = signed_in_client()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?reason=idle"
    assert client.get("/").headers["Location"].startswith("/sign-in?next=")


def test_activity_keeps_the_session_alive(signed_in_client):
    client = signed_in_client()
    start = timezone.now()
    for minutes in (20, 40, 60):
        with time_machine.travel(start + dt.timedelta(minutes=minutes)):
            assert client.post("/session/keep-alive").status_code == 204
    with time_machine.travel(start + dt.timedelta(minutes=70)):
        assert client.get("/").status_code == 200


def test_next_is_followed_only_within_kith(signed_in_client):
    user = factories.user()
    client = Client()
    client.post(
        "/sign-in",
        {
            "username": user.username,
            "password": factories.PASSWORD,
            "next": "https://evil.example/",
        },
    )
    response = client.post(
        "/sign-in/security-code", {"code": factories.totp_code(factories.totp_device(user))}
    )
    assert response.headers["Location"] == "/"


def test_must_change_password_before_anything_else():
    admin = factories.user(role="system_administrator")
    user, temporary = services.user_create(
        actor=admin,
        username="new.starter",
        first_name="New",
        last_name="Starter",
        email="new.starter@kith-council.example",
    )
    services.membership_create(
        actor=admin, user=user, team=factories.team(), role_code="social_worker"
    )
    device = services.totp_device_start(user=user)
    device.confirmed = True
    device.save()
    client = Client()
    client.post("/sign-in", {"username": "new.starter", "password": temporary})
    client.post("/sign-in/security-code", {"code": factories.totp_code(device)})
    assert client.get("/").headers["Location"] == "/account/change-password"
    response = client.post(
        "/account/change-password",
        {"current_password": temporary, "new_password": "short", "confirm_password": "short"},
    )
    assert "too short" in response.content.decode()
    response = client.post(
        "/account/change-password",
        {
            "current_password": temporary,
            "new_password": "plum orchard lantern river",
            "confirm_password": "plum orchard lantern river",
        },
    )
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
