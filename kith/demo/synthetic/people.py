"""People who use services: names, dates of birth, ethnicity, language, religion, address.

Ages follow the people social care meets: children mostly of school age, with babies and a
few unborn children; adults from 18 to 100, most of them old. Ethnicity is weighted like the
population of England and a person's names, first language and religion fit their ethnicity.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from kith.demo.synthetic import names as pools
from kith.demo.synthetic._util import (
    Weighted,
    age_on,
    ascii_fold,
    derive_rng,
    dob_for_age,
)
from kith.demo.synthetic.ethnicity import (
    MIXED_PARENTS,
    ethnicity,
    origins_for,
    recorded_ethnicity,
)
from kith.demo.synthetic.places import AddressSpec, CouncilArea, council_area

SERVICES = ("children", "adults")
GENDER_IDENTITIES = ("Female", "Male", "Non-binary", "Not known", "Prefer not to say")
UNBORN_GIVEN_NAME = "Unborn"  # how records name an unborn child: "Unborn Smith"

KNOWN_AS = "known_as"
PREVIOUS_FAMILY_NAME = "previous_family_name"


@dataclass(frozen=True, slots=True)
class OtherName:
    kind: str  # known_as or previous_family_name
    given_name: str  # for known_as
    family_name: str  # for previous_family_name


@dataclass(frozen=True, slots=True)
class PersonSpec:
    given_name: str
    middle_names: str
    family_name: str
    other_names: tuple[OtherName, ...]
    sex: str  # M, F, or U for an unborn child
    gender_identity: str  # one of GENDER_IDENTITIES
    date_of_birth: dt.date | None  # None for an unborn child
    expected_date_of_birth: dt.date | None  # an unborn child's due date, else None
    ethnicity: str  # SSDA903 code
    first_language: str
    interpreter_required: bool
    religion: str
    address: AddressSpec
    name_origin: str  # the naming tradition of the given name (british, polish, somali...)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None

    @property
    def known_as(self) -> str:
        return next((n.given_name for n in self.other_names if n.kind == KNOWN_AS), "")

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    def age_on(self, on: dt.date) -> int | None:
        return None if self.date_of_birth is None else age_on(self.date_of_birth, on)


@functools.cache
def default_area() -> CouncilArea:
    """The area used when none is given: a medium council, the same everywhere."""
    return council_area("medium", derive_rng(0, "default-area"))


# Ages -------------------------------------------------------------------------------------------

# Children in need by age (DfE CIN census, rounded): school-age children are the most.
_CHILD_AGES = Weighted(
    [(0, 5.0)] + [(a, 4.0) for a in range(1, 5)] + [(a, 4.8) for a in range(5, 10)]
    + [(a, 6.0) for a in range(10, 16)] + [(a, 8.5) for a in (16, 17)]
)  # fmt: skip
_UNBORN_SHARE = 0.02
_ADULT_BANDS = ((18, 24, 6), (25, 44, 12), (45, 64, 17), (65, 74, 13), (75, 84, 25),
                (85, 94, 22), (95, 100, 5))  # fmt: skip
_ADULT_AGES = Weighted(
    (age, weight / (last - first + 1))
    for first, last, weight in _ADULT_BANDS
    for age in range(first, last + 1)
)


def _female_share(age: int) -> float:
    if age < 18:
        return 0.48
    if age < 65:
        return 0.5
    return 0.58 if age < 85 else 0.68


def _gender_identity(rng: random.Random, sex: str, age: int | None) -> str:
    if age is None:
        return "Not known"
    same = "Female" if sex == "F" else "Male"
    if age < 12:
        return same
    roll = rng.random()
    if roll < 0.004:
        return "Male" if sex == "F" else "Female"
    if roll < 0.007:
        return "Non-binary"
    if roll < 0.027:
        return "Not known"
    if roll < 0.032:
        return "Prefer not to say"
    return same


def _married_share(age: int) -> float:
    if age < 20:
        return 0.0
    if age < 30:
        return 0.25
    if age < 45:
        return 0.5
    return 0.6 if age < 65 else 0.75


# One person -------------------------------------------------------------------------------------


def build_person(
    rng: random.Random,
    today: dt.date,
    *,
    sex: str,
    dob: dt.date | None,
    code: str,
    origins: tuple[str, str],
    address: AddressSpec,
    expected: dt.date | None = None,
    family: str | None = None,
    previous: str | None = None,
    language: str | None = None,
    religion: str | None = None,
    avoid_given: frozenset[str] = frozenset(),  # given names to avoid, without diacritics
    fold: bool | None = None,
) -> PersonSpec:
    """Build a person. `family` fixes the family name (in its masculine form where the
    tradition has one); `previous` fixes the previous family name ("" for none)."""
    given_origin = pools.ORIGINS[origins[0]]
    family_origin = pools.ORIGINS[origins[1]]
    age = None if dob is None else age_on(dob, today)
    gender = _gender_identity(rng, sex, age)
    name_sex = {"Female": "F", "Male": "M"}.get(gender, sex)
    if name_sex == "U" or gender == "Non-binary":
        name_sex = "F" if rng.random() < 0.5 else "M"

    other_names: list[OtherName] = []
    if family is None:
        family = pools.family_name(rng, family_origin, name_sex)
    elif name_sex == "F":
        family = pools.feminine_surname(family_origin, family)
    if dob is None:
        given, middle = UNBORN_GIVEN_NAME, ""
    else:
        birth_year = dob.year
        given = pools.given_name(rng, given_origin, name_sex, birth_year)
        for _ in range(8):
            if ascii_fold(given) not in avoid_given:
                break
            given = pools.given_name(rng, given_origin, name_sex, birth_year)
        middle = pools.middle_names(rng, given_origin, name_sex, birth_year, given)
        short = pools.known_as(rng, given, middle)
        if short:
            other_names.append(OtherName(KNOWN_AS, short, ""))
        if previous is None:
            previous = _previous_family_name(rng, family_origin, name_sex, age or 0)
        if previous and previous != family:
            other_names.append(OtherName(PREVIOUS_FAMILY_NAME, "", previous))
        if rng.random() < 0.2 if fold is None else fold:  # records often lose diacritics
            given, middle, family = ascii_fold(given), ascii_fold(middle), ascii_fold(family)
            other_names = [
                OtherName(n.kind, ascii_fold(n.given_name), ascii_fold(n.family_name))
                for n in other_names
            ]

    if language is None:
        language = _first_language(rng, given_origin, code, age)
    if religion is None:
        religion = _religion(rng, given_origin, age)
    interpreter = language != "English" and rng.random() < (0.45 if (age or 0) >= 18 else 0.1)
    return PersonSpec(
        given_name=given,
        middle_names=middle,
        family_name=family,
        other_names=tuple(other_names),
        sex=sex,
        gender_identity=gender,
        date_of_birth=dob,
        expected_date_of_birth=expected,
        ethnicity=recorded_ethnicity(rng, code),
        first_language=language,
        interpreter_required=interpreter,
        religion=religion,
        address=address,
        name_origin=given_origin.key,
    )


def _previous_family_name(rng: random.Random, origin: pools.Origin, sex: str, age: int) -> str:
    if sex == "F":
        if rng.random() < _married_share(age) * origin.takes_married_name:
            maiden_origin = origin if rng.random() < 0.85 else pools.ORIGINS["british"]
            return pools.family_name(rng, maiden_origin, "F")
    elif age >= 20 and rng.random() < 0.005:
        return pools.family_name(rng, origin, "M")
    if age < 18 and rng.random() < 0.02:  # a change of name: adoption, a step-parent
        return pools.family_name(rng, origin, sex)
    return ""


def _first_language(rng: random.Random, origin: pools.Origin, code: str, age: int | None) -> str:
    if code in MIXED_PARENTS and rng.random() < 0.85:
        return "English"
    if age is None or age < 18:
        english = origin.english_child
    else:
        english = origin.english_child * (0.7 if age < 45 else 0.4)
    return "English" if rng.random() < english else origin.languages.pick(rng)


def _religion(rng: random.Random, origin: pools.Origin, age: int | None) -> str:
    if age is not None and age >= 65 and origin.religions_older is not None:
        return origin.religions_older.pick(rng)
    return origin.religions.pick(rng)


def _address(rng: random.Random, area: CouncilArea, age: int) -> AddressSpec:
    if age >= 75 and rng.random() < (0.12 if age >= 85 else 0.04):
        return area.care_home(rng)
    return area.address(rng)


def person(
    rng: random.Random,
    today: dt.date,
    *,
    service: str = "adults",
    area: CouncilArea | None = None,
) -> PersonSpec:
    """Someone known to children's or adults' services on `today`."""
    if service not in SERVICES:
        raise ValueError(f"Unknown service {service!r}: use children or adults.")
    area = area or default_area()
    code = ethnicity(rng)
    origins = origins_for(rng, code)
    expected = None
    if service == "children":
        if rng.random() < _UNBORN_SHARE:
            expected = today + dt.timedelta(days=rng.randint(14, 250))
            return build_person(
                rng, today, sex="U", dob=None, expected=expected, code=code, origins=origins,
                address=area.address(rng),
            )  # fmt: skip
        age = _CHILD_AGES.pick(rng)
    else:
        age = _ADULT_AGES.pick(rng)
    sex = "F" if rng.random() < _female_share(age) else "M"
    dob = dob_for_age(rng, today, age)
    return build_person(
        rng, today, sex=sex, dob=dob, code=code, origins=origins, address=_address(rng, area, age)
    )


def people(
    count: int,
    rng: random.Random,
    today: dt.date,
    *,
    service: str | None = None,
    area: CouncilArea | None = None,
    children_share: float = 0.45,
) -> Iterator[PersonSpec]:
    """`count` people; with no `service`, children and adults mixed by `children_share`."""
    area = area or default_area()
    for _ in range(count):
        which = service or ("children" if rng.random() < children_share else "adults")
        yield person(rng, today, service=which, area=area)
