"""Families for the client index: the people social care works with and everyone around them.

`child_family` starts from a household (`family`) and adds what a children's record shows:
a birth parent living elsewhere, half-siblings (a mother's children by two fathers, a younger
child of the mother and a step-father), step-siblings (a step-mother's own children), twins,
grandparents in the household (kinship carers) or elsewhere, and the ties between them all:
who is whose parent and holds parental responsibility, who is the main carer, siblings,
step-parents, partners. `adult_family` is an adult known to adult services with a partner,
a parent or an adult child who may be their unpaid carer.

Each member comes with what their record holds beyond the `PersonSpec`: addresses with dates
(some a previous address), contact details, identifiers (NHS number, UPN for school-age
children, an id in the council's old system), disability codes and communication needs,
an alert for a few, and their GP, school or health visitor.
"""

from __future__ import annotations

import dataclasses
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
from kith.demo.synthetic.ethnicity import NOT_RECORDED, child_ethnicity, ethnicity
from kith.demo.synthetic.households import HouseholdSpec, family
from kith.demo.synthetic.local_services import LocalServices, ProfessionalSpec, local_services
from kith.demo.synthetic.numbers import (
    IdentifierIssuer,
    email_address,
    landline_number,
    mobile_number,
)
from kith.demo.synthetic.people import (
    KNOWN_AS,
    PREVIOUS_FAMILY_NAME,
    PersonSpec,
    build_person,
    person,
)
from kith.demo.synthetic.places import AddressSpec, CouncilArea
from kith.people.matching import given_name_forms

# Disability codes from the cin_disability code list, weighted like the CIN census.
DISABILITY_CODES = Weighted(
    [("LD", 20), ("AUT", 22), ("COMM", 14), ("BEH", 12), ("MOB", 8), ("HEAR", 4), ("VIS", 3),
     ("HAND", 3), ("PC", 4), ("INC", 3), ("CON", 5), ("DDA", 2)]
)  # fmt: skip
_ADULT_DISABILITIES = Weighted(
    [("MOB", 30), ("PC", 14), ("LD", 14), ("HEAR", 10), ("VIS", 8), ("CON", 8), ("INC", 6),
     ("COMM", 4), ("AUT", 4), ("HAND", 2)]
)  # fmt: skip
_NEEDS = {
    "HEAR": (
        "Deaf: uses British Sign Language. Book a BSL interpreter for visits and meetings.",
        "Hard of hearing: face them when speaking and check they have their hearing aids in.",
    ),
    "VIS": (
        "Partially sighted: letters in large print (18 point), and read them out on visits.",
        "Registered blind: phone rather than write, or send documents in an accessible format.",
    ),
    "COMM": (
        "Limited speech: uses Makaton signs and a picture board.",
        "Speech is hard to follow at first: allow extra time and check understanding.",
    ),
    "AUT": (
        "Autistic: give notice of visits and explain any change in advance.",
        "Prefers written questions to phone calls; finds busy rooms overwhelming.",
    ),
    "LD": (
        "Easy read information, please. Check understanding by asking them to explain back.",
        "Needs their support worker present for meetings about decisions.",
    ),
}
_ALERTS = (
    ("risk_to_staff", "Dog at the property: ask for it to be shut away before going in.", 30),
    ("risk_to_staff", "Verbal aggression towards staff in the past: visit in pairs.", 25),
    ("risk_to_staff", "Do not visit alone: threats made to a worker (see case notes).", 10),
    ("risk_to_others", "Known risk to children: see the strategy discussion record.", 8),
    ("communication", "Deaf: a BSL interpreter is needed for every visit.", 7),
    ("other", "Oxygen in use at the property: no naked flames or smoking.", 10),
    ("other", "Lives on a narrowboat: check the mooring before visiting.", 3),
)
_ALERT_PICK = Weighted(((kind, text), weight) for kind, text, weight in _ALERTS)
NHS_NUMBER_SHARE = 0.93  # the rest have no NHS number on the record (yet)
LEGACY_SHARE = 0.3  # people the council knew before it moved to Kith
ALERT_SHARE_ADULTS = 0.03
ALERT_SHARE_CHILDREN = 0.005


@dataclass(frozen=True, slots=True)
class Residence:
    """An address a person lives or lived at, from a date (until the next one starts)."""

    address: AddressSpec
    start_date: dt.date


@dataclass(frozen=True, slots=True)
class Member:
    """One person in a family with what their record holds beyond the PersonSpec."""

    spec: PersonSpec
    role: str  # mother, father, step_father, child, absent_father, grandmother_elsewhere...
    addresses: tuple[Residence, ...]  # oldest first; the last is where they live now
    nhs_number: str = ""
    upn: str = ""
    legacy_id: str = ""  # in LEGACY_SYSTEM
    disabilities: tuple[str, ...] = ()  # cin_disability codes
    communication_needs: str = ""
    contacts: tuple[tuple[str, str], ...] = ()  # (phone, mobile or email; value)
    alert: tuple[str, str, dt.date] | None = None  # (kind, text, review date)
    professionals: tuple[ProfessionalSpec, ...] = ()

    @property
    def address(self) -> AddressSpec:
        return self.addresses[-1].address

    @property
    def previous_family_names(self) -> tuple[str, ...]:
        return tuple(n.family_name for n in self.spec.other_names if n.kind == PREVIOUS_FAMILY_NAME)


