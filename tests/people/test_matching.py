"""Fuzzy person search and duplicate detection (pure functions, synthetic people)."""

import csv
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.people.matching import (
    DUPLICATE_KEY_PREFIXES,
    DUPLICATE_MIN_SCORE,
    KEY_MAX_LENGTH,
    NICKNAMES_FILE,
    Candidate,
    ParsedQuery,
    duplicate_score,
    duplicate_score_ceiling,
    fold,
    given_name_forms,
    name_tokens,
    parse_query,
    person_search_keys,
    phonetic,
    query_key_tiers,
    query_keys,
    score,
)


def person(given: str, family: str, born: date | None = None, *postcodes: str) -> Candidate:
    return Candidate(tuple(given.split(",")), tuple(family.split(",")), born, postcodes)


def shared_keys(text: str, candidate: Candidate) -> set[str]:
    return person_search_keys(candidate) & set().union(*query_keys(parse_query(text)))


# --- Folding and tokens ---


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("O'Brien", "obrien"),
        ("O’Neill", "oneill"),
        ("Zoë Núñez", "zoe nunez"),
        ("  Mary   Jane ", "mary jane"),
        ("Smith–Jones", "smith-jones"),
        ("Smith - Jones", "smith jones"),
        ("Łukasz Øster", "lukasz oster"),
        ("STRAßE", "strasse"),
        ("Ann-Marie 2nd", "ann-marie nd"),
        ("", ""),
    ],
)
def test_fold(name, folded):
    assert fold(name) == folded


def test_hyphenated_names_give_the_joined_form_and_each_part():
    assert name_tokens("Smith-Jones") == ["smithjones", "smith", "jones"]
    assert name_tokens("Mary Jane", "O'Brien", "mary") == ["mary", "jane", "obrien"]


def test_phonetic_codes():
    assert phonetic("smith") == phonetic("smyth")
    assert phonetic("catherine") == phonetic("katherine")
    assert phonetic("mohammed") == phonetic("muhammad") == phonetic("mohamed")
    assert phonetic("") == ""


# --- Nicknames ---


def test_the_nickname_file_has_a_few_hundred_lower_case_pairs():
    with NICKNAMES_FILE.open(newline="", encoding="utf-8") as rows:
        pairs = [(row["formal"], row["nickname"]) for row in csv.DictReader(rows)]
    assert len(pairs) >= 300
    assert len(set(pairs)) == len(pairs)
    assert all(a.isalpha() and a.islower() and b.isalpha() and b.islower() for a, b in pairs)


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("bob", {"bob", "robert", "rob", "bobby", "robbie"}),
        ("Robert", {"bob", "rob", "robbie", "bobby"}),
        ("liam", {"william", "bill", "will", "billy"}),
        ("peggy", {"margaret", "maggie", "meg"}),
        ("sam", {"samuel", "samantha", "sammy"}),
        ("kate", {"katherine", "catherine", "katie", "cathy", "kathy"}),
    ],
)
def test_given_name_forms(name, forms):
    assert forms <= given_name_forms(name)


def test_a_name_with_no_short_forms_is_only_itself():
    assert given_name_forms("zebedee") == {"zebedee"}
    assert given_name_forms("") == frozenset()


with NICKNAMES_FILE.open(newline="", encoding="utf-8") as _rows:
    KNOWN_NAMES = sorted({name for row in csv.DictReader(_rows) for name in row.values()})


@given(st.sampled_from(KNOWN_NAMES), st.sampled_from(KNOWN_NAMES))
def test_being_a_form_of_a_name_works_both_ways(first, second):
    assert (first in given_name_forms(second)) == (second in given_name_forms(first))


