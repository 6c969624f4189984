"""Reads of case notes and visits, through the access policy, always audited.

Every function taking ``person`` expects one from ``people.selectors.person_get`` (which
applied the policy and audited opening the record); these add the audit entry of what was
read on it. A note's history (corrected and deleted versions) is shown only to managers of a
team working with the person; everyone else sees the current version only.
"""

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from kith.access.policy import Decision, accessible_q, hidden_q
from kith.access.selectors import person_team_managers
from kith.accounts.models import User
from kith.accounts.selectors import team_managers
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.people import selectors as people_selectors
from kith.people.chronology import ChronologyEvent, EventType
from kith.people.models import Person
from kith.recording.models import (
    CaseNote,
    NoteApproval,
    NoteDraft,
    NotePin,
    NoteType,
    Visit,
    VisitPresent,
    VisitType,
)

NOTES_PAGE_SIZE = 20


def may_see_history(*, user: User | AnonymousUser, person: Person) -> bool:
    """Managers of the teams working with the person see corrected and deleted versions."""
    return isinstance(user, User) and user in person_team_managers(person_id=person.pk)


def note_types(*, user: User | AnonymousUser, person: Person) -> list[NoteType]:
    """The note types this user may record on this person (manager-only types for managers
    of a team working with them)."""
    types = list(NoteType.objects.filter(active=True).order_by("position", "name"))
    if not may_see_history(user=user, person=person):
        types = [t for t in types if not t.manager_only]
    return types


def note_type_list() -> list[NoteType]:
    return list(NoteType.objects.filter(active=True).order_by("position", "name"))


def visit_types() -> list[VisitType]:
    return list(VisitType.objects.filter(active=True).order_by("position", "name"))


def group_choices(*, user: User | AnonymousUser, person: Person) -> list[Person]:
    """People a note on ``person`` may also be recorded for: their current relatives and
    household members whose records the user may open."""
    family = people_selectors.person_family(user=user, person=person)
    found: dict[uuid.UUID, Person] = {}
    for related in family.current:
        if related.may_open:
            found.setdefault(related.other.pk, related.other)
    for household in family.households:
        if household.household and not any(
            m.person_id == person.pk and m.end_date is None for m, _ in household.members
        ):
            continue
        for member, may_open in household.members:
            if may_open and member.end_date is None and member.person_id != person.pk:
                found.setdefault(member.person_id, member.person)
    return sorted(found.values(), key=lambda p: (p.date_of_birth or dt.date.min, p.full_name))


def _current(person: Person) -> "Q":
    return Q(person=person, superseded_by__isnull=True)


@dataclass
class NotesPage:
    notes: list[CaseNote]
    pinned: list[CaseNote]
    total: int
    page: int
    pages: int


def _pinned_threads(person: Person) -> set[uuid.UUID]:
    return set(
        NotePin.objects.filter(person=person, ended_at__isnull=True).values_list(
            "thread_id", flat=True
        )
    )


def person_notes(
    *,
    user: User | AnonymousUser,
    person: Person,
    decision: Decision | None = None,
    types: set[str] | None = None,
    significant_only: bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    page: int = 1,
    page_size: int = NOTES_PAGE_SIZE,
    action: Action = Action.LIST,
) -> NotesPage:
    """The current version of the person's notes (deleted ones left out), newest first,
    filtered, a page at a time; pinned ones (on the first page) on top."""
    notes = (
        CaseNote.objects.filter(_current(person))
        .exclude(kind=CaseNote.Kind.DELETION)
        .select_related("note_type", "created_by")
    )
    if types:
        notes = notes.filter(note_type__code__in=types)
    if significant_only:
        notes = notes.filter(significant=True)
    if date_from:
        notes = notes.filter(event_date__gte=date_from)
    if date_to:
        notes = notes.filter(event_date__lte=date_to)
    notes = notes.order_by("-event_date", "-created_at")
    total = notes.count()
    pages = max(1, math.ceil(total / page_size)) if page_size else 1
    page = min(max(1, page), pages)
    shown = list(notes[(page - 1) * page_size : page * page_size]) if page_size else list(notes)
    pinned_ids = _pinned_threads(person)
    pinned = (
        list(
            CaseNote.objects.filter(_current(person), thread_id__in=pinned_ids)
            .exclude(kind=CaseNote.Kind.DELETION)
            .select_related("note_type", "created_by")
            .order_by("-event_date")
        )
        if page == 1 and pinned_ids
        else []
    )
    for note in shown + pinned:
        note.pinned = note.thread_id in pinned_ids  # type: ignore[attr-defined]
    _attach_approvals(shown + pinned)
    audit_record(
        actor=user,
        action=action,
        person_id=person.pk,
        object_type="recording.casenote",
        object_id=person.pk,
        rule=decision.rule if decision else "",
        result_ids=sorted({str(n.pk) for n in shown + pinned}),
    )
    return NotesPage(shown, pinned, total, page, pages)


