"""The synthetic council generator: deterministic, realistic in shape, valid in format."""

import csv
import datetime as dt
import hashlib
import itertools
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.demo import synthetic
from kith.demo.synthetic import (
    BIRTH_PARENTS,
    ETHNICITY_CODES,
    GENDER_IDENTITIES,
    GRANDPARENTS,
    ROLES,
    SERVICE_AREAS,
    STEP_PARENTS,
    age_on,
    all_teams,
    council_area,
    family,
    is_valid_postcode_format,
    organisation_blueprint,
    people,
    person,
    rng_for,
    synthetic_council,
    worker,
    workers_for,
)
from kith.demo.synthetic._util import dob_for_age
from kith.demo.synthetic.places import (
    INWARD_LETTERS,
    council_upper_tier,
    postcode_districts,
    postcodes_elsewhere,
)

TODAY = dt.date(2025, 6, 1)
LEAP_DAY = dt.date(2024, 2, 29)
REPO = Path(__file__).resolve().parents[2]


def _born(person) -> dt.date:
    assert person.date_of_birth is not None
    return person.date_of_birth


def _date(person) -> dt.date:
    """A child's date of birth, or due date if unborn."""
    date = person.date_of_birth or person.expected_date_of_birth
    assert date is not None
    return date


def _fingerprint(seed: int, size: str = "small") -> str:
    council = synthetic_council(size, seed)
    persons = list(people(300, rng_for(seed, "people"), TODAY, area=council.area))
    homes = [family(rng_for(seed, f"family-{i}"), TODAY, area=council.area) for i in range(30)]
    return hashlib.sha256(repr((council, persons, homes)).encode()).hexdigest()


# Determinism ------------------------------------------------------------------------------------


def test_same_seed_and_size_give_identical_output():
    # Given a seed and a size
    # When the council, people and households are generated twice
    first, second = _fingerprint(7), _fingerprint(7)
    # Then the output is the same, to the byte
    assert first == second
    assert synthetic_council("medium", 3) == synthetic_council("medium", 3)


def test_different_seeds_give_different_output():
    # Given two seeds
    # When each generates a council and people
    # Then they differ
    assert _fingerprint(1) != _fingerprint(2)
    one = synthetic_council("small", 1)
    two = synthetic_council("small", 2)
    assert [w.username for w in one.workers] != [w.username for w in two.workers]


def test_output_does_not_depend_on_hash_randomisation_or_global_random():
    # Given the fingerprint of seed 5 in this process
    expected = _fingerprint(5)
    # When other processes with other hash seeds (and a disturbed global random) generate it
    code = (
        "import random; random.seed(99); random.random();"
        "from tests.demo.test_synthetic import _fingerprint; print(_fingerprint(5))"
    )
    results = set()
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        results.add(done.stdout.strip())
    # Then every process gets the same output
    assert results == {expected}


def test_generating_people_leaves_global_random_state_alone():
    # Given the global random state
    state = random.getstate()
    # When a council and people are generated
    synthetic_council("small", 1)
    list(people(200, random.Random(1), TODAY))
    # Then the global state has not moved
    assert random.getstate() == state


# Postcodes and addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode",
    ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "GIR 0AA"],
)
def test_real_postcode_formats_are_valid(postcode):
    # Given postcodes of every outward format (A9, A99, AA9, AA99, A9A, AA9A)
    # Then each is valid
    assert is_valid_postcode_format(postcode)


@pytest.mark.parametrize(
    "postcode",
    [
        "",
        "sw1a 1aa",  # lower case
        "SW1A1AA",  # no space
        "SW1A  1AA",  # two spaces
        " SW1A 1AA",
        "QA1 1AA",  # Q never first
        "AI1 1AA",  # I never second
        "AZ1 1AA",  # Z never second
        "A1I 1AA",  # I not allowed third in A9A
        "AA1C 1AA",  # C not allowed fourth in AA9A
        "KX12 3CA",  # C never in the inward letters
        "KX12 3AM",  # nor M
        "KX123 1AA",
        "KX12 AAA",
        "12AB 1AA",
    ],
)
def test_malformed_postcodes_are_invalid(postcode):
    # Given a postcode that breaks a format rule
    # Then it is invalid
    assert not is_valid_postcode_format(postcode)


