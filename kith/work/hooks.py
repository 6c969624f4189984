"""Apps built on work hear about a manager's decision on a work item, and add to work's pages.

- ``register_decision_listener(fn)``: ``fn(item=, actor=, decision=, comment=)`` is called
  inside the decision's transaction when a manager authorises ("authorised"), returns
  ("returned") or reassigns ("reassigned") a step waiting for authorisation. A listener may
  refuse the decision by raising ``ValidationError``: the whole decision rolls back.
- ``register_item_links(fn)``: ``fn(item=)`` returns ``[(text, url)]`` shown on the work
  item's page (e.g. the form the step is about).
- ``register_my_work_panel(panel)``: a panel (``title``, ``template``, ``order``,
  ``context(user=)``) on the worker's My work page.
- ``register_unfinished(fn)``: ``fn(user=)`` returns ``[Unfinished]``, the user's own
  unfinished work other than forms (a note being written, a note returned to them), listed
  with their forms under My unfinished work.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

DecisionListener = Callable[..., None]
ItemLinks = Callable[..., list[tuple[str, str]]]


class MyWorkPanel(Protocol):
    title: str
    template: str
    order: int

    def context(self, *, user: Any) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Unfinished:
    what: str  # "Case note", "Closing summary"
    person_name: str
    url: str
    status: str  # "Draft", "Returned with comments"
    last_saved_at: dt.datetime | None = None


UnfinishedSource = Callable[..., list[Unfinished]]

_decision_listeners: list[DecisionListener] = []
_unfinished: list[UnfinishedSource] = []
_item_links: list[ItemLinks] = []
_my_work_panels: list[MyWorkPanel] = []


def register_decision_listener(listener: DecisionListener) -> None:
    if listener not in _decision_listeners:
        _decision_listeners.append(listener)


def register_item_links(links: ItemLinks) -> None:
    if links not in _item_links:
        _item_links.append(links)


def register_my_work_panel(panel: MyWorkPanel) -> None:
    if panel not in _my_work_panels:
        _my_work_panels.append(panel)
        _my_work_panels.sort(key=lambda p: p.order)


def decided(*, item: Any, actor: Any, decision: str, comment: str = "") -> None:
    for listener in _decision_listeners:
        listener(item=item, actor=actor, decision=decision, comment=comment)


def item_links(*, item: Any) -> list[tuple[str, str]]:
    return [link for links in _item_links for link in links(item=item)]


def my_work_panels(*, user: Any) -> list[tuple[MyWorkPanel, dict[str, Any]]]:
    return [(panel, panel.context(user=user)) for panel in _my_work_panels]


def register_unfinished(source: UnfinishedSource) -> None:
    if source not in _unfinished:
        _unfinished.append(source)


def unfinished(*, user: Any) -> list[Unfinished]:
    """Everything unfinished the registered apps hold for the user, last saved first."""
    found = [entry for source in _unfinished for entry in source(user=user)]
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(found, key=lambda e: e.last_saved_at or oldest, reverse=True)
