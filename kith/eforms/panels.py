"""What forms add to work's pages: the link from a work item to its form, and the
"My unfinished work" panel on My work."""

from typing import Any

from django.urls import reverse

from kith.eforms import selectors
from kith.work import hooks


def work_item_links(*, item: Any) -> list[tuple[str, str]]:
    submission = selectors.submission_for_work_item(item=item)
    if submission is None:
        return []
    return [
        (
            f"Open the form: {submission.version.title}",
            reverse("eforms:submission", args=[submission.pk]),
        )
    ]


class UnfinishedPanel:
    title = "My unfinished work"
    template = "eforms/_panel_unfinished.jinja"
    order = 10

    def context(self, *, user: Any) -> dict[str, Any]:
        return {
            "submissions": list(selectors.my_unfinished(user=user)[:10]),
            "others": hooks.unfinished(user=user)[:10],
        }


unfinished_panel = UnfinishedPanel()
