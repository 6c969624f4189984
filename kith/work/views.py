"""Pages for work: adding a person, a worker's own work, work items and their actions,
allocation of people and work, and moving a leaver's caseload."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kith.access.policy import RECORD_MODULES, Do, decide, user_modules
from kith.accounts.models import Team, User
from kith.accounts.selectors import team_managers, user_current_memberships, user_is_manager
from kith.core.forms import add_validation_errors
from kith.core.views import forbidden
from kith.people import selectors as people_selectors
from kith.people.pages import render_person_page
from kith.work import hooks, selectors, services
from kith.work.forms import (
    CommentForm,
    DueDateForm,
    PersonCreateForm,
    PriorityForm,
    ReasonForm,
    WorkerForm,
    WorkItemAddForm,
)
from kith.work.models import WorkItem


@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest) -> HttpResponse:
    if not user_modules(request.user, editing=True) & RECORD_MODULES:
        raise PermissionDenied("Your role cannot add people.")
    teams = [
        (str(m.team_id), m.team.name)
        for m in user_current_memberships(user=request.user)  # type: ignore[arg-type]
        if m.team.kind == Team.Kind.TEAM
    ]
    form = PersonCreateForm(request.POST or None, teams=[("", "Select a team"), *teams])
    matches = None
    if request.method == "POST" and form.is_valid():
        details = dict(form.cleaned_data)
        confirmed = details.pop("confirmed_new")
        # Search before create: a likely match is shown first, so the person is recorded once.
        if not confirmed:
            matches = people_selectors.person_likely_matches(
                user=request.user,
                given_name=details["given_name"],
                family_name=details["family_name"],
                date_of_birth=details["date_of_birth"],
                postcode=details["postcode"] or "",
            )
        if not matches:
            team = Team.objects.get(pk=details.pop("team"))
            try:
                with transaction.atomic():
                    person = services.person_add_to_caseload(
                        actor=request.user,  # type: ignore[arg-type]
                        team=team,
                        **details,
                    )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                return HttpResponseRedirect(reverse("people:person", args=[person.pk]))
    return render(
        request,
        "work/person_add.jinja",
        {
            "page_title": "Check they are not already recorded" if matches else "Add a person",
            "form": form,
            "matches": matches,
            "page_has_errors": bool(form.errors),
        },
    )


# --- Work items ---


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied("Sign in first.")
    return request.user


def my_work(request: HttpRequest) -> HttpResponse:
    """The worker's own page: their work by due date (overdue first) and their caseload."""
    if not user_modules(request.user) & RECORD_MODULES:
        return forbidden(request)
    return render(
        request,
        "work/my_work.jinja",
        {
            "page_title": "My work",
            **selectors.my_work(user=_actor(request)),
            "panels": hooks.my_work_panels(user=_actor(request)),
        },
    )


def authorisations(request: HttpRequest) -> HttpResponse:
    if not user_is_manager(user=request.user):
        return forbidden(request)
    return render(
        request,
        "work/authorisations.jinja",
        {
            "page_title": "Waiting for your authorisation",
            "items": selectors.authorisation_queue(user=_actor(request)),
        },
    )


def _item_or_404(request: HttpRequest, item_id: uuid.UUID) -> WorkItem:
    item = selectors.work_item_get(user=request.user, item_id=item_id)
    if item is None:
        raise Http404("No such work item")
    return item


