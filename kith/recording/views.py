"""Pages for case notes and visits on a person's record: the Notes and Visits tabs, forms to
add, correct and delete notes and to plan and record visits, a note's page, and the notes as
PDF. Every read goes through ``people.selectors.person_get`` and the recording selectors."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kith.access.policy import Decision, Do, decide
from kith.accounts.models import User
from kith.audit.models import Action
from kith.core.formatting import format_date, format_datetime
from kith.core.forms import KithForm, add_validation_errors
from kith.core.pdf import pdf_download, render_pdf
from kith.core.views import forbidden
from kith.people import selectors as people_selectors
from kith.people.models import Person
from kith.people.pages import render_person_page
from kith.recording import selectors, services, services_drafts
from kith.recording.forms import (
    AmendForm,
    CorrectionForm,
    DeletionForm,
    NoteFilterForm,
    NoteForm,
    VisitPlanForm,
    VisitRecordForm,
    yes_no,
)

FILTER_FIELDS = (
    "type",
    "significant",
    "date_from-day",
    "date_from-month",
    "date_from-year",
    "date_to-day",
    "date_to-month",
    "date_to-year",
)


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied("Sign in first.")
    return request.user


def _open(request: HttpRequest, person_id: uuid.UUID, action: Do = Do.VIEW) -> Any:
    """The person and the decision; a refusal is returned (its audit entry commits)."""
    try:
        return people_selectors.person_get(user=request.user, person_id=person_id, action=action)
    except people_selectors.PersonNotFound as exc:
        raise Http404("No such person") from exc
    except people_selectors.PersonMerged as merged:
        raise _Refused(
            HttpResponseRedirect(reverse("recording:notes", args=[merged.survivor_id]))
        ) from merged
    except people_selectors.RecordAccessDenied as denied:
        raise _Refused(forbidden(request)) from denied


def _people_choices(people: list[Person]) -> list[tuple[str, str]]:
    return [
        (
            str(p.pk),
            p.full_name + (f", born {format_date(p.date_of_birth)}" if p.date_of_birth else ""),
        )
        for p in people
    ]


# --- Notes tab ---


@dataclass
class Filters:
    form: NoteFilterForm
    types: set[str] | None
    significant: bool
    date_from: dt.date | None
    date_to: dt.date | None

    def describe(self) -> list[str]:
        described = []
        if self.types:
            labels = {t.code: t.name for t in selectors.note_type_list()}
            described.append(", ".join(labels.get(c, c) for c in sorted(self.types)))
        if self.significant:
            described.append("significant events only")
        if self.date_from:
            described.append(f"from {format_date(self.date_from)}")
        if self.date_to:
            described.append(f"up to {format_date(self.date_to)}")
        return described


def _filters(request: HttpRequest) -> Filters:
    types = [(t.code, t.name) for t in selectors.note_type_list()]
    bound = any(name in request.GET for name in FILTER_FIELDS)
    form = NoteFilterForm(request.GET if bound else None, types=types)
    if not bound:
        return Filters(form, None, False, None, None)
    form.is_valid()
    data = form.cleaned_data
    return Filters(
        form,
        set(data.get("type") or []) or None,
        bool(data.get("significant")),
        data.get("date_from"),
        data.get("date_to"),
    )


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _notes_found(
    request: HttpRequest, person: Person, decision: Decision, filters: Filters, **paging: Any
) -> selectors.NotesPage:
    """The person's notes as the Notes tab's filters choose them (the tab and its PDF)."""
    return selectors.person_notes(
        user=request.user,
        person=person,
        decision=decision,
        types=filters.types,
        significant_only=filters.significant,
        date_from=filters.date_from,
        date_to=filters.date_to,
        **paging,
    )


@require_GET
def notes(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id)
    except _Refused as refused:
        return refused.response
    filters = _filters(request)
    found = _notes_found(request, person, decision, filters, page=_page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    pdf_url = reverse("recording:notes-pdf", args=[person.pk])
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="recording/person_notes.jinja",
        tab="notes",
        context={
            "page_title": f"Notes – {person.full_name}",
            "page_has_errors": bool(filters.form.errors),
            "form": filters.form,
            "found": found,
            "filters": filters.describe(),
            "query": query.urlencode(),
            "pdf_url": f"{pdf_url}?{query.urlencode()}" if query else pdf_url,
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
            "printed_at": timezone.now(),
            "my_drafts": selectors.my_note_drafts(user=request.user, person=person),
        },
    )


@require_GET
def notes_pdf(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id)
    except _Refused as refused:
        return refused.response
    filters = _filters(request)
    found = _notes_found(request, person, decision, filters, page_size=0, action=Action.DOWNLOAD)
    pdf = render_pdf(
        "recording/notes_pdf.jinja",
        {"person": person, "notes": found.notes, "filters": filters.describe()},
        title=f"Case notes: {person.full_name}",
        request=request,
    )
    return pdf_download(pdf, f"case-notes-{person.la_number}.pdf")


def _note_types(request: HttpRequest, person: Person) -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in selectors.note_types(user=request.user, person=person)]


def _draft_values(request: HttpRequest) -> services_drafts.DraftValues:
    """What the note page holds, as typed."""
    post = request.POST
    return services_drafts.DraftValues(
        note_type_code=post.get("note_type", ""),
        event_day=post.get("event_date-day", ""),
        event_month=post.get("event_date-month", ""),
        event_year=post.get("event_date-year", ""),
        narrative=post.get("narrative", ""),
        significant=bool(post.get("significant")),
        pinned=bool(post.get("pinned")),
        also_for=post.getlist("also_for"),
    )


def _draft_id(request: HttpRequest) -> uuid.UUID:
    """The draft's id, chosen by the page when it was shown (a new one if none was sent)."""
    if not request.POST.get("draft"):
        return uuid.uuid4()
    try:
        return uuid.UUID(request.POST["draft"])
    except ValueError as exc:
        raise Http404("No such draft") from exc


