"""Writes for note drafts: a note saved on the server as it is typed (every few seconds and on
leaving a field), so it survives the idle sign-out and a closed browser; then finished (the
note is made by ``services.note_add``, and the draft goes) or discarded. A draft is its
author's alone (ADR 0016). Each save that changes something is audited with what changed."""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kith.access.policy import Do, decide
from kith.accounts.models import User
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.people.models import Person
from kith.recording import services
from kith.recording.models import CaseNote, NoteDraft, NoteType

# What a draft holds, as typed (a form's POST or the API's JSON).
DRAFT_FIELDS = (
    "note_type_code",
    "event_day",
    "event_month",
    "event_year",
    "narrative",
    "significant",
    "pinned",
    "also_for",
)


class DraftClosed(ValidationError):
    """The draft was finished or discarded (a save that was on its way when it was)."""

    def __init__(self, how: str) -> None:
        super().__init__(
            "This note has been saved to the record"
            if how == "finished"
            else "This draft was discarded"
        )
        self.how = how


def _close(actor: User, draft: NoteDraft, how: str) -> None:
    """Clear what the draft held and mark it closed (the row stays; see the model)."""
    draft.closed_at = timezone.now()
    draft.closed_as = how
    draft.narrative = ""
    draft.also_for = []
    draft.note_type_code = ""
    draft.updated_by = actor
    draft.save()
    _audit(actor, draft, Action.DELETE if how == "discarded" else Action.UPDATE, [how])


@dataclass
class DraftValues:
    note_type_code: str = ""
    event_day: str = ""
    event_month: str = ""
    event_year: str = ""
    narrative: str = ""
    significant: bool = False
    pinned: bool = False
    also_for: list[str] = field(default_factory=list)

    @classmethod
    def for_date(cls, day: dt.date | None, **values: object) -> "DraftValues":
        parts = ("", "", "") if day is None else (str(day.day), str(day.month), str(day.year))
        return cls(event_day=parts[0], event_month=parts[1], event_year=parts[2], **values)  # type: ignore[arg-type]

    def is_empty(self) -> bool:
        """Nothing typed yet (the date the page starts with does not count)."""
        return not (
            self.note_type_code
            or self.narrative.strip()
            or self.significant
            or self.pinned
            or self.also_for
        )


def _audit(actor: User | None, draft: NoteDraft, action: Action, fields: list[str]) -> None:
    audit_record(
        actor=actor,
        action=action,
        person_id=draft.person_id,
        object_type="recording.notedraft",
        object_id=draft.pk,
        changed_fields=fields,
    )


def _require_owner(actor: User, draft: NoteDraft) -> None:
    if draft.owner_id != actor.pk:
        raise PermissionDenied("Only the worker writing this note can change it.")
    if not decide(actor, draft.person_id, Do.EDIT).allowed:
        raise PermissionDenied("You cannot add notes to this person's record.")


def _clean(values: DraftValues) -> dict[str, object]:
    return {
        "note_type_code": values.note_type_code.strip()[:60],
        "event_day": values.event_day.strip()[:10],
        "event_month": values.event_month.strip()[:10],
        "event_year": values.event_year.strip()[:10],
        "narrative": values.narrative[: services.NARRATIVE_MAX + 1000],
        "significant": bool(values.significant),
        "pinned": bool(values.pinned),
        "also_for": sorted({str(v) for v in values.also_for if str(v).strip()}),
    }


@transaction.atomic
def note_draft_save(
    *, actor: User, person: Person, draft_id: uuid.UUID, values: DraftValues
) -> NoteDraft | None:
    """Save what has been typed so far, however incomplete (never refused for that). The
    first save makes the draft with the id the page (or API client) chose, so saves that
    cross on the way never make two. Nothing typed yet: no draft (returns None)."""
    if not decide(actor, person.pk, Do.EDIT).allowed:
        raise PermissionDenied("You cannot add notes to this person's record.")
    cleaned = _clean(values)
    draft = NoteDraft.objects.select_for_update().filter(pk=draft_id).first()
    if draft is None:
        if values.is_empty():
            return None
        now = timezone.now()
        try:
            with transaction.atomic():
                draft = NoteDraft.objects.create(
                    id=draft_id,
                    person=person,
                    owner=actor,
                    last_saved_at=now,
                    created_by=actor,
                    updated_by=actor,
                    **cleaned,
                )
        except IntegrityError:
            # Made by a save that crossed this one: save over it.
            draft = NoteDraft.objects.select_for_update().get(pk=draft_id)
        else:
            _audit(actor, draft, Action.CREATE, sorted(k for k, v in cleaned.items() if v))
            return draft
    if draft.person_id != person.pk:
        raise PermissionDenied("This draft is about someone else.")
    _require_owner(actor, draft)
    if draft.closed_at is not None:
        raise DraftClosed(draft.closed_as)
    changed = sorted(k for k, v in cleaned.items() if getattr(draft, k) != v)
    if not changed:
        return draft
    for key in changed:
        setattr(draft, key, cleaned[key])
    draft.last_saved_at = timezone.now()
    draft.updated_by = actor
    draft.save()
    _audit(actor, draft, Action.UPDATE, changed)
    return draft


@transaction.atomic
def note_draft_discard(*, actor: User, draft: NoteDraft) -> None:
    """Throw the draft away (it was never on the record)."""
    draft = NoteDraft.objects.select_for_update().get(pk=draft.pk)
    _require_owner(actor, draft)
    if draft.closed_at is not None:
        raise DraftClosed(draft.closed_as)
    _close(actor, draft, "discarded")


def _event_date(draft: NoteDraft) -> dt.date:
    day, month, year = draft.event_day, draft.event_month, draft.event_year
    if not (day or month or year):
        raise ValidationError({"event_date": "Enter the date it happened"})
    missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
    if missing:
        raise ValidationError(
            {"event_date": f"Date it happened must include a {' and '.join(missing)}"}
        )
    try:
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValueError
        return dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise ValidationError({"event_date": "Date it happened must be a real date"}) from exc


@transaction.atomic
def note_draft_finish(
    *, actor: User, draft: NoteDraft, note_types: Sequence[NoteType], also_for: Sequence[Person]
) -> list[CaseNote]:
    """Make the note from the draft through ``note_add`` (checked as any note is; a type
    needing approval goes to the authorisation queue), then remove the draft. ``note_types``
    are the types the actor may record; ``also_for`` the people of the draft's ``also_for``
    the actor may choose (from ``selectors.group_choices``)."""
    draft = NoteDraft.objects.select_for_update().select_related("person").get(pk=draft.pk)
    _require_owner(actor, draft)
    if draft.closed_at is not None:
        raise DraftClosed(draft.closed_as)
    errors: dict[str, str] = {}
    note_type = next((t for t in note_types if t.code == draft.note_type_code), None)
    if note_type is None:
        errors["note_type"] = "Select the type of note"
    try:
        event_date = _event_date(draft)
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
        event_date = None
    chosen = set(draft.also_for)
    others = [p for p in also_for if str(p.pk) in chosen]
    if len(others) != len(chosen - {str(draft.person_id)}):
        errors["also_for"] = "One of the people chosen can no longer be given this note"
    if errors:
        raise ValidationError(errors)
    assert note_type is not None
    notes = services.note_add(
        actor=actor,
        person=draft.person,
        note_type=note_type,
        event_date=event_date,
        narrative=draft.narrative,
        significant=draft.significant,
        pinned=draft.pinned,
        also_for=others,
    )
    _close(actor, draft, "finished")
    return notes
