"""Statutory code lists (SSDA903, CIN census, CLD, SAC…) as effective-dated reference data.

Codes are case-sensitive strings: "0", "01" and "10" are different codes and never numbers.
A list or an entry with no ``valid_from``/``valid_to`` is open at that end; ``valid_to`` is the
last day on which it is valid. Lists ship in ``kith/core/data/codes/`` (one CSV per list, named in
``manifest.csv``) and are loaded by a data migration and by ``kith load_codelists``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from kith.core.memo import memo_forget, memoised
from kith.core.models import CodeList, CodeListEntry

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

SHIPPED_CODE_LISTS = Path(__file__).resolve().parent / "data" / "codes"
MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("name", "title", "valid_from", "valid_to", "applies_to")
ENTRY_COLUMNS = ("code", "description")
OPTIONAL_ENTRY_COLUMNS = ("valid_from", "valid_to")
CODE_MAX_LENGTH = CodeListEntry._meta.get_field("code").max_length or 100
_LIST_NAME = re.compile(r"[a-z0-9_]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class UnknownCodeList(LookupError):
    """No code list has this name."""

    def __init__(self, list_name: str) -> None:
        self.list_name = list_name
        super().__init__(f"There is no code list named {list_name!r}")


class UnknownCode(LookupError):
    """The list has no such code (on the date asked about)."""

    def __init__(self, list_name: str, code: str, on: date | None) -> None:
        self.list_name, self.code, self.on = list_name, code, on
        when = f" on {on.isoformat()}" if on else ""
        super().__init__(f"{code!r} is not a code in {list_name}{when}")


class CodeListFileError(ValueError):
    """The code list files have problems; ``problems`` names each file, line and fault."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


# --- Asking about codes -------------------------------------------------------------------


