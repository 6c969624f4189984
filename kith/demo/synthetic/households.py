"""Households: a family of related people at one address, for the next part of seeding."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from kith.demo.synthetic import names as pools
from kith.demo.synthetic._util import (
    Weighted,
    age_on,
    ascii_fold,
    choice,
    dob_for_age,
    years_before,
)
from kith.demo.synthetic.ethnicity import child_ethnicity, ethnicity, origins_for
from kith.demo.synthetic.people import PersonSpec, build_person, default_area
from kith.demo.synthetic.places import AddressSpec, CouncilArea


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    person: PersonSpec
    relationship: str  # to the children: mother, father, step_mother, step_father,
    # grandmother, grandfather; or child


@dataclass(frozen=True, slots=True)
class HouseholdSpec:
    address: AddressSpec
    family_name: str  # the family name the children share (in its masculine form)
    family_name_feminine: str  # its form for women and girls ("Kowalska"), often the same
    members: tuple[HouseholdMember, ...]
    # couple, lone_mother, lone_father, step_father, step_mother or kinship
    structure: str = ""
    # Whose parents the grandparents here are: "maternal", "paternal", or "" for none.
    grandparents_side: str = ""
    family_origin: str = ""  # the naming tradition of the children's family name
    fathers_name: bool = True  # the children carry their father's family name

    @property
    def family_name_forms(self) -> frozenset[str]:
        """Every form of the family name a member may carry, with and without diacritics."""
        forms = {self.family_name, self.family_name_feminine}
        return frozenset(forms | {ascii_fold(form) for form in forms})

    @property
    def people(self) -> tuple[PersonSpec, ...]:
        return tuple(member.person for member in self.members)

    @property
    def children(self) -> tuple[PersonSpec, ...]:
        return tuple(m.person for m in self.members if m.relationship == "child")

    def with_relationship(self, *relationships: str) -> tuple[PersonSpec, ...]:
        return tuple(m.person for m in self.members if m.relationship in relationships)


BIRTH_PARENTS = ("mother", "father")
STEP_PARENTS = ("step_mother", "step_father")
GRANDPARENTS = ("grandmother", "grandfather")

_STRUCTURES = Weighted(
    [("couple", 45), ("lone_mother", 30), ("lone_father", 4), ("step_father", 12),
     ("step_mother", 3), ("kinship", 6)]
)  # fmt: skip
_CHILD_COUNTS = Weighted([(1, 35), (2, 35), (3, 18), (4, 8), (5, 4)])
_MOTHER_AGE_AT_FIRST = {age: 1.0 / (1 + ((age - 28) / 6) ** 2) for age in range(16, 45)}


def _children_dates(
    rng: random.Random, today: dt.date, count: int, unborn: bool
) -> tuple[list[dt.date], dt.date | None]:
    """Dates of birth of `count` children, oldest first, all under 18 on `today`, 11 months to
    6 years apart (twins now and then). With `unborn`, the last is a due date instead."""
    earliest = years_before(today, 18) + dt.timedelta(days=1)  # born then, 17 today
    gaps = [0 if rng.random() < 0.03 else rng.randint(330, 6 * 365) for _ in range(count - 1)]
    expected = None
    if unborn:
        expected = today + dt.timedelta(days=rng.randint(14, 250))
        if gaps:
            gaps[-1] = rng.randint(330, 4 * 365)
    youngest_latest = expected or today
    while gaps and (youngest_latest - earliest).days < sum(gaps):
        gaps.pop(0)  # one child fewer: the oldest would be 18
    span = sum(gaps)
    youngest = expected or today - dt.timedelta(days=rng.randint(0, (today - earliest).days - span))
    dates = [youngest - dt.timedelta(days=span)]
    for gap in gaps:
        dates.append(dates[-1] + dt.timedelta(days=gap))
    if expected:
        return dates[:-1], expected
    return dates, None


def _parent_age(rng: random.Random, highest: int) -> int:
    """A birth mother's age (16 to `highest`) when her eldest child here was born."""
    ages = Weighted((age, w) for age, w in _MOTHER_AGE_AT_FIRST.items() if age <= highest)
    return ages.pick(rng)