def _attach_approvals(notes: list[CaseNote]) -> None:
    """Each note's ``approval`` (a NoteApproval, or None for types needing none)."""
    groups = {n.group_id for n in notes}
    found = (
        {
            a.group_id: a
            for a in NoteApproval.objects.filter(group_id__in=groups).select_related(
                "decided_by", "work_item"
            )
        }
        if groups
        else {}
    )
    for note in notes:
        note.approval = found.get(note.group_id)  # type: ignore[attr-defined]


def person_pinned_notes(*, user: User | AnonymousUser, person: Person) -> list[CaseNote]:
    """Pinned notes for the summary. The summary's read of the record is audited by
    ``person_get``; this adds the notes shown."""
    pinned_ids = _pinned_threads(person)
    if not pinned_ids:
        return []
    notes = list(
        CaseNote.objects.filter(_current(person), thread_id__in=pinned_ids)
        .exclude(kind=CaseNote.Kind.DELETION)
        .select_related("note_type", "created_by")
        .order_by("-event_date")
    )
    if notes:
        audit_record(
            actor=user,
            action=Action.LIST,
            person_id=person.pk,
            object_type="recording.casenote",
            object_id=person.pk,
            result_ids=sorted(str(n.pk) for n in notes),
        )
    return notes


@dataclass
class NoteThread:
    current: CaseNote
    # Every version, oldest first (only for users who may see a note's history).
    history: list[CaseNote] = field(default_factory=list)
    pinned: bool = False
    # The other people the note was recorded for whom the user may see, and whether they
    # may open their records.
    group: list[tuple[Person, bool]] = field(default_factory=list)
    sees_history: bool = False
    approval: NoteApproval | None = None

    @property
    def deleted(self) -> bool:
        return self.current.is_deleted


def note_get(
    *,
    user: User | AnonymousUser,
    person: Person,
    thread_id: object,
    decision: Decision | None = None,
    action: Action = Action.VIEW,
) -> NoteThread | None:
    """One note on the person (any version's or the thread's id). A deleted note exists only
    for users who may see a note's history."""
    try:
        pk = uuid.UUID(str(thread_id))
    except ValueError:
        return None
    row = (
        CaseNote.objects.filter(person=person)
        .filter(Q(thread_id=pk) | Q(pk=pk))
        .only("thread_id")
        .first()
    )
    if row is None:
        return None
    versions = list(
        CaseNote.objects.filter(person=person, thread_id=row.thread_id)
        .select_related("note_type", "created_by")
        .order_by("created_at")
    )
    superseded = {v.supersedes_id for v in versions if v.supersedes_id}
    current = next(v for v in reversed(versions) if v.pk not in superseded)
    sees_history = may_see_history(user=user, person=person)
    if current.is_deleted and not sees_history:
        return None
    others = list(
        Person.objects.filter(
            pk__in=CaseNote.objects.filter(group_id=current.group_id)
            .exclude(person=person)
            .values("person_id")
        )
        .exclude(hidden_q(user))
        .order_by("date_of_birth")
    )
    may_open = set(
        Person.objects.filter(accessible_q(user), pk__in=[p.pk for p in others]).values_list(
            "pk", flat=True
        )
    )
    audit_record(
        actor=user,
        action=action,
        person_id=person.pk,
        object_type="recording.casenote",
        object_id=current.pk,
        rule=decision.rule if decision else "",
        result_ids=[str(v.pk) for v in versions] if sees_history else [str(current.pk)],
    )
    return NoteThread(
        current=current,
        history=versions if sees_history else [],
        pinned=current.thread_id in _pinned_threads(person),
        group=[(p, p.pk in may_open) for p in others],
        sees_history=sees_history,
        approval=NoteApproval.objects.filter(group_id=current.group_id)
        .select_related("decided_by", "work_item", "author")
        .first(),
    )


