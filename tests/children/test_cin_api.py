"""The child in need journey through the JSON API, with the real policy and audit log."""

import datetime as dt

import pytest
from django.utils import timezone

from kith.audit.models import AuditEvent
from kith.children.models import CPPlan
from tests.children.cin_helpers import case, working_days_ago

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def post(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


def test_the_journey_from_contact_to_cp_plan_and_its_review(signed_in_client):
    c = case()
    client = signed_in_client(user=c.worker)
    base = f"/api/v1/people/{c.child.pk}/children/cin"
    contact = post(
        client,
        f"{base}/contacts",
        {
            "team_id": str(c.team.pk),
            "received_at": (timezone.now() - dt.timedelta(days=7)).isoformat(),
            "source": "2A",
            "referrer": "PC Jones",
            "summary": "Domestic abuse incident",
            "priority": "red",
        },
    )
    assert contact.status_code == 201, contact.content
    decided = post(
        client,
        f"{base}/contacts/{contact.json()['id']}/decision",
        {
            "decision": "referral",
            "decided_on": working_days_ago(3).isoformat(),
            "primary_need": "N1",
        },
    )
    assert decided.status_code == 200, decided.content
    record = client.get(base).json()
    episode = record["episodes"][0]
    assert (episode["referral_source"], record["status"]["code"]) == ("2A", "open-episode")
    eid = episode["id"]
    discussion = post(
        client,
        f"{base}/episodes/{eid}/strategy-discussions",
        {
            "discussion_date": working_days_ago(3).isoformat(),
            "attendees": "Police, school",
            "start_s47": True,
        },
    ).json()
    s47 = post(
        client,
        f"{base}/episodes/{eid}/section47s",
        {"start_date": working_days_ago(3).isoformat(), "strategy_discussion_id": discussion["id"]},
    )
    assert s47.status_code == 201, s47.content
    assert s47.json()["icpc_target_date"]
    weekend = TODAY - dt.timedelta(days=(TODAY.weekday() + 2) % 7)  # the last Saturday
    refused = post(
        client,
        f"{base}/episodes/{eid}/conferences",
        {
            "conference_date": weekend.isoformat(),
            "cp_plan": True,
            "section47_id": s47.json()["id"],
            "initial_category": "PHY",
        },
    )
    assert refused.status_code == 422
    assert "CIN census rule" in refused.json()["detail"]
    assert not CPPlan.objects.filter(person=c.child).exists()
    conference = post(
        client,
        f"{base}/episodes/{eid}/conferences",
        {
            "conference_date": working_days_ago(1).isoformat(),
            "cp_plan": True,
            "section47_id": s47.json()["id"],
            "initial_category": "PHY",
        },
    )
    assert conference.status_code == 201, conference.content
    status = client.get(f"{base}/status").json()
    assert (status["code"], status["category"]) == ("cp", "PHY")
    assert status["next_core_group"]
    plan_id = status["cp_plan_id"]
    review = post(
        client,
        f"{base}/cp-plans/{plan_id}/reviews",
        {"review_date": working_days_ago(1).isoformat(), "continue_plan": True, "quorate": True},
    )
    assert review.status_code == 422
    assert "8841" in review.json()["detail"]
    record = client.get(base).json()
    assert record["episodes"][0]["cp_plans"][0]["initial_category"] == "PHY"
    assert AuditEvent.objects.filter(via="api", object_type="children.casestatus").exists()


def test_a_referral_breaking_rules_is_refused_with_the_rule(signed_in_client):
    c = case()
    client = signed_in_client(user=c.worker)
    response = post(
        client,
        f"/api/v1/people/{c.child.pk}/children/cin/referrals",
        {
            "team_id": str(c.team.pk),
            "referral_date": (TODAY + dt.timedelta(days=3)).isoformat(),
            "referral_source": "1A",
        },
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "8600" in detail
    assert "8610" in detail


def test_outsiders_cannot_read_or_record(signed_in_client):
    c = case()
    client = signed_in_client(user=c.outsider)
    base = f"/api/v1/people/{c.child.pk}/children/cin"
    assert client.get(base).status_code == 403
    response = post(
        client,
        f"{base}/referrals",
        {"team_id": str(c.team.pk), "referral_date": TODAY.isoformat(), "referral_source": "1A"},
    )
    assert response.status_code == 403
