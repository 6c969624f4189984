"""Note drafts (saved as typed, the author's only) and notes whose type needs a manager's
approval, through the services with the real policy, work queue and audit log."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kith.audit.models import AuditEvent
from kith.people import selectors as people_selectors
from kith.recording import selectors, services
from kith.recording import services_drafts as drafts
from kith.recording.models import CaseNote, NoteApproval, NoteDraft
from kith.work import hooks
from kith.work import selectors as work_selectors
from kith.work import services as work_services
from kith.work.models import WorkItem
from tests.recording.helpers import family, note_type, verified

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def typed(**values) -> drafts.DraftValues:
    values.setdefault("narrative", "Amy said she wants to see her dad more.")
    return drafts.DraftValues.for_date(TODAY, **values)


def test_a_draft_is_made_by_the_first_save_and_updated_by_the_next():
    f = family()
    worker = verified(f.worker)
    draft_id = uuid.uuid4()
    assert (
        drafts.note_draft_save(
            actor=worker, person=f.amy, draft_id=draft_id, values=drafts.DraftValues()
        )
        is None
    ), "nothing typed yet: no draft"
    draft = drafts.note_draft_save(
        actor=worker, person=f.amy, draft_id=draft_id, values=typed(narrative="Amy said")
    )
    assert draft.pk == draft_id
    again = drafts.note_draft_save(
        actor=worker,
        person=f.amy,
        draft_id=draft_id,
        values=typed(narrative="Amy said she wants", note_type_code="phone-call"),
    )
    assert again.pk == draft_id
    assert NoteDraft.objects.count() == 1
    assert again.narrative == "Amy said she wants"
    assert again.note_type_code == "phone-call"
    saves = AuditEvent.objects.filter(object_type="recording.notedraft").order_by("seq")
    assert [e.action for e in saves] == ["create", "update"]
    assert saves.last().changed_fields == ["narrative", "note_type_code"]
    # the same values again change nothing and are not audited again
    drafts.note_draft_save(
        actor=worker,
        person=f.amy,
        draft_id=draft_id,
        values=typed(narrative="Amy said she wants", note_type_code="phone-call"),
    )
    assert AuditEvent.objects.filter(object_type="recording.notedraft").count() == 2
    # no note is on the record, nor in the chronology
    assert CaseNote.objects.count() == 0


def test_a_half_typed_date_is_kept_and_named_when_finishing():
    f = family()
    worker = verified(f.worker)
    draft = drafts.note_draft_save(
        actor=worker,
        person=f.amy,
        draft_id=uuid.uuid4(),
        values=drafts.DraftValues(event_day="3", event_month="", narrative="Seen at school"),
    )
    assert (draft.event_day, draft.event_month, draft.event_year) == ("3", "", "")
    with pytest.raises(ValidationError) as refused:
        drafts.note_draft_finish(
            actor=worker,
            draft=draft,
            note_types=selectors.note_types(user=worker, person=f.amy),
            also_for=[],
        )
    assert refused.value.message_dict == {
        "note_type": ["Select the type of note"],
        "event_date": ["Date it happened must include a month and year"],
    }
    assert NoteDraft.objects.get(pk=draft.pk).closed_at is None
    assert CaseNote.objects.count() == 0


def test_a_draft_is_the_authors_only():
    f = family()
    draft = drafts.note_draft_save(
        actor=verified(f.worker), person=f.amy, draft_id=uuid.uuid4(), values=typed()
    )
    colleague = verified(f.manager)
    assert selectors.my_note_drafts(user=colleague, person=f.amy) == []
    assert selectors.note_draft_get(user=colleague, person=f.amy, draft_id=draft.pk) is None
    with pytest.raises(PermissionDenied):
        drafts.note_draft_save(actor=colleague, person=f.amy, draft_id=draft.pk, values=typed())
    with pytest.raises(PermissionDenied):
        drafts.note_draft_discard(actor=colleague, draft=draft)
    # someone who may not change the record cannot start one either
    with pytest.raises(PermissionDenied):
        drafts.note_draft_save(
            actor=verified(f.outsider), person=f.amy, draft_id=uuid.uuid4(), values=typed()
        )
    assert [d.pk for d in selectors.my_note_drafts(user=f.worker, person=f.amy)] == [draft.pk]


def test_finishing_a_group_draft_makes_the_notes_through_note_add_and_closes_it():
    f = family()
    worker = verified(f.worker)
    draft = drafts.note_draft_save(
        actor=worker,
        person=f.amy,
        draft_id=uuid.uuid4(),
        values=typed(
            note_type_code="home-visit", significant=True, pinned=True, also_for=[str(f.ben.pk)]
        ),
    )
    notes = drafts.note_draft_finish(
        actor=worker,
        draft=draft,
        note_types=selectors.note_types(user=worker, person=f.amy),
        also_for=selectors.group_choices(user=worker, person=f.amy),
    )
    assert [n.person for n in notes] == [f.amy, f.ben]
    assert {n.narrative for n in notes} == {"Amy said she wants to see her dad more."}
    assert all(n.significant for n in notes)
    closed = NoteDraft.objects.get(pk=draft.pk)
    assert closed.closed_as == "finished"
    assert closed.narrative == ""
    assert selectors.my_note_drafts(user=worker) == []
    # a save still on its way from the page cannot bring the draft back
    with pytest.raises(drafts.DraftClosed):
        drafts.note_draft_save(actor=worker, person=f.amy, draft_id=draft.pk, values=typed())
    with pytest.raises(drafts.DraftClosed):
        drafts.note_draft_finish(actor=worker, draft=draft, note_types=[], also_for=[])
    assert CaseNote.objects.count() == 2


def test_discarding_a_draft_and_my_unfinished_work():
    f = family()
    worker = verified(f.worker)
    kept = drafts.note_draft_save(
        actor=worker, person=f.amy, draft_id=uuid.uuid4(), values=typed(note_type_code="email")
    )
    thrown = drafts.note_draft_save(
        actor=worker, person=f.ben, draft_id=uuid.uuid4(), values=typed()
    )
    listed = hooks.unfinished(user=worker)
    assert {(e.person_name, e.status) for e in listed} == {
        ("Amy Hollis", "Draft"),
        ("Ben Hollis", "Draft"),
    }
    assert any(e.what.startswith("Email") for e in listed)
    drafts.note_draft_discard(actor=worker, draft=thrown)
    assert [e.person_name for e in hooks.unfinished(user=worker)] == ["Amy Hollis"]
    assert hooks.unfinished(user=verified(f.manager)) == []
    assert AuditEvent.objects.filter(
        object_type="recording.notedraft", object_id=thrown.pk, action="delete"
    ).exists()
    assert kept.pk != thrown.pk


# --- Approval ---


def add_summary(f, **kwargs):
    return services.note_add(
        actor=verified(f.worker),
        person=f.amy,
        note_type=note_type("case-summary"),
        event_date=TODAY,
        narrative="Amy is settled at school; contact with dad is weekly.",
        significant=True,
        **kwargs,
    )


def test_a_note_needing_approval_waits_in_the_managers_queue_and_is_locked():
    f = family()
    notes = add_summary(f, also_for=[f.ben])
    approval = NoteApproval.objects.get()
    assert approval.group_id == notes[0].group_id
    assert approval.status == "awaiting"
    item = approval.work_item
    assert item.status == WorkItem.Status.AWAITING_AUTHORISATION
    assert item.team == f.team
    assert item.worker == f.worker
    queue = work_selectors.authorisation_queue(user=f.manager)
    assert item in list(queue)
    page = selectors.person_notes(user=f.worker, person=f.ben)
    assert page.notes[0].approval.status == "awaiting"
    # awaiting: neither corrected nor deleted until the manager decides
    with pytest.raises(ValidationError, match="waiting for a manager"):
        services.note_correct(
            actor=verified(f.worker),
            note=notes[0],
            narrative="Changed",
            reason="Typo",
            requested_by="Me",
        )
    with pytest.raises(ValidationError, match="waiting for a manager"):
        services.note_delete(
            actor=verified(f.worker), note=notes[1], reason="Wrong child", requested_by="Me"
        )
    # in the chronology as awaiting authorisation
    _, _, events = people_selectors.person_chronology(user=verified(f.worker), person_id=f.amy.pk)
    assert any("(awaiting authorisation)" in e.title for e in events)


def test_returned_with_comments_the_author_amends_and_the_manager_authorises():
    f = family()
    notes = add_summary(f)
    approval = NoteApproval.objects.get()
    manager = verified(f.manager)
    with pytest.raises(PermissionDenied):
        work_services.work_item_authorise(actor=verified(f.worker), item=approval.work_item)
    work_services.work_item_return(
        actor=manager, item=approval.work_item, comment="Say how often contact happens."
    )
    approval.refresh_from_db()
    assert approval.status == "returned"
    assert approval.decision_comment == "Say how often contact happens."
    listed = hooks.unfinished(user=f.worker)
    assert [e.status for e in listed] == ["Returned with comments"]
    # returned: not authorised until sent again
    with pytest.raises(ValidationError):
        work_services.work_item_authorise(actor=manager, item=approval.work_item)
    # the correction route is for notes not awaiting amendment
    with pytest.raises(ValidationError, match="amend it"):
        services.note_correct(actor=verified(f.worker), note=notes[0], reason="x", requested_by="y")
    with pytest.raises(PermissionDenied):
        services.note_amend(actor=verified(f.outsider), note=notes[0], narrative="x")
    rows = services.note_amend(
        actor=verified(f.worker),
        note=notes[0],
        narrative="Amy is settled at school; contact with dad is every Saturday.",
    )
    amended = rows[0]
    assert amended.kind == "correction"
    assert amended.requested_by == f.manager.display_name
    assert "Say how often contact happens." in amended.reason
    approval.refresh_from_db()
    assert approval.status == "awaiting"
    item = WorkItem.objects.get(pk=approval.work_item_id)
    assert item.status == WorkItem.Status.AWAITING_AUTHORISATION
    assert hooks.unfinished(user=f.worker) == []
    work_services.work_item_authorise(actor=manager, item=item, comment="Good summary")
    approval.refresh_from_db()
    assert approval.status == "authorised"
    assert approval.decided_by == f.manager
    item.refresh_from_db()
    assert item.status == WorkItem.Status.COMPLETED
    # authorised: locked; a correction is a new row with a reason, as for any note
    with pytest.raises(ValidationError):
        services.note_amend(actor=verified(f.worker), note=amended, narrative="again")
    corrected = services.note_correct(
        actor=verified(f.worker),
        note=amended,
        narrative="Amy is settled at school; contact with dad is every other Saturday.",
        reason="Contact changed",
        requested_by="Amy's mother",
    )
    assert corrected[0].supersedes == amended
    thread = selectors.note_get(user=f.manager, person=f.amy, thread_id=notes[0].thread_id)
    assert [v.kind for v in thread.history] == ["original", "correction", "correction"]
    assert thread.approval.status == "authorised"


def test_deleting_a_returned_note_cancels_its_step():
    f = family()
    notes = add_summary(f)
    approval = NoteApproval.objects.get()
    work_services.work_item_return(
        actor=verified(f.manager), item=approval.work_item, comment="Wrong child"
    )
    services.note_delete(
        actor=verified(f.worker), note=notes[0], reason="Wrong child", requested_by="Manager"
    )
    item = WorkItem.objects.get(pk=approval.work_item_id)
    assert item.status == WorkItem.Status.CANCELLED
    assert hooks.unfinished(user=f.worker) == []


def test_a_note_needing_approval_needs_a_worker_in_a_team():
    f = family()
    with pytest.raises(ValidationError):
        services.note_add(
            actor=None,
            person=f.amy,
            note_type=note_type("closing-summary"),
            event_date=TODAY - dt.timedelta(days=1),
            narrative="Closed.",
        )
    assert CaseNote.objects.count() == 0
