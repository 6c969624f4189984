"""How fast the synthetic data generator makes people (no database).

    .venv/bin/python bench/seed_generator.py [count] [--seed N] [--size small|medium|county]

Prints the time to generate `count` PersonSpecs (300,000 by default) and the rate, plus the
time for a whole council's area, blueprint and staff, and for households.
"""

import argparse
import datetime as dt
import time

from kith.demo.synthetic import family, people, rng_for, synthetic_council

TODAY = dt.date(2025, 6, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", choices=["small", "medium", "county"], default="county")
    args = parser.parse_args()

    start = time.perf_counter()
    council = synthetic_council(args.size, args.seed)
    council_seconds = time.perf_counter() - start
    print(
        f"{args.size} council (area, {len(council.teams)} teams, {len(council.workers):,} "
        f"workers): {council_seconds:.3f} s"
    )

    rng = rng_for(args.seed, "bench-people")
    start = time.perf_counter()
    generated = 0
    for _ in people(args.count, rng, TODAY, area=council.area):
        generated += 1
    seconds = time.perf_counter() - start
    print(f"{generated:,} PersonSpecs: {seconds:.2f} s, {generated / seconds:,.0f} per second")

    households = max(1, args.count // 10)
    rng = rng_for(args.seed, "bench-households")
    start = time.perf_counter()
    members = sum(len(family(rng, TODAY, area=council.area).members) for _ in range(households))
    seconds = time.perf_counter() - start
    print(
        f"{households:,} households ({members:,} people): {seconds:.2f} s, "
        f"{households / seconds:,.0f} households per second"
    )


if __name__ == "__main__":
    main()