@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """A new note: saved as a draft on the server as it is typed (the page chooses the
    draft's id), then finished."""
    return _note_editor(request, person_id, None)


@require_http_methods(["GET", "POST"])
def note_draft(request: HttpRequest, person_id: uuid.UUID, draft_id: uuid.UUID) -> HttpResponse:
    """Carry on writing a draft (after a sign-out, from My unfinished work)."""
    return _note_editor(request, person_id, draft_id)


def _note_editor(
    request: HttpRequest, person_id: uuid.UUID, draft_id: uuid.UUID | None
) -> HttpResponse:
    try:
        person, decision = _open(request, person_id, Do.EDIT)
    except _Refused as refused:
        return refused.response
    draft = None
    if draft_id is not None:
        draft = selectors.note_draft_get(user=request.user, person=person, draft_id=draft_id)
        if draft is None:
            raise Http404("No such draft")
    group = selectors.group_choices(user=request.user, person=person)
    types = selectors.note_types(user=request.user, person=person)
    if draft is not None:
        initial: dict[str, Any] = {
            "note_type": draft.note_type_code,
            "event_date": (draft.event_day, draft.event_month, draft.event_year),
            "narrative": draft.narrative,
            "significant": draft.significant,
            "pinned": draft.pinned,
            "also_for": draft.also_for,
        }
    else:
        initial = {"event_date": timezone.localdate()}
    form = NoteForm(
        request.POST or None,
        types=[(t.code, t.name) for t in types],
        people=_people_choices(group),
        initial=initial,
    )
    chosen_id = draft.pk if draft is not None else uuid.uuid4()
    if request.method == "POST":
        chosen_id = draft.pk if draft is not None else _draft_id(request)
        actor = _actor(request)
        try:
            with transaction.atomic():
                draft = services_drafts.note_draft_save(
                    actor=actor, person=person, draft_id=chosen_id, values=_draft_values(request)
                )
        except PermissionDenied:
            return forbidden(request)
        except services_drafts.DraftClosed as closed:
            messages.info(request, closed.messages[0] + ".")
            return HttpResponseRedirect(reverse("recording:notes", args=[person.pk]))
        if request.POST.get("action") == "save" and draft is not None:
            messages.success(request, "Your draft is saved. Find it under My unfinished work.")
            return HttpResponseRedirect(reverse("recording:note-draft", args=[person.pk, draft.pk]))
        if form.is_valid() and draft is not None:
            try:
                with transaction.atomic():
                    created = services_drafts.note_draft_finish(
                        actor=actor, draft=draft, note_types=types, also_for=group
                    )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                others = len(created) - 1
                text = (
                    "Note added"
                    + (f" for {person.full_name} and {others} more" if others else "")
                    + "."
                )
                if created[0].note_type.needs_approval:
                    text += " It is waiting for your manager's authorisation."
                messages.success(request, text)
                return HttpResponseRedirect(reverse("recording:notes", args=[person.pk]))
    others_drafts = [
        d for d in selectors.my_note_drafts(user=request.user, person=person) if d.pk != chosen_id
    ]
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="recording/note_form.jinja",
        tab="notes",
        context={
            "page_title": f"Add a note – {person.full_name}",
            "form": form,
            "draft": draft,
            "draft_id": chosen_id,
            "other_drafts": others_drafts,
            "approval_types": [t.name for t in types if t.needs_approval],
            "page_has_errors": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def note_autosave(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Save the note page as it is typed (htmx); answers with the time it was saved, and
    points the browser's address at the draft so a reload finds it."""
    try:
        person, _decision = _open(request, person_id, Do.EDIT)
    except _Refused:
        return HttpResponse("You cannot add notes to this person's record.", status=403)
    try:
        with transaction.atomic():
            draft = services_drafts.note_draft_save(
                actor=_actor(request),
                person=person,
                draft_id=_draft_id(request),
                values=_draft_values(request),
            )
    except PermissionDenied:
        return HttpResponse("You cannot change this draft.", status=403)
    except services_drafts.DraftClosed as closed:
        # Finished (or discarded) meanwhile, e.g. a save fired as "Save note" was pressed,
        # which carried the same text: nothing more to save.
        return HttpResponse(
            format_html('<span data-testid="note-autosave-closed">{}</span>', closed.messages[0])
        )
    if draft is None:
        return HttpResponse("")
    saved = timezone.localtime(draft.last_saved_at)
    response = render(
        request,
        "recording/_autosave_status.jinja",
        {"saved_at": saved, "saved_text": format_datetime(saved)},
    )
    response["HX-Replace-Url"] = reverse("recording:note-draft", args=[person.pk, draft.pk])
    return response


@require_http_methods(["GET", "POST"])
def note_draft_discard(
    request: HttpRequest, person_id: uuid.UUID, draft_id: uuid.UUID
) -> HttpResponse:
    try:
        person, decision = _open(request, person_id, Do.EDIT)
    except _Refused as refused:
        return refused.response
    draft = selectors.note_draft_get(user=request.user, person=person, draft_id=draft_id)
    if draft is None:
        raise Http404("No such draft")
    form = KithForm(request.POST or None)
    if request.method == "POST":
        with transaction.atomic():
            services_drafts.note_draft_discard(actor=_actor(request), draft=draft)
        messages.success(request, "Draft discarded.")
        return HttpResponseRedirect(reverse("recording:notes", args=[person.pk]))
    return _form_page(
        request,
        person,
        decision,
        form,
        tab="notes",
        title="Discard this draft note",
        submit="Discard draft",
        cancel=reverse("recording:note-draft", args=[person.pk, draft.pk]),
        intro="The draft was never on the record. Once discarded it cannot be brought back.",
    )


def _form_page(
    request: HttpRequest,
    person: Person,
    decision: Decision,
    form: Any,
    *,
    tab: str,
    title: str,
    submit: str,
    cancel: str,
    intro: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="recording/form.jinja",
        tab=tab,
        context={
            "page_title": f"{title} – {person.full_name}",
            "form": form,
            "form_title": title,
            "form_intro": intro,
            "submit_text": submit,
            "cancel_url": cancel,
            "page_has_errors": bool(form.errors),
            **(extra or {}),
        },
        status=400 if form.errors else 200,
    )


def _thread_or_404(
    request: HttpRequest,
    person: Person,
    decision: Decision,
    note_id: uuid.UUID,
    action: Action = Action.VIEW,
) -> selectors.NoteThread:
    thread = selectors.note_get(
        user=request.user, person=person, thread_id=note_id, decision=decision, action=action
    )
    if thread is None:
        raise Http404("No such note")
    return thread


@require_GET
def note_detail(request: HttpRequest, person_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id)
    except _Refused as refused:
        return refused.response
    thread = _thread_or_404(request, person, decision, note_id)
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="recording/note.jinja",
        tab="notes",
        context={
            "page_title": f"{thread.current.note_type.name} – {person.full_name}",
            "thread": thread,
            "note": thread.current,
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
            "may_decide": selectors.may_decide(user=request.user, approval=thread.approval),
            "printed_at": timezone.now(),
        },
    )


@require_GET
def note_pdf(request: HttpRequest, person_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id)
    except _Refused as refused:
        return refused.response
    thread = _thread_or_404(request, person, decision, note_id, Action.DOWNLOAD)
    pdf = render_pdf(
        "recording/note_pdf.jinja",
        {"person": person, "thread": thread, "note": thread.current},
        title=f"{thread.current.note_type.name}: {person.full_name}",
        request=request,
    )
    return pdf_download(pdf, f"case-note-{person.la_number}-{thread.current.event_date}.pdf")


@require_http_methods(["GET", "POST"])
def note_correct(request: HttpRequest, person_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id, Do.EDIT)
    except _Refused as refused:
        return refused.response
    thread = _thread_or_404(request, person, decision, note_id)
    note = thread.current
    if note.is_deleted:
        raise Http404("This note was deleted")
    form = CorrectionForm(
        request.POST or None,
        initial={
            "narrative": note.narrative,
            "event_date": note.event_date,
            "significant": note.significant,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                rows = services.note_correct(
                    actor=_actor(request),
                    note=note,
                    narrative=data["narrative"],
                    event_date=data["event_date"],
                    significant=data["significant"],
                    reason=data["reason"],
                    requested_by=data["requested_by"],
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Note corrected" + (f" for all {len(rows)} people" if len(rows) > 1 else "") + ".",
            )
            return HttpResponseRedirect(reverse("recording:note", args=[person.pk, note.thread_id]))
    intro = "The note as it was stays on the record, with your reason."
    if thread.group:
        intro += (
            f" This note was recorded for {len(thread.group) + 1} people: the correction "
            "applies to all of them."
        )
    return _form_page(
        request,
        person,
        decision,
        form,
        tab="notes",
        title="Correct a note",
        submit="Save correction",
        cancel=reverse("recording:note", args=[person.pk, note.thread_id]),
        intro=intro,
    )


@require_http_methods(["GET", "POST"])
def note_delete(request: HttpRequest, person_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id, Do.EDIT)
    except _Refused as refused:
        return refused.response
    thread = _thread_or_404(request, person, decision, note_id)
    note = thread.current
    if note.is_deleted:
        raise Http404("This note was already deleted")
    form = DeletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.note_delete(
                    actor=_actor(request),
                    note=note,
                    reason=form.cleaned_data["reason"],
                    requested_by=form.cleaned_data["requested_by"],
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Note deleted. Managers can still see it and why.")
            return HttpResponseRedirect(reverse("recording:notes", args=[person.pk]))
    return _form_page(
        request,
        person,
        decision,
        form,
        tab="notes",
        title="Delete a note",
        submit="Delete note",
        cancel=reverse("recording:note", args=[person.pk, note.thread_id]),
        intro="The note leaves the record. It is not destroyed: managers can still see it, "
        "with your reason.",
    )


@require_http_methods(["GET", "POST"])
def note_amend(request: HttpRequest, person_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    """Amend a note a manager returned with comments, and send it for authorisation again."""
    try:
        person, decision = _open(request, person_id, Do.EDIT)
    except _Refused as refused:
        return refused.response
    thread = _thread_or_404(request, person, decision, note_id)
    note = thread.current
    approval = thread.approval
    if note.is_deleted or approval is None or approval.status != "returned":
        messages.warning(request, "Only a note returned with comments is amended.")
        return HttpResponseRedirect(reverse("recording:note", args=[person.pk, note.thread_id]))
    form = AmendForm(
        request.POST or None,
        initial={
            "narrative": note.narrative,
            "event_date": note.event_date,
            "significant": note.significant,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.note_amend(
                    actor=_actor(request),
                    note=note,
                    narrative=data["narrative"],
                    event_date=data["event_date"],
                    significant=data["significant"],
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Note amended and sent to your manager again.")
            return HttpResponseRedirect(reverse("recording:note", args=[person.pk, note.thread_id]))
    by = approval.decided_by.display_name if approval.decided_by else "Your manager"
    return _form_page(
        request,
        person,
        decision,
        form,
        tab="notes",
        title="Amend a returned note",
        submit="Send for authorisation again",
        cancel=reverse("recording:note", args=[person.pk, note.thread_id]),
        intro=f"{by} returned this note: {approval.decision_comment} The note as it was "
        "stays in its history.",
    )


@require_POST
def note_pin(request: HttpRequest, person_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id, Do.EDIT)
    except _Refused as refused:
        return refused.response
    thread = _thread_or_404(request, person, decision, note_id)
    pinned = request.POST.get("pinned") == "yes"
    try:
        services.note_pin(actor=_actor(request), note=thread.current, pinned=pinned)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Note pinned." if pinned else "Note unpinned.")
    return HttpResponseRedirect(
        reverse("recording:note", args=[person.pk, thread.current.thread_id])
    )


# --- Visits ---


@require_GET
def visits(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id)
    except _Refused as refused:
        return refused.response
    planned, done = selectors.person_visits(user=request.user, person=person, decision=decision)
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="recording/person_visits.jinja",
        tab="visits",
        context={
            "page_title": f"Visits – {person.full_name}",
            "planned": planned,
            "done": done,
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
        },
    )


def _visit_types() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in selectors.visit_types()]


def _visit_type(code: str) -> Any:
    return next(t for t in selectors.visit_types() if t.code == code)


@require_http_methods(["GET", "POST"])
def visit_plan(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id, Do.EDIT)
    except _Refused as refused:
        return refused.response
    form = VisitPlanForm(request.POST or None, types=_visit_types())
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                visit = services.visit_plan(
                    actor=_actor(request),
                    person=person,
                    visit_type=_visit_type(form.cleaned_data["visit_type"]),
                    planned_date=form.cleaned_data["planned_date"],
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            assert visit.planned_date is not None
            messages.success(request, f"Visit planned for {format_date(visit.planned_date)}.")
            return HttpResponseRedirect(reverse("recording:visits", args=[person.pk]))
    return _form_page(
        request,
        person,
        decision,
        form,
        tab="visits",
        title="Plan a visit",
        submit="Plan visit",
        cancel=reverse("recording:visits", args=[person.pk]),
    )


@require_http_methods(["GET", "POST"])
def visit_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id, Do.EDIT)
    except _Refused as refused:
        return refused.response
    planned = None
    planned_id = request.GET.get("planned") or request.POST.get("planned")
    if planned_id:
        view = selectors.visit_get(
            user=request.user, person=person, visit_id=planned_id, audit=False
        )
        if view is None or view.visit.is_recorded:
            raise Http404("No such planned visit")
        planned = view.visit
    present = selectors.present_choices(user=request.user, person=person)
    today = timezone.localdate()
    form = VisitRecordForm(
        request.POST or None,
        types=_visit_types(),
        people=_people_choices(present),
        child=services.is_child_on(person, today),
        initial={
            "visit_type": planned.visit_type.code if planned else "",
            "actual_date": (
                planned.planned_date
                if planned and planned.planned_date and planned.planned_date <= today
                else today
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = set(data.get("present_people") or [])
        try:
            with transaction.atomic():
                _visit, following = services.visit_record(
                    actor=_actor(request),
                    person=person,
                    visit_type=_visit_type(data["visit_type"]),
                    actual_date=data["actual_date"],
                    seen=yes_no(data["seen"]),
                    seen_alone=yes_no(data.get("seen_alone")),
                    bedroom_seen=yes_no(data.get("bedroom_seen")),
                    present=data.get("present", ""),
                    present_people=[p for p in present if str(p.pk) in chosen],
                    notes=data.get("notes", ""),
                    planned=planned,
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            text = "Visit recorded."
            if following is not None and following.due_date:
                text += (
                    f" The next {following.item_type.name.lower()} is due by "
                    f"{format_date(following.due_date)}."
                )
            messages.success(request, text)
            return HttpResponseRedirect(reverse("recording:visits", args=[person.pk]))
    return _form_page(
        request,
        person,
        decision,
        form,
        tab="visits",
        title="Record a visit",
        submit="Save visit",
        cancel=reverse("recording:visits", args=[person.pk]),
        extra={"planned": planned},
    )


@require_GET
def visit_detail(request: HttpRequest, person_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id)
    except _Refused as refused:
        return refused.response
    view = selectors.visit_get(
        user=request.user, person=person, visit_id=visit_id, decision=decision
    )
    if view is None:
        raise Http404("No such visit")
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="recording/visit.jinja",
        tab="visits",
        context={
            "page_title": f"{view.visit.visit_type.name} – {person.full_name}",
            "view": view,
            "visit": view.visit,
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
        },
    )
