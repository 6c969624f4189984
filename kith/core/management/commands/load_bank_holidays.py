"""`kith load_bank_holidays [PATH]`: add bank holidays from GOV.UK's JSON or a date,title CSV."""

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kith.core.calendar import (
    SHIPPED_BANK_HOLIDAYS,
    BankHolidayFileError,
    bank_holidays_load,
    loaded_years,
    read_bank_holidays_file,
)

# England and Wales has eight a year; fewer in a file usually means a cut-off year.
USUAL_HOLIDAYS_A_YEAR = 8


class Command(BaseCommand):
    help = (
        "Load England and Wales bank holidays from GOV.UK's bank-holidays.json "
        "(https://www.gov.uk/bank-holidays.json) or a CSV with the columns date,title. "
        "A holiday already held is never added twice (only its title is updated), so it is "
        "safe to run again. "
        "Without PATH, loads the list shipped with Kith."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=SHIPPED_BANK_HOLIDAYS,
            help="bank-holidays.json or a date,title CSV (default: the shipped list)",
        )
        parser.add_argument(
            "--remove-missing",
            action="store_true",
            help="delete held holidays in the years the file covers that the file no longer "
            "lists (a holiday GOV.UK has moved)",
        )

    def handle(self, *args: Any, path: Path, remove_missing: bool, **options: Any) -> None:
        try:
            holidays = read_bank_holidays_file(path)
        except BankHolidayFileError as error:
            raise CommandError(
                f"Nothing was loaded: {path} has {len(error.problems)} problem(s):\n  "
                + "\n  ".join(error.problems)
            ) from error
        result = bank_holidays_load(holidays=holidays, remove_missing=remove_missing)

        self.stdout.write(
            self.style.SUCCESS(
                f"Bank holidays from {path.name}: {result.added} added, "
                f"{result.already_present} already present"
                + (f", {result.title_updated} renamed" if result.title_updated else "")
                + (f", {len(result.removed)} removed" if result.removed else "")
                + "."
            )
        )
        for removed in result.removed:
            self.stdout.write(f"  removed {removed.date.isoformat()} {removed.title}")
        for missing in result.not_in_file:
            self.stdout.write(
                self.style.WARNING(
                    f"Held but not in the file: {missing.date.isoformat()} {missing.title}. "
                    "If GOV.UK has moved it, run again with --remove-missing."
                )
            )
        per_year = Counter(holiday.date.year for holiday in holidays)
        for year, count in sorted(per_year.items()):
            if count < USUAL_HOLIDAYS_A_YEAR:
                self.stdout.write(
                    self.style.WARNING(
                        f"The file has only {count} bank holiday(s) in {year} "
                        f"(usually {USUAL_HOLIDAYS_A_YEAR}): check it covers the whole year."
                    )
                )
        years = loaded_years()
        if years:
            self.stdout.write(f"Years loaded: {years[0]}–{years[-1]}.")
