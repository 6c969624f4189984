"""The organisation of a synthetic council: directorate › service › team, and who works where.

Modelled on English councils with social services responsibilities: a children's directorate
(front door, assessment, children in need, child protection, children in care, leaving care,
disabled children, fostering, adoption), adult social care (front door, locality teams by
district, learning disability, mental health, safeguarding, reablement, hospital discharge,
occupational therapy), finance (client financial services and payments), commissioning
(brokerage and contracts) and a small systems and information team.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kith.demo.synthetic._util import check_size
from kith.demo.synthetic.places import CouncilArea, District, council_area

ROLES = (
    "social_worker",
    "senior_practitioner",
    "team_manager",
    "business_support",
    "finance_officer",
    "finance_approver",
    "commissioner",
    "auditor",
    "system_administrator",
)
SERVICE_AREAS = ("children", "adults", "finance", "commissioning", "corporate")


@dataclass(frozen=True, slots=True)
class TeamSpec:
    name: str
    service_area: str  # children, adults, finance, commissioning or corporate
    kind: str  # the kind of team (mash, locality, leaving_care, ...): job titles follow it
    district: str  # the district a locality-based team covers ("North"), or ""
    roles: dict[str, int]  # role code -> number of workers, team_manager always 1

    @property
    def headcount(self) -> int:
        return sum(self.roles.values())


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    name: str
    service_area: str
    teams: tuple[TeamSpec, ...]


@dataclass(frozen=True, slots=True)
class DirectorateSpec:
    name: str
    service_area: str
    services: tuple[ServiceSpec, ...]

    @property
    def teams(self) -> tuple[TeamSpec, ...]:
        return tuple(team for service in self.services for team in service.teams)

    @property
    def headcount(self) -> int:
        return sum(team.headcount for team in self.teams)


@dataclass(frozen=True, slots=True)
class _Kind:
    name: str
    mix: str  # social_work, front_door, finance, commissioning, systems


KINDS: dict[str, _Kind] = {
    # Children
    "front_door_assessment": _Kind("Front Door and Assessment Team", "front_door"),
    "mash": _Kind("Multi-Agency Safeguarding Hub (MASH)", "front_door"),
    "assessment": _Kind("Assessment Team", "social_work"),
    "cin_cp": _Kind("Children in Need and Child Protection Team", "social_work"),
    "cin": _Kind("Children in Need Team", "social_work"),
    "cp": _Kind("Child Protection Team", "social_work"),
    "cic_leaving": _Kind("Children in Care and Leaving Care Team", "social_work"),
    "cic": _Kind("Children in Care Team", "social_work"),
    "leaving_care": _Kind("Leaving Care Team", "social_work"),
    "disabled_children": _Kind("Disabled Children's Team", "social_work"),
    "fostering_adoption": _Kind("Fostering and Adoption Team", "social_work"),
    "fostering_recruitment": _Kind("Fostering Recruitment and Assessment Team", "social_work"),
    "fostering_support": _Kind("Fostering Support Team", "social_work"),
    "adoption": _Kind("Adoption Team", "social_work"),
    # Adults
    "adult_front_door": _Kind("Adult Social Care Contact Centre", "front_door"),
    "locality": _Kind("Locality Team", "social_work"),
    "learning_disability": _Kind("Learning Disability Team", "social_work"),
    "mental_health": _Kind("Mental Health Social Work Team", "social_work"),
    "amhp": _Kind("Approved Mental Health Professional (AMHP) Service", "social_work"),
    "safeguarding_adults": _Kind("Safeguarding Adults Team", "social_work"),
    "hospital_discharge": _Kind("Hospital Discharge Team", "social_work"),
    "reablement": _Kind("Reablement Team", "social_work"),
    "reablement_ot": _Kind("Reablement and Occupational Therapy Team", "social_work"),
    "occupational_therapy": _Kind("Occupational Therapy Team", "social_work"),
    # Finance
    "financial_assessment": _Kind("Financial Assessment Team", "finance"),
    "client_financial_services": _Kind("Client Financial Services Team", "finance"),
    "client_affairs": _Kind("Appointeeship and Deputyship Team", "finance"),
    "payments": _Kind("Payments Team", "finance"),
    "provider_payments": _Kind("Provider Payments Team", "finance"),
    "direct_payments": _Kind("Direct Payments Team", "finance"),
    "direct_payments_audit": _Kind("Direct Payments Audit Team", "finance"),
    # Commissioning
    "brokerage_contracts": _Kind("Brokerage and Contracts Team", "commissioning"),
    "brokerage": _Kind("Brokerage Team", "commissioning"),
    "contracts": _Kind("Contracts Team", "commissioning"),
    "quality": _Kind("Provider Quality Team", "commissioning"),
    # Corporate
    "systems": _Kind("Systems and Information Team", "systems"),
}

D = -1  # a team for each district

# size -> directorates: (name, area, services: (name, area, teams: (kind, how many, base size)))
_Plan = tuple[tuple[str, str, tuple[tuple[str, str, tuple[tuple[str, int, int], ...]], ...]], ...]
_PLANS: dict[str, _Plan] = {
    "small": (
        ("Children's Services", "children", (
            ("Children's Social Care", "children", (
                ("front_door_assessment", 1, 6), ("cin_cp", 1, 8), ("cic_leaving", 1, 7))),
        )),
        ("Adult Social Care", "adults", (
            ("Adult Social Work", "adults", (("adult_front_door", 1, 5), ("locality", D, 7))),
        )),
        ("Resources", "corporate", (
            ("Client Financial Services", "finance", (("client_financial_services", 1, 4),)),
            ("Payments", "finance", (("payments", 1, 3),)),
            ("Systems and Information", "corporate", (("systems", 1, 3),)),
        )),
        ("Commissioning", "commissioning", (
            ("Commissioning and Brokerage", "commissioning", (("brokerage_contracts", 1, 3),)),
        )),
    ),
    "medium": (
        ("Children's Services", "children", (
            ("Front Door and Assessment", "children", (("mash", 1, 14), ("assessment", 1, 18))),
            ("Safeguarding and Family Support", "children", (("cin", 1, 18), ("cp", 1, 16))),
            ("Children in Care and Care Leavers", "children", (
                ("cic", 1, 18), ("leaving_care", 1, 12))),
            ("Disabled Children", "children", (("disabled_children", 1, 11),)),
            ("Fostering and Adoption", "children", (("fostering_adoption", 1, 14),)),
        )),
        ("Adult Social Care", "adults", (
            ("Adult Front Door", "adults", (
                ("adult_front_door", 1, 12), ("safeguarding_adults", 1, 8))),
            ("Community Social Work", "adults", (("locality", D, 18),)),
            ("Specialist Services", "adults", (
                ("learning_disability", 1, 12), ("amhp", 1, 12))),
            ("Hospital and Reablement Services", "adults", (
                ("hospital_discharge", 1, 10), ("reablement_ot", 1, 12))),
        )),
        ("Resources", "corporate", (
            ("Client Financial Services", "finance", (("financial_assessment", 1, 10),)),
            ("Payments", "finance", (("provider_payments", 1, 6), ("direct_payments", 1, 6))),
            ("Systems and Information", "corporate", (("systems", 1, 6),)),
        )),
        ("Commissioning", "commissioning", (
            ("Commissioning and Brokerage", "commissioning", (("brokerage_contracts", 1, 8),)),
        )),
    ),
    "county": (
        ("Children's Services", "children", (
            ("Front Door and Assessment", "children", (("mash", 1, 60), ("assessment", 2, 45))),
            ("Safeguarding and Family Support", "children", (("cin", D, 50), ("cp", 2, 45))),
            ("Children in Care and Care Leavers", "children", (
                ("cic", 2, 50), ("leaving_care", 2, 40))),
            ("Disabled Children", "children", (("disabled_children", 1, 45),)),
            ("Fostering", "children", (
                ("fostering_recruitment", 1, 30), ("fostering_support", 1, 40))),
            ("Adoption", "children", (("adoption", 1, 25),)),
        )),
        ("Adult Social Care", "adults", (
            ("Adult Front Door", "adults", (
                ("adult_front_door", 1, 60), ("safeguarding_adults", 1, 40))),
            ("Community Social Work", "adults", (("locality", D, 70),)),
            ("Learning Disability", "adults", (("learning_disability", 2, 45),)),
            ("Mental Health", "adults", (("amhp", 1, 35), ("mental_health", 1, 45))),
            ("Hospital and Reablement Services", "adults", (
                ("hospital_discharge", 1, 50), ("reablement", 2, 60),
                ("occupational_therapy", 1, 45))),
        )),
        ("Resources", "corporate", (
            ("Client Financial Services", "finance", (
                ("financial_assessment", 1, 45), ("client_affairs", 1, 20))),
            ("Payments", "finance", (
                ("provider_payments", 1, 30), ("direct_payments", 1, 30),
                ("direct_payments_audit", 1, 12))),
            ("Systems and Information", "corporate", (("systems", 1, 20),)),
        )),
        ("Commissioning", "commissioning", (
            ("Commissioning and Brokerage", "commissioning", (
                ("brokerage", 1, 30), ("contracts", 1, 20), ("quality", 1, 15))),
        )),
    ),
}  # fmt: skip

# How much bigger or smaller than the plan a council may be, by size.
_SCALE = {"small": (0.9, 1.1), "medium": (0.9, 1.1), "county": (0.95, 1.4)}


def _roles(mix: str, headcount: int) -> dict[str, int]:
    """Split a team's headcount into roles: always exactly one team manager."""
    rest = max(headcount - 1, 2)
    if mix == "systems":
        auditors = max(1, round(rest * 0.35))
        return {"team_manager": 1, "system_administrator": rest - auditors, "auditor": auditors}
    if mix == "finance":
        approvers = max(1, round(rest * 0.2))
        support = 1 if headcount >= 10 else 0
        return {
            "team_manager": 1,
            "finance_approver": approvers,
            "finance_officer": max(1, rest - approvers - support),
            "business_support": support,
        }
    if mix == "commissioning":
        support = 1 if headcount >= 8 else 0
        return {"team_manager": 1, "commissioner": rest - support, "business_support": support}
    support_share, senior_share = (0.35, 0.12) if mix == "front_door" else (0.1, 0.15)
    support = max(1, round(rest * support_share))
    seniors = max(1, round(rest * senior_share))
    return {
        "team_manager": 1,
        "senior_practitioner": seniors,
        "social_worker": max(1, rest - support - seniors),
        "business_support": support,
    }