@dataclass(frozen=True, slots=True)
class Tie:
    """`person` is `kind` of `other` (parent, step_parent, grandparent, sibling, half_sibling,
    step_sibling, partner, former_partner, carer), as a Relationship reads."""

    person: int  # index into FamilySpec.members
    other: int
    kind: str
    parental_responsibility: bool = False
    main_carer: bool = False
    start_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Stay:
    person: int
    start_date: dt.date
    end_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class HomeSpec:
    """A household: people living together at an address, over time."""

    name: str
    address: AddressSpec
    stays: tuple[Stay, ...]


@dataclass(frozen=True)
class FamilySpec:
    service: str  # children or adults
    members: tuple[Member, ...]
    ties: tuple[Tie, ...]
    homes: tuple[HomeSpec, ...]
    subjects: tuple[int, ...]  # the people a team works with: the children, or the adult

    @property
    def people(self) -> tuple[PersonSpec, ...]:
        return tuple(m.spec for m in self.members)

    def twins(self) -> list[tuple[int, int]]:
        """Pairs of children born on the same day to the same parents."""
        return [
            (t.person, t.other)
            for t in self.ties
            if t.kind == "sibling"
            and self.members[t.person].spec.date_of_birth is not None
            and self.members[t.person].spec.date_of_birth
            == self.members[t.other].spec.date_of_birth
        ]


@dataclass(frozen=True)
class FamilyContext:
    """What families are made in: the area, its services, and one issuer of identifiers."""

    area: CouncilArea
    local: LocalServices
    issuer: IdentifierIssuer

    @classmethod
    def for_area(cls, area: CouncilArea, seed: int | str) -> FamilyContext:
        return cls(area, local_services(area, seed), IdentifierIssuer(seed))


# --- Building a family ---------------------------------------------------------------------------


class _Family:
    """The family as it is put together: people, their parents, ties and stays."""

    def __init__(self, rng: random.Random, today: dt.date, context: FamilyContext) -> None:
        self.rng = rng
        self.today = today
        self.context = context
        self.specs: list[PersonSpec] = []
        self.roles: list[str] = []
        self.resident: list[bool] = []
        self.parents: dict[int, list[int | str]] = {}  # child -> parents (str: not on record)
        self.ties: list[Tie] = []
        self.partners: set[frozenset[int]] = set()
        self.own_address: dict[int, AddressSpec] = {}
        self.joined: dict[int, dt.date] = {}  # when someone joined the household, if later
        self.left: dict[int, tuple[dt.date, dt.date]] = {}  # a past stay: (from, to)
        self._unknown = 0

    def add(self, spec: PersonSpec, role: str, *, resident: bool) -> int:
        self.specs.append(spec)
        self.roles.append(role)
        self.resident.append(resident)
        if not resident:
            self.own_address[len(self.specs) - 1] = spec.address
        return len(self.specs) - 1

    def unknown_parent(self) -> str:
        self._unknown += 1
        return f"unknown-{self._unknown}"

    def tie(
        self,
        person: int,
        other: int,
        kind: str,
        *,
        parental_responsibility: bool = False,
        main_carer: bool = False,
        start_date: dt.date | None = None,
    ) -> None:
        self.ties.append(Tie(person, other, kind, parental_responsibility, main_carer, start_date))

    def partner(self, a: int, b: int, kind: str = "partner") -> None:
        self.partners.add(frozenset((a, b)))
        self.tie(a, b, kind)

    def dob(self, index: int) -> dt.date | None:
        return self.specs[index].date_of_birth


def _real_code(rng: random.Random, spec: PersonSpec) -> str:
    return ethnicity(rng) if spec.ethnicity in NOT_RECORDED else spec.ethnicity


def _folds(spec: PersonSpec) -> bool:
    """Whether the person's names were recorded without diacritics (keep the family's way)."""
    return spec.family_name == ascii_fold(spec.family_name) and spec.given_name == ascii_fold(
        spec.given_name
    )


def _relative(
    f: _Family,
    like: PersonSpec,
    *,
    sex: str,
    dob: dt.date,
    address: AddressSpec,
    family_name: str | None = None,
    previous: str | None = "",
) -> PersonSpec:
    """Someone related to `like`, of their traditions (their ethnicity, if recorded)."""
    origin = like.name_origin
    return build_person(
        f.rng, f.today, sex=sex, dob=dob, code=_real_code(f.rng, like),
        origins=(origin, origin), address=address, family=family_name, previous=previous,
        fold=_folds(like) or None,
    )  # fmt: skip


def _adult_dob(
    rng: random.Random, child_dob: dt.date, today: dt.date, low: int, high: int
) -> dt.date:
    """Someone `low` to `high` years old when the child was born, at most 95 today."""
    high = max(low, min(high, 95 - age_on(child_dob, today)))
    return dob_for_age(rng, child_dob, rng.randint(low, high))


