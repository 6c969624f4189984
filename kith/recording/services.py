"""Writes for recording: case notes (for one person or a group), their corrections and
deletions (always new rows), pins, and visits. Each runs in one transaction with its audit
entries; every person written to is checked against the access policy for editing."""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kith.access import relationships
from kith.access.policy import Do, decide
from kith.access.selectors import person_team_managers
from kith.accounts.models import Team, User
from kith.accounts.selectors import user_current_memberships
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.people.models import Person
from kith.recording.models import (
    CaseNote,
    NoteApproval,
    NotePin,
    NoteType,
    Visit,
    VisitPresent,
    VisitType,
)
from kith.work import services as work_services
from kith.work.models import WorkItem, WorkItemType

NARRATIVE_MAX = 50_000
# The work item type a note needing approval waits in the authorisation queue as (migration
# 0003 adds it, needing authorisation).
NOTE_APPROVAL_TYPE = "note-approval"


def _require_edit(actor: User | None, person_id: uuid.UUID, message: str) -> None:
    if actor is not None and not decide(actor, person_id, Do.EDIT).allowed:
        raise PermissionDenied(message)


def _check_type(actor: User | None, note_type: NoteType, person_ids: Iterable[uuid.UUID]) -> None:
    if not note_type.active:
        raise ValidationError({"note_type": f"{note_type.name} is no longer used"})
    if note_type.manager_only and actor is not None:
        for person_id in person_ids:
            if actor not in person_team_managers(person_id=person_id):
                raise PermissionDenied(
                    f"Only a manager of a team working with the person can record "
                    f"{note_type.name.lower()}."
                )


def _check_content(event_date: dt.date | None, narrative: str) -> str:
    errors: dict[str, str] = {}
    if event_date is None:
        errors["event_date"] = "Enter the date it happened"
    elif event_date > timezone.localdate():
        errors["event_date"] = "The date it happened must be today or in the past"
    text = narrative.strip()
    if not text:
        errors["narrative"] = "Enter the note"
    elif len(text) > NARRATIVE_MAX:
        errors["narrative"] = f"The note must be {NARRATIVE_MAX:,} characters or fewer"
    if errors:
        raise ValidationError(errors)
    return text


def _audit_note(actor: User | None, note: CaseNote, action: Action, reason: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        person_id=note.person_id,
        object_type="recording.casenote",
        object_id=note.pk,
        changed_fields=["note_type", "event_date", "narrative", "significant"]
        if action == Action.CREATE
        else ["kind"],
        reason=reason,
    )


@transaction.atomic
def note_add(
    *,
    actor: User | None,
    person: Person,
    note_type: NoteType,
    event_date: dt.date | None,
    narrative: str,
    significant: bool = False,
    also_for: Sequence[Person] = (),
    pinned: bool = False,
) -> list[CaseNote]:
    """A note on ``person`` and, as one group, on each of ``also_for`` (siblings, a
    household): one row per person, linked by ``group_id``."""
    people = [person, *[p for p in also_for if p.pk != person.pk]]
    if len({p.pk for p in people}) != len(people):
        raise ValidationError({"also_for": "Choose each person once"})
    for someone in people:
        if someone.merged_into_id is not None:
            raise ValidationError({"also_for": "One of the people chosen was merged"})
        _require_edit(actor, someone.pk, "You cannot add notes to one of these records.")
    _check_type(actor, note_type, [p.pk for p in people])
    text = _check_content(event_date, narrative)
    assert event_date is not None
    group_id = uuid.uuid4()
    notes = []
    for someone in people:
        note_id = uuid.uuid4()
        note = CaseNote(
            id=note_id,
            person=someone,
            thread_id=note_id,
            group_id=group_id,
            kind=CaseNote.Kind.ORIGINAL,
            note_type=note_type,
            event_date=event_date,
            narrative=text,
            significant=significant,
            created_by=actor,
            updated_by=actor,
        )
        note.save(force_insert=True)
        _audit_note(actor, note, Action.CREATE)
        notes.append(note)
    if note_type.needs_approval:
        _approval_start(actor, notes[0])
    if pinned:
        note_pin(actor=actor, note=notes[0], pinned=True)
    return notes


