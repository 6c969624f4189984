"""Where the current action comes from (page, API, command), for the audit log.

Set once per request by the middleware; commands and tasks set their own.
"""

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class AuditContext:
    via: str = "cli"
    method: str = ""
    path: str = ""
    ip_address: str | None = None


_DEFAULT = AuditContext()
_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "kith_audit_context", default=None
)


def current() -> AuditContext:
    return _current.get() or _DEFAULT


@contextmanager
def using(context: AuditContext) -> Iterator[None]:
    token = _current.set(context)
    try:
        yield
    finally:
        _current.reset(token)


def from_request(request: HttpRequest) -> AuditContext:
    return AuditContext(
        via="api" if request.path.startswith("/api/") else "page",
        method=request.method or "",
        path=request.path[:300],
        ip_address=request.META.get("REMOTE_ADDR") or None,
    )


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with using(from_request(request)):
            return self.get_response(request)
