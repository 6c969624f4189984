"""The Returns page: performance staff choose a return and its period, build it in the
background, watch its progress, download the files and see the validator's issues."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kith.access.models import Module
from kith.access.policy import may_use_module
from kith.core.forms import add_validation_errors
from kith.returns import selectors_runs, services_runs
from kith.returns.forms import ReturnRunForm
from kith.returns.models import ReturnRun
from kith.returns.registry import KINDS


def _require_returns(request: HttpRequest) -> None:
    if not may_use_module(request.user, Module.RETURNS):
        raise PermissionDenied("Only staff whose role includes statutory returns can build them.")


def _run(request: HttpRequest, run_id: uuid.UUID) -> ReturnRun:
    _require_returns(request)
    try:
        return selectors_runs.return_run_get(user=request.user, run_id=run_id)
    except selectors_runs.RunNotFound:
        raise Http404("No such build") from None


def returns_index(request: HttpRequest) -> HttpResponse:
    _require_returns(request)
    form = ReturnRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services_runs.return_run_start(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                parameters=form.parameters(),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect("returns:run", run.pk)
    return render(
        request,
        "returns/index.jinja",
        {
            "page_title": "Returns",
            "form": form,
            "runs": selectors_runs.return_runs(user=request.user),
            "kinds": KINDS,
            "page_has_errors": bool(form.errors),
        },
    )


def _run_context(run: ReturnRun) -> dict[str, object]:
    return {"run": run, "kind": KINDS.get(run.kind)}


def run_page(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    run = _run(request, run_id)
    return render(
        request,
        "returns/run.jinja",
        {"page_title": f"{run.get_kind_display()}", **_run_context(run)},
    )


def run_status(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """The build's status panel alone, for htmx to poll while it builds."""
    run = _run(request, run_id)
    return render(request, "returns/_run_status.jinja", _run_context(run))


def run_download(request: HttpRequest, run_id: uuid.UUID, name: str) -> FileResponse:
    run = _run(request, run_id)
    try:
        path = selectors_runs.return_run_file(user=request.user, run=run, name=name)
    except selectors_runs.FileNotFound:
        raise Http404("No such file") from None
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
