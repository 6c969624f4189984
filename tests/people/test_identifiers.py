"""NHS numbers, UPNs, postcodes and UPRNs: check digits worked by hand, clear messages."""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kith.people.identifiers import (
    looks_like_outcode,
    nhs_number_valid,
    normalise_nhs_number,
    normalise_postcode,
    outcode,
    postcode_valid,
    upn_check_letter,
    upn_valid,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
    validate_uprn,
)


def problem(validate: Callable[[str], str], value: str) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        validate(value)
    return raised.value


# --- NHS numbers ---
# 943 476 5919: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299;
#   299 mod 11 = 2; 11 − 2 = 9, the last digit.
# 401 023 2137: 4×10 + 0 + 1×8 + 0 + 2×6 + 3×5 + 2×4 + 1×3 + 3×2 = 92; 92 mod 11 = 4; 11 − 4 = 7.
# 943 476 590x: the sum is 299 − 1×2 = 297 = 27×11, remainder 0, 11 − 0 = 11 → check digit 0.
# 123 456 789x: 10 + 18 + 24 + 28 + 30 + 30 + 28 + 24 + 18 = 210; 210 mod 11 = 1; 11 − 1 = 10,
#   which no digit can be: no number starting 123456789 is valid.


@pytest.mark.parametrize(
    "value", ["9434765919", "943 476 5919", "943-476-5919", " 4010232137 ", "9434765900"]
)
def test_valid_nhs_numbers_are_accepted_and_normalised(value):
    assert nhs_number_valid(value)
    assert validate_nhs_number(value) == normalise_nhs_number(value)
    assert " " not in validate_nhs_number(value)


@pytest.mark.parametrize(
    "value", ["9434765918", "9434765910", "4010232138", "9434765901", "1234567890", "1234567891"]
)
def test_a_wrong_check_digit_is_rejected(value):
    assert not nhs_number_valid(value)
    error = problem(validate_nhs_number, value)
    assert error.code == "nhs_number_check_digit"
    assert "check" in error.messages[0]


def test_no_check_digit_works_when_the_check_computes_to_10():
    assert not any(nhs_number_valid(f"123456789{digit}") for digit in range(10))


@pytest.mark.parametrize(
    ("value", "says"),
    [("943476591", "this has 9"), ("94347659190", "this has 11"), ("943 476 591", "this has 9")],
)
def test_the_wrong_length_is_named(value, says):
    assert not nhs_number_valid(value)
    error = problem(validate_nhs_number, value)
    assert error.code == "nhs_number_length"
    assert "10 digits" in error.messages[0]
    assert says in error.messages[0]


@pytest.mark.parametrize("value", ["94347659A9", "943.476.5919", "９４３４７６５９１９"])
def test_letters_and_other_characters_are_named(value):
    assert not nhs_number_valid(value)
    assert problem(validate_nhs_number, value).code == "nhs_number_not_digits"


def test_an_empty_nhs_number_asks_for_one():
    assert problem(validate_nhs_number, "  ").code == "nhs_number_empty"


# --- UPNs ---
# Weights 2..13 over characters 2..13; letters count as their place in ABCDEFGHJKLMNPQRTUVWXYZ
# (A=0 ... Z=22); the remainder mod 23 picks the check letter from the same list.
# B801200005001: 8×2 + 0×3 + 1×4 + 2×5 + 0 + 0 + 0 + 0 + 5×10 + 0×11 + 0×12 + 1×13
#   = 16 + 4 + 10 + 50 + 13 = 93; 93 = 4×23 + 1 → B.
# P207000016049: 2×2 + 0 + 7×4 + 0 + 0 + 0 + 0 + 1×9 + 6×10 + 0×11 + 4×12 + 9×13
#   = 4 + 28 + 9 + 60 + 48 + 117 = 266; 266 = 11×23 + 13 → P.
# A80120000501A (temporary): 8×2 + 1×4 + 2×5 + 5×10 + 1×12 + A(0)×13 = 92 = 4×23 → A.
# P80120000501B (temporary): as above + B(1)×13 = 105 = 4×23 + 13 → P.


@pytest.mark.parametrize(
    ("upn", "letter"),
    [
        ("B801200005001", "B"),
        ("P207000016049", "P"),
        ("A80120000501A", "A"),
        ("P80120000501B", "P"),
    ],
)
def test_check_letters_worked_by_hand(upn, letter):
    assert upn_check_letter(upn[1:]) == letter
    assert upn_valid(upn)
    assert validate_upn(upn) == upn


def test_a_upn_is_tidied_to_upper_case_without_spaces():
    assert validate_upn(" b801 2000 05001 ") == "B801200005001"