# --- Drafts (the author's only) and notes returned to them ---


def my_note_drafts(*, user: User | AnonymousUser, person: Person | None = None) -> list[NoteDraft]:
    """The user's own note drafts (on one person, or on everyone they may still open),
    last saved first. Nobody else sees a draft."""
    if not isinstance(user, User):
        return []
    drafts = NoteDraft.objects.filter(owner=user, closed_at__isnull=True).select_related("person")
    if person is not None:
        drafts = drafts.filter(person=person)
    else:
        drafts = drafts.filter(accessible_q(user, "person_id"))
    return list(drafts.order_by("-last_saved_at"))


def note_draft_get(
    *, user: User | AnonymousUser, person: Person, draft_id: object
) -> NoteDraft | None:
    """One of the user's drafts on the person (``person`` from ``person_get``); audited."""
    if not isinstance(user, User):
        return None
    try:
        pk = uuid.UUID(str(draft_id))
    except ValueError:
        return None
    draft = NoteDraft.objects.filter(
        pk=pk, owner=user, person=person, closed_at__isnull=True
    ).first()
    if draft is not None:
        audit_record(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            object_type="recording.notedraft",
            object_id=draft.pk,
        )
    return draft


def may_decide(*, user: User | AnonymousUser, approval: NoteApproval | None) -> bool:
    """A manager who may authorise (or return) the note now: of the step's team, not its
    worker."""
    if approval is None or approval.status != NoteApproval.Status.AWAITING:
        return False
    item = approval.work_item
    return (
        isinstance(user, User)
        and user.pk != item.worker_id
        and user in team_managers(team_ids={item.team_id})
    )


def my_returned_notes(*, user: User | AnonymousUser) -> list[tuple[NoteApproval, CaseNote]]:
    """Notes a manager returned with comments for the user to amend (they wrote them, or the
    step was given to them), about people they may still open."""
    if not isinstance(user, User):
        return []
    approvals = list(
        NoteApproval.objects.filter(status=NoteApproval.Status.RETURNED)
        .filter(Q(author=user) | Q(work_item__worker=user))
        .filter(accessible_q(user, "person_id"))
        .select_related("person", "decided_by")
        .order_by("-decided_at")
    )
    notes = {
        n.group_id: n
        for n in CaseNote.objects.filter(
            group_id__in=[a.group_id for a in approvals],
            superseded_by__isnull=True,
            person_id__in=[a.person_id for a in approvals],
        )
        .exclude(kind=CaseNote.Kind.DELETION)
        .select_related("note_type")
    }
    return [(a, notes[a.group_id]) for a in approvals if a.group_id in notes]


def note_for_work_item(*, item: object) -> CaseNote | None:
    """The note a note-approval work item is about (its first person's current version)."""
    approval = NoteApproval.objects.filter(work_item_id=getattr(item, "pk", None)).first()
    if approval is None:
        return None
    return (
        CaseNote.objects.filter(
            group_id=approval.group_id, person_id=approval.person_id, superseded_by__isnull=True
        )
        .select_related("note_type")
        .first()
    )


# --- Visits ---


def person_visits(
    *, user: User | AnonymousUser, person: Person, decision: Decision | None = None
) -> tuple[list[Visit], list[Visit]]:
    """Planned visits (soonest first) and recorded visits (newest first)."""
    visits = list(
        Visit.objects.filter(person=person).select_related(
            "visit_type", "work_item", "work_item__item_type", "created_by", "updated_by"
        )
    )
    planned = sorted(
        (v for v in visits if not v.is_recorded), key=lambda v: v.planned_date or dt.date.max
    )
    done = sorted(
        (v for v in visits if v.is_recorded),
        key=lambda v: (v.actual_date or dt.date.min, v.created_at),
        reverse=True,
    )
    audit_record(
        actor=user,
        action=Action.LIST,
        person_id=person.pk,
        object_type="recording.visit",
        object_id=person.pk,
        rule=decision.rule if decision else "",
        result_ids=sorted(str(v.pk) for v in visits),
    )
    return planned, done


