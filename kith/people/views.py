"""Pages about people: search, the person's page, adding a person. Every read goes through
``people.selectors`` (the access policy and the audit log)."""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kith.access import selectors as access_selectors
from kith.access import services as access_services
from kith.access.forms import BreakGlassForm, ConflictForm, RestrictionForm
from kith.access.policy import RECORD_MODULES, Decision, Do, decide, user_modules
from kith.accounts.admin_views import administrator_required
from kith.accounts.models import User
from kith.audit import selectors as audit_selectors
from kith.core import codelists
from kith.core.forms import add_validation_errors
from kith.core.views import forbidden
from kith.people import selectors, services, summary
from kith.people.forms import (
    AddressForm,
    AlertForm,
    AlertReviewForm,
    ContactDetailForm,
    EndDateForm,
    HouseholdForm,
    HouseholdMemberForm,
    IdentifierForm,
    NameForm,
    PersonEditForm,
    PersonSearchForm,
    ProfessionalForm,
    RelationshipForm,
)
from kith.people.models import Person
from kith.people.pages import render_person_page


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


def _actor(request: HttpRequest) -> User:
    """The signed-in user (the sign-in middleware lets no one else reach these views)."""
    if not isinstance(request.user, User):
        raise PermissionDenied("Sign in first.")
    return request.user


def _no_access(request: HttpRequest, denied: selectors.RecordAccessDenied) -> HttpResponse:
    return render(
        request,
        "people/person_no_access.jinja",
        {
            "page_title": "You cannot open this record",
            "person": denied.person,
            "decision": denied.decision,
            "contacts": selectors.person_contacts(person_ids=[denied.person.pk])[denied.person.pk],
        },
        status=403,
    )


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _person_or_refuse(
    request: HttpRequest, person_id: uuid.UUID, action: Do = Do.VIEW
) -> tuple[Person, Decision]:
    """The person through the policy (audited), or the response that refuses: not found,
    merged (go to the surviving record), or no access."""
    try:
        return selectors.person_get(user=request.user, person_id=person_id, action=action)
    except selectors.PersonNotFound as exc:
        raise Http404("No such person") from exc
    except selectors.PersonMerged as merged:
        messages.info(request, "That record was merged into this one.")
        raise _Refused(
            HttpResponseRedirect(reverse("people:person", args=[merged.survivor_id]))
        ) from None
    except selectors.RecordAccessDenied as denied:
        raise _Refused(_no_access(request, denied)) from None


def _refusable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _Refused as refused:
            return refused.response
        except PermissionDenied:
            return forbidden(request)

    return wrapped


@_refusable
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The summary: what is happening for the person, at once."""
    person, decision = _person_or_refuse(request, person_id)
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="people/person_detail.jinja",
        tab="summary",
        context={
            "panels": summary.panels_for(user=request.user, person=person),
            "family": selectors.person_family(user=request.user, person=person),
            "key_dates": selectors.person_key_dates(person=person),
            "recent_events": selectors.person_recent_events(user=request.user, person=person),
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
        },
    )


@_refusable
def person_details(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id)
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="people/person_details.jinja",
        tab="details",
        context={
            "details": selectors.person_details(person=person),
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
            "disability_names": dict(codelists.choices("cin_disability")),
            "ethnicity_name": codelists.description("ssda903_ethnic", person.ethnicity)
            if person.ethnicity
            else "",
        },
    )


@_refusable
def person_family(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id)
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="people/person_family.jinja",
        tab="family",
        context={
            "family": selectors.person_family(user=request.user, person=person),
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
        },
    )


def _form_page(
    request: HttpRequest,
    *,
    person: Person,
    decision: Decision,
    form: forms.Form,
    title: str,
    tab: str,
    save: Callable[[dict[str, Any]], str],
    submit_text: str = "Save",
    intro: str = "",
) -> HttpResponse:
    """GET shows the form; a valid POST calls ``save`` (a service; its message is shown) and
    goes back to the tab. A service's ValidationError is shown on the form."""
    back = reverse(f"people:{tab if tab != 'summary' else 'person'}", args=[person.pk])
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                message = save(form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, message)
            return HttpResponseRedirect(back)
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="people/person_form.jinja",
        tab=tab,
        context={
            "page_title": f"{title} – {person.full_name}",
            "form": form,
            "form_title": title,
            "form_intro": intro,
            "submit_text": submit_text,
            "cancel_url": back,
            "page_has_errors": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


@_refusable
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    initial = {name: getattr(person, name) for name in services.EDITABLE_FIELDS}
    form = PersonEditForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> str:
        changed = services.person_update(actor=_actor(request), person=person, **data)
        return "The details have been saved." if changed else "Nothing was changed."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="Change details",
        tab="details",
        save=save,
    )


