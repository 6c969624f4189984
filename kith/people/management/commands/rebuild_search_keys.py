from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kith.people.services import SEARCH_KEYS_BATCH, search_keys_rebuild_all


class Command(BaseCommand):
    help = (
        "Bring every person's search keys up to the current key scheme. Run once after an "
        "upgrade whose release notes ask for it; safe to run again (it changes only what "
        "differs). Search keeps working meanwhile, more slowly for people not yet done."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=SEARCH_KEYS_BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\rPeople: {done:,} of {total:,}", ending="")
            self.stdout.flush()

        people, added, removed = search_keys_rebuild_all(batch=options["batch"], progress=progress)
        self.stdout.write(f"\r{people:,} people: {added:,} search keys added, {removed:,} removed")
