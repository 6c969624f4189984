from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kith.returns import cli_ssda903, validators
from kith.returns.commands_annex_a_dfe import ANNEX_A_DFE_COMMANDS, AnnexADfeCommands
from kith.returns.management import cin_command
from kith.returns.periods import collection_year


class Command(AnnexADfeCommands, BaseCommand):
    help = (
        "Statutory returns. `kith returns validate ssda903|cin PATH` runs the DfE validator; "
        "`ssda903` and `cin` build the SSDA903 and the CIN census; `annex-a` builds Ofsted's "
        "Annex A; `dfe-api` sends the DfE CSC API feed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        validate = commands.add_parser(
            "validate",
            help="Run the DfE validator on a return: a folder of SSDA903 CSVs, or a CIN XML file",
        )
        validate.add_argument("collection", choices=[validators.SSDA903, validators.CIN])
        validate.add_argument("path", type=Path)
        validate.add_argument(
            "--year",
            type=int,
            default=None,
            help="collection year, named by the March it ends in (default: the current one)",
        )
        validate.add_argument(
            "--la",
            default=None,
            help="the council's ONS code, for the SSDA903 (default: KITH_COUNCIL_ONS_CODE)",
        )
        validate.add_argument(
            "--previous", type=Path, default=None, help="last year's SSDA903 files"
        )
        cin_command.add_parser(commands)
        cli_ssda903.add_parser(commands)
        self.add_annex_a_dfe_arguments(commands)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == cin_command.NAME:
            cin_command.run(self.stdout, **options)
            return
        if options["command"] == cli_ssda903.COMMAND:
            cli_ssda903.run(self, **options)
            return
        if options["command"] in ANNEX_A_DFE_COMMANDS:
            self.handle_annex_a_dfe(**options)
            return
        self.validate(**options)

    def validate(self, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"There is no file or folder at {path}")
        year = options["year"] or collection_year(timezone.localdate())
        try:
            if options["collection"] == validators.SSDA903:
                report = validators.validate_ssda903(
                    path,
                    year=year,
                    local_authority=options["la"] or settings.KITH_COUNCIL_ONS_CODE,
                    previous=options["previous"],
                )
            else:
                report = validators.validate_cin(path, year=year)
        except (validators.ValidatorUnavailable, validators.ValidatorFailed) as error:
            raise CommandError(str(error)) from error
        write = self.stdout.write
        for issue in sorted(report.issues, key=lambda i: (i.child, i.table, i.row, i.rule)):
            where = " · ".join(
                part
                for part in (
                    f"child {issue.child}" if issue.child else "",
                    f"{issue.table} row {issue.row}" if issue.row else issue.table,
                    ", ".join(issue.fields),
                    f"value {issue.value!r}" if issue.value else "",
                )
                if part
            )
            kind = "query" if issue.is_query else "error"
            if issue.two_year_limit:
                kind = "two-year limit of the tool (not counted)"
            fix = f" fix at: {issue.fix_at}" if issue.fix_at else ""
            write(f"{kind} {issue.rule}: {issue.message} [{where}]{fix}")
        for issue in report.council_issues:
            kind = "query" if issue.is_query else "error"
            write(f"{kind} {issue.rule} (whole return): {issue.message}")
        if report.rules_crashed:
            write(
                "Rules that crashed inside the validator (not counted): "
                + ", ".join(report.rules_crashed)
            )
        write(
            f"{report.collection} {year}: {len(report.errors)} errors, "
            f"{len(report.queries)} queries; {len(report.rules_run)} rules run, "
            f"{len(report.rules_skipped)} skipped"
        )
        if report.errors:
            raise CommandError(f"The {report.collection} return has {len(report.errors)} errors")
