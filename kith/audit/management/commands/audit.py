"""`kith audit verify`: re-compute the audit log's hash chain and name the first broken entry."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kith.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `verify` re-computes the hash chain and names the first broken entry."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check every entry's hash and its link to the one before.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self._verify()

    def _verify(self) -> None:
        def progress(count: int) -> None:
            self.stdout.write(f"\rChecked {count:,} entries…", ending="")
            self.stdout.flush()

        result = audit_verify(progress=progress if sys.stdout.isatty() else None)
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nThe audit log is intact: {result.checked:,} entries checked."
                )
            )
            return
        raise CommandError(
            f"The audit log has been tampered with: {result.problem}. "
            f"{result.checked:,} entries before it are intact."
        )
