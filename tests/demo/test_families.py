"""Families, identifiers and near-duplicates from the synthetic generator (no database)."""

import datetime as dt
import functools
import random
from collections import Counter

import pytest

from kith.demo import synthetic
from kith.demo.synthetic.duplicates import (
    DUPLICATE_KINDS,
    family_name_typo,
    near_duplicate,
    near_duplicates,
)
from kith.demo.synthetic.families import (
    DISABILITY_CODES,
    FamilyContext,
    FamilySpec,
    Member,
    adult_family,
    child_family,
)
from kith.demo.synthetic.numbers import IdentifierIssuer, nhs_check_digit
from kith.people import identifiers
from kith.people.matching import DUPLICATE_MIN_SCORE, Candidate, duplicate_score
from kith.people.services import INVERSE, PARENTAL_RESPONSIBILITY_KINDS

TODAY = dt.date(2026, 11, 2)
CIN_DISABILITY = {"NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON",
                  "AUT", "DDA"}  # fmt: skip


@functools.cache
def _context(seed: int = 3) -> FamilyContext:
    return FamilyContext.for_area(synthetic.synthetic_council("medium", seed).area, seed)


@functools.cache
def _sample(count: int = 1500) -> tuple[FamilySpec, ...]:
    context = _context()
    rng = synthetic.rng_for(3, "families-test")
    return tuple(
        child_family(rng, TODAY, context) if i % 3 else adult_family(rng, TODAY, context)
        for i in range(count)
    )


def test_families_have_every_kind_of_relationship():
    kinds = Counter(tie.kind for family in _sample() for tie in family.ties)
    for kind in ("parent", "sibling", "half_sibling", "step_parent", "step_sibling",
                 "grandparent", "partner", "former_partner", "carer"):  # fmt: skip
        assert kinds[kind] >= 5, kind
    assert all(kind in INVERSE for kind in kinds)
    roles = Counter(m.role for family in _sample() for m in family.members)
    for role in ("mother", "father", "step_father", "step_mother", "step_child", "grandmother",
                 "grandmother_elsewhere", "absent_father", "absent_mother", "partner",
                 "adult_child"):  # fmt: skip
        assert roles[role], role


def test_ties_are_consistent():
    for family in _sample():
        seen = set()
        carers: Counter[int] = Counter()
        for tie in family.ties:
            assert tie.person != tie.other
            assert 0 <= tie.person < len(family.members)
            assert 0 <= tie.other < len(family.members)
            assert (tie.person, tie.other, tie.kind) not in seen
            seen.add((tie.person, tie.other, tie.kind))
            if tie.parental_responsibility:
                assert tie.kind in PARENTAL_RESPONSIBILITY_KINDS
                assert family.members[tie.other].spec.date_of_birth is not None
            if tie.main_carer and tie.kind in ("parent", "grandparent"):
                carers[tie.other] += 1
            if tie.start_date:
                assert tie.start_date <= TODAY
            person, other = family.members[tie.person].spec, family.members[tie.other].spec
            if tie.kind == "parent":
                # a parent is 16 or more years older (an adult child's parent, much more)
                if other.date_of_birth and person.date_of_birth:
                    assert (other.date_of_birth - person.date_of_birth).days >= 15 * 365
                if person.sex == "F" and other.date_of_birth and (other.age_on(TODAY) or 0) < 18:
                    assert tie.parental_responsibility  # a birth mother has it
        assert all(count == 1 for count in carers.values())
        assert family.subjects


def test_half_and_step_siblings_follow_their_parents():
    for family in _sample():
        parents: dict[int, set[int]] = {}
        for tie in family.ties:
            if tie.kind == "parent":
                parents.setdefault(tie.other, set()).add(tie.person)
        for tie in family.ties:
            mine, theirs = parents.get(tie.person, set()), parents.get(tie.other, set())
            if tie.kind == "half_sibling":
                assert mine & theirs
            if tie.kind == "step_sibling":
                assert not mine & theirs


def test_twins_share_a_birthday_and_differ_in_name():
    rng = random.Random(4)
    for _ in range(50):
        family = child_family(rng, TODAY, _context(), twins=True)
        twins = family.twins()
        born = [m for m in family.members if m.role == "child" and m.spec.date_of_birth]
        assert twins or not born  # (a family whose only child is not born yet has none)
        for a, b in twins:
            first, second = family.members[a].spec, family.members[b].spec
            assert first.date_of_birth == second.date_of_birth
            names = [
                {n.casefold() for n in (spec.given_name, *spec.middle_names.split())}
                for spec in (first, second)
            ]
            assert not names[0] & names[1]  # no name in common, middle names included


def test_households_and_addresses_have_dates_in_order():
    for family in _sample():
        for home in family.homes:
            assert home.stays
            for stay in home.stays:
                assert stay.start_date <= TODAY
                assert stay.end_date is None or stay.start_date < stay.end_date < TODAY
        for member in family.members:
            starts = [a.start_date for a in member.addresses]
            assert starts == sorted(set(starts))
            if member.spec.date_of_birth:
                assert starts[0] >= member.spec.date_of_birth
                assert starts[-1] <= TODAY
            assert all(
                synthetic.is_valid_postcode_format(a.address.postcode) for a in member.addresses
            )
    moved = sum(len(m.addresses) > 1 for f in _sample() for m in f.members)
    assert moved > 100


