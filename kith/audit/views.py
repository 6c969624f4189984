"""The auditor's search of the log."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kith.access.models import Module
from kith.access.policy import may_use_module
from kith.audit import selectors
from kith.audit.forms import AuditSearchForm


def audit_search(request: HttpRequest) -> HttpResponse:
    if not may_use_module(request.user, Module.AUDIT):
        raise PermissionDenied("Only auditors can search the audit log.")
    form = AuditSearchForm(request.GET or None)
    page = None
    if form.is_valid() and any(form.cleaned_data.values()):
        events = selectors.audit_search(user=request.user, **form.cleaned_data)
        page = Paginator(events, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_search.jinja",
        {
            "page_title": "Search the audit log",
            "form": form,
            "page": page,
            "query_prefix": f"{query.urlencode()}&" if query else "",
            "page_has_errors": bool(form.errors),
        },
    )
