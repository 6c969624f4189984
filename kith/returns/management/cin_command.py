"""`kith returns cin --year 2026 --out FILE.xml --user NAME`: build the CIN census.

Kept apart from the ``returns`` command's module so each return's subcommand is its own edit.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management.base import CommandError, OutputWrapper
from django.utils import timezone

from kith.accounts.models import User
from kith.returns.cin_census import cin_census_build, sources_path
from kith.returns.periods import collection_year

NAME = "cin"


def add_parser(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        NAME,
        help="Build the CIN census XML from the record (and its sources file beside it)",
    )
    parser.add_argument(
        "--year",
        type=int,
        default=None,
        help="collection year, named by the March it ends in (default: the current one)",
    )
    parser.add_argument("--out", type=Path, required=True, help="the XML file to write")
    parser.add_argument(
        "--user",
        required=True,
        help="username of the member of staff building the return (their role must include "
        "statutory returns); the build is audited under their name",
    )


def _counter(stdout: OutputWrapper) -> Any:
    def show(done: int, total: int) -> None:
        step = max(1, total // 100)
        if done == total or done % step == 0:
            stdout.write(f"\rChildren: {done}/{total}", ending="\n" if done == total else "")
            stdout.flush()

    return show


def run(stdout: OutputWrapper, **options: Any) -> None:
    user = User.objects.filter(username=options["user"], is_active=True).first()
    if user is None:
        raise CommandError(f"There is no active user {options['user']!r}")
    year = options["year"] or collection_year(timezone.localdate())
    out: Path = options["out"]
    try:
        result = cin_census_build(actor=user, year=year, out=out, progress=_counter(stdout))
    except PermissionDenied as error:
        raise CommandError(f"{user.username}: {error}") from error
    except (ImproperlyConfigured, ValueError, OSError) as error:
        raise CommandError(str(error)) from error
    for problem in result.problems:
        stdout.write(f"problem: {problem}")
    counts = result.counts
    parts = ", ".join(
        f"{counts.get(key, 0)} {label}"
        for key, label in (
            ("episodes", "episodes"),
            ("assessments", "assessments"),
            ("section47", "section 47 enquiries"),
            ("cp_plans", "CP plans"),
            ("reviews", "CP reviews"),
            ("cin_plans", "CIN plans"),
            ("pre_proceedings", "pre-proceedings"),
        )
    )
    stdout.write(f"CIN census {year}: {result.children} children; {parts}")
    stdout.write(f"{len(result.problems)} problems to look at")
    stdout.write(f"Written: {out} and {sources_path(out)}")
    stdout.write(f"Check it with: kith returns validate cin {out} --year {year}")