# --- Parsing what is typed into the search box ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("John Smith", ParsedQuery(names=("john", "smith"))),
        ("O'Brien, Mary-Jane", ParsedQuery(names=("obrien", "mary-jane"))),
        ("Smith 03/03/2015", ParsedQuery(("smith",), date(2015, 3, 3), 2015)),
        ("Smith 3/3/2015", ParsedQuery(("smith",), date(2015, 3, 3), 2015)),
        ("Smith 03-03-2015", ParsedQuery(("smith",), date(2015, 3, 3), 2015)),
        ("Smith 2015-03-04", ParsedQuery(("smith",), date(2015, 3, 4), 2015)),
        ("Smith 3 March 2015", ParsedQuery(("smith",), date(2015, 3, 3), 2015)),
        ("Smith 3 Mar 2015", ParsedQuery(("smith",), date(2015, 3, 3), 2015)),
        ("Smith 21st Sept 2015", ParsedQuery(("smith",), date(2015, 9, 21), 2015)),
        ("May Smith 1 May 1990", ParsedQuery(("may", "smith"), date(1990, 5, 1), 1990)),
        ("Smith 2015", ParsedQuery(("smith",), year_of_birth=2015)),
        ("Smith LS6 1AA", ParsedQuery(("smith",), postcode="LS6 1AA", outcode="LS6")),
        ("smith ls61aa", ParsedQuery(("smith",), postcode="LS6 1AA", outcode="LS6")),
        ("Smith LS6", ParsedQuery(("smith",), outcode="LS6")),
        ("Smith m1", ParsedQuery(("smith",), outcode="M1")),
        ("Smith SW1A", ParsedQuery(("smith",), outcode="SW1A")),
        ("943 476 5919", ParsedQuery(nhs_number="9434765919")),
        ("9434765919 Smith", ParsedQuery(("smith",), nhs_number="9434765919")),
        ("b801200005001", ParsedQuery(upn="B801200005001")),
        ("1234567", ParsedQuery(la_number=1234567)),
        ("100234", ParsedQuery(la_number=100234)),
        ("9434765918", ParsedQuery(other_id="9434765918")),
        ("AB123456C", ParsedQuery(other_id="AB123456C")),
        ("31/02/2015", ParsedQuery(other_id="31/02/2015")),
        ("", ParsedQuery()),
    ],
)
def test_parse_query(text, expected):
    assert parse_query(text) == expected


def test_everything_at_once():
    query = parse_query("Jonh Smiht 3 March 2015 LS6 1AA 943 476 5919")
    assert query.names == ("jonh", "smiht")
    assert query.date_of_birth == date(2015, 3, 3)
    assert (query.postcode, query.outcode) == ("LS6 1AA", "LS6")
    assert query.nhs_number == "9434765919"


def test_a_letter_word_is_a_name_not_a_postcode_area():
    # outcode shapes always have a digit; "Lee" is a name
    assert parse_query("Lee").names == ("lee",)
    assert parse_query("Lee").outcode == ""


# --- Search: what a social worker might type, and whom it should find ---

JOHN = person("John", "Smith", date(2015, 3, 3), "LS6 1AA")
ROBERT = person("Robert", "Smith", date(1980, 6, 1), "M1 1AE")
MUHAMMAD = person("Muhammad", "Khan", date(2012, 1, 9), "BD3 9AA")
CATHERINE = person("Catherine", "Jones", date(1990, 12, 25), "LS7 2AB")
AMY = person("Amy", "Smith-Jones", date(2010, 4, 1), "LS11 5AA")
SMYTH = person("Anna", "Smyth", date(2001, 2, 2))
MARRIED = person("Amy", "Walker,Brown", date(1985, 7, 7))

SEARCHES = [
    ("Jonh Smiht", JOHN, "Given name is spelt similarly to 'John'"),
    ("Smith John", JOHN, "Names entered the other way round"),
    ("smith, john 2015", JOHN, "Year of birth matches"),
    ("John Smith 03/03/2015 LS6", JOHN, "Same postcode area (LS6)"),
    ("Bob Smith", ROBERT, "Given name 'Bob' is a short form of 'Robert'"),
    ("Robbie Smith 1980", ROBERT, "Given name 'Robbie' is a short form of 'Robert'"),
    ("Mohammed Khan", MUHAMMAD, "Given name sounds like 'Muhammad'"),
    ("Mohamed Khan 2012", MUHAMMAD, "Given name sounds like 'Muhammad'"),
    ("Katherine Jones", CATHERINE, "Given name sounds like 'Catherine'"),
    ("Kate Jones", CATHERINE, "Given name 'Kate' is a short form of 'Catherine'"),
    ("Jones", AMY, "Family name 'Smith-Jones' includes 'Jones'"),
    ("Smith Jones", AMY, "Family name matches"),
    ("Amy Smith-Jones", AMY, "Family name matches"),
    ("Amy Smithjones", AMY, "Family name matches"),
    ("Anna Smith", SMYTH, "Family name sounds like 'Smyth'"),
    ("Amy Brown", MARRIED, "Previous name 'Brown' matches"),
]


@pytest.mark.parametrize(("text", "candidate", "reason"), SEARCHES)
def test_search_finds_and_explains(text, candidate, reason):
    match = score(parse_query(text), candidate)
    assert match.score >= 75, match
    assert reason in match.reasons


@pytest.mark.parametrize(("text", "candidate", "reason"), SEARCHES)
def test_the_search_keys_of_the_person_sought_are_asked_for(text, candidate, reason):
    assert shared_keys(text, candidate)


@pytest.mark.parametrize(
    ("text", "candidate"),
    [
        ("Bob", ROBERT),
        ("Robbie", ROBERT),
        ("Mohamed", MUHAMMAD),
        ("Katherine", CATHERINE),
        ("Jonh", JOHN),
        ("Smiht", JOHN),
        ("Jones", AMY),
        ("Brown", MARRIED),
    ],
)
def test_one_name_alone_still_shares_a_key(text, candidate):
    assert shared_keys(text, candidate)


