"""Ethnicity as the DfE SSDA903 code, weighted roughly like the population of England, and the
naming traditions behind each code.

The weights follow the 2021 Census for England (ONS TS021) folded into the SSDA903 categories;
REFU (refused) and NOBT (not yet obtained) are recording outcomes, added on top.
"""

from __future__ import annotations

import random

from kith.demo.synthetic._util import Weighted, choice

# The SSDA903 ETHNIC codes (reference/codes/ssda903_ethnic.csv).
ETHNICITY_CODES = (
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
    "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
)  # fmt: skip

NOT_RECORDED = ("REFU", "NOBT")

# Percent of the population of England, 2021 Census, rounded.
POPULATION_WEIGHTS: dict[str, float] = {
    "WBRI": 73.5, "WIRI": 0.9, "WIRT": 0.1, "WROM": 0.2, "WOTH": 6.4,
    "MWBC": 0.9, "MWBA": 0.4, "MWAS": 0.8, "MOTH": 0.7,
    "AIND": 3.3, "APKN": 2.8, "ABAN": 1.1, "AOTH": 1.6, "CHNE": 0.8,
    "BCRB": 1.1, "BAFR": 2.6, "BOTH": 0.5, "OOTH": 2.3,
}  # fmt: skip

# The social work workforce in England is more diverse than the population (DfE workforce
# statistics): Black African and Caribbean staff are markedly over-represented.
WORKFORCE_WEIGHTS: dict[str, float] = {
    **POPULATION_WEIGHTS,
    "WBRI": 66.0,
    "BAFR": 8.5,
    "BCRB": 3.0,
    "MWBC": 1.2,
}

# The naming traditions within each code, weighted.
ORIGINS_BY_CODE: dict[str, Weighted[str]] = {
    "WBRI": Weighted([("british", 1)]),
    "WIRI": Weighted([("irish", 1)]),
    "WIRT": Weighted([("irish_traveller", 1)]),
    "WROM": Weighted([("gypsy", 45), ("roma_ro", 30), ("roma_sk", 25)]),
    "WOTH": Weighted(
        [
            ("polish", 30),
            ("romanian", 24),
            ("portuguese", 9),
            ("ukrainian", 9),
            ("turkish", 8),
            ("albanian", 7),
            ("british", 8),
            ("latin_american", 3),
            ("irish", 2),
        ]
    ),
    "AIND": Weighted([("gujarati", 35), ("punjabi", 35), ("indian", 30)]),
    "APKN": Weighted([("pakistani", 1)]),
    "ABAN": Weighted([("bangladeshi", 1)]),
    "AOTH": Weighted(
        [
            ("afghan", 25),
            ("tamil", 20),
            ("nepali", 15),
            ("filipino", 15),
            ("vietnamese", 15),
            ("indian", 10),
        ]
    ),
    "CHNE": Weighted([("chinese", 1)]),
    "BCRB": Weighted([("caribbean", 1)]),
    "BAFR": Weighted(
        [("nigerian", 35), ("ghanaian", 20), ("somali", 20), ("eritrean", 10), ("zimbabwean", 15)]
    ),
    "BOTH": Weighted([("british", 50), ("caribbean", 30), ("nigerian", 20)]),
    "OOTH": Weighted(
        [("arab", 40), ("kurdish", 20), ("iranian", 15), ("latin_american", 15), ("turkish", 10)]
    ),
}

# Mixed codes: the two traditions a person's names may come from.
_WHITE_PARENT = Weighted([("WBRI", 85), ("WIRI", 5), ("WOTH", 10)])
MIXED_PARENTS: dict[str, tuple[Weighted[str], Weighted[str]]] = {
    "MWBC": (_WHITE_PARENT, Weighted([("BCRB", 1)])),
    "MWBA": (_WHITE_PARENT, Weighted([("BAFR", 1)])),
    "MWAS": (_WHITE_PARENT, Weighted([("AIND", 40), ("APKN", 30), ("ABAN", 10), ("CHNE", 20)])),
    "MOTH": (
        Weighted([("WBRI", 50), ("WOTH", 20), ("BCRB", 15), ("BAFR", 15)]),
        Weighted([("AIND", 15), ("APKN", 10), ("CHNE", 15), ("OOTH", 35), ("AOTH", 25)]),
    ),
}

_POPULATION = Weighted(POPULATION_WEIGHTS.items())
_WORKFORCE = Weighted(WORKFORCE_WEIGHTS.items())


def ethnicity(rng: random.Random, *, workforce: bool = False) -> str:
    """A recorded ethnicity code (never REFU or NOBT: see `recorded_ethnicity`)."""
    return (_WORKFORCE if workforce else _POPULATION).pick(rng)


def recorded_ethnicity(rng: random.Random, code: str) -> str:
    """The code as it stands on the record: now and then refused or not yet obtained."""
    roll = rng.random()
    if roll < 0.005:
        return "REFU"
    if roll < 0.015:
        return "NOBT"
    return code


def origins_for(rng: random.Random, code: str) -> tuple[str, str]:
    """The naming traditions of (given name, family name) for someone of this code."""
    if code in MIXED_PARENTS:
        first, second = MIXED_PARENTS[code]
        pair = (
            ORIGINS_BY_CODE[first.pick(rng)].pick(rng),
            ORIGINS_BY_CODE[second.pick(rng)].pick(rng),
        )
        return choice(rng, pair), choice(rng, pair)
    origin = ORIGINS_BY_CODE[code].pick(rng)
    return origin, origin


def child_ethnicity(mother: str, father: str) -> str:
    """The code of a child of two parents (mixed codes for children of mixed heritage)."""
    if mother == father or father in NOT_RECORDED:
        return mother
    if mother in NOT_RECORDED:
        return father
    codes = {mother, father}
    if any(code.startswith("M") for code in codes):
        return mother if mother.startswith("M") else father
    if mother[0] == father[0] and mother[0] in "AB":
        return f"{mother[0]}OTH"
    white = {c for c in codes if c.startswith("W")}
    if len(white) == 2:
        return "WOTH" if "WOTH" in codes else "WBRI"
    if white:
        other = (codes - white).pop()
        if other == "BCRB":
            return "MWBC"
        if other == "BAFR":
            return "MWBA"
        if other.startswith("A") or other == "CHNE":
            return "MWAS"
    return "MOTH"
