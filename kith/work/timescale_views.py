"""Administration › Timescales: see the rules in force, add a local rule, end a rule."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from kith.accounts.admin_views import administrator_required
from kith.core.forms import add_validation_errors
from kith.work import timescales
from kith.work.forms_timescales import TimescaleRuleEndForm, TimescaleRuleForm
from kith.work.models import TimescaleRule


def _posted(request: HttpRequest) -> QueryDict | None:
    """The POST data on a POST (even an empty one, so the form says what is missing)."""
    return request.POST if request.method == "POST" else None


@administrator_required
@require_GET
def timescale_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "work/timescales/list.jinja",
        {
            "page_title": "Timescales",
            "today": today,
            "areas": timescales.timescales_by_service_area(today),
            "describe_rule": timescales.describe_rule,
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def timescale_add(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    chosen = timescales.item_type_get(request.GET["type"]) if "type" in request.GET else None
    if chosen is not None:
        initial["item_type"] = str(chosen.pk)
        current = timescales.rule_for(chosen, timezone.localdate())
        if current is not None:
            initial.update(
                starts=current.starts,
                recurs=current.recurs,
                first_unit=current.first_unit,
                second_unit=current.second_unit,
                unit=current.unit,
            )
    form = TimescaleRuleForm(
        _posted(request), initial=initial, types=timescales.item_type_choices()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item_type = timescales.item_type_get(data["item_type"])
        if item_type is None:
            form.add_error("item_type", "Select the type of work")
        else:
            try:
                rule = timescales.local_rule_add(
                    actor=request.user,  # type: ignore[arg-type]
                    item_type=item_type,
                    description=data["description"],
                    starts=data["starts"],
                    first_length=data["first_length"],
                    first_unit=data["first_unit"],
                    second_length=data["second_length"],
                    second_unit=data["second_unit"],
                    length=data["length"],
                    unit=data["unit"],
                    recurs=data["recurs"],
                    effective_from=data["effective_from"],
                    source=data["source"],
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"The local rule for {item_type.name} has been added: "
                    f"{timescales.describe_rule(rule)}.",
                )
                return HttpResponseRedirect(reverse("work:timescales"))
    return render(
        request,
        "work/timescales/add.jinja",
        {"page_title": "Add a local rule", "form": form, "page_has_errors": bool(form.errors)},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def timescale_end(request: HttpRequest, rule_id: uuid.UUID) -> HttpResponse:
    rule = timescales.timescale_rule_get(rule_id)
    if rule is None:
        raise Http404("There is no such timescale rule.")
    form = TimescaleRuleEndForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            timescales.rule_end(
                actor=request.user,  # type: ignore[arg-type]
                rule=rule,
                effective_to=form.cleaned_data["effective_to"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, f"The rule for {rule.item_type.name} has been ended.")
            return HttpResponseRedirect(reverse("work:timescales"))
    return render(
        request,
        "work/timescales/end.jinja",
        {
            "page_title": "End a rule",
            "form": form,
            "rule": rule,
            "describe_rule": timescales.describe_rule,
            "fallback": _fallback(rule),
            "page_has_errors": bool(form.errors),
        },
    )


def _fallback(rule: TimescaleRule) -> TimescaleRule | None:
    """The rule that would apply today without this one (what applies once it has ended)."""
    return timescales.rule_for(rule.item_type, timezone.localdate(), excluding=rule)
