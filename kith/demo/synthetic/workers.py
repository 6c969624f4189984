"""Staff of the synthetic council: names, usernames, work emails, job titles and Social Work
England registration numbers."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from kith.demo.synthetic import names as pools
from kith.demo.synthetic._util import Weighted, ascii_fold
from kith.demo.synthetic.ethnicity import ethnicity, origins_for
from kith.demo.synthetic.organisation import ROLES, DirectorateSpec, TeamSpec

EMAIL_DOMAIN = "kith-council.example"  # .example is reserved (RFC 2606): mail never leaves
REFERENCE_YEAR = 2025  # for the year-of-birth name pools; fixed so output never drifts


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    first_name: str
    last_name: str
    username: str  # firstname.lastname in ASCII, a number added on a clash
    email: str
    role: str
    job_title: str
    swe_number: str  # "SW" + 6 digits for registered social workers, else ""
    team: str  # the team's name, or ""
    service_area: str  # the team's service area, or ""


_Titles = tuple[tuple[str, bool, float], ...]  # (job title, registered social worker, weight)

_DEFAULT_TITLES: dict[str, _Titles] = {
    "social_worker": (("Social Worker", True, 85), ("Social Worker (ASYE)", True, 15)),
    "senior_practitioner": (("Senior Practitioner", True, 1),),
    "team_manager": (("Team Manager", True, 1),),
    "business_support": (
        ("Business Support Officer", False, 70),
        ("Business Support Assistant", False, 20),
        ("Senior Business Support Officer", False, 10),
    ),
    "finance_officer": (("Finance Officer", False, 1),),
    "finance_approver": (("Senior Finance Officer", False, 60), ("Finance Team Leader", False, 40)),
    "commissioner": (("Commissioning Officer", False, 1),),
    "auditor": (
        ("Information Governance Officer", False, 50),
        ("Records and Audit Officer", False, 50),
    ),
    "system_administrator": (
        ("Systems Administrator", False, 50),
        ("Application Support Analyst", False, 35),
        ("Systems Support Officer", False, 15),
    ),
}
_ADULTS_TITLES: dict[str, _Titles] = {
    "social_worker": (
        ("Social Worker", True, 60),
        ("Social Care Assessor", False, 30),
        ("Social Worker (ASYE)", True, 10),
    ),
    "senior_practitioner": (("Senior Practitioner", True, 60), ("Senior Social Worker", True, 40)),
}
_OT = (("Occupational Therapist", False, 70), ("Occupational Therapy Assistant", False, 30))
_NOT_SW_MANAGER: _Titles = (("Team Manager", False, 1),)

# Job titles that differ from the defaults, by kind of team.
_TITLES_BY_KIND: dict[str, dict[str, _Titles]] = {
    "mash": {
        "business_support": (
            ("MASH Information Officer", False, 60),
            ("Business Support Officer", False, 40),
        )
    },
    "front_door_assessment": {
        "business_support": (
            ("Contact Officer", False, 60),
            ("Business Support Officer", False, 40),
        )
    },
    "adult_front_door": {
        "social_worker": (("Social Care Assessor", False, 60), ("Social Worker", True, 40)),
        "business_support": (
            ("Customer Service Adviser", False, 75),
            ("Contact Centre Officer", False, 25),
        ),
    },
    "leaving_care": {
        "social_worker": (("Personal Adviser", False, 80), ("Social Worker", True, 20)),
        "senior_practitioner": (
            ("Senior Personal Adviser", False, 60),
            ("Senior Practitioner", True, 40),
        ),
    },
    "cic_leaving": {
        "social_worker": (("Social Worker", True, 70), ("Personal Adviser", False, 30))
    },
    "fostering_adoption": {
        "social_worker": (
            ("Supervising Social Worker", True, 50),
            ("Fostering Social Worker", True, 25),
            ("Adoption Social Worker", True, 25),
        )
    },
    "fostering_recruitment": {"social_worker": (("Fostering Social Worker", True, 1),)},
    "fostering_support": {"social_worker": (("Supervising Social Worker", True, 1),)},
    "adoption": {"social_worker": (("Adoption Social Worker", True, 1),)},
    "amhp": {
        "social_worker": (
            ("Approved Mental Health Professional", True, 60),
            ("Mental Health Social Worker", True, 40),
        ),
        "senior_practitioner": (("Senior Practitioner (AMHP)", True, 1),),
    },
    "mental_health": {
        "social_worker": (
            ("Mental Health Social Worker", True, 80),
            ("Approved Mental Health Professional", True, 20),
        )
    },
    "safeguarding_adults": {
        "social_worker": (
            ("Safeguarding Adults Practitioner", True, 60),
            ("Social Worker", True, 40),
        ),
        "senior_practitioner": (("Senior Safeguarding Practitioner", True, 1),),
    },
    "hospital_discharge": {
        "social_worker": (
            ("Hospital Social Worker", True, 60),
            ("Discharge Co-ordinator", False, 40),
        )
    },
    "learning_disability": {
        "social_worker": (("Social Worker", True, 70), ("Community Care Officer", False, 30))
    },
    "reablement": {
        "social_worker": (
            ("Reablement Officer", False, 50),
            ("Reablement Co-ordinator", False, 30),
            ("Occupational Therapist", False, 20),
        ),
        "senior_practitioner": (("Senior Reablement Officer", False, 1),),
        "team_manager": (("Reablement Manager", False, 1),),
    },
    "reablement_ot": {
        "social_worker": (*_OT, ("Reablement Officer", False, 50)),
        "senior_practitioner": (("Senior Occupational Therapist", False, 1),),
        "team_manager": _NOT_SW_MANAGER,
    },
    "occupational_therapy": {
        "social_worker": _OT,
        "senior_practitioner": (("Senior Occupational Therapist", False, 1),),
        "team_manager": _NOT_SW_MANAGER,
    },
    "financial_assessment": {
        "finance_officer": (
            ("Financial Assessment Officer", False, 80),
            ("Welfare Benefits Officer", False, 20),
        ),
        "finance_approver": (("Senior Financial Assessment Officer", False, 1),),
        "team_manager": (("Financial Assessment Manager", False, 1),),
    },
    "client_financial_services": {
        "finance_officer": (("Financial Assessment Officer", False, 1),),
        "team_manager": (("Client Financial Services Manager", False, 1),),
    },
    "client_affairs": {
        "finance_officer": (
            ("Appointeeship Officer", False, 60),
            ("Deputyship Officer", False, 40),
        ),
        "team_manager": (("Client Affairs Manager", False, 1),),
    },
    "payments": {
        "finance_officer": (
            ("Payments Officer", False, 60),
            ("Direct Payments Officer", False, 40),
        ),
        "finance_approver": (("Payments Team Leader", False, 1),),
        "team_manager": (("Payments Manager", False, 1),),
    },
    "provider_payments": {
        "finance_officer": (("Payments Officer", False, 1),),
        "finance_approver": (("Payments Team Leader", False, 1),),
        "team_manager": (("Payments Manager", False, 1),),
    },
    "direct_payments": {
        "finance_officer": (("Direct Payments Officer", False, 1),),
        "finance_approver": (("Direct Payments Team Leader", False, 1),),
        "team_manager": (("Direct Payments Manager", False, 1),),
    },
    "direct_payments_audit": {
        "finance_officer": (("Direct Payments Audit Officer", False, 1),),
        "finance_approver": (("Senior Audit Officer", False, 1),),
        "team_manager": (("Direct Payments Audit Manager", False, 1),),
    },
    "brokerage_contracts": {
        "commissioner": (
            ("Brokerage Officer", False, 50),
            ("Contracts Officer", False, 30),
            ("Commissioning Officer", False, 20),
        ),
        "team_manager": (("Commissioning Manager", False, 1),),
    },
    "brokerage": {
        "commissioner": (("Brokerage Officer", False, 80), ("Senior Brokerage Officer", False, 20)),
        "team_manager": (("Brokerage Manager", False, 1),),
    },
    "contracts": {
        "commissioner": (
            ("Contracts Officer", False, 70),
            ("Contract Monitoring Officer", False, 30),
        ),
        "team_manager": (("Contracts Manager", False, 1),),
    },
    "quality": {
        "commissioner": (
            ("Quality Assurance Officer", False, 70),
            ("Provider Quality Officer", False, 30),
        ),
        "team_manager": (("Quality Manager", False, 1),),
    },
    "systems": {"team_manager": (("Systems and Information Manager", False, 1),)},
}

# Share of women, by role (social work in England is about 80% women).
_FEMALE_SHARE = {
    "social_worker": 0.82, "senior_practitioner": 0.78, "team_manager": 0.75,
    "business_support": 0.8, "finance_officer": 0.65, "finance_approver": 0.6,
    "commissioner": 0.6, "auditor": 0.5, "system_administrator": 0.35,
}  # fmt: skip

_CACHE: dict[tuple[str, str, str], Weighted[tuple[str, bool]]] = {}


def _titles(role: str, team: TeamSpec | None) -> Weighted[tuple[str, bool]]:
    kind = team.kind if team else ""
    area = team.service_area if team else ""
    key = (role, kind, area)
    if key not in _CACHE:
        titles = _TITLES_BY_KIND.get(kind, {}).get(role)
        if titles is None and area == "adults":
            titles = _ADULTS_TITLES.get(role)
        if titles is None:
            titles = _DEFAULT_TITLES[role]
        if area not in ("children", "adults"):
            titles = tuple((title, False, weight) for title, _, weight in titles)
        _CACHE[key] = Weighted(
            ((title, registered), weight) for title, registered, weight in titles
        )
    return _CACHE[key]


def username_base(first_name: str, last_name: str) -> str:
    """firstname.lastname in lower-case ASCII letters and digits."""

    def clean(part: str) -> str:
        return re.sub(r"[^a-z0-9]", "", ascii_fold(part).lower())

    return f"{clean(first_name)}.{clean(last_name)}"


def unique_username(base: str, used: set[str]) -> str:
    """`base`, or `base2`, `base3`... whichever is free; marks it used."""
    username, n = base, 1
    while username in used:
        n += 1
        username = f"{base}{n}"
    used.add(username)
    return username


def swe_number(rng: random.Random, used: set[str]) -> str:
    """A Social Work England style registration number, "SW" + 6 digits, not in `used`."""
    while True:
        number = f"SW{rng.randint(100000, 999999)}"
        if number not in used:
            used.add(number)
            return number


def worker(
    rng: random.Random,
    role: str = "social_worker",
    *,
    team: TeamSpec | None = None,
    used_usernames: set[str] | None = None,
    used_swe_numbers: set[str] | None = None,
) -> WorkerSpec:
    """One member of staff. Pass the sets of usernames and SWE numbers already given out to
    keep them unique; the sets are updated."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}.")
    used_usernames = set() if used_usernames is None else used_usernames
    used_swe_numbers = set() if used_swe_numbers is None else used_swe_numbers
    sex = "F" if rng.random() < _FEMALE_SHARE[role] else "M"
    given_origin, family_origin = origins_for(rng, ethnicity(rng, workforce=True))
    birth_year = REFERENCE_YEAR - rng.randint(22, 65)
    first_name = pools.given_name(rng, pools.ORIGINS[given_origin], sex, birth_year)
    last_name = pools.family_name(rng, pools.ORIGINS[family_origin], sex)
    username = unique_username(username_base(first_name, last_name), used_usernames)
    job_title, registered = _titles(role, team).pick(rng)
    return WorkerSpec(
        first_name=first_name,
        last_name=last_name,
        username=username,
        email=f"{username}@{EMAIL_DOMAIN}",
        role=role,
        job_title=job_title,
        swe_number=swe_number(rng, used_swe_numbers) if registered else "",
        team=team.name if team else "",
        service_area=team.service_area if team else "",
    )


def workers_for(
    directorates: list[DirectorateSpec],
    rng: random.Random,
    *,
    reserved_usernames: set[str] | frozenset[str] = frozenset(),
) -> list[WorkerSpec]:
    """Everyone the blueprint calls for, team by team, with unique usernames and SWE numbers.

    `reserved_usernames` (the demo logins, say) are never given out.
    """
    used_usernames = set(reserved_usernames)
    used_swe_numbers: set[str] = set()
    staff = []
    for directorate in directorates:
        for team in directorate.teams:
            for role, count in team.roles.items():
                for _ in range(count):
                    staff.append(
                        worker(
                            rng,
                            role,
                            team=team,
                            used_usernames=used_usernames,
                            used_swe_numbers=used_swe_numbers,
                        )
                    )
    return staff
