"""Notes and visits pages through the real views, policy and audit log."""

import datetime as dt

import pytest
from django.utils import timezone

from kith.audit.models import AuditEvent
from kith.recording import services
from kith.recording.models import CaseNote, Visit
from kith.work import services as work_services
from kith.work.models import WorkItem, WorkItemType
from tests.recording.helpers import family, note_type, verified

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def test_a_worker_adds_a_group_note_from_the_notes_tab(signed_in_client):
    f = family()
    client = signed_in_client(user=f.worker)
    form = client.get(f"/people/{f.amy.pk}/notes/add").content.decode()
    assert "Also record this note for" in form
    assert "Ben Hollis" in form
    assert "Management oversight" not in form
    response = client.post(
        f"/people/{f.amy.pk}/notes/add",
        {
            "note_type": "home-visit",
            **date_parts("event_date", TODAY),
            "narrative": "Saw both children at home with mum.",
            "significant": "on",
            "also_for": [str(f.ben.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert CaseNote.objects.filter(significant=True).count() == 2
    page = client.get(f"/people/{f.ben.pk}/notes").content.decode()
    assert "Saw both children at home with mum." in page
    assert "Significant" in page
    listed = AuditEvent.objects.filter(
        object_type="recording.casenote", action="list", person_id=f.ben.pk
    )
    assert listed.exists()
    chronology = client.get(f"/people/{f.ben.pk}/chronology").content.decode()
    assert "Saw both children at home with mum." in chronology


def test_the_note_form_shows_errors_naming_what_is_wrong(signed_in_client):
    f = family()
    client = signed_in_client(user=f.worker)
    response = client.post(
        f"/people/{f.amy.pk}/notes/add",
        {
            "note_type": "",
            "event_date-day": "31",
            "event_date-month": "2",
            "event_date-year": "2026",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select the type of note" in page
    assert "Date it happened must be a real date" in page
    assert "Enter the note" in page
    assert CaseNote.objects.count() == 0


def test_filters_and_paging_on_the_notes_tab(signed_in_client):
    f = family()
    actor = verified(f.worker)
    for n in range(23):
        services.note_add(
            actor=actor,
            person=f.amy,
            note_type=note_type("phone-call" if n % 2 else "case-note"),
            event_date=TODAY - dt.timedelta(days=n),
            narrative=f"Note number {n}",
            significant=n == 5,
        )
    client = signed_in_client(user=f.worker)
    first = client.get(f"/people/{f.amy.pk}/notes").content.decode()
    assert "23 notes" in first
    assert "Page 1 of 2" in first
    assert "Note number 0<" in first
    second = client.get(f"/people/{f.amy.pk}/notes?page=2").content.decode()
    assert "Note number 22<" in second
    significant = client.get(f"/people/{f.amy.pk}/notes?significant=on").content.decode()
    assert "1 note</strong>" in significant
    assert "Note number 5<" in significant
    calls = client.get(f"/people/{f.amy.pk}/notes?type=phone-call").content.decode()
    assert "11 notes" in calls
    since = TODAY - dt.timedelta(days=2)
    recent = client.get(
        f"/people/{f.amy.pk}/notes",
        {"date_from-day": since.day, "date_from-month": since.month, "date_from-year": since.year},
    ).content.decode()
    assert "3 notes" in recent


def test_correcting_shows_the_original_struck_through_to_the_manager_only(signed_in_client):
    f = family()
    note = services.note_add(
        actor=verified(f.worker),
        person=f.amy,
        also_for=[f.ben],
        note_type=note_type(),
        event_date=TODAY,
        narrative="Mum said dad left in May.",
    )[0]
    client = signed_in_client(user=f.worker)
    refused = client.post(
        f"/people/{f.amy.pk}/notes/{note.thread_id}/correct",
        {"narrative": "Mum said dad left in June.", **date_parts("event_date", TODAY)},
    )
    assert refused.status_code == 400
    assert "Enter why the note is being corrected" in refused.content.decode()
    done = client.post(
        f"/people/{f.amy.pk}/notes/{note.thread_id}/correct",
        {
            "narrative": "Mum said dad left in June.",
            **date_parts("event_date", TODAY),
            "reason": "Month misheard",
            "requested_by": "Mum",
        },
    )
    assert done.status_code == 302
    worker_page = client.get(f"/people/{f.amy.pk}/notes/{note.thread_id}").content.decode()
    assert "Mum said dad left in June." in worker_page
    assert "left in May" not in worker_page
    assert "Corrected on" in worker_page
    manager_page = (
        signed_in_client(user=f.manager)
        .get(f"/people/{f.amy.pk}/notes/{note.thread_id}")
        .content.decode()
    )
    assert "<del>Mum said dad left in May.</del>" in manager_page
    assert "Month misheard" in manager_page
    assert "Ben Hollis" in manager_page
    assert AuditEvent.objects.filter(object_type="recording.casenote", action="update").count() == 2


def test_deleting_hides_the_note_and_pinning_shows_it_on_the_summary(signed_in_client):
    f = family()
    note = services.note_add(
        actor=verified(f.worker),
        person=f.amy,
        note_type=note_type(),
        event_date=TODAY,
        narrative="Key worker is Mrs Patel at school.",
    )[0]
    client = signed_in_client(user=f.worker)
    assert (
        client.post(f"/people/{f.amy.pk}/notes/{note.thread_id}/pin", {"pinned": "yes"}).status_code
        == 302
    )
    summary = client.get(f"/people/{f.amy.pk}").content.decode()
    assert "Key worker is Mrs Patel at school." in summary
    client.post(
        f"/people/{f.amy.pk}/notes/{note.thread_id}/delete",
        {"reason": "Wrong child", "requested_by": "Me"},
    )
    assert "Mrs Patel" not in client.get(f"/people/{f.amy.pk}/notes").content.decode()
    assert "Mrs Patel" not in client.get(f"/people/{f.amy.pk}").content.decode()
    assert client.get(f"/people/{f.amy.pk}/notes/{note.thread_id}").status_code == 404
    manager = signed_in_client(user=f.manager).get(f"/people/{f.amy.pk}/notes/{note.thread_id}")
    assert manager.status_code == 200
    assert "This note was deleted" in manager.content.decode()
    assert AuditEvent.objects.filter(object_type="recording.casenote", action="delete").exists()


def test_users_without_access_are_refused_and_the_refusal_is_audited(signed_in_client):
    f = family()
    note = services.note_add(
        actor=verified(f.worker),
        person=f.amy,
        note_type=note_type(),
        event_date=TODAY,
        narrative="Private",
    )[0]
    client = signed_in_client(user=f.outsider)
    assert client.get(f"/people/{f.amy.pk}/notes").status_code == 403
    assert client.get(f"/people/{f.amy.pk}/notes/{note.thread_id}").status_code == 403
    assert client.get(f"/people/{f.amy.pk}/visits").status_code == 403
    assert client.post(f"/people/{f.amy.pk}/notes/add", {}).status_code == 403
    assert (
        AuditEvent.objects.filter(
            actor=f.outsider, action="access_denied", person_id=f.amy.pk
        ).count()
        == 4
    )


def test_pdf_downloads_are_audited(signed_in_client):
    f = family()
    note = services.note_add(
        actor=verified(f.worker),
        person=f.amy,
        note_type=note_type(),
        event_date=TODAY,
        narrative="For the court bundle",
    )[0]
    client = signed_in_client(user=f.worker)
    listing = client.get(f"/people/{f.amy.pk}/notes/pdf")
    assert listing.status_code == 200
    assert listing["Content-Type"] == "application/pdf"
    assert listing.content.startswith(b"%PDF")
    one = client.get(f"/people/{f.amy.pk}/notes/{note.thread_id}/pdf")
    assert one.status_code == 200
    assert f"case-note-{f.amy.la_number}" in one["Content-Disposition"]
    assert (
        AuditEvent.objects.filter(
            object_type="recording.casenote", action="download", person_id=f.amy.pk
        ).count()
        == 2
    )


def test_recording_a_visit_from_the_visits_tab_starts_the_next(signed_in_client):
    f = family()
    cin_visit = WorkItemType.objects.get(code="cin-visit")
    item = work_services.work_item_create(
        actor=None,
        person=f.amy,
        item_type=cin_visit,
        team=f.team,
        clock_start=TODAY - dt.timedelta(days=20),
        worker=f.worker,
    )
    client = signed_in_client(user=f.worker)
    form = client.get(f"/people/{f.amy.pk}/visits/record").content.decode()
    assert "Was their bedroom seen" in form
    bad = client.post(
        f"/people/{f.amy.pk}/visits/record", {"visit_type": "cin-visit", "seen": "yes"}
    )
    assert bad.status_code == 400
    assert "Select whether they were seen alone" in bad.content.decode()
    assert "Enter the date of the visit" in bad.content.decode()
    response = client.post(
        f"/people/{f.amy.pk}/visits/record",
        {
            "visit_type": "cin-visit",
            **date_parts("actual_date", TODAY),
            "seen": "yes",
            "seen_alone": "yes",
            "bedroom_seen": "no",
            "present_people": [str(f.ben.pk)],
            "present": "Mum",
            "notes": "Amy was cheerful.",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Visit recorded. The next child in need visit is due by" in page
    item.refresh_from_db()
    assert item.status == WorkItem.Status.COMPLETED
    following = WorkItem.objects.get(previous=item)
    assert following.is_open
    work = client.get(f"/people/{f.amy.pk}/work").content.decode()
    assert work.count("Child in need visit") == 2
    visit = Visit.objects.get()
    detail = client.get(f"/people/{f.amy.pk}/visits/{visit.pk}").content.decode()
    assert "Ben Hollis, Mum" in detail
    assert AuditEvent.objects.filter(object_type="recording.visit", action="view").exists()


def test_planning_a_visit_shows_it_due_on_the_work_tab_and_my_work(signed_in_client):
    f = family()
    client = signed_in_client(user=f.worker)
    soon = TODAY + dt.timedelta(days=4)
    response = client.post(
        f"/people/{f.ben.pk}/visits/plan",
        {"visit_type": "cp-visit", **date_parts("planned_date", soon)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Child protection visit" in client.get(f"/people/{f.ben.pk}/work").content.decode()
    assert "Child protection visit" in client.get("/my-work").content.decode()
    visits = client.get(f"/people/{f.ben.pk}/visits").content.decode()
    assert "Record<span" in visits
