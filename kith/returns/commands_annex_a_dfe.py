"""`kith returns annex-a` and `kith returns dfe-api`: the subcommands, kept apart from the
command module that gathers every return's subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management.base import CommandError

from kith.returns.annex_a import annex_a_build
from kith.returns.dfe_api import DfeApiError, dfe_api_send

ANNEX_A_DFE_COMMANDS = {"annex-a", "dfe-api"}


def _date(value: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a day)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"{value!r} is not a date: use YYYY-MM-DD or DD/MM/YYYY")


class AnnexADfeCommands:
    """Mixed into the `returns` command."""

    stdout: Any
    stderr: Any

    def add_annex_a_dfe_arguments(self, commands: Any) -> None:
        annex = commands.add_parser("annex-a", help="Build Ofsted's Annex A lists 1-11 (.xlsx)")
        annex.add_argument("--from", dest="date_from", type=_date, required=True)
        annex.add_argument("--to", dest="date_to", type=_date, required=True)
        annex.add_argument("--out", type=Path, required=True, help="the workbook to write")
        annex.add_argument(
            "--user", dest="username", required=True, help="the user (Returns module) building it"
        )
        feed = commands.add_parser(
            "dfe-api", help="Send the changed children and purges to the DfE CSC API"
        )
        feed.add_argument(
            "--dry-run",
            type=Path,
            default=None,
            metavar="DIR",
            help="write the batches to DIR as JSON files instead of sending them",
        )
        feed.add_argument(
            "--user", dest="username", required=True, help="the user (Returns module) sending it"
        )

    def _actor(self, username: str) -> Any:
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"There is no active user {username!r}") from error

    def _counter(self, what: str) -> Any:
        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{what}: {done}/{total}", ending="")
            if done >= total:
                self.stderr.write("")
            if hasattr(sys.stderr, "flush"):
                sys.stderr.flush()

        return progress

    def handle_annex_a_dfe(self, **options: Any) -> None:
        actor = self._actor(options["username"])
        try:
            if options["command"] == "annex-a":
                self._annex_a(actor, **options)
            else:
                self._dfe_api(actor, **options)
        except (PermissionDenied, ImproperlyConfigured, ValueError, DfeApiError) as error:
            raise CommandError(str(error)) from error

    def _annex_a(self, actor: Any, **options: Any) -> None:
        result = annex_a_build(
            actor=actor,
            date_from=options["date_from"],
            date_to=options["date_to"],
            out=options["out"],
            progress=self._counter("Annex A lists"),
        )
        lists = ", ".join(
            f"{name} {count}" for name, count in result.counts.items() if name.startswith("List")
        )
        self.stdout.write(f"Annex A written to {result.files[0]}: {result.children} children")
        self.stdout.write(f"Rows: {lists}")
        self.stdout.write(f"Rows with no allocated worker: {result.counts['unallocated rows']}")

    def _dfe_api(self, actor: Any, **options: Any) -> None:
        result = dfe_api_send(
            actor=actor, dry_run=options["dry_run"], progress=self._counter("DfE API batches")
        )
        c = result.counts
        self.stdout.write(
            f"Cohort {c['cohort']} children; {c['changed'] + c['purges']} children to send "
            f"({c['changed']} changed, {c['purges']} purges) in {c['batches']} batches"
        )
        if options["dry_run"] is not None:
            self.stdout.write(f"Dry run: {len(result.files)} files written to {options['dry_run']}")
            return
        self.stdout.write(
            f"{c['accepted']} batches accepted, {c['failed']} failed, {c['retries']} retries"
        )
        if c["failed"]:
            raise CommandError(
                f"{c['failed']} batches were not accepted: they will be sent again next time"
            )