@dataclass
class VisitView:
    visit: Visit
    present_people: list[tuple[Person, bool]]


def visit_get(
    *,
    user: User | AnonymousUser,
    person: Person,
    visit_id: object,
    decision: Decision | None = None,
    audit: bool = True,
) -> VisitView | None:
    try:
        pk = uuid.UUID(str(visit_id))
    except ValueError:
        return None
    visit = (
        Visit.objects.filter(pk=pk, person=person)
        .select_related("visit_type", "work_item", "work_item__item_type", "created_by")
        .first()
    )
    if visit is None:
        return None
    present = list(
        Person.objects.filter(
            pk__in=VisitPresent.objects.filter(visit=visit).values("person_id")
        ).exclude(hidden_q(user))
    )
    may_open = set(
        Person.objects.filter(accessible_q(user), pk__in=[p.pk for p in present]).values_list(
            "pk", flat=True
        )
    )
    if audit:
        audit_record(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            object_type="recording.visit",
            object_id=visit.pk,
            rule=decision.rule if decision else "",
        )
    return VisitView(visit, [(p, p.pk in may_open) for p in present])


def present_choices(*, user: User | AnonymousUser, person: Person) -> list[Person]:
    """People who may be chosen as present at a visit: family and household the user may
    open (the same as for a group note)."""
    return group_choices(user=user, person=person)


# --- Chronology (recording's events) ---

RECORDING = "Recording"
SIGNIFICANT_NOTE = EventType("recording.significant_note", "Significant case notes", RECORDING)
VISIT = EventType("recording.visit", "Visits", RECORDING)


def _yes_no(value: bool | None) -> str:
    return "not recorded" if value is None else ("yes" if value else "no")


def person_recording_events(*, person_id: uuid.UUID) -> list[ChronologyEvent]:
    """Significant notes (current versions, not deleted) and recorded visits. No policy here:
    call through ``people.selectors.person_chronology``."""
    events: list[ChronologyEvent] = []
    notes = (
        CaseNote.objects.filter(person_id=person_id, superseded_by__isnull=True, significant=True)
        .exclude(kind=CaseNote.Kind.DELETION)
        .select_related("note_type", "created_by")
    )
    awaiting = set(
        NoteApproval.objects.filter(
            group_id__in=notes.values("group_id"),
            status__in=[NoteApproval.Status.AWAITING, NoteApproval.Status.RETURNED],
        ).values_list("group_id", flat=True)
    )
    for note in notes:
        summary = note.narrative if len(note.narrative) <= 300 else note.narrative[:297] + "…"
        others = tuple(
            CaseNote.objects.filter(group_id=note.group_id)
            .exclude(person_id=person_id)
            .values_list("person_id", flat=True)
            .distinct()
        )
        events.append(
            ChronologyEvent(
                note.event_date,
                SIGNIFICANT_NOTE.code,
                note.note_type.name
                + (" (corrected)" if note.kind == "correction" else "")
                + (" (awaiting authorisation)" if note.group_id in awaiting else ""),
                summary,
                note.created_by.display_name if note.created_by else "",
                RECORDING,
                names_people=others,
            )
        )
    for visit in Visit.objects.filter(
        person_id=person_id, actual_date__isnull=False
    ).select_related("visit_type", "updated_by"):
        assert visit.actual_date is not None
        detail = f"Seen: {_yes_no(visit.seen)}; seen alone: {_yes_no(visit.seen_alone)}"
        if visit.bedroom_seen is not None:
            detail += f"; bedroom seen: {_yes_no(visit.bedroom_seen)}"
        events.append(
            ChronologyEvent(
                visit.actual_date,
                VISIT.code,
                visit.visit_type.name,
                detail,
                visit.updated_by.display_name if visit.updated_by else "",
                RECORDING,
            )
        )
    return events


def today() -> dt.date:
    return timezone.localdate()
