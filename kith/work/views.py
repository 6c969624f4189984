"""Pages for work: adding a person to a team's caseload."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kith.access.policy import RECORD_MODULES, user_modules
from kith.accounts.models import Team
from kith.accounts.selectors import user_current_memberships
from kith.core.forms import add_validation_errors
from kith.people import selectors as people_selectors
from kith.work import services
from kith.work.forms import PersonCreateForm


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
