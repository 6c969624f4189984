"""Forms in the JSON API (/api/v1/): definitions, and a person's submissions (start a draft,
save answers, send). Added to the API in kith/api/v1.py; calls selectors and services only."""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kith.access.policy import RECORD_MODULES, Do, user_modules
from kith.eforms import selectors, services
from kith.eforms.models import FormSubmission, FormVersion
from kith.people import selectors as people

router = Router(tags=["forms"])


class ErrorOut(Schema):
    detail: str


class ProblemOut(Schema):
    field: str
    message: str


class IncompleteOut(Schema):
    detail: str
    problems: list[ProblemOut]


class FormDefinitionOut(Schema):
    code: str
    title: str
    service_area: str
    version: int
    version_id: uuid.UUID
    needs_approval: bool


class FormDefinitionDetailOut(FormDefinitionOut):
    definition: dict[str, Any]


class SubmissionOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    form: str
    title: str
    version: int
    status: str
    revision: int
    owner: str
    created_at: dt.datetime
    last_saved_at: dt.datetime | None
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decided_by: str | None


class SubmissionDetailOut(SubmissionOut):
    answers: dict[str, Any]
    prefilled: dict[str, str]
    decision_comment: str
    amendment_reason: str


class StartIn(Schema):
    form: str


class AnswersIn(Schema):
    answers: dict[str, Any]


class SubmitIn(Schema):
    # The worker's confirmation, as on the page's "Send" button.
    confirm: bool


def _definition_out(version: FormVersion) -> dict[str, Any]:
    return {
        "code": version.definition.code,
        "title": version.title,
        "service_area": version.definition.service_area,
        "version": version.number,
        "version_id": version.pk,
        "needs_approval": version.needs_approval,
    }


def _submission_out(submission: FormSubmission, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": submission.pk,
        "person_id": submission.person_id,
        "form": submission.version.definition.code,
        "title": submission.version.title,
        "version": submission.version.number,
        "status": submission.status,
        "revision": submission.revision,
        "owner": submission.owner.display_name,
        "created_at": submission.created_at,
        "last_saved_at": submission.last_saved_at,
        "submitted_at": submission.submitted_at,
        "decided_at": submission.decided_at,
        "decided_by": submission.decided_by.display_name if submission.decided_by else None,
    }
    if detail:
        out |= {
            "answers": submission.answers,
            "prefilled": submission.prefilled,
            "decision_comment": submission.decision_comment,
            "amendment_reason": submission.amendment_reason,
        }
    return out


def _require_records(request: HttpRequest) -> None:
    if not user_modules(request.user) & RECORD_MODULES:
        raise PermissionDenied("Your role does not give access to people's records.")


def _submission(request: HttpRequest, submission_id: uuid.UUID, action: Do) -> FormSubmission:
    try:
        return selectors.submission_get(
            user=request.user, submission_id=submission_id, action=action
        )
    except selectors.SubmissionNotFound as exc:
        raise HttpError(404, "Not found") from exc


@router.get(
    "/form-definitions",
    response=list[FormDefinitionOut],
    summary="The forms in use (the published version of each)",
)
def form_definitions(request: HttpRequest) -> Any:
    _require_records(request)
    return [_definition_out(v) for v in selectors.published_versions()]


@router.get(
    "/form-definitions/{code}",
    response={200: FormDefinitionDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="A form's published version, with its sections and questions",
)
def form_definition(request: HttpRequest, code: str) -> Any:
    _require_records(request)
    definition = selectors.definition_by_code(code=code)
    version = selectors.published_version(definition=definition) if definition else None
    if version is None:
        raise HttpError(404, "Not found")
    return {**_definition_out(version), "definition": version.schema}


@router.get(
    "/people/{person_id}/forms",
    response={200: list[SubmissionOut], 403: ErrorOut, 404: ErrorOut},
    summary="A person's forms, newest first",
)
def person_forms(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id)
    return [_submission_out(s) for s in selectors.person_submissions(person=person)]


@router.post(
    "/people/{person_id}/forms",
    response={201: SubmissionDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Start a form for a person: a draft, pre-filled from what Kith knows",
)
def form_start(request: HttpRequest, person_id: uuid.UUID, payload: StartIn) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    definition = selectors.definition_by_code(code=payload.form)
    version = selectors.published_version(definition=definition) if definition else None
    if version is None:
        raise ValidationError(f"form: no published form '{payload.form}'")
    submission = services.submission_start(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        version=version,
    )
    return Status(201, _submission_out(submission, detail=True))


@router.get(
    "/forms/{submission_id}",
    response={200: SubmissionDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="A form with its answers",
)
def form_read(request: HttpRequest, submission_id: uuid.UUID) -> Any:
    return _submission_out(_submission(request, submission_id, Do.VIEW), detail=True)


@router.patch(
    "/forms/{submission_id}/answers",
    response={200: SubmissionDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Save answers to a draft (any that are sent; incomplete answers are kept)",
)
def form_save(request: HttpRequest, submission_id: uuid.UUID, payload: AnswersIn) -> Any:
    submission = _submission(request, submission_id, Do.EDIT)
    submission = services.submission_save(
        actor=request.user,  # type: ignore[arg-type]
        submission=submission,
        answers=payload.answers,
    )
    return _submission_out(submission, detail=True)


@router.post(
    "/forms/{submission_id}/submit",
    response={
        200: SubmissionDetailOut,
        403: ErrorOut,
        404: ErrorOut,
        422: IncompleteOut | ErrorOut,
    },
    summary="Send a form: every answer is checked; one needing approval goes to the manager",
)
def form_submit(request: HttpRequest, submission_id: uuid.UUID, payload: SubmitIn) -> Any:
    if not payload.confirm:
        raise ValidationError("confirm: send true to send the form")
    submission = _submission(request, submission_id, Do.EDIT)
    try:
        submission = services.submission_submit(
            actor=request.user,  # type: ignore[arg-type]
            submission=submission,
        )
    except services.SubmissionIncomplete as incomplete:
        return Status(
            422,
            {
                "detail": "The form is not complete",
                "problems": [
                    {"field": p.anchor, "message": p.message} for p in incomplete.checked.problems
                ],
            },
        )
    return _submission_out(submission, detail=True)
