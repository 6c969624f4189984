"""Answers to a form version's questions: read from a page or the API, checked, shown.

The server is the authority: a draft keeps whatever was typed (never refused for being
incomplete), and ``check`` decides, question by question, whether a submission is complete:
required questions answered (those hidden by ``show_if`` are not asked), values of the right
kind, repeating groups within their limits, conditions inside repeating groups judged row by row.

How answers are kept (``FormSubmission.answers``): text, long text, number and person as
strings; yes/no as "yes"/"no"; a date as its parts ``{"day", "month", "year"}`` (so a half-typed
date survives a draft); choices as a string or a list of strings; a repeating group as a list of
rows (each a mapping of its questions' answers). Files are ``FormAttachment`` rows.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from kith.eforms.schema import top_questions

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Longer than any assessment needs; only a runaway paste is cut.
MAX_TEXT = 200_000


def field_id(key: str, group: str | None = None, row: int | None = None) -> str:
    return f"q-{group}-{row}-{key}" if group is not None else f"q-{key}"


# --- Shapes -------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)[:MAX_TEXT]


def _date(value: Any) -> dict[str, str]:
    if isinstance(value, dt.date):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    if isinstance(value, str):
        match = ISO_DATE.match(value.strip())
        if match:
            year, month, day = match.groups()
            return {"day": str(int(day)), "month": str(int(month)), "year": year}
        return {"day": "", "month": "", "year": ""}
    if isinstance(value, dict):
        return {part: _text(value.get(part)).strip()[:4] for part in ("day", "month", "year")}
    return {"day": "", "month": "", "year": ""}


def _list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value if _text(v)]
    text = _text(value)
    return [text] if text else []


def _multiple(q: Mapping[str, Any]) -> bool:
    return q["type"] == "multiple_choice" or (q["type"] == "code_list" and q.get("multiple", False))


def shape(q: Mapping[str, Any], value: Any) -> Any:
    """A value in the form kept for its question, whatever was sent (never refused)."""
    kind = q["type"]
    if kind == "date":
        return _date(value)
    if _multiple(q):
        return _list(value)
    if kind == "repeating":
        rows = value if isinstance(value, list) else []
        return [
            {sub["key"]: shape(sub, row.get(sub["key"])) for sub in q["questions"]}
            for row in rows[:200]
            if isinstance(row, dict)
        ]
    if kind == "yes_no":
        text = _text(value).strip().lower()
        return text if text in {"yes", "no"} else ""
    return _text(value)


def shape_all(schema: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers to this version's questions only (others are dropped), each in its shape."""
    return {
        q["key"]: shape(q, answers[q["key"]])
        for q in top_questions(dict(schema))
        if q["type"] != "file" and q["key"] in answers
    }


def from_post(schema: Mapping[str, Any], data: Any) -> dict[str, Any]:
    """Answers from a page's form fields (a QueryDict): q-<key>, q-<key>-day…, and for a
    repeating group rows-<key> (how many rows) with q-<key>-<n>-<question>."""

    def read(q: Mapping[str, Any], name: str) -> Any:
        if q["type"] == "date":
            return {part: data.get(f"{name}-{part}", "") for part in ("day", "month", "year")}
        if _multiple(q):
            return data.getlist(name)
        return data.get(name, "")

    answers: dict[str, Any] = {}
    for q in top_questions(dict(schema)):
        if q["type"] == "file":
            continue
        if q["type"] == "repeating":
            if f"rows-{q['key']}" not in data:
                continue
            try:
                count = max(0, min(int(data.get(f"rows-{q['key']}", "0")), 200))
            except ValueError:
                count = 0
            rows = []
            for n in range(count):
                rows.append(
                    {
                        sub["key"]: read(sub, field_id(sub["key"], q["key"], n))
                        for sub in q["questions"]
                    }
                )
            answers[q["key"]] = rows
            continue
        name = field_id(q["key"])
        present = (
            any(f"{name}-{p}" in data for p in ("day", "month", "year"))
            if q["type"] == "date"
            else name in data or _multiple(q) or q["type"] == "yes_no"
        )
        if present:
            answers[q["key"]] = read(q, name)
    return shape_all(schema, answers)


def rows_differ(schema: Mapping[str, Any], stored: Mapping[str, Any], posted: Mapping) -> bool:
    """Whether a page's repeating groups have another number of rows than the saved answers:
    the page is older than the last "Add"/"Remove" (an autosave sent as that button was pressed),
    so what it holds must not be saved over the rows the button made."""
    for q in top_questions(dict(schema)):
        if q["type"] != "repeating" or q["key"] not in posted:
            continue
        if len(posted[q["key"]]) != len(stored.get(q["key"]) or []):
            return True
    return False