def _grandparents_child_dob(f: _Family, grandparents: list[int], eldest: dt.date) -> dt.date:
    """The date of birth of the grandparents' own child, a parent of a child born on
    `eldest`: 17 to 40 years younger than the younger grandparent, and 16 or more at the
    birth."""
    elder_dob = max(d for g in grandparents if (d := f.dob(g)))
    room = age_on(elder_dob, eldest) - 16
    return years_before(elder_dob, -f.rng.randint(17, max(17, min(40, room))))


def _younger_child(
    f: _Family, mother: int, father: int, after: dt.date, family_name: str, origin: str
) -> int | None:
    """A child of the two, born 11 months to 4 years after `after` (if that is not in the
    future and the mother was at most 46)."""
    dob = after + dt.timedelta(days=f.rng.randint(330, 4 * 365))
    mother_dob = f.dob(mother)
    if dob > f.today or mother_dob is None or age_on(mother_dob, dob) > 46:
        return None
    mum, dad = f.specs[mother], f.specs[father]
    taken = frozenset(ascii_fold(s.given_name) for s in f.specs)
    spec = build_person(
        f.rng, f.today, sex="F" if f.rng.random() < 0.49 else "M", dob=dob,
        code=child_ethnicity(_real_code(f.rng, mum), _real_code(f.rng, dad)),
        origins=(choice(f.rng, (mum.name_origin, dad.name_origin)), origin),
        address=mum.address, family=family_name, previous="",
        language=mum.first_language if f.rng.random() < 0.7 else "English",
        religion=mum.religion if f.rng.random() < 0.8 else None, avoid_given=taken,
        fold=_folds(mum) or None,
    )  # fmt: skip
    child = f.add(spec, "child", resident=True)
    f.parents[child] = [mother, father]
    return child


_SOUNDS_ALIKE = str.maketrans("CQZYG", "KKSIJ")


def _first_sound(name: str) -> str:
    """The sound a name starts with, roughly: Cara and Kara, Gemma and Jemma start alike."""
    folded = ascii_fold(name).upper()
    if folded.startswith("PH"):
        return "F"
    return folded[:1].translate(_SOUNDS_ALIKE)


def _names_of(spec: PersonSpec) -> set[str]:
    """Given, middle and known-as names, folded."""
    names = (spec.given_name, *spec.middle_names.split(), spec.known_as)
    return {ascii_fold(n).casefold().replace(" ", "") for n in names if n}


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (names are short)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def _distinct(a: PersonSpec, b: PersonSpec) -> bool:
    """Whether twins' names are plainly different: no name in common, none a short form,
    a misspelling or a part of another (Ronnie and Bonnie, Jacob and Jack, Luis and Luisa),
    and given names that start with different sounds."""
    if _first_sound(a.given_name) == _first_sound(b.given_name):
        return False
    for x in _names_of(a):
        for y in _names_of(b):
            if x[:3] == y[:3] or x in y or y in x or _edits(x, y) <= 2:
                return False
            if given_name_forms(x) & given_name_forms(y):  # Daisy and Maisie (Margaret)
                return False
    return True


def _own_names(f: _Family, twin: PersonSpec, siblings: list[PersonSpec]) -> PersonSpec:
    """The twin with names plainly different from their twin's (or triplets')."""
    taken = {ascii_fold(s.given_name) for s in f.specs}
    for _ in range(60):
        if all(_distinct(twin, sibling) for sibling in siblings):
            return twin
        taken.add(ascii_fold(twin.given_name))
        named = build_person(
            f.rng, f.today, sex=twin.sex, dob=twin.date_of_birth,
            code=twin.ethnicity, origins=(twin.name_origin, twin.name_origin),
            address=twin.address, family=twin.family_name, previous="",
            language=twin.first_language, religion=twin.religion,
            avoid_given=frozenset(taken), fold=_folds(twin) or None,
        )  # fmt: skip
        twin = dataclasses.replace(
            twin,
            given_name=named.given_name,
            middle_names=named.middle_names,
            other_names=tuple(n for n in named.other_names if n.kind == KNOWN_AS)
            + tuple(n for n in twin.other_names if n.kind != KNOWN_AS),
        )
    raise RuntimeError(f"No name for a twin of {siblings[0].given_name}")  # pragma: no cover


def _twin(f: _Family, sibling: int) -> int:
    """A twin of the child: born the same day, with names of their own."""
    spec = f.specs[sibling]
    assert spec.date_of_birth is not None
    twin = build_person(
        f.rng, f.today, sex="F" if f.rng.random() < 0.5 else "M", dob=spec.date_of_birth,
        code=spec.ethnicity, origins=(spec.name_origin, spec.name_origin),
        address=spec.address, family=spec.family_name, previous="",
        language=spec.first_language, religion=spec.religion, fold=_folds(spec) or None,
    )  # fmt: skip
    index = f.add(_own_names(f, twin, [spec]), "child", resident=True)
    f.parents[index] = list(f.parents[sibling])
    return index


def _renamed(spec: PersonSpec, family_name: str, origin: str) -> PersonSpec:
    name = family_name
    if spec.sex == "F" or spec.gender_identity == "Female":
        name = pools.feminine_surname(pools.ORIGINS[origin], family_name)
    if _folds(spec):
        name = ascii_fold(name)
    return dataclasses.replace(spec, family_name=name)


