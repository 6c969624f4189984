"""Runs the CIN census validator (csc-validator-be-cin) on one XML file and prints one JSON
document: each child's issues, the council-level ones, and the rules that crashed.

Run with the validator's own virtualenv, not Kith's (it needs pandas 1.5 and numpy < 2):
    var/validators/cin/bin/python run_cin.py FILE.xml --year 2026
Standalone on purpose: it imports nothing from Kith.
"""

import argparse
import contextlib
import io
import json
import logging
import re
import sys
import warnings
from pathlib import Path
from xml.etree import ElementTree

CRASHED = re.compile(r"^Error with rule (\S+): (.*)$")


def _text(value: object) -> str:
    if value is None or value != value or str(value) == "nan":  # None or NaN
        return ""
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--year", required=True, help="collection year, named by its March")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        from cin_validator.cin_validator import CinValidator, convert_data, process_data
        from cin_validator.rules.ruleset_utils import get_year_ruleset

        registry = get_year_ruleset(str(args.year))
        root = ElementTree.parse(args.path).getroot()  # noqa: S314 (our own file)
        validator = CinValidator(process_data(convert_data(root)), registry, None)
    crashed = [m.group(1) for m in map(CRASHED.match, printed.getvalue().splitlines()) if m]
    issues = [
        {
            "child": _text(row.get("LAchildID")),
            "table": _text(row.get("tables_affected")),
            "fields": [_text(row.get("columns_affected"))],
            "row": None if row.get("ROW_ID") != row.get("ROW_ID") else _text(row.get("ROW_ID")),
            "value": _text(row.get("value_flagged")),
            "rule": _text(row.get("rule_code")),
            "message": _text(row.get("rule_description")),
        }
        for row in validator.user_report.to_dict(orient="records")
    ]
    council = [
        {"rule": _text(row.get("rule_code")), "message": _text(row.get("rule_description"))}
        for row in validator.multichild_issues.to_dict(orient="records")
    ]
    json.dump(
        {
            "ruleset": f"cin {args.year}",
            "issues": issues,
            "council_issues": council,
            "rules_run": sorted(str(code) for code in registry),
            "rules_crashed": sorted(set(crashed)),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
