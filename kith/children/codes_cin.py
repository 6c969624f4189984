"""The CIN part's local code lists (contact decisions, assessment and S47 outcomes, conference
participation, pre-proceedings outcomes), kept as effective-dated data in
``data/cin_local_codes.csv``. The DfE's own lists (referral source, need, closure reason,
category of abuse, factors) are reference data in ``kith.core.codelists``."""

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import timezone

DATA = Path(__file__).parent / "data" / "cin_local_codes.csv"


@dataclass(frozen=True)
class LocalCode:
    list: str
    code: str
    description: str
    effective_from: dt.date
    effective_to: dt.date | None

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@cache
def _rows() -> tuple[LocalCode, ...]:
    with DATA.open(newline="", encoding="utf-8") as handle:
        return tuple(
            LocalCode(
                row["list"],
                row["code"],
                row["description"],
                dt.date.fromisoformat(row["effective_from"]),
                dt.date.fromisoformat(row["effective_to"]) if row["effective_to"] else None,
            )
            for row in csv.DictReader(handle)
        )


def choices(list_name: str, on: dt.date | None = None) -> list[tuple[str, str]]:
    day = on or timezone.localdate()
    return [(r.code, r.description) for r in _rows() if r.list == list_name and r.in_force(day)]


def is_valid(list_name: str, code: str, on: dt.date | None = None) -> bool:
    return any(code == c for c, _ in choices(list_name, on))


def label(list_name: str, code: str) -> str:
    return next((r.description for r in _rows() if r.list == list_name and r.code == code), code)
