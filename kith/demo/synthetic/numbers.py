"""Identifiers for synthetic people: NHS numbers, UPNs, legacy ids, phone numbers and emails.

Every number is fictional by construction:

* NHS numbers come from 999 000 0000 to 999 999 9999, the range kept for test data and never
  issued to a real person, with a valid modulus 11 check digit.
* UPNs use LA code 999 (no English local authority has it) and the synthetic schools' DfE
  establishment numbers, with a valid check letter.
* Phone numbers are from Ofcom's ranges for drama (01632 960xxx, 07700 900xxx), emails use
  the domains reserved for examples (RFC 2606).

An `IdentifierIssuer` hands each number out once, in an order fixed by the seed.
"""

from __future__ import annotations

import random
import re

from kith.demo.synthetic._util import ascii_fold, choice
from kith.people.identifiers import upn_check_letter

NHS_TEST_PREFIX = "999"
# UPNs carry the DfE LA code of the council the returns are built for by default
# (KITH_COUNCIL_LA_CODE 886): the CIN census rejects a UPN whose LA code is not one (rule 1530).
# The establishment numbers and serials are made up, so the UPNs are still synthetic.
UPN_LA_CODE = "886"
LEGACY_SYSTEM = "CareFirst"
_NHS_BODIES = 1_000_000  # the six digits after the prefix
_NHS_STRIDE = 366_677  # coprime with 1,000,000: a permutation of the bodies
_LEGACY_SPAN = 9_000_000
_LEGACY_STRIDE = 2_718_281  # coprime with 9,000,000
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example")
_NOT_EMAIL = re.compile(r"[^a-z0-9]+")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits; None when it would be 10 (never issued)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def format_nhs_number(number: str) -> str:
    """'9990001234' -> '999 000 1234', as it is written on letters."""
    return f"{number[:3]} {number[3:6]} {number[6:]}"


class IdentifierIssuer:
    """Hands out identifiers, each at most once. Deterministic for a seed."""

    def __init__(self, seed: int | str) -> None:
        rng = random.Random(f"kith-synthetic:{seed}:identifiers")
        self._nhs_next = rng.randrange(_NHS_BODIES)
        self._nhs_issued = 0
        self._legacy_next = rng.randrange(_LEGACY_SPAN)
        self._legacy_issued = 0
        self._upn_serials: dict[tuple[str, int], int] = {}

    def nhs_number(self) -> str:
        """A new NHS number in the test range: ten digits, no spaces."""
        while True:
            if self._nhs_issued >= _NHS_BODIES:
                raise RuntimeError("Every NHS number in the test range has been issued.")
            body = f"{NHS_TEST_PREFIX}{self._nhs_next:06d}"
            self._nhs_next = (self._nhs_next + _NHS_STRIDE) % _NHS_BODIES
            self._nhs_issued += 1
            check = nhs_check_digit(body)
            if check is not None:
                return f"{body}{check}"

    def upn(self, establishment: str, year: int) -> str:
        """A permanent UPN: check letter, LA code, the school's DfE establishment number, the
        two-digit year it was allocated and a serial. Serials run out at 999 a school a year,
        when the next establishment number is used."""
        number = int(establishment)
        while True:
            serial = self._upn_serials.get((f"{number:04d}", year), 0)
            if serial < 999:
                break
            number = 1000 + (number + 1) % 9000
        self._upn_serials[(f"{number:04d}", year)] = serial + 1
        body = f"{UPN_LA_CODE}{number:04d}{year % 100:02d}{serial + 1:03d}"
        return upn_check_letter(body) + body

    def legacy_id(self) -> str:
        """An id in the council's old system (CareFirst): seven digits."""
        if self._legacy_issued >= _LEGACY_SPAN:
            raise RuntimeError("Every legacy id has been issued.")
        value = 1_000_000 + self._legacy_next
        self._legacy_next = (self._legacy_next + _LEGACY_STRIDE) % _LEGACY_SPAN
        self._legacy_issued += 1
        return str(value)


def mobile_number(rng: random.Random) -> str:
    return f"07700 900{int(rng.random() * 1000):03d}"


def landline_number(rng: random.Random) -> str:
    return f"01632 960{int(rng.random() * 1000):03d}"


def email_address(rng: random.Random, given: str, family: str) -> str:
    """A personal email on a domain reserved for examples: jo.smith84@example.com."""
    local_given = _NOT_EMAIL.sub("", ascii_fold(given).lower()) or "person"
    local_family = _NOT_EMAIL.sub("", ascii_fold(family).lower()) or "mail"
    shape = rng.random()
    if shape < 0.4:
        local = f"{local_given}.{local_family}"
    elif shape < 0.7:
        local = f"{local_given}{local_family}{rng.randint(1, 99)}"
    else:
        local = f"{local_given[0]}{local_family}{rng.randint(10, 999)}"
    return f"{local}@{choice(rng, _EMAIL_DOMAINS)}"