# --- Approval of notes whose type needs it (ADR 0016) ---


def _approval_start(actor: User | None, note: CaseNote) -> NoteApproval:
    """Put a new note (its whole group) in the authorisation queue of the author's team: a
    work item of its own, allocated to the author and completed, so it waits for a manager."""
    if actor is None:
        raise ValidationError(
            {"note_type": f"A {note.note_type.name.lower()} needs a worker, who is in a team"}
        )
    team = _actor_team(actor, note.person)
    if team is None:
        raise ValidationError(
            {
                "note_type": "You are not in a team, so there is no manager to approve a "
                f"{note.note_type.name.lower()}"
            }
        )
    item_type = WorkItemType.objects.get(code=NOTE_APPROVAL_TYPE)
    in_team = any(m.team_id == team.pk for m in user_current_memberships(user=actor))
    item = work_services.work_item_create(
        actor=actor,
        person=note.person,
        item_type=item_type,
        team=team,
        worker=actor if in_team else None,
        note=f"Approve: {note.note_type.name}, {note.event_date:%d %B %Y}"[:300],
    )
    approval = NoteApproval.objects.create(
        group_id=note.group_id,
        person_id=note.person_id,
        work_item=item,
        author=actor,
        created_by=actor,
        updated_by=actor,
    )
    _audit_approval(actor, approval, ["status", "work_item"])
    _send_for_authorisation(actor, item)
    return approval


def _send_for_authorisation(actor: User | None, item: WorkItem) -> None:
    if item.status == WorkItem.Status.NOT_STARTED:
        item = work_services.work_item_start(actor=actor, item=item)
    work_services.work_item_complete(actor=actor, item=item)


def _audit_approval(
    actor: User | None, approval: NoteApproval, fields: list[str], reason: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        person_id=approval.person_id,
        object_type="recording.noteapproval",
        object_id=approval.pk,
        changed_fields=fields,
        reason=reason,
    )


def approval_for(note: CaseNote) -> NoteApproval | None:
    return NoteApproval.objects.filter(group_id=note.group_id).first()


def on_work_decision(*, item: WorkItem, actor: User | None, decision: str, comment: str) -> None:
    """A manager's decision on a work item, applied to the note waiting on it (in the
    decision's transaction: if the note cannot take it, the decision is refused)."""
    approval = NoteApproval.objects.select_for_update().filter(work_item=item).first()
    if approval is None:
        return
    if approval.status != NoteApproval.Status.AWAITING:
        if decision == "authorised":
            raise ValidationError(
                "The note has not been sent again since it was returned: the worker amends "
                "it, then you can authorise it"
            )
        return
    approval.decided_at = timezone.now()
    approval.decided_by = actor
    approval.decision_comment = comment
    approval.updated_by = actor
    approval.status = (
        NoteApproval.Status.AUTHORISED if decision == "authorised" else NoteApproval.Status.RETURNED
    )
    approval.save()
    _audit_approval(actor, approval, ["status"], comment)


def _may_amend(actor: User | None, approval: NoteApproval) -> bool:
    if actor is None:
        return True
    item = approval.work_item
    return actor.pk in {approval.author_id, item.worker_id}


@transaction.atomic
def note_amend(
    *,
    actor: User | None,
    note: CaseNote,
    narrative: str,
    event_date: dt.date | None = None,
    significant: bool | None = None,
) -> list[CaseNote]:
    """Amend a note a manager returned with comments, and send it for authorisation again.
    The amendment is a new version (the returned text is kept), its reason the manager's
    comments."""
    approval = NoteApproval.objects.select_for_update().filter(group_id=note.group_id).first()
    if approval is None or approval.status != NoteApproval.Status.RETURNED:
        raise ValidationError("Only a note returned by a manager is amended this way")
    if not _may_amend(actor, approval):
        raise PermissionDenied(
            "Only the worker who wrote the note, or who it was given to, can amend it."
        )
    decided_by = approval.decided_by.display_name if approval.decided_by else "The manager"
    rows = _supersede(
        actor=actor,
        note=note,
        kind=CaseNote.Kind.CORRECTION,
        reason=f"Amended after it was returned: {approval.decision_comment}".strip(),
        requested_by=decided_by,
        note_type=None,
        event_date=event_date,
        narrative=narrative,
        significant=significant,
        amending=True,
    )
    approval.status = NoteApproval.Status.AWAITING
    approval.updated_by = actor
    approval.save()
    _audit_approval(actor, approval, ["status"])
    _send_for_authorisation(actor, WorkItem.objects.get(pk=approval.work_item_id))
    return rows