def child_family(
    rng: random.Random,
    today: dt.date,
    context: FamilyContext,
    *,
    twins: bool | None = None,
) -> FamilySpec:
    """A family around children known to children's services (see the module's description).
    `twins` forces (True) or rules out (False) a pair of twins; by default 2% of families."""
    home = family(rng, today, area=context.area)
    f = _Family(rng, today, context)
    who: dict[str, list[int]] = {}
    for m in home.members:
        index = f.add(m.person, m.relationship, resident=True)
        who.setdefault(m.relationship, []).append(index)
    mother: int | None = who["mother"][0] if "mother" in who else None
    father: int | None = who["father"][0] if "father" in who else None
    steps = who.get("step_father") or who.get("step_mother")
    step: int | None = steps[0] if steps else None
    grandparents = who.get("grandmother", []) + who.get("grandfather", [])
    children = who.get("child", [])
    born = [c for c in children if f.dob(c) is not None]
    unborn = [c for c in children if f.dob(c) is None]
    first = f.dob(born[0]) if born else f.specs[unborn[0]].expected_date_of_birth
    last = f.dob(born[-1]) if born else first
    assert first is not None
    assert last is not None
    oldest, youngest = first, last
    structure = home.structure
    origin = home.family_origin or f.specs[children[0]].name_origin

    if twins is None:
        twins = rng.random() < 0.02
    if twins and born:
        pick = born[int(rng.random() * len(born))]
        f.parents[pick] = []
        born.insert(born.index(pick) + 1, _twin(f, pick))
    for i, child in enumerate(born):  # twins (and triplets) with names of their own
        same_day = [f.specs[c] for c in born[:i] if f.dob(c) == f.dob(child)]
        if same_day:
            f.specs[child] = _own_names(f, f.specs[child], same_day)

    # The children's birth parents, on the record (an index) or not (a name for the unknown).
    father_token: int | str = father if father is not None else f.unknown_parent()
    mother_token: int | str = mother if mother is not None else f.unknown_parent()
    for c in [*born, *unborn]:
        f.parents[c] = [mother_token, father_token]

    def absent(sex: str, like: int, family_name: str | None, role: str, dob: dt.date) -> int:
        """A birth parent who lives elsewhere."""
        spec = _relative(
            f, f.specs[like], sex=sex, dob=dob, address=context.area.address(rng),
            family_name=family_name, previous="" if sex == "M" else None,
        )  # fmt: skip
        return f.add(spec, role, resident=False)

    def partner_dob(of: int) -> dt.date:
        """A birth parent's date of birth, near the other parent's; 16 to 50 at the birth."""
        theirs = f.dob(of)
        assert theirs is not None
        dob = years_before(theirs, rng.randint(-3, 8))
        if age_on(dob, oldest) < 16:
            dob = years_before(oldest, 16 + rng.randint(0, 6))
        if age_on(dob, youngest) > 50:
            dob = years_before(youngest, 50 - rng.randint(0, 6))
        return dob

    fathers_surname = home.family_name if home.fathers_name else None
    if structure in ("lone_mother", "step_father") and mother is not None:
        group = list(born)
        # A mother's children by two fathers: half-siblings.
        splits = [k for k in range(1, len(born)) if f.dob(born[k - 1]) != f.dob(born[k])]
        if splits and rng.random() < 0.25:
            split = splits[int(rng.random() * len(splits))]
            second: int | str = f.unknown_parent()
            if rng.random() < 0.5:
                second = absent("M", mother, None, "absent_father", partner_dob(mother))
            for c in born[split:]:
                f.parents[c] = [mother, second]
                if home.fathers_name and isinstance(second, int):
                    name, name_origin = f.specs[second].family_name, f.specs[second].name_origin
                    f.specs[c] = _renamed(f.specs[c], name, name_origin)
            group = [c for c in born if f.parents[c][1] == father_token]
        if rng.random() < (0.6 if structure == "step_father" else 0.5):
            known = absent("M", mother, fathers_surname, "absent_father", partner_dob(mother))
            for c in group:
                f.parents[c] = [mother, known]
            if rng.random() < 0.5:
                f.partner(mother, known, "former_partner")
            if group and rng.random() < 0.4:
                f.left[known] = (f.dob(group[0]) or oldest, f.dob(group[-1]) or youngest)
    if structure == "step_father" and mother is not None and step is not None:
        f.partner(mother, step)
        step_spec = f.specs[step]
        if unborn:  # the baby on the way is the step-father's
            for c in unborn:
                f.parents[c] = [mother, step]
                f.specs[c] = _renamed(f.specs[c], step_spec.family_name, step_spec.name_origin)
        elif rng.random() < 0.35:
            _younger_child(f, mother, step, youngest, step_spec.family_name, step_spec.name_origin)
    if structure == "lone_father" and father is not None and rng.random() < 0.65:
        known = absent("F", father, None, "absent_mother", partner_dob(father))
        for c in born:
            f.parents[c] = [known, father]
        mother = known
    if structure == "step_mother" and father is not None and step is not None:
        f.partner(father, step)
        if rng.random() < 0.75:
            if grandparents and home.grandparents_side == "maternal":  # their daughter
                name = f.specs[grandparents[0]].family_name
                dob = _grandparents_child_dob(f, grandparents, oldest)
                known = absent("F", grandparents[0], name, "absent_mother", dob)
            else:
                known = absent("F", father, None, "absent_mother", partner_dob(father))
            for c in born:
                f.parents[c] = [known, father]
            mother = known
        step_dob = f.dob(step)
        assert step_dob is not None
        latest_child = youngest
        if rng.random() < 0.4:  # her own children: step-siblings
            own_father = f.unknown_parent()
            surname = pools.family_name(rng, pools.ORIGINS[f.specs[step].name_origin], "M")
            earliest = max(years_before(today, 17), years_before(step_dob, -18))
            latest = min(today, years_before(step_dob, -42))
            for _ in range(rng.randint(1, 2)):
                if earliest > latest:
                    break
                dob = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
                spec = _relative(
                    f, f.specs[step], sex="F" if rng.random() < 0.49 else "M", dob=dob,
                    address=home.address, family_name=surname,
                )  # fmt: skip
                c = f.add(spec, "step_child", resident=True)
                f.parents[c] = [step, own_father]
                latest_child = max(latest_child, dob)
                earliest = min(latest, dob + dt.timedelta(days=330))
        if rng.random() < 0.3:
            _younger_child(f, step, father, latest_child, home.family_name, origin)
    if structure == "couple" and mother is not None and father is not None:
        f.partner(mother, father)
        if len(born) >= 2 and rng.random() < 0.12:  # her eldest is from before: a half-sibling
            earlier: int | str = f.unknown_parent()
            if rng.random() < 0.4:
                earlier = absent("M", mother, None, "absent_father", partner_dob(mother))
            if f.dob(born[0]) != f.dob(born[1]):
                f.parents[born[0]] = [mother, earlier]
    if structure == "kinship" and grandparents:
        side = home.grandparents_side
        elder = grandparents[0]

        def parent_dob(theirs: bool, low: int, high: int) -> dt.date:
            """The grandparents' own child, or the other parent (`low` to `high` when the
            eldest was born)."""
            if theirs:
                return _grandparents_child_dob(f, grandparents, oldest)
            return _adult_dob(rng, oldest, today, low, high)

        if rng.random() < 0.8:
            kin_name = f.specs[elder].family_name if side == "maternal" else None
            dob = parent_dob(side == "maternal", 17, 35)
            mother = absent("F", elder, kin_name, "absent_mother", dob)
            for c in born:
                f.parents[c][0] = mother
        if rng.random() < 0.35:
            kin_name = home.family_name if side == "paternal" or home.fathers_name else None
            dob = parent_dob(side == "paternal", 18, 38)
            father = absent("M", elder, kin_name, "absent_father", dob)
            for c in born:
                f.parents[c][1] = father
    if len(grandparents) == 2:
        f.partner(grandparents[0], grandparents[1])
    side = home.grandparents_side

    # Grandparents living elsewhere (when none live with the family).
    if not grandparents and mother is not None and f.resident[mother] and rng.random() < 0.3:
        mum = f.specs[mother]
        mum_dob = f.dob(mother)
        assert mum_dob is not None
        previous = [n.family_name for n in mum.other_names if n.kind == PREVIOUS_FAMILY_NAME]
        name = previous[0] if previous else mum.family_name
        elsewhere = context.area.address(rng)
        for sex in ("F", "M") if rng.random() < 0.4 else ("F",):
            dob = _adult_dob(rng, mum_dob, today, 18, 40)
            spec = _relative(
                f, mum, sex=sex, dob=dob, address=elsewhere, family_name=name,
                previous=None if sex == "F" else "",
            )  # fmt: skip
            role = "grandmother_elsewhere" if sex == "F" else "grandfather_elsewhere"
            grandparents.append(f.add(spec, role, resident=False))
        side = "maternal"
        if len(grandparents) == 2:
            f.partner(grandparents[0], grandparents[1])

    parent = mother if side == "maternal" else father if side == "paternal" else None
    return _finish(f, home, parent, grandparents)


