"""`kith load_timescales [PATH]`: add or update work item types and timescale rules from a CSV."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kith.work.timescales import (
    COLUMNS,
    TIMESCALES_FILE,
    TimescaleFileError,
    read_timescales,
    timescales_load,
)


class Command(BaseCommand):
    help = (
        "Load work item types and timescale rules from a CSV with the columns "
        f"{','.join(COLUMNS)} (and optionally effective_to). A rule is matched by its code and "
        "effective_from: new ones are added, changed ones updated, nothing is deleted, so it is "
        "safe to run again. Open work items' due dates are recalculated. "
        "Without PATH, loads the rules shipped with Kith."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=TIMESCALES_FILE,
            help="a timescales CSV (default: the shipped rules)",
        )

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            rows = read_timescales(path)
        except TimescaleFileError as error:
            raise CommandError(
                f"Nothing was loaded: {path} has {len(error.problems)} problem(s):\n  "
                + "\n  ".join(error.problems)
            ) from error
        result = timescales_load(rows=rows)

        self.stdout.write(
            self.style.SUCCESS(
                f"Timescales from {path.name}: {len(result.types_added)} types added, "
                f"{len(result.types_updated)} types updated; {len(result.rules_added)} rules "
                f"added, {len(result.rules_updated)} updated, {result.rules_unchanged} unchanged."
            )
        )
        for code in result.types_added:
            self.stdout.write(f"  type added: {code}")
        for change in result.types_updated:
            self.stdout.write(f"  type updated: {change}")
        for label in result.rules_added:
            self.stdout.write(f"  rule added: {label}")
        for change in result.rules_updated:
            self.stdout.write(f"  rule updated: {change}")
        if result.changed_type_ids:
            self.stdout.write("Open work items' due dates have been recalculated.")
