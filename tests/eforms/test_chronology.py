"""Finished forms in the person's chronology: each approved or completed revision, filterable
by type; drafts and forms waiting for approval are not there."""

import pytest

from kith.eforms import services
from kith.eforms.selectors import FORM_EVENT
from kith.people import selectors as people_selectors
from kith.people.chronology import event_types
from kith.work import services as work_services
from kith.work.models import WorkItem
from tests.eforms.conftest import COMPLETE_ANSWERS, verified

pytestmark = pytest.mark.django_db


def form_events(world, types=None):
    _, _, events = people_selectors.person_chronology(
        user=verified(world.worker), person_id=world.own.pk, types=types
    )
    return [e for e in events if e.type_code == FORM_EVENT.code]


def test_an_approved_form_and_its_revision_are_in_the_chronology(world, visit_form):
    assert FORM_EVENT in event_types()
    worker = verified(world.worker)
    draft = services.submission_start(actor=worker, person=world.own, version=visit_form)
    services.submission_save(actor=worker, submission=draft, answers=COMPLETE_ANSWERS)
    assert form_events(world) == []
    sent = services.submission_submit(actor=worker, submission=draft)
    assert form_events(world) == [], "waiting for approval: not yet an event"
    work_services.work_item_authorise(
        actor=world.manager, item=WorkItem.objects.get(pk=sent.work_item_id), comment="Fine"
    )
    [approved] = form_events(world)
    assert approved.title == "Test visit record"
    assert approved.detail.startswith(f"Approved by {world.manager.display_name}")
    assert "outcome: plan" in approved.detail
    assert approved.module == "Forms"
    sent.refresh_from_db()
    amended = services.submission_amend(actor=worker, submission=sent, reason="Wrong date")
    amended = services.submission_submit(actor=worker, submission=amended)
    work_services.work_item_authorise(
        actor=world.manager, item=WorkItem.objects.get(pk=amended.work_item_id)
    )
    titles = sorted(e.title for e in form_events(world))
    assert titles == ["Test visit record", "Test visit record (revision 2)"]
    assert any("changed because: Wrong date" in e.detail for e in form_events(world))
    # filtered by type: forms only, or everything but forms
    assert len(form_events(world, types={FORM_EVENT.code})) == 2
    assert form_events(world, types={"people.birth"}) == []
