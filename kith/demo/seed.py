"""The synthetic council, written through Kith's own services (never around them).

`council_seed` makes the organisation (directorates › services › teams), the staff with their
roles, the demo logins with known passwords and authenticator keys, and people: families on
children's teams' caseloads and adults on adult teams', most of them allocated to a worker.
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kith.accounts import services as accounts
from kith.accounts.models import Team, User
from kith.demo import synthetic
from kith.demo.logins import DEMO_LOGINS, demo_password, demo_totp_key
from kith.demo.models import SeedRun
from kith.people.models import Person
from kith.people.services import person_create
from kith.work.services import allocation_start, involvement_start

# How many cases each casework team holds, and the share allocated to a worker.
CASELOAD_PER_TEAM = {"small": 12, "medium": 90, "county": 2_400}
ALLOCATED_SHARE = 0.8
CASEWORK_ROLES = ("social_worker", "senior_practitioner")
Progress = Callable[[str, int, int], None]


@dataclass
class SeedSummary:
    size: str
    seed: int
    directorates: int = 0
    services: int = 0
    teams: int = 0
    staff: int = 0
    people: int = 0
    open_cases: int = 0
    allocated: int = 0
    seconds: float = 0.0


class SeedRefused(Exception):
    pass


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def council_seed(
    *, size: str, seed: int, today: dt.date | None = None, progress: Progress = _no_progress
) -> SeedSummary:
    """Make the synthetic council. Refuses a database that already holds staff."""
    if User.objects.exists():
        raise SeedRefused(
            "This database already has staff accounts. The synthetic council is only ever "
            "loaded into an empty database (use a new DATABASE_URL, or `kith flush` a demo one)."
        )
    started = time.monotonic()
    today = today or timezone.localdate()
    demo_usernames = {login.username for login in DEMO_LOGINS}
    council = synthetic.synthetic_council(size, seed, reserved_usernames=demo_usernames)
    summary = SeedSummary(size=size, seed=seed)
    with transaction.atomic():
        run = SeedRun.objects.create(size=size, seed=seed)
        teams = _organisation(council, summary)
        staff = _staff(council, teams, summary, progress)
        _demo_logins(seed, teams, staff, council)
        summary.staff = User.objects.count()
    _people(council, teams, staff, seed, today, summary, progress)
    summary.seconds = round(time.monotonic() - started, 1)
    SeedRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), summary=asdict(summary))
    return summary


def _organisation(council: synthetic.SyntheticCouncil, summary: SeedSummary) -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for directorate in council.directorates:
        d = accounts.team_create(
            actor=None,
            name=directorate.name,
            kind="directorate",
            service_area=directorate.service_area,
        )
        summary.directorates += 1
        for service in directorate.services:
            s = accounts.team_create(
                actor=None,
                name=service.name,
                kind="service",
                service_area=service.service_area,
                parent=d,
            )
            summary.services += 1
            for team in service.teams:
                teams[team.name] = accounts.team_create(
                    actor=None,
                    name=team.name,
                    kind="team",
                    service_area=team.service_area,
                    parent=s,
                )
                summary.teams += 1
    return teams


def _staff(
    council: synthetic.SyntheticCouncil,
    teams: dict[str, Team],
    summary: SeedSummary,
    progress: Progress,
) -> dict[str, list[User]]:
    """Every worker, in their team with their role. They cannot sign in until an
    administrator resets their password: only the demo logins can."""
    by_team: dict[str, list[User]] = {}
    start = dt.date(2018, 4, 1)
    total = len(council.workers)
    for done, spec in enumerate(council.workers, start=1):
        user, _ = accounts.user_create(
            actor=None,
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=spec.email,
            job_title=spec.job_title,
            swe_number=spec.swe_number,
            sign_in_enabled=False,
        )
        accounts.membership_create(
            actor=None, user=user, team=teams[spec.team], role_code=spec.role, start_date=start
        )
        if spec.role in CASEWORK_ROLES:
            by_team.setdefault(spec.team, []).append(user)
        if done % 50 == 0 or done == total:
            progress("staff", done, total)
    return by_team


def _demo_team(council: synthetic.SyntheticCouncil, service_area: str, casework: bool) -> str:
    for team in council.teams:
        if team.service_area == service_area and (
            not casework or any(team.roles.get(role) for role in CASEWORK_ROLES)
        ):
            return team.name
    raise ValidationError(f"The synthetic council has no {service_area} team")


def _demo_logins(
    seed: int,
    teams: dict[str, Team],
    staff: dict[str, list[User]],
    council: synthetic.SyntheticCouncil,
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    password = demo_password(seed)
    for login in DEMO_LOGINS:
        casework = login.role in {"social_worker", "team_manager"}
        team_name = _demo_team(council, login.service_area, casework)
        user, _ = accounts.user_create(
            actor=None,
            username=login.username,
            first_name=login.first_name,
            last_name=login.last_name,
            email=f"{login.username}@{synthetic.EMAIL_DOMAIN}",
            job_title=login.description,
            password=password,
        )
        accounts.membership_create(
            actor=None,
            user=user,
            team=teams[team_name],
            role_code=login.role,
            start_date=dt.date(2018, 4, 1),
        )
        TOTPDevice.objects.create(
            user=user,
            name=accounts.TOTP_DEVICE_NAME,
            key=demo_totp_key(seed, login.username),
            confirmed=True,
        )
        if login.role in CASEWORK_ROLES:
            staff.setdefault(team_name, []).insert(0, user)


def _people(
    council: synthetic.SyntheticCouncil,
    teams: dict[str, Team],
    staff: dict[str, list[User]],
    seed: int,
    today: dt.date,
    summary: SeedSummary,
    progress: Progress,
) -> None:
    rng = synthetic.rng_for(seed, f"{council.size}:people")
    per_team = CASELOAD_PER_TEAM[council.size]
    casework = [
        t for t in council.teams if t.name in staff and t.service_area in {"children", "adults"}
    ]
    total = per_team * len(casework)
    done = 0
    for spec in casework:
        team = teams[spec.name]
        workers = staff[spec.name]
        cases = 0
        while cases < per_team:
            with transaction.atomic():
                if spec.service_area == "children":
                    household = synthetic.family(rng, today, area=council.area)
                    members = [m.person for m in household.members]
                    children = [m.person for m in household.members if m.relationship == "child"]
                else:
                    members = [synthetic.person(rng, today, service="adults", area=council.area)]
                    children = members
                created = {id(p): _person(p) for p in members}
                summary.people += len(created)
                for case in children or members[:1]:
                    person = created[id(case)]
                    involvement_start(
                        actor=None, person=person, team=team, start_date=_since(rng, today)
                    )
                    summary.open_cases += 1
                    cases += 1
                    if workers and rng.random() < ALLOCATED_SHARE:
                        worker = workers[0] if cases <= 8 else rng.choice(workers)
                        allocation_start(
                            actor=None,
                            person=person,
                            team=team,
                            worker=worker,
                            start_date=_since(rng, today),
                        )
                        summary.allocated += 1
            done = min(total, done + len(children or members[:1]))
            progress("people", done, total)


def _since(rng: random.Random, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=rng.randint(0, 400))


def _person(spec: synthetic.PersonSpec) -> Person:
    known_as = next((o.given_name for o in spec.other_names if o.kind == "known_as"), "")
    return person_create(
        actor=None,
        given_name=spec.given_name,
        family_name=spec.family_name,
        known_as=known_as,
        date_of_birth=spec.date_of_birth or spec.expected_date_of_birth,
        sex=spec.sex,
        postcode=spec.address.postcode,
    )
