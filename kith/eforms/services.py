"""Writes for forms: definitions and their versions; submissions from the first draft to the
manager's approval, and changes after it. Each runs in one transaction with its audit entry."""

import contextlib
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kith.access.policy import Do, decide
from kith.accounts.models import Team, User
from kith.accounts.selectors import user_current_memberships
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.core import codelists
from kith.core.models import CodeList
from kith.eforms import answers as answer_rules
from kith.eforms.models import (
    FormAttachment,
    FormDefinition,
    FormOutcome,
    FormSubmission,
    FormVersion,
)
from kith.eforms.schema import (
    DEFAULT_ACCEPT,
    DEFAULT_MAX_FILE_KB,
    DefinitionError,
    all_questions,
    top_questions,
    validate_definition,
)
from kith.people import selectors as people_selectors
from kith.people.models import Person
from kith.work import services as work_services
from kith.work.models import Involvement, WorkItem, WorkItemType

GENERIC_APPROVAL_TYPE = "form-approval"


# --- Definitions --------------------------------------------------------------------------------


def read_definition_file(path: Path) -> dict[str, Any]:
    """A definition from a .json, .yaml or .yml file; DefinitionError says what is wrong."""
    if not path.exists():
        raise DefinitionError([f"{path} does not exist"])
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        elif path.suffix.lower() in {".yaml", ".yml"}:
            data = yaml.safe_load(text)
        else:
            raise DefinitionError([f"{path.name}: a definition is a .json, .yaml or .yml file"])
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            [f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError([f"{path.name} is not valid YAML: {problem}{where}"]) from exc
    return data


def _code_list_names() -> set[str]:
    return set(CodeList.objects.values_list("name", flat=True))


def definition_problems(data: Any) -> list[str]:
    return validate_definition(data, code_lists=_code_list_names())


def _require_valid(data: Any) -> None:
    problems = definition_problems(data)
    if problems:
        raise DefinitionError(problems)


@transaction.atomic
def definition_load(*, actor: User | None, data: Any, publish: bool = True) -> FormVersion:
    """Add or change a definition from a file's contents. The same questions as the version in
    use change nothing; otherwise they become the draft version (published if ``publish``)."""
    _require_valid(data)
    definition, _ = FormDefinition.objects.get_or_create(
        code=data["code"],
        defaults={
            "title": data["title"],
            "service_area": data.get("service_area", "any"),
            "created_by": actor,
            "updated_by": actor,
        },
    )
    current = definition.versions.filter(status=FormVersion.Status.PUBLISHED).first()
    if current is not None and current.schema == data:
        return current
    draft = definition.versions.filter(status=FormVersion.Status.DRAFT).first()
    if draft is None:
        draft = version_new_draft(actor=actor, definition=definition)
    draft.schema = data
    draft.needs_approval = bool(data.get("needs_approval", False))
    draft.updated_by = actor
    draft.save()
    if publish:
        draft = version_publish(actor=actor, version=draft)
    return draft


@transaction.atomic
def definition_create(
    *, actor: User | None, code: str, title: str, service_area: str = "any"
) -> FormVersion:
    """A new definition with an empty first draft for the builder."""
    if FormDefinition.objects.filter(code=code).exists():
        raise ValidationError({"code": f"There is already a form with the code {code}"})
    definition = FormDefinition.objects.create(
        code=code, title=title, service_area=service_area, created_by=actor, updated_by=actor
    )
    return FormVersion.objects.create(
        definition=definition,
        number=1,
        schema={"code": code, "title": title, "service_area": service_area, "sections": []},
        created_by=actor,
        updated_by=actor,
    )


@transaction.atomic
def version_new_draft(*, actor: User | None, definition: FormDefinition) -> FormVersion:
    """The draft to edit: the existing one, or a copy of the version in use."""
    existing = definition.versions.filter(status=FormVersion.Status.DRAFT).first()
    if existing is not None:
        return existing
    latest = definition.versions.order_by("-number").first()
    number = (definition.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return FormVersion.objects.create(
        definition=definition,
        number=number,
        schema=dict(latest.schema) if latest else {"code": definition.code, "sections": []},
        needs_approval=latest.needs_approval if latest else False,
        created_by=actor,
        updated_by=actor,
    )


@transaction.atomic
def version_save_draft(
    *, actor: User | None, version: FormVersion, schema: dict[str, Any]
) -> FormVersion:
    """Change a draft version's questions (a published version never changes)."""
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FormVersion.Status.DRAFT:
        raise ValidationError("A published version cannot be changed: make a new draft")
    if not isinstance(schema, dict) or not isinstance(schema.get("sections"), list):
        raise ValidationError("The form must have a list of sections")
    schema = {**schema, "code": version.definition.code}
    version.schema = schema
    version.needs_approval = bool(schema.get("needs_approval", False))
    version.updated_by = actor
    version.save()
    return version


@transaction.atomic
def version_publish(*, actor: User | None, version: FormVersion) -> FormVersion:
    """Publish a draft: from now on new forms use it; the one before is retired (forms already
    started on it keep it)."""
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FormVersion.Status.DRAFT:
        raise ValidationError("Only a draft version can be published")
    _require_valid(version.schema)
    definition = version.definition
    definition.versions.filter(status=FormVersion.Status.PUBLISHED).update(
        status=FormVersion.Status.RETIRED, updated_at=timezone.now()
    )
    definition.title = version.schema["title"]
    definition.service_area = version.schema.get("service_area", "any")
    definition.updated_by = actor
    definition.save()
    version.status = FormVersion.Status.PUBLISHED
    version.needs_approval = bool(version.schema.get("needs_approval", False))
    version.published_at = timezone.now()
    version.published_by = actor
    version.updated_by = actor
    version.save()
    return version


# --- Submissions --------------------------------------------------------------------------------


class SubmissionIncomplete(ValidationError):
    """A submission that cannot be sent yet; ``checked.problems`` says why, field by field."""

    def __init__(self, checked: answer_rules.Checked) -> None:
        super().__init__([p.message for p in checked.problems])
        self.checked = checked


def _audit(
    actor: User | None,
    submission: FormSubmission,
    action: Action,
    changed: list[str] | None = None,
    reason: str = "",
    object_type: str = "eforms.formsubmission",
    object_id: object = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        person_id=submission.person_id,
        object_type=object_type,
        object_id=object_id or submission.pk,
        changed_fields=changed or [],
        reason=reason,
    )


def _require_edit(actor: User | None, person_id: uuid.UUID) -> None:
    if actor is not None and not decide(actor, person_id, Do.EDIT).allowed:
        raise PermissionDenied("You cannot change this person's record.")


def _require_owner(actor: User | None, submission: FormSubmission) -> None:
    _require_edit(actor, submission.person_id)
    if actor is not None and submission.owner_id != actor.pk:
        raise PermissionDenied("Only the worker filling in this form can change it.")


def _team_for(actor: User, person: Person) -> Team | None:
    teams = [m.team for m in user_current_memberships(user=actor) if m.team.kind == Team.Kind.TEAM]
    involved = set(
        Involvement.objects.filter(
            person=person, end_date__isnull=True, team__in=teams
        ).values_list("team_id", flat=True)
    )
    return next((t for t in teams if t.pk in involved), teams[0] if teams else None)


def _person_facts(person: Person) -> dict[str, Any]:
    details = people_selectors.person_details(person=person)
    address = next((a for a in details.addresses if a.end_date is None), None)
    nhs = next(
        (i.value for i in details.identifiers if i.kind == "nhs_number" and i.ended_at is None),
        "",
    )
    ethnicity = person.ethnicity
    if ethnicity:
        with contextlib.suppress(codelists.UnknownCode, codelists.UnknownCodeList):
            ethnicity = codelists.description("ssda903_ethnic", ethnicity) or ethnicity
    return {
        "person.full_name": person.full_name,
        "person.given_name": person.given_name,
        "person.family_name": person.family_name,
        "person.known_as": person.known_as,
        "person.date_of_birth": person.date_of_birth,
        "person.la_number": str(person.la_number),
        "person.nhs_number": nhs,
        "person.address": address.display if address else "",
        "person.postcode": person.postcode,
        "person.ethnicity": ethnicity,
        "person.sex": person.get_sex_display(),
        "person.first_language": person.first_language,
        "person.religion": person.religion,
        "person.communication_needs": person.communication_needs,
    }


def _prefill(version: FormVersion, person: Person) -> tuple[dict[str, Any], dict[str, str]]:
    """First answers: facts Kith already holds about the person, then the answers of their
    last finished submission of this form (questions with the same key and type)."""
    facts = _person_facts(person)
    found: dict[str, Any] = {}
    sources: dict[str, str] = {}
    from kith.eforms.selectors import last_finished

    last = last_finished(person=person, definition=version.definition)
    last_questions = (
        {q["key"]: q for q in top_questions(last.version.schema)} if last is not None else {}
    )
    for q in top_questions(version.schema):
        if q["type"] == "file":
            continue
        if "prefill" in q:
            value = answer_rules.shape(q, facts.get(q["prefill"]))
            if answer_rules.is_answered(q, value):
                found[q["key"]] = value
                sources[q["key"]] = "person"
                continue
        if last is None or not q.get("previous", True):
            continue
        earlier = last_questions.get(q["key"])
        if earlier is None or earlier["type"] != q["type"] or q["key"] not in last.answers:
            continue
        value = answer_rules.shape(q, last.answers[q["key"]])
        if answer_rules.is_answered(q, value):
            found[q["key"]] = value
            sources[q["key"]] = "previous"
    return found, sources


@transaction.atomic
def submission_start(*, actor: User, person: Person, version: FormVersion) -> FormSubmission:
    """A new draft of the form for the person, pre-filled from what Kith already knows."""
    _require_edit(actor, person.pk)
    if version.status != FormVersion.Status.PUBLISHED:
        raise ValidationError("Only a published form can be started")
    answers, sources = _prefill(version, person)
    submission = FormSubmission.objects.create(
        person=person,
        version=version,
        owner=actor,
        team=_team_for(actor, person),
        answers=answers,
        prefilled=sources,
        last_saved_at=timezone.now(),
        created_by=actor,
        updated_by=actor,
    )
    _audit(actor, submission, Action.CREATE, sorted(answers))
    return submission


class StalePage(Exception):
    """Answers from a page that no longer shows the draft as saved."""


@transaction.atomic
def submission_save(
    *,
    actor: User | None,
    submission: FormSubmission,
    answers: dict[str, Any],
    rows_fixed: bool = False,
) -> FormSubmission:
    """Save a draft: whatever was typed, however incomplete (never refused for that). Only the
    questions sent change; an answer changed by hand is no longer marked as pre-filled.
    `rows_fixed` (autosave): rows of repeating groups are added and removed only by their
    buttons, so answers with another number of rows come from a page older than the saved
    draft and raise StalePage, saving nothing."""
    submission = FormSubmission.objects.select_for_update().get(pk=submission.pk)
    _require_owner(actor, submission)
    if not submission.is_editable:
        raise ValidationError("This form has been sent and can no longer be changed")
    shaped = answer_rules.shape_all(submission.version.schema, answers)
    if rows_fixed and answer_rules.rows_differ(
        submission.version.schema, submission.answers, shaped
    ):
        raise StalePage("The form has changed since this page was loaded")
    questions = {q["key"]: q for q in top_questions(submission.version.schema)}
    # An empty answer to a question never answered is no change (unticked boxes, say).
    shaped = {
        k: v
        for k, v in shaped.items()
        if k in submission.answers or answer_rules.is_answered(questions[k], v)
    }
    changed = sorted(k for k, v in shaped.items() if submission.answers.get(k) != v)
    if not changed:
        return submission
    submission.answers = {**submission.answers, **shaped}
    submission.prefilled = {k: v for k, v in submission.prefilled.items() if k not in changed}
    submission.last_saved_at = timezone.now()
    submission.updated_by = actor
    submission.save()
    _audit(actor, submission, Action.UPDATE, changed)
    return submission


@transaction.atomic
def attachment_add(
    *, actor: User | None, submission: FormSubmission, question_key: str, upload: UploadedFile
) -> FormAttachment:
    """Attach a file to a file question, within the question's size and type limits."""
    submission = FormSubmission.objects.select_for_update().get(pk=submission.pk)
    _require_owner(actor, submission)
    if not submission.is_editable:
        raise ValidationError("This form has been sent and can no longer be changed")
    question = next(
        (
            q
            for q in top_questions(submission.version.schema)
            if q["key"] == question_key and q["type"] == "file"
        ),
        None,
    )
    if question is None:
        raise ValidationError("This form has no such file question")
    label = str(question["label"]).rstrip("?")
    limit_kb = int(question.get("max_size_kb", DEFAULT_MAX_FILE_KB))
    accept = [a.lower().lstrip(".") for a in question.get("accept", DEFAULT_ACCEPT)]
    name = Path(upload.name or "file").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in accept:
        raise ValidationError(
            {question_key: f"{label}: the file must be a {', '.join(a.upper() for a in accept)}"}
        )
    if (upload.size or 0) > limit_kb * 1024:
        limit = f"{limit_kb // 1024} MB" if limit_kb >= 1024 else f"{limit_kb} KB"
        raise ValidationError({question_key: f"{label}: the file must be smaller than {limit}"})
    if not upload.size:
        raise ValidationError({question_key: f"{label}: the file is empty"})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = FormAttachment(
        submission=submission,
        question_key=question_key,
        filename=name[:255],
        content_type=(upload.content_type or "application/octet-stream")[:100],
        size=upload.size,
        sha256=digest.hexdigest(),
        created_by=actor,
        updated_by=actor,
    )
    attachment.file.save(f"{uuid.uuid4()}.{extension}", upload, save=False)
    attachment.save()
    _audit(
        actor,
        submission,
        Action.CREATE,
        [question_key],
        object_type="eforms.formattachment",
        object_id=attachment.pk,
    )
    return attachment


def _lookups(actor: User | None, submission: FormSubmission) -> answer_rules.Lookups:
    counts: dict[str, int] = {}
    for attachment in submission.attachments.all():
        counts[attachment.question_key] = counts.get(attachment.question_key, 0) + 1

    def code_valid(list_name: str, code: str) -> bool:
        try:
            return codelists.is_valid(list_name, code)
        except (codelists.UnknownCodeList, ValueError):
            return False

    def person_exists(la_number: str) -> bool:
        if not la_number.isdigit() or actor is None:
            return False
        return (
            people_selectors.person_find_by_la_number(user=actor, la_number=int(la_number))
            is not None
        )

    return answer_rules.Lookups(
        code_valid=code_valid, person_exists=person_exists, attachments=counts
    )


def submission_check(*, actor: User | None, submission: FormSubmission) -> answer_rules.Checked:
    return answer_rules.check(
        submission.version.schema, submission.answers, _lookups(actor, submission)
    )


def _approval_item(actor: User, submission: FormSubmission) -> WorkItem:
    """The work item the manager authorises: the one the form is already linked to, an open
    step of the definition's type for the person in the worker's team, or a new one."""
    if submission.work_item_id is not None:
        item = WorkItem.objects.get(pk=submission.work_item_id)
        if item.is_open:
            return item
    schema = submission.version.schema
    code = schema.get("work_item_type") if submission.previous_id is None else None
    item_type = WorkItemType.objects.filter(code=code, needs_authorisation=True).first()
    if item_type is None:
        item_type = WorkItemType.objects.get(code=GENERIC_APPROVAL_TYPE)
    team = submission.team or _team_for(actor, submission.person)
    if team is None:
        raise ValidationError("You are not in a team, so there is no manager to approve this")
    existing = (
        WorkItem.objects.filter(
            person=submission.person,
            item_type=item_type,
            team=team,
            status__in=(WorkItem.Status.NOT_STARTED, WorkItem.Status.IN_PROGRESS),
        )
        .order_by("due_date", "created_at")
        .first()
    )
    if existing is not None:
        if existing.worker_id != actor.pk:
            existing = work_services.work_item_allocate(
                actor=actor, item=existing, worker=actor, reason="Sent the form for approval"
            )
        return existing
    return work_services.work_item_create(
        actor=actor,
        person=submission.person,
        item_type=item_type,
        team=team,
        worker=actor,
        note=f"Approve: {submission.version.title}"[:300],
    )


def _record_outcome(submission: FormSubmission, when: Any) -> None:
    """Copy the answers that other modules need (``maps_to``) to typed columns."""
    mapped = {
        q["maps_to"]: answer_rules.typed(q, submission.answers.get(q["key"]))
        for q in all_questions(submission.version.schema)
        if "maps_to" in q
    }
    if not mapped:
        return
    FormOutcome.objects.update_or_create(
        submission=submission,
        defaults={
            "person": submission.person,
            "form_code": submission.version.definition.code,
            "outcome": mapped.get("outcome") or "",
            "outcome_date": mapped.get("outcome_date"),
            "date_seen": mapped.get("date_seen"),
            "factors": mapped.get("factors") or [],
            "eligible": mapped.get("eligible"),
            "summary": mapped.get("summary") or "",
            "recorded_at": when,
            "created_by": submission.decided_by or submission.submitted_by,
            "updated_by": submission.decided_by or submission.submitted_by,
        },
    )


@transaction.atomic
def submission_submit(*, actor: User, submission: FormSubmission) -> FormSubmission:
    """Send the form: every answer is checked (SubmissionIncomplete says what is missing).
    A form that needs approval goes to the team manager's authorisation queue; any other is
    complete, and locked."""
    submission = FormSubmission.objects.select_for_update().get(pk=submission.pk)
    _require_owner(actor, submission)
    if not submission.is_editable:
        raise ValidationError("This form has already been sent")
    checked = submission_check(actor=actor, submission=submission)
    if not checked.ok:
        raise SubmissionIncomplete(checked)
    now = timezone.now()
    submission.answers = answer_rules.without_hidden(submission.version.schema, submission.answers)
    submission.submitted_at = now
    submission.submitted_by = actor
    submission.updated_by = actor
    if submission.version.needs_approval:
        item = _approval_item(actor, submission)
        submission.work_item = item
        submission.status = FormSubmission.Status.AWAITING_APPROVAL
        submission.save()
        _audit(actor, submission, Action.UPDATE, ["status", "work_item"])
        if item.status == WorkItem.Status.NOT_STARTED:
            item = work_services.work_item_start(actor=actor, item=item)
        work_services.work_item_complete(actor=actor, item=item)
    else:
        submission.status = FormSubmission.Status.COMPLETED
        submission.save()
        _audit(actor, submission, Action.UPDATE, ["status"])
        _record_outcome(submission, now)
    return submission


def on_work_decision(*, item: WorkItem, actor: User | None, decision: str, comment: str) -> None:
    """A manager's decision on a work item, applied to the form waiting on it (same
    transaction: if the form cannot take it, the decision is refused)."""
    submission = (
        FormSubmission.objects.select_for_update()
        .filter(work_item=item)
        .order_by("-created_at")
        .first()
    )
    if submission is None:
        return
    if submission.status != FormSubmission.Status.AWAITING_APPROVAL:
        if decision == "authorised":
            raise ValidationError(
                f"{submission.version.title} has not been sent again since it was returned: "
                "the worker sends the form, then you can authorise it"
            )
        return
    now = timezone.now()
    submission.decided_at = now
    submission.decided_by = actor
    submission.decision_comment = comment
    submission.updated_by = actor
    if decision == "authorised":
        submission.status = FormSubmission.Status.APPROVED
        submission.save()
        _audit(actor, submission, Action.UPDATE, ["status"], comment)
        _record_outcome(submission, now)
        return
    submission.status = FormSubmission.Status.RETURNED
    if decision == "reassigned" and item.worker is not None:
        submission.owner = item.worker
    submission.save()
    _audit(actor, submission, Action.UPDATE, ["status", "owner"], comment)


@transaction.atomic
def submission_amend(*, actor: User, submission: FormSubmission, reason: str) -> FormSubmission:
    """Change a finished form: a new revision (a draft, then sent and approved like the first),
    with the reason; the finished one stays as it was."""
    submission = FormSubmission.objects.select_for_update().get(pk=submission.pk)
    _require_edit(actor, submission.person_id)
    if not submission.is_locked:
        raise ValidationError("Only a completed or approved form is changed this way")
    if FormSubmission.objects.filter(previous=submission).exists():
        raise ValidationError("This form has already been changed: change the latest revision")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the change"})
    amended = FormSubmission.objects.create(
        person=submission.person,
        version=submission.version,
        owner=actor,
        team=_team_for(actor, submission.person) or submission.team,
        answers=dict(submission.answers),
        last_saved_at=timezone.now(),
        previous=submission,
        amendment_reason=reason.strip(),
        revision=submission.revision + 1,
        created_by=actor,
        updated_by=actor,
    )
    for attachment in submission.attachments.all():
        FormAttachment.objects.create(
            submission=amended,
            question_key=attachment.question_key,
            file=attachment.file.name,
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            created_by=actor,
            updated_by=actor,
        )
    _audit(actor, amended, Action.CREATE, ["previous", "amendment_reason"], reason.strip())
    return amended


@transaction.atomic
def submission_downloaded(*, actor: User | None, submission: FormSubmission) -> None:
    """Record that the form was downloaded (as a PDF)."""
    _audit(actor, submission, Action.DOWNLOAD)


@transaction.atomic
def attachment_downloaded(*, actor: User | None, attachment: FormAttachment) -> None:
    _audit(
        actor,
        attachment.submission,
        Action.DOWNLOAD,
        object_type="eforms.formattachment",
        object_id=attachment.pk,
    )