def _members_children(f: _Family, parent: int) -> list[int]:
    return [c for c, ps in f.parents.items() if parent in ps]


def _finish(
    f: _Family, home: HouseholdSpec, grandparents_child: int | None, grandparents: list[int]
) -> FamilySpec:
    """The ties, the household and the records, once everyone is in the family."""
    rng, today = f.rng, f.today
    children = sorted(f.parents, key=lambda c: (f.dob(c) or dt.date.max, c))
    resident_children = [c for c in children if f.resident[c]]

    # When the household came together at this address: within the last 12 years, and when
    # the adults were grown up.
    adults = [
        d for i, d in enumerate(f.specs) if f.resident[i] and i not in f.parents and d.date_of_birth
    ]
    moved_in = today - dt.timedelta(days=rng.randint(60, 12 * 365))
    for adult in adults:
        assert adult.date_of_birth is not None
        moved_in = max(moved_in, years_before(adult.date_of_birth, -18))
    moved_in = min(moved_in, today - dt.timedelta(days=7))
    for i, role in enumerate(f.roles):  # a step-parent who joined the family later
        if role in ("step_father", "step_mother") and rng.random() < 0.7:
            theirs = [d for c in children if i in f.parents[c] and (d := f.dob(c))]
            limit = min(theirs) - dt.timedelta(days=300) if theirs else today
            limit = min(limit, today - dt.timedelta(days=30))
            if limit > moved_in:
                joined = moved_in + dt.timedelta(days=rng.randint(1, (limit - moved_in).days))
                f.joined[i] = joined
                for c in children:
                    if f.roles[c] == "step_child" and (f.dob(c) or today) < joined:
                        f.joined[c] = joined

    # Parents and children, parental responsibility and the main carer.
    carer_of: dict[int, int] = {}
    for c in children:
        resident_parents = [p for p in f.parents[c] if isinstance(p, int) and f.resident[p]]
        mothers = [p for p in resident_parents if f.specs[p].sex == "F"]
        if mothers or resident_parents:
            carer_of[c] = (mothers or resident_parents)[0]
        elif grandparents and f.resident[grandparents[0]]:
            carer_of[c] = grandparents[0]
    holds_pr: dict[int, bool] = {}
    for c in children:
        born = f.dob(c)
        for p in f.parents[c]:
            if not isinstance(p, int):
                continue
            if p not in holds_pr:  # a birth mother always has it, most fathers do
                female = f.specs[p].sex == "F"
                holds_pr[p] = female or rng.random() < (0.95 if f.resident[p] else 0.7)
            f.tie(
                p, c, "parent", parental_responsibility=holds_pr[p] and born is not None,
                main_carer=carer_of.get(c) == p, start_date=born,
            )  # fmt: skip
    # Step-parents: a resident partner of a child's parent who is not their parent.
    for s in range(len(f.specs)):
        if not f.resident[s] or s in f.parents or s in grandparents:
            continue
        for c in resident_children:
            parents = [p for p in f.parents[c] if isinstance(p, int)]
            if s in parents or not any(frozenset((s, p)) in f.partners for p in parents):
                continue
            start = max(f.joined.get(s, moved_in), f.dob(c) or moved_in)
            f.tie(
                s, c, "step_parent",
                parental_responsibility=f.dob(c) is not None and rng.random() < 0.1,
                start_date=min(start, today),
            )  # fmt: skip
    # Grandparents: parents of the mother (or father) and grandparents of her children.
    if grandparents:
        kinship = home.structure == "kinship"
        if grandparents_child is not None:
            grandchildren = _members_children(f, grandparents_child)
        else:
            grandchildren = [c for c in children if f.roles[c] == "child"]
        pr = kinship and rng.random() < 0.7
        for g in grandparents:
            if grandparents_child is not None:
                # They hold parental responsibility while their own child is under 18.
                child_dob = f.dob(grandparents_child)
                young = child_dob is not None and age_on(child_dob, today) < 18
                f.tie(
                    g, grandparents_child, "parent", start_date=child_dob,
                    parental_responsibility=young and (f.specs[g].sex == "F" or rng.random() < 0.9),
                )  # fmt: skip
            for c in grandchildren:
                f.tie(
                    g, c, "grandparent", parental_responsibility=pr and f.dob(c) is not None,
                    main_carer=carer_of.get(c) == g, start_date=f.dob(c),
                )  # fmt: skip
    # Siblings: the same parents, one parent in common, or brought together by their parents.
    for i, a in enumerate(children):
        for b in children[i + 1 :]:
            pa, pb = set(f.parents[a]), set(f.parents[b])
            dates = [d for d in (f.dob(a), f.dob(b)) if d]
            since = max(dates) if len(dates) == 2 else None
            if pa == pb:
                f.tie(a, b, "sibling", start_date=since)
            elif pa & pb:
                f.tie(a, b, "half_sibling", start_date=since)
            elif f.resident[a] and f.resident[b]:
                joined = max(f.joined.get(a, moved_in), f.joined.get(b, moved_in), *dates)
                f.tie(a, b, "step_sibling", start_date=min(joined, today))

    # The household: who lives there since when, and a parent who used to.
    stays = []
    for i, spec in enumerate(f.specs):
        if f.resident[i] and spec.date_of_birth is not None:
            stays.append(Stay(i, max(f.joined.get(i, moved_in), spec.date_of_birth)))
    left: dict[int, tuple[dt.date, dt.date]] = {}
    for i, (first, last) in f.left.items():
        start = max(first, moved_in)
        end = max(last, start) + dt.timedelta(days=rng.randint(30, 900))
        if end < today - dt.timedelta(days=30):
            stays.append(Stay(i, start, end))
            left[i] = (start, end)
    holder = next((c for c in resident_children if f.roles[c] == "child"), children[0])
    street = f"{home.address.house_number} {home.address.street}".strip()
    household = HomeSpec(
        name=f"{f.specs[holder].family_name} family, {street}",
        address=home.address,
        stays=tuple(stays),
    )
    members = _members(f, moved_in, left)
    return FamilySpec("children", members, tuple(f.ties), (household,), tuple(resident_children))


