"""Every page needs a signed-in user with a verified second factor; idle sessions end."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone

from kith.accounts.models import User
from kith.accounts.selectors import user_current_memberships, user_is_signed_in

# URL names open without signing in: the sign-in journey itself and machine checks.
PUBLIC_URL_NAMES = frozenset(
    {
        "accounts:sign-in",
        "accounts:two-factor",
        "accounts:set-up-two-factor",
        "accounts:signed-out",
        "accounts:sign-out",
        "core:healthz",
        "core:accessibility",
        "core:privacy",
    }
)
# Pages a signed-in user who must change their password may still reach.
PASSWORD_CHANGE_URL_NAMES = frozenset(
    {"accounts:change-password", "accounts:backup-codes", "accounts:keep-alive"}
)
LAST_ACTIVITY_KEY = "kith_last_activity"


def _redirect(request: HttpRequest, to: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponse(status=204, headers={"HX-Redirect": to})
    return HttpResponseRedirect(to)


def _url_name(request: HttpRequest) -> str | None:
    match = request.resolver_match
    if match is None:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match.view_name


class IdleTimeoutMiddleware:
    """Signs a user out after KITH_IDLE_TIMEOUT_SECONDS without a request (server-side)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - float(last) > settings.KITH_IDLE_TIMEOUT_SECONDS:
                logout(request)
                if _url_name(request) == "accounts:sign-out":
                    return self.get_response(request)  # the page's own idle sign-out
                target = reverse("accounts:sign-in") + "?" + urlencode({"reason": "idle"})
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Your session has timed out."}, status=401)
                return _redirect(request, target)
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class RequireSignInMiddleware:
    """Deny by default: only the sign-in journey is open to people who are not signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = _url_name(request)
        if name in PUBLIC_URL_NAMES:
            return self.get_response(request)
        user = request.user
        if not user_is_signed_in(user=user):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Sign in to use Kith."}, status=401)
            query = urlencode({"next": request.get_full_path()})
            return _redirect(request, f"{reverse('accounts:sign-in')}?{query}")
        assert isinstance(user, User)
        if not user_current_memberships(user=user).exists():
            logout(request)
            messages.warning(
                request,
                "You are not a member of any team, so you cannot use Kith. "
                "Ask your manager or a system administrator.",
            )
            return _redirect(request, reverse("accounts:sign-in"))
        if user.must_change_password and name not in PASSWORD_CHANGE_URL_NAMES:
            return _redirect(request, reverse("accounts:change-password"))
        return self.get_response(request)
