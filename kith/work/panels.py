"""Work's panel on the person's page: the teams and workers working with them."""

from typing import Any

from kith.people.models import Person
from kith.work.selectors import person_current_work


class WhoIsWorkingPanel:
    title = "Who is working with them"
    template = "work/_panel_who_is_working.jinja"
    order = 10

    def context(self, *, user: Any, person: Person) -> dict[str, Any]:
        involvements, allocations = person_current_work(user=user, person=person)
        return {"involvements": involvements, "allocations": allocations}


who_is_working = WhoIsWorkingPanel()