def adult_family(rng: random.Random, today: dt.date, context: FamilyContext) -> FamilySpec:
    """An adult known to adult services, now and then with a partner at home, a parent they
    live with, or an adult child elsewhere: any of them may be their unpaid carer."""
    f = _Family(rng, today, context)
    spec = person(rng, today, service="adults", area=context.area)
    subject = f.add(spec, "adult", resident=True)
    dob = spec.date_of_birth
    assert dob is not None
    age = age_on(dob, today)
    in_care_home = spec.address in context.area.care_homes
    roll = rng.random()
    if age >= 55 and roll < 0.4:
        sex = ("M" if spec.sex == "F" else "F") if rng.random() < 0.95 else spec.sex
        partner_age = max(40, min(100, age + rng.randint(-6, 6)))
        partner_dob = dob_for_age(rng, today, partner_age)
        shares_name = sex == "F" and spec.sex == "M" and rng.random() < 0.8
        if spec.sex == "F" and sex == "M":
            shares_name = any(n.kind == PREVIOUS_FAMILY_NAME for n in spec.other_names)
        address = context.area.address(rng) if in_care_home else spec.address
        partner = f.add(
            _relative(
                f,
                spec,
                sex=sex,
                dob=partner_dob,
                address=address,
                family_name=spec.family_name if shares_name else None,
                previous=None if sex == "F" else "",
            ),
            "partner",
            resident=not in_care_home,
        )
        f.partner(subject, partner)
        if rng.random() < 0.6 and partner_age < 90:
            f.tie(partner, subject, "carer", main_carer=True)
    elif age >= 50 and roll < 0.7:
        child_age = age - rng.randint(20, 38)
        if child_age >= 18:
            sex = "F" if rng.random() < 0.6 else "M"
            child_dob = dob_for_age(rng, today, child_age)
            name = spec.family_name if sex == "M" or rng.random() < 0.5 else None
            child = f.add(
                _relative(
                    f,
                    spec,
                    sex=sex,
                    dob=child_dob,
                    address=context.area.address(rng),
                    family_name=name,
                ),
                "adult_child",
                resident=False,
            )
            f.tie(subject, child, "parent", start_date=child_dob)
            if rng.random() < 0.55:
                f.tie(child, subject, "carer", main_carer=rng.random() < 0.7)
    elif age < 40 and roll < 0.3 and not in_care_home:
        parent_age = age + rng.randint(18, 40)
        if parent_age <= 92:
            parent_dob = dob_for_age(rng, today, parent_age)
            parent = f.add(
                _relative(
                    f,
                    spec,
                    sex="F" if rng.random() < 0.8 else "M",
                    dob=parent_dob,
                    address=spec.address,
                    family_name=spec.family_name,
                    previous=None,
                ),
                "parent",
                resident=True,
            )
            f.tie(parent, subject, "parent", start_date=dob)
            f.tie(parent, subject, "carer", main_carer=True)
    residents = [i for i in range(len(f.specs)) if f.resident[i]]
    moved_in = today - dt.timedelta(days=rng.randint(60, 25 * 365))
    moved_in = max(moved_in, years_before(dob, -18))
    for i in residents:
        other_dob = f.dob(i)
        if other_dob is not None:
            moved_in = max(moved_in, years_before(other_dob, -18))
    moved_in = min(moved_in, today - dt.timedelta(days=7))
    homes: tuple[HomeSpec, ...] = ()
    if len(residents) > 1:
        street = f"{spec.address.house_number} {spec.address.street}".strip()
        homes = (
            HomeSpec(
                name=f"{spec.family_name} household, {street}",
                address=spec.address,
                stays=tuple(Stay(i, moved_in) for i in residents),
            ),
        )
    members = _members(f, moved_in)
    return FamilySpec("adults", members, tuple(f.ties), homes, (subject,))


