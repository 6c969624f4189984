from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kith.work import timescales


class Command(BaseCommand):
    help = "Load work item types and timescale rules from a CSV (default: the shipped rules)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(timescales.TIMESCALES_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = timescales.read_timescales(Path(options["path"]))
        except (OSError, timescales.TimescaleFileError) as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            result = timescales.timescales_load(rows)
            if result.changed_type_ids:
                timescales.rules_changed(result.changed_type_ids)
        self.stdout.write(
            f"{result.types_added} types added; {result.rules_added} rules added, "
            f"{result.rules_updated} updated, {result.unchanged} unchanged"
        )
