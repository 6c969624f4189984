"""Checks and tidies identifiers: NHS numbers, UPNs, UK postcodes and UPRNs.

Pure functions, no database. Each ``validate_*`` returns the normalised value or raises
``ValidationError`` with a message a practitioner can act on.

NHS number: 10 digits, the last a modulus 11 check digit (NHS Data Dictionary).
UPN: DfE unique pupil number, a check letter then 12 characters (the last a letter for a
temporary UPN); the check letter is the weighted sum (weights 2-13) modulo 23, as in the DfE
UPN guide and the UK Government Data Standards Catalogue entry for the UPN.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

NHS_NUMBER_LENGTH = 10
UPN_LENGTH = 13
UPRN_MAX_DIGITS = 12

# Letters used for UPN check letters (and a temporary UPN's last character): no I, O or S.
# A letter's value in the check sum is its position here (A=0 ... Z=22).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

_DIGITS = "0123456789"
_SEPARATORS = re.compile(r"[\s\-]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")

# Outward code shapes: A9, A99, AA9, AA99, A9A, AA9A, with the letters each position allows.
_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRV-Y])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"(?:{_OUTWARD} {_INWARD}|GIR 0AA)")
_OUTCODE = re.compile(rf"(?:{_OUTWARD}|GIR)")


# --- NHS number ---


def normalise_nhs_number(value: str) -> str:
    """The number without spaces or hyphens: '943 476 5919' -> '9434765919'."""
    return _SEPARATORS.sub("", value)


def _nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None when it would be 10 (unusable)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_valid(value: str) -> bool:
    number = normalise_nhs_number(value)
    if len(number) != NHS_NUMBER_LENGTH or not _ASCII_DIGITS.fullmatch(number):
        return False
    return _nhs_check_digit(number[:9]) == int(number[9])


def validate_nhs_number(value: str) -> str:
    number = normalise_nhs_number(value)
    if not number:
        raise ValidationError("Enter an NHS number.", code="nhs_number_empty")
    if not _ASCII_DIGITS.fullmatch(number):
        raise ValidationError(
            "An NHS number contains only digits (spaces are allowed).",
            code="nhs_number_not_digits",
        )
    if len(number) != NHS_NUMBER_LENGTH:
        raise ValidationError(
            f"An NHS number has 10 digits; this has {len(number)}.", code="nhs_number_length"
        )
    if _nhs_check_digit(number[:9]) != int(number[9]):
        raise ValidationError(
            "This is not a valid NHS number: the last (check) digit does not match the "
            "others. Check it has been copied correctly.",
            code="nhs_number_check_digit",
        )
    return number


# --- Unique pupil number (UPN) ---


def _upn_char_value(char: str) -> int:
    return int(char) if char in _DIGITS else UPN_LETTERS.index(char)


def upn_check_letter(body12: str) -> str:
    """The check letter for a UPN's last 12 characters (11 digits, then a digit or a letter)."""
    body = body12.upper()
    if (
        len(body) != UPN_LENGTH - 1
        or not _ASCII_DIGITS.fullmatch(body[:11])
        or (body[11] not in _DIGITS and body[11] not in UPN_LETTERS)
    ):
        raise ValueError(f"{body12!r} is not the 12-character body of a UPN")
    total = sum(
        _upn_char_value(char) * weight for char, weight in zip(body, range(2, 14), strict=True)
    )
    return UPN_LETTERS[total % 23]


def _normalise_upn(value: str) -> str:
    return _SEPARATORS.sub("", value).upper()


def _upn_problem(upn: str) -> tuple[str, str] | None:
    """What is wrong with a normalised UPN (message, code), or None."""
    if not upn:
        return "Enter a UPN.", "upn_empty"
    if len(upn) != UPN_LENGTH:
        return f"A UPN has 13 characters; this has {len(upn)}.", "upn_length"
    if upn[0] not in UPN_LETTERS:
        return (
            "A UPN starts with a check letter (any letter except I, O or S).",
            "upn_check_letter_format",
        )
    if not _ASCII_DIGITS.fullmatch(upn[1:12]):
        return "Characters 2 to 12 of a UPN are digits.", "upn_not_digits"
    if upn[12] not in _DIGITS and upn[12] not in UPN_LETTERS:
        return (
            "The last character of a UPN is a digit, or for a temporary UPN a letter "
            "other than I, O or S.",
            "upn_last_character",
        )
    if upn_check_letter(upn[1:]) != upn[0]:
        return (
            "This is not a valid UPN: the first (check) letter does not match the rest. "
            "Check it has been copied correctly.",
            "upn_check_letter",
        )
    return None


def upn_valid(value: str) -> bool:
    return _upn_problem(_normalise_upn(value)) is None


def validate_upn(value: str) -> str:
    upn = _normalise_upn(value)
    problem = _upn_problem(upn)
    if problem:
        message, code = problem
        raise ValidationError(message, code=code)
    return upn


# --- Postcodes ---


def normalise_postcode(value: str) -> str:
    """Upper case, no inner spaces except one before the 3-character inward code."""
    compact = "".join(value.split()).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_valid(value: str) -> bool:
    return _POSTCODE.fullmatch(normalise_postcode(value)) is not None


def looks_like_outcode(value: str) -> bool:
    """Whether the value is the outward half of a postcode on its own, like 'LS6' or 'SW1A'."""
    return _OUTCODE.fullmatch("".join(value.split()).upper()) is not None


def outcode(value: str) -> str:
    """The outward code ('LS6') of a full postcode or of an outward code; '' for neither."""
    postcode = normalise_postcode(value)
    if _POSTCODE.fullmatch(postcode):
        return postcode.split(" ")[0]
    if looks_like_outcode(postcode):
        return postcode
    return ""


def validate_postcode(value: str) -> str:
    postcode = normalise_postcode(value)
    if not postcode:
        raise ValidationError("Enter a postcode.", code="postcode_empty")
    if _POSTCODE.fullmatch(postcode):
        return postcode
    if looks_like_outcode(postcode):
        raise ValidationError(
            f"{postcode} is only the first half of a postcode. Enter the full postcode, "
            "like LS6 1AA.",
            code="postcode_outcode_only",
        )
    raise ValidationError("Enter a real UK postcode, like LS6 1AA.", code="postcode_format")


# --- UPRN ---


def validate_uprn(value: str) -> str:
    """A unique property reference number: 1 to 12 digits."""
    uprn = value.strip()
    if not uprn:
        raise ValidationError("Enter a UPRN.", code="uprn_empty")
    if not _ASCII_DIGITS.fullmatch(uprn):
        raise ValidationError("A UPRN contains only digits.", code="uprn_not_digits")
    if len(uprn) > UPRN_MAX_DIGITS:
        raise ValidationError(
            f"A UPRN has at most 12 digits; this has {len(uprn)}.", code="uprn_length"
        )
    return uprn