_FIRST = "ABCDEFGHIJKLMNOPRSTUWYZ"
_SECOND = "ABCDEFGHKLMNOPQRSTUVWXY"
_OUTWARDS = st.one_of(
    st.builds("{}{}".format, st.sampled_from(_FIRST), st.integers(0, 99)),
    st.builds(
        "{}{}{}".format, st.sampled_from(_FIRST), st.sampled_from(_SECOND), st.integers(0, 99)
    ),
    st.builds(
        "{}{}{}".format,
        st.sampled_from(_FIRST),
        st.integers(0, 9),
        st.sampled_from("ABCDEFGHJKPSTUW"),
    ),
    st.builds(
        "{}{}{}{}".format,
        st.sampled_from(_FIRST),
        st.sampled_from(_SECOND),
        st.integers(0, 9),
        st.sampled_from("ABEHMNPRVWXY"),
    ),
)
_INWARDS = st.builds(
    "{}{}{}".format,
    st.integers(0, 9),
    st.sampled_from(INWARD_LETTERS),
    st.sampled_from(INWARD_LETTERS),
)


@given(outward=_OUTWARDS, inward=_INWARDS)
def test_any_postcode_built_by_the_rules_is_valid(outward, inward):
    # Given a postcode assembled from the Royal Mail format rules
    # Then it is valid, and the same with lower case or a forbidden inward letter is not
    assert is_valid_postcode_format(f"{outward} {inward}")
    assert not is_valid_postcode_format(f"{outward} {inward}".lower())
    for forbidden in "CIKMOV":
        assert not is_valid_postcode_format(f"{outward} {inward[:2]}{forbidden}")


@given(st.text(max_size=10))
def test_the_validator_never_fails_on_arbitrary_text(text):
    # Given any text
    # Then the validator answers without raising, and only for an upper-case, spaced form
    if is_valid_postcode_format(text):
        assert text == text.upper()
        assert " " in text


@pytest.mark.parametrize("size", ["small", "medium", "county"])
def test_generated_addresses_have_real_postcodes_of_the_councils_area(size):
    # Given an area
    area = council_area(size, random.Random(11))
    rng = random.Random(12)
    # When thousands of addresses are drawn, with every street's postcodes and the care homes
    addresses = [area.address(rng) for _ in range(5000)] + list(area.care_homes)
    postcodes = {a.postcode for a in addresses}
    postcodes |= {p for street in area.streets for p in street.postcodes}
    # Then every postcode is valid and one of the real postcodes of the council's area
    assert all(is_valid_postcode_format(p) for p in postcodes)
    ours = {
        p
        for district in postcode_districts()
        if district.upper_tier == area.upper_tier == council_upper_tier()
        for p in district.postcodes()
    }
    assert postcodes <= ours
    # none of them elsewhere, where children may be placed out of area
    assert not postcodes & set(postcodes_elsewhere())
    # And the area has 12 to 30 postcode districts, each used by one fictional town
    assert 12 <= len(area.outcodes) <= 30
    assert len({o.code for o in area.outcodes}) == len(area.outcodes)
    assert {a.outcode for a in addresses} <= {o.code for o in area.outcodes}
    # and most streets have postcodes of their own
    by_street = [street.postcodes for street in area.streets]
    shared = sum(len(p) for p in by_street) - len({p for ps in by_street for p in ps})
    assert shared < 0.1 * sum(len(p) for p in by_street)