@pytest.mark.parametrize(
    "upn", ["A801200005001", "Q207000016049", "B207000016049", "B80120000501A"]
)
def test_a_wrong_check_letter_is_rejected(upn):
    assert not upn_valid(upn)
    error = problem(validate_upn, upn)
    assert error.code == "upn_check_letter"
    assert "check" in error.messages[0]


@pytest.mark.parametrize(
    ("upn", "code"),
    [
        ("", "upn_empty"),
        ("B80120000500", "upn_length"),
        ("B8012000050011", "upn_length"),
        ("1801200005001", "upn_check_letter_format"),
        ("I801200005001", "upn_check_letter_format"),
        ("X80120000A001", "upn_not_digits"),
        ("B80120000500I", "upn_last_character"),
        ("B80120000500S", "upn_last_character"),
    ],
)
def test_malformed_upns_say_what_is_wrong(upn, code):
    assert not upn_valid(upn)
    assert problem(validate_upn, upn).code == code


def test_check_letter_needs_a_12_character_body():
    with pytest.raises(ValueError, match="body of a UPN"):
        upn_check_letter("80120000500")


# --- Postcodes ---


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("ls61aa", "LS6 1AA"),
        ("  sw1a   1aa ", "SW1A 1AA"),
        ("M11AE", "M1 1AE"),
        ("LS6 1AA", "LS6 1AA"),
        ("gir0aa", "GIR 0AA"),
        ("ls6", "LS6"),
    ],
)
def test_postcodes_are_normalised(value, normalised):
    assert normalise_postcode(value) == normalised


@pytest.mark.parametrize(
    "value",
    [
        "LS6 1AA",
        "M1 1AE",
        "SW1A 1AA",
        "EC1A 1BB",
        "W1A 0AX",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "GIR 0AA",
        "ls2 9jt",
        "bd71dp",
    ],
)
def test_uk_postcode_shapes_are_valid(value):
    assert postcode_valid(value)
    assert validate_postcode(value) == normalise_postcode(value)


@pytest.mark.parametrize(
    "value", ["Q1 1AA", "LS6 1AC", "LS6 1A", "123 456", "LS6 1AAA", "V1 1AA", "AZ1 1AA", "HELLO"]
)
def test_other_shapes_are_not_postcodes(value):
    assert not postcode_valid(value)
    assert problem(validate_postcode, value).code == "postcode_format"


def test_half_a_postcode_is_named():
    error = problem(validate_postcode, "ls6")
    assert error.code == "postcode_outcode_only"
    assert "LS6 is only the first half" in error.messages[0]


def test_an_empty_postcode_asks_for_one():
    assert problem(validate_postcode, " ").code == "postcode_empty"


@pytest.mark.parametrize(
    ("value", "area"),
    [("LS6 1AA", "LS6"), ("sw1a1aa", "SW1A"), ("ls6", "LS6"), ("M1", "M1"), ("nonsense", "")],
)
def test_outcode(value, area):
    assert outcode(value) == area


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("LS6", True),
        ("sw1a", True),
        ("M1", True),
        ("W1A", True),
        ("LS", False),
        ("LS6 1AA", False),
        ("6LS", False),
        ("Q1", False),
    ],
)
def test_looks_like_outcode(value, expected):
    assert looks_like_outcode(value) is expected


@given(st.text(max_size=20))
def test_normalising_a_postcode_twice_changes_nothing(value):
    once = normalise_postcode(value)
    assert normalise_postcode(once) == once


OUTWARD = st.from_regex(
    r"[A-PR-UWYZ][0-9]|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]", fullmatch=True
)
INWARD = st.from_regex(r"[0-9][ABD-HJLNP-UW-Z]{2}", fullmatch=True)


@given(OUTWARD, INWARD, st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_way_of_typing_a_valid_postcode_gives_the_same_postcode(out, inward, gap, lower):
    typed = f"{out}{gap}{inward}"
    typed = typed.lower() if lower else typed
    assert validate_postcode(typed) == f"{out} {inward}"
    assert outcode(typed) == out


# --- UPRN ---


@pytest.mark.parametrize(("value", "uprn"), [("100023336956", "100023336956"), (" 1 ", "1")])
def test_uprns_of_up_to_12_digits(value, uprn):
    assert validate_uprn(value) == uprn


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "uprn_empty"),
        ("1000233369561", "uprn_length"),
        ("12a", "uprn_not_digits"),
        ("12 34", "uprn_not_digits"),
    ],
)
def test_bad_uprns_say_what_is_wrong(value, code):
    assert problem(validate_uprn, value).code == code
