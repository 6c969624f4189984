"""Work pages and API through the real views, policy and audit log."""

import datetime as dt

import pytest
from django.utils import timezone

from kith.work import services
from kith.work.models import Allocation, WorkItem, WorkItemType
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    team = factories.team("Assessment South")
    worker = factories.user("social_worker", in_team=team)
    colleague = factories.user("social_worker", in_team=team)
    manager = factories.user("team_manager", in_team=team)
    child = factories.person("Kofi", "Mensah")
    involvement = factories.involve(child, team)
    return team, worker, colleague, manager, child, involvement


def test_a_worker_adds_completes_and_a_manager_authorises(office, signed_in_client):
    team, worker, _, manager, child, _ = office
    client = signed_in_client(user=worker)
    assessment = WorkItemType.objects.get(code="cf-assessment")
    response = client.post(
        f"/people/{child.pk}/work/add",
        {"item_type": str(assessment.pk), "team": str(team.pk), "note": "Referral from school"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = WorkItem.objects.get(person=child)
    assert item.due_date is not None
    page = client.get(f"/people/{child.pk}/work").content.decode()
    assert "Child and family assessment" in page
    assert client.post(f"/work/{item.pk}/allocate", {"worker": str(worker.pk), "reason": "Duty"})
    item.refresh_from_db()
    assert item.worker == worker
    assert "Child and family assessment" in client.get("/my-work").content.decode()
    client.post(f"/work/{item.pk}/complete")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.AWAITING_AUTHORISATION
    boss = signed_in_client(user=manager)
    queue = boss.get("/authorisations").content.decode()
    assert "Kofi Mensah" in queue
    returned = boss.post(f"/work/{item.pk}/return", {"comment": ""})
    assert returned.status_code == 400
    assert "Enter comments" in returned.content.decode()
    boss.post(f"/work/{item.pk}/authorise")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.COMPLETED
    history = boss.get(f"/work/{item.pk}").content.decode()
    assert "Authorised" in history
    assert "Sent for authorisation" in history


def test_allocating_a_person_from_their_work_tab(office, signed_in_client):
    _, worker, colleague, manager, child, involvement = office
    client = signed_in_client(user=manager)
    response = client.post(
        f"/people/{child.pk}/involvements/{involvement.pk}/allocate",
        {"worker": str(worker.pk), "reason": "New referral", "priority": "red"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    involvement.refresh_from_db()
    assert involvement.priority == "red"
    client.post(
        f"/people/{child.pk}/involvements/{involvement.pk}/allocate",
        {"worker": str(colleague.pk), "reason": "Worker on leave", "priority": "red"},
    )
    rows = Allocation.objects.filter(person=child).order_by("start_date", "created_at")
    assert [a.worker for a in rows] == [worker, colleague]
    assert rows[0].end_date is not None
    assert rows[1].reason == "Worker on leave"


def test_the_api_creates_and_acts_on_work_items(office, signed_in_client):
    team, worker, _, manager, child, _ = office
    client = signed_in_client(user=worker)
    created = client.post(
        f"/api/v1/people/{child.pk}/work-items",
        {"type": "referral-decision", "team_id": str(team.pk), "worker_id": str(worker.pk)},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["due_date"] is not None
    assert body["worker_id"] == str(worker.pk)
    done = client.post(
        f"/api/v1/work-items/{body['id']}/complete", {}, content_type="application/json"
    )
    assert done.json()["status"] == "awaiting_authorisation"
    own = client.post(
        f"/api/v1/work-items/{body['id']}/authorise", {}, content_type="application/json"
    )
    assert own.status_code == 403  # only a manager of the team
    boss = signed_in_client(user=manager)
    authorised = boss.post(
        f"/api/v1/work-items/{body['id']}/authorise", {}, content_type="application/json"
    )
    assert authorised.json()["status"] == "completed"
    kinds = [e["kind"] for e in authorised.json()["history"]]
    assert kinds[-1] == "status"
    assert "authorised" in kinds
    mine = client.get("/api/v1/work-items/mine").json()
    assert mine == []
    moved = boss.post(
        f"/api/v1/work-items/{body['id']}/move-due-date",
        {"due_date": str(timezone.localdate() + dt.timedelta(days=3)), "reason": "x"},
        content_type="application/json",
    )
    assert moved.status_code == 422  # closed


def test_a_manager_reallocates_a_leavers_caseload_from_the_page(office, signed_in_client):
    team, worker, colleague, manager, child, _ = office
    factories.allocate(child, worker, team)
    services.work_item_create(
        actor=None,
        person=child,
        item_type=WorkItemType.objects.get(code="cin-visit"),
        team=team,
        worker=worker,
    )
    client = signed_in_client(user=manager)
    page = client.get(f"/teams/{team.pk}/reallocate/{worker.pk}").content.decode()
    assert "Kofi Mensah" in page
    response = client.post(
        f"/teams/{team.pk}/reallocate/{worker.pk}",
        {f"to-{child.pk}": str(colleague.pk), "reason": "Leaving"},
    )
    assert response.status_code == 302
    assert Allocation.objects.get(person=child, end_date__isnull=True).worker == colleague
    assert WorkItem.objects.get(person=child).worker == colleague


def test_my_work_is_in_the_navigation_of_everyone_who_works_with_records(signed_in_client):
    """A worker's due work was reachable only from a notification's link."""
    team = factories.team("Assessment North")
    worker = factories.user("social_worker", in_team=team)
    client = signed_in_client(user=worker)
    page = client.get("/").content.decode()
    assert 'href="/my-work"' in page
    mine = client.get("/my-work").content.decode()
    assert 'aria-current="true"' in mine.split('href="/my-work"')[1][:80]
    auditor = factories.user("auditor", in_team=factories.team("Audit"))
    page = signed_in_client(user=auditor).get("/").content.decode()
    assert 'href="/my-work"' not in page