def test_the_postcodes_file_holds_the_councils_postcodes_and_other_areas():
    districts = postcode_districts()
    assert council_upper_tier() == "E10000016"  # Kent, as shipped
    ours = [d for d in districts if d.upper_tier == council_upper_tier()]
    assert len(ours) >= 30  # enough for the county seed's 26 to 30 outcodes
    assert all(len(d.inwards) >= 300 for d in ours)
    elsewhere = postcodes_elsewhere()
    assert len({d.upper_tier for d in districts} - {council_upper_tier()}) >= 5
    assert all(is_valid_postcode_format(p) for p in elsewhere)
    assert all(is_valid_postcode_format(p) for d in ours for p in d.postcodes())


def test_each_address_has_its_own_twelve_digit_uprn():
    # Given an area
    area = council_area("small", random.Random(3))
    rng = random.Random(4)
    # When addresses are drawn
    by_uprn: dict[str, tuple[str, ...]] = {}
    for _ in range(20000):
        address = area.address(rng)
        # Then each UPRN is 12 digits and always names the same address
        assert re.fullmatch(r"\d{12}", address.uprn)
        assert by_uprn.setdefault(address.uprn, address.lines) == address.lines
    # And no two addresses share a UPRN
    assert len(set(by_uprn.values())) == len(by_uprn)
    every = {area.address_at(u).uprn for u in range(area.total_addresses)}
    every |= {home.uprn for home in area.care_homes}
    assert len(every) == area.total_addresses + len(area.care_homes)


def test_addresses_read_like_english_addresses():
    # Given addresses from an area
    area = council_area("medium", random.Random(8))
    rng = random.Random(9)
    addresses = [area.address(rng) for _ in range(3000)]
    # Then each has a street and a town from the area, and a number or a building name
    towns = set(area.towns)
    for address in addresses:
        assert address.street
        assert address.town in towns
        assert address.house_number or address.building
        assert address.lines[-1] == address.postcode
    # And some are flats, some named houses, some in villages
    assert any(a.flat.startswith("Flat ") for a in addresses)
    assert any(a.building and not a.flat for a in addresses)
    assert any(a.locality for a in addresses)


# Organisation -----------------------------------------------------------------------------------

SIZE_TARGETS = {
    "small": ((8, 10), (40, 65)),
    "medium": ((18, 24), (200, 300)),
    "county": ((36, 46), (1500, 3000)),
}


@pytest.mark.parametrize("size", ["small", "medium", "county"])
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_each_size_meets_its_team_and_worker_targets(size, seed):
    # Given a size and a seed
    (min_teams, max_teams), (min_workers, max_workers) = SIZE_TARGETS[size]
    # When its blueprint is generated
    teams = all_teams(organisation_blueprint(size, random.Random(seed)))
    # Then the numbers of teams and workers are within the targets
    assert min_teams <= len(teams) <= max_teams
    assert min_workers <= sum(team.headcount for team in teams) <= max_workers


@pytest.mark.parametrize("size", ["small", "medium", "county"])
def test_every_team_has_exactly_one_team_manager(size):
    # Given blueprints for several seeds
    for seed in range(10):
        # Then every team has one team manager, and only known roles and service areas
        for team in all_teams(organisation_blueprint(size, random.Random(seed))):
            assert team.roles["team_manager"] == 1, team.name
            assert set(team.roles) <= set(ROLES)
            assert all(count >= 0 for count in team.roles.values())
            assert team.service_area in SERVICE_AREAS


@pytest.mark.parametrize("size", ["small", "medium", "county"])
def test_the_council_has_the_services_of_an_english_council(size):
    # Given a council
    council = synthetic_council(size, 1)
    teams = council.teams
    by_area = {area: [t for t in teams if t.service_area == area] for area in SERVICE_AREAS}
    # Then it has children's, adults', finance and commissioning teams
    assert by_area["children"]
    assert by_area["adults"]
    assert by_area["finance"]
    assert by_area["commissioning"]
    # And one systems and information team, of system administrators and auditors
    (systems,) = by_area["corporate"]
    assert systems.name == "Systems and Information Team"
    assert set(systems.roles) == {"team_manager", "system_administrator", "auditor"}
    assert min(systems.roles.values()) >= 1
    # And social work teams are mostly social workers, with seniors and business support
    for team in by_area["children"] + by_area["adults"]:
        assert team.roles["social_worker"] > team.roles["senior_practitioner"]
        assert team.roles["business_support"] >= 1
    # And finance teams have officers and approvers
    for team in by_area["finance"]:
        assert team.roles["finance_officer"] >= 1
        assert team.roles["finance_approver"] >= 1
    # And locality teams are named after the area's districts and their main towns
    localities = [t for t in teams if t.kind == "locality"]
    assert [t.district for t in localities] == [d.name for d in council.area.districts]
    for team, district in zip(localities, council.area.districts, strict=True):
        assert team.name == f"{district.name} Locality Team ({district.main_town})"
    # And team names are unique
    assert len({t.name for t in teams}) == len(teams)