def _elder_dob(
    rng: random.Random, child_dob: dt.date, today: dt.date, lowest: int, highest: int
) -> dt.date:
    """A parent's date of birth: `lowest` to `highest` years old when the child was born, and
    no older than 98 today."""
    highest = max(lowest, min(highest, 98 - age_on(child_dob, today)))
    return dob_for_age(rng, child_dob, rng.randint(lowest, highest))


def family(rng: random.Random, today: dt.date, *, area: CouncilArea | None = None) -> HouseholdSpec:
    """A household of related people at one address, around one to five children under 18.

    Birth parents and step-parents are 16 to 50 years older than each child, grandparents 32
    or more (and no older than 100). The children share one family name (the feminine form where
    the tradition has one, as Kowalska). So do the parents, except where the mother kept her
    own name, as is usual in some traditions (Somali, Pakistani, Chinese...); she then keeps
    it, and a mother who took her husband's name has her birth name as a previous family name.
    Step-parents keep their own names; a maternal grandparent carries the mother's birth name.
    """
    area = area or default_area()
    address = area.address(rng)
    structure = _STRUCTURES.pick(rng)
    has_mother = structure in ("couple", "lone_mother", "step_father")
    has_father = structure in ("couple", "lone_father", "step_mother")
    unborn = has_mother and rng.random() < 0.05
    born, expected = _children_dates(rng, today, _CHILD_COUNTS.pick(rng), unborn)
    oldest = born[0] if born else expected
    last = expected or born[-1]  # born is never empty without an expected child
    assert oldest is not None
    span_years = (last - oldest).days // 365
    mother_age = _parent_age(rng, 49 - span_years)
    mother_dob = dob_for_age(rng, oldest, mother_age)
    father_age = min(max(mother_age + rng.randint(-3, 9), 16), 49 - span_years)
    father_dob = dob_for_age(rng, oldest, father_age)

    mother_code = ethnicity(rng)
    father_code = mother_code if rng.random() < 0.85 else ethnicity(rng)
    mother_origins = origins_for(rng, mother_code)
    father_origins = origins_for(rng, father_code)
    if father_code == mother_code and rng.random() < 0.9:
        father_origins = mother_origins
    fathers_name = has_father or rng.random() < 0.5
    name_origin = father_origins[1] if fathers_name else mother_origins[1]
    base = choice(rng, pools.ORIGINS[name_origin].surnames)
    # The mother's own family name: the children's, or (when they have their father's) another.
    maiden_base = (
        base if not fathers_name else choice(rng, pools.ORIGINS[mother_origins[1]].surnames)
    )
    maiden = pools.feminine_surname(pools.ORIGINS[mother_origins[1]], maiden_base)
    fold = rng.random() < 0.2  # the household's records lost their diacritics

    members: list[HouseholdMember] = []

    def add(relationship: str, spec: PersonSpec) -> PersonSpec:
        members.append(HouseholdMember(spec, relationship))
        return spec

    def adult(
        sex: str,
        dob: dt.date,
        code: str,
        origins: tuple[str, str],
        family: str | None = None,
        previous: str | None = None,
    ) -> PersonSpec:
        return build_person(
            rng, today, sex=sex, dob=dob, code=code, origins=origins, address=address,
            family=family, previous=previous, fold=fold,
        )  # fmt: skip

    carer: PersonSpec | None = None
    if has_mother:
        if not fathers_name:  # the children have her name
            origins, name, previous = mother_origins, base, ""
        elif rng.random() < (
            pools.ORIGINS[mother_origins[1]].takes_married_name if structure == "couple" else 0.4
        ):
            origins, name, previous = (mother_origins[0], name_origin), base, maiden
        else:
            origins, name, previous = mother_origins, maiden, ""
        carer = add("mother", adult("F", mother_dob, mother_code, origins, family=name,
                                    previous=previous))  # fmt: skip
    if has_father:
        father_spec = adult(
            "M", father_dob, father_code, (father_origins[0], name_origin), base, previous=""
        )
        father = add("father", father_spec)
        carer = carer or father
    if structure in ("step_father", "step_mother"):
        sex = "M" if structure == "step_father" else "F"
        code = mother_code if rng.random() < 0.8 else ethnicity(rng)
        step_age = min(max(mother_age + rng.randint(-4, 10), 16), 49 - span_years)
        step_dob = dob_for_age(rng, oldest, step_age)
        if sex == "F" and rng.random() < 0.5:  # married the children's father
            origins_s = (origins_for(rng, code)[0], name_origin)
            add(structure, adult(sex, step_dob, code, origins_s, family=base))
        else:
            add(structure, adult(sex, step_dob, code, origins_for(rng, code), previous=""))

    # Grandparents: raising the children (kinship care) or living with the family.
    grandparents: list[str] = []
    side = ""
    if structure == "kinship":
        grandparents = Weighted(
            [(["grandmother"], 50), (["grandmother", "grandfather"], 35), (["grandfather"], 15)]
        ).pick(rng)
    elif rng.random() < 0.08:
        grandparents = ["grandmother" if rng.random() < 0.75 else "grandfather"]
    if grandparents:
        maternal = structure != "lone_father" and (structure != "kinship" or rng.random() < 0.6)
        parent_dob, code, origins = (
            (mother_dob, mother_code, mother_origins)
            if maternal
            else (father_dob, father_code, (father_origins[0], name_origin))
        )
        grand_name = maiden_base if maternal else base
        side = "maternal" if maternal else "paternal"
        first_dob = _elder_dob(rng, parent_dob, today, 17, 40)
        for relationship in grandparents:
            sex = "F" if relationship == "grandmother" else "M"
            dob = (
                first_dob
                if relationship == grandparents[0]
                else _elder_dob(rng, parent_dob, today, 17, 45)
            )
            add(relationship, adult(sex, dob, code, origins, family=grand_name,
                                    previous=None if sex == "F" else ""))  # fmt: skip
            carer = carer or members[-1].person

    # The children.
    assert carer is not None
    child_code = child_ethnicity(mother_code, father_code)
    given_origins = (mother_origins[0], father_origins[0])
    language_origin = pools.ORIGINS[mother_origins[0] if has_mother else father_origins[0]]
    taken: set[str] = set()
    for dob in born:
        sex = "F" if rng.random() < 0.49 else "M"
        language = carer.first_language
        if language != "English" and rng.random() < language_origin.english_child:
            language = "English"
        religion = carer.religion if rng.random() < 0.8 else None
        child = build_person(
            rng, today, sex=sex, dob=dob, code=child_code,
            origins=(choice(rng, given_origins), name_origin), address=address, family=base,
            previous="", language=language, religion=religion, avoid_given=frozenset(taken),
            fold=fold,
        )  # fmt: skip
        taken.add(ascii_fold(child.given_name))
        add("child", child)
    if expected:
        add("child", build_person(
            rng, today, sex="U", dob=None, expected=expected, code=child_code,
            origins=(mother_origins[0], name_origin), address=address, family=base, previous="",
            fold=fold,
        ))  # fmt: skip
    return HouseholdSpec(
        address=address,
        family_name=base,
        family_name_feminine=pools.feminine_surname(pools.ORIGINS[name_origin], base),
        members=tuple(members),
        structure=structure,
        grandparents_side=side,
        family_origin=name_origin,
        fathers_name=fathers_name,
    )


def households(
    count: int, rng: random.Random, today: dt.date, *, area: CouncilArea | None = None
) -> Iterator[HouseholdSpec]:
    area = area or default_area()
    for _ in range(count):
        yield family(rng, today, area=area)
