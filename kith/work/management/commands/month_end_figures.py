import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kith.work.dashboards.services import month_end_figures_keep


class Command(BaseCommand):
    help = (
        "Work out and keep each team's month-end figures for the managers' trend charts (the "
        "twelve months before today). Only figures not kept yet are worked out; --rebuild "
        "works them all out again. Safe to run as often as you like (cron: nightly)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--rebuild", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\rTeams: {done:,} of {total:,}", ending="")
            self.stdout.flush()

        written = month_end_figures_keep(
            today=options["today"], rebuild=options["rebuild"], progress=progress
        )
        self.stdout.write(f"\n{written:,} month-end figures kept")
