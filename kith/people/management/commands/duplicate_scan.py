import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kith.people.services_duplicates import (
    GROUPS_AT_ONCE,
    ScanAlreadyRunning,
    duplicate_scan_run,
    duplicate_scan_start,
)


class Command(BaseCommand):
    help = (
        "Scan the client index for people recorded twice and keep the pairs for the duplicate "
        "report (Data quality › Possible duplicate records), replacing the last scan's. Runs "
        "here, with a counter, not in the task worker: schedule it nightly. Refuses (exit "
        "status 1) while another scan runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--groups-at-once",
            type=int,
            default=GROUPS_AT_ONCE,
            help="Blocking groups compared between two progress updates.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["groups_at_once"] < 1:
            raise CommandError("--groups-at-once must be 1 or more")
        started = time.monotonic()
        try:
            scan = duplicate_scan_start(actor=None, run_in_background=False)
        except ScanAlreadyRunning as exc:
            raise CommandError(str(exc)) from exc

        def progress(done: int, total: int) -> None:
            percent = done * 100 // total if total else 100
            self.stdout.write(f"\rGroups compared: {done:,} of {total:,} ({percent}%)", ending="")
            self.stdout.flush()

        finished = duplicate_scan_run(
            scan_id=scan.pk, progress=progress, groups_at_once=options["groups_at_once"]
        )
        if finished is None:
            raise CommandError("The scan was taken up by another process.")
        self.stdout.write(
            f"\n{finished.pairs_found:,} possible duplicates found: {finished.pairs_compared:,} "
            f"pairs compared among {finished.people_compared:,} people in "
            f"{time.monotonic() - started:.1f} s."
        )
