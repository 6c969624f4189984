"""The DfE validator's result for a build, with each issue linked to where it is fixed.

The builders write a sources file mapping each child, and each row of each table, to the page
of the record it came from; an issue links to its row's page when the validator names a row,
else to the child's. Only site paths (starting with one "/") are kept as links.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kith.returns import validators


def read_sources(path: Path | None) -> dict[str, Any]:
    if path is None or not path.exists():
        return {"children": {}, "rows": {}}
    try:
        data = json.loads(path.read_text())
    except ValueError:
        return {"children": {}, "rows": {}}
    return {
        "children": dict(data.get("children") or {}),
        "rows": {table: dict(rows or {}) for table, rows in (data.get("rows") or {}).items()},
    }


def _site_path(value: object) -> str:
    text = str(value or "")
    return text if text.startswith("/") and not text.startswith("//") else ""


def issue_row(issue: validators.Issue, sources: dict[str, Any]) -> dict[str, Any]:
    link = ""
    if issue.table and issue.row:
        link = _site_path(sources["rows"].get(issue.table, {}).get(issue.row))
    if not link and issue.child:
        link = _site_path(sources["children"].get(issue.child))
    return {
        "rule": issue.rule,
        "message": issue.message,
        "child": issue.child,
        "table": issue.table,
        "row": issue.row,
        "fields": list(issue.fields),
        "value": issue.value,
        "query": issue.is_query,
        "two_year_limit": issue.two_year_limit,
        "link": link,
    }


def validation_result(report: validators.Report, sources: dict[str, Any]) -> dict[str, Any]:
    """What the run keeps of a validator report (JSON), issues in child, table, row order."""
    issues = sorted(report.issues, key=lambda i: (i.child, i.table, i.row, i.rule))
    return {
        "collection": report.collection,
        "errors": len(report.errors),
        "queries": len(report.queries),
        "two_year_limited": len(report.two_year_limited),
        "issues": [issue_row(i, sources) for i in issues],
        "council_issues": [issue_row(i, sources) for i in report.council_issues],
        "rules_run": len(report.rules_run),
        "rules_skipped": len(report.rules_skipped),
        "rules_crashed": list(report.rules_crashed),
    }
