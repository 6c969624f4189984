"""Pages about people: search, the person's page, adding a person. Every read goes through
``people.selectors`` (the access policy and the audit log)."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kith.access import selectors as access_selectors
from kith.access import services as access_services
from kith.access.forms import BreakGlassForm, ConflictForm, RestrictionForm
from kith.access.policy import RECORD_MODULES, user_modules
from kith.accounts.admin_views import administrator_required
from kith.audit import selectors as audit_selectors
from kith.core.forms import add_validation_errors
from kith.core.views import forbidden
from kith.people import selectors, summary
from kith.people.forms import PersonSearchForm


def _require_records_module(request: HttpRequest) -> None:
    if not user_modules(request.user) & RECORD_MODULES:
        raise PermissionDenied("Your role does not give access to people's records.")


def person_search(request: HttpRequest) -> HttpResponse:
    _require_records_module(request)
    form = PersonSearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        results = selectors.person_search(
            user=request.user, terms=form.cleaned_data["q"], page=page
        )
    return render(
        request,
        "people/person_search.jinja",
        {"page_title": "Find a person", "form": form, "results": results},
    )


def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = selectors.person_get(user=request.user, person_id=person_id)
    except selectors.PersonNotFound as exc:
        raise Http404("No such person") from exc
    except selectors.RecordAccessDenied as denied:
        return render(
            request,
            "people/person_no_access.jinja",
            {
                "page_title": "You cannot open this record",
                "person": denied.person,
                "decision": denied.decision,
                "contacts": selectors.person_contacts(person_ids=[denied.person.pk])[
                    denied.person.pk
                ],
            },
            status=403,
        )
    return render(
        request,
        "people/person_detail.jinja",
        {
            "page_title": person.full_name,
            "person": person,
            "decision": decision,
            "panels": summary.panels_for(user=request.user, person=person),
        },
    )


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = selectors.person_for_break_glass(user=request.user, person_id=person_id)
    if person is None:
        raise Http404("No such person")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access_services.break_glass_start(
                actor=request.user,  # type: ignore[arg-type]
                person_id=person.pk,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            return HttpResponseRedirect(reverse("people:person", args=[person.pk]))
    return render(
        request,
        "access/break_glass.jinja",
        {
            "page_title": "Emergency access",
            "form": form,
            "person_id": person.pk,
            "page_has_errors": bool(form.errors),
        },
    )


@require_http_methods(["GET", "POST"])
def conflict_declare(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = selectors.person_for_access_request(user=request.user, person_id=person_id)
    if person is None:
        raise Http404("No such person")
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access_services.conflict_declare(
                actor=request.user,  # type: ignore[arg-type]
                person_id=person.pk,
                relationship=form.cleaned_data["relationship"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                "Thank you. You will no longer be able to open this person's record, "
                "and your manager has been told.",
            )
            return HttpResponseRedirect(reverse("home"))
    return render(
        request,
        "access/conflict_declare.jinja",
        {
            "page_title": "Tell us you know this person",
            "form": form,
            "person_id": person.pk,
            "page_has_errors": bool(form.errors),
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def restrictions(request: HttpRequest) -> HttpResponse:
    form = RestrictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = selectors.person_by_la_number_for_admin(
            user=request.user, la_number=form.cleaned_data["la_number"]
        )
        if person is None:
            form.add_error("la_number", "There is no person with that LA number")
        else:
            try:
                access_services.restriction_set(
                    actor=request.user,  # type: ignore[arg-type]
                    person_id=person.pk,
                    level=form.cleaned_data["level"],
                    group=form.cleaned_data["group"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(
                    request, f"LA number {person.la_number} is now {form.cleaned_data['level']}."
                )
                return HttpResponseRedirect(reverse("people:restrictions"))
    return render(
        request,
        "access/restrictions.jinja",
        {
            "page_title": "Restricted and sealed records",
            "form": form,
            "restrictions": access_selectors.restrictions_current(),
            "page_has_errors": bool(form.errors),
        },
    )


@administrator_required
@require_http_methods(["POST"])
def restriction_end(request: HttpRequest, restriction_id: uuid.UUID) -> HttpResponse:
    restriction = access_selectors.restriction_get(restriction_id=restriction_id)
    if restriction is None:
        raise Http404("No such restriction")
    access_services.restriction_end(actor=request.user, restriction=restriction)  # type: ignore[arg-type]
    messages.success(request, "The restriction has been lifted.")
    return HttpResponseRedirect(reverse("people:restrictions"))


def person_access_log(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Who has looked at this record: for auditors, and managers of the person's teams."""
    try:
        person = selectors.person_for_access_log(user=request.user, person_id=person_id)
    except selectors.PersonNotFound as exc:
        raise Http404("No such person") from exc
    except PermissionDenied:
        return forbidden(request)
    events = audit_selectors.person_access_log(user=request.user, person_id=person.pk)
    page = Paginator(events, audit_selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_access_log.jinja",
        {
            "page_title": f"Who has looked at {person.full_name}'s record",
            "person": person,
            "page": page,
        },
    )
