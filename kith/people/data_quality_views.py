"""Data quality pages: the duplicate report, merging two records and undoing a merge.
For system administrators (data quality staff); every read and write is audited."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kith.accounts.admin_views import administrator_required
from kith.core import codelists
from kith.core.forms import add_validation_errors
from kith.people import selectors, selectors_duplicates, services, services_duplicates
from kith.people.forms import (
    DismissForm,
    MergeChooseForm,
    MergeForm,
    OrganisationForm,
    ReasonForm,
)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


@administrator_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """The latest finished scan's pairs (paged), and the scan running now with its progress."""
    report = selectors_duplicates.duplicate_report(user=request.user, page=_page_number(request))
    return render(
        request,
        "people/data_quality/duplicates.jinja",
        {"page_title": "Possible duplicate records", "report": report, "pairs": report.pairs},
    )


@administrator_required
@require_http_methods(["POST"])
def duplicate_scan_start(request: HttpRequest) -> HttpResponse:
    try:
        services_duplicates.duplicate_scan_start(actor=request.user)  # type: ignore[arg-type]
    except services_duplicates.ScanAlreadyRunning as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "A new duplicate scan has started. You can leave this page: the results appear "
            "here when it has finished.",
        )
    return HttpResponseRedirect(reverse("people:duplicates"))


@administrator_required
def duplicate_scan_progress(request: HttpRequest) -> HttpResponse:
    """The running scan's progress bar (polled by htmx); once it has ended, the page reloads
    to show the new pairs."""
    running = selectors_duplicates.duplicate_scan_running(user=request.user)
    if running is not None and services_duplicates.scan_is_stale(running):
        running = None
    if running is None and request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(status=204, headers={"HX-Redirect": reverse("people:duplicates")})
    return render(
        request, "people/data_quality/_scan_progress.jinja", {"running": running, "poll": True}
    )


@administrator_required
@require_http_methods(["POST"])
def duplicate_dismiss(request: HttpRequest) -> HttpResponse:
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a pair from the report.")
        return HttpResponseRedirect(reverse("people:duplicates"))
    first = selectors.person_for_dismissal(user=request.user, person_id=form.cleaned_data["first"])
    second = selectors.person_for_dismissal(
        user=request.user, person_id=form.cleaned_data["second"]
    )
    if first is None or second is None:
        raise Http404("No such person")
    services.duplicate_dismiss(
        actor=request.user,  # type: ignore[arg-type]
        first=first,
        second=second,
        note=form.cleaned_data["note"],
    )
    messages.success(
        request, f"LA numbers {first.la_number} and {second.la_number} marked as different people."
    )
    return HttpResponseRedirect(reverse("people:duplicates"))


@administrator_required
def merge_choose(request: HttpRequest) -> HttpResponse:
    form = MergeChooseForm(request.GET or None)
    if form.is_valid():
        return HttpResponseRedirect(
            reverse("people:merge", args=[form.cleaned_data["first"], form.cleaned_data["second"]])
        )
    return render(
        request,
        "people/data_quality/merge_choose.jinja",
        {"page_title": "Merge two records", "form": form, "page_has_errors": bool(form.errors)},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, first: int, second: int) -> HttpResponse:
    records = [
        selectors.person_for_merge(user=request.user, la_number=first),
        selectors.person_for_merge(user=request.user, la_number=second),
    ]
    if records[0] is None or records[1] is None or first == second:
        raise Http404("Choose two different records that exist and have not been merged")
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survivor, merged = records if form.cleaned_data["survivor"] == "first" else records[::-1]
        try:
            record = services.person_merge(
                actor=request.user,  # type: ignore[arg-type]
                survivor=survivor,  # type: ignore[arg-type]
                merged=merged,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                f"LA number {merged.la_number} has been merged into {survivor.la_number}. "  # type: ignore[union-attr]
                "You can undo this from the merge log.",
            )
            return HttpResponseRedirect(reverse("people:merge-log") + f"#merge-{record.pk}")
    comparison = selectors.merge_comparison(first=records[0], second=records[1])
    return render(
        request,
        "people/data_quality/merge.jinja",
        {
            "page_title": "Merge two records",
            "form": form,
            "first": records[0],
            "second": records[1],
            "comparison": comparison,
            "ethnicities": dict(codelists.choices("ssda903_ethnic")),
            "page_has_errors": bool(form.errors),
        },
    )


@administrator_required
def merge_log(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "people/data_quality/merge_log.jinja",
        {"page_title": "Merge log", "records": selectors.merge_records(user=request.user)},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def unmerge(request: HttpRequest, record_id: uuid.UUID) -> HttpResponse:
    record = selectors.merge_record_get(user=request.user, record_id=record_id)
    if record is None or record.unmerged_at is not None:
        raise Http404("No such merge to undo")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_unmerge(
                actor=request.user,  # type: ignore[arg-type]
                record=record,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                f"The merge is undone: LA numbers {record.survivor.la_number} and "
                f"{record.merged.la_number} are separate records again.",
            )
            return HttpResponseRedirect(reverse("people:merge-log"))
    return render(
        request,
        "people/data_quality/unmerge.jinja",
        {
            "page_title": "Undo a merge",
            "form": form,
            "record": record,
            "page_has_errors": bool(form.errors),
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def organisations(request: HttpRequest) -> HttpResponse:
    """GP practices, schools and other agencies that professionals on records belong to."""
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, f"{organisation.name} added.")
            return HttpResponseRedirect(reverse("people:organisations"))
    return render(
        request,
        "people/organisations.jinja",
        {
            "page_title": "Organisations",
            "form": form,
            "organisations": selectors.organisation_list(),
            "page_has_errors": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )
