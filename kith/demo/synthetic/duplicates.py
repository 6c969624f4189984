"""Near-duplicate records: the same person recorded a second time, as another team might have
typed them, for the duplicate report to find.

Each kind changes one thing: a typo in the family name (a letter changed, or two transposed),
a nickname for the given name (Robert as Bob), given and family names swapped, the day and
month of birth swapped, or an old address. The second record never has an NHS number (that
would have found the first one).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kith.demo.synthetic._util import choice
from kith.demo.synthetic.families import Member
from kith.demo.synthetic.names import DIMINUTIVES
from kith.demo.synthetic.places import AddressSpec, CouncilArea

DUPLICATE_KINDS = (
    "family_name_typo",
    "nickname",
    "names_swapped",
    "day_month_swapped",
    "old_address",
)
# Letters next to each other on a keyboard, for a slip of the finger.
_NEAR_KEYS = {
    "a": "sqz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class NearDuplicateSpec:
    kind: str  # one of DUPLICATE_KINDS
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    address: AddressSpec
    moved_in: dt.date


def family_name_typo(rng: random.Random, name: str) -> str | None:
    """The name with one slip: two letters transposed or one letter changed (never the first
    letter, which people rarely get wrong); None for a name too short to mistype."""
    places = [i for i in range(1, len(name)) if name[i].isalpha() and name[i].isascii()]
    if len(name) < 4 or not places:
        return None
    for _ in range(10):
        i = choice(rng, places)
        if rng.random() < 0.5 and i + 1 < len(name) and name[i + 1].isalpha():
            typo = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        else:
            lower = name[i].lower()
            swap = choice(rng, _NEAR_KEYS.get(lower, "e"))
            typo = name[:i] + (swap.upper() if name[i].isupper() else swap) + name[i + 1 :]
        if typo != name:
            return typo
    return None


def near_duplicate(
    rng: random.Random,
    member: Member,
    kind: str,
    today: dt.date,
    area: CouncilArea,
    *,
    nicknames: Mapping[str, Sequence[str]] = DIMINUTIVES,
) -> NearDuplicateSpec | None:
    """A second record of the member, of that kind; None when the kind cannot apply (no
    nickname for the name, a day of birth after the 12th, a name too short to mistype)."""
    spec = member.spec
    born = spec.date_of_birth
    if born is None:
        return None
    given, family, dob = spec.given_name, spec.family_name, born
    address = member.address
    if kind == "family_name_typo":
        typo = family_name_typo(rng, family)
        if typo is None:
            return None
        family = typo
    elif kind == "nickname":
        shorts = nicknames.get(given)
        if not shorts:
            return None
        given = choice(rng, shorts)
    elif kind == "names_swapped":
        if given.casefold() == family.casefold():
            return None
        given, family = family, given
    elif kind == "day_month_swapped":
        if born.day > 12 or born.day == born.month:
            return None
        dob = born.replace(month=born.day, day=born.month)
        if dob > today:
            return None
    elif kind == "old_address":
        if len(member.addresses) > 1:
            address = member.addresses[-2].address
        else:
            for _ in range(10):
                address = area.address(rng)
                if address.outcode == member.address.outcode:
                    break
        if address == member.address:
            return None
    else:
        raise ValueError(f"Unknown kind of near-duplicate {kind!r}")
    span = max(1, (today - dob).days)
    moved_in = today - dt.timedelta(days=rng.randint(0, min(span, 10 * 365)))
    return NearDuplicateSpec(kind, given, family, dob, spec.sex, address, max(moved_in, dob))


def near_duplicates(
    rng: random.Random,
    member: Member,
    today: dt.date,
    area: CouncilArea,
    *,
    made: Mapping[str, int] | None = None,
    nicknames: Mapping[str, Sequence[str]] = DIMINUTIVES,
) -> NearDuplicateSpec | None:
    """A second record of the member of the kind made least so far (`made` counts them)
    that applies to them; None if none does."""
    made = made or {}
    order = sorted(
        DUPLICATE_KINDS, key=lambda kind: (made.get(kind, 0), DUPLICATE_KINDS.index(kind))
    )
    for kind in order:
        found = near_duplicate(rng, member, kind, today, area, nicknames=nicknames)
        if found is not None:
            return found
    return None
