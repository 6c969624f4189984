"""Pages for filling in forms: a person's forms, starting one, the form itself (saved as it is
typed), the PDF, files, changes after approval, and the worker's unfinished forms."""

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kith.access.policy import RECORD_MODULES, Do, decide, user_modules
from kith.accounts.models import User
from kith.accounts.selectors import team_managers
from kith.core import codelists
from kith.core.formatting import format_datetime
from kith.core.pdf import pdf_download, render_pdf
from kith.core.views import forbidden
from kith.eforms import answers as answer_rules
from kith.eforms import selectors, services
from kith.eforms.models import FormSubmission
from kith.eforms.schema import DEFAULT_ACCEPT, DEFAULT_MAX_FILE_KB
from kith.people import selectors as people_selectors
from kith.people.pages import render_person_page
from kith.work import hooks


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied("Sign in first.")
    return request.user


def _person(request: HttpRequest, person_id: uuid.UUID, action: Do = Do.VIEW) -> Any:
    try:
        return people_selectors.person_get(user=request.user, person_id=person_id, action=action)
    except people_selectors.PersonNotFound as exc:
        raise Http404("No such person") from exc


def _submission(
    request: HttpRequest, submission_id: uuid.UUID, action: Do = Do.VIEW
) -> FormSubmission:
    try:
        return selectors.submission_get(
            user=request.user, submission_id=submission_id, action=action
        )
    except selectors.SubmissionNotFound as exc:
        raise Http404("No such form") from exc


def _code_label(list_name: str, code: str) -> str:
    try:
        text = codelists.description(list_name, code)
    except (codelists.UnknownCode, codelists.UnknownCodeList):
        return code
    return f"{code} – {text}" if text else code


def _service_areas(user: Any) -> set[str]:
    modules = user_modules(user)
    return {area for area in ("children", "adults") if area in modules} or {"children", "adults"}


# --- A person's forms ---------------------------------------------------------------------------


@require_GET
def person_forms(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _person(request, person_id)
    except people_selectors.PersonMerged as merged:
        return HttpResponseRedirect(reverse("eforms:person-forms", args=[merged.survivor_id]))
    except people_selectors.RecordAccessDenied:
        return forbidden(request)
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="eforms/person_forms.jinja",
        tab="forms",
        context={
            "submissions": selectors.person_submissions(person=person),
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
        },
    )


