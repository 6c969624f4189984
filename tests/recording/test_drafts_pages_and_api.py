"""Note drafts and approval through the pages (autosave, My unfinished work, amend) and the
JSON API, with the real policy and audit log."""

import uuid

import pytest
from django.utils import timezone

from kith.recording import services
from kith.recording.models import CaseNote, NoteApproval, NoteDraft
from kith.work import services as work_services
from tests.recording.helpers import family, note_type, verified

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def typed(draft_id, **values):
    return {
        "draft": str(draft_id),
        "note_type": "",
        "event_date-day": str(TODAY.day),
        "event_date-month": str(TODAY.month),
        "event_date-year": str(TODAY.year),
        "narrative": "",
        **values,
    }


def test_autosave_keeps_the_draft_which_survives_and_is_finished(signed_in_client):
    f = family()
    client = signed_in_client(user=f.worker)
    page = client.get(f"/people/{f.amy.pk}/notes/add").content.decode()
    assert 'hx-trigger="change, keyup delay:3s"' in page
    draft_id = uuid.uuid4()
    autosave = f"/people/{f.amy.pk}/notes/autosave"
    empty = client.post(autosave, typed(draft_id))
    assert empty.status_code == 200
    assert empty.content == b""
    assert not NoteDraft.objects.exists()
    saved = client.post(autosave, typed(draft_id, narrative="Amy was quiet today"))
    assert saved.status_code == 200
    assert "Draft saved at" in saved.content.decode()
    draft_url = f"/people/{f.amy.pk}/notes/drafts/{draft_id}"
    assert saved["HX-Replace-Url"] == draft_url
    client.post(
        autosave,
        typed(draft_id, narrative="Amy was quiet today; she", also_for=[str(f.ben.pk)]),
    )
    assert NoteDraft.objects.get().narrative == "Amy was quiet today; she"
    # it is on the server: My unfinished work, My work and the notes tab list it (signing in
    # again after the idle sign-out is in tests/system/test_recording.py)
    again = client
    unfinished = again.get("/my-work/unfinished").content.decode()
    assert draft_url in unfinished
    assert draft_url in again.get("/my-work").content.decode()
    assert draft_url in again.get(f"/people/{f.amy.pk}/notes").content.decode()
    resumed = again.get(draft_url).content.decode()
    assert "Amy was quiet today; she" in resumed
    # nobody else sees it
    manager = signed_in_client(user=f.manager)
    assert draft_url not in manager.get("/my-work/unfinished").content.decode()
    assert manager.get(draft_url).status_code == 404
    assert manager.post(autosave, typed(draft_id, narrative="x")).status_code == 403
    # finished: the note is made, the draft is gone
    missing_type = again.post(draft_url, typed(draft_id, narrative="Amy was quiet today."))
    assert missing_type.status_code == 400
    assert "Select the type of note" in missing_type.content.decode()
    assert NoteDraft.objects.get().narrative == "Amy was quiet today."
    done = again.post(
        draft_url,
        typed(
            draft_id,
            note_type="home-visit",
            narrative="Amy was quiet today.",
            also_for=[str(f.ben.pk)],
            action="finish",
        ),
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    assert CaseNote.objects.filter(narrative="Amy was quiet today.").count() == 2
    assert draft_url not in again.get("/my-work/unfinished").content.decode()
    assert again.get(draft_url).status_code == 404
    late = again.post(autosave, typed(draft_id, narrative="late save"))
    assert "saved to the record" in late.content.decode()
    assert CaseNote.objects.filter(narrative="late save").count() == 0


def test_save_draft_without_scripts_and_discard(signed_in_client):
    f = family()
    client = signed_in_client(user=f.worker)
    draft_id = uuid.uuid4()
    response = client.post(
        f"/people/{f.amy.pk}/notes/add",
        typed(draft_id, narrative="Half a thought", action="save"),
    )
    draft_url = f"/people/{f.amy.pk}/notes/drafts/{draft_id}"
    assert response.status_code == 302
    assert response["Location"] == draft_url
    confirm = client.get(f"{draft_url}/discard")
    assert confirm.status_code == 200
    assert "Discard draft" in confirm.content.decode()
    gone = client.post(f"{draft_url}/discard")
    assert gone.status_code == 302
    assert NoteDraft.objects.get().closed_as == "discarded"
    assert client.get(draft_url).status_code == 404


def test_a_returned_note_is_amended_from_its_page_and_linked_from_the_work_item(
    signed_in_client,
):
    f = family()
    note = services.note_add(
        actor=verified(f.worker),
        person=f.amy,
        note_type=note_type("closing-summary"),
        event_date=TODAY,
        narrative="Case closed: needs met.",
    )[0]
    approval = NoteApproval.objects.get()
    manager = signed_in_client(user=f.manager)
    item_page = manager.get(f"/work/{approval.work_item_id}").content.decode()
    assert f"/people/{f.amy.pk}/notes/{note.thread_id}" in item_page
    worker = signed_in_client(user=f.worker)
    page = worker.get(f"/people/{f.amy.pk}/notes/{note.thread_id}").content.decode()
    assert "Awaiting authorisation" in page
    assert "Correct this note" not in page
    work_services.work_item_return(
        actor=verified(f.manager), item=approval.work_item, comment="Add the closure reason."
    )
    page = worker.get(f"/people/{f.amy.pk}/notes/{note.thread_id}").content.decode()
    assert "Returned with comments" in page
    assert "Amend and send again" in page
    amend_url = f"/people/{f.amy.pk}/notes/{note.thread_id}/amend"
    assert amend_url in worker.get("/my-work/unfinished").content.decode()
    form = worker.get(amend_url).content.decode()
    assert "Add the closure reason." in form
    sent = worker.post(
        amend_url,
        {
            "narrative": "Case closed: needs met; family moved away.",
            "event_date-day": str(TODAY.day),
            "event_date-month": str(TODAY.month),
            "event_date-year": str(TODAY.year),
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    approval.refresh_from_db()
    assert approval.status == "awaiting"
    listed = worker.get(f"/people/{f.amy.pk}/notes").content.decode()
    assert "family moved away" in listed
    assert "Awaiting authorisation" in listed


def test_drafts_and_approval_in_the_api(signed_in_client):
    f = family()
    client = signed_in_client(user=f.worker)
    draft_id = uuid.uuid4()
    url = f"/api/v1/people/{f.amy.pk}/note-drafts/{draft_id}"
    nothing = client.put(url, {}, content_type="application/json")
    assert nothing.status_code == 204
    saved = client.put(
        url,
        {
            "type": "case-summary",
            "event_day": str(TODAY.day),
            "event_month": str(TODAY.month),
            "event_year": str(TODAY.year),
            "narrative": "Summary of the last three months.",
            "also_for": [str(f.ben.pk)],
        },
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["narrative"] == "Summary of the last three months."
    listed = client.get(f"/api/v1/people/{f.amy.pk}/note-drafts").json()
    assert [d["id"] for d in listed] == [str(draft_id)]
    other = signed_in_client(user=f.manager)
    assert other.get(f"/api/v1/people/{f.amy.pk}/note-drafts").json() == []
    assert other.post(f"{url}/finish").status_code == 404
    finished = client.post(f"{url}/finish")
    assert finished.status_code == 201, finished.content
    rows = finished.json()
    assert [r["person_id"] for r in rows] == [str(f.amy.pk), str(f.ben.pk)]
    assert rows[0]["approval"]["status"] == "awaiting"
    one = client.get(f"/api/v1/people/{f.ben.pk}/notes/{rows[1]['thread_id']}").json()
    assert one["approval"]["status"] == "awaiting"
    again = client.post(f"{url}/finish")
    assert again.status_code == 404
    # returned, amended through the API
    approval = NoteApproval.objects.get()
    work_services.work_item_return(
        actor=verified(f.manager), item=approval.work_item, comment="Mention school."
    )
    notes = client.get(f"/api/v1/people/{f.amy.pk}/notes").json()
    assert notes["results"][0]["approval"]["status"] == "returned"
    assert notes["results"][0]["approval"]["comment"] == "Mention school."
    amended = client.post(
        f"/api/v1/people/{f.amy.pk}/notes/{rows[0]['thread_id']}/amendment",
        {"narrative": "Summary of the last three months; school attendance 96%."},
        content_type="application/json",
    )
    assert amended.status_code == 201, amended.content
    assert amended.json()[0]["approval"]["status"] == "awaiting"
    refused = client.post(
        f"/api/v1/people/{f.amy.pk}/notes/{rows[0]['thread_id']}/amendment",
        {"narrative": "again"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    # discard
    second = uuid.uuid4()
    client.put(
        f"/api/v1/people/{f.amy.pk}/note-drafts/{second}",
        {"narrative": "scratch"},
        content_type="application/json",
    )
    gone = client.delete(f"/api/v1/people/{f.amy.pk}/note-drafts/{second}")
    assert gone.status_code == 204
    assert client.get(f"/api/v1/people/{f.amy.pk}/note-drafts").json() == []