# --- Conditions ---------------------------------------------------------------------------------


def is_answered(q: Mapping[str, Any], value: Any) -> bool:
    if value is None:
        return False
    if q["type"] == "date":
        return isinstance(value, dict) and any(str(v).strip() for v in value.values())
    if isinstance(value, list):
        return bool(value)
    return bool(str(value).strip())


def _holds(condition: Mapping[str, Any], scope: Mapping[str, Any], questions: Mapping) -> bool:
    target = questions.get(condition["question"])
    value = scope.get(condition["question"])
    if "has_value" in condition:
        answered = target is not None and is_answered(target, value)
        return answered == bool(condition["has_value"])
    wanted = [condition["equals"]] if "equals" in condition else list(condition["any_of"])
    wanted_text = {str(w).lower() if isinstance(w, bool) else str(w) for w in wanted}
    wanted_text |= {"yes" for w in wanted if w is True} | {"no" for w in wanted if w is False}
    values = value if isinstance(value, list) else [value]
    return any(str(v) in wanted_text for v in values if v not in (None, ""))


def is_shown(q: Mapping[str, Any], scope: Mapping[str, Any], questions: Mapping) -> bool:
    return "show_if" not in q or _holds(q["show_if"], scope, questions)


def is_required(q: Mapping[str, Any], scope: Mapping[str, Any], questions: Mapping) -> bool:
    if "required_if" in q:
        return _holds(q["required_if"], scope, questions)
    return bool(q.get("required", False))


# --- Checking a submission ----------------------------------------------------------------------


@dataclass
class Problem:
    anchor: str  # the id of the field to jump to
    message: str


@dataclass
class Checked:
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def by_anchor(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for p in self.problems:
            found.setdefault(p.anchor, p.message)
        return found


def _lower_first(label: str) -> str:
    label = label.strip().rstrip("?").rstrip(".")
    return label[0].lower() + label[1:] if label else label


def _required_message(q: Mapping[str, Any]) -> str:
    label = _lower_first(str(q["label"]))
    if q["type"] in {"single_choice", "code_list", "multiple_choice", "yes_no"}:
        return f"Select {label}" if q["type"] != "yes_no" else f"Select yes or no: {label}"
    if q["type"] == "file":
        return f"Attach {label}"
    if q["type"] == "repeating":
        return f"Add at least one: {label}"
    return f"Enter {label}"


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, dict):
        return None
    day, month, year = (str(value.get(p, "")).strip() for p in ("day", "month", "year"))
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass
class Lookups:
    """What checking needs from the database: code lists and people."""

    code_valid: Callable[[str, str], bool]
    person_exists: Callable[[str], bool]
    attachments: Mapping[str, int]  # question key -> files attached


def _from_the_list(label: str) -> str:
    return f"Select one of the listed answers for {_lower_first(label)}"


def _check_value(q: Mapping[str, Any], value: Any, anchor: str, lookups: Lookups) -> str | None:
    label = str(q["label"]).strip().rstrip("?")
    kind = q["type"]
    if kind == "number":
        number = parse_number(value)
        if number is None:
            return f"{label} must be a number"
        if q.get("whole_number") and number != number.to_integral_value():
            return f"{label} must be a whole number"
        if "min" in q and number < Decimal(str(q["min"])):
            return f"{label} must be {q['min']} or more"
        if "max" in q and number > Decimal(str(q["max"])):
            return f"{label} must be {q['max']} or less"
    elif kind == "date":
        parts = value if isinstance(value, dict) else {}
        missing = [p for p in ("day", "month", "year") if not str(parts.get(p, "")).strip()]
        if missing:
            return f"{label} must include a {' and '.join(missing)}"
        if parse_date(value) is None:
            return f"{label} must be a real date"
    elif kind in {"single_choice", "multiple_choice"}:
        allowed = {o["value"] for o in q["options"]}
        values = value if isinstance(value, list) else [value]
        if any(v not in allowed for v in values):
            return _from_the_list(label)
    elif kind == "code_list":
        values = value if isinstance(value, list) else [value]
        if any(not lookups.code_valid(q["code_list"], v) for v in values):
            return _from_the_list(label)
    elif kind == "yes_no":
        if value not in {"yes", "no"}:
            return f"Select yes or no: {_lower_first(label)}"
    elif kind == "person" and not lookups.person_exists(str(value).strip()):
        return f"{label}: there is no person you may see with LA number {value}"
    return None