def _current_in_group(group_id: uuid.UUID) -> list[CaseNote]:
    """The current version of every note in the group, locked for the change."""
    return list(
        CaseNote.objects.select_for_update(of=("self",))
        .filter(group_id=group_id, superseded_by__isnull=True)
        .exclude(kind=CaseNote.Kind.DELETION)
        .select_related("note_type")
        .order_by("created_at", "person_id")
    )


def _supersede(
    *,
    actor: User | None,
    note: CaseNote,
    kind: str,
    reason: str,
    requested_by: str,
    note_type: NoteType | None,
    event_date: dt.date | None,
    narrative: str | None,
    significant: bool | None,
    amending: bool = False,
) -> list[CaseNote]:
    approval = None if amending else approval_for(note)
    if approval is not None and approval.status == NoteApproval.Status.AWAITING:
        raise ValidationError(
            "This note is waiting for a manager's authorisation: it cannot be changed until "
            "they decide"
        )
    if (
        approval is not None
        and approval.status == NoteApproval.Status.RETURNED
        and kind == CaseNote.Kind.CORRECTION
    ):
        raise ValidationError("This note was returned with comments: amend it and send it again")
    errors = {}
    if not reason.strip():
        errors["reason"] = (
            "Enter why the note is being corrected"
            if kind == CaseNote.Kind.CORRECTION
            else "Enter why the note is being deleted"
        )
    if not requested_by.strip():
        errors["requested_by"] = "Enter who asked for the change"
    if errors:
        raise ValidationError(errors)
    group = _current_in_group(note.group_id)
    if not any(n.thread_id == note.thread_id for n in group):
        raise ValidationError("This note has already been deleted")
    for current in group:
        _require_edit(
            actor,
            current.person_id,
            "This note was recorded for several people, and you cannot change the record of "
            "one of them. Ask their team to make the change.",
        )
    first = group[0]
    new_type = note_type or first.note_type
    if kind == CaseNote.Kind.CORRECTION:
        _check_type(actor, new_type, [n.person_id for n in group])
        if narrative is None:
            narrative = first.narrative
        text = _check_content(event_date or first.event_date, narrative)
    else:
        text = ""
    changed = []
    for current in group:
        row = CaseNote(
            person_id=current.person_id,
            thread_id=current.thread_id,
            group_id=current.group_id,
            kind=kind,
            supersedes=current,
            note_type=new_type,
            event_date=event_date or current.event_date,
            narrative=text,
            significant=current.significant if significant is None else significant,
            reason=reason.strip(),
            requested_by=requested_by.strip(),
            created_by=actor,
            updated_by=actor,
        )
        row.save(force_insert=True)
        _audit_note(
            actor,
            row,
            Action.UPDATE if kind == CaseNote.Kind.CORRECTION else Action.DELETE,
            reason.strip(),
        )
        changed.append(row)
    return changed


@transaction.atomic
def note_correct(
    *,
    actor: User | None,
    note: CaseNote,
    reason: str,
    requested_by: str,
    narrative: str | None = None,
    note_type: NoteType | None = None,
    event_date: dt.date | None = None,
    significant: bool | None = None,
) -> list[CaseNote]:
    """Correct a note (and every note in its group): a new row for each, superseding the
    current one, which is kept."""
    return _supersede(
        actor=actor,
        note=note,
        kind=CaseNote.Kind.CORRECTION,
        reason=reason,
        requested_by=requested_by,
        note_type=note_type,
        event_date=event_date,
        narrative=narrative,
        significant=significant,
    )


