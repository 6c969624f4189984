"""Recording's panel on the person's summary: pinned notes."""

from typing import Any

from kith.access.policy import decide
from kith.people.models import Person
from kith.recording.selectors import person_pinned_notes


class PinnedNotesPanel:
    title = "Pinned notes"
    template = "recording/_panel_pinned_notes.jinja"
    order = 20

    def context(self, *, user: Any, person: Person) -> dict[str, Any]:
        if not decide(user, person.pk).allowed:
            return {"notes": []}
        return {"notes": person_pinned_notes(user=user, person=person)}


pinned_notes = PinnedNotesPanel()