def test_a_name_with_the_year_or_area_is_found_in_the_first_tier():
    first_tier = query_keys(parse_query("Bob 1980"))[0]
    assert person_search_keys(ROBERT) & first_tier
    first_tier = query_keys(parse_query("Smith LS6"))[0]
    assert person_search_keys(JOHN) & first_tier
    assert not person_search_keys(ROBERT) & first_tier


def test_tiers_run_from_selective_to_names_alone():
    tiers = query_keys(parse_query("Smith 03/03/2015 LS6 1AA"))
    assert len(tiers) == 3
    assert all(key.startswith(("py:", "pd:", "po:")) for key in tiers[0])
    assert tiers[1] == {"d:2015-03-03", "pc:LS6 1AA"}
    assert all(key.startswith(("p:", "s:", "f3:")) for key in tiers[2])
    assert query_keys(parse_query("LS6 1AA")) == [{"pc:LS6 1AA"}]
    assert query_keys(ParsedQuery()) == []


@pytest.mark.parametrize(
    "text",
    ["John Smith", "Smith John", "Jonh Smith", "Johnny Smyth", "Jon Smiht 2015", "Smith, John LS6"],
)
def test_both_names_are_found_as_a_pair_before_names_alone(text):
    tiers = query_key_tiers(parse_query(text))
    pairs = [tier for tier in tiers if any(key.startswith(("nn:", "ns:")) for key in tier.keys)]
    assert len(pairs) == 1
    assert not pairs[0].broad
    assert person_search_keys(JOHN) & pairs[0].keys
    assert tiers.index(pairs[0]) < len(tiers) - 1
    assert tiers[-1].broad
    assert not person_search_keys(CATHERINE) & pairs[0].keys


def test_one_name_has_no_pair_tier_and_names_alone_are_the_broad_tier():
    tiers = query_key_tiers(parse_query("Smith 1980"))
    assert [tier.broad for tier in tiers] == [False, True]
    assert not any(key.startswith(("nn:", "ns:")) for tier in tiers for key in tier.keys)


def test_keys_are_short_and_few():
    busy = Candidate(
        ("Elizabeth", "Margaret Anne", "Beth"),
        ("Smith-Jones", "Fitzgerald-Ashworth"),
        date(1975, 11, 30),
        ("LS6 1AA", "M1 1AE", "BD3 9AA", "S10 2TN"),
    )
    keys = person_search_keys(busy)
    assert len(keys) <= 65
    assert len(person_search_keys(AMY)) <= 30
    assert all(len(key) <= KEY_MAX_LENGTH for key in keys)
    assert {"d:1975-11-30", "pc:LS6 1AA", "f3:eli"} <= keys


def test_an_exact_match_ranks_above_typos_and_others():
    query = parse_query("John Smith 03/03/2015")
    exact = score(query, JOHN).score
    typo = score(query, person("Jonh", "Smith", date(2015, 3, 3))).score
    other_date = score(query, person("John", "Smith", date(1971, 8, 20))).score
    brother = score(query, person("Jack", "Smith", date(2017, 5, 5))).score
    stranger = score(query, person("Priya", "Patel", date(1999, 1, 1))).score
    assert exact == 100.0
    assert exact > typo > other_date > brother > stranger
    assert stranger < 30


def test_a_contradicting_date_of_birth_costs_more_than_a_missing_one():
    query = parse_query("John Smith 03/03/2015")
    missing = score(query, person("John", "Smith")).score
    wrong = score(query, person("John", "Smith", date(1960, 10, 10))).score
    assert missing > wrong
    assert (
        "Date of birth is different"
        in score(query, person("John", "Smith", date(1960, 10, 10))).reasons
    )


def test_unmatched_words_are_reported():
    match = score(parse_query("John Brown"), JOHN)
    assert "No name matches 'Brown'" in match.reasons
    assert match.score < 50


def test_previous_postcodes_and_areas():
    moved = person("John", "Smith", None, "M1 1AE", "LS6 1AA")
    assert "Previous postcode matches" in score(parse_query("Smith LS6 1AA"), moved).reasons
    assert "Same postcode area (LS6)" in score(parse_query("Smith LS6 3BB"), JOHN).reasons


# --- Duplicates ---