def check(schema: Mapping[str, Any], answers: Mapping[str, Any], lookups: Lookups) -> Checked:
    """Whether the answers are complete and right for this version of the form."""
    result = Checked()
    questions = {q["key"]: q for q in top_questions(dict(schema))}
    for q in questions.values():
        if not is_shown(q, answers, questions):
            continue
        anchor = field_id(q["key"]) + ("-day" if q["type"] == "date" else "")
        if q["type"] == "file":
            if is_required(q, answers, questions) and not lookups.attachments.get(q["key"]):
                result.problems.append(Problem(anchor, _required_message(q)))
            continue
        value = answers.get(q["key"])
        if q["type"] == "repeating":
            rows = value if isinstance(value, list) else []
            label = str(q["label"]).strip().rstrip("?")
            minimum = q.get("min_items", 1 if q.get("required") else 0)
            if is_required(q, answers, questions) and not rows:
                result.problems.append(Problem(anchor, _required_message(q)))
            elif len(rows) < minimum:
                result.problems.append(Problem(anchor, f"{label}: add at least {minimum}"))
            if "max_items" in q and len(rows) > q["max_items"]:
                result.problems.append(Problem(anchor, f"{label}: no more than {q['max_items']}"))
            inner = {sub["key"]: sub for sub in q["questions"]}
            for n, row in enumerate(rows):
                scope = {**answers, **row}
                both = {**questions, **inner}
                for sub in q["questions"]:
                    if not is_shown(sub, scope, both):
                        continue
                    sub_anchor = field_id(sub["key"], q["key"], n) + (
                        "-day" if sub["type"] == "date" else ""
                    )
                    sub_value = row.get(sub["key"])
                    item = q.get("item_label") or label
                    if not is_answered(sub, sub_value):
                        if is_required(sub, scope, both):
                            result.problems.append(
                                Problem(sub_anchor, f"{item} {n + 1}: {_required_message(sub)}")
                            )
                        continue
                    message = _check_value(sub, sub_value, sub_anchor, lookups)
                    if message:
                        result.problems.append(Problem(sub_anchor, f"{item} {n + 1}: {message}"))
            continue
        if not is_answered(q, value):
            if is_required(q, answers, questions):
                result.problems.append(Problem(anchor, _required_message(q)))
            continue
        message = _check_value(q, value, anchor, lookups)
        if message:
            result.problems.append(Problem(anchor, message))
    return result


def without_hidden(schema: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a finished submission keeps: those to questions shown (a question hidden
    by a later answer is not asked, so its old answer is not part of the record)."""
    questions = {q["key"]: q for q in top_questions(dict(schema))}
    kept: dict[str, Any] = {}
    for key, value in answers.items():
        q = questions.get(key)
        if q is None or not is_shown(q, answers, questions):
            continue
        if q["type"] == "repeating" and isinstance(value, list):
            inner = {sub["key"]: sub for sub in q["questions"]}
            both = {**questions, **inner}
            value = [
                {
                    k: v
                    for k, v in row.items()
                    if k in inner and is_shown(inner[k], {**answers, **row}, both)
                }
                for row in value
            ]
        kept[key] = value
    return kept


# --- Typed values -------------------------------------------------------------------------------


def typed(q: Mapping[str, Any], value: Any) -> Any:
    """The answer as Python: a date, a bool, a list or text (None when not answered)."""
    if not is_answered(q, value):
        return [] if _multiple(q) else None
    if q["type"] == "date":
        return parse_date(value)
    if q["type"] == "yes_no":
        return value == "yes"
    if _multiple(q):
        return list(value)
    return str(value)


def display(
    q: Mapping[str, Any], value: Any, code_label: Callable[[str, str], str] | None = None
) -> str:
    """The answer in words, as a page or a PDF shows it."""
    if not is_answered(q, value):
        return ""
    kind = q["type"]
    if kind == "date":
        day = parse_date(value)
        return (
            f"{day.day} {day:%B %Y}"
            if day
            else " / ".join(str(value.get(p) or "") for p in ("day", "month", "year"))
        )
    if kind == "yes_no":
        return "Yes" if value == "yes" else "No"
    values = value if isinstance(value, list) else [value]
    if kind in {"single_choice", "multiple_choice"}:
        labels = {o["value"]: o["label"] for o in q["options"]}
        return "; ".join(str(labels.get(v, v)) for v in values)
    if kind == "code_list" and code_label is not None:
        return "; ".join(code_label(q["code_list"], v) for v in values)
    return "; ".join(str(v) for v in values)
