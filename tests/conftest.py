import pytest
from django.test import Client

from tests import factories


@pytest.fixture
def signed_in_client(db):
    """A client signed in as a social worker with a verified second factor."""

    def make(role: str = "social_worker", user=None) -> Client:
        user = user or factories.user(role=role)
        client = Client()
        response = client.post(
            "/sign-in", {"username": user.username, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, response
        response = client.post(
            "/sign-in/security-code",
            {"code": factories.totp_code(factories.totp_device(user))},
        )
        assert response.status_code == 302
        client.user = user  # type: ignore[attr-defined]
        return client

    return make