def test_childrens_directorate_has_the_usual_teams_at_county_size():
    # Given a county council
    kinds = {team.kind for team in synthetic_council("county", 1).teams}
    # Then it has the teams of a children's and an adults' directorate, finance and commissioning
    assert {
        "mash", "assessment", "cin", "cp", "cic", "leaving_care", "disabled_children",
        "fostering_recruitment", "fostering_support", "adoption",
        "adult_front_door", "locality", "learning_disability", "amhp", "safeguarding_adults",
        "reablement", "hospital_discharge", "occupational_therapy",
        "financial_assessment", "provider_payments", "direct_payments", "direct_payments_audit",
        "brokerage", "contracts", "systems",
    } <= kinds  # fmt: skip


def test_the_county_blueprint_and_staff_generate_quickly():
    # Given the largest size
    start = time.perf_counter()
    # When its area, blueprint and every worker are generated
    council = synthetic_council("county", 1)
    elapsed = time.perf_counter() - start
    # Then it takes well under a few seconds
    assert len(council.workers) >= 1500
    assert elapsed < 1.5, f"county council took {elapsed:.2f}s"


# Workers ----------------------------------------------------------------------------------------


def test_county_usernames_emails_and_swe_numbers_are_unique():
    # Given a county's staff
    council = synthetic_council("county", 2)
    workers = council.workers
    # Then the headcount matches the blueprint
    assert len(workers) == sum(team.headcount for team in council.teams)
    # And usernames, emails and SWE numbers are unique
    usernames = [w.username for w in workers]
    assert len(set(usernames)) == len(usernames)
    assert len({w.email for w in workers}) == len(workers)
    swe = [w.swe_number for w in workers if w.swe_number]
    assert len(set(swe)) == len(swe)
    assert len(swe) > len(workers) / 3
    # And usernames are firstname.lastname in ASCII, with a number only after a clash
    for w in workers:
        assert re.fullmatch(r"[a-z0-9]+\.[a-z0-9]+", w.username), w.username
        assert w.email == f"{w.username}@kith-council.example"
        assert w.swe_number == "" or re.fullmatch(r"SW\d{6}", w.swe_number)
    assert any(re.search(r"\d$", u) for u in usernames)


def test_only_registered_social_work_staff_have_swe_numbers():
    # Given a county's staff
    workers = synthetic_council("county", 3).workers
    # Then finance, commissioning, systems and business support staff have no SWE number
    for w in workers:
        if w.role not in ("social_worker", "senior_practitioner", "team_manager"):
            assert w.swe_number == "", w
        if w.service_area not in ("children", "adults"):
            assert w.swe_number == "", w
    # And personal advisers and occupational therapists are not registered social workers
    for w in workers:
        if w.job_title in ("Personal Adviser", "Occupational Therapist"):
            assert w.swe_number == ""
        if w.job_title in ("Social Worker", "Approved Mental Health Professional"):
            assert w.swe_number


def test_job_titles_fit_roles():
    # Given a county's staff
    workers = synthetic_council("county", 4).workers
    # Then titles follow roles
    for w in workers:
        if w.role == "team_manager":
            assert "Manager" in w.job_title, w
        if w.role == "business_support":
            assert w.job_title.endswith(("Officer", "Assistant", "Adviser")), w
        if w.role in ("finance_officer", "finance_approver"):
            assert w.service_area == "finance"
        if w.role == "system_administrator":
            assert w.job_title in (
                "Systems Administrator",
                "Application Support Analyst",
                "Systems Support Officer",
            )


