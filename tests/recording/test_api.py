"""Case notes and visits through the JSON API, with the real policy and audit log."""

import datetime as dt

import pytest
from django.utils import timezone

from kith.audit.models import AuditEvent
from kith.recording.models import CaseNote
from kith.work import services as work_services
from kith.work.models import WorkItem, WorkItemType
from tests.recording.helpers import family

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_notes_are_created_listed_corrected_and_deleted(signed_in_client):
    f = family()
    client = signed_in_client(user=f.worker)
    created = client.post(
        f"/api/v1/people/{f.amy.pk}/notes",
        {
            "type": "phone-call",
            "event_date": TODAY.isoformat(),
            "narrative": "Called school about attendance.",
            "significant": True,
            "also_for": [str(f.ben.pk)],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    rows = created.json()
    assert [r["person_id"] for r in rows] == [str(f.amy.pk), str(f.ben.pk)]
    assert rows[0]["group_id"] == rows[1]["group_id"]
    listed = client.get(f"/api/v1/people/{f.ben.pk}/notes").json()
    assert listed["total"] == 1
    assert listed["results"][0]["narrative"] == "Called school about attendance."
    assert AuditEvent.objects.latest("seq").via == "api"
    thread = rows[0]["thread_id"]
    refused = client.post(
        f"/api/v1/people/{f.amy.pk}/notes/{thread}/corrections",
        {"reason": "", "requested_by": "", "narrative": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    corrected = client.post(
        f"/api/v1/people/{f.amy.pk}/notes/{thread}/corrections",
        {
            "reason": "Called college, not school",
            "requested_by": "Me",
            "narrative": "Called college.",
        },
        content_type="application/json",
    )
    assert corrected.status_code == 201, corrected.content
    assert {r["kind"] for r in corrected.json()} == {"correction"}
    ben = client.get(f"/api/v1/people/{f.ben.pk}/notes").json()
    assert ben["results"][0]["narrative"] == "Called college."
    deleted = client.post(
        f"/api/v1/people/{f.amy.pk}/notes/{thread}/deletion",
        {"reason": "Duplicate", "requested_by": "Team manager"},
        content_type="application/json",
    )
    assert deleted.status_code == 201
    assert client.get(f"/api/v1/people/{f.amy.pk}/notes").json()["total"] == 0
    assert CaseNote.objects.count() == 6


def test_the_api_refuses_outsiders_and_unknown_types(signed_in_client):
    f = family()
    outsider = signed_in_client(user=f.outsider)
    assert outsider.get(f"/api/v1/people/{f.amy.pk}/notes").status_code == 403
    assert outsider.get(f"/api/v1/people/{f.amy.pk}/visits").status_code == 403
    worker = signed_in_client(user=f.worker)
    wrong = worker.post(
        f"/api/v1/people/{f.amy.pk}/notes",
        {"type": "gossip", "event_date": TODAY.isoformat(), "narrative": "x"},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert "type must be one of" in wrong.json()["detail"]
    oversight = worker.post(
        f"/api/v1/people/{f.amy.pk}/notes",
        {"type": "management-oversight", "event_date": TODAY.isoformat(), "narrative": "x"},
        content_type="application/json",
    )
    assert oversight.status_code == 403


def test_recording_a_visit_returns_the_next_due_visit(signed_in_client):
    f = family()
    item = work_services.work_item_create(
        actor=None,
        person=f.amy,
        item_type=WorkItemType.objects.get(code="cla-visit"),
        team=f.team,
        clock_start=TODAY - dt.timedelta(days=10),
        worker=f.worker,
    )
    client = signed_in_client(user=f.worker)
    response = client.post(
        f"/api/v1/people/{f.amy.pk}/visits",
        {
            "type": "cla-visit",
            "actual_date": TODAY.isoformat(),
            "seen": True,
            "seen_alone": True,
            "bedroom_seen": True,
            "present_people": [str(f.ben.pk)],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    following = WorkItem.objects.get(previous=item)
    assert body["next_work_item_id"] == str(following.pk)
    assert body["next_due_date"] == following.due_date.isoformat()
    visits = client.get(f"/api/v1/people/{f.amy.pk}/visits").json()
    assert visits[0]["seen_alone"] is True
