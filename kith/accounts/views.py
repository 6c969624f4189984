"""Signing in (password, then a TOTP code or backup code), out, and changing password.

Between the password and the second factor the user is *pending*: their id is kept in the
session, but they are not signed in and can reach nothing else.
"""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kith.accounts import selectors, services
from kith.accounts.forms import ChangePasswordForm, CodeForm, SetUpCodeForm, SignInForm
from kith.accounts.middleware import LAST_ACTIVITY_KEY
from kith.accounts.models import User
from kith.core.qr import qr_svg_data_uri

PENDING_USER_KEY = "kith_pending_user"
PENDING_SINCE_KEY = "kith_pending_since"
PENDING_NEXT_KEY = "kith_pending_next"
PENDING_DEVICE_KEY = "kith_pending_device"
BACKUP_CODES_KEY = "kith_backup_codes"
PENDING_LIFETIME_SECONDS = 5 * 60
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SIGN_IN_FAILED_MESSAGE = "Enter a correct username and password"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER_KEY)
    since = request.session.get(PENDING_SINCE_KEY, 0)
    if not user_id or timezone.now().timestamp() - float(since) > PENDING_LIFETIME_SECONDS:
        return None
    user = selectors.user_get(user_id=user_id)
    return user if user is not None and user.is_active else None


def _clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER_KEY, PENDING_SINCE_KEY, PENDING_DEVICE_KEY):
        request.session.pop(key, None)


def _restart(request: HttpRequest) -> HttpResponse:
    messages.info(request, "Your sign-in took too long. Sign in again.")
    _clear_pending(request)
    return HttpResponseRedirect(reverse("accounts:sign-in"))