class StartForm(forms.Form):
    version = forms.ChoiceField(label="Which form?", error_messages={"required": "Select a form"})

    def __init__(self, *args: Any, versions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = versions  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _person(request, person_id, Do.EDIT)
    except (people_selectors.PersonMerged, people_selectors.RecordAccessDenied):
        return forbidden(request)
    versions = selectors.published_versions(service_areas=_service_areas(request.user))
    form = StartForm(request.POST or None, versions=[(str(v.pk), v.title) for v in versions])
    if request.method == "POST" and form.is_valid():
        version = next(v for v in versions if str(v.pk) == form.cleaned_data["version"])
        try:
            with transaction.atomic():
                submission = services.submission_start(
                    actor=_actor(request), person=person, version=version
                )
        except PermissionDenied:
            return forbidden(request)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return HttpResponseRedirect(reverse("eforms:submission", args=[submission.pk]))
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="eforms/start.jinja",
        tab="forms",
        context={
            "page_title": f"Start a form – {person.full_name}",
            "form": form,
            "versions": versions,
            "page_has_errors": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def unfinished(request: HttpRequest) -> HttpResponse:
    if not user_modules(request.user) & RECORD_MODULES:
        return forbidden(request)
    return render(
        request,
        "eforms/unfinished.jinja",
        {
            "page_title": "My unfinished work",
            "submissions": list(selectors.my_unfinished(user=request.user)),
            "others": hooks.unfinished(user=request.user),
        },
    )


# --- The form page ------------------------------------------------------------------------------


@dataclass
class Item:
    """One question as the page shows it."""

    q: dict[str, Any]
    name: str
    value: Any = None
    error: str = ""
    prefilled: str = ""
    shown: bool = True
    condition: str = ""  # data-show-if for the page's script
    display: str = ""
    rows: list[list["Item"]] = field(default_factory=list)
    attachments: list[Any] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)


def _condition_attr(q: dict[str, Any], group: str | None, row: int | None) -> str:
    condition = q.get("show_if")
    if not condition:
        return ""
    target = condition["question"]
    # Inside a repeating group, a condition on the group's own question names that row's field.
    return json.dumps({**condition, "field": target, "group": group, "row": row})


def _options(q: dict[str, Any]) -> list[tuple[str, str]]:
    if q["type"] in {"single_choice", "multiple_choice"}:
        return [(o["value"], o["label"]) for o in q["options"]]
    if q["type"] == "code_list":
        try:
            return codelists.choices(q["code_list"])
        except codelists.UnknownCodeList:
            return []
    return []


def _items(
    submission: FormSubmission,
    answers: dict[str, Any],
    errors: dict[str, str],
    attachments: list[Any],
) -> list[tuple[dict[str, Any], list[Item]]]:
    schema = submission.version.schema
    questions = {q["key"]: q for s in schema["sections"] for q in s["questions"]}
    sections = []
    for section in schema["sections"]:
        items = []
        for q in section["questions"]:
            value = answers.get(q["key"])
            name = answer_rules.field_id(q["key"])
            anchor = name + ("-day" if q["type"] == "date" else "")
            item = Item(
                q=q,
                name=name,
                value=value,
                error=errors.get(anchor, ""),
                prefilled=submission.prefilled.get(q["key"], ""),
                shown=answer_rules.is_shown(q, answers, questions),
                condition=_condition_attr(q, None, None),
                display=answer_rules.display(q, value, _code_label),
                options=_options(q),
                attachments=[a for a in attachments if a.question_key == q["key"]],
            )
            if q["type"] == "repeating":
                inner = {sub["key"]: sub for sub in q["questions"]}
                for n, row in enumerate(value or []):
                    scope = {**answers, **row}
                    row_items = []
                    for sub in q["questions"]:
                        sub_name = answer_rules.field_id(sub["key"], q["key"], n)
                        sub_anchor = sub_name + ("-day" if sub["type"] == "date" else "")
                        row_items.append(
                            Item(
                                q=sub,
                                name=sub_name,
                                value=row.get(sub["key"]),
                                error=errors.get(sub_anchor, ""),
                                shown=answer_rules.is_shown(sub, scope, {**questions, **inner}),
                                condition=_condition_attr(
                                    sub,
                                    q["key"]
                                    if sub.get("show_if", {}).get("question") in inner
                                    else None,
                                    n,
                                ),
                                display=answer_rules.display(sub, row.get(sub["key"]), _code_label),
                                options=_options(sub),
                            )
                        )
                    item.rows.append(row_items)
            items.append(item)
        sections.append((section, items))
    return sections


def _may_decide(user: Any, submission: FormSubmission) -> bool:
    item = submission.work_item
    return (
        submission.status == FormSubmission.Status.AWAITING_APPROVAL
        and item is not None
        and user in team_managers(team_ids={item.team_id})
        and item.worker_id != getattr(user, "pk", None)
    )


def _render_submission(
    request: HttpRequest,
    submission: FormSubmission,
    *,
    answers: dict[str, Any] | None = None,
    problems: list[answer_rules.Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    person = submission.person
    actor = request.user
    editable = (
        submission.is_editable
        and submission.owner_id == getattr(actor, "pk", None)
        and decide(actor, person.pk, Do.EDIT).allowed
    )
    attachments = selectors.submission_attachments(submission=submission)
    errors = {p.anchor: p.message for p in problems or []}
    return render_person_page(
        request,
        person=person,
        decision=None,
        template="eforms/submission.jinja" if editable else "eforms/submission_view.jinja",
        tab="forms",
        context={
            "page_title": f"{submission.version.title} – {person.full_name}",
            "submission": submission,
            "sections": _items(
                submission,
                answers if answers is not None else submission.answers,
                errors,
                attachments,
            ),
            "problems": problems or [],
            "page_has_errors": bool(problems),
            "history": selectors.submission_history(submission=submission),
            "may_decide": _may_decide(actor, submission),
            "may_amend": submission.is_locked and decide(actor, person.pk, Do.EDIT).allowed,
            "default_accept": DEFAULT_ACCEPT,
            "default_max_kb": DEFAULT_MAX_FILE_KB,
        },
        status=status,
    )


def _upload_files(request: HttpRequest, submission: FormSubmission) -> list[answer_rules.Problem]:
    problems = []
    for q in submission.version.schema.get("sections", []):
        for question in q["questions"]:
            if question["type"] != "file":
                continue
            name = answer_rules.field_id(question["key"])
            for upload in request.FILES.getlist(name):
                try:
                    with transaction.atomic():
                        services.attachment_add(
                            actor=_actor(request),
                            submission=submission,
                            question_key=question["key"],
                            upload=upload,
                        )
                except ValidationError as exc:
                    problems.append(answer_rules.Problem(name, " ".join(exc.messages)))
    return problems


@require_http_methods(["GET", "POST"])
def submission(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    try:
        found = _submission(request, submission_id)
    except PermissionDenied:
        return forbidden(request)
    if request.method == "GET":
        return _render_submission(request, found)
    action = request.POST.get("action", "save")
    answers = answer_rules.from_post(found.version.schema, request.POST)
    if action.startswith(("add-row:", "remove-row:")):
        _, key, *rest = action.split(":")
        rows = list(answers.get(key, found.answers.get(key, [])) or [])
        if action.startswith("add-row:"):
            rows.append({})
        elif rest and rest[0].isdigit() and int(rest[0]) < len(rows):
            rows.pop(int(rest[0]))
        answers[key] = rows
    try:
        with transaction.atomic():
            found = services.submission_save(
                actor=_actor(request), submission=found, answers=answers
            )
    except PermissionDenied:
        return forbidden(request)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("eforms:submission", args=[found.pk]))
    problems = _upload_files(request, found)
    if problems:
        return _render_submission(request, found, problems=problems, status=400)
    if action == "submit":
        try:
            with transaction.atomic():
                found = services.submission_submit(actor=_actor(request), submission=found)
        except services.SubmissionIncomplete as incomplete:
            return _render_submission(
                request, found, problems=incomplete.checked.problems, status=400
            )
        except ValidationError as exc:
            messages.warning(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                "Sent to your manager for approval."
                if found.status == FormSubmission.Status.AWAITING_APPROVAL
                else "The form is complete.",
            )
        return HttpResponseRedirect(reverse("eforms:submission", args=[found.pk]))
    if action == "save":
        messages.success(request, "Your draft is saved.")
    anchor = ""
    if action.startswith("add-row:"):
        key = action.split(":")[1]
        anchor = f"#{answer_rules.field_id(key)}"
    return HttpResponseRedirect(reverse("eforms:submission", args=[found.pk]) + anchor)


@require_POST
def autosave(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    """Save what is on the page as it is typed (htmx); answers with the time it was saved."""
    try:
        found = _submission(request, submission_id)
        with transaction.atomic():
            found = services.submission_save(
                actor=_actor(request),
                submission=found,
                answers=answer_rules.from_post(found.version.schema, request.POST),
                rows_fixed=True,
            )
    except services.StalePage:
        # Sent as an "Add"/"Remove" row button was pressed, which posted the same answers.
        return HttpResponse('<span data-testid="autosave-stale">The page has changed.</span>')
    except PermissionDenied:
        return HttpResponse("You cannot change this form.", status=403)
    except ValidationError as exc:
        # Sent (or approved) meanwhile, e.g. a save fired as "Send" was pressed, which carried
        # the same answers: nothing more to save, and nothing for the page to treat as failed.
        return HttpResponse(
            format_html('<span data-testid="autosave-closed">{}</span>', " ".join(exc.messages))
        )
    saved = timezone.localtime(found.last_saved_at or timezone.now())
    return render(
        request,
        "eforms/_autosave_status.jinja",
        {"saved_at": saved, "saved_text": format_datetime(saved)},
    )


@require_GET
def submission_pdf(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    try:
        found = _submission(request, submission_id)
    except PermissionDenied:
        return forbidden(request)
    if not found.is_locked and found.status != FormSubmission.Status.AWAITING_APPROVAL:
        messages.warning(request, "A form can be printed once it has been sent.")
        return HttpResponseRedirect(reverse("eforms:submission", args=[found.pk]))
    attachments = selectors.submission_attachments(submission=found)
    pdf = render_pdf(
        "eforms/submission_pdf.jinja",
        {
            "submission": found,
            "person": found.person,
            "sections": _items(found, found.answers, {}, attachments),
        },
        title=f"{found.version.title}: {found.person.full_name}",
        request=request,
    )
    services.submission_downloaded(actor=_actor(request), submission=found)
    return pdf_download(
        pdf, f"{found.version.definition.code}-{found.person.la_number}-r{found.revision}.pdf"
    )


@require_GET
def attachment(
    request: HttpRequest, submission_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponse | FileResponse:
    try:
        found = _submission(request, submission_id)
    except PermissionDenied:
        return forbidden(request)
    file = selectors.attachment_get(submission=found, attachment_id=attachment_id)
    if file is None:
        raise Http404("No such file")
    services.attachment_downloaded(actor=_actor(request), attachment=file)
    response = FileResponse(file.file.open("rb"), as_attachment=True, filename=file.filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class AmendForm(forms.Form):
    reason = forms.CharField(
        label="Why does the form need to change?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Give the reason for the change"},
    )


@require_http_methods(["GET", "POST"])
def amend(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    try:
        found = _submission(request, submission_id, Do.EDIT)
    except PermissionDenied:
        return forbidden(request)
    form = AmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                amended = services.submission_amend(
                    actor=_actor(request), submission=found, reason=form.cleaned_data["reason"]
                )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return HttpResponseRedirect(reverse("eforms:submission", args=[amended.pk]))
    return render_person_page(
        request,
        person=found.person,
        decision=None,
        template="people/person_form.jinja",
        tab="forms",
        context={
            "page_title": f"Change {found.version.title} – {found.person.full_name}",
            "form": form,
            "form_title": f"Change {found.version.title}",
            "cancel_url": reverse("eforms:submission", args=[found.pk]),
            "submit_text": "Start the change",
            "page_has_errors": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )
