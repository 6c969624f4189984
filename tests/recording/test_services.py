"""Case notes and visits through the services, with the real policy, audit log and database."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from kith.audit.models import AuditEvent
from kith.people import selectors as people_selectors
from kith.recording import selectors, services
from kith.recording.models import CaseNote, Visit
from kith.work import selectors as work_selectors
from kith.work import services as work_services
from kith.work import timescales
from kith.work.models import WorkItem, WorkItemType
from tests import factories
from tests.recording.helpers import family, note_type, verified, visit_type

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def add_group_note(f, **kwargs):
    kwargs.setdefault("narrative", "Both children seen at school; Amy upset about contact.")
    return services.note_add(
        actor=verified(f.worker),
        person=f.amy,
        also_for=[f.ben],
        note_type=note_type(),
        event_date=TODAY - dt.timedelta(days=1),
        **kwargs,
    )


def test_a_group_note_makes_one_row_per_person_linked_as_one_group():
    f = family()
    notes = add_group_note(f)
    assert [n.person for n in notes] == [f.amy, f.ben]
    assert len({n.group_id for n in notes}) == 1
    assert len({n.thread_id for n in notes}) == 2
    assert CaseNote.objects.count() == 2
    audited = AuditEvent.objects.filter(object_type="recording.casenote", action="create")
    assert {e.person_id for e in audited} == {f.amy.pk, f.ben.pk}


def test_a_correction_is_a_new_row_for_the_whole_group_and_keeps_the_original():
    f = family()
    amy_note, ben_note = add_group_note(f)
    rows = services.note_correct(
        actor=verified(f.worker),
        note=amy_note,
        narrative="Both children seen at home, not school.",
        reason="Wrong place recorded",
        requested_by="Amy's mother",
    )
    assert len(rows) == 2
    assert CaseNote.objects.count() == 4
    original = CaseNote.objects.get(pk=amy_note.pk)
    assert original.narrative.startswith("Both children seen at school")
    correction = CaseNote.objects.get(supersedes=original)
    assert correction.kind == "correction"
    assert correction.reason == "Wrong place recorded"
    assert correction.requested_by == "Amy's mother"
    assert correction.created_by == f.worker
    ben_current = CaseNote.objects.get(supersedes=ben_note)
    assert ben_current.narrative == "Both children seen at home, not school."
    # the worker sees the current version only; the manager sees both
    worker_view = selectors.note_get(user=f.worker, person=f.amy, thread_id=amy_note.thread_id)
    assert worker_view.current.pk == correction.pk
    assert worker_view.history == []
    manager_view = selectors.note_get(user=f.manager, person=f.amy, thread_id=amy_note.thread_id)
    assert [v.pk for v in manager_view.history] == [original.pk, correction.pk]


def test_a_correction_needs_a_reason_and_who_asked():
    f = family()
    note = add_group_note(f)[0]
    with pytest.raises(ValidationError) as raised:
        services.note_correct(
            actor=verified(f.worker), note=note, narrative="x", reason=" ", requested_by=""
        )
    assert set(raised.value.message_dict) == {"reason", "requested_by"}


def test_the_database_refuses_to_change_or_remove_a_note():
    f = family()
    note = add_group_note(f)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseNote.objects.filter(pk=note.pk).update(narrative="Rewritten quietly")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseNote.objects.filter(pk=note.pk).delete()
    assert CaseNote.objects.get(pk=note.pk).narrative.startswith("Both children")


def test_deletion_hides_the_note_but_managers_still_see_the_original():
    f = family()
    amy_note, _ = add_group_note(f)
    services.note_delete(
        actor=verified(f.worker),
        note=amy_note,
        reason="Recorded on the wrong family",
        requested_by="Team manager",
    )
    assert selectors.person_notes(user=f.worker, person=f.amy).total == 0
    assert selectors.person_notes(user=f.worker, person=f.ben).total == 0
    assert selectors.note_get(user=f.worker, person=f.amy, thread_id=amy_note.thread_id) is None
    seen = selectors.note_get(user=f.manager, person=f.amy, thread_id=amy_note.thread_id)
    assert seen.deleted
    assert seen.history[0].narrative.startswith("Both children seen at school")
    assert seen.current.reason == "Recorded on the wrong family"


def test_an_oversight_note_is_refused_for_a_worker_and_allowed_for_the_manager():
    f = family()
    oversight = note_type("management-oversight")
    with pytest.raises(PermissionDenied):
        services.note_add(
            actor=verified(f.worker),
            person=f.amy,
            note_type=oversight,
            event_date=TODAY,
            narrative="Reviewed the plan",
        )
    assert oversight not in selectors.note_types(user=f.worker, person=f.amy)
    assert oversight in selectors.note_types(user=f.manager, person=f.amy)
    note = services.note_add(
        actor=verified(f.manager),
        person=f.amy,
        note_type=oversight,
        event_date=TODAY,
        narrative="Reviewed the plan: visits to continue fortnightly",
    )[0]
    assert note.note_type.manager_only


def test_someone_without_access_cannot_add_a_note_for_a_sibling():
    f = family()
    with pytest.raises(PermissionDenied):
        services.note_add(
            actor=verified(f.outsider),
            person=f.amy,
            note_type=note_type(),
            event_date=TODAY,
            narrative="Not my case",
        )
    assert CaseNote.objects.count() == 0


def test_a_note_dated_in_the_future_or_empty_is_refused_naming_the_field():
    f = family()
    with pytest.raises(ValidationError) as raised:
        services.note_add(
            actor=verified(f.worker),
            person=f.amy,
            note_type=note_type(),
            event_date=TODAY + dt.timedelta(days=2),
            narrative="  ",
        )
    assert raised.value.message_dict == {
        "event_date": ["The date it happened must be today or in the past"],
        "narrative": ["Enter the note"],
    }


def test_a_significant_note_appears_in_the_chronology_and_a_plain_one_does_not():
    f = family()
    services.note_add(
        actor=verified(f.worker),
        person=f.amy,
        note_type=note_type("phone-call"),
        event_date=TODAY - dt.timedelta(days=3),
        narrative="Police called: Amy found after going missing overnight",
        significant=True,
    )
    services.note_add(
        actor=verified(f.worker),
        person=f.amy,
        note_type=note_type(),
        event_date=TODAY - dt.timedelta(days=2),
        narrative="Routine call to school",
    )
    _, _, events = people_selectors.person_chronology(user=f.worker, person_id=f.amy.pk)
    notes = [e for e in events if e.type_code == "recording.significant_note"]
    assert len(notes) == 1
    assert "found after going missing" in notes[0].detail
    assert notes[0].date == TODAY - dt.timedelta(days=3)


def test_pinned_notes_come_first_and_unpinning_removes_them():
    f = family()
    note = add_group_note(f, pinned=True)[0]
    page = selectors.person_notes(user=f.worker, person=f.amy)
    assert [n.pk for n in page.pinned] == [note.pk]
    assert [n.pk for n in selectors.person_pinned_notes(user=f.worker, person=f.amy)] == [note.pk]
    services.note_pin(actor=verified(f.worker), note=note, pinned=False)
    assert selectors.person_notes(user=f.worker, person=f.amy).pinned == []


def test_recording_a_visit_completes_the_due_visit_and_the_next_is_due_by_the_rule():
    f = family()
    cin_visit = WorkItemType.objects.get(code="cin-visit")
    start = TODAY - dt.timedelta(days=30)
    item = work_services.work_item_create(
        actor=None,
        person=f.amy,
        item_type=cin_visit,
        team=f.team,
        clock_start=start,
        worker=f.worker,
    )
    visited = TODAY - dt.timedelta(days=2)
    visit, following = services.visit_record(
        actor=verified(f.worker),
        person=f.amy,
        visit_type=visit_type("cin-visit"),
        actual_date=visited,
        seen=True,
        seen_alone=True,
        bedroom_seen=True,
        present="Mother",
        present_people=[f.ben],
        notes="Amy showed me her room.",
    )
    item.refresh_from_db()
    assert item.status == WorkItem.Status.COMPLETED
    assert item.completed_on == visited
    assert visit.work_item == item
    assert following is not None
    assert following.previous == item
    rule = timescales.rule_for(cin_visit, visited)
    assert following.due_date == timescales.due_date(rule, visited, 2)
    assert following.status == WorkItem.Status.NOT_STARTED
    assert following.worker == f.worker
    _, _, events = people_selectors.person_chronology(user=f.worker, person_id=f.amy.pk)
    assert any(e.type_code == "recording.visit" for e in events)


def test_a_planned_visit_starts_a_due_work_item_and_recording_it_completes_that():
    f = family()
    planned = services.visit_plan(
        actor=verified(f.worker),
        person=f.ben,
        visit_type=visit_type("cp-visit"),
        planned_date=TODAY + dt.timedelta(days=3),
    )
    assert planned.work_item is not None
    assert planned.work_item.worker == f.worker
    my_items = [i.pk for i in work_selectors.my_work(user=f.worker)["items"]]
    assert planned.work_item.pk in my_items
    visit, following = services.visit_record(
        actor=verified(f.worker),
        person=f.ben,
        visit_type=visit_type("cp-visit"),
        actual_date=TODAY,
        seen=False,
        planned=planned,
    )
    assert visit.pk == planned.pk
    assert Visit.objects.get(pk=planned.pk).actual_date == TODAY
    assert following is not None
    assert following.due_date == timescales.due_date(following.rule, TODAY, 2)


def test_bedroom_seen_is_only_for_children_and_seen_alone_needs_seen():
    f = family()
    adult = factories.person("Carol", "Hollis", date_of_birth=dt.date(1980, 1, 1))
    factories.involve(adult, f.team)
    with pytest.raises(ValidationError) as raised:
        services.visit_record(
            actor=verified(f.worker),
            person=adult,
            visit_type=visit_type("other-visit"),
            actual_date=TODAY,
            seen=False,
            seen_alone=True,
            bedroom_seen=True,
        )
    assert set(raised.value.message_dict) == {"seen_alone", "bedroom_seen"}


def test_a_merge_moves_notes_to_the_surviving_record_despite_the_trigger():
    from kith.people import services as people_services

    f = family()
    duplicate = factories.person("Amy", "Holis", date_of_birth=f.amy.date_of_birth)
    factories.involve(duplicate, f.team)
    note = services.note_add(
        actor=verified(f.worker),
        person=duplicate,
        note_type=note_type(),
        event_date=TODAY,
        narrative="Recorded on the duplicate",
    )[0]
    people_services.person_merge(actor=None, survivor=f.amy, merged=duplicate, reason="Same child")
    moved = CaseNote.objects.get(pk=note.pk)
    assert moved.person_id == f.amy.pk
    assert moved.narrative == "Recorded on the duplicate"
    assert selectors.person_notes(user=f.worker, person=f.amy).total == 1
