"""Administration › Forms: the definitions, their versions, and a simple builder for a draft
version (add, move and remove sections and questions; see and paste the JSON; publish)."""

import copy
import json
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kith.accounts.admin_views import administrator_required
from kith.core.forms import KithForm, add_validation_errors
from kith.eforms import selectors, services
from kith.eforms.models import FormVersion
from kith.eforms.schema import KEY, TYPES, DefinitionError


class DefinitionForm(KithForm):
    title = forms.CharField(label="Title", max_length=200)
    code = forms.SlugField(
        label="Code", max_length=80, help_text="Lower-case letters, digits and hyphens"
    )
    service_area = forms.ChoiceField(
        label="Service",
        choices=[("any", "Any service"), ("children", "Children"), ("adults", "Adults")],
    )


class LoadForm(KithForm):
    file = forms.FileField(label="A definition file (JSON or YAML)")


@administrator_required
@require_http_methods(["GET", "POST"])
def definition_list(request: HttpRequest) -> HttpResponse:
    load = LoadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and load.is_valid():
        upload = load.cleaned_data["file"]
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        try:
            raw = upload.read().decode("utf-8")
            if suffix == "json":
                data = json.loads(raw)
            elif suffix in {"yaml", "yml"}:
                import yaml

                data = yaml.safe_load(raw)
            else:
                raise DefinitionError(["A definition is a .json, .yaml or .yml file"])
            with transaction.atomic():
                version = services.definition_load(
                    actor=request.user,  # type: ignore[arg-type]
                    data=data,
                    publish=False,
                )
        except DefinitionError as error:
            problems = error.problems
        except (ValueError, UnicodeDecodeError) as error:
            problems = [f"The file could not be read: {error}"]
        else:
            messages.success(
                request, f"Loaded as version {version.number}: check it, then publish."
            )
            return HttpResponseRedirect(reverse("eforms:version", args=[version.pk]))
    rows = []
    for definition in selectors.definitions():
        rows.append(
            (
                definition,
                selectors.published_version(definition=definition),
                selectors.draft_version(definition=definition),
            )
        )
    return render(
        request,
        "eforms/admin/definitions.jinja",
        {
            "page_title": "Forms",
            "rows": rows,
            "load": load,
            "problems": problems,
            "page_has_errors": bool(problems or load.errors),
        },
        status=400 if problems or load.errors else 200,
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def definition_new(request: HttpRequest) -> HttpResponse:
    form = DefinitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                version = services.definition_create(
                    actor=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            return HttpResponseRedirect(reverse("eforms:version", args=[version.pk]))
    return render(
        request,
        "eforms/admin/definition_new.jinja",
        {"page_title": "Create a form", "form": form, "page_has_errors": bool(form.errors)},
        status=400 if form.errors else 200,
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def definition_detail(request: HttpRequest, definition_id: uuid.UUID) -> HttpResponse:
    definition = selectors.definition_get(definition_id=definition_id)
    if definition is None:
        raise Http404("No such form")
    if request.method == "POST":
        with transaction.atomic():
            draft = services.version_new_draft(
                actor=request.user,  # type: ignore[arg-type]
                definition=definition,
            )
        return HttpResponseRedirect(reverse("eforms:version", args=[draft.pk]))
    return render(
        request,
        "eforms/admin/definition.jinja",
        {
            "page_title": definition.title,
            "definition": definition,
            "versions": selectors.definition_versions(definition=definition),
        },
    )


def _options(text: str) -> list[dict[str, str]]:
    options = []
    for line in text.splitlines():
        if not line.strip():
            continue
        value, _, label = line.partition("|")
        value, label = value.strip(), label.strip()
        if not label:
            label = value
            value = "_".join(value.lower().split())[:60]
        options.append({"value": value, "label": label})
    return options


def _apply(schema: dict[str, Any], data: Any) -> tuple[dict[str, Any], str]:
    """One builder step on a copy of the schema; the message to show."""
    schema = copy.deepcopy(schema)
    sections: list[dict[str, Any]] = schema.setdefault("sections", [])
    op = data.get("op", "")

    def index(name: str, length: int) -> int:
        try:
            value = int(data.get(name, ""))
        except ValueError as exc:
            raise ValidationError("Choose a section or question") from exc
        if not 0 <= value < length:
            raise ValidationError("Choose a section or question")
        return value

    if op == "settings":
        title = data.get("title", "").strip()
        if not title:
            raise ValidationError({"title": "Enter the form's title"})
        schema["title"] = title
        schema["description"] = data.get("description", "").strip()
        schema["needs_approval"] = data.get("needs_approval") == "yes"
        item_type = data.get("work_item_type", "").strip()
        if item_type:
            schema["work_item_type"] = item_type
        else:
            schema.pop("work_item_type", None)
        return schema, "Settings saved."
    if op == "add-section":
        title = data.get("section_title", "").strip()
        if not title:
            raise ValidationError({"section_title": "Enter the section's title"})
        key = "_".join(title.lower().split())
        key = "".join(c for c in key if c.isalnum() or c == "_")[:40] or "section"
        if not key[0].isalpha():
            key = f"s_{key}"
        existing = {s.get("key") for s in sections}
        base, n = key, 2
        while key in existing:
            key, n = f"{base}_{n}", n + 1
        sections.append({"key": key, "title": title, "questions": []})
        return schema, f"Section “{title}” added."
    if op == "add-question":
        s = index("section", len(sections))
        key = data.get("key", "").strip()
        label = data.get("label", "").strip()
        kind = data.get("type", "")
        if not KEY.match(key):
            raise ValidationError(
                {"key": "Enter a key: lower-case letters, digits and _ starting with a letter"}
            )
        if not label:
            raise ValidationError({"label": "Enter the question"})
        if kind not in TYPES:
            raise ValidationError({"type": "Select the type of answer"})
        question: dict[str, Any] = {"key": key, "label": label, "type": kind}
        if data.get("required") == "yes":
            question["required"] = True
        if kind in {"single_choice", "multiple_choice"}:
            question["options"] = _options(data.get("options", ""))
        if kind == "code_list":
            question["code_list"] = data.get("code_list", "").strip()
            question["multiple"] = data.get("multiple") == "yes"
        if kind == "repeating":
            question["questions"] = []
        condition_on = data.get("show_if_question", "").strip()
        if condition_on:
            question["show_if"] = {
                "question": condition_on,
                "equals": data.get("show_if_equals", "").strip(),
            }
        parent = data.get("parent", "").strip()
        if parent:
            group = next(
                (
                    q
                    for q in sections[s]["questions"]
                    if q.get("key") == parent and q.get("type") == "repeating"
                ),
                None,
            )
            if group is None:
                raise ValidationError({"parent": "That repeating group is not in this section"})
            group.setdefault("questions", []).append(question)
        else:
            sections[s]["questions"].append(question)
        return schema, f"Question “{label}” added."
    if op in {"section-up", "section-down", "section-remove"}:
        s = index("section", len(sections))
        if op == "section-remove":
            removed = sections.pop(s)
            return schema, f"Section “{removed.get('title')}” removed."
        t = s - 1 if op == "section-up" else s + 1
        if 0 <= t < len(sections):
            sections[s], sections[t] = sections[t], sections[s]
        return schema, "Section moved."
    if op in {"question-up", "question-down", "question-remove"}:
        s = index("section", len(sections))
        questions = sections[s]["questions"]
        q = index("question", len(questions))
        if op == "question-remove":
            removed = questions.pop(q)
            return schema, f"Question “{removed.get('label')}” removed."
        t = q - 1 if op == "question-up" else q + 1
        if 0 <= t < len(questions):
            questions[q], questions[t] = questions[t], questions[q]
        return schema, "Question moved."
    if op == "replace-json":
        try:
            replaced = json.loads(data.get("json", ""))
        except json.JSONDecodeError as exc:
            raise ValidationError(
                {"json": f"This is not valid JSON: {exc.msg} at line {exc.lineno}"}
            ) from exc
        if not isinstance(replaced, dict):
            raise ValidationError({"json": "The JSON must be an object with sections"})
        return replaced, "The form was replaced from the JSON."
    raise ValidationError("Unknown change")


@administrator_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, version_id: uuid.UUID) -> HttpResponse:
    version = selectors.version_get(version_id=version_id)
    if version is None:
        raise Http404("No such version")
    errors: list[str] = []
    if request.method == "POST":
        if version.status != FormVersion.Status.DRAFT:
            errors.append("A published version cannot be changed: make a new draft")
        elif request.POST.get("op") == "publish":
            try:
                with transaction.atomic():
                    services.version_publish(
                        actor=request.user,  # type: ignore[arg-type]
                        version=version,
                    )
            except DefinitionError as error:
                errors = error.problems
            else:
                messages.success(request, f"Version {version.number} is published.")
                return HttpResponseRedirect(
                    reverse("eforms:definition", args=[version.definition_id])
                )
        else:
            try:
                schema, message = _apply(version.schema, request.POST)
                with transaction.atomic():
                    services.version_save_draft(
                        actor=request.user,  # type: ignore[arg-type]
                        version=version,
                        schema=schema,
                    )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, message)
                return HttpResponseRedirect(reverse("eforms:version", args=[version.pk]))
    problems = services.definition_problems(version.schema) if version.schema else []
    return render(
        request,
        "eforms/admin/version.jinja",
        {
            "page_title": f"{version.title}, version {version.number}",
            "version": version,
            "schema": version.schema,
            "json": json.dumps(version.schema, indent=2, ensure_ascii=False),
            "types": TYPES,
            "errors": errors,
            "problems": problems,
            "page_has_errors": bool(errors),
        },
        status=400 if errors else 200,
    )