def _team_names(kind: str, count: int, districts: tuple[District, ...]) -> list[tuple[str, str]]:
    """(name, district) for each team of a kind."""
    name = KINDS[kind].name
    if count == D:
        return [(f"{d.name} {name} ({d.main_town})", d.name) for d in districts]
    if count == 1:
        return [(name, "")]
    return [(f"{name} {i}", "") for i in range(1, count + 1)]


def organisation_blueprint(
    size: str, rng: random.Random, area: CouncilArea | None = None
) -> list[DirectorateSpec]:
    """The directorates, services and teams of a council of `size`, with each team's roles.

    Locality teams take the districts of `area` (a new area is drawn from `rng` if not given).
    """
    plan = _PLANS[check_size(size)]
    if area is None:
        area = council_area(size, rng)
    scale = rng.uniform(*_SCALE[size])
    directorates = []
    for directorate_name, directorate_area, services in plan:
        service_specs = []
        for service_name, service_area, teams in services:
            team_specs = []
            for kind, count, base in teams:
                for team_name, district in _team_names(kind, count, area.districts):
                    headcount = max(3, round(base * scale * rng.uniform(0.85, 1.15)))
                    team_specs.append(
                        TeamSpec(
                            name=team_name,
                            service_area=service_area,
                            kind=kind,
                            district=district,
                            roles=_roles(KINDS[kind].mix, headcount),
                        )
                    )
            service_specs.append(ServiceSpec(service_name, service_area, tuple(team_specs)))
        directorates.append(
            DirectorateSpec(directorate_name, directorate_area, tuple(service_specs))
        )
    return directorates


def all_teams(directorates: list[DirectorateSpec]) -> list[TeamSpec]:
    return [team for directorate in directorates for team in directorate.teams]
