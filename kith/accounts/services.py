"""Writes for accounts: users, teams, memberships, second factors. One transaction each."""

import datetime as dt
import secrets
from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kith.accounts.models import Membership, Notification, Role, Team, User
from kith.core.memo import memo_forget

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
TEMPORARY_PASSWORD_BYTES = 12


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str = "",
    swe_number: str = "",
    password: str | None = None,
    sign_in_enabled: bool = True,
) -> tuple[User, str | None]:
    """Create a user. Without a password, a temporary one is made, returned once, and the
    user must choose their own at first sign-in. With ``sign_in_enabled=False`` the account
    has no usable password until an administrator resets it (synthetic staff, bulk loads)."""
    username = username.strip().lower()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"The username {username} is already taken."})
    temporary = None
    if password is None and sign_in_enabled:
        temporary = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
        password = temporary
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        job_title=job_title.strip(),
        swe_number=swe_number.strip().upper(),
        must_change_password=temporary is not None,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean()
    user.save()
    return user, temporary


@transaction.atomic
def user_reset_password(*, actor: User | None, user: User) -> str:
    """A new temporary password, shown once; the user chooses their own at next sign-in and
    every session they have ends now."""
    temporary = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
    user.set_password(temporary)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    user_sign_out_everywhere(user=user)
    return temporary


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> User:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> None:
    """End every session of the user at once (their session hash no longer matches)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


@transaction.atomic
def team_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    service_area: str,
    parent: Team | None = None,
) -> Team:
    expected_parent = Team.PARENT_KIND.get(Team.Kind(kind))
    if expected_parent is None and parent is not None:
        raise ValidationError({"parent": "A directorate sits at the top of the tree."})
    if expected_parent is not None and (parent is None or parent.kind != expected_parent):
        raise ValidationError(
            {
                "parent": f"A {Team.Kind(kind).label.lower()} must sit within a "
                f"{Team.Kind(expected_parent).label.lower()}."
            }
        )
    team = Team(
        name=name.strip(),
        kind=kind,
        service_area=service_area,
        parent=parent,
        created_by=actor,
        updated_by=actor,
    )
    team.full_clean()
    team.save()
    memo_forget()
    return team


@transaction.atomic
def membership_create(
    *,
    actor: User | None,
    user: User,
    team: Team,
    role_code: str,
    start_date: dt.date | None = None,
) -> Membership:
    try:
        role = Role.objects.get(code=role_code)
    except Role.DoesNotExist as exc:
        raise ValidationError({"role": f"There is no role {role_code!r}."}) from exc
    if not user.is_active:
        raise ValidationError({"user": f"{user.display_name} has left and cannot join a team."})
    membership = Membership(
        user=user,
        team=team,
        role=role,
        start_date=start_date or _today(),
        created_by=actor,
        updated_by=actor,
    )
    membership.full_clean()
    membership.save()
    memo_forget()
    return membership


@transaction.atomic
def membership_end(
    *, actor: User | None, membership: Membership, end_date: dt.date, reason: str
) -> Membership:
    """End a membership. A user left with no current membership is signed out at once."""
    if membership.end_date is not None and membership.end_date <= end_date:
        raise ValidationError({"end_date": "This membership has already ended."})
    if end_date < membership.start_date:
        raise ValidationError({"end_date": "The end date must be on or after the start date."})
    if not reason.strip():
        raise ValidationError({"end_reason": "Enter the reason the membership is ending."})
    membership.end_date = end_date
    membership.end_reason = reason.strip()
    membership.updated_by = actor
    membership.save(update_fields=["end_date", "end_reason", "updated_by", "updated_at"])
    memo_forget()
    today = _today()
    if (
        end_date <= today
        and not membership.user.memberships.filter(start_date__lte=today)
        .exclude(end_date__lt=today)
        .exists()
    ):
        user_sign_out_everywhere(user=membership.user)
    return membership


@transaction.atomic
def user_mark_leaver(*, actor: User | None, user: User, left_on: dt.date, reason: str) -> User:
    """A leaver: every membership ends, the account is disabled, every session ends."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason the person is leaving."})
    for membership in user.memberships.filter(end_date__isnull=True):
        membership.end_date = max(left_on, membership.start_date)
        membership.end_reason = reason.strip()
        membership.updated_by = actor
        membership.save(update_fields=["end_date", "end_reason", "updated_by", "updated_at"])
    user.left_on = left_on
    if left_on <= _today():
        user.is_active = False
    user.save(update_fields=["left_on", "is_active"])
    memo_forget()
    user_sign_out_everywhere(user=user)
    return user


@transaction.atomic
def second_factor_reset(*, actor: User | None, user: User) -> None:
    """Remove the user's authenticator and backup codes; they enrol again at next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user_sign_out_everywhere(user=user)


def user_unlock(*, actor: User | None, user: User) -> int:
    """Clear failed sign-in attempts so a locked-out user can try again."""
    return AxesProxyHandler.reset_attempts(username=user.username)


@transaction.atomic
def totp_device_start(*, user: User, key: str | None = None) -> TOTPDevice:
    """Begin enrolment: an unconfirmed authenticator, replacing any earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    if key is not None:
        device.key = key
    device.save()
    return device


def totp_secret_for_display(device: TOTPDevice) -> str:
    """The key as people type it into an authenticator app (base32, in groups of four)."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm enrolment with a code from the app; returns new backup codes, or None if the
    code was wrong."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError("This authenticator does not belong to the user being enrolled.")
    if not device.verify_token(token.replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return backup_codes_regenerate(user=user)


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """Ten new single-use backup codes; any old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    return user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


def notify(
    *, recipients: "list[User] | set[User]", subject: str, body: str = "", link: str = ""
) -> int:
    """Tell members of staff something inside Kith. Returns how many were told."""
    rows = [
        Notification(recipient=user, subject=subject[:200], body=body, link=link)
        for user in recipients
        if user.is_active
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)
