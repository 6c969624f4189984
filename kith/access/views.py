"""Pages for emergency access, declared conflicts, restricted records and module grants."""

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kith.access import selectors, services
from kith.access.forms import (
    RestrictionGroupForm,
    ReviewForm,
)
from kith.access.models import Module
from kith.accounts.admin_views import administrator_required
from kith.accounts.models import Role
from kith.accounts.selectors import user_is_administrator, user_list
from kith.core.forms import add_validation_errors

View = Callable[..., HttpResponse]


def break_glass_queue(request: HttpRequest) -> HttpResponse:
    grants = selectors.break_glass_for_review(user=request.user)
    if grants is None:
        raise PermissionDenied("Only managers and auditors review emergency access.")
    return render(
        request,
        "access/break_glass_queue.jinja",
        {"page_title": "Emergency access to review", "grants": grants},
    )


@require_http_methods(["GET", "POST"])
def break_glass_review(request: HttpRequest, grant_id: uuid.UUID) -> HttpResponse:
    grants = selectors.break_glass_for_review(user=request.user)
    if grants is None:
        raise PermissionDenied("Only managers and auditors review emergency access.")
    grant = grants.filter(pk=grant_id).first()
    if grant is None:
        raise Http404("No such emergency access")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_review(
                actor=request.user,  # type: ignore[arg-type]
                grant=grant,
                justified=form.cleaned_data["justified"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "The review has been recorded.")
            return HttpResponseRedirect(reverse("access:break-glass-queue"))
    return render(
        request,
        "access/break_glass_review.jinja",
        {
            "page_title": "Review emergency access",
            "grant": grant,
            "form": form,
            "page_has_errors": bool(form.errors),
        },
    )


def conflicts(request: HttpRequest) -> HttpResponse:
    rows = selectors.conflicts_for(user=request.user)
    if rows is None:
        raise PermissionDenied("Only managers and system administrators see declared conflicts.")
    return render(
        request,
        "access/conflicts.jinja",
        {
            "page_title": "Declared conflicts",
            "conflicts": rows,
            "is_admin": user_is_administrator(user=request.user),
        },
    )


@administrator_required
@require_http_methods(["POST"])
def conflict_end(request: HttpRequest, conflict_id: uuid.UUID) -> HttpResponse:
    conflict = selectors.conflict_get(conflict_id=conflict_id)
    if conflict is None:
        raise Http404("No such conflict")
    services.conflict_end(actor=request.user, conflict=conflict)  # type: ignore[arg-type]
    messages.success(request, "The conflict has been ended.")
    return HttpResponseRedirect(reverse("access:conflicts"))


@administrator_required
def groups(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "access/groups.jinja",
        {"page_title": "Restricted record groups", "groups": selectors.restriction_groups()},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: uuid.UUID | None = None) -> HttpResponse:
    group = selectors.restriction_group_get(group_id=group_id) if group_id else None
    if group_id and group is None:
        raise Http404("No such group")
    initial = (
        {
            "name": group.name,
            "description": group.description,
            "members": [str(pk) for pk in group.members.values_list("pk", flat=True)],
        }
        if group
        else None
    )
    form = RestrictionGroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        members = list(user_list().filter(pk__in=form.cleaned_data["members"]))
        try:
            if group is None:
                services.restriction_group_create(
                    actor=request.user,  # type: ignore[arg-type]
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    members=members,
                )
            else:
                services.restriction_group_set_members(
                    actor=request.user,  # type: ignore[arg-type]
                    group=group,
                    members=members,
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "The group has been saved.")
            return HttpResponseRedirect(reverse("access:groups"))
    return render(
        request,
        "access/group_edit.jinja",
        {
            "page_title": group.name if group else "New group",
            "form": form,
            "group": group,
            "page_has_errors": bool(form.errors),
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def module_grants(request: HttpRequest) -> HttpResponse:
    roles = list(Role.objects.order_by("name"))
    if request.method == "POST":
        for role in roles:
            for module in Module.values:
                level = request.POST.get(f"{role.code}:{module}", "none")
                services.module_grant_set(
                    actor=request.user,  # type: ignore[arg-type]
                    role=role,
                    module=module,
                    view=level in {"view", "edit"},
                    edit=level == "edit",
                )
        messages.success(request, "Module access has been saved.")
        return HttpResponseRedirect(reverse("access:module-grants"))
    return render(
        request,
        "access/module_grants.jinja",
        {
            "page_title": "Module access by role",
            "roles": roles,
            "modules": Module.choices,
            "grants": selectors.module_grant_levels(),
        },
    )
