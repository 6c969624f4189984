"""Pages for work: adding a person to a team's caseload."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kith.access.policy import RECORD_MODULES, user_modules
from kith.accounts.models import Team
from kith.accounts.selectors import user_current_memberships
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
    if request.method == "POST" and form.is_valid():
        details = dict(form.cleaned_data)
        team = Team.objects.get(pk=details.pop("team"))
        try:
            person = services.person_add_to_caseload(actor=request.user, team=team, **details)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return HttpResponseRedirect(reverse("people:person", args=[person.pk]))
    return render(
        request,
        "work/person_add.jinja",
        {"page_title": "Add a person", "form": form, "page_has_errors": bool(form.errors)},
    )
