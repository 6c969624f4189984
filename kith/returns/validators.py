"""The DfE's own validators for the SSDA903 and the CIN census, run on a return's files.

``csc-validator-be-903`` and ``csc-validator-be-cin`` need pandas 1.5 (and the CIN one numpy < 2),
which Kith does not, so each lives in its own virtualenv under ``KITH_VALIDATORS_DIR`` (made by
``make setup`` from the pinned requirements beside the runner scripts) and is run as a
subprocess: a small runner script in ``validator_runners/`` prints one JSON document that is
read back here. Rules that crash inside the validator are reported separately from the errors
(903 rules 231 and 233 crash in 0.1.17), and skipped rules are listed (a rule skips when a
table it needs is absent, e.g. last year's return). Each issue says where in Kith its data is
corrected (``fix_at``) when the return has a sources file beside it (kith.returns.sources).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from kith.returns.sources import Sources, read_sources

RUNNERS = Path(__file__).resolve().parent / "validator_runners"
# SSDA903 rules the validator can only check on the two years of returns it is given, as its
# own message says: a care leaver (OC3) who is not shown as a relevant or former relevant
# child (1001), or has no episodes (1002), in this year's and last year's episodes, such as a
# 21-year-old who left care at 18. Kith's build checks the same on the child's whole history
# and writes no OC3 row that fails it (kith.returns.ssda903: care before the birthday,
# relevant child), so on a return Kith built these are the tool's limit, listed apart.
TWO_YEAR_RULES = frozenset({"1001", "1002"})
SSDA903 = "ssda903"
CIN = "cin"
TIMEOUT_SECONDS = 30 * 60


class ValidatorUnavailable(RuntimeError):
    """The validator's virtualenv is not installed."""


class ValidatorFailed(RuntimeError):
    """The validator could not read the files (the message says why)."""


@dataclass(frozen=True)
class Issue:
    rule: str
    message: str
    child: str = ""
    table: str = ""
    fields: tuple[str, ...] = ()
    row: str = ""
    value: str = ""
    # Where in Kith the data is corrected, from the return's sources file (kith.returns.sources).
    fix_at: str = ""
    # Flagged only because the validator sees two years (TWO_YEAR_RULES): not an error.
    two_year_limit: bool = False

    @property
    def is_query(self) -> bool:
        """A CIN census query (code ending Q): to check and explain, not necessarily wrong."""
        return self.rule.endswith("Q")


@dataclass
class Report:
    collection: str
    year: int
    issues: list[Issue]
    council_issues: list[Issue] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    rules_skipped: list[str] = field(default_factory=list)
    rules_crashed: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_query and not i.two_year_limit]

    @property
    def two_year_limited(self) -> list[Issue]:
        return [i for i in self.issues if i.two_year_limit]

    @property
    def queries(self) -> list[Issue]:
        return [i for i in [*self.issues, *self.council_issues] if i.is_query]


def python_for(collection: str) -> Path:
    python = Path(settings.KITH_VALIDATORS_DIR) / collection / "bin" / "python"
    if not python.exists():
        raise ValidatorUnavailable(
            f"The {collection} validator is not installed in {python.parent.parent}: "
            "run `make setup` (it makes the validators' own virtualenvs)."
        )
    return python


def _run(collection: str, arguments: list[str]) -> dict[str, object]:
    runner = RUNNERS / f"run_{collection}.py"
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [str(python_for(collection)), str(runner), *arguments],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ValidatorFailed(f"The {collection} validator could not read the files: {last}")
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _issues(rows: object) -> list[Issue]:
    found = []
    for row in rows if isinstance(rows, list) else []:
        found.append(
            Issue(
                rule=str(row.get("rule", "")),
                message=str(row.get("message", "")),
                child=str(row.get("child", "") or ""),
                table=str(row.get("table", "") or ""),
                fields=tuple(str(f) for f in row.get("fields", []) if f),
                row="" if row.get("row") is None else str(row["row"]),
                value=str(row.get("value", "") or ""),
            )
        )
    return found


def _with_sources(issues: list[Issue], found: Sources | None) -> list[Issue]:
    if found is None:
        return issues
    return [
        dataclasses.replace(
            i, fix_at=found.fix_at(table=i.table, row=i.row, child=i.child) or i.fix_at
        )
        for i in issues
    ]


def _codes(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def validate_ssda903(
    path: Path, *, year: int, local_authority: str, previous: Path | None = None
) -> Report:
    """Validate a folder of SSDA903 CSV files (or one XML file) for the collection year ending
    in March ``year``; ``local_authority`` is the council's ONS code (for placement distances
    and in/out of area); ``previous`` is last year's return, for the continuity rules."""
    arguments = [str(path), "--year", str(year), "--la", local_authority]
    if previous is not None:
        arguments += ["--previous", str(previous)]
    result = _run(SSDA903, arguments)
    found = read_sources(path)
    issues = [
        dataclasses.replace(i, two_year_limit=found is not None and i.rule in TWO_YEAR_RULES)
        for i in _issues(result.get("issues"))
    ]
    return Report(
        collection=SSDA903,
        year=year,
        issues=_with_sources(issues, found),
        rules_run=_codes(result.get("rules_run")),
        rules_skipped=_codes(result.get("rules_skipped")),
        rules_crashed=_codes(result.get("rules_crashed")),
    )


def validate_cin(path: Path, *, year: int) -> Report:
    """Validate a CIN census XML file for the collection year ending in March ``year``."""
    result = _run(CIN, [str(path), "--year", str(year)])
    return Report(
        collection=CIN,
        year=year,
        issues=_with_sources(_issues(result.get("issues")), read_sources(path)),
        council_issues=_issues(result.get("council_issues")),
        rules_run=_codes(result.get("rules_run")),
        rules_crashed=_codes(result.get("rules_crashed")),
    )
