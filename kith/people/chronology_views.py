"""The person's chronology: a page with filters, and the same events as a PDF.

Every read goes through ``people.selectors.person_chronology`` (the access policy, and the
audited read of the record); the PDF's read is also audited as a download.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from kith.core.formatting import format_date
from kith.core.forms import GovukDateField
from kith.core.pdf import pdf_download, render_pdf
from kith.people import chronology as registry
from kith.people import selectors
from kith.people.pages import render_person_page

FILTER_FIELDS = (
    "type",
    "date_from-day",
    "date_from-month",
    "date_from-year",
    "date_to-day",
    "date_to-month",
    "date_to-year",
)


class EventTypesField(forms.MultipleChoiceField):
    """Types no longer registered (in an old link, say) are left out, not an error."""

    def clean(self, value: Any) -> list[str]:
        known = {t.code for t in registry.event_types()}
        return [v for v in self.to_python(value) if v in known]


class ChronologyFilterForm(forms.Form):
    type = EventTypesField(
        label="Types of event", required=False, widget=forms.CheckboxSelectMultiple
    )
    date_from = GovukDateField(label="From date", required=False)
    date_to = GovukDateField(label="To date", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = self.fields["type"]
        assert isinstance(types, EventTypesField)
        types.choices = [(t.code, t.label) for t in registry.event_types()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return cleaned


@dataclass
class Filters:
    form: ChronologyFilterForm
    types: set[str] | None
    date_from: dt.date | None
    date_to: dt.date | None

    def describe(self) -> list[str]:
        """The filters applied, in words (for the page and the PDF)."""
        described = []
        if self.types is not None:
            labels = {t.code: t.label for t in registry.event_types()}
            described.append(", ".join(labels.get(code, code) for code in sorted(self.types)))
        if self.date_from:
            described.append(f"from {format_date(self.date_from)}")
        if self.date_to:
            described.append(f"up to {format_date(self.date_to)}")
        return described


def _filters(request: HttpRequest) -> Filters:
    """The filters in the query string. Those that are not valid are not applied (the page
    shows why)."""
    bound = any(name in request.GET for name in FILTER_FIELDS)
    form = ChronologyFilterForm(request.GET if bound else None)
    if not bound:
        return Filters(form, None, None, None)
    form.is_valid()
    data = form.cleaned_data
    types = set(data.get("type") or []) or None
    return Filters(form, types, data.get("date_from"), data.get("date_to"))


def _no_access(request: HttpRequest, denied: selectors.RecordAccessDenied) -> HttpResponse:
    """Returned, not raised, so that the request's transaction (with the audit entry of the
    refusal) commits."""
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


def _merged(request: HttpRequest, merged: selectors.PersonMerged, route: str) -> HttpResponse:
    """To the same page (and filters) of the record it was merged into."""
    if route == "people:chronology":
        messages.info(request, "That record was merged into this one.")
    target = reverse(route, args=[merged.survivor_id])
    query = request.GET.urlencode()
    return HttpResponseRedirect(f"{target}?{query}" if query else target)


@require_GET
def chronology(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    filters = _filters(request)
    try:
        person, decision, events = selectors.person_chronology(
            user=request.user,
            person_id=person_id,
            types=filters.types,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
    except selectors.PersonNotFound as exc:
        raise Http404("No such person") from exc
    except selectors.PersonMerged as merged:
        return _merged(request, merged, "people:chronology")
    except selectors.RecordAccessDenied as denied:
        return _no_access(request, denied)
    pdf_url = reverse("people:chronology-pdf", args=[person.pk])
    query = request.GET.urlencode()
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="people/person_chronology.jinja",
        tab="chronology",
        context={
            "page_title": f"Chronology – {person.full_name}",
            "page_has_errors": bool(filters.form.errors),
            "form": filters.form,
            "selected_types": filters.types or set(),
            "event_groups": registry.event_types_by_module(),
            "type_labels": {t.code: t.label for t in registry.event_types()},
            "events": events,
            "filters": filters.describe(),
            "pdf_url": f"{pdf_url}?{query}" if query else pdf_url,
            "printed_at": timezone.now(),
        },
    )


@require_GET
def chronology_pdf(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    filters = _filters(request)
    try:
        person, _decision, events = selectors.person_chronology_download(
            user=request.user,
            person_id=person_id,
            types=filters.types,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
    except selectors.PersonNotFound as exc:
        raise Http404("No such person") from exc
    except selectors.PersonMerged as merged:
        return _merged(request, merged, "people:chronology-pdf")
    except selectors.RecordAccessDenied as denied:
        return _no_access(request, denied)
    pdf = render_pdf(
        "people/person_chronology_pdf.jinja",
        {
            "person": person,
            "events": events,
            "type_labels": {t.code: t.label for t in registry.event_types()},
            "filters": filters.describe(),
        },
        title=f"Chronology: {person.full_name}",
        request=request,
    )
    return pdf_download(pdf, f"chronology-{person.la_number}.pdf")