# --- What each member's record holds -------------------------------------------------------------


def _members(
    f: _Family, moved_in: dt.date, left: dict[int, tuple[dt.date, dt.date]] | None = None
) -> tuple[Member, ...]:
    """Each person's record: their addresses (a household that moved here came from a
    previous address), identifiers, needs, contact details and professionals."""
    rng, today, area = f.rng, f.today, f.context.area
    left = left or {}
    previous_home = area.address(rng) if rng.random() < 0.4 else None
    previous_from = years_before(moved_in, rng.randint(1, 8)) - dt.timedelta(
        days=rng.randint(0, 300)
    )
    members = []
    for i, spec in enumerate(f.specs):
        born = spec.date_of_birth
        addresses: list[Residence] = []
        if born is None:  # an unborn child: the family's address from today
            addresses.append(Residence(spec.address, today))
        elif f.resident[i]:
            start = max(f.joined.get(i, moved_in), born)
            before = previous_home
            since = max(born, previous_from)
            if i in f.joined:  # came from their own home
                before = area.address(rng) if rng.random() < 0.8 else None
                since = max(born, years_before(start, rng.randint(1, 6)))
            if before is not None and since < start:
                addresses.append(Residence(before, since))
            addresses.append(Residence(spec.address, start))
        else:
            grown_up = years_before(born, -18)
            if i in left:  # lived with the family, then moved out
                stay_from, stay_to = left[i]
                addresses.append(Residence(f.specs[0].address, stay_from))
                moved = stay_to + dt.timedelta(days=1)
            elif grown_up < today - dt.timedelta(days=60):
                span = (today - grown_up).days
                moved = today - dt.timedelta(days=rng.randint(30, min(span, 15 * 365)))
                if rng.random() < 0.3 and (moved - grown_up).days > 60:
                    earlier = grown_up + dt.timedelta(
                        days=rng.randint(0, (moved - grown_up).days - 1)
                    )
                    addresses.append(Residence(area.address(rng), earlier))
            else:
                moved = max(born, today - dt.timedelta(days=30))
            addresses.append(Residence(f.own_address.get(i, spec.address), moved))
        members.append(_record(rng, today, f.context, spec, f.roles[i], tuple(addresses)))
    return tuple(members)


