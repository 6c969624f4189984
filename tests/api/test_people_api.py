import json
from pathlib import Path

import pytest
from django.test import Client

from kith.api.management.commands.openapi import openapi_json
from kith.audit.models import AuditEvent
from tests import factories
from tests.access import world as world_module

pytestmark = pytest.mark.django_db


def test_committed_openapi_matches_the_code():
    committed = Path(__file__).parents[2] / "kith" / "api" / "openapi.json"
    assert json.loads(committed.read_text()) == json.loads(openapi_json()), (
        "Run `kith openapi > kith/api/openapi.json` and commit the result"
    )


def test_api_needs_a_signed_in_session():
    response = Client().get("/api/v1/people?q=x")
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in to use Kith."}


def test_read_search_and_create_through_the_api(signed_in_client):
    world = world_module.build()
    client = signed_in_client(user=world.worker)
    own = client.get(f"/api/v1/people/{world.own.pk}")
    assert own.status_code == 200
    assert own.json()["la_number"] == world.own.la_number
    assert AuditEvent.objects.latest("seq").via == "api"
    assert client.get(f"/api/v1/people/{world.other.pk}").status_code == 403
    assert client.get(f"/api/v1/people/{world.sealed.pk}").status_code == 404
    found = client.get("/api/v1/people?q=case").json()
    by_name = {hit["name"]: hit for hit in found["results"]}
    assert "Sol Sealed" not in by_name
    assert by_name["Oscar Othercase"]["person"] is None
    assert by_name["Oscar Othercase"]["contacts"][0]["team"] == "Safeguarding South"
    created = client.post(
        "/api/v1/people",
        {"given_name": "Nia", "family_name": "New", "team_id": str(world.north.pk)},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert client.get(f"/api/v1/people/{created.json()['id']}").status_code == 200
    wrong_team = client.post(
        "/api/v1/people",
        {"given_name": "Nia", "family_name": "New", "team_id": str(world.south.pk)},
        content_type="application/json",
    )
    assert wrong_team.status_code == 422
    assert "team_id must be one of your current teams" in wrong_team.json()["detail"]


def test_roles_without_records_cannot_create(signed_in_client):
    admin = signed_in_client("system_administrator")
    team = factories.team()
    response = admin.post(
        "/api/v1/people",
        {"given_name": "A", "family_name": "B", "team_id": str(team.pk)},
        content_type="application/json",
    )
    assert response.status_code == 422