def test_worker_handles_username_clashes_and_reserved_names():
    # Given used usernames
    used = {"demo.worker"}
    swe: set[str] = set()
    rng = random.Random(1)
    # When many workers are made with the same sets
    made = [worker(rng, used_usernames=used, used_swe_numbers=swe) for _ in range(3000)]
    # Then none clash and the sets hold them all
    assert len({w.username for w in made}) == len(made)
    assert "demo.worker" not in {w.username for w in made}
    assert {w.username for w in made} <= used
    # And workers_for never gives out a reserved username
    council = synthetic_council("small", 1)
    reserved = {council.workers[0].username}
    again = workers_for(
        list(council.directorates), rng_for(1, "small:workers"), reserved_usernames=reserved
    )
    assert reserved.isdisjoint({w.username for w in again})


# People -----------------------------------------------------------------------------------------


def _ethnicity_codes_from_reference() -> list[str]:
    """The SSDA903 ETHNIC list as Kith ships it (copied from the shared reference)."""
    path = REPO / "kith" / "core" / "data" / "codes" / "ssda903_ethnic.csv"
    with path.open(newline="", encoding="utf-8") as f:
        return [row["code"] for row in csv.DictReader(f)]


def test_ethnicity_codes_are_the_ssda903_code_list():
    # Given the SSDA903 ETHNIC code list
    codes = _ethnicity_codes_from_reference()
    # Then the generator knows exactly those codes
    assert set(ETHNICITY_CODES) == set(codes)


def test_generated_ethnicities_are_all_in_the_code_list_and_diverse():
    # Given many people, and households
    rng = random.Random(21)
    persons = list(people(20000, rng, TODAY))
    persons += [p for _ in range(500) for p in family(rng, TODAY).people]
    codes = [p.ethnicity for p in persons]
    # Then every code is an SSDA903 code
    assert set(codes) <= set(ETHNICITY_CODES)
    # And most are White British, but not all: every code turns up
    share = codes.count("WBRI") / len(codes)
    assert 0.6 < share < 0.85
    assert set(codes) == set(ETHNICITY_CODES)


def test_names_fit_their_traditions_and_keep_diacritics():
    # Given many people
    persons = list(people(20000, random.Random(5), TODAY))
    # Then some names carry diacritics, as Polish, Irish or Vietnamese names do
    assert any(not p.given_name.isascii() or not p.family_name.isascii() for p in persons)
    # And Polish women carry the feminine form of -ski names
    polish_women = [p for p in persons if p.name_origin == "polish" and p.sex == "F"]
    assert polish_women
    assert not any(p.family_name.endswith(("ski", "cki")) for p in polish_women)
    # And older British people have names of their generation, children of theirs
    british = [(p.given_name, p.age_on(TODAY)) for p in persons if p.name_origin == "british"]
    old = {name for name, age in british if age is not None and age >= 85}
    young = {name for name, age in british if age is not None and age < 10}
    assert "Doris" in old or "Margaret" in old
    assert "Doris" not in young


@pytest.mark.parametrize("today", [TODAY, LEAP_DAY, dt.date(2025, 2, 28), dt.date(2025, 3, 1)])
def test_children_are_under_18_and_unborn_children_are_due(today):
    # Given children's services people on a date
    children = list(people(5000, random.Random(3), today, service="children"))
    # Then every child is under 18 on that date
    born = [c for c in children if not c.is_unborn]
    assert all(0 <= age_on(_born(c), today) < 18 for c in born)
    # And unborn children have sex U, a due date and no date of birth
    unborn = [c for c in children if c.is_unborn]
    assert unborn
    for child in unborn:
        assert child.sex == "U"
        assert child.expected_date_of_birth > today
        assert child.gender_identity == "Not known"
    assert {c.sex for c in born} == {"M", "F"}


