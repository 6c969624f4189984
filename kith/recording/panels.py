"""Recording's panel on the person's summary (pinned notes), and what it adds to work's
pages: the link from a note-approval step to its note, and the user's note drafts and
returned notes under My unfinished work."""

from typing import Any

from django.urls import reverse

from kith.access.policy import decide
from kith.people.models import Person
from kith.recording import selectors
from kith.recording.selectors import person_pinned_notes
from kith.work.hooks import Unfinished


class PinnedNotesPanel:
    title = "Pinned notes"
    template = "recording/_panel_pinned_notes.jinja"
    order = 20

    def context(self, *, user: Any, person: Person) -> dict[str, Any]:
        if not decide(user, person.pk).allowed:
            return {"notes": []}
        return {"notes": person_pinned_notes(user=user, person=person)}


pinned_notes = PinnedNotesPanel()


def work_item_links(*, item: Any) -> list[tuple[str, str]]:
    note = selectors.note_for_work_item(item=item)
    if note is None:
        return []
    return [
        (
            f"Open the note: {note.note_type.name}, {note.event_date:%-d %B %Y}",
            reverse("recording:note", args=[note.person_id, note.thread_id]),
        )
    ]


def unfinished_notes(*, user: Any) -> list[Unfinished]:
    """The user's note drafts and the notes returned to them to amend."""
    names = {t.code: t.name for t in selectors.note_type_list()}
    found = [
        Unfinished(
            what=f"{names.get(draft.note_type_code, 'Note')} (not yet saved to the record)",
            person_name=draft.person.full_name,
            url=reverse("recording:note-draft", args=[draft.person_id, draft.pk]),
            status="Draft",
            last_saved_at=draft.last_saved_at,
        )
        for draft in selectors.my_note_drafts(user=user)
    ]
    found += [
        Unfinished(
            what=f"{note.note_type.name}, {note.event_date:%-d %B %Y}",
            person_name=approval.person.full_name,
            url=reverse("recording:note-amend", args=[note.person_id, note.thread_id]),
            status="Returned with comments",
            last_saved_at=approval.decided_at,
        )
        for approval, note in selectors.my_returned_notes(user=user)
    ]
    return found
