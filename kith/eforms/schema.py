"""A form definition's questions as data, and the rules every definition must follow.

A definition is a mapping (JSON or YAML)::

    code: child-and-family-assessment      # a slug; a new file with the same code is a new version
    title: Child and family assessment
    service_area: children                  # children, adults or any
    needs_approval: true                    # a manager approves it before it is final
    work_item_type: cf-assessment           # optional: the work item the approval goes through
    sections:
      - key: about
        title: About the assessment
        questions:
          - key: date_seen
            label: Date the child was seen
            type: date
            required: true
            maps_to: date_seen              # copied to a typed column (see MAPS_TO)
          - key: concerns
            label: Are there concerns about harm?
            type: yes_no
          - key: concern_detail
            label: Describe the concerns
            type: long_text
            required: true
            show_if: {question: concerns, equals: "yes"}

Question types are in ``TYPES``. ``show_if`` (shown, and required if ``required``, only when
the condition holds) and ``required_if`` (always shown, required only when the condition holds)
take ``{question, equals}``, ``{question, any_of: [...]}`` or ``{question, has_value: true}``.
``prefill`` names a fact about the person (``PREFILL``). ``previous: false`` stops an answer
being copied from the person's last submission of the same form.
"""

import re
from typing import Any

TYPES = {
    "text": "a line of text",
    "long_text": "paragraphs of text",
    "number": "a number",
    "yes_no": "yes or no",
    "date": "a date",
    "single_choice": "one of a list of options",
    "multiple_choice": "any of a list of options",
    "code_list": "codes from one of Kith's code lists",
    "person": "a person on Kith (by LA number)",
    "repeating": "a group of questions answered as many times as needed",
    "file": "files attached",
}
CHOICE_TYPES = {"single_choice", "multiple_choice"}
# maps_to key -> the type of question that may feed it
MAPS_TO = {
    "outcome": {"single_choice", "code_list", "text"},
    "outcome_date": {"date"},
    "date_seen": {"date"},
    "factors": {"multiple_choice", "code_list"},
    "eligible": {"yes_no"},
    "summary": {"text", "long_text"},
}
PREFILL = {
    "person.full_name": "Full name",
    "person.given_name": "Given name",
    "person.family_name": "Family name",
    "person.known_as": "Known as",
    "person.date_of_birth": "Date of birth",
    "person.la_number": "LA number",
    "person.nhs_number": "NHS number",
    "person.address": "Current address",
    "person.postcode": "Postcode",
    "person.ethnicity": "Ethnicity",
    "person.sex": "Sex",
    "person.first_language": "First language",
    "person.religion": "Religion",
    "person.communication_needs": "Communication needs",
}
SERVICE_AREAS = {"children", "adults", "any"}
KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
DEFAULT_MAX_FILE_KB = 10 * 1024
DEFAULT_ACCEPT = ["pdf", "jpg", "jpeg", "png", "docx", "txt"]
TOP_LEVEL = {
    "code",
    "title",
    "description",
    "service_area",
    "needs_approval",
    "work_item_type",
    "sections",
}
SECTION_KEYS = {"key", "title", "description", "questions"}
QUESTION_KEYS = {
    "key",
    "label",
    "hint",
    "type",
    "required",
    "options",
    "code_list",
    "multiple",
    "questions",
    "min_items",
    "max_items",
    "item_label",
    "show_if",
    "required_if",
    "prefill",
    "previous",
    "maps_to",
    "min",
    "max",
    "whole_number",
    "max_size_kb",
    "accept",
}


