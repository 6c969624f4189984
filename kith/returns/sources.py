"""Where each row of a built return is corrected in Kith: the sources file beside the return.

Every return builder writes one, with exactly this shape::

    {"children": {"<CHILD id as in the file>": "<path of the child's page in Kith>"},
     "rows": {"<table as the validator names it>":
              {"<row id as the validator reports it>": "<path of the page or form, #field>"}}}

For a folder of files (the SSDA903 CSVs) it is ``DIR/kith-sources.json``; for one file ``F``
(the CIN census XML) it is ``F`` with the suffix ``.kith-sources.json``. ``kith returns
validate`` and the Returns page read it to say, for each issue the DfE validator finds, where
to fix it.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SOURCES_FILE = "kith-sources.json"
SOURCES_SUFFIX = ".kith-sources.json"


@dataclass(frozen=True)
class Sources:
    children: dict[str, str] = field(default_factory=dict)
    rows: dict[str, dict[str, str]] = field(default_factory=dict)

    def fix_at(self, *, table: str = "", row: str = "", child: str = "") -> str:
        """The path where a row's data is corrected; else the child's page; else ""."""
        found = self.rows.get(table, {}).get(str(row), "") if table and row != "" else ""
        return found or self.children.get(str(child), "")


def sources_path(return_path: Path) -> Path:
    """Where the sources file of a return (a folder, or one file) is."""
    if return_path.is_dir():
        return return_path / SOURCES_FILE
    return return_path.with_suffix(SOURCES_SUFFIX)


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


def read_sources(return_path: Path) -> Sources | None:
    """The sources file of the return at ``return_path``, or None if there is none (or it
    cannot be read: the validator's report is then shown without "fix at")."""
    candidates = [sources_path(return_path)]
    if not return_path.is_dir():
        candidates.append(return_path.with_name(return_path.name + SOURCES_SUFFIX))
    for path in candidates:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict):
            continue
        rows = data.get("rows")
        return Sources(
            children=_strings(data.get("children")),
            rows={str(t): _strings(r) for t, r in rows.items()} if isinstance(rows, dict) else {},
        )
    return None


def write_atomically(path: Path, text: str) -> Path:
    """Write a file whole or not at all (a temporary file beside it, then renamed over it)."""
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        temporary = Path(handle.name)
        try:
            handle.write(text)
        except BaseException:
            handle.close()
            temporary.unlink(missing_ok=True)
            raise
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def write_sources(path: Path, *, children: dict[str, str], rows: dict[str, dict[str, str]]) -> Path:
    """Write a sources file (whole or not at all)."""
    document = json.dumps({"children": children, "rows": rows}, indent=1)
    return write_atomically(path, document + "\n")
