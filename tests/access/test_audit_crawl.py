"""Crawl every page and API call that shows personal data: each read leaves exactly one
audit entry, naming the person (or the search terms and results)."""

import pytest

from kith.audit.models import AuditEvent
from kith.audit.services import audit_verify
from tests.access import world as world_module

pytestmark = pytest.mark.django_db


def count() -> int:
    return AuditEvent.objects.count()


def test_each_read_leaves_one_entry(signed_in_client):
    world = world_module.build()
    worker = signed_in_client(user=world.worker)
    manager = signed_in_client(user=world.manager)
    auditor = signed_in_client(user=world.auditor)
    own = world.own
    reads = [
        (worker, f"/people/{own.pk}", "view", own.pk),
        (worker, f"/api/v1/people/{own.pk}", "view", own.pk),
        (worker, f"/people/{world.other.pk}", "access_denied", world.other.pk),
        (worker, f"/api/v1/people/{world.other.pk}", "access_denied", world.other.pk),
        (worker, "/people?q=Owncase", "search", None),
        (worker, "/api/v1/people?q=Owncase", "search", None),
        (manager, f"/people/{own.pk}/access-log", "view", own.pk),
        (auditor, f"/people/{own.pk}/access-log", "view", own.pk),
        (worker, f"/people/{own.pk}/access-log", "access_denied", own.pk),
        (auditor, "/audit-log?username=" + world.worker.username, "search", None),
    ]
    for client, url, action, person_id in reads:
        before = count()
        response = client.get(url)
        assert response.status_code in {200, 403}, url
        new = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
        assert len(new) == 1, f"{url}: {len(new)} audit entries"
        entry = new[0]
        assert entry.action == action, url
        assert entry.actor_id == client.user.pk
        if person_id:
            assert entry.person_id == person_id, url
    search = AuditEvent.objects.filter(action="search", search_terms="Owncase").first()
    assert search is not None
    assert str(own.pk) in search.result_ids
    assert audit_verify().ok


def test_pages_without_personal_data_leave_no_entry(signed_in_client):
    world = world_module.build()
    worker = signed_in_client(user=world.worker)
    before = count()
    for url in ("/", "/accessibility", "/people", "/account/change-password"):
        assert worker.get(url).status_code == 200
    assert count() == before


def test_a_failed_action_leaves_no_entry(signed_in_client):
    world = world_module.build()
    worker = signed_in_client(user=world.worker)
    before = count()
    response = worker.post(
        "/api/v1/people",
        {"given_name": "", "family_name": "", "team_id": str(world.north.pk)},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert count() == before
