"""Reads for forms: definitions, and submissions only as the access policy allows (audited)."""

import uuid
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from kith.access.policy import Do, accessible_q, decide
from kith.accounts.models import User
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.eforms.models import (
    FormAttachment,
    FormDefinition,
    FormOutcome,
    FormSubmission,
    FormVersion,
)
from kith.people.chronology import ChronologyEvent, EventType
from kith.people.models import Person


class SubmissionNotFound(LookupError):
    """No such submission, or one about a person who does not exist for this user."""


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# --- Definitions (not personal data) ------------------------------------------------------------


def definitions() -> list[FormDefinition]:
    return list(FormDefinition.objects.all())


def definition_get(*, definition_id: object) -> FormDefinition | None:
    pk = _uuid(definition_id)
    return FormDefinition.objects.filter(pk=pk).first() if pk else None


def definition_by_code(*, code: str) -> FormDefinition | None:
    return FormDefinition.objects.filter(code=code).first()


def definition_versions(*, definition: FormDefinition) -> list[FormVersion]:
    return list(definition.versions.select_related("published_by").order_by("-number"))


def version_get(*, version_id: object) -> FormVersion | None:
    pk = _uuid(version_id)
    return FormVersion.objects.select_related("definition").filter(pk=pk).first() if pk else None


def published_versions(*, service_areas: set[str] | None = None) -> list[FormVersion]:
    """The version of each definition people fill in now."""
    versions = FormVersion.objects.filter(status=FormVersion.Status.PUBLISHED).select_related(
        "definition"
    )
    if service_areas is not None:
        versions = versions.filter(definition__service_area__in={*service_areas, "any"})
    return sorted(versions, key=lambda v: v.title)


def published_version(*, definition: FormDefinition) -> FormVersion | None:
    return definition.versions.filter(status=FormVersion.Status.PUBLISHED).first()


def draft_version(*, definition: FormDefinition) -> FormVersion | None:
    return definition.versions.filter(status=FormVersion.Status.DRAFT).first()


# --- Submissions --------------------------------------------------------------------------------


def submission_get(
    *, user: User | AnonymousUser, submission_id: object, action: Do = Do.VIEW
) -> FormSubmission:
    """The submission if the user may see (or, with Do.EDIT, change) the person's record.
    Raises SubmissionNotFound (also for people hidden from the user) or PermissionDenied;
    both the look and the refusal are audited."""
    pk = _uuid(submission_id)
    submission = (
        FormSubmission.objects.select_related(
            "person", "version__definition", "owner", "decided_by", "submitted_by", "previous"
        )
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if submission is None:
        raise SubmissionNotFound(str(submission_id))
    decision = decide(user, submission.person_id, action)
    if not decision.visible:
        raise SubmissionNotFound(str(submission_id))
    audit_record(
        actor=user,
        action=Action.VIEW if decision.allowed else Action.ACCESS_DENIED,
        person_id=submission.person_id,
        object_type="eforms.formsubmission",
        object_id=submission.pk,
        rule=decision.rule,
        reason=decision.break_glass_reason,
    )
    if not decision.allowed:
        raise PermissionDenied("You cannot open this person's record.")
    return submission


def person_submissions(*, person: Person) -> list[FormSubmission]:
    """``person`` must come from a selector that applied the policy."""
    return list(
        FormSubmission.objects.filter(person=person)
        .select_related("version__definition", "owner", "decided_by")
        .order_by("-created_at")
    )


def last_finished(*, person: Person, definition: FormDefinition) -> FormSubmission | None:
    """The person's latest finished submission of this form (for pre-filling the next)."""
    return (
        FormSubmission.objects.filter(
            person=person,
            version__definition=definition,
            status__in=FormSubmission.FINISHED,
        )
        .select_related("version")
        .order_by("-submitted_at", "-created_at")
        .first()
    )


def my_unfinished(*, user: User | AnonymousUser) -> QuerySet[FormSubmission]:
    """The user's own drafts and returned forms about people they may still open."""
    if not isinstance(user, User):
        return FormSubmission.objects.none()
    return (
        FormSubmission.objects.filter(owner=user, status__in=FormSubmission.EDITABLE)
        .filter(accessible_q(user, "person_id"))
        .select_related("person", "version__definition")
        .order_by("-last_saved_at", "-created_at")
    )


def submission_attachments(*, submission: FormSubmission) -> list[FormAttachment]:
    return list(submission.attachments.all())


def attachment_get(*, submission: FormSubmission, attachment_id: object) -> FormAttachment | None:
    pk = _uuid(attachment_id)
    return submission.attachments.filter(pk=pk).first() if pk else None


def submission_history(*, submission: FormSubmission) -> list[FormSubmission]:
    """Every revision of this submission, oldest first (each change after approval is one)."""
    chain = [submission]
    current = submission
    while current.previous_id is not None:
        previous = FormSubmission.objects.select_related("decided_by").get(pk=current.previous_id)
        chain.insert(0, previous)
        current = previous
    following = FormSubmission.objects.filter(previous=submission).first()
    while following is not None:
        chain.append(following)
        following = FormSubmission.objects.filter(previous=following).first()
    return chain


def submission_for_work_item(*, item: Any) -> FormSubmission | None:
    return (
        FormSubmission.objects.filter(work_item_id=item.pk)
        .select_related("version__definition")
        .order_by("-created_at")
        .first()
    )


def person_outcomes(*, person: Person, form_code: str | None = None) -> list[FormOutcome]:
    """The typed answers of the person's finished forms, newest first: what the children's
    and adults' modules read (an assessment's outcome, factors, date seen…)."""
    outcomes = FormOutcome.objects.filter(person=person)
    if form_code:
        outcomes = outcomes.filter(form_code=form_code)
    return list(outcomes)


# --- Chronology (forms' events) -----------------------------------------------------------------

FORMS = "Forms"
FORM_EVENT = EventType("eforms.form", "Completed and approved forms", FORMS)


def person_form_events(*, person_id: uuid.UUID) -> list[ChronologyEvent]:
    """Each finished submission (a change after approval is a revision of its own). No policy
    here: call through ``people.selectors.person_chronology``."""
    events = []
    for submission in FormSubmission.objects.filter(
        person_id=person_id, status__in=FormSubmission.FINISHED
    ).select_related("version__definition", "submitted_by", "decided_by", "outcome"):
        approved = submission.status == FormSubmission.Status.APPROVED
        when = submission.decided_at if approved else submission.submitted_at
        if when is None:
            continue
        title = submission.version.title
        if submission.revision > 1:
            title += f" (revision {submission.revision})"
        detail = (
            f"Approved by {submission.decided_by.display_name}"
            if approved and submission.decided_by
            else "Completed"
        )
        if submission.amendment_reason:
            detail += f"; changed because: {submission.amendment_reason}"
        outcome = getattr(submission, "outcome", None)
        if outcome is not None and outcome.outcome:
            detail += f"; outcome: {outcome.outcome}"
        events.append(
            ChronologyEvent(
                timezone.localdate(when),
                FORM_EVENT.code,
                title,
                detail,
                submission.submitted_by.display_name if submission.submitted_by else "",
                FORMS,
            )
        )
    return events
