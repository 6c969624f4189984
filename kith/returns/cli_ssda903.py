"""``kith returns ssda903 --year 2026 --out DIR [--xml] [--previous] --user NAME``: build the
SSDA903 return from the record, with a counter, then say how to check it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kith.accounts.models import User
from kith.returns.periods import collection_year
from kith.returns.ssda903 import ssda903_build

COMMAND = "ssda903"
PREVIOUS_DIR = "previous"


def add_parser(commands: Any) -> None:
    build = commands.add_parser(
        COMMAND,
        help="Build the SSDA903 (children looked after) return from the record",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    build.add_argument(
        "--year",
        type=int,
        default=None,
        help="collection year, named by the March it ends in (default: the last one ended)",
    )
    build.add_argument("--out", type=Path, required=True, help="folder to write the return to")
    build.add_argument("--xml", action="store_true", help="one EXPSSDA903 XML file, not CSVs")
    build.add_argument(
        "--previous",
        action="store_true",
        help=f"also build last year's return into OUT/{PREVIOUS_DIR}, for the continuity rules",
    )
    build.add_argument(
        "--user", required=True, help="username of the member of staff building the return"
    )


def _counter(command: BaseCommand, label: str) -> Any:
    shown = {"last": -1}

    def progress(done: int, total: int) -> None:
        percent = 100 if total == 0 else done * 100 // total
        if percent != shown["last"] or done == total:
            shown["last"] = percent
            end = "\n" if done >= total else "\r"
            command.stderr.write(f"{label}: {done}/{total} children", ending=end)
            command.stderr.flush()

    return progress


def run(cmd: BaseCommand, **options: Any) -> None:
    year: int = options["year"] or collection_year(timezone.localdate()) - 1
    out: Path = options["out"]
    if options["xml"] and options["previous"]:
        raise CommandError(
            "The DfE validator takes last year's SSDA903 only with this year's as CSV files: "
            "build without --xml to use --previous"
        )
    actor = User.objects.filter(username=options["user"], is_active=True).first()
    if actor is None:
        raise CommandError(f"There is no active user named {options['user']!r}")
    builds = [(year, out)]
    if options["previous"]:
        builds.append((year - 1, out / PREVIOUS_DIR))
    write = cmd.stdout.write
    for build_year, folder in builds:
        try:
            result = ssda903_build(
                actor=actor,
                year=build_year,
                out_dir=folder,
                progress=_counter(cmd, f"SSDA903 {build_year}"),
                as_xml=options["xml"],
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{table} {n}" for table, n in result.counts.items())
        write(f"SSDA903 {build_year}: {result.children} children ({counts}) in {folder}")
        for problem in result.problems:
            write(f"  not in the return as it should be: {problem}")
    check = f"kith returns validate ssda903 {out} --year {year}"
    if options["previous"]:
        check += f" --previous {out / PREVIOUS_DIR}"
    write(f"Check it with the DfE validator: {check}")