def _reception_year(born: dt.date) -> int:
    """The calendar year a child born on that day starts school (the September after they
    turn four)."""
    school_year_of_birth = born.year if born.month >= 9 else born.year - 1
    return school_year_of_birth + 5


def _record(
    rng: random.Random,
    today: dt.date,
    context: FamilyContext,
    spec: PersonSpec,
    role: str,
    addresses: tuple[Residence, ...],
) -> Member:
    issuer, local = context.issuer, context.local
    born = spec.date_of_birth
    age = age_on(born, today) if born else None
    current = addresses[-1].address
    nhs = issuer.nhs_number() if born and rng.random() < NHS_NUMBER_SHARE else ""
    disabilities: tuple[str, ...] = ()
    if born is not None:
        adult = age is not None and age >= 18
        share = (0.55 if role == "adult" else 0.06) if adult else 0.1
        if rng.random() < share:
            pool = _ADULT_DISABILITIES if adult else DISABILITY_CODES
            codes = {pool.pick(rng)}
            if rng.random() < 0.3:
                codes.add(pool.pick(rng))
            disabilities = tuple(sorted(codes))
    upn = ""
    professionals: list[ProfessionalSpec] = []
    # Their GP: recorded for children and adults known to adult services, and for some
    # of the adults around them.
    if (
        born is not None
        and age is not None
        and (age < 18 or role == "adult" or rng.random() < 0.35)
    ):
        gp = local.gp_for(rng, current.outcode)
        professionals.append(
            ProfessionalSpec("gp", gp.code, "", "", max(born, addresses[0].start_date))
        )
    if born is not None and age is not None and age < 18:
        reception = _reception_year(born)
        year_group = (today.year if today.month >= 9 else today.year - 1) - reception
        if year_group >= 0:  # at school: reception is 0, year 7 the first at secondary
            first = local.school_for(rng, current.outcode, current.town, "primary")
            if rng.random() < 0.96:
                upn = issuer.upn(first.establishment, reception)
            phase = "primary" if year_group < 7 else "secondary"
            if rng.random() < 0.04 or ({"LD", "AUT"} & set(disabilities) and rng.random() < 0.3):
                phase = "special"
            school = local.school_for(rng, current.outcode, current.town, phase)
            start = dt.date(reception if phase == "primary" else reception + 7, 9, 1)
            start = min(start, today)
            professionals.append(ProfessionalSpec("school", school.code, "", "", start))
        elif rng.random() < 0.9:
            visitor = local.health_visitors[int(rng.random() * len(local.health_visitors))]
            professionals.append(
                ProfessionalSpec(
                    "health_visitor",
                    local.community_health.code,
                    visitor,
                    landline_number(rng),
                    born,
                )
            )
    elif born is None:
        midwife = local.midwives[int(rng.random() * len(local.midwives))]
        professionals.append(
            ProfessionalSpec(
                "midwife", local.community_health.code, midwife, landline_number(rng), None
            )
        )
    legacy = issuer.legacy_id() if born is not None and rng.random() < LEGACY_SHARE else ""

    needs = [
        _NEEDS[code][int(rng.random() * len(_NEEDS[code]))]
        for code in disabilities
        if code in _NEEDS and rng.random() < 0.7
    ]
    if spec.interpreter_required:
        needs.append(f"Needs a {spec.first_language} interpreter.")

    contacts: list[tuple[str, str]] = []
    if age is not None and age >= 16:
        if rng.random() < 0.85:
            contacts.append(("mobile", mobile_number(rng)))
        if age >= 18 and rng.random() < 0.25:
            contacts.append(("phone", landline_number(rng)))
        if age >= 18 and rng.random() < 0.4:
            contacts.append(("email", email_address(rng, spec.given_name, spec.family_name)))
    elif age is not None and age >= 12 and rng.random() < 0.35:
        contacts.append(("mobile", mobile_number(rng)))

    alert = None
    share = ALERT_SHARE_ADULTS if age is not None and age >= 18 else ALERT_SHARE_CHILDREN
    if born is not None and rng.random() < share:
        kind, text = _ALERT_PICK.pick(rng)
        alert = (kind, text, today + dt.timedelta(days=rng.randint(60, 365)))
    return Member(
        spec=spec,
        role=role,
        addresses=addresses,
        nhs_number=nhs,
        upn=upn,
        legacy_id=legacy,
        disabilities=disabilities,
        communication_needs=" ".join(needs),
        contacts=tuple(contacts),
        alert=alert,
        professionals=tuple(professionals),
    )


def families(
    count: int,
    rng: random.Random,
    today: dt.date,
    context: FamilyContext,
    *,
    service: str = "children",
) -> Iterator[FamilySpec]:
    """`count` families around people known to children's or adults' services."""
    for _ in range(count):
        if service == "children":
            yield child_family(rng, today, context)
        else:
            yield adult_family(rng, today, context)