def test_records_hold_valid_codes_identifiers_and_contacts():
    members = [m for family in _sample() for m in family.members]
    nhs = [m.nhs_number for m in members if m.nhs_number]
    upns = [m.upn for m in members if m.upn]
    assert len(set(nhs)) == len(nhs) > len(members) * 0.8
    assert len(set(upns)) == len(upns) > 100
    assert all(identifiers.nhs_number_valid(n) and n.startswith("999") for n in nhs)
    assert all(identifiers.upn_valid(u) for u in upns)
    for member in members:
        assert set(member.disabilities) <= CIN_DISABILITY
        if member.upn:
            assert 4 <= (member.spec.age_on(TODAY) or 0) < 18
        if member.spec.date_of_birth is None:
            assert not member.nhs_number
            assert not member.upn
    assert 0.2 < sum(bool(m.legacy_id) for m in members) / len(members) < 0.4
    assert 0 < sum(bool(m.alert) for m in members) < len(members) * 0.05
    assert sum(bool(m.disabilities) for m in members) > 100
    assert sum(bool(m.communication_needs) for m in members) > 50
    kinds = Counter(kind for m in members for kind, _ in m.contacts)
    assert kinds["mobile"]
    assert kinds["phone"]
    assert kinds["email"]
    roles = Counter(p.role for m in members for p in m.professionals)
    assert roles["gp"]
    assert roles["school"]
    assert roles["health_visitor"]
    assert roles["midwife"]
    assert set(DISABILITY_CODES.items) <= CIN_DISABILITY


def test_the_issuer_hands_out_each_number_once():
    issuer = IdentifierIssuer(1)
    numbers = [issuer.nhs_number() for _ in range(20_000)]
    assert len(set(numbers)) == len(numbers)
    assert all(identifiers.nhs_number_valid(n) and n[:3] == "999" for n in numbers)
    upns = [issuer.upn("2001", 2019) for _ in range(1500)]  # more than 999 in one school year
    assert len(set(upns)) == len(upns)
    assert all(identifiers.upn_valid(u) for u in upns)
    legacy = [issuer.legacy_id() for _ in range(5000)]
    assert len(set(legacy)) == len(legacy)
    # and the same seed gives the same numbers
    assert IdentifierIssuer(1).nhs_number() == numbers[0]


@pytest.mark.parametrize(
    ("first_nine", "check"), [("943476591", 9), ("401023213", 7), ("999000000", None)]
)
def test_nhs_check_digit(first_nine, check):
    assert nhs_check_digit(first_nine) == check
    if check is not None:
        assert identifiers.nhs_number_valid(f"{first_nine}{check}")


def test_family_name_typos_are_one_slip_after_the_first_letter():
    rng = random.Random(1)
    for name in ("Smith", "Kowalski", "Okonkwo", "Patel", "O'Brien", "Thompson"):
        for _ in range(20):
            typo = family_name_typo(rng, name)
            assert typo
            assert typo != name
            assert typo[0] == name[0]
            assert len(typo) == len(name)
            assert sum(a != b for a, b in zip(typo, name, strict=True)) <= 2
    assert family_name_typo(rng, "Ali") is None


def test_near_duplicates_change_one_thing():
    rng = random.Random(2)
    members = [m for f in _sample()[:300] for m in f.members if m.spec.date_of_birth]
    made: Counter[str] = Counter()
    for member in members[:200]:
        second = near_duplicates(rng, member, TODAY, _context().area, made=made)
        assert second is not None
        made[second.kind] += 1
        spec = member.spec
        changed = {
            "given": second.given_name != spec.given_name,
            "family": second.family_name != spec.family_name,
            "born": second.date_of_birth != spec.date_of_birth,
            "address": second.address != member.address,
        }
        expected = {
            "family_name_typo": {"family"},
            "nickname": {"given"},
            "names_swapped": {"given", "family"},
            "day_month_swapped": {"born"},
            "old_address": {"address"},
        }[second.kind]
        assert {k for k, v in changed.items() if v} == expected, second
    # kinds are made in turn
    assert set(made) == set(DUPLICATE_KINDS)
    # a kind that cannot apply gives None
    assert near_duplicate(rng, members[0], "nickname", TODAY, _context().area, nicknames={}) is None


def test_twins_are_not_taken_for_one_person_by_the_duplicate_check():
    # Given many families, each with twins
    rng = random.Random(6)
    pairs = 0
    for _ in range(600):
        family = child_family(rng, TODAY, _context(), twins=rng.random() < 0.5)
        for a, b in family.twins():
            pairs += 1
            first, second = (_candidate(family.members[i]) for i in (a, b))
            # Then the duplicate report's score stays below its threshold: their names are
            # plainly different (no shared name, short form or near-spelling)
            assert duplicate_score(first, second).score < DUPLICATE_MIN_SCORE, (a, b)
    assert pairs > 200


def _candidate(member: Member) -> Candidate:
    spec = member.spec
    return Candidate(
        given_names=tuple(n for n in (spec.given_name, spec.middle_names, spec.known_as) if n),
        family_names=(spec.family_name, *member.previous_family_names),
        date_of_birth=spec.date_of_birth,
        postcodes=(member.address.postcode,),
    )
