"""Person matching: how many candidates a second ``score`` and ``duplicate_score`` handle.

    .venv/bin/python bench/matching.py [PAIRS]     (default 100,000)

Synthetic names, dates and postcodes; no database or Django settings needed.
"""

import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kith.people.matching import (
    Candidate,
    ParsedQuery,
    duplicate_score,
    parse_query,
    person_search_keys,
    score,
)


def words(text: str) -> list[str]:
    return text.split()


GIVEN = words(
    "Oliver Olivia Amelia Jack Harry Isla George Ava Noah Emily Muhammad Mohammed Sophie "
    "Charlie Grace Thomas Lily Jacob Freya Alfie Ella Oscar Robert Bob Katherine Catherine "
    "William Liam Elizabeth Beth Margaret Peggy James Jamie Siobhan Aoife Priya Kofi Chen"
)
FAMILY = words(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Ahmed Hussain Begum "
    "O'Brien Smith-Jones Nguyen Kowalski Okafor Murphy Hughes Edwards Lewis Harris Martin"
)
OUTCODES = ["LS6", "LS7", "LS11", "M1", "M14", "BD3", "S10", "HX1", "WF1", "YO1"]


def synthetic_candidate(rng: random.Random) -> Candidate:
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(30000))
    postcodes = tuple(
        f"{rng.choice(OUTCODES)} {rng.randrange(10)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRT')}"
        for _ in range(rng.randrange(3))
    )
    family = (rng.choice(FAMILY),) + ((rng.choice(FAMILY),) if rng.random() < 0.1 else ())
    given = (rng.choice(GIVEN),) + ((rng.choice(GIVEN),) if rng.random() < 0.5 else ())
    return Candidate(given, family, born if rng.random() < 0.95 else None, postcodes)


def timed(label: str, count: int, work: Callable[[], object]) -> None:
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    print(f"{label:<52} {count:>9,} in {elapsed:6.2f}s  {count / elapsed:>10,.0f}/s")


def score_all(query: ParsedQuery, candidates: list[Candidate]) -> None:
    for candidate in candidates:
        score(query, candidate)


def main() -> None:
    pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(20240501)
    candidates = [synthetic_candidate(rng) for _ in range(pairs)]
    searches = (
        "Jonh Smiht",
        "Bob Smith 1987",
        "Smith John 03/03/2015",
        "Mohamed Khan LS6",
        "Katherine Smith-Jones 12 May 1990 LS6 1AB",
    )
    print(f"Person matching, {pairs:,} synthetic candidates (one core, pure Python + rapidfuzz)")
    for text in searches:
        query = parse_query(text)
        timed(f"score {text!r}", pairs, partial(score_all, query, candidates))
    others = candidates[1:] + candidates[:1]
    timed(
        "duplicate_score (pairs)",
        pairs,
        lambda: [duplicate_score(a, b) for a, b in zip(candidates, others, strict=True)],
    )
    keys: list[int] = []
    timed(
        "person_search_keys",
        pairs,
        lambda: keys.extend(len(person_search_keys(c)) for c in candidates),
    )
    print(f"keys per person: mean {sum(keys) / len(keys):.1f}, max {max(keys)}")


if __name__ == "__main__":
    main()
