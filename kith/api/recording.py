"""Case notes and visits in the JSON API (a router added to ``kith.api.v1.api``). Endpoints
open the person through ``people.selectors.person_get`` and call recording's selectors and
services only; the exception handlers of ``v1`` turn refusals into 403/404/410/422."""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from kith.access.policy import Do
from kith.api.schemas import ErrorOut
from kith.people import selectors as people
from kith.recording import selectors, services
from kith.recording import services_drafts as drafts

router = Router(tags=["recording"])


class NoteApprovalOut(Schema):
    # awaiting | returned | authorised
    status: str
    work_item_id: uuid.UUID
    decided_by: str | None
    decided_at: dt.datetime | None
    comment: str


class NoteOut(Schema):
    id: uuid.UUID
    thread_id: uuid.UUID
    group_id: uuid.UUID
    person_id: uuid.UUID
    kind: str
    type: str
    type_name: str
    event_date: dt.date
    narrative: str
    significant: bool
    pinned: bool
    recorded_by: str | None
    recorded_at: dt.datetime
    # For a type that needs a manager's approval: where it stands (else null)
    approval: NoteApprovalOut | None = None


class NotesOut(Schema):
    total: int
    page: int
    pages: int
    pinned: list[NoteOut]
    results: list[NoteOut]


class NoteIn(Schema):
    type: str
    event_date: dt.date
    narrative: str
    significant: bool = False
    pinned: bool = False
    # Others the same note is recorded for (siblings, household): from the person's family
    also_for: list[uuid.UUID] = []


class NoteCorrectionIn(Schema):
    reason: str
    requested_by: str
    narrative: str | None = None
    type: str | None = None
    event_date: dt.date | None = None
    significant: bool | None = None


class NoteAmendmentIn(Schema):
    narrative: str
    event_date: dt.date | None = None
    significant: bool | None = None


class NoteDraftIn(Schema):
    """A note as typed so far: nothing is required; a half-typed date is kept as its parts."""

    type: str = ""
    event_day: str = ""
    event_month: str = ""
    event_year: str = ""
    narrative: str = ""
    significant: bool = False
    pinned: bool = False
    also_for: list[uuid.UUID] = []


class NoteDraftOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    type: str
    event_day: str
    event_month: str
    event_year: str
    narrative: str
    significant: bool
    pinned: bool
    also_for: list[uuid.UUID]
    last_saved_at: dt.datetime


class NoteDeletionIn(Schema):
    reason: str
    requested_by: str


class VisitOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    type: str
    type_name: str
    planned_date: dt.date | None
    actual_date: dt.date | None
    seen: bool | None
    seen_alone: bool | None
    bedroom_seen: bool | None
    present: str
    notes: str
    work_item_id: uuid.UUID | None


class VisitRecordedOut(Schema):
    visit: VisitOut
    next_work_item_id: uuid.UUID | None
    next_due_date: dt.date | None


class VisitIn(Schema):
    type: str
    actual_date: dt.date
    seen: bool
    seen_alone: bool | None = None
    bedroom_seen: bool | None = None
    present: str = ""
    present_people: list[uuid.UUID] = []
    notes: str = ""
    # The planned visit being recorded, if any
    planned_visit_id: uuid.UUID | None = None


def _approval_out(approval: Any) -> NoteApprovalOut | None:
    if approval is None:
        return None
    return NoteApprovalOut(
        status=approval.status,
        work_item_id=approval.work_item_id,
        decided_by=approval.decided_by.display_name if approval.decided_by else None,
        decided_at=approval.decided_at,
        comment=approval.decision_comment,
    )


def _note_out(note: Any, approval: Any = None) -> NoteOut:
    return NoteOut(
        id=note.pk,
        thread_id=note.thread_id,
        group_id=note.group_id,
        person_id=note.person_id,
        kind=note.kind,
        type=note.note_type.code,
        type_name=note.note_type.name,
        event_date=note.event_date,
        narrative=note.narrative,
        significant=note.significant,
        pinned=bool(getattr(note, "pinned", False)),
        recorded_by=note.created_by.display_name if note.created_by else None,
        recorded_at=note.created_at,
        approval=_approval_out(approval or getattr(note, "approval", None)),
    )


def _visit_out(visit: Any) -> VisitOut:
    return VisitOut(
        id=visit.pk,
        person_id=visit.person_id,
        type=visit.visit_type.code,
        type_name=visit.visit_type.name,
        planned_date=visit.planned_date,
        actual_date=visit.actual_date,
        seen=visit.seen,
        seen_alone=visit.seen_alone,
        bedroom_seen=visit.bedroom_seen,
        present=visit.present,
        notes=visit.notes,
        work_item_id=visit.work_item_id,
    )