@_refusable
@require_http_methods(["GET", "POST"])
def identifier_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    form = IdentifierForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        identifier = services.identifier_add(actor=_actor(request), person=person, **data)
        return f"{identifier.get_kind_display()} {identifier.display_value} added."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="Add an identifier",
        tab="details",
        save=save,
    )


@_refusable
@require_http_methods(["POST"])
def identifier_end(
    request: HttpRequest, person_id: uuid.UUID, identifier_id: uuid.UUID
) -> HttpResponse:
    person, _ = _person_or_refuse(request, person_id, Do.EDIT)
    identifier = selectors.identifier_get(person=person, identifier_id=identifier_id)
    if identifier is None:
        raise Http404("No such identifier")
    services.identifier_end(actor=_actor(request), identifier=identifier)
    messages.success(
        request, f"{identifier.get_kind_display()} {identifier.display_value} is no longer used."
    )
    return HttpResponseRedirect(reverse("people:details", args=[person.pk]))


@_refusable
@require_http_methods(["GET", "POST"])
def name_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    form = NameForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.name_add(actor=_actor(request), person=person, **data)
        return "Name added."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="Add another name",
        tab="details",
        save=save,
    )


@_refusable
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    form = AddressForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.address_add(actor=_actor(request), person=person, **data)
        return "New address saved. The previous address has been ended."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="Record a new address",
        tab="details",
        save=save,
        intro="The current address ends the day before the new one starts; both stay on file.",
    )


@_refusable
@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    form = ContactDetailForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.contact_add(actor=_actor(request), person=person, **data)
        return "Contact details added."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="Add a phone number or email",
        tab="details",
        save=save,
    )


@_refusable
@require_http_methods(["POST"])
def contact_end(request: HttpRequest, person_id: uuid.UUID, detail_id: uuid.UUID) -> HttpResponse:
    person, _ = _person_or_refuse(request, person_id, Do.EDIT)
    detail = selectors.contact_detail_get(person=person, detail_id=detail_id)
    if detail is None:
        raise Http404("No such contact detail")
    services.contact_end(actor=_actor(request), detail=detail)
    messages.success(request, f"{detail.value} is no longer used.")
    return HttpResponseRedirect(reverse("people:details", args=[person.pk]))


@_refusable
@require_http_methods(["GET", "POST"])
def alert_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    form = AlertForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.alert_add(actor=_actor(request), person=person, **data)
        return "Alert added. It shows at the top of every page about this person."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="Add an alert",
        tab="details",
        save=save,
    )


@_refusable
@require_http_methods(["GET", "POST"])
def alert_review(request: HttpRequest, person_id: uuid.UUID, alert_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    alert = selectors.alert_get(person=person, alert_id=alert_id)
    if alert is None or alert.ended_at is not None:
        raise Http404("No such current alert")
    form = AlertReviewForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.alert_review(actor=_actor(request), alert=alert, **data)
        return "Alert reviewed."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="Review the alert",
        tab="details",
        save=save,
        intro=f"{alert.get_kind_display()}: {alert.text}",
    )