SAME_PEOPLE = pytest.mark.parametrize(
    ("a", "b"),
    [
        (JOHN, person("Jonh", "Smith", date(2015, 3, 3), "LS6 1AA")),
        (JOHN, person("John", "Smiht", date(2015, 3, 3))),
        (JOHN, person("Jhon", "Smith", date(2015, 3, 3), "M1 1AE")),
        (ROBERT, person("Bob", "Smith", date(1980, 6, 1))),
        (CATHERINE, person("Katherine", "Jones", date(1990, 12, 25), "LS7 2AB")),
        (MUHAMMAD, person("Mohammed", "Khan", date(2012, 1, 9))),
        (JOHN, person("Smith", "John", date(2015, 3, 3), "LS6 1AA")),
        (AMY, person("Amy", "Smith Jones", date(2010, 4, 1))),
    ],
)


@SAME_PEOPLE
def test_the_same_person_recorded_twice_scores_at_least_85(a, b):
    match = duplicate_score(a, b)
    assert match.score >= 85, match


@SAME_PEOPLE
def test_records_of_the_same_person_share_a_key_the_duplicate_report_compares(a, b):
    shared = person_search_keys(a) & person_search_keys(b)
    assert any(key.startswith(DUPLICATE_KEY_PREFIXES) for key in shared)


def test_a_typing_slip_in_the_date_of_birth_still_looks_like_the_same_person():
    swapped = duplicate_score(JOHN, person("John", "Smith", date(2015, 3, 3)))
    day_month = duplicate_score(
        person("Ann", "Lee", date(2015, 3, 4)), person("Ann", "Lee", date(2015, 4, 3))
    )
    one_digit = duplicate_score(JOHN, person("John", "Smith", date(2015, 3, 8)))
    assert "Date of birth matches with the day and month swapped" in day_month.reasons
    assert "Date of birth differs by one digit" in one_digit.reasons
    assert swapped.score > day_month.score >= 80
    assert one_digit.score >= 80


def test_siblings_score_clearly_lower():
    jack = person("Jack", "Smith", date(2015, 3, 3), "LS6 1AA")
    emily = person("Emily", "Smith", date(2017, 8, 9), "LS6 1AA")
    match = duplicate_score(jack, emily)
    assert match.score < 60
    assert "Given names are different" in match.reasons


@pytest.mark.parametrize(
    ("first", "second"), [("Jack", "Emily"), ("James", "Jack"), ("Amir", "Ali")]
)
def test_twins_score_lower_than_the_same_person(first, second):
    a = person(first, "Smith", date(2015, 3, 3), "LS6 1AA")
    b = person(second, "Smith", date(2015, 3, 3), "LS6 1AA")
    twins = duplicate_score(a, b).score
    assert twins < 70
    assert twins < duplicate_score(a, person(first, "Smiht", date(2015, 3, 3))).score


def test_the_other_way_round_is_named():
    match = duplicate_score(JOHN, person("Smith", "John", date(2015, 3, 3)))
    assert "Names recorded the other way round" in match.reasons


# --- Properties ---

NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyzAEIOU-' é", max_size=14)
CANDIDATES = st.builds(
    Candidate,
    st.lists(NAME, max_size=3).map(tuple),
    st.lists(NAME, max_size=2).map(tuple),
    st.none() | st.dates(date(1900, 1, 1), date(2030, 12, 31)),
    st.lists(st.sampled_from(["LS6 1AA", "LS6 2BB", "M1 1AE", "nonsense"]), max_size=2).map(tuple),
)


@given(st.text(max_size=60), CANDIDATES)
def test_a_search_score_is_between_0_and_100(text, candidate):
    match = score(parse_query(text), candidate)
    assert 0 <= match.score <= 100
    assert all(isinstance(reason, str) and reason for reason in match.reasons)


@given(CANDIDATES, CANDIDATES)
def test_duplicate_scores_are_symmetric_and_bounded(a, b):
    forwards = duplicate_score(a, b).score
    assert 0 <= forwards <= 100
    assert forwards == duplicate_score(b, a).score


@given(CANDIDATES, CANDIDATES)
def test_a_duplicate_score_never_exceeds_its_ceiling(a, b):
    assert duplicate_score(a, b).score <= duplicate_score_ceiling(a, b)


def test_people_born_on_different_days_cannot_reach_the_duplicate_minimum():
    twin = person("John", "Smith", date(2015, 3, 3), "LS6 1AA")
    assert duplicate_score_ceiling(twin, person("John", "Smith", date(2016, 8, 20))) < (
        DUPLICATE_MIN_SCORE
    )
    # a swapped day and month, a one-digit slip, or no date: still scored
    for born in (date(2015, 3, 3), date(2015, 3, 8), None):
        assert duplicate_score_ceiling(twin, person("John", "Smith", born)) >= DUPLICATE_MIN_SCORE


@given(CANDIDATES)
def test_keys_are_never_too_long(candidate):
    assert all(0 < len(key) <= KEY_MAX_LENGTH for key in person_search_keys(candidate))
