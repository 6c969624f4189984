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
    found = client.get("/api/v1/people?q=01/06/2015").json()
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


def test_update_relationships_and_alerts_through_the_api(signed_in_client):
    import datetime as dt

    from django.utils import timezone

    team = factories.team("Children in Need East")
    worker = factories.user("social_worker", in_team=team)
    child = factories.person("Noor", "Aziz", sex="F")
    father = factories.person("Omar", "Aziz", sex="M", date_of_birth=dt.date(1985, 3, 3))
    factories.involve(child, team)
    client = signed_in_client(user=worker)

    changed = client.patch(
        f"/api/v1/people/{child.pk}",
        {"known_as": "Nono", "first_language": "Arabic", "interpreter_required": True},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["known_as"] == "Nono"
    assert changed.json()["interpreter_required"] is True
    bad = client.patch(
        f"/api/v1/people/{child.pk}", {"ethnicity": "ZZZZ"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert "ethnicity" in bad.json()["detail"]

    added = client.post(
        f"/api/v1/people/{child.pk}/relationships",
        {"other_id": str(father.pk), "kind": "parent", "parental_responsibility": True},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["they_are"] == "Father"
    assert body["they_hold_parental_responsibility"] is True
    listed = client.get(f"/api/v1/people/{child.pk}/relationships").json()
    assert [r["other_la_number"] for r in listed] == [father.la_number]
    ended = client.post(
        f"/api/v1/people/{child.pk}/relationships/{body['id']}/end",
        {"end_date": str(timezone.localdate())},
        content_type="application/json",
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["end_date"] == str(timezone.localdate())

    review_by = timezone.localdate() + dt.timedelta(days=30)
    alert = client.post(
        f"/api/v1/people/{child.pk}/alerts",
        {"kind": "communication", "text": "Arabic interpreter", "review_date": str(review_by)},
        content_type="application/json",
    )
    assert alert.status_code == 201, alert.content
    reviewed = client.post(
        f"/api/v1/people/{child.pk}/alerts/{alert.json()['id']}/reviews",
        {"outcome": "ended", "note": "Now fluent in English"},
        content_type="application/json",
    )
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["current"] is False
    assert client.get(f"/api/v1/people/{child.pk}/alerts").json()[0]["current"] is False

    stranger = signed_in_client("social_worker")
    refused = stranger.patch(
        f"/api/v1/people/{child.pk}", {"known_as": "X"}, content_type="application/json"
    )
    assert refused.status_code == 403