@router.get(
    "/people/{person_id}/notes",
    response={200: NotesOut, 403: ErrorOut, 404: ErrorOut},
    summary="A person's case notes (current versions), newest first, pinned on top",
)
def notes_list(
    request: HttpRequest,
    person_id: uuid.UUID,
    type: Query[list[str] | None] = None,
    significant: bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    page: int = 1,
) -> Any:
    person, decision = people.person_get(user=request.user, person_id=person_id)
    found = selectors.person_notes(
        user=request.user,
        person=person,
        decision=decision,
        types=set(type) if type else None,
        significant_only=significant,
        date_from=date_from,
        date_to=date_to,
        page=page,
    )
    return NotesOut(
        total=found.total,
        page=found.page,
        pages=found.pages,
        pinned=[_note_out(n) for n in found.pinned],
        results=[_note_out(n) for n in found.notes],
    )


def _note_type(code: str) -> Any:
    types = selectors.note_type_list()
    for note_type in types:
        if note_type.code == code:
            return note_type
    raise ValidationError(f"type must be one of: {', '.join(t.code for t in types)}")


@router.post(
    "/people/{person_id}/notes",
    response={201: list[NoteOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Add a case note (for this person and, as one group, those in also_for)",
)
def note_create(request: HttpRequest, person_id: uuid.UUID, payload: NoteIn) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    choices = {p.pk: p for p in selectors.group_choices(user=request.user, person=person)}
    missing = [str(pk) for pk in payload.also_for if pk not in choices]
    if missing:
        raise ValidationError(
            "also_for must name people in the person's family or household whose records "
            f"you may open: not {', '.join(missing)}"
        )
    notes = services.note_add(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        note_type=_note_type(payload.type),
        event_date=payload.event_date,
        narrative=payload.narrative,
        significant=payload.significant,
        pinned=payload.pinned,
        also_for=[choices[pk] for pk in payload.also_for],
    )
    approval = services.approval_for(notes[0])
    return Status(201, [_note_out(n, approval) for n in notes])


def _thread(request: HttpRequest, person: Any, note_id: uuid.UUID) -> Any:
    thread = selectors.note_get(user=request.user, person=person, thread_id=note_id)
    if thread is None:
        raise people.PersonNotFound(str(note_id))
    return thread


@router.post(
    "/people/{person_id}/notes/{note_id}/corrections",
    response={201: list[NoteOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Correct a note (and its group) by new rows; the original is kept",
)
def note_correct(
    request: HttpRequest, person_id: uuid.UUID, note_id: uuid.UUID, payload: NoteCorrectionIn
) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    thread = _thread(request, person, note_id)
    rows = services.note_correct(
        actor=request.user,  # type: ignore[arg-type]
        note=thread.current,
        reason=payload.reason,
        requested_by=payload.requested_by,
        narrative=payload.narrative,
        note_type=_note_type(payload.type) if payload.type else None,
        event_date=payload.event_date,
        significant=payload.significant,
    )
    approval = services.approval_for(rows[0])
    return Status(201, [_note_out(n, approval) for n in rows])


@router.post(
    "/people/{person_id}/notes/{note_id}/deletion",
    response={201: list[NoteOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Delete a note (and its group) by new rows; the original is kept for managers",
)
def note_delete(
    request: HttpRequest, person_id: uuid.UUID, note_id: uuid.UUID, payload: NoteDeletionIn
) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    thread = _thread(request, person, note_id)
    rows = services.note_delete(
        actor=request.user,  # type: ignore[arg-type]
        note=thread.current,
        reason=payload.reason,
        requested_by=payload.requested_by,
    )
    approval = services.approval_for(rows[0])
    return Status(201, [_note_out(n, approval) for n in rows])


@router.get(
    "/people/{person_id}/notes/{note_id}",
    response={200: NoteOut, 403: ErrorOut, 404: ErrorOut},
    summary="One note (its current version), with where its authorisation stands",
)
def note_read(request: HttpRequest, person_id: uuid.UUID, note_id: uuid.UUID) -> Any:
    person, decision = people.person_get(user=request.user, person_id=person_id)
    thread = selectors.note_get(
        user=request.user, person=person, thread_id=note_id, decision=decision
    )
    if thread is None:
        raise people.PersonNotFound(str(note_id))
    return _note_out(thread.current, thread.approval)


@router.post(
    "/people/{person_id}/notes/{note_id}/amendment",
    response={201: list[NoteOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Amend a note a manager returned with comments, and send it for authorisation again",
)
def note_amend(
    request: HttpRequest, person_id: uuid.UUID, note_id: uuid.UUID, payload: NoteAmendmentIn
) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    thread = _thread(request, person, note_id)
    rows = services.note_amend(
        actor=request.user,  # type: ignore[arg-type]
        note=thread.current,
        narrative=payload.narrative,
        event_date=payload.event_date,
        significant=payload.significant,
    )
    approval = services.approval_for(rows[0])
    return Status(201, [_note_out(n, approval) for n in rows])


# --- Drafts: the caller's own, saved as typed ---


def _draft_out(draft: Any) -> NoteDraftOut:
    return NoteDraftOut(
        id=draft.pk,
        person_id=draft.person_id,
        type=draft.note_type_code,
        event_day=draft.event_day,
        event_month=draft.event_month,
        event_year=draft.event_year,
        narrative=draft.narrative,
        significant=draft.significant,
        pinned=draft.pinned,
        also_for=[uuid.UUID(v) for v in draft.also_for],
        last_saved_at=draft.last_saved_at,
    )


def _draft(request: HttpRequest, person: Any, draft_id: uuid.UUID) -> Any:
    draft = selectors.note_draft_get(user=request.user, person=person, draft_id=draft_id)
    if draft is None:
        raise people.PersonNotFound(str(draft_id))
    return draft


@router.get(
    "/people/{person_id}/note-drafts",
    response={200: list[NoteDraftOut], 403: ErrorOut, 404: ErrorOut},
    summary="Your unfinished notes about the person (nobody else sees them)",
)
def note_drafts_list(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    return [_draft_out(d) for d in selectors.my_note_drafts(user=request.user, person=person)]


@router.put(
    "/people/{person_id}/note-drafts/{draft_id}",
    response={200: NoteDraftOut, 204: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Save a note as typed so far, under an id you choose (made by the first save; "
    "204 while nothing is typed)",
)
def note_draft_save(
    request: HttpRequest, person_id: uuid.UUID, draft_id: uuid.UUID, payload: NoteDraftIn
) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    draft = drafts.note_draft_save(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        draft_id=draft_id,
        values=drafts.DraftValues(
            note_type_code=payload.type,
            event_day=payload.event_day,
            event_month=payload.event_month,
            event_year=payload.event_year,
            narrative=payload.narrative,
            significant=payload.significant,
            pinned=payload.pinned,
            also_for=[str(pk) for pk in payload.also_for],
        ),
    )
    if draft is None:
        return Status(204, None)
    return _draft_out(draft)


@router.delete(
    "/people/{person_id}/note-drafts/{draft_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Discard one of your drafts",
)
def note_draft_discard(request: HttpRequest, person_id: uuid.UUID, draft_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    drafts.note_draft_discard(
        actor=request.user,  # type: ignore[arg-type]
        draft=_draft(request, person, draft_id),
    )
    return Status(204, None)


@router.post(
    "/people/{person_id}/note-drafts/{draft_id}/finish",
    response={201: list[NoteOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Make the note from your draft (checked as any note; a type needing approval goes "
    "to the authorisation queue)",
)
def note_draft_finish(request: HttpRequest, person_id: uuid.UUID, draft_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    notes = drafts.note_draft_finish(
        actor=request.user,  # type: ignore[arg-type]
        draft=_draft(request, person, draft_id),
        note_types=selectors.note_types(user=request.user, person=person),
        also_for=selectors.group_choices(user=request.user, person=person),
    )
    approval = services.approval_for(notes[0])
    return Status(201, [_note_out(n, approval) for n in notes])


@router.get(
    "/people/{person_id}/visits",
    response={200: list[VisitOut], 403: ErrorOut, 404: ErrorOut},
    summary="A person's visits: planned (soonest first), then recorded (newest first)",
)
def visits_list(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, decision = people.person_get(user=request.user, person_id=person_id)
    planned, done = selectors.person_visits(user=request.user, person=person, decision=decision)
    return [_visit_out(v) for v in planned + done]


@router.post(
    "/people/{person_id}/visits",
    response={201: VisitRecordedOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a visit; it completes the person's due visit work item, and the next starts",
)
def visit_create(request: HttpRequest, person_id: uuid.UUID, payload: VisitIn) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    visit_type = next((t for t in selectors.visit_types() if t.code == payload.type), None)
    if visit_type is None:
        codes = ", ".join(t.code for t in selectors.visit_types())
        raise ValidationError(f"type must be one of: {codes}")
    planned = None
    if payload.planned_visit_id:
        view = selectors.visit_get(
            user=request.user, person=person, visit_id=payload.planned_visit_id, audit=False
        )
        if view is None:
            raise people.PersonNotFound(str(payload.planned_visit_id))
        planned = view.visit
    choices = {p.pk: p for p in selectors.present_choices(user=request.user, person=person)}
    missing = [str(pk) for pk in payload.present_people if pk not in choices]
    if missing:
        raise ValidationError(
            f"present_people must be in the person's family or household: not {', '.join(missing)}"
        )
    visit, following = services.visit_record(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        visit_type=visit_type,
        actual_date=payload.actual_date,
        seen=payload.seen,
        seen_alone=payload.seen_alone,
        bedroom_seen=payload.bedroom_seen,
        present=payload.present,
        present_people=[choices[pk] for pk in payload.present_people],
        notes=payload.notes,
        planned=planned,
    )
    return Status(
        201,
        VisitRecordedOut(
            visit=_visit_out(visit),
            next_work_item_id=following.pk if following else None,
            next_due_date=following.due_date if following else None,
        ),
    )