def _valid_on(on: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def _code_list(list_name: str) -> CodeList:
    try:
        return CodeList.objects.get(name=list_name)
    except CodeList.DoesNotExist:
        raise UnknownCodeList(list_name) from None


def _is_list_valid_on(code_list: CodeList, on: date) -> bool:
    return (code_list.valid_from is None or code_list.valid_from <= on) and (
        code_list.valid_to is None or on <= code_list.valid_to
    )


def _entries_on(code_list: CodeList, on: date | None) -> QuerySet[CodeListEntry]:
    entries = code_list.entries.all()
    if on is None:
        return entries
    if not _is_list_valid_on(code_list, on):
        return entries.none()
    return entries.filter(_valid_on(on))


def _require_code(code: str) -> str:
    if not isinstance(code, str):
        raise TypeError(f"Codes are strings; got {type(code).__name__} {code!r}")
    return code


def is_valid(list_name: str, code: str, on: date | None = None) -> bool:
    """Whether ``code`` is in the list on ``on`` (today if None), the list itself included."""
    _require_code(code)
    day = on or timezone.localdate()
    list_from, list_to, periods = memoised(
        ("codelists.periods", list_name), lambda: _code_periods(list_name)
    )
    if (list_from is not None and day < list_from) or (list_to is not None and list_to < day):
        return False
    return any(
        (start is None or start <= day) and (end is None or day <= end)
        for start, end in periods.get(code, ())
    )


def _code_periods(
    list_name: str,
) -> tuple[date | None, date | None, dict[str, list[tuple[date | None, date | None]]]]:
    """The list's own dates and, for each code, the periods it is valid in."""
    code_list = _code_list(list_name)
    periods: dict[str, list[tuple[date | None, date | None]]] = {}
    for code, start, end in code_list.entries.values_list("code", "valid_from", "valid_to"):
        periods.setdefault(code, []).append((start, end))
    return code_list.valid_from, code_list.valid_to, periods


def description(list_name: str, code: str, on: date | None = None) -> str:
    """The code's description ("" if the source gives none).

    With ``on``, the one in force that day; without, the latest, so records made under an
    older list still show their meaning. Raises ``UnknownCode`` if there is none.
    """
    code_list = _code_list(list_name)
    entry = (
        _entries_on(code_list, on)
        .filter(code=_require_code(code))
        .order_by(F("valid_from").desc(nulls_last=True))
        .first()
    )
    if entry is None:
        raise UnknownCode(list_name, code, on)
    return entry.description


def choices(list_name: str, on: date | None = None) -> list[tuple[str, str]]:
    """(code, label) for the codes valid on ``on`` (today if None), in the list's own order.

    The label is "code – description", or the code alone when there is no description.
    """
    code_list = _code_list(list_name)
    entries = _entries_on(code_list, on or timezone.localdate()).order_by(
        "position", F("valid_from").desc(nulls_last=True)
    )
    labelled: dict[str, str] = {}
    for entry in entries:
        if entry.code not in labelled:
            labelled[entry.code] = (
                f"{entry.code} – {entry.description}" if entry.description else entry.code
            )
    return list(labelled.items())


# --- Reading the files --------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    code: str
    description: str
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class CodeListFile:
    name: str
    title: str
    source: str
    applies_to: str
    valid_from: date | None
    valid_to: date | None
    entries: list[EntryRow]


def _parse_date(raw: str, column: str, where: str, problems: list[str]) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    if _ISO_DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    problems.append(f"{where}: {column} {raw!r} is not a date in the form YYYY-MM-DD")
    return None


def _check_period(start: date | None, end: date | None, where: str, problems: list[str]) -> None:
    if start and end and end < start:
        problems.append(f"{where}: valid_to {end.isoformat()} is before valid_from {start}")


def _read_csv(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], problems: list[str]
) -> list[tuple[str, dict[str, str]]]:
    """Rows as ({column: value}) with "file line N" labels; header problems are recorded."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{path.name}: cannot be read: {error}")
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip() for column in next(reader, [])]
    missing = [column for column in required if column not in header]
    unknown = [column for column in header if column not in required + optional]
    if missing or unknown:
        problems.append(
            f"{path.name} line 1: the header must be {','.join(required)}"
            + (f" (optionally {','.join(optional)})" if optional else "")
            + f"; found {','.join(header) or 'nothing'}"
        )
        return []
    rows = []
    for row in reader:
        where = f"{path.name} line {reader.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{where}: expected {len(header)} columns, found {len(row)}")
            continue
        rows.append((where, dict(zip(header, row, strict=True))))
    return rows


def _read_entries(path: Path, problems: list[str]) -> list[EntryRow]:
    entries: list[EntryRow] = []
    first_seen: dict[tuple[str, date | None], str] = {}
    for where, row in _read_csv(path, ENTRY_COLUMNS, OPTIONAL_ENTRY_COLUMNS, problems):
        code = row["code"]
        count_before = len(problems)
        if not code.strip():
            problems.append(f"{where}: the code is blank")
        elif code != code.strip():
            problems.append(f"{where}: the code {code!r} has spaces before or after it")
        elif len(code) > CODE_MAX_LENGTH:
            problems.append(f"{where}: the code is longer than {CODE_MAX_LENGTH} characters")
        valid_from = _parse_date(row.get("valid_from", ""), "valid_from", where, problems)
        valid_to = _parse_date(row.get("valid_to", ""), "valid_to", where, problems)
        _check_period(valid_from, valid_to, where, problems)
        key = (code, valid_from)
        if len(problems) == count_before and key in first_seen:
            problems.append(f"{where}: the code {code!r} is listed twice (also {first_seen[key]})")
        if len(problems) == count_before:
            first_seen[key] = where
            entries.append(EntryRow(code, row["description"].strip(), valid_from, valid_to))
    if not entries and not any(problem.startswith(path.name) for problem in problems):
        problems.append(f"{path.name}: holds no codes")
    return entries


def read_code_lists(directory: Path) -> list[CodeListFile]:
    """Read and check ``manifest.csv`` and every list it names in ``directory``.

    Raises ``CodeListFileError`` listing every problem; nothing is returned unless all is well.
    """
    problems: list[str] = []
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise CodeListFileError([f"{directory}: there is no {MANIFEST}"])
    lists: list[CodeListFile] = []
    first_seen: dict[str, str] = {}
    for where, row in _read_csv(manifest_path, MANIFEST_COLUMNS, ("source",), problems):
        name = row["name"].strip()
        if not _LIST_NAME.fullmatch(name):
            problems.append(f"{where}: the name {name!r} must be lower-case letters, digits, _")
            continue
        if name in first_seen:
            problems.append(f"{where}: {name} is listed twice (also {first_seen[name]})")
            continue
        first_seen[name] = where
        if not row["title"].strip():
            problems.append(f"{where}: the title of {name} is blank")
        valid_from = _parse_date(row["valid_from"], "valid_from", where, problems)
        valid_to = _parse_date(row["valid_to"], "valid_to", where, problems)
        _check_period(valid_from, valid_to, where, problems)
        list_path = directory / f"{name}.csv"
        if not list_path.is_file():
            problems.append(f"{where}: there is no file {list_path.name} for {name}")
            continue
        lists.append(
            CodeListFile(
                name=name,
                title=row["title"].strip(),
                source=row.get("source", "").strip(),
                applies_to=row["applies_to"].strip(),
                valid_from=valid_from,
                valid_to=valid_to,
                entries=_read_entries(list_path, problems),
            )
        )
    for path in sorted(directory.glob("*.csv")):
        if path.name != MANIFEST and path.stem not in first_seen:
            problems.append(f"{path.name}: not named in {MANIFEST}, so it would not be loaded")
    if problems:
        raise CodeListFileError(problems)
    return lists


# --- Loading ------------------------------------------------------------------------------


@dataclass
class CodeListLoadResult:
    lists_added: int = 0
    lists_updated: int = 0
    entries_added: int = 0
    entries_updated: int = 0
    entries_unchanged: int = 0
    entries_closed: list[str] = field(default_factory=list)  # "list:code" given a valid_to
    lists_not_in_files: list[str] = field(default_factory=list)


def code_lists_load(
    *,
    lists: list[CodeListFile],
    actor: AbstractBaseUser | None = None,
    dropped_codes_valid_to: date | None = None,
    code_list_model: Any = CodeList,
    entry_model: Any = CodeListEntry,
) -> CodeListLoadResult:
    """Bring the database in line with ``lists`` in one transaction; re-running changes nothing.

    Lists and codes are added or updated, never deleted: a code that is no longer in its file
    is given ``valid_to`` = ``dropped_codes_valid_to`` (default today) unless it already has
    one. The models can be passed in so a data migration can use its historical models.
    """
    closing_day = dropped_codes_valid_to or timezone.localdate()
    result = CodeListLoadResult()
    memo_forget()
    with transaction.atomic():
        held_lists = {
            code_list.name: code_list for code_list in code_list_model.objects.select_for_update()
        }
        for listed in lists:
            code_list = held_lists.get(listed.name)
            wanted = {
                "title": listed.title,
                "source": listed.source,
                "applies_to": listed.applies_to,
                "valid_from": listed.valid_from,
                "valid_to": listed.valid_to,
            }
            if code_list is None:
                code_list = code_list_model.objects.create(
                    name=listed.name, created_by=actor, updated_by=actor, **wanted
                )
                result.lists_added += 1
            elif _update(code_list, wanted, actor):
                result.lists_updated += 1
            _load_entries(code_list, listed, actor, closing_day, entry_model, result)
        result.lists_not_in_files = sorted(set(held_lists) - {listed.name for listed in lists})
    return result


def _update(row: Any, wanted: dict[str, Any], actor: AbstractBaseUser | None) -> bool:
    changed = [name for name, value in wanted.items() if getattr(row, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(row, name, wanted[name])
    row.updated_by = actor
    row.save(update_fields=[*changed, "updated_by", "updated_at"])
    return True


def _load_entries(
    code_list: Any,
    listed: CodeListFile,
    actor: AbstractBaseUser | None,
    closing_day: date,
    entry_model: Any,
    result: CodeListLoadResult,
) -> None:
    held = {
        (entry.code, entry.valid_from): entry
        for entry in entry_model.objects.filter(code_list=code_list)
    }
    new = []
    for position, row in enumerate(listed.entries, start=1):
        wanted = {"description": row.description, "valid_to": row.valid_to, "position": position}
        entry = held.pop((row.code, row.valid_from), None)
        if entry is None:
            new.append(
                entry_model(
                    code_list=code_list,
                    code=row.code,
                    valid_from=row.valid_from,
                    created_by=actor,
                    updated_by=actor,
                    **wanted,
                )
            )
        elif _update(entry, wanted, actor):
            result.entries_updated += 1
        else:
            result.entries_unchanged += 1
    entry_model.objects.bulk_create(new)
    result.entries_added += len(new)
    for entry in held.values():  # no longer in the file: close, never delete
        if entry.valid_to is None:
            last_day = closing_day
            if entry.valid_from and entry.valid_from > closing_day:
                last_day = entry.valid_from - timedelta(days=1)  # dropped before it began
            _update(entry, {"valid_to": last_day}, actor)
            result.entries_closed.append(f"{listed.name}:{entry.code}")