def _count_failure(request: HttpRequest, user: User) -> bool:
    """Record a wrong second-factor code against the user's lockout; True if now locked."""
    AxesProxyHandler.user_login_failed(
        sender=User, credentials={"username": user.username}, request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


def _finish_sign_in(request: HttpRequest, user: User, device: Any) -> str:
    next_url = request.session.get(PENDING_NEXT_KEY)
    _clear_pending(request)
    request.session.pop(PENDING_NEXT_KEY, None)
    login(request, user, backend=MODEL_BACKEND)
    otp_login(request, device)
    request.session[LAST_ACTIVITY_KEY] = timezone.now().timestamp()
    return _safe_next(request, next_url)


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    _clear_pending(request)
    return render(
        request,
        "accounts/locked_out.jinja",
        {
            "page_title": "Your account is locked",
            "minutes": round(settings.AXES_COOLOFF_TIME * 60),
        },
        status=429,
    )


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if selectors.user_is_signed_in(user=request.user):
        return HttpResponseRedirect(_safe_next(request, request.GET.get("next")))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"].strip().lower(),
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            form.add_error(None, SIGN_IN_FAILED_MESSAGE)
        else:
            request.session.cycle_key()
            request.session[PENDING_USER_KEY] = str(user.pk)
            request.session[PENDING_SINCE_KEY] = timezone.now().timestamp()
            request.session[PENDING_NEXT_KEY] = request.POST.get("next", "")
            if selectors.user_confirmed_totp_device(user=user) is None:
                return HttpResponseRedirect(reverse("accounts:set-up-two-factor"))
            return HttpResponseRedirect(reverse("accounts:two-factor"))
    reason = request.GET.get("reason")
    return render(
        request,
        "accounts/sign_in.jinja",
        {
            "page_title": "Sign in",
            "form": form,
            "page_has_errors": bool(form.errors),
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "idle": reason == "idle",
        },
    )


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return _restart(request)
    if AxesProxyHandler.is_locked(request, {"username": user.username}):
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        for device in [
            *TOTPDevice.objects.devices_for_user(user, confirmed=True),
            *StaticDevice.objects.devices_for_user(user, confirmed=True),
        ]:
            if device.verify_token(code):
                if isinstance(device, StaticDevice):
                    remaining = selectors.user_backup_codes_remaining(user=user)
                    messages.warning(
                        request,
                        f"You used a backup code. You have {remaining} left.",
                    )
                return HttpResponseRedirect(_finish_sign_in(request, user, device))
        if _count_failure(request, user):
            return locked_out(request)
        form.add_error("code", "The security code is not right. Enter the code your app shows now")
    return render(
        request,
        "accounts/two_factor.jinja",
        {
            "page_title": "Enter your security code",
            "form": form,
            "page_has_errors": bool(form.errors),
        },
    )


@require_http_methods(["GET", "POST"])
def set_up_two_factor(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return _restart(request)
    if selectors.user_confirmed_totp_device(user=user) is not None:
        return HttpResponseRedirect(reverse("accounts:two-factor"))
    if AxesProxyHandler.is_locked(request, {"username": user.username}):
        return locked_out(request)
    device = TOTPDevice.objects.filter(
        pk=request.session.get(PENDING_DEVICE_KEY), user=user, confirmed=False
    ).first()
    if device is None:
        device = services.totp_device_start(user=user)
        request.session[PENDING_DEVICE_KEY] = device.pk
    form = SetUpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_device_confirm(
            user=user, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            next_url = _finish_sign_in(request, user, device)
            request.session[BACKUP_CODES_KEY] = codes
            request.session[PENDING_NEXT_KEY] = next_url
            return HttpResponseRedirect(reverse("accounts:backup-codes"))
        if _count_failure(request, user):
            return locked_out(request)
        form.add_error("code", "The security code is not right. Enter the code your app shows now")
    return render(
        request,
        "accounts/set_up_two_factor.jinja",
        {
            "page_title": "Set up your authenticator app",
            "form": form,
            "page_has_errors": bool(form.errors),
            "qr_code": qr_svg_data_uri(device.config_url),
            "secret": services.totp_secret_for_display(device),
        },
    )


@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Shows new backup codes once; a signed-in user can also make a new set here."""
    user = request.user
    if request.method == "POST":
        codes = services.backup_codes_regenerate(user=user)  # type: ignore[arg-type]
    else:
        codes = request.session.pop(BACKUP_CODES_KEY, None)
    if codes is None:
        return render(
            request,
            "accounts/backup_codes.jinja",
            {
                "page_title": "Backup codes",
                "codes": None,
                "remaining": selectors.user_backup_codes_remaining(user=user),
            },
        )
    next_url = request.session.pop(PENDING_NEXT_KEY, "") or reverse("home")
    return render(
        request,
        "accounts/backup_codes.jinja",
        {
            "page_title": "Your backup codes",
            "codes": codes,
            "next_url": _safe_next(request, next_url),
        },
    )


@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not user.check_password(form.cleaned_data["current_password"]):
            form.add_error("current_password", "Your current password is not right")
        else:
            try:
                services.user_change_password(
                    user=user, new_password=form.cleaned_data["new_password"]
                )
            except ValidationError as exc:
                form.add_error("new_password", " ".join(exc.messages))
            else:
                update_session_auth_hash(request, user)
                messages.success(request, "Your password has been changed.")
                return HttpResponseRedirect(reverse("home"))
    return render(
        request,
        "accounts/change_password.jinja",
        {
            "page_title": "Change your password",
            "form": form,
            "page_has_errors": bool(form.errors),
            "must_change": user.must_change_password,
        },
    )


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    reason = request.GET.get("reason", "")
    logout(request)
    target = reverse("accounts:signed-out")
    return HttpResponseRedirect(f"{target}?reason=idle" if reason == "idle" else target)


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/signed_out.jinja",
        {"page_title": "You have been signed out", "idle": request.GET.get("reason") == "idle"},
    )


def notifications(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    rows = selectors.user_notifications(user=user)
    services.notifications_mark_read(user=user)
    return render(
        request,
        "accounts/notifications.jinja",
        {"page_title": "Notifications", "notifications": rows},
    )


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The idle-warning's 'Stay signed in': the middleware has already noted the activity."""
    return HttpResponse(status=204)
