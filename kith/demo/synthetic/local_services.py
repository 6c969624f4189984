"""The services around the people of a synthetic council: GP practices, schools, health visitors.

One GP practice for each postcode district, with an ODS-like code (a letter and five digits);
primary schools in each postcode district, a secondary school in each town and special schools
for the area, with URN-like codes (six digits) and DfE establishment numbers (used in UPNs);
a community health provider whose health visitors see the under-fives. All invented.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from kith.demo.synthetic import names as pools
from kith.demo.synthetic._util import choice, derive_rng, names
from kith.demo.synthetic.numbers import landline_number
from kith.demo.synthetic.places import CouncilArea

_SURGERY_WORDS = names("Surgery Medical_Centre Health_Centre Medical_Practice Family_Practice")
_SAINTS = names("St_Mary's St_John's St_Peter's St_Michael's All_Saints Holy_Trinity St_Anne's")


@dataclass(frozen=True, slots=True)
class OrganisationSpec:
    kind: str  # gp_practice, school, health (as Organisation.Kind)
    name: str
    code: str  # ODS-like for health, URN-like for schools
    address: str
    phone: str
    email: str
    outcode: str  # the postcode district it is in
    town: str
    phase: str = ""  # for schools: primary, secondary or special
    establishment: str = ""  # for schools: the DfE establishment number (4 digits)


@dataclass(frozen=True, slots=True)
class ProfessionalSpec:
    """A professional working with a person (ProfessionalInvolvement)."""

    role: str  # gp, school, health_visitor, midwife
    organisation: str  # the organisation's code
    contact_name: str
    phone: str
    start_date: dt.date | None


@dataclass(frozen=True)
class LocalServices:
    gp_practices: tuple[OrganisationSpec, ...]
    schools: tuple[OrganisationSpec, ...]
    community_health: OrganisationSpec
    health_visitors: tuple[str, ...]
    midwives: tuple[str, ...]

    @property
    def organisations(self) -> tuple[OrganisationSpec, ...]:
        return (*self.gp_practices, *self.schools, self.community_health)

    def gp_for(self, rng: random.Random, outcode: str) -> OrganisationSpec:
        """The practice for a postcode district (now and then one in a neighbouring one)."""
        local = [p for p in self.gp_practices if p.outcode == outcode]
        if local and rng.random() < 0.85:
            return local[0]
        return choice(rng, self.gp_practices)

    def school_for(
        self, rng: random.Random, outcode: str, town: str, phase: str
    ) -> OrganisationSpec:
        if phase == "primary":
            pool = [s for s in self.schools if s.phase == "primary" and s.outcode == outcode]
        elif phase == "secondary":
            pool = [s for s in self.schools if s.phase == "secondary" and s.town == town]
        else:
            pool = []
        return choice(rng, pool or [s for s in self.schools if s.phase == phase])


def _address(org_name: str, area: CouncilArea, rng: random.Random) -> tuple[str, str, str]:
    home = area.address(rng)
    street = f"{home.street}, {home.locality + ', ' if home.locality else ''}{home.town}"
    return f"{org_name}, {street}, {home.postcode}", home.outcode, home.town


def _email_part(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def local_services(area: CouncilArea, seed: int | str) -> LocalServices:
    """The practices, schools and health visitors of a council area, fixed by the seed."""
    rng = derive_rng(seed, f"local-services:{area.name}")
    region = choice(rng, "ABCDEFGHJKLMNPY")
    codes: set[str] = set()
    gp_practices = []
    for outcode in area.outcodes:
        place = choice(rng, outcode.localities) if outcode.localities else outcode.town
        name = f"{place} {choice(rng, _SURGERY_WORDS)}"
        while True:
            code = f"{region}{rng.randrange(80000, 90000)}"
            if code not in codes:
                codes.add(code)
                break
        address, _, _ = _address(name, area, rng)
        gp_practices.append(
            OrganisationSpec(
                kind="gp_practice",
                name=name,
                code=code,
                address=address,
                phone=landline_number(rng),
                email=f"{_email_part(place)}.surgery@nhs-mail.example",
                outcode=outcode.code,
                town=outcode.town,
            )
        )

    schools: list[OrganisationSpec] = []
    urns: set[str] = set()
    numbers = {"primary": 2000, "secondary": 4000, "special": 7000}

    def school(name: str, phase: str, outcode: str, town: str) -> None:
        while True:
            urn = str(rng.randrange(100000, 150000))
            if urn not in urns:
                urns.add(urn)
                break
        numbers[phase] += rng.randint(1, 9)
        address, _, _ = _address(name, area, rng)
        schools.append(
            OrganisationSpec(
                kind="school",
                name=name,
                code=urn,
                address=address,
                phone=landline_number(rng),
                email=f"office@{_email_part(name)[:30]}.sch.example",
                outcode=outcode,
                town=town,
                phase=phase,
                establishment=f"{numbers[phase]:04d}",
            )
        )

    for outcode in area.outcodes:
        places = [outcode.town, *outcode.localities]
        for i in range(1 if rng.random() < 0.5 else 2):
            place = places[i % len(places)]
            if rng.random() < 0.25:
                name = f"{choice(rng, _SAINTS)} C of E Primary School, {place}"
            else:
                name = f"{place} {'Primary School' if rng.random() < 0.6 else 'Primary Academy'}"
            if any(s.name == name for s in schools):
                name = f"{name} ({outcode.code})"
            school(name, "primary", outcode.code, outcode.town)
    for district in area.districts:
        for town in district.towns:
            code = next(o.code for o in area.outcodes if o.town == town)
            kind = "Academy" if rng.random() < 0.6 else "High School"
            school(f"{town} {kind}", "secondary", code, town)
    for district in area.districts:
        code = district.outcodes[0]
        school(f"{district.main_town} Special School", "special", code, district.main_town)

    trust_name = f"{area.name} Community Health NHS Trust"
    trust_address, trust_outcode, trust_town = _address(trust_name, area, rng)
    community_health = OrganisationSpec(
        kind="health",
        name=trust_name,
        code=f"R{choice(rng, 'ABCDEFGHJKLMNPQRTVWXY')}{rng.randint(1, 9)}",
        address=trust_address,
        phone=landline_number(rng),
        email=f"0to19@{_email_part(area.name)}-health.nhs.example",
        outcode=trust_outcode,
        town=trust_town,
    )
    british = pools.ORIGINS["british"]

    def professional_name() -> str:
        given = pools.given_name(rng, british, "F" if rng.random() < 0.9 else "M", 1980)
        return f"{given} {pools.family_name(rng, british, 'M')}"

    teams = max(4, len(area.outcodes) // 2)
    return LocalServices(
        gp_practices=tuple(gp_practices),
        schools=tuple(schools),
        community_health=community_health,
        health_visitors=tuple(professional_name() for _ in range(teams)),
        midwives=tuple(professional_name() for _ in range(max(3, teams // 2))),
    )
