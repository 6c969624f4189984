"""Client index search: latency of 1,000 mixed searches, as a social worker makes them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kith_county \\
        .venv/bin/python bench/people_search.py [--size county] [--searches 1000]

Seeds the database first (``kith seed --size SIZE``) if it holds no staff. Searches go
through ``people.selectors.person_search`` exactly as the page and the API call it (the access
policy and the audit entry included). Kinds, in equal shares:
  exact id       an NHS number or LA number
  name + year    a name with one typo or a nickname, and the year of birth
  name + postcode a name and the full postcode or its outcode
Prints p50/p95 per kind and overall, the share found at rank 1, and the p95 of an exact
indexed lookup (Person by LA number) in the same run, for comparison.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kith.config.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from kith.accounts.models import Membership, User  # noqa: E402
from kith.people.models import Person, PersonIdentifier  # noqa: E402
from kith.people.selectors import person_search  # noqa: E402

NICKNAMES = {
    "Robert": "Bob",
    "William": "Bill",
    "Elizabeth": "Liz",
    "Katherine": "Kate",
    "James": "Jim",
    "Thomas": "Tom",
    "Margaret": "Maggie",
    "Alexander": "Alex",
}


def typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="county")
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not User.objects.exists():
        print(f"Seeding a {args.size} council first…", flush=True)
        call_command("seed", size=args.size, seed=1)
    rng = random.Random(args.seed)
    worker_id = (
        Membership.objects.filter(role_id="social_worker", end_date__isnull=True)
        .values_list("user_id", flat=True)
        .first()
    )
    worker = User.objects.get(pk=worker_id)
    worker.is_verified = lambda: True  # type: ignore[attr-defined]
    total_people = Person.objects.count()
    print(f"{connection.vendor}: {total_people:,} people; searching as {worker.username}")

    ids = list(Person.objects.filter(merged_into__isnull=True).values_list("pk", flat=True))
    sample = Person.objects.filter(pk__in=rng.sample(ids, min(len(ids), args.searches * 2)))
    people = [p for p in sample if p.date_of_birth]
    nhs = dict(
        PersonIdentifier.objects.filter(
            kind="nhs_number", person__in=[p.pk for p in people], ended_at__isnull=True
        ).values_list("person_id", "value")
    )
    searches: list[tuple[str, str, Person]] = []
    for n in range(args.searches):
        person = people[n % len(people)]
        kind = ("exact id", "name + year", "name + postcode")[n % 3]
        if kind == "exact id":
            terms = nhs.get(person.pk) or str(person.la_number)
        elif kind == "name + year":
            given = NICKNAMES.get(person.given_name, person.given_name)
            family = typo(rng, person.family_name) if rng.random() < 0.7 else person.family_name
            terms = f"{given} {family} {person.date_of_birth.year}"  # type: ignore[union-attr]
        else:
            place = person.postcode if rng.random() < 0.5 else person.postcode.split(" ")[0]
            terms = f"{person.given_name} {person.family_name} {place}".strip()
        searches.append((kind, terms, person))

    timings: dict[str, list[float]] = {}
    top = dict.fromkeys(("exact id", "name + year", "name + postcode"), 0)
    lookups: list[float] = []
    started = time.perf_counter()
    for n, (kind, terms, person) in enumerate(searches, 1):
        with transaction.atomic():
            t0 = time.perf_counter()
            results = person_search(user=worker, terms=terms)
            timings.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
        if results.hits and results.hits[0].person.pk == person.pk:
            top[kind] += 1
        t0 = time.perf_counter()
        Person.objects.filter(la_number=person.la_number).first()
        lookups.append((time.perf_counter() - t0) * 1000)
        if n % 100 == 0:
            print(f"\r  {n:,}/{len(searches):,} searches", end="", flush=True)
    print(f"\r  {len(searches):,} searches in {time.perf_counter() - started:.1f} s")

    everything = [t for values in timings.values() for t in values]
    print(f"{'kind':<16}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'rank 1':>9}")
    for kind, values in timings.items():
        print(
            f"{kind:<16}{len(values):>6}{statistics.median(values):>9.1f}"
            f"{percentile(values, 0.95):>9.1f}{top[kind] / len(values):>9.0%}"
        )
    fuzzy = timings["name + year"] + timings["name + postcode"]
    print(
        f"{'fuzzy (all)':<16}{len(fuzzy):>6}{statistics.median(fuzzy):>9.1f}"
        f"{percentile(fuzzy, 0.95):>9.1f}"
    )
    print(
        f"{'all searches':<16}{len(everything):>6}{statistics.median(everything):>9.1f}"
        f"{percentile(everything, 0.95):>9.1f}"
    )
    print(f"exact indexed lookup (Person by LA number): p95 {percentile(lookups, 0.95):.2f} ms")


if __name__ == "__main__":
    main()
