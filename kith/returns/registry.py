"""The returns the Returns page can build: for each kind, its builder (a dotted path, imported
only when a build runs, so a kind whose module is not there yet costs nothing until used), the
period it takes, where its files go, and which DfE validator checks them.

Builders share one shape (``kith.returns.building``): keyword-only ``actor`` and ``progress``,
a period, an output path; they return a ``BuildResult``. Those checked by a DfE validator
write a sources file beside their output, mapping each child and row to the page where it is
recorded: ``{"children": {"<child id>": "<path>"}, "rows": {"<Table>": {"<row id>": "<path>"}}}``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kith.returns import validators

YEAR = "year"
RANGE = "range"
NONE = "none"


@dataclass(frozen=True)
class ReturnKind:
    kind: str
    title: str
    builder: str  # "module:function"
    period: str  # YEAR, RANGE or NONE
    output: Callable[[dict[str, Any], Path], dict[str, Any]]
    validator: str = ""  # validators.SSDA903 or validators.CIN
    validate_path: Callable[[dict[str, Any], Path], Path] | None = None
    sources_path: Callable[[dict[str, Any], Path], Path] | None = None

    def load(self) -> Callable[..., Any]:
        module, _, function = self.builder.partition(":")
        builder: Callable[..., Any] = getattr(importlib.import_module(module), function)
        return builder

    def arguments(self, parameters: dict[str, Any], folder: Path) -> dict[str, Any]:
        """The builder's keyword arguments (other than actor and progress) for a run."""
        arguments: dict[str, Any] = {}
        if self.period == YEAR:
            arguments["year"] = int(parameters["year"])
        elif self.period == RANGE:
            arguments["date_from"] = dt.date.fromisoformat(parameters["date_from"])
            arguments["date_to"] = dt.date.fromisoformat(parameters["date_to"])
        arguments.update(self.output(parameters, folder))
        return arguments


def _cin_file(parameters: dict[str, Any], folder: Path) -> Path:
    return folder / f"cin-census-{parameters['year']}.xml"


def _annex_a_file(parameters: dict[str, Any], folder: Path) -> Path:
    return folder / f"annex-a-{parameters['date_from']}-to-{parameters['date_to']}.xlsx"


KINDS: dict[str, ReturnKind] = {
    kind.kind: kind
    for kind in (
        ReturnKind(
            kind="ssda903",
            title="SSDA903 (children looked after)",
            builder="kith.returns.ssda903:ssda903_build",
            period=YEAR,
            output=lambda p, folder: {"out_dir": folder / "ssda903"},
            validator=validators.SSDA903,
            validate_path=lambda p, folder: folder / "ssda903",
            sources_path=lambda p, folder: folder / "ssda903" / "kith-sources.json",
        ),
        ReturnKind(
            kind="cin",
            title="CIN census",
            builder="kith.returns.cin_census:cin_census_build",
            period=YEAR,
            output=lambda p, folder: {"out": _cin_file(p, folder)},
            validator=validators.CIN,
            validate_path=_cin_file,
            sources_path=lambda p, folder: _cin_file(p, folder).with_name(
                _cin_file(p, folder).name + ".kith-sources.json"
            ),
        ),
        ReturnKind(
            kind="annex-a",
            title="Ofsted Annex A",
            builder="kith.returns.annex_a:annex_a_build",
            period=RANGE,
            output=lambda p, folder: {"out": _annex_a_file(p, folder)},
        ),
        ReturnKind(
            kind="dfe-api-dry-run",
            title="DfE children's social care API (dry run: the batches as files)",
            builder="kith.returns.dfe_api:dfe_api_send",
            period=NONE,
            output=lambda p, folder: {"dry_run": folder / "dfe-api"},
        ),
    )
}


def return_kind(kind: str) -> ReturnKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"There is no return called {kind!r}") from None
