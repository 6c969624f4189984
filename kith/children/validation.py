"""Entry validation: the single-record rules of the DfE validators, checked when data is typed.

Each rule is registered once, under the record kind it checks (``"cin_episode"``,
``"cla_episode"``…), with the rule code the DfE validator gives it (CIN census rule ``8640``,
SSDA903 rule ``146``), the return it comes from, the fields it is about and the message a social
worker reads. A rule is a function of one :class:`Entry` (the values about to be saved, the child,
the record being changed and anything else the service passes) that returns ``True`` when the
entry breaks the rule.

Services call :func:`enforce` before they write: every broken rule becomes a message on its field,
ending with the rule it comes from, and nothing is saved. :func:`catalogue` lists every rule for
the documentation and the tests (each rule has a test named by its code).

A rule that applies only from (or until) a collection year gives ``effective_from`` /
``effective_to``; it is checked against the entry's ``on`` date (the date the record is about).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

CIN = "CIN census"
SSDA903 = "SSDA903"


@dataclass
class Entry:
    """What a rule sees: ``values`` about to be saved (read as attributes), the ``person``,
    the ``instance`` being changed (None when adding), the date the entry is about (``on``) and
    ``context``: anything else the service looked up for its rules (e.g. the child's other open
    episodes), read as attributes too."""

    values: Mapping[str, Any]
    person: Any = None
    instance: Any = None
    on: dt.date | None = None
    context: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        context = self.__dict__.get("context", {})
        if name in context:
            return context[name]
        raise AttributeError(name)

    def get(self, name: str, default: Any = None) -> Any:
        if name in self.values:
            return self.values[name]
        return self.context.get(name, default)


Check = Callable[[Entry], bool]


@dataclass(frozen=True)
class Rule:
    kind: str
    code: str
    source: str
    fields: tuple[str, ...]
    message: str
    check: Check
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None

    @property
    def label(self) -> str:
        return f"{self.source} rule {self.code}"

    def applies_on(self, on: dt.date | None) -> bool:
        if on is None:
            return True
        if self.effective_from and on < self.effective_from:
            return False
        return not (self.effective_to and on > self.effective_to)


@dataclass(frozen=True)
class Problem:
    rule: Rule
    field: str

    @property
    def message(self) -> str:
        return f"{self.rule.message} ({self.rule.label})"


_rules: dict[str, list[Rule]] = {}


def rule(
    kind: str,
    code: str,
    *,
    source: str,
    fields: tuple[str, ...] | str,
    message: str,
    effective_from: dt.date | None = None,
    effective_to: dt.date | None = None,
) -> Callable[[Check], Check]:
    """Register the decorated check as rule ``code`` of ``source`` for records of ``kind``.
    The first field named is where the message is shown."""
    names = (fields,) if isinstance(fields, str) else tuple(fields)
    if not names:
        raise ValueError(f"{source} rule {code} names no field")

    def register(check: Check) -> Check:
        found = _rules.setdefault(kind, [])
        if any(r.code == code and r.source == source for r in found):
            raise ValueError(f"{source} rule {code} is already registered for {kind}")
        found.append(Rule(kind, code, source, names, message, check, effective_from, effective_to))
        return check

    return register


def problems(kind: str, entry: Entry) -> list[Problem]:
    """Every registered rule for ``kind`` that ``entry`` breaks, in registration order."""
    return [
        Problem(r, r.fields[0])
        for r in _rules.get(kind, [])
        if r.applies_on(entry.on) and r.check(entry)
    ]


def enforce(kind: str, entry: Entry) -> None:
    """Raise one ``ValidationError`` naming every broken rule on its field; return if none."""
    found = problems(kind, entry)
    if not found:
        return
    by_field: dict[str, list[str]] = {}
    for problem in found:
        by_field.setdefault(problem.field, []).append(problem.message)
    raise ValidationError(by_field)


def catalogue() -> list[Rule]:
    """Every registered rule, by kind then code."""
    return sorted((r for rules in _rules.values() for r in rules), key=lambda r: (r.kind, r.code))
