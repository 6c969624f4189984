"""Pages of the child in need journey: the Children's tab on a child's record and a form for
each step (contact, decision, referral, assessment, strategy discussion, S47, conference, CP
review, core group, CIN plan, pre-proceedings, closure). Every read goes through
``people.selectors.person_get`` and ``selectors_cin``; every write through ``services_cin``,
whose messages (a broken DfE rule names itself) are shown on the form's fields."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from kith.access.policy import Do, decide
from kith.accounts.models import Team, User
from kith.accounts.selectors import user_current_memberships
from kith.children import forms_cin as f
from kith.children import selectors_cin as selectors
from kith.children import services_cin as services
from kith.core.forms import add_validation_errors
from kith.core.views import forbidden
from kith.people import selectors as people_selectors
from kith.people.models import Person
from kith.people.pages import render_person_page


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied("Sign in first.")
    return request.user


def _open(request: HttpRequest, person_id: uuid.UUID, action: Do = Do.VIEW) -> Any:
    try:
        return people_selectors.person_get(user=request.user, person_id=person_id, action=action)
    except people_selectors.PersonNotFound as exc:
        raise Http404("No such person") from exc
    except people_selectors.PersonMerged as merged:
        raise _Refused(
            HttpResponseRedirect(reverse("children:cin", args=[merged.survivor_id]))
        ) from merged
    except people_selectors.RecordAccessDenied as denied:
        raise _Refused(forbidden(request)) from denied


def _tab(person: Person) -> str:
    return reverse("children:cin", args=[person.pk])


@require_GET
def cin(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The Children's tab: status, contacts, early help and each CIN episode's records."""
    try:
        person, decision = _open(request, person_id)
    except _Refused as refused:
        return refused.response
    record = selectors.person_cin_record(user=request.user, person=person, decision=decision)
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="children/cin/person_children.jinja",
        tab="children",
        context={
            "page_title": f"Children's social care – {person.full_name}",
            "record": record,
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
        },
    )


# --- Forms ---


def _teams(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (str(m.team_id), m.team.name)
        for m in user_current_memberships(user=_actor(request))
        if m.team.kind == Team.Kind.TEAM
    ]


def _team(request: HttpRequest, team_id: str) -> Team:
    for m in user_current_memberships(user=_actor(request)):
        if str(m.team_id) == team_id:
            return m.team
    raise ValidationError({"team": "Choose one of your teams"})