def test_adults_are_18_to_100_and_mostly_old():
    # Given adults' services people
    adults = list(people(5000, random.Random(4), TODAY, service="adults"))
    ages = [a.age_on(TODAY) for a in adults]
    # Then all are 18 to 100, and most are 65 or over
    assert all(age is not None and 18 <= age <= 100 for age in ages)
    assert sum(age >= 65 for age in ages if age is not None) / len(ages) > 0.55


def test_person_fields_are_complete():
    # Given people of both services
    rng = random.Random(6)
    persons = [person(rng, TODAY, service=s) for s in ("children", "adults") for _ in range(2000)]
    # Then each has names, a known sex and gender identity, a language, religion and address
    for p in persons:
        assert p.given_name
        assert p.family_name
        assert p.sex in ("M", "F", "U")
        assert p.gender_identity in GENDER_IDENTITIES
        assert p.first_language
        assert p.religion
        assert is_valid_postcode_format(p.address.postcode)
    # And some have other names: a known-as or a previous family name
    assert any(p.known_as for p in persons)
    assert any(n.kind == "previous_family_name" for p in persons for n in p.other_names)


def test_person_rejects_an_unknown_service():
    # Given an unknown service
    # Then person refuses it
    with pytest.raises(ValueError, match="Unknown service"):
        person(random.Random(1), TODAY, service="housing")


@given(
    on=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)),
    age=st.integers(0, 110),
    seed=st.integers(0, 2**32),
)
def test_dob_for_age_gives_exactly_that_age(on, age, seed):
    # Given a date and an age
    # When a date of birth is drawn for them
    dob = dob_for_age(random.Random(seed), on, age)
    # Then the person is exactly that age on the date
    assert age_on(dob, on) == age


# Households -------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [TODAY, LEAP_DAY])
def test_family_members_share_an_address_and_plausible_ages(today):
    # Given many households
    rng = random.Random(17)
    for _ in range(3000):
        home = family(rng, today)
        children = home.children
        dates = [_date(c) for c in children]
        # Then there are children, under 18 (or due), sharing one family name
        assert children
        assert all(c.family_name in home.family_name_forms for c in children)
        for child in children:
            if child.is_unborn:
                assert _date(child) > today
            else:
                assert age_on(_born(child), today) < 18
        # And everyone lives at the household's address
        assert all(p.address == home.address for p in home.people)
        # And parents and step-parents are 16 to 50 years older than each child
        for parent in home.with_relationship(*BIRTH_PARENTS, *STEP_PARENTS):
            assert all(16 <= age_on(_born(parent), d) <= 50 for d in dates)
        # And grandparents are at least 32 years older, and alive at 100 at most
        for elder in home.with_relationship(*GRANDPARENTS):
            assert all(age_on(_born(elder), d) >= 32 for d in dates)
            assert age_on(_born(elder), today) <= 100
        # And siblings are twins or at least 11 months apart, without repeating a name
        born = sorted(_born(c) for c in children if not c.is_unborn)
        assert all(b == a or (b - a).days >= 300 for a, b in itertools.pairwise(born))
        names = [synthetic.ascii_fold(c.given_name) for c in children if not c.is_unborn]
        assert len(set(names)) == len(names)


def test_families_take_the_usual_shapes():
    # Given many households
    rng = random.Random(18)
    shapes = [frozenset(m.relationship for m in family(rng, TODAY).members) for _ in range(2000)]
    # Then there are two-parent, lone-parent, step and kinship households
    assert any({"mother", "father"} <= s for s in shapes)
    assert any(s == {"mother", "child"} for s in shapes)
    assert any("step_father" in s for s in shapes)
    assert any(s & {"grandmother", "grandfather"} and not s & {"mother", "father"} for s in shapes)
    # And a mother who took her husband's name has her birth name as a previous family name
    homes = [family(rng, TODAY) for _ in range(500)]
    mothers = [p for h in homes for p in h.with_relationship("mother")]
    assert any(n.kind == "previous_family_name" for m in mothers for n in m.other_names)