@transaction.atomic
def note_delete(
    *, actor: User | None, note: CaseNote, reason: str, requested_by: str
) -> list[CaseNote]:
    """Delete a note (and every note in its group) by a new row: the note disappears from the
    record; the original stays for those allowed to see a note's history."""
    rows = _supersede(
        actor=actor,
        note=note,
        kind=CaseNote.Kind.DELETION,
        reason=reason,
        requested_by=requested_by,
        note_type=None,
        event_date=None,
        narrative=None,
        significant=None,
    )
    approval = approval_for(note)
    if approval is not None and approval.status == NoteApproval.Status.RETURNED:
        item = WorkItem.objects.get(pk=approval.work_item_id)
        if item.is_open:
            work_services.work_item_cancel(
                actor=actor, item=item, reason=f"The note was deleted: {reason.strip()}"
            )
    now = timezone.now()
    for row in rows:
        NotePin.objects.filter(
            person_id=row.person_id, thread_id=row.thread_id, ended_at__isnull=True
        ).update(ended_at=now, updated_by=actor)
    return rows


@transaction.atomic
def note_pin(*, actor: User | None, note: CaseNote, pinned: bool) -> bool:
    """Pin (or unpin) the note on its person's record. Returns whether anything changed."""
    _require_edit(actor, note.person_id, "You cannot change this person's record.")
    current = NotePin.objects.filter(
        person_id=note.person_id, thread_id=note.thread_id, ended_at__isnull=True
    ).first()
    if pinned == (current is not None):
        return False
    if pinned:
        if note.is_deleted:
            raise ValidationError("A deleted note cannot be pinned")
        pin = NotePin.objects.create(
            person_id=note.person_id, thread_id=note.thread_id, created_by=actor, updated_by=actor
        )
    else:
        assert current is not None
        pin = current
        pin.ended_at = timezone.now()
        pin.updated_by = actor
        pin.save(update_fields=["ended_at", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        person_id=note.person_id,
        object_type="recording.notepin",
        object_id=pin.pk,
        changed_fields=["pinned"],
    )
    return True


# --- Visits ---


def _visit_work_type(visit_type: VisitType) -> WorkItemType | None:
    if not visit_type.work_item_type:
        return None
    return WorkItemType.objects.filter(code=visit_type.work_item_type, active=True).first()


def _open_visit_item(person: Person, visit_type: VisitType) -> WorkItem | None:
    """The person's open work item for this kind of visit, the one due first."""
    item_type = _visit_work_type(visit_type)
    if item_type is None:
        return None
    return (
        WorkItem.objects.filter(person=person, item_type=item_type, status__in=WorkItem.OPEN)
        .order_by("due_date", "clock_start")
        .first()
    )


def _actor_team(actor: User | None, person: Person) -> Team | None:
    """The actor's team that works with the person, else their first team."""
    if actor is None:
        return None
    teams = [m.team for m in user_current_memberships(user=actor) if m.team.kind == Team.Kind.TEAM]
    if not teams:
        return None
    day = timezone.localdate()
    involved = relationships.responsible_team_ids(person_id=person.pk, on=day)
    return next((t for t in teams if t.pk in involved), teams[0])


def _audit_visit(actor: User | None, visit: Visit, action: Action, fields: list[str]) -> None:
    audit_record(
        actor=actor,
        action=action,
        person_id=visit.person_id,
        object_type="recording.visit",
        object_id=visit.pk,
        changed_fields=fields,
    )


@transaction.atomic
def visit_plan(
    *, actor: User | None, person: Person, visit_type: VisitType, planned_date: dt.date | None
) -> Visit:
    """Plan a visit. It is linked to the person's open work item for that kind of visit; if
    there is none, one is started (for the actor's team, allocated to them), so the visit
    shows as due on the person's Work tab and in the worker's My work."""
    _require_edit(actor, person.pk, "You cannot plan visits for this person.")
    if planned_date is None:
        raise ValidationError({"planned_date": "Enter the date of the planned visit"})
    if planned_date < timezone.localdate():
        raise ValidationError({"planned_date": "The planned date must be today or in the future"})
    item = _open_visit_item(person, visit_type)
    item_type = _visit_work_type(visit_type)
    if item is None and item_type is not None:
        team = _actor_team(actor, person)
        if team is not None:
            in_team = actor is not None and any(
                m.team_id == team.pk for m in user_current_memberships(user=actor)
            )
            item = work_services.work_item_create(
                actor=actor,
                person=person,
                item_type=item_type,
                team=team,
                worker=actor if in_team else None,
                note=f"Visit planned for {planned_date:%d %B %Y}",
            )
    visit = Visit(
        person=person,
        visit_type=visit_type,
        planned_date=planned_date,
        work_item=item,
        created_by=actor,
        updated_by=actor,
    )
    visit.full_clean()
    visit.save()
    _audit_visit(actor, visit, Action.CREATE, ["visit_type", "planned_date"])
    return visit


def is_child_on(person: Person, day: dt.date) -> bool:
    born = person.date_of_birth
    if born is None:
        return person.is_unborn
    try:
        adult = born.replace(year=born.year + 18)
    except ValueError:  # 29 February
        adult = dt.date(born.year + 18, 3, 1)
    return day < adult


@transaction.atomic
def visit_record(
    *,
    actor: User | None,
    person: Person,
    visit_type: VisitType,
    actual_date: dt.date | None,
    seen: bool | None,
    seen_alone: bool | None = None,
    bedroom_seen: bool | None = None,
    present: str = "",
    present_people: Sequence[Person] = (),
    notes: str = "",
    planned: Visit | None = None,
) -> tuple[Visit, WorkItem | None]:
    """Record a visit that happened (a planned one, or one not planned). The person's open
    work item for that kind of visit is completed on the visit's date; a recurring one starts
    the next, due by its timescale rule. Returns the visit and the next work item (if any)."""
    _require_edit(actor, person.pk, "You cannot record visits for this person.")
    errors: dict[str, str] = {}
    if actual_date is None:
        errors["actual_date"] = "Enter the date of the visit"
    elif actual_date > timezone.localdate():
        errors["actual_date"] = "The date of the visit must be today or in the past"
    if seen is None:
        errors["seen"] = "Select whether they were seen"
    if seen is False and seen_alone:
        errors["seen_alone"] = "They cannot have been seen alone if they were not seen"
    if bedroom_seen is not None and actual_date and not is_child_on(person, actual_date):
        errors["bedroom_seen"] = "Record whether the bedroom was seen only for a child"
    if planned is not None and (planned.person_id != person.pk or planned.is_recorded):
        errors["__all__"] = "That planned visit is not open for this person"
    if errors:
        raise ValidationError(errors)
    assert actual_date is not None
    for other in present_people:
        if other.pk == person.pk:
            raise ValidationError({"present_people": "Choose other people, not the person visited"})
    visit = planned or Visit(person=person, created_by=actor)
    if planned is not None:
        visit = Visit.objects.select_for_update().get(pk=planned.pk)
    visit.visit_type = visit_type
    visit.actual_date = actual_date
    visit.seen = seen
    visit.seen_alone = bool(seen_alone) if seen else False
    visit.bedroom_seen = bedroom_seen
    visit.present = present.strip()
    visit.notes = notes.strip()
    visit.updated_by = actor
    item = visit.work_item if visit.work_item_id else None
    if item is not None and (not item.is_open or item.item_type.code != visit_type.work_item_type):
        item = None
    item = item or _open_visit_item(person, visit_type)
    visit.work_item = item
    visit.full_clean()
    visit.save()
    for other in present_people:
        VisitPresent.objects.create(visit=visit, person=other, created_by=actor, updated_by=actor)
    _audit_visit(
        actor,
        visit,
        Action.UPDATE if planned is not None else Action.CREATE,
        ["actual_date", "seen", "seen_alone", "bedroom_seen", "present", "notes"],
    )
    following: WorkItem | None = None
    if item is not None:
        try:
            with transaction.atomic():
                done = work_services.work_item_complete(actor=actor, item=item, on=actual_date)
        except (PermissionDenied, ValidationError):
            done = None  # not the actor's team's step: the visit is recorded, the item stays
        if done is not None:
            following = WorkItem.objects.filter(previous=done).first()
    return visit, following


def visit_types_active() -> list[VisitType]:
    return list(VisitType.objects.filter(active=True).order_by("position", "name"))