def _form_page(
    request: HttpRequest,
    person_id: uuid.UUID,
    *,
    title: str,
    submit: str,
    form_class: type[Any],
    done: str,
    choices: Callable[[Person], dict[str, list[tuple[str, str]]]] | None = None,
    initial: dict[str, Any] | None = None,
    save: Callable[[Person, dict[str, Any], User], Any],
    intro: str = "",
) -> HttpResponse:
    try:
        person, decision = _open(request, person_id, Do.EDIT)
    except _Refused as refused:
        return refused.response
    kwargs: dict[str, Any] = {"initial": initial or {}}
    if choices is not None:
        kwargs["choices"] = choices(person)
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                save(person, form.cleaned_data, _actor(request))
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return HttpResponseRedirect(_tab(person))
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="children/cin/form.jinja",
        tab="children",
        context={
            "page_title": f"{title} – {person.full_name}",
            "form": form,
            "form_title": title,
            "form_intro": intro,
            "submit_text": submit,
            "cancel_url": _tab(person),
            "page_has_errors": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


def _row(found: Any) -> Any:
    if found is None:
        raise Http404("No such record")
    return found


def _episode(request: HttpRequest, person: Person, episode_id: uuid.UUID) -> Any:
    return _row(selectors.episode_get(user=request.user, person=person, episode_id=episode_id))


def _codes(name: str) -> list[tuple[str, str]]:
    return selectors.code_choices(name)


TODAY: Callable[[], dt.date] = timezone.localdate


@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        received = timezone.make_aware(dt.datetime.combine(d["received_date"], d["received_time"]))
        return services.contact_record(
            actor=actor,
            person=person,
            team=_team(request, d["team"]),
            received_at=received,
            source=d["source"],
            referrer=d["referrer"],
            summary=d["summary"],
            priority=d["priority"],
            screening=d["screening"],
        )

    now = timezone.localtime()
    return _form_page(
        request,
        person_id,
        title="Record a contact",
        submit="Save contact",
        form_class=f.ContactForm,
        done="Contact recorded. A decision is due within one working day.",
        choices=lambda p: {"team": _teams(request), "source": _codes("cin_referral_source")},
        initial={
            "received_date": now.date(),
            "received_time": now.strftime("%H:%M"),
            "priority": "green",
        },
        save=save,
    )


@require_http_methods(["GET", "POST"])
def contact_decide(
    request: HttpRequest, person_id: uuid.UUID, contact_id: uuid.UUID
) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        contact = _row(
            selectors.contact_get(user=request.user, person=person, contact_id=contact_id)
        )
        return services.contact_decide(
            actor=actor,
            contact=contact,
            decision=d["decision"],
            decided_on=d["decided_on"],
            reason=d["reason"],
            primary_need=d["primary_need"],
            early_help_organisation=d["early_help_organisation"],
        )

    return _form_page(
        request,
        person_id,
        title="Decide on the contact",
        submit="Save decision",
        form_class=f.ContactDecisionForm,
        done="Decision recorded.",
        choices=lambda p: {
            "decision": _codes("contact_outcome"),
            "primary_need": _codes("cin_need_codes"),
        },
        initial={"decided_on": TODAY()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def referral_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        return services.referral_record(
            actor=actor,
            person=person,
            team=_team(request, d["team"]),
            referral_date=d["referral_date"],
            referral_source=d["referral_source"],
            primary_need=d["primary_need"],
            referral_nfa=d["referral_nfa"],
        )

    return _form_page(
        request,
        person_id,
        title="Record a referral",
        submit="Save referral",
        form_class=f.ReferralForm,
        done="Referral recorded. The assessment is due within 45 working days.",
        choices=lambda p: {
            "team": _teams(request),
            "referral_source": _codes("cin_referral_source"),
            "primary_need": _codes("cin_need_codes"),
        },
        initial={"referral_date": TODAY()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def episode_close(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID
) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        return services.episode_close(
            actor=actor,
            episode=_episode(request, person, episode_id),
            closure_date=d["closure_date"],
            closure_reason=d["closure_reason"],
        )

    return _form_page(
        request,
        person_id,
        title="Close the child in need episode",
        submit="Close episode",
        form_class=f.ClosureForm,
        done="Episode closed.",
        choices=lambda p: {"closure_reason": _codes("cin_reason_for_closure")},
        initial={"closure_date": TODAY()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def assessment_add(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID
) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        return services.assessment_start(
            actor=actor,
            episode=_episode(request, person, episode_id),
            start_date=d["start_date"],
            child_seen_date=d["child_seen_date"],
        )

    return _form_page(
        request,
        person_id,
        title="Start a child and family assessment",
        submit="Start assessment",
        form_class=f.AssessmentStartForm,
        done="Assessment started.",
        initial={"start_date": TODAY()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def assessment_update(
    request: HttpRequest, person_id: uuid.UUID, assessment_id: uuid.UUID
) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        assessment = _row(
            selectors.assessment_get(user=request.user, person=person, assessment_id=assessment_id)
        )
        return services.assessment_update(
            actor=actor,
            assessment=assessment,
            child_seen_date=d["child_seen_date"],
            internal_review_date=d["internal_review_date"],
            authorisation_date=d["authorisation_date"],
            factors=d["factors"],
            outcome=d["outcome"],
            outcome_nfa=d["outcome_nfa"],
        )

    return _form_page(
        request,
        person_id,
        title="Update the assessment",
        submit="Save assessment",
        form_class=f.AssessmentUpdateForm,
        done="Assessment saved.",
        choices=lambda p: {
            "factors": _codes("cin_assessment_factors"),
            "outcome": _codes("assessment_outcome"),
        },
        save=save,
    )


@require_http_methods(["GET", "POST"])
def strategy_add(request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        return services.strategy_discussion_record(
            actor=actor,
            episode=_episode(request, person, episode_id),
            discussion_date=d["discussion_date"],
            attendees=d["attendees"],
            start_s47=bool(f.yes_no(d["start_s47"])),
            notes=d["notes"],
        )

    return _form_page(
        request,
        person_id,
        title="Record a strategy discussion",
        submit="Save discussion",
        form_class=f.StrategyDiscussionForm,
        done="Strategy discussion recorded.",
        initial={"discussion_date": TODAY()},
        save=save,
    )


def _discussions(request: HttpRequest, person: Person) -> list[tuple[str, str]]:
    record = selectors.person_cin_record(user=request.user, person=person)
    return [
        (str(d.pk), f"{d.discussion_date:%d %B %Y}") for v in record.episodes for d in v.discussions
    ]


def _enquiries(request: HttpRequest, person: Person) -> list[tuple[str, str]]:
    record = selectors.person_cin_record(user=request.user, person=person)
    return [
        (str(s.pk), f"Started {s.start_date:%d %B %Y}")
        for v in record.episodes
        for s in v.enquiries
    ]


@require_http_methods(["GET", "POST"])
def s47_add(request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        discussion = None
        if d["strategy_discussion"]:
            discussion = _row(
                selectors.discussion_get(
                    user=request.user, person=person, discussion_id=d["strategy_discussion"]
                )
            )
        return services.s47_start(
            actor=actor,
            episode=_episode(request, person, episode_id),
            start_date=d["start_date"],
            strategy_discussion=discussion,
        )

    return _form_page(
        request,
        person_id,
        title="Start a section 47 enquiry",
        submit="Start enquiry",
        form_class=f.Section47StartForm,
        done="Section 47 enquiry started. The initial conference is due 15 working days after "
        "the strategy discussion.",
        choices=lambda p: {"strategy_discussion": _discussions(request, p)},
        initial={"start_date": TODAY()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def s47_end(request: HttpRequest, person_id: uuid.UUID, s47_id: uuid.UUID) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        s47 = _row(selectors.s47_get(user=request.user, person=person, s47_id=s47_id))
        return services.s47_complete(
            actor=actor,
            s47=s47,
            end_date=d["end_date"],
            outcome=d["outcome"],
            icpc_required=bool(f.yes_no(d["icpc_required"])),
        )

    return _form_page(
        request,
        person_id,
        title="End the section 47 enquiry",
        submit="Save",
        form_class=f.Section47EndForm,
        done="Section 47 enquiry ended.",
        choices=lambda p: {"outcome": _codes("s47_outcome")},
        initial={"end_date": TODAY()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def icpc_add(request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        s47 = None
        if d["section47"]:
            s47 = _row(selectors.s47_get(user=request.user, person=person, s47_id=d["section47"]))
        return services.icpc_record(
            actor=actor,
            episode=_episode(request, person, episode_id),
            conference_date=d["conference_date"],
            cp_plan=bool(f.yes_no(d["cp_plan"])),
            section47=s47,
            transfer_in=d["transfer_in"],
            initial_category=d["initial_category"],
            notes=d["notes"],
        )

    return _form_page(
        request,
        person_id,
        title="Record an initial child protection conference",
        submit="Save conference",
        form_class=f.ConferenceForm,
        done="Conference recorded.",
        choices=lambda p: {
            "section47": _enquiries(request, p),
            "initial_category": _codes("cin_category_of_abuse"),
        },
        initial={"conference_date": TODAY()},
        save=save,
    )


def _cp_plan(request: HttpRequest, person: Person, plan_id: uuid.UUID) -> Any:
    return _row(selectors.cp_plan_get(user=request.user, person=person, plan_id=plan_id))


@require_http_methods(["GET", "POST"])
def cp_review_add(request: HttpRequest, person_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        return services.cp_review_record(
            actor=actor,
            plan=_cp_plan(request, person, plan_id),
            review_date=d["review_date"],
            continue_plan=bool(f.yes_no(d["continue_plan"])),
            quorate=bool(f.yes_no(d["quorate"])),
            participation=d["participation"],
            latest_category=d["latest_category"],
            notes=d["notes"],
        )

    return _form_page(
        request,
        person_id,
        title="Record a child protection review",
        submit="Save review",
        form_class=f.CPReviewForm,
        done="Review recorded.",
        choices=lambda p: {
            "participation": _codes("cp_participation"),
            "latest_category": _codes("cin_category_of_abuse"),
        },
        initial={"review_date": TODAY()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def core_group_add(request: HttpRequest, person_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        return services.core_group_record(
            actor=actor,
            plan=_cp_plan(request, person, plan_id),
            meeting_date=d["meeting_date"],
            attendees=d["attendees"],
            notes=d["notes"],
        )

    return _form_page(
        request,
        person_id,
        title="Record a core group meeting",
        submit="Save meeting",
        form_class=f.CoreGroupForm,
        done="Core group recorded.",
        initial={"meeting_date": TODAY()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def cin_plan_add(request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        return services.cin_plan_start(
            actor=actor, episode=_episode(request, person, episode_id), start_date=d["start_date"]
        )

    return _form_page(
        request,
        person_id,
        title="Start a child in need plan",
        submit="Start plan",
        form_class=f.CINPlanStartForm,
        done="CIN plan started.",
        initial={"start_date": TODAY()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def cin_plan_end(request: HttpRequest, person_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        plan = _row(selectors.cin_plan_get(user=request.user, person=person, plan_id=plan_id))
        return services.cin_plan_end(actor=actor, plan=plan, end_date=d["end_date"])

    return _form_page(
        request,
        person_id,
        title="End the child in need plan",
        submit="End plan",
        form_class=f.CINPlanEndForm,
        done="CIN plan ended.",
        initial={"end_date": TODAY()},
        save=save,
    )


@require_http_methods(["GET", "POST"])
def pre_proceedings_add(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID
) -> HttpResponse:
    def save(person: Person, d: dict[str, Any], actor: User) -> Any:
        values = dict(d)
        values["fgdm_offered"] = f.yes_no(d["fgdm_offered"])
        values["fgdm_facilitated"] = f.yes_no(d["fgdm_facilitated"])
        values["review_meetings"] = d["review_meetings"] or 0
        return services.pre_proceedings_save(
            actor=actor, episode=_episode(request, person, episode_id), **values
        )

    return _form_page(
        request,
        person_id,
        title="Record pre-proceedings",
        submit="Save",
        form_class=f.PreProceedingsForm,
        done="Pre-proceedings recorded.",
        choices=lambda p: {"outcome": _codes("pp_outcome")},
        initial={"start_date": TODAY()},
        save=save,
    )