@_refusable
@require_http_methods(["GET", "POST"])
def relationship_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    form = RelationshipForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        other = selectors.person_find_by_la_number(
            user=request.user, la_number=data["other_la_number"]
        )
        if other is None:
            raise ValidationError({"other_la_number": "There is no person with that LA number"})
        # The form reads "they are this person's <kind>": the row is other → person.
        services.relationship_add(
            actor=_actor(request),
            person=other,
            other=person,
            kind=data["kind"],
            start_date=data["start_date"],
            parental_responsibility=data["parental_responsibility"],
            main_carer=data["main_carer"],
            note=data["note"],
        )
        return f"{other.full_name} added to the family and network."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="Add a relationship",
        tab="family",
        save=save,
        intro="The relationship is recorded on both people's records.",
    )


@_refusable
@require_http_methods(["GET", "POST"])
def relationship_end(
    request: HttpRequest, person_id: uuid.UUID, relationship_id: uuid.UUID
) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    relationship = selectors.relationship_get(person=person, relationship_id=relationship_id)
    if relationship is None or relationship.end_date is not None:
        raise Http404("No such current relationship")
    form = EndDateForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.relationship_end(
            actor=_actor(request),
            relationship=relationship,
            end_date=data["end_date"],
        )
        return "The relationship has ended on both records."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="End a relationship",
        tab="family",
        save=save,
    )


@_refusable
@require_http_methods(["GET", "POST"])
def household_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    form = HouseholdForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.household_create(
            actor=_actor(request),
            name=data["name"],
            address=data["address"],
            members=[person],
            start_date=data["start_date"],
        )
        return "Household recorded. Add the other people living there from the household."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="Record a household",
        tab="family",
        save=save,
    )


@_refusable
@require_http_methods(["GET", "POST"])
def household_member_add(
    request: HttpRequest, person_id: uuid.UUID, household_id: uuid.UUID
) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    household = selectors.household_get(person=person, household_id=household_id)
    if household is None:
        raise Http404("No such household")
    form = HouseholdMemberForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        joining = selectors.person_find_by_la_number(user=request.user, la_number=data["la_number"])
        if joining is None:
            raise ValidationError({"la_number": "There is no person with that LA number"})
        services.household_member_add(
            actor=_actor(request),
            household=household,
            person=joining,
            start_date=data["start_date"],
        )
        return f"{joining.full_name} added to {household.name}."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title=f"Add someone to {household.name}",
        tab="family",
        save=save,
    )


@_refusable
@require_http_methods(["GET", "POST"])
def household_member_end(
    request: HttpRequest, person_id: uuid.UUID, member_id: uuid.UUID
) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    member = selectors.household_member_get(person=person, member_id=member_id)
    if member is None or member.end_date is not None:
        raise Http404("No such household member")
    form = EndDateForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.household_member_end(
            actor=_actor(request), member=member, end_date=data["end_date"]
        )
        return f"{member.person.full_name} has left {member.household.name}."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title=f"{member.person.full_name} left {member.household.name}",
        tab="family",
        save=save,
    )


@_refusable
@require_http_methods(["GET", "POST"])
def professional_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    form = ProfessionalForm(request.POST or None, organisations=selectors.organisation_choices())

    def save(data: dict[str, Any]) -> str:
        organisation_id = data.pop("organisation")
        services.professional_add(
            actor=_actor(request),
            person=person,
            organisation=selectors.organisation_get(organisation_id=organisation_id),
            **data,
        )
        return "Professional added."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="Add a professional",
        tab="family",
        save=save,
    )


@_refusable
@require_http_methods(["GET", "POST"])
def professional_end(
    request: HttpRequest, person_id: uuid.UUID, involvement_id: uuid.UUID
) -> HttpResponse:
    person, decision = _person_or_refuse(request, person_id, Do.EDIT)
    involvement = selectors.professional_get(person=person, involvement_id=involvement_id)
    if involvement is None or involvement.end_date is not None:
        raise Http404("No such professional")
    form = EndDateForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.professional_end(
            actor=_actor(request), involvement=involvement, end_date=data["end_date"]
        )
        return "The professional is no longer involved."

    return _form_page(
        request,
        person=person,
        decision=decision,
        form=form,
        title="A professional is no longer involved",
        tab="family",
        save=save,
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
                actor=_actor(request),
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
                actor=_actor(request),
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
                    actor=_actor(request),
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
    access_services.restriction_end(actor=_actor(request), restriction=restriction)
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
