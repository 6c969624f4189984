"""Test data made through Kith's own services, never around them."""

import datetime as dt
import itertools

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kith.accounts import services
from kith.accounts.models import Team, User

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def team(name: str | None = None, service_area: str = "children") -> Team:
    n = next(_counter)
    directorate = services.team_create(
        actor=None, name=f"Directorate {n}", kind="directorate", service_area=service_area
    )
    service = services.team_create(
        actor=None,
        name=f"Service {n}",
        kind="service",
        service_area=service_area,
        parent=directorate,
    )
    return services.team_create(
        actor=None,
        name=name or f"Team {n}",
        kind="team",
        service_area=service_area,
        parent=service,
    )


def user(
    role: str = "social_worker",
    in_team: Team | None = None,
    with_authenticator: bool = True,
    username: str | None = None,
    start_date: dt.date | None = None,
) -> User:
    n = next(_counter)
    created, _ = services.user_create(
        actor=None,
        username=username or f"worker{n}",
        first_name="Test",
        last_name=f"Worker {n}",
        email=f"worker{n}@kith-council.example",
        password=PASSWORD,
    )
    services.membership_create(
        actor=None,
        user=created,
        team=in_team or team(),
        role_code=role,
        start_date=start_date or dt.date(2020, 1, 1),
    )
    if with_authenticator:
        device = services.totp_device_start(user=created)
        device.confirmed = True
        device.save()
    return created


def totp_device(of: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=of, confirmed=True)


def totp_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def person(given_name: str = "Alex", family_name: str = "Example", **kwargs):
    from kith.people.services import person_create

    kwargs.setdefault("date_of_birth", dt.date(2015, 6, 1))
    return person_create(actor=None, given_name=given_name, family_name=family_name, **kwargs)


def involve(who, with_team: Team):
    from kith.work.services import involvement_start

    return involvement_start(actor=None, person=who, team=with_team, start_date=dt.date(2024, 1, 1))


def allocate(who, to: User, in_team: Team):
    from kith.work.services import allocation_start

    return allocation_start(
        actor=None, person=who, team=in_team, worker=to, start_date=dt.date(2024, 1, 1)
    )
