"""The demo logins: one per kind of user, with a password and authenticator key derived from
the seed, so `make demo` can print them and `kith totp` can show a current code."""

import hashlib
import random
from dataclasses import dataclass

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD_WORDS = (
    "heron",
    "lantern",
    "maple",
    "quartz",
    "harbour",
    "willow",
    "copper",
    "meadow",
    "orchard",
    "thistle",
    "beacon",
    "granite",
    "saffron",
    "juniper",
    "kestrel",
    "pebble",
    "rowan",
    "tidal",
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    role: str
    service_area: str
    description: str


DEMO_LOGINS = (
    DemoLogin(
        "demo.worker", "Priya", "Shah", "social_worker", "children", "Children's social worker"
    ),
    DemoLogin(
        "demo.manager",
        "Tom",
        "Fletcher",
        "team_manager",
        "children",
        "Children's team manager (same team as demo.worker)",
    ),
    DemoLogin(
        "demo.adults", "Grace", "Mensah", "social_worker", "adults", "Adult social care worker"
    ),
    DemoLogin("demo.finance", "Ewan", "Doyle", "finance_officer", "finance", "Finance officer"),
    DemoLogin("demo.auditor", "Zofia", "Nowak", "auditor", "corporate", "Auditor"),
    DemoLogin(
        "demo.performance",
        "Amara",
        "Bell",
        "performance_officer",
        "corporate",
        "Performance officer (statutory returns)",
    ),
    DemoLogin(
        "demo.admin", "Sam", "Okoro", "system_administrator", "corporate", "System administrator"
    ),
)


def demo_password(seed: int) -> str:
    """Four words, the same for every run of a seed, that the password rules allow for every
    demo login (a draw too like one login's name or email is passed over)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from kith.demo.synthetic.workers import EMAIL_DOMAIN

    model = get_user_model()
    users = [
        model(
            username=login.username,
            first_name=login.first_name,
            last_name=login.last_name,
            email=f"{login.username}@{EMAIL_DOMAIN}",
        )
        for login in DEMO_LOGINS
    ]
    rng = random.Random(f"kith-demo-password-{seed}")
    while True:
        candidate = "-".join(rng.sample(PASSWORD_WORDS, 4))
        try:
            for user in users:
                validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


def demo_totp_key(seed: int, username: str) -> str:
    """A 20-byte hex key for the user's authenticator, the same for every run of a seed."""
    return hashlib.sha256(f"kith-demo-totp-{seed}-{username}".encode()).hexdigest()[:40]


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