class DefinitionError(ValueError):
    """A definition that breaks the rules; ``problems`` says what, where."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _where(path: str, item: Any) -> str:
    key = item.get("key") if isinstance(item, dict) else None
    return f'{path} ("{key}")' if isinstance(key, str) and key else path


def _check_condition(
    name: str, condition: Any, where: str, scope: dict[str, dict[str, Any]], problems: list[str]
) -> None:
    if not isinstance(condition, dict):
        problems.append(f"{where}: {name} must be a mapping like {{question: ..., equals: ...}}")
        return
    target = condition.get("question")
    if not isinstance(target, str) or target not in scope:
        problems.append(
            f"{where}: {name} names question {target!r}, which is not in this form "
            "(or not in the same repeating group)"
        )
    tests = [k for k in ("equals", "any_of", "has_value") if k in condition]
    if len(tests) != 1:
        problems.append(f"{where}: {name} needs exactly one of equals, any_of or has_value")
    elif tests[0] == "any_of" and not isinstance(condition["any_of"], list):
        problems.append(f"{where}: {name}.any_of must be a list")
    extra = set(condition) - {"question", "equals", "any_of", "has_value"}
    if extra:
        problems.append(f"{where}: {name} has unknown keys: {', '.join(sorted(extra))}")


def _check_question(
    q: Any,
    where: str,
    keys: set[str],
    code_lists: set[str] | None,
    problems: list[str],
    *,
    nested: bool,
) -> None:
    if not isinstance(q, dict):
        problems.append(f"{where}: a question must be a mapping")
        return
    where = _where(where, q)
    unknown = set(q) - QUESTION_KEYS
    if unknown:
        problems.append(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
    key = q.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        problems.append(
            f"{where}: key must be lower-case letters, digits and _ starting with a letter"
        )
    elif key in keys:
        problems.append(f'{where}: key "{key}" is used twice: each question needs its own')
    else:
        keys.add(key)
    if not isinstance(q.get("label"), str) or not q["label"].strip():
        problems.append(f"{where}: label is missing")
    kind = q.get("type")
    if kind not in TYPES:
        problems.append(f"{where}: type {kind!r} is not one of: {', '.join(TYPES)}")
        return
    for flag in ("required", "multiple", "previous", "whole_number"):
        if flag in q and not isinstance(q[flag], bool):
            problems.append(f"{where}: {flag} must be true or false")
    if kind in CHOICE_TYPES:
        options = q.get("options")
        if not isinstance(options, list) or not options:
            problems.append(f"{where}: a {kind} question needs a list of options")
        else:
            seen: set[str] = set()
            for n, option in enumerate(options, 1):
                if (
                    not isinstance(option, dict)
                    or not isinstance(option.get("value"), str)
                    or not isinstance(option.get("label"), str)
                ):
                    problems.append(f"{where}: option {n} needs a value and a label (text)")
                elif option["value"] in seen:
                    problems.append(f"{where}: option value {option['value']!r} is used twice")
                else:
                    seen.add(option["value"])
    elif "options" in q:
        problems.append(f"{where}: only single_choice and multiple_choice questions have options")
    if kind == "code_list":
        name = q.get("code_list")
        if not isinstance(name, str) or not name:
            problems.append(f"{where}: a code_list question needs code_list: the list's name")
        elif code_lists is not None and name not in code_lists:
            problems.append(f"{where}: there is no code list called {name!r}")
    if kind == "number":
        for bound in ("min", "max"):
            if bound in q and not isinstance(q[bound], (int, float)):
                problems.append(f"{where}: {bound} must be a number")
    if kind == "file":
        if nested:
            problems.append(f"{where}: file questions cannot be inside a repeating group")
        size = q.get("max_size_kb", DEFAULT_MAX_FILE_KB)
        if not isinstance(size, int) or size <= 0:
            problems.append(f"{where}: max_size_kb must be a whole number of kilobytes")
        accept = q.get("accept", DEFAULT_ACCEPT)
        if not isinstance(accept, list) or not all(isinstance(a, str) for a in accept):
            problems.append(f"{where}: accept must be a list of file extensions, like [pdf, jpg]")
    if kind == "repeating":
        if nested:
            problems.append(f"{where}: a repeating group cannot be inside another")
        inner = q.get("questions")
        if not isinstance(inner, list) or not inner:
            problems.append(f"{where}: a repeating group needs its questions")
        else:
            for n, sub in enumerate(inner, 1):
                _check_question(
                    sub, f"{where}.questions[{n}]", keys, code_lists, problems, nested=True
                )
        for bound in ("min_items", "max_items"):
            if bound in q and (not isinstance(q[bound], int) or q[bound] < 0):
                problems.append(f"{where}: {bound} must be a whole number")
    elif "questions" in q:
        problems.append(f"{where}: only repeating groups have questions inside them")
    if "prefill" in q and q["prefill"] not in PREFILL:
        problems.append(
            f"{where}: prefill {q['prefill']!r} is not one of: {', '.join(sorted(PREFILL))}"
        )
    if "maps_to" in q:
        target = q["maps_to"]
        if target not in MAPS_TO:
            problems.append(
                f"{where}: maps_to {target!r} is not one of: {', '.join(sorted(MAPS_TO))}"
            )
        elif kind not in MAPS_TO[target]:
            problems.append(
                f"{where}: maps_to {target} needs a question of type "
                f"{' or '.join(sorted(MAPS_TO[target]))}, not {kind}"
            )
        elif nested:
            problems.append(f"{where}: a question inside a repeating group cannot map to a field")


def validate_definition(data: Any, *, code_lists: set[str] | None = None) -> list[str]:
    """Every problem with a definition, each naming where it is (empty: it is good)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["the file must hold a mapping (code, title, sections…), not a list or text"]
    unknown = set(data) - TOP_LEVEL
    if unknown:
        problems.append(f"unknown keys at the top: {', '.join(sorted(unknown))}")
    code = data.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        problems.append("code is missing or not a slug (lower-case letters, digits and -)")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        problems.append("title is missing")
    if data.get("service_area", "any") not in SERVICE_AREAS:
        problems.append(f"service_area must be one of: {', '.join(sorted(SERVICE_AREAS))}")
    if "needs_approval" in data and not isinstance(data["needs_approval"], bool):
        problems.append("needs_approval must be true or false")
    if "work_item_type" in data and not isinstance(data["work_item_type"], str):
        problems.append("work_item_type must be a work item type's code")
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        problems.append("sections: a form needs at least one section")
        return problems
    keys: set[str] = set()
    section_keys: set[str] = set()
    maps: dict[str, str] = {}
    for s, section in enumerate(sections, 1):
        where = _where(f"sections[{s}]", section)
        if not isinstance(section, dict):
            problems.append(f"{where}: a section must be a mapping")
            continue
        unknown = set(section) - SECTION_KEYS
        if unknown:
            problems.append(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
        key = section.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            problems.append(f"{where}: key must be lower-case letters, digits and _")
        elif key in section_keys:
            problems.append(f'{where}: section key "{key}" is used twice')
        else:
            section_keys.add(key)
        if not isinstance(section.get("title"), str) or not section["title"].strip():
            problems.append(f"{where}: title is missing")
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            problems.append(f"{where}: a section needs at least one question")
            continue
        for n, q in enumerate(questions, 1):
            _check_question(q, f"{where}.questions[{n}]", keys, code_lists, problems, nested=False)
            if isinstance(q, dict) and isinstance(q.get("maps_to"), str):
                if q["maps_to"] in maps:
                    problems.append(
                        f"{_where(f'{where}.questions[{n}]', q)}: maps_to {q['maps_to']} is "
                        f'already fed by "{maps[q["maps_to"]]}"'
                    )
                else:
                    maps[q["maps_to"]] = str(q.get("key"))
    if problems:
        return problems
    # Conditions, once every key is known: top-level questions see top-level ones; questions in
    # a repeating group see their group's and the top-level ones.
    top = {q["key"]: q for q in top_questions(data)}
    for s, section in enumerate(sections, 1):
        for n, q in enumerate(section["questions"], 1):
            where = _where(f"{_where(f'sections[{s}]', section)}.questions[{n}]", q)
            for name in ("show_if", "required_if"):
                if name in q:
                    _check_condition(name, q[name], where, top, problems)
                    if q[name].get("question") == q["key"]:
                        problems.append(f"{where}: {name} cannot depend on the question itself")
            if q["type"] == "repeating":
                scope = top | {sub["key"]: sub for sub in q["questions"]}
                for m, sub in enumerate(q["questions"], 1):
                    sub_where = _where(f"{where}.questions[{m}]", sub)
                    for name in ("show_if", "required_if"):
                        if name in sub:
                            _check_condition(name, sub[name], sub_where, scope, problems)
    return problems


def top_questions(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for section in data.get("sections", []) for q in section.get("questions", [])]


def all_questions(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every question, those inside repeating groups included."""
    found = []
    for q in top_questions(data):
        found.append(q)
        if q.get("type") == "repeating":
            found.extend(q.get("questions", []))
    return found
