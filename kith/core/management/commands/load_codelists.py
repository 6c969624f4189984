"""`kith load_codelists [DIR]`: add or update the statutory code lists named in DIR/manifest.csv."""

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kith.core.codelists import (
    MANIFEST,
    SHIPPED_CODE_LISTS,
    CodeListFileError,
    code_lists_load,
    read_code_lists,
)


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        f"Load the code lists named in DIR/{MANIFEST} (one code,description CSV per list). "
        "Adds and updates; never deletes: a code no longer in its file is given a valid_to. "
        "Without DIR, loads the lists shipped with Kith."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            default=SHIPPED_CODE_LISTS,
            help=f"a directory holding {MANIFEST} and the lists' CSVs (default: shipped lists)",
        )
        parser.add_argument(
            "--dropped-codes-valid-to",
            type=iso_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="the last day a code no longer in its file stays valid (default: today)",
        )

    def handle(
        self,
        *args: Any,
        directory: Path,
        dropped_codes_valid_to: date | None,
        **options: Any,
    ) -> None:
        try:
            lists = read_code_lists(directory)
        except CodeListFileError as error:
            raise CommandError(
                f"Nothing was loaded: {len(error.problems)} problem(s) in {directory}:\n  "
                + "\n  ".join(error.problems)
            ) from error
        result = code_lists_load(lists=lists, dropped_codes_valid_to=dropped_codes_valid_to)

        self.stdout.write(
            self.style.SUCCESS(
                f"Code lists: {len(lists)} in {directory}; {result.lists_added} added, "
                f"{result.lists_updated} updated. Codes: {result.entries_added} added, "
                f"{result.entries_updated} updated, {result.entries_unchanged} already present, "
                f"{len(result.entries_closed)} closed."
            )
        )
        for closed in result.entries_closed:
            self.stdout.write(f"  closed (no longer in its file): {closed}")
        if result.lists_not_in_files:
            self.stdout.write(
                self.style.WARNING(
                    f"Held but not in {MANIFEST} (left as they are): "
                    + ", ".join(result.lists_not_in_files)
                )
            )
