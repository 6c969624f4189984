import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kith.work.services import escalations_run


class Command(BaseCommand):
    help = (
        "Escalate unallocated people and work, and overdue statutory steps, to team managers "
        "and then service managers. Safe to run as often as you like (cron: every morning)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        run = escalations_run(today=options["today"])
        self.stdout.write(f"{run.sent} escalations sent; {run.already} already sent before")
