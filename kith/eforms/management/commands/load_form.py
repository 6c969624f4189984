"""`kith load_form PATH [PATH…]`: add or change form definitions from JSON or YAML files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kith.eforms.schema import DefinitionError
from kith.eforms.services import definition_load, read_definition_file


class Command(BaseCommand):
    help = (
        "Load form definitions from .json, .yaml or .yml files. Each file is checked first and "
        "nothing is loaded from a file with problems; every problem is listed, with where it "
        "is. A file whose questions differ from the version in use becomes a new published "
        "version (or, with --draft, the draft version); forms already started keep their "
        "version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="definition files")
        parser.add_argument(
            "--draft", action="store_true", help="load as the draft version, not published"
        )

    def handle(self, *args: Any, paths: list[Path], draft: bool, **options: Any) -> None:
        failed = []
        for path in paths:
            try:
                data = read_definition_file(path)
                version = definition_load(actor=None, data=data, publish=not draft)
            except DefinitionError as error:
                failed.append(path)
                self.stderr.write(
                    f"{path}: not loaded, {len(error.problems)} problem(s):\n  "
                    + "\n  ".join(error.problems)
                )
                continue
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: {version.title}, version {version.number} "
                    f"({version.get_status_display().lower()})"
                )
            )
        if failed:
            raise CommandError(f"{len(failed)} of {len(paths)} file(s) had problems")
