"""Small helpers shared by the generator modules: weighted choice, dates, ASCII folding.

Everything here is deterministic: randomness always comes from a `random.Random` passed in,
never from the module-level functions of `random`.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

SIZES = ("small", "medium", "county")


def check_size(size: str) -> str:
    if size not in SIZES:
        raise ValueError(f"Unknown size {size!r}: use one of {', '.join(SIZES)}.")
    return size


def derive_rng(seed: int | str, purpose: str) -> random.Random:
    """An independent generator for one purpose, the same on every machine.

    `random.Random(str)` hashes the string with SHA-512, so this does not depend on
    PYTHONHASHSEED or the platform.
    """
    return random.Random(f"kith-synthetic:{seed}:{purpose}")


class Weighted(Generic[T]):
    """Pick from items by weight with one call to `rng.random()` and a bisect."""

    __slots__ = ("_cum", "_last", "_total", "items")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items: list[T] = []
        cum: list[float] = []
        total = 0.0
        for item, weight in pairs:
            if weight <= 0:
                continue
            total += weight
            items.append(item)
            cum.append(total)
        if not items:
            raise ValueError("Weighted needs at least one item with a positive weight.")
        self.items: tuple[T, ...] = tuple(items)
        self._cum = tuple(cum)
        self._total = total
        self._last = len(items) - 1

    def pick(self, rng: random.Random) -> T:
        # min(): random() * total can round up to total itself
        return self.items[min(bisect_right(self._cum, rng.random() * self._total), self._last)]


def names(text: str) -> tuple[str, ...]:
    """A name pool written as whitespace-separated words; `_` stands for a space."""
    return tuple(word.replace("_", " ") for word in text.split())


def choice(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


# Dates ------------------------------------------------------------------------------------------


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Age in whole years on a date (a 29 February birthday counts from 1 March)."""
    return (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )


def dob_for_age(rng: random.Random, on: dt.date, age: int) -> dt.date:
    """A date of birth, uniform over the days that make someone exactly `age` on `on`."""
    latest = years_before(on, age)
    earliest = years_before(on, age + 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=int(rng.random() * ((latest - earliest).days + 1)))


# Text -------------------------------------------------------------------------------------------

_NO_DECOMPOSITION = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
     "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "ð": "d"}
)  # fmt: skip


def ascii_fold(text: str) -> str:
    """Drop diacritics: "Łukasz Wiśniewski" -> "Lukasz Wisniewski", "Nguyễn" -> "Nguyen"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    return decomposed.encode("ascii", "ignore").decode("ascii")