def work_item_detail(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    try:
        item = _item_or_404(request, item_id)
    except PermissionDenied:
        return forbidden(request)
    actor = _actor(request)
    return render(
        request,
        "work/work_item.jinja",
        {
            "page_title": f"{item.item_type.name} – {item.person.full_name}",
            "item": item,
            "history": selectors.work_item_history(item=item),
            "links": hooks.item_links(item=item),
            "is_manager": actor in team_managers(team_ids={item.team_id}),
            "today": timezone.localdate(),
        },
    )


# action -> (form class or None, service call, message)
SIMPLE_ACTIONS = {"start", "complete", "authorise"}
FORM_ACTIONS = {"allocate", "return", "reassign", "cancel", "move-due-date"}


@require_http_methods(["GET", "POST"])
def work_item_action(request: HttpRequest, item_id: uuid.UUID, action: str) -> HttpResponse:
    if action not in SIMPLE_ACTIONS | FORM_ACTIONS:
        raise Http404("No such action")
    try:
        item = _item_or_404(request, item_id)
    except PermissionDenied:
        return forbidden(request)
    actor = _actor(request)
    back = HttpResponseRedirect(reverse("work:item", args=[item.pk]))
    workers = [(str(u.pk), u.display_name) for u in selectors.team_workers(team=item.team)]
    form: forms.Form | None = None
    if action in SIMPLE_ACTIONS:
        if request.method != "POST":
            return back
    elif action in {"allocate", "reassign"}:
        form = WorkerForm(request.POST or None, workers=workers)
    elif action == "return":
        form = CommentForm(request.POST or None)
    elif action == "cancel":
        form = ReasonForm(request.POST or None)
    else:
        form = DueDateForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        worker = next(
            (u for u in selectors.team_workers(team=item.team) if str(u.pk) == data.get("worker")),
            None,
        )
        try:
            with transaction.atomic():
                message = _do(actor, item, action, data, worker)
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return back
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return back
        else:
            messages.success(request, message)
            return back
    return render(
        request,
        "work/work_item_action.jinja",
        {
            "page_title": f"{ACTION_TITLES[action]} – {item.item_type.name}",
            "form_title": ACTION_TITLES[action],
            "item": item,
            "form": form,
            "page_has_errors": bool(form and form.errors),
        },
        status=400 if form is not None and form.errors else 200,
    )


ACTION_TITLES = {
    "allocate": "Allocate to a worker",
    "reassign": "Reassign to another worker",
    "return": "Return with comments",
    "cancel": "Cancel this step",
    "move-due-date": "Move the due date",
}


def _do(actor: User, item: WorkItem, action: str, data: dict[str, Any], worker: User | None) -> str:
    if action == "start":
        services.work_item_start(actor=actor, item=item)
        return "Started."
    if action == "complete":
        done = services.work_item_complete(actor=actor, item=item)
        if done.status == WorkItem.Status.AWAITING_AUTHORISATION:
            return "Sent to your manager for authorisation."
        return "Completed."
    if action == "authorise":
        services.work_item_authorise(actor=actor, item=item)
        return "Authorised."
    if action == "allocate":
        services.work_item_allocate(actor=actor, item=item, worker=worker, reason=data["reason"])
        return f"Allocated to {worker.display_name if worker else 'the team'}."
    if action == "reassign":
        assert worker is not None
        services.work_item_reassign(actor=actor, item=item, worker=worker, comment=data["reason"])
        return f"Reassigned to {worker.display_name}."
    if action == "return":
        services.work_item_return(actor=actor, item=item, comment=data["comment"])
        return "Returned to the worker with your comments."
    if action == "cancel":
        services.work_item_cancel(actor=actor, item=item, reason=data["reason"])
        return "Cancelled."
    services.work_item_move_due_date(
        actor=actor, item=item, due_date=data["due_date"], reason=data["reason"]
    )
    return "Due date moved."


def _person_page(request: HttpRequest, person_id: uuid.UUID, action: Do = Do.VIEW) -> Any:
    try:
        return people_selectors.person_get(user=request.user, person_id=person_id, action=action)
    except people_selectors.PersonNotFound as exc:
        raise Http404("No such person") from exc


def _teams_for(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (str(m.team_id), m.team.name)
        for m in user_current_memberships(user=_actor(request))
        if m.team.kind == Team.Kind.TEAM
    ]


def person_work(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _person_page(request, person_id)
    except people_selectors.PersonMerged as merged:
        return HttpResponseRedirect(reverse("work:person-work", args=[merged.survivor_id]))
    except people_selectors.RecordAccessDenied:
        return forbidden(request)
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="work/person_work.jinja",
        tab="work",
        context={
            "items": selectors.person_work_items(person=person),
            "involvements": selectors.person_involvements(person=person),
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def work_item_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _person_page(request, person_id, Do.EDIT)
    except (people_selectors.PersonMerged, people_selectors.RecordAccessDenied):
        return forbidden(request)
    types = selectors.work_item_types()
    form = WorkItemAddForm(
        request.POST or None,
        types=[(str(t.pk), f"{t.name} ({t.get_service_area_display()})") for t in types],
        teams=_teams_for(request),
    )
    if request.method == "POST" and form.is_valid():
        item_type = next(t for t in types if str(t.pk) == form.cleaned_data["item_type"])
        team = Team.objects.get(pk=form.cleaned_data["team"])
        try:
            with transaction.atomic():
                item = services.work_item_create(
                    actor=_actor(request),
                    person=person,
                    item_type=item_type,
                    team=team,
                    clock_start=form.cleaned_data["clock_start"],
                    note=form.cleaned_data["note"],
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied:
            return forbidden(request)
        else:
            due = f", due {item.due_date:%d %B %Y}" if item.due_date else ""
            messages.success(request, f"{item_type.name} added for {team.name}{due}.")
            return HttpResponseRedirect(reverse("work:person-work", args=[person.pk]))
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="people/person_form.jinja",
        tab="work",
        context={
            "page_title": f"Add a work item – {person.full_name}",
            "form": form,
            "form_title": "Add a work item",
            "cancel_url": reverse("work:person-work", args=[person.pk]),
            "submit_text": "Add work item",
            "page_has_errors": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def person_allocate(
    request: HttpRequest, person_id: uuid.UUID, involvement_id: uuid.UUID
) -> HttpResponse:
    """Allocate the person to a worker in an involved team (and set the case's RAG)."""
    try:
        person, decision = _person_page(request, person_id)
    except (people_selectors.PersonMerged, people_selectors.RecordAccessDenied):
        return forbidden(request)
    involvement = selectors.involvement_get(person=person, involvement_id=involvement_id)
    if involvement is None or involvement.end_date is not None:
        raise Http404("No such open involvement")
    workers = [(str(u.pk), u.display_name) for u in selectors.team_workers(team=involvement.team)]
    form = WorkerForm(request.POST or None, workers=workers)
    priority = PriorityForm(request.POST or None, initial={"priority": involvement.priority})
    if request.method == "POST" and form.is_valid() and priority.is_valid():
        worker = next(
            u
            for u in selectors.team_workers(team=involvement.team)
            if str(u.pk) == form.cleaned_data["worker"]
        )
        try:
            with transaction.atomic():
                services.person_allocate(
                    actor=_actor(request),
                    involvement=involvement,
                    worker=worker,
                    reason=form.cleaned_data["reason"],
                )
                if priority.cleaned_data["priority"] != involvement.priority:
                    services.involvement_set_priority(
                        actor=_actor(request),
                        involvement=involvement,
                        priority=priority.cleaned_data["priority"],
                    )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied:
            return forbidden(request)
        else:
            messages.success(request, f"{person.full_name} is allocated to {worker.display_name}.")
            return HttpResponseRedirect(reverse("work:person-work", args=[person.pk]))
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="work/person_allocate.jinja",
        tab="work",
        context={
            "page_title": f"Allocate a worker – {person.full_name}",
            "form": form,
            "priority_form": priority,
            "involvement": involvement,
            "page_has_errors": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def reallocate(request: HttpRequest, team_id: uuid.UUID, worker_id: uuid.UUID) -> HttpResponse:
    """A manager moves a worker's whole caseload in the team (a leaver, long-term absence)."""
    actor = _actor(request)
    team = Team.objects.filter(pk=team_id).first()
    worker = User.objects.filter(pk=worker_id).first()
    if team is None or worker is None:
        raise Http404("No such team or worker")
    if actor not in team_managers(team_ids={team.pk}):
        return forbidden(request)
    caseload = selectors.leaver_caseload(user=actor, worker=worker, team=team)
    others = [u for u in selectors.team_workers(team=team) if u.pk != worker.pk]
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        to: dict[uuid.UUID, User | None] = {}
        for allocation in caseload:
            chosen = request.POST.get(f"to-{allocation.person_id}", "")
            if chosen == "team":
                to[allocation.person_id] = None
            elif chosen:
                to[allocation.person_id] = next((u for u in others if str(u.pk) == chosen), None)
        try:
            with transaction.atomic():
                result = services.caseload_reallocate(
                    actor=actor, leaver=worker, to=to, reason=reason
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"{result.people} people and {result.work_items} work items moved; "
                f"{result.left_unallocated} back to the team unallocated.",
            )
            return HttpResponseRedirect(reverse("work:team-dashboard") + f"?team={team.pk}")
    return render(
        request,
        "work/reallocate.jinja",
        {
            "page_title": f"Reallocate {worker.display_name}'s caseload",
            "team": team,
            "worker": worker,
            "caseload": caseload,
            "others": others,
        },
    )
