"""The system administrator's pages: staff accounts, memberships and second factors."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from kith.accounts import selectors, services
from kith.accounts.forms import (
    LeaverForm,
    MembershipAddForm,
    MembershipEndForm,
    UserCreateForm,
    UserSearchForm,
)
from kith.accounts.models import Team, User
from kith.core.forms import add_validation_errors

View = Callable[..., HttpResponse]


def administrator_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.user_is_administrator(user=request.user):
            raise PermissionDenied("Only system administrators can manage staff accounts.")
        return view(request, *args, **kwargs)

    return wrapped


def _user_or_404(user_id: UUID) -> User:
    user = selectors.user_get(user_id=user_id)
    if user is None:
        raise Http404("There is no such user.")
    return user


@administrator_required
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.user_list(search=search), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/admin/user_list.jinja",
        {"page_title": "Staff accounts", "form": form, "page": page, "search": search},
    )


@administrator_required
def user_detail(request: HttpRequest, user_id: UUID) -> HttpResponse:
    subject = _user_or_404(user_id)
    return render(
        request,
        "accounts/admin/user_detail.jinja",
        {
            "page_title": subject.display_name,
            "subject": subject,
            "memberships": selectors.user_memberships(user=subject),
            "has_authenticator": selectors.user_confirmed_totp_device(user=subject) is not None,
            "backup_codes": selectors.user_backup_codes_remaining(user=subject),
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user, temporary = services.user_create(
                    actor=request.user,  # type: ignore[arg-type]
                    username=data["username"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    job_title=data["job_title"],
                    swe_number=data["swe_number"].replace(" ", ""),
                )
                services.membership_create(
                    actor=request.user,  # type: ignore[arg-type]
                    user=user,
                    team=Team.objects.get(pk=data["team"]),
                    role_code=data["role"],
                    start_date=data["start_date"],
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            return render(
                request,
                "accounts/admin/user_created.jinja",
                {"page_title": "Account created", "subject": user, "temporary": temporary},
            )
    return render(
        request,
        "accounts/admin/user_create.jinja",
        {"page_title": "Add a member of staff", "form": form, "page_has_errors": bool(form.errors)},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, user_id: UUID) -> HttpResponse:
    subject = _user_or_404(user_id)
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_create(
                actor=request.user,  # type: ignore[arg-type]
                user=subject,
                team=Team.objects.get(pk=form.cleaned_data["team"]),
                role_code=form.cleaned_data["role"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, f"{subject.display_name} has been added to the team.")
            return HttpResponseRedirect(reverse("accounts:admin-user", args=[subject.pk]))
    return render(
        request,
        "accounts/admin/membership_add.jinja",
        {
            "page_title": "Add to a team",
            "form": form,
            "subject": subject,
            "page_has_errors": bool(form.errors),
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, membership_id: UUID) -> HttpResponse:
    membership = selectors.membership_get(membership_id=membership_id)
    if membership is None:
        raise Http404("There is no such membership.")
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                actor=request.user,  # type: ignore[arg-type]
                membership=membership,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, f"The membership of {membership.team.name} has ended.")
            return HttpResponseRedirect(reverse("accounts:admin-user", args=[membership.user.pk]))
    return render(
        request,
        "accounts/admin/membership_end.jinja",
        {
            "page_title": "End a membership",
            "form": form,
            "membership": membership,
            "page_has_errors": bool(form.errors),
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def user_leaver(request: HttpRequest, user_id: UUID) -> HttpResponse:
    subject = _user_or_404(user_id)
    form = LeaverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_mark_leaver(
                actor=request.user,  # type: ignore[arg-type]
                user=subject,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, f"{subject.display_name} has been recorded as a leaver.")
            return HttpResponseRedirect(reverse("accounts:admin-user", args=[subject.pk]))
    return render(
        request,
        "accounts/admin/user_leaver.jinja",
        {
            "page_title": "Record a leaver",
            "form": form,
            "subject": subject,
            "page_has_errors": bool(form.errors),
        },
    )


@administrator_required
@require_POST
def second_factor_reset(request: HttpRequest, user_id: UUID) -> HttpResponse:
    subject = _user_or_404(user_id)
    services.second_factor_reset(actor=request.user, user=subject)  # type: ignore[arg-type]
    messages.success(
        request,
        f"{subject.display_name}'s authenticator and backup codes have been removed. "
        "They will set up a new authenticator the next time they sign in.",
    )
    return HttpResponseRedirect(reverse("accounts:admin-user", args=[subject.pk]))


@administrator_required
@require_POST
def password_reset(request: HttpRequest, user_id: UUID) -> HttpResponse:
    subject = _user_or_404(user_id)
    temporary = services.user_reset_password(actor=request.user, user=subject)  # type: ignore[arg-type]
    return render(
        request,
        "accounts/admin/user_created.jinja",
        {
            "page_title": "Password reset",
            "subject": subject,
            "temporary": temporary,
            "heading": "Password reset",
        },
    )


@administrator_required
@require_POST
def user_unlock(request: HttpRequest, user_id: UUID) -> HttpResponse:
    subject = _user_or_404(user_id)
    services.user_unlock(actor=request.user, user=subject)  # type: ignore[arg-type]
    messages.success(request, f"{subject.display_name} can sign in again.")
    return HttpResponseRedirect(reverse("accounts:admin-user", args=[subject.pk]))
