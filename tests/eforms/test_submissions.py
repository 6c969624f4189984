"""Filling in forms: drafts saved whatever their state, the server's checks on submit
(conditional and repeating questions, through a POST that bypasses the page), pre-fill,
approval through the manager's authorisation queue, locking and changes with a reason, the
PDF, files, access and audit."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from kith.audit.models import AuditEvent
from kith.eforms import selectors, services
from kith.eforms.models import FormOutcome, FormSubmission
from kith.work import services as work_services
from kith.work.models import WorkItem
from tests.eforms.conftest import COMPLETE_ANSWERS, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world, visit_form):
    return services.submission_start(
        actor=verified(world.worker), person=world.own, version=visit_form
    )


def page_post(complete: bool = True, **overrides):
    """The fields the form page sends."""
    data = {
        "q-child_name": "Olivia Owncase",
        "q-date_seen-day": "3",
        "q-date_seen-month": "11",
        "q-date_seen-year": "2026",
        "q-seen_alone": "yes",
        "q-rooms": "2",
        "q-outcome": "plan",
        "q-factors": ["2A"],
        "rows-household": "1",
        "q-household-0-member_name": "Parent One",
        "q-household-0-is_parent": "no",
    }
    if not complete:
        data = {"q-child_name": "Olivia", "q-date_seen-day": "3"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_new_form_is_prefilled_from_the_record_and_the_last_form(world, visit_form):
    worker = verified(world.worker)
    first = services.submission_start(actor=worker, person=world.own, version=visit_form)
    assert first.answers["child_name"] == world.own.full_name
    assert first.prefilled == {"child_name": "person"}
    services.submission_save(actor=worker, submission=first, answers=COMPLETE_ANSWERS)
    services.submission_submit(actor=worker, submission=first)
    item = WorkItem.objects.get(pk=FormSubmission.objects.get(pk=first.pk).work_item_id)
    work_services.work_item_authorise(actor=world.manager, item=item)
    # the next one starts with the last form's answers, marked as such
    second = services.submission_start(actor=worker, person=world.own, version=visit_form)
    assert second.answers["outcome"] == "plan"
    assert second.answers["household"] == COMPLETE_ANSWERS["household"]
    assert second.prefilled["outcome"] == "previous"
    assert second.prefilled["child_name"] == "person"
    # an answer changed by hand is no longer marked as pre-filled
    services.submission_save(actor=worker, submission=second, answers={"outcome": "nfa"})
    second.refresh_from_db()
    assert "outcome" not in second.prefilled


def test_autosave_accepts_partial_and_wrong_answers(world, draft, signed_in_client):
    client = signed_in_client(user=world.worker)
    url = reverse("eforms:autosave", args=[draft.pk])
    response = client.post(
        url, {"q-rooms": "lots", "q-date_seen-day": "31", "q-date_seen-month": "2"}
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.answers["rooms"] == "lots"
    assert draft.answers["date_seen"] == {"day": "31", "month": "2", "year": ""}
    assert draft.answers["child_name"] == world.own.full_name  # untouched answers stay
    # a later save keeps the earlier answers it does not send
    client.post(url, {"q-why_not_alone": "Asleep"})
    draft.refresh_from_db()
    assert draft.answers["rooms"] == "lots"
    assert draft.answers["why_not_alone"] == "Asleep"


def test_submit_checks_every_answer_on_the_server(world, draft, signed_in_client):
    client = signed_in_client(user=world.worker)
    url = reverse("eforms:submission", args=[draft.pk])
    response = client.post(url, {**page_post(complete=False), "action": "submit"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#q-date_seen-day"' in page
    assert "Date seen must include a month and year" in page
    assert "Select yes or no: seen alone" in page
    assert "Select outcome" in page
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.answers["child_name"] == "Olivia"  # what was typed is kept


def test_a_conditional_question_is_required_only_when_shown(world, draft, signed_in_client):
    client = signed_in_client(user=world.worker)
    url = reverse("eforms:submission", args=[draft.pk])
    # "not seen alone" makes the reason required
    response = client.post(url, {**page_post(**{"q-seen_alone": "no"}), "action": "submit"})
    assert response.status_code == 400
    assert "Enter why not alone" in response.content.decode()
    # a reason given while the question was shown is dropped once it is hidden again
    client.post(
        reverse("eforms:autosave", args=[draft.pk]),
        {"q-seen_alone": "no", "q-why_not_alone": "Parent stayed in the room"},
    )
    response = client.post(url, {**page_post(**{"q-seen_alone": "yes"}), "action": "submit"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "awaiting_approval"
    assert "why_not_alone" not in draft.answers


def test_repeating_groups_are_checked_row_by_row(world, draft, signed_in_client):
    client = signed_in_client(user=world.worker)
    url = reverse("eforms:submission", args=[draft.pk])
    post = page_post(
        **{
            "rows-household": "2",
            "q-household-0-member_name": "",
            "q-household-0-is_parent": "yes",
            "q-household-1-member_name": "Grandma",
            "q-household-1-is_parent": "no",
        }
    )
    response = client.post(url, {**post, "action": "submit"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Person 1: Enter name" in page
    assert "Person 1: Select yes or no: parental responsibility" in page
    assert "Person 2" not in page.split("There is a problem")[1].split("</ul>")[0]
    assert 'href="#q-household-0-member_name"' in page
    draft.refresh_from_db()
    assert len(draft.answers["household"]) == 2


def test_rows_are_added_and_removed_without_losing_answers(world, draft, signed_in_client):
    client = signed_in_client(user=world.worker)
    url = reverse("eforms:submission", args=[draft.pk])
    response = client.post(url, {**page_post(), "action": "add-row:household"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert len(draft.answers["household"]) == 2
    assert draft.answers["household"][0]["member_name"] == "Parent One"
    page = client.get(url).content.decode()
    assert 'name="q-household-1-member_name"' in page
    client.post(url, {**page_post(**{"rows-household": "2"}), "action": "remove-row:household:0"})
    draft.refresh_from_db()
    assert len(draft.answers["household"]) == 1


def test_an_autosave_sent_as_a_row_was_added_or_removed_does_not_undo_it(
    world, draft, signed_in_client
):
    """Leaving a field to press "Add a person" sends an autosave with the page as it was; if it
    arrives after the button's own post it must not take the new row away (nor bring back a
    removed one)."""
    client = signed_in_client(user=world.worker)
    page_url = reverse("eforms:submission", args=[draft.pk])
    autosave_url = reverse("eforms:autosave", args=[draft.pk])
    client.post(page_url, {**page_post(), "action": "add-row:household"})
    stale = client.post(autosave_url, {**page_post(), "q-rooms": "5"})
    assert stale.status_code == 200
    assert "The page has changed" in stale.content.decode()
    draft.refresh_from_db()
    assert len(draft.answers["household"]) == 2
    assert draft.answers["rooms"] == "2"  # nothing of the stale page saved
    client.post(
        page_url, {**page_post(**{"rows-household": "2"}), "action": "remove-row:household:1"}
    )
    client.post(autosave_url, page_post(**{"rows-household": "2"}))
    draft.refresh_from_db()
    assert len(draft.answers["household"]) == 1
    # the page as it now is saves as before
    fresh = client.post(autosave_url, {**page_post(), "q-rooms": "5"})
    assert "Draft saved at" in fresh.content.decode()
    draft.refresh_from_db()
    assert draft.answers["rooms"] == "5"


def test_values_of_the_wrong_kind_are_refused_on_submit(world, draft):
    worker = verified(world.worker)
    answers = {
        **COMPLETE_ANSWERS,
        "rooms": "99",
        "outcome": "not-an-option",
        "factors": ["ZZ"],
        "date_seen": {"day": "31", "month": "2", "year": "2026"},
    }
    services.submission_save(actor=worker, submission=draft, answers=answers)
    with pytest.raises(services.SubmissionIncomplete) as raised:
        services.submission_submit(actor=worker, submission=draft)
    messages = [p.message for p in raised.value.checked.problems]
    assert "Bedrooms must be 20 or less" in messages
    assert "Date seen must be a real date" in messages
    assert "Select one of the listed answers for outcome" in messages
    assert "Select one of the listed answers for factors" in messages


def test_approval_goes_through_the_managers_queue_and_locks_the_form(world, draft):
    worker = verified(world.worker)
    services.submission_save(actor=worker, submission=draft, answers=COMPLETE_ANSWERS)
    sent = services.submission_submit(actor=worker, submission=draft)
    assert sent.status == "awaiting_approval"
    item = WorkItem.objects.get(pk=sent.work_item_id)
    assert item.status == WorkItem.Status.AWAITING_AUTHORISATION
    assert item.item_type.code == "form-approval"
    assert item.worker == world.worker
    # the worker cannot change it while it waits
    with pytest.raises(ValidationError):
        services.submission_save(actor=worker, submission=sent, answers={"rooms": "3"})
    # the manager returns it: it is editable again, with the comment
    work_services.work_item_return(actor=world.manager, item=item, comment="Add the grandma")
    sent.refresh_from_db()
    assert sent.status == "returned"
    assert sent.decision_comment == "Add the grandma"
    # authorising the item before the form is sent again is refused
    item.refresh_from_db()
    work_services.work_item_complete(actor=worker, item=item)
    with pytest.raises(ValidationError, match="has not been sent again"):
        work_services.work_item_authorise(actor=world.manager, item=item)
    services.submission_save(actor=worker, submission=sent, answers={"rooms": "3"})
    item.refresh_from_db()
    # (the item is already waiting: sending the form links it again)
    work_services.work_item_return(actor=world.manager, item=item, comment="Send the form")
    sent = services.submission_submit(actor=worker, submission=sent)
    assert sent.status == "awaiting_approval"
    item.refresh_from_db()
    work_services.work_item_authorise(actor=world.manager, item=item, comment="Good work")
    sent.refresh_from_db()
    assert sent.status == "approved"
    assert sent.is_locked
    assert sent.decided_by == world.manager
    assert sent.decision_comment == "Good work"
    # the typed answers other modules read
    outcome = FormOutcome.objects.get(submission=sent)
    assert outcome.outcome == "plan"
    assert outcome.factors == ["2A", "3A"]
    assert str(outcome.date_seen) == "2026-11-03"
    assert selectors.person_outcomes(person=world.own, form_code="test-visit") == [outcome]
    # locked: no saving, no sending
    with pytest.raises(ValidationError):
        services.submission_save(actor=worker, submission=sent, answers={"rooms": "4"})


def test_a_change_after_approval_is_a_new_revision_with_a_reason(world, draft):
    worker = verified(world.worker)
    services.submission_save(actor=worker, submission=draft, answers=COMPLETE_ANSWERS)
    sent = services.submission_submit(actor=worker, submission=draft)
    work_services.work_item_authorise(
        actor=world.manager, item=WorkItem.objects.get(pk=sent.work_item_id)
    )
    sent.refresh_from_db()
    with pytest.raises(ValidationError, match="Give the reason"):
        services.submission_amend(actor=worker, submission=sent, reason="  ")
    amended = services.submission_amend(
        actor=worker, submission=sent, reason="Wrong date of the visit"
    )
    assert amended.revision == 2
    assert amended.previous == sent
    assert amended.status == "draft"
    assert amended.answers == sent.answers
    services.submission_save(
        actor=worker,
        submission=amended,
        answers={"date_seen": {"day": "4", "month": "11", "year": "2026"}},
    )
    amended = services.submission_submit(actor=worker, submission=amended)
    assert amended.work_item_id != sent.work_item_id
    work_services.work_item_authorise(
        actor=world.manager, item=WorkItem.objects.get(pk=amended.work_item_id)
    )
    sent.refresh_from_db()
    amended.refresh_from_db()
    assert sent.status == "approved"
    assert sent.answers["date_seen"]["day"] == "3"  # the approved one is as it was
    assert amended.answers["date_seen"]["day"] == "4"
    assert [s.revision for s in selectors.submission_history(submission=sent)] == [1, 2]
    with pytest.raises(ValidationError, match="already been changed"):
        services.submission_amend(actor=worker, submission=sent, reason="Again")


def test_a_form_without_approval_is_complete_when_sent(world, visit_form):
    import copy

    from tests.eforms.conftest import VISIT_FORM

    data = copy.deepcopy(VISIT_FORM)
    data.update(code="test-note", needs_approval=False)
    version = services.definition_load(actor=None, data=data)
    worker = verified(world.worker)
    submission = services.submission_start(actor=worker, person=world.own, version=version)
    services.submission_save(actor=worker, submission=submission, answers=COMPLETE_ANSWERS)
    done = services.submission_submit(actor=worker, submission=submission)
    assert done.status == "completed"
    assert done.work_item_id is None
    assert FormOutcome.objects.get(submission=done).outcome == "plan"


def test_a_definitions_work_item_type_is_used_and_an_open_step_is_reused(world):
    from kith.eforms.models import FormDefinition

    version = selectors.published_version(
        definition=FormDefinition.objects.get(code="child-and-family-assessment")
    )
    step = work_services.work_item_create(
        actor=None,
        person=world.own,
        item_type=__import__("kith.work.models", fromlist=["x"]).WorkItemType.objects.get(
            code="cf-assessment"
        ),
        team=world.north,
    )
    worker = verified(world.worker)
    submission = services.submission_start(actor=worker, person=world.own, version=version)
    submission.answers = {}
    checked = services.submission_check(actor=worker, submission=submission)
    assert not checked.ok
    answers = {
        "child_name": "Olivia Owncase",
        "date_seen": "2026-11-02",
        "seen_alone": "yes",
        "child_views": "Likes school",
        "household_members": [{"member_name": "Mum", "member_relationship": "parent"}],
        "health_development": "Well",
        "parenting_capacity": "Good",
        "harm_concerns": "no",
        "factors": ["21"],
        "analysis_summary": "No concerns",
        "outcome": "nfa",
        "outcome_date": "2026-11-20",
        "family_told": "yes",
    }
    services.submission_save(actor=worker, submission=submission, answers=answers)
    sent = services.submission_submit(actor=worker, submission=submission)
    assert sent.work_item_id == step.pk
    step.refresh_from_db()
    assert step.status == WorkItem.Status.AWAITING_AUTHORISATION
    assert step.worker == world.worker


def test_files_are_stored_with_their_hash_and_limits(world, draft, signed_in_client):
    client = signed_in_client(user=world.worker)
    url = reverse("eforms:submission", args=[draft.pk])
    too_big = SimpleUploadedFile("room.png", b"x" * 2048, content_type="image/png")
    response = client.post(url, {"action": "save", "q-photo": too_big})
    assert response.status_code == 400
    assert "Photo of the room: the file must be smaller than 1 KB" in response.content.decode()
    wrong = SimpleUploadedFile("room.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"action": "save", "q-photo": wrong})
    assert "the file must be a PNG, PDF" in response.content.decode()
    good = SimpleUploadedFile("room.png", b"\x89PNG fake", content_type="image/png")
    response = client.post(url, {"action": "save", "q-photo": good})
    assert response.status_code == 302
    (attachment,) = selectors.submission_attachments(submission=draft)
    import hashlib

    assert attachment.sha256 == hashlib.sha256(b"\x89PNG fake").hexdigest()
    assert attachment.filename == "room.png"
    download = client.get(reverse("eforms:attachment", args=[draft.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"\x89PNG fake"
    assert AuditEvent.objects.filter(
        action="download", object_type="eforms.formattachment", object_id=str(attachment.pk)
    ).exists()


def test_the_pdf_has_every_answer_and_the_approval_and_is_audited(world, draft, signed_in_client):
    worker = verified(world.worker)
    services.submission_save(actor=worker, submission=draft, answers=COMPLETE_ANSWERS)
    sent = services.submission_submit(actor=worker, submission=draft)
    work_services.work_item_authorise(
        actor=world.manager, item=WorkItem.objects.get(pk=sent.work_item_id), comment="Agreed"
    )
    client = signed_in_client(user=world.manager)
    response = client.get(reverse("eforms:submission-pdf", args=[sent.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Test visit record",
        "Olivia Owncase",
        "3 November 2026",
        "Child in need plan",
        "People in the household",
        "Parent One",
        "Approved by",
        world.manager.display_name,
        "Agreed",
    ):
        assert expected in text, expected
    assert reader.metadata.title == f"Test visit record: {world.own.full_name}"
    assert AuditEvent.objects.filter(
        action="download", object_id=str(sent.pk), actor=world.manager
    ).exists()


def test_a_draft_cannot_be_printed_yet(world, draft, signed_in_client):
    client = signed_in_client(user=world.worker)
    response = client.get(reverse("eforms:submission-pdf", args=[draft.pk]))
    assert response.status_code == 302


def test_someone_without_access_gets_nothing(world, draft, signed_in_client):
    services.submission_save(
        actor=verified(world.worker), submission=draft, answers={"rooms": "secret"}
    )
    for user, status in ((world.outsider, 403), (world.auditor, 403)):
        client = signed_in_client(user=user)
        for route in ("eforms:submission", "eforms:submission-pdf", "eforms:amend"):
            response = client.get(reverse(route, args=[draft.pk]))
            assert response.status_code == status, (user, route)
            assert b"secret" not in response.content
            assert world.own.full_name.encode() not in response.content
        response = client.post(reverse("eforms:autosave", args=[draft.pk]), {"q-rooms": "x"})
        assert response.status_code == 403
        api = client.get(f"/api/v1/forms/{draft.pk}")
        assert api.status_code == 403
        assert b"secret" not in api.content
    draft.refresh_from_db()
    assert draft.answers["rooms"] == "secret"
    assert AuditEvent.objects.filter(
        action="access_denied", actor=world.outsider, object_id=str(draft.pk)
    ).exists()
    # a restricted person's forms do not exist for anyone outside the group
    hidden = services.submission_start(
        actor=verified(world.group_member), person=world.restricted, version=draft.version
    )
    client = signed_in_client(user=world.worker)
    assert client.get(reverse("eforms:submission", args=[hidden.pk])).status_code == 404
    assert client.get(f"/api/v1/forms/{hidden.pk}").status_code == 404


def test_a_colleague_may_read_but_not_change_someone_elses_draft(world, draft):
    colleague = verified(world.colleague)
    assert selectors.submission_get(user=colleague, submission_id=draft.pk) == draft
    with pytest.raises(PermissionDenied):
        services.submission_save(actor=colleague, submission=draft, answers={"rooms": "1"})


def test_every_read_and_write_is_audited(world, visit_form, signed_in_client):
    client = signed_in_client(user=world.worker)
    response = client.post(
        reverse("eforms:start", args=[world.own.pk]), {"version": str(visit_form.pk)}
    )
    submission = FormSubmission.objects.get(person=world.own)
    assert response.url == reverse("eforms:submission", args=[submission.pk])
    client.get(response.url)
    client.post(reverse("eforms:autosave", args=[submission.pk]), {"q-rooms": "2"})
    events = list(
        AuditEvent.objects.filter(
            object_type="eforms.formsubmission", object_id=str(submission.pk)
        ).values_list("action", "changed_fields")
    )
    assert ("create", ["child_name"]) in events
    assert ("view", []) in events
    assert ("update", ["rooms"]) in events
    assert all(
        e.person_id == world.own.pk
        for e in AuditEvent.objects.filter(object_type="eforms.formsubmission")
    )


def test_my_unfinished_work_lists_drafts_and_returned_forms(world, draft, signed_in_client):
    client = signed_in_client(user=world.worker)
    page = client.get(reverse("eforms:unfinished")).content.decode()
    assert reverse("eforms:submission", args=[draft.pk]) in page
    my_work = client.get(reverse("work:my-work")).content.decode()
    assert "My unfinished work" in my_work
    assert reverse("eforms:submission", args=[draft.pk]) in my_work
    # not someone else's
    other = signed_in_client(user=world.colleague)
    assert (
        reverse("eforms:submission", args=[draft.pk])
        not in other.get(reverse("eforms:unfinished")).content.decode()
    )


def test_the_person_page_has_a_forms_tab(world, draft, signed_in_client):
    client = signed_in_client(user=world.worker)
    page = client.get(reverse("eforms:person-forms", args=[world.own.pk])).content.decode()
    assert "Test visit record" in page
    assert reverse("eforms:start", args=[world.own.pk]) in page
    person_page = client.get(reverse("people:person", args=[world.own.pk])).content.decode()
    assert reverse("eforms:person-forms", args=[world.own.pk]) in person_page


def test_a_person_question_must_name_someone_the_worker_may_see(world, visit_form):
    import copy

    from tests.eforms.conftest import VISIT_FORM

    data = copy.deepcopy(VISIT_FORM)
    data["code"] = "test-person-picker"
    data["sections"][0]["questions"].append(
        {"key": "sibling", "label": "Sibling", "type": "person"}
    )
    version = services.definition_load(actor=None, data=data)
    worker = verified(world.worker)
    submission = services.submission_start(actor=worker, person=world.own, version=version)
    answers = {**COMPLETE_ANSWERS, "sibling": str(world.restricted.la_number)}
    submission = services.submission_save(actor=worker, submission=submission, answers=answers)
    checked = services.submission_check(actor=worker, submission=submission)
    assert [p.anchor for p in checked.problems] == ["q-sibling"]
    submission = services.submission_save(
        actor=worker, submission=submission, answers={"sibling": str(world.other.la_number)}
    )
    assert services.submission_check(actor=worker, submission=submission).ok


def test_a_reassigned_form_goes_to_the_new_worker_to_finish(world, draft):
    worker = verified(world.worker)
    services.submission_save(actor=worker, submission=draft, answers=COMPLETE_ANSWERS)
    sent = services.submission_submit(actor=worker, submission=draft)
    item = WorkItem.objects.get(pk=sent.work_item_id)
    work_services.work_item_reassign(
        actor=world.manager, item=item, worker=world.colleague, comment="Worker is off sick"
    )
    sent.refresh_from_db()
    assert sent.status == "returned"
    assert sent.owner == world.colleague
    assert list(selectors.my_unfinished(user=verified(world.colleague))) == [sent]
    with pytest.raises(PermissionDenied):
        services.submission_save(actor=worker, submission=sent, answers={"rooms": "1"})
    services.submission_save(
        actor=verified(world.colleague), submission=sent, answers={"rooms": "1"}
    )
    again = services.submission_submit(actor=world.colleague, submission=sent)
    assert again.status == "awaiting_approval"
    assert again.work_item_id == item.pk


def test_an_autosave_after_the_form_was_sent_changes_nothing(world, draft, signed_in_client):
    worker = verified(world.worker)
    services.submission_save(actor=worker, submission=draft, answers=COMPLETE_ANSWERS)
    services.submission_submit(actor=worker, submission=draft)
    client = signed_in_client(user=world.worker)
    response = client.post(reverse("eforms:autosave", args=[draft.pk]), {"q-rooms": "9"})
    assert response.status_code == 200
    assert "can no longer be changed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers["rooms"] == "2"
