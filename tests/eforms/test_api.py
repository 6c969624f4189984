"""Forms in the API: definitions, a person's forms, start, save partial answers, send."""

import pytest

from kith.audit.models import AuditEvent
from kith.eforms.models import FormSubmission
from tests.eforms.conftest import COMPLETE_ANSWERS

pytestmark = pytest.mark.django_db


def test_definitions_are_listed_and_read(world, visit_form, signed_in_client):
    client = signed_in_client(user=world.worker)
    listed = client.get("/api/v1/form-definitions").json()
    codes = {d["code"] for d in listed}
    assert {"child-and-family-assessment", "care-act-needs-assessment", "test-visit"} <= codes
    detail = client.get("/api/v1/form-definitions/test-visit").json()
    assert detail["version"] == 1
    assert detail["needs_approval"] is True
    assert detail["definition"]["sections"][0]["key"] == "visit"
    assert client.get("/api/v1/form-definitions/nothing").status_code == 404
    assert signed_in_client(user=world.admin).get("/api/v1/form-definitions").status_code == 403


def test_a_form_is_started_saved_in_parts_and_sent(world, visit_form, signed_in_client):
    client = signed_in_client(user=world.worker)
    started = client.post(
        f"/api/v1/people/{world.own.pk}/forms",
        {"form": "test-visit"},
        content_type="application/json",
    )
    assert started.status_code == 201
    body = started.json()
    assert body["status"] == "draft"
    assert body["answers"]["child_name"] == world.own.full_name
    assert body["prefilled"] == {"child_name": "person"}
    form_id = body["id"]
    # a partial, half-wrong save is kept
    saved = client.patch(
        f"/api/v1/forms/{form_id}/answers",
        {"answers": {"rooms": "many", "date_seen": "2026-11-03"}},
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["answers"]["date_seen"] == {"day": "3", "month": "11", "year": "2026"}
    # sending checks everything and says what is wrong, field by field
    refused = client.post(
        f"/api/v1/forms/{form_id}/submit", {"confirm": True}, content_type="application/json"
    )
    assert refused.status_code == 422
    problems = {p["field"]: p["message"] for p in refused.json()["problems"]}
    assert problems["q-rooms"] == "Bedrooms must be a number"
    assert problems["q-seen_alone"] == "Select yes or no: seen alone"
    client.patch(
        f"/api/v1/forms/{form_id}/answers",
        {"answers": COMPLETE_ANSWERS},
        content_type="application/json",
    )
    sent = client.post(
        f"/api/v1/forms/{form_id}/submit", {"confirm": True}, content_type="application/json"
    )
    assert sent.status_code == 200
    assert sent.json()["status"] == "awaiting_approval"
    listed = client.get(f"/api/v1/people/{world.own.pk}/forms").json()
    assert [f["id"] for f in listed] == [form_id]
    assert FormSubmission.objects.get(pk=form_id).work_item_id is not None
    assert AuditEvent.objects.filter(object_id=form_id, via="api").exists()


def test_the_api_keeps_others_out(world, visit_form, signed_in_client):
    outsider = signed_in_client(user=world.outsider)
    assert outsider.get(f"/api/v1/people/{world.own.pk}/forms").status_code == 403
    started = outsider.post(
        f"/api/v1/people/{world.own.pk}/forms",
        {"form": "test-visit"},
        content_type="application/json",
    )
    assert started.status_code == 403
    assert not FormSubmission.objects.exists()
    hidden = outsider.get(f"/api/v1/people/{world.sealed.pk}/forms")
    assert hidden.status_code == 404
