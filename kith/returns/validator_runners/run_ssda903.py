"""Runs the SSDA903 validator (csc-validator-be-903) on a folder of CSV files or an XML file and
prints one JSON document: the issues, and which rules ran, were skipped or crashed.

Run with the validator's own virtualenv, not Kith's (it needs pandas 1.5):
    var/validators/ssda903/bin/python run_ssda903.py PATH --year 2026 --la E10000016
Standalone on purpose: it imports nothing from Kith.
"""

import argparse
import contextlib
import io
import json
import logging
import sys
from pathlib import Path


def _fields(value: object) -> list[str]:
    if value is None or value != value:  # None or NaN
        return []
    if isinstance(value, str):
        return [value]
    return [str(f) for f in value]  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--year", required=True, help="collection year, named by its March")
    parser.add_argument("--la", required=True, help="ONS code of the local authority")
    parser.add_argument("--previous", type=Path, default=None, help="last year's files")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the package logs every rule it runs

    with contextlib.redirect_stdout(io.StringIO()):  # the package prints as it works
        import lac_validator.lac_validator as engine
        import pandas as pd
        from lac_validator.config import column_names
        from lac_validator.lac_validator import LacValidator, create_issue_df
        from lac_validator.report import Report
        from lac_validator.rules.ruleset_utils import get_year_ruleset
        from lac_validator.utils import process_uploaded_files

    # From XML, a table with no rows (no care leavers, say) is read with no columns at all,
    # and the package's report then fails on it: give such tables their columns.
    read = engine.read_from_text

    def read_with_columns(raw_files):
        tables, extras = read(raw_files)
        for name, frame in tables.items():
            columns = column_names.get(name.removesuffix("_last"))
            if columns and len(frame.columns) == 0:
                extra = ["UASC"] if name.startswith("Header") else []
                tables[name] = pd.DataFrame(columns=[*columns, *extra], dtype=object)
        return tables, extras

    engine.read_from_text = read_with_columns

    def paths(where: Path | None) -> list[str]:
        if where is None:
            return []
        if where.is_dir():
            return sorted(str(p) for p in where.iterdir() if p.suffix.lower() in {".csv", ".xml"})
        return [str(where)]

    uploads = {"This year": paths(args.path)}
    if args.previous:
        uploads["Prev year"] = paths(args.previous)
    with contextlib.redirect_stdout(io.StringIO()):
        files = process_uploaded_files(uploads)
        registry = get_year_ruleset(str(args.year))
        validator = LacValidator(
            metadata={"collectionYear": str(args.year), "localAuthority": args.la},
            files=files,
            registry=registry,
        )
        report = Report(validator.ds_results, registry)
        try:
            records = create_issue_df(report.report, report.error_report).to_dict(orient="records")
        except ValueError as exc:
            # The package cannot list zero issues: it concatenates no tables and fails.
            if "No objects to concatenate" not in str(exc):
                raise
            records = []
    rows = []
    for record in records:
        rows.append(
            {
                "child": str(record.get("child_id", "")),
                "table": str(record.get("tables_affected", "")),
                "fields": _fields(record.get("columns_affected")),
                "row": None if record.get("row_id") is None else int(record["row_id"]),
                "rule": str(record.get("rule_code", "")),
                "message": str(record.get("rule_description", "")),
            }
        )
    json.dump(
        {
            "ruleset": getattr(registry, "name", f"ssda903 {args.year}"),
            "issues": rows,
            "rules_run": sorted(map(str, validator.dones)),
            "rules_skipped": sorted(map(str, validator.skips)),
            "rules_crashed": sorted(map(str, validator.fails)),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
