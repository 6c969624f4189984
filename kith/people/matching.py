"""Fuzzy person search and duplicate detection: pure functions, no database.

Search is two steps. Blocking keys (``person_search_keys``, stored per person) let the
caller fetch candidates cheaply, asking for the most selective tier of ``query_keys`` first;
``score`` then ranks each candidate and says why in plain English. ``duplicate_score``
compares two records for the duplicate report.

Key scheme (each key at most 80 characters; ``<code>`` is ``phonetic`` of a name token):

- ``p:<code>``            a family or given name token (queries ask for every nickname form)
- ``s:<soundex>``         Soundex of a name token (catches typos Metaphone misses: "Jonh")
- ``f3:<abc>``            first three letters of a name token (catches later-letter typos)
- ``py:<code>:<year>``    a family name token or the first given name, with the year of birth
- ``pd:<code>:<date>``    a current family name token or the first given name, with the date
- ``po:<code>:<outcode>`` a current family name token with a current or previous postcode area
- ``d:<date>``            the date of birth
- ``pc:<postcode>``       a full (current or previous) postcode
- ``nn:<code>:<code>``    a given name token with a family name token (both names typed)
- ``ns:<sdx>:<sdx>``      the same pair by Soundex (a typo in either name)

Hyphenated names give keys for each part; ``p:`` keys also cover the joined form. Queries
look up every nickname form of each word, so stored keys need not. A typical person has
about 20 keys.

Queries ask for keys in tiers (``query_key_tiers``): a name with the year, date or area; the
date or postcode alone; both names as a pair; and, only when those find nobody, each name
alone (``broad``: the groups are large, so it is the slow path).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import jellyfish
from rapidfuzz.distance import OSA, JaroWinkler

from kith.people import identifiers

NICKNAMES_FILE = Path(__file__).resolve().parent / "data" / "nicknames.csv"
KEY_MAX_LENGTH = 80
# Keys whose groups of people are small enough to compare pairwise for duplicates.
DUPLICATE_KEY_PREFIXES = ("pd:", "py:", "po:")
# The largest group of people sharing one of those keys that the duplicate scan still compares
# pair by pair: a bigger group is a common name, not a duplicate. Name and full date of birth
# groups are small; name and year or postcode area groups are kept smaller.
DUPLICATE_GROUP_MAX = {"pd:": 30, "po:": 12, "py:": 12}
# Pairs scoring at least this are reported as possible duplicates.
DUPLICATE_MIN_SCORE = 80.0

_CODE_MAX_LENGTH = 30
_MAX_KEY_POSTCODES = 3
_MAX_KEY_OUTCODES = 2
_MAX_PAIR_TOKENS = 3  # given and family name tokens paired in nn:/ns: keys

# --- Names ---

_APOSTROPHES = frozenset("'’‘ʼ`´")
_HYPHENS = frozenset("-‐‑‒–—")
_UNDECOMPOSED_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Lower case without accents or apostrophes, letters and inner hyphens only, single
    spaces: "  O'Brien-Núñez " -> "obrien-nunez"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold()).translate(_UNDECOMPOSED_LETTERS)
    kept = []
    for char in decomposed:
        if char in _APOSTROPHES or unicodedata.combining(char):
            continue
        if char in _HYPHENS:
            kept.append("-")
        elif char.isalpha():
            kept.append(char)
        else:
            kept.append(" ")
    words = ("-".join(part for part in word.split("-") if part) for word in "".join(kept).split())
    return " ".join(word for word in words if word)


def _word_parts(word: str) -> list[str]:
    return [part for part in word.split("-") if part]


def name_tokens(*names: str) -> list[str]:
    """Folded tokens of the names; a hyphenated word gives its joined form and each part:
    "Smith-Jones" -> ["smithjones", "smith", "jones"]."""
    tokens: dict[str, None] = {}
    for name in names:
        for word in fold(name).split():
            parts = _word_parts(word)
            tokens.setdefault("".join(parts))
            if len(parts) > 1:
                for part in parts:
                    tokens.setdefault(part)
    return list(tokens)


def _atomic_tokens(*names: str) -> list[str]:
    """Like ``name_tokens`` but a hyphenated word gives only its parts."""
    tokens: dict[str, None] = {}
    for name in names:
        for word in fold(name).split():
            for part in _word_parts(word):
                tokens.setdefault(part)
    return list(tokens)


@lru_cache(maxsize=1)
def _nickname_table() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(nicknames of each formal name, formal names of each nickname)."""
    nicknames: dict[str, set[str]] = {}
    formals: dict[str, set[str]] = {}
    with NICKNAMES_FILE.open(newline="", encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            formal, nickname = _compact(row["formal"]), _compact(row["nickname"])
            if formal and nickname and formal != nickname:
                nicknames.setdefault(formal, set()).add(nickname)
                formals.setdefault(nickname, set()).add(formal)
    return (
        {name: frozenset(names) for name, names in nicknames.items()},
        {name: frozenset(names) for name, names in formals.items()},
    )


def _compact(name: str) -> str:
    return fold(name).replace("-", "").replace(" ", "")


@lru_cache(maxsize=16384)
def given_name_forms(token: str) -> frozenset[str]:
    """The name, the formal names it is short for, and every short form of those:
    "bob" -> {"bob", "robert", "rob", "bobby", ...}."""
    name = _compact(token)
    if not name:
        return frozenset()
    nicknames, formals = _nickname_table()
    forms = {name, *nicknames.get(name, ())}
    for formal in formals.get(name, ()):
        forms.add(formal)
        forms.update(nicknames.get(formal, ()))
    return frozenset(forms)


def _short_form_of(nickname: str, formal: str) -> bool:
    return nickname in _nickname_table()[0].get(formal, ())


def _shared_formal(first: str, second: str) -> str:
    formals = _nickname_table()[1]
    shared = formals.get(first, frozenset()) & formals.get(second, frozenset())
    return min(shared) if shared else ""


@lru_cache(maxsize=65536)
def phonetic(token: str) -> str:
    """A phonetic code (Metaphone): "smith" and "smyth" -> "SM0"; "" for ""."""
    if not token:
        return ""
    return jellyfish.metaphone(token).upper()


def _code(token: str) -> str:
    """The token's phonetic code for keys; the token itself when it has none (other scripts)."""
    return (phonetic(token) or token.upper())[:_CODE_MAX_LENGTH]


@lru_cache(maxsize=65536)
def _soundex(token: str) -> str:
    return (jellyfish.soundex(token) if token.isascii() else token.upper())[:_CODE_MAX_LENGTH]


# --- Queries ---


@dataclass(frozen=True)
class ParsedQuery:
    names: tuple[str, ...] = ()
    date_of_birth: date | None = None
    year_of_birth: int | None = None
    postcode: str = ""
    outcode: str = ""
    nhs_number: str = ""
    upn: str = ""
    la_number: int | None = None
    other_id: str = ""


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC_DMY = re.compile(r"(?<![\w/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\w/.-])")
_NUMERIC_YMD = re.compile(r"(?<![\w/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w/.-])")
_WORDY_DATE = re.compile(
    r"(?<!\w)(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})(?!\w)", re.IGNORECASE
)
_TEN_DIGITS = re.compile(r"(?<![\w-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\w-])")
_POSTCODE_IN_TEXT = re.compile(
    r"(?<![A-Z0-9])([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})(?![A-Z0-9])", re.IGNORECASE
)
_EDGE_PUNCTUATION = '"()[]{}<>.,;:!?'
_YEAR_RANGE = range(1900, 2101)
_LA_NUMBER_LENGTHS = (6, 7)


def _make_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _find_date(text: str) -> tuple[date | None, str]:
    """The first date written in the text, and the text without it."""
    for pattern, order in ((_NUMERIC_DMY, "dmy"), (_NUMERIC_YMD, "ymd"), (_WORDY_DATE, "dMy")):
        for found in pattern.finditer(text):
            if order == "dmy":
                day, month, year = found.groups()
            elif order == "ymd":
                year, month, day = found.groups()
            else:
                day, month_name, year = found.groups()
                number = _MONTHS.get(month_name.lower())
                if number is None:
                    continue
                month = str(number)
            when = _make_date(year, month, day)
            if when:
                return when, text[: found.start()] + " " + text[found.end() :]
    return None, text


def parse_query(text: str) -> ParsedQuery:
    """What a search box entry contains: names, a date or year of birth, a postcode or
    postcode area, an NHS number, UPN, LA number or another identifier."""
    rest = text
    date_of_birth, rest = _find_date(rest)
    nhs_number = other_id = upn = postcode = area = ""
    year: int | None = date_of_birth.year if date_of_birth else None
    la_number: int | None = None

    for found in list(_TEN_DIGITS.finditer(rest)):
        digits = "".join(found.groups())
        if identifiers.nhs_number_valid(digits) and not nhs_number:
            nhs_number = digits
        elif not other_id:
            other_id = digits
        else:
            continue
        rest = rest.replace(found.group(0), " ", 1)

    for found in list(_POSTCODE_IN_TEXT.finditer(rest)):
        candidate = identifiers.normalise_postcode(found.group(1) + found.group(2))
        if identifiers.postcode_valid(candidate) and not postcode:
            postcode = candidate
            rest = rest.replace(found.group(0), " ", 1)

    names: dict[str, None] = {}
    for raw in re.split(r"[\s,;]+", rest):
        token = raw.strip(_EDGE_PUNCTUATION)
        if not token:
            continue
        has_digit = any(char.isdigit() for char in token)
        if token.isascii() and token.isdigit():
            number = int(token)
            if len(token) == 4 and number in _YEAR_RANGE and year is None:
                year = number
            elif len(token) in _LA_NUMBER_LENGTHS and la_number is None:
                la_number = number
            elif not other_id:
                other_id = token
        elif len(token) == identifiers.UPN_LENGTH and identifiers.upn_valid(token) and not upn:
            upn = token.upper()
        elif has_digit and identifiers.looks_like_outcode(token) and not area:
            area = token.upper()
        elif has_digit:
            other_id = other_id or token
        else:
            for word in fold(token).split():
                names.setdefault(word)

    return ParsedQuery(
        names=tuple(names),
        date_of_birth=date_of_birth,
        year_of_birth=year,
        postcode=postcode,
        outcode=identifiers.outcode(postcode) if postcode else area,
        nhs_number=nhs_number,
        upn=upn,
        la_number=la_number,
        other_id=other_id,
    )


# --- Candidates and blocking keys ---


@dataclass(frozen=True)
class Candidate:
    given_names: tuple[str, ...] = ()
    family_names: tuple[str, ...] = ()
    date_of_birth: date | None = None
    postcodes: tuple[str, ...] = ()

    @classmethod
    def of_record(
        cls,
        *,
        given_name: str,
        middle_names: str,
        known_as: str,
        family_name: str,
        other_names: Iterable[tuple[str, str]],
        date_of_birth: date | None,
        postcodes: Iterable[str],
    ) -> Candidate:
        """A person's record as matching sees it: current names first, then other names
        (given, family), the date of birth (or expected date), current postcode first."""
        other = list(other_names)
        return cls(
            given_names=tuple(
                n for n in (given_name, middle_names, known_as, *(g for g, _ in other)) if n
            ),
            family_names=tuple(n for n in (family_name, *(f for _, f in other)) if n),
            date_of_birth=date_of_birth,
            postcodes=tuple(dict.fromkeys(p for p in postcodes if p)),
        )

    @classmethod
    def of_person(
        cls, person: Any, other_names: Iterable[tuple[str, str]], postcodes: Iterable[str]
    ) -> Candidate:
        """A Person row (names, dates, current postcode) with its current other names and
        its addresses' postcodes, newest first."""
        return cls.of_record(
            given_name=person.given_name,
            middle_names=person.middle_names,
            known_as=person.known_as,
            family_name=person.family_name,
            other_names=other_names,
            date_of_birth=person.date_of_birth or person.expected_date_of_birth,
            postcodes=[person.postcode, *postcodes],
        )


@lru_cache(maxsize=8192)
def _postcodes(candidate: Candidate) -> tuple[str, ...]:
    """The candidate's valid postcodes, normalised, current first, without repeats (kept
    for the last candidates seen: the duplicate scan compares each person several times)."""
    found: dict[str, None] = {}
    for value in candidate.postcodes:
        postcode = identifiers.normalise_postcode(value)
        if identifiers.postcode_valid(postcode):
            found.setdefault(postcode)
    return tuple(found)


def _outcodes(postcodes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(identifiers.outcode(p) for p in postcodes))


def _key(*parts: object) -> str:
    return ":".join(str(part) for part in parts)[:KEY_MAX_LENGTH]


def person_search_keys(candidate: Candidate) -> set[str]:
    """The blocking keys stored for a person (see the module docstring)."""
    family, given = candidate.family_names, candidate.given_names
    words = name_tokens(*family, *given)
    parts = _atomic_tokens(*family, *given)
    # Selective keys use the current family name, any earlier family name and the first
    # given name: a search with a year or area almost always includes one of those.
    family_codes = {_code(t) for t in _atomic_tokens(*family)}
    current_codes = {_code(t) for t in _atomic_tokens(*family[:1])}
    first_given_codes = {_code(t) for t in _atomic_tokens(*given[:1])}
    # Nickname forms are expanded on the query side only: the relation is symmetric.
    keys = {_key("p", _code(token)) for token in words}
    keys |= {_key("s", _soundex(token)) for token in parts}
    keys |= {_key("f3", token[:3]) for token in parts}
    born = candidate.date_of_birth
    if born:
        keys.add(_key("d", born.isoformat()))
        keys |= {_key("py", code, born.year) for code in family_codes | first_given_codes}
        keys |= {_key("pd", code, born.isoformat()) for code in current_codes | first_given_codes}
    postcodes = _postcodes(candidate)[:_MAX_KEY_POSTCODES]
    keys |= {_key("pc", postcode) for postcode in postcodes}
    for area in _outcodes(postcodes)[:_MAX_KEY_OUTCODES]:
        keys |= {_key("po", code, area) for code in current_codes}
    pair_given = _atomic_tokens(*given)[:_MAX_PAIR_TOKENS]
    pair_family = _atomic_tokens(*family)[:_MAX_PAIR_TOKENS]
    for first in pair_given:
        for last in pair_family:
            keys.add(_key("nn", _code(first), _code(last)))
            keys.add(_key("ns", _soundex(first), _soundex(last)))
    return keys


@dataclass(frozen=True)
class KeyTier:
    keys: frozenset[str]
    broad: bool = False  # names alone: large groups, asked for only when nothing else finds


def query_key_tiers(query: ParsedQuery) -> list[KeyTier]:
    """Tiers of keys to look up, most selective first: a name with the year or date of birth
    or postcode area; then the date of birth or full postcode alone; then two names as a
    pair; then each name alone. Empty tiers are left out."""
    tokens = [token for token in name_tokens(*query.names) if len(token) > 1]
    forms = {token: given_name_forms(token) for token in tokens}
    codes = {_code(form) for token in tokens for form in forms[token]}
    born = query.date_of_birth
    selective: set[str] = set()
    if query.year_of_birth:
        selective |= {_key("py", code, query.year_of_birth) for code in codes}
    if born:
        selective |= {_key("pd", code, born.isoformat()) for code in codes}
    if query.outcode:
        selective |= {_key("po", code, query.outcode) for code in codes}
    facts: set[str] = set()
    if born:
        facts.add(_key("d", born.isoformat()))
    if query.postcode:
        facts.add(_key("pc", query.postcode))
    # Either word may be the given name: names typed the other way round still pair.
    pairs: set[str] = set()
    for first in tokens:
        for last in tokens:
            if first == last:
                continue
            for form in forms[first]:
                pairs.add(_key("nn", _code(form), _code(last)))
                pairs.add(_key("ns", _soundex(form), _soundex(last)))
    by_name = {_key("p", code) for code in codes}
    by_name |= {_key("s", _soundex(token)) for token in tokens}
    by_name |= {_key("f3", token[:3]) for token in tokens}
    tiers = [KeyTier(frozenset(keys)) for keys in (selective, facts, pairs) if keys]
    if by_name:
        tiers.append(KeyTier(frozenset(by_name), broad=True))
    return tiers


def query_keys(query: ParsedQuery) -> list[set[str]]:
    """The keys of each tier of ``query_key_tiers``; [] for a query with nothing to look up."""
    return [set(tier.keys) for tier in query_key_tiers(query)]


# --- Scoring ---


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[str, ...] = ()


_GIVEN, _FAMILY = "given", "family"
_EXACT, _PART, _NICKNAME, _SOUNDS, _SPELLING, _PREFIX, _INITIAL, _WEAK = (
    "exact",
    "part",
    "nickname",
    "sounds",
    "spelling",
    "prefix",
    "initial",
    "weak",
)
# A name counts as found when its similarity reaches this.
_FOUND = 0.5


@dataclass(frozen=True)
class _Name:
    text: str  # folded, hyphens removed
    parts: tuple[str, ...]
    code: str
    display: str
    role: str
    primary: bool

    @property
    def label(self) -> str:
        if self.role == _FAMILY:
            return "Family name" if self.primary else "Previous name"
        return "Given name" if self.primary else "Other given name"


def _names_of(words: Iterable[tuple[str, str]], role: str, primary: bool) -> list[_Name]:
    found = []
    for folded_word, display in words:
        parts = tuple(_word_parts(folded_word))
        text = "".join(parts)
        if text:
            found.append(_Name(text, parts, phonetic(text), display, role, primary))
    return found


def _words(value: str) -> list[tuple[str, str]]:
    """(folded word, word as written) for each word of a name."""
    pairs = []
    for written in value.split():
        for word in fold(written).split():
            pairs.append((word, written.strip(_EDGE_PUNCTUATION)))
    return pairs


@lru_cache(maxsize=8192)
def _prepared(candidate: Candidate) -> tuple[_Name, ...]:
    """The candidate's names, family names first, without repeats."""
    names: list[_Name] = []
    for index, family in enumerate(candidate.family_names):
        names += _names_of(_words(family), _FAMILY, primary=index == 0)
    for index, given in enumerate(candidate.given_names):
        names += _names_of(_words(given), _GIVEN, primary=index == 0)
    unique: dict[tuple[str, str], _Name] = {}
    for name in names:
        unique.setdefault((name.text, name.role), name)
    return tuple(unique.values())


@lru_cache(maxsize=1024)
def _query_names(names: tuple[str, ...]) -> tuple[_Name, ...]:
    words = [(word, "-".join(p.capitalize() for p in _word_parts(word))) for word in names]
    return tuple(_names_of(words, _GIVEN, primary=True))


def _merge_split_names(words: Sequence[_Name], names: Sequence[_Name]) -> list[_Name]:
    """Join neighbouring query words that together spell one of the candidate's names
    ("smith jones" for "Smith-Jones")."""
    texts = {name.text for name in names if len(name.parts) > 1}
    if not texts or len(words) < 2:
        return list(words)
    merged: list[_Name] = []
    index = 0
    while index < len(words):
        word = words[index]
        if index + 1 < len(words) and word.text + words[index + 1].text in texts:
            after = words[index + 1]
            text = word.text + after.text
            merged.append(
                _Name(
                    text,
                    word.parts + after.parts,
                    phonetic(text),
                    f"{word.display} {after.display}",
                    word.role,
                    word.primary,
                )
            )
            index += 2
        else:
            merged.append(word)
            index += 1
    return merged


def _similarity(query: _Name, other: _Name, *, nicknames: bool, loose: bool) -> tuple[float, str]:
    """How alike two name tokens are (0-1), and the kind of likeness."""
    if query.text == other.text:
        return 1.0, _EXACT
    if (len(other.parts) > 1 and query.text in other.parts) or (
        len(query.parts) > 1 and other.text in query.parts
    ):
        return 0.9, _PART
    if nicknames and other.text in given_name_forms(query.text):
        return 0.9, _NICKNAME
    closeness = JaroWinkler.normalized_similarity(query.text, other.text)
    best = (0.4 * closeness, _WEAK)
    if query.code and query.code == other.code:
        best = max(best, (0.85, _SOUNDS) if closeness >= 0.75 else (0.45, _WEAK))
    longest = max(len(query.text), len(other.text))
    if longest >= 4:
        edits = OSA.distance(query.text, other.text, score_cutoff=2)
        if edits == 1 or (edits == 2 and longest >= 8):
            best = max(best, (0.8 if edits == 1 else 0.7, _SPELLING))
    if loose:
        if len(query.text) >= 3 and other.text.startswith(query.text):
            best = max(best, (0.7, _PREFIX))
        elif len(query.text) == 1 and other.role == _GIVEN and other.text[0] == query.text:
            best = max(best, (0.5, _INITIAL))
    return best


def _nickname_reason(first: _Name, second: _Name) -> str:
    if _short_form_of(first.text, second.text):
        return f"Given name '{first.display}' is a short form of '{second.display}'"
    if _short_form_of(second.text, first.text):
        return f"Given name '{first.display}' is the full form of '{second.display}'"
    formal = _shared_formal(first.text, second.text)
    if formal:
        return (
            f"Given names '{first.display}' and '{second.display}' are both short forms "
            f"of '{formal.capitalize()}'"
        )
    return f"Given names '{first.display}' and '{second.display}' can be the same name"


def _search_reason(kind: str, word: _Name, name: _Name) -> str:
    label = name.label
    if kind == _EXACT:
        return f"{label} matches" if name.primary else f"{label} '{name.display}' matches"
    if kind == _PART:
        if len(name.parts) > 1:
            return f"{label} '{name.display}' includes '{word.display}'"
        return f"{label} '{name.display}' is part of '{word.display}'"
    if kind == _NICKNAME:
        return _nickname_reason(word, name)
    if kind == _SOUNDS:
        return f"{label} sounds like '{name.display}'"
    if kind == _SPELLING:
        return f"{label} is spelt similarly to '{name.display}'"
    if kind == _PREFIX:
        return f"{label} '{name.display}' starts with '{word.display}'"
    return f"Initial '{word.display}' matches {label.lower()} '{name.display}'"


def _role_weight(name: _Name) -> float:
    return 1.0 if name.primary else 0.95 if name.role == _FAMILY else 0.9


def _match_names(words: Sequence[_Name], names: Sequence[_Name]) -> tuple[float, list[str]]:
    """Pairs each query word with a different candidate name (best pairs first) and
    returns how well the names match (0-1) with the reasons."""
    options = []
    for i, word in enumerate(words):
        for j, name in enumerate(names):
            similarity, kind = _similarity(word, name, nicknames=name.role == _GIVEN, loose=True)
            credit = 0.95 if name.role == _FAMILY and not name.primary else 1.0
            options.append((similarity * credit, similarity, i, j, kind))
    # Best pairs first; on a tie, current names before previous or other ones.
    options.sort(key=lambda o: (-o[0], not names[o[3]].primary, o[2], o[3]))
    chosen: dict[int, tuple[float, float, int, str]] = {}
    used: set[int] = set()
    for value, similarity, i, j, kind in options:
        if i not in chosen and j not in used:
            chosen[i] = (value, similarity, j, kind)
            used.add(j)

    total = sum(value for value, *_ in chosen.values()) / len(words)
    found = {i: names[j] for i, (_, sim, j, _) in chosen.items() if sim >= _FOUND}
    found_family = [i for i, name in found.items() if name.role == _FAMILY]
    reasons: list[tuple[tuple[int, int, int], str]] = []
    if len(words) > 1 and not found_family:
        total *= 0.75
    if len(words) == 1 and found and not found_family:
        total *= 0.9
    last = len(words) - 1
    if len(words) > 1 and 0 in found_family and last in found and found[last].role == _GIVEN:
        total *= 0.97
        reasons.append(((2, 0, 0), "Names entered the other way round"))
    for i, word in enumerate(words):
        if i in found:
            _, _, _, kind = chosen[i]
            name = found[i]
            order = (0 if name.role == _FAMILY else 1, 0 if name.primary else 1, i)
            reasons.append((order, _search_reason(kind, word, name)))
        else:
            reasons.append(((3, 0, i), f"No name matches '{word.display}'"))
    return total, [reason for _, reason in sorted(reasons)]


def _swapped_day_month(first: date, second: date) -> bool:
    return (
        first.year == second.year
        and first.day == second.month
        and first.month == second.day
        and first != second
    )


@lru_cache(maxsize=65536)
def _digits(day: date) -> str:
    return day.strftime("%d%m%Y")


def _one_digit_apart(first: date, second: date) -> bool:
    a, b = _digits(first), _digits(second)
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _search_birth(query: ParsedQuery, born: date | None) -> tuple[float, float, str]:
    """(similarity 0-1, penalty factor, reason) for the date or year of birth."""
    if born is None:
        return 0.4, 1.0, "No date of birth recorded"
    wanted = query.date_of_birth
    if wanted:
        if wanted == born:
            return 1.0, 1.0, "Date of birth matches"
        if _swapped_day_month(wanted, born):
            return 0.7, 1.0, "Date of birth matches with the day and month swapped"
        if _one_digit_apart(wanted, born):
            return 0.65, 1.0, "Date of birth differs by one digit"
        if wanted.year == born.year:
            return 0.25, 0.9, "Year of birth matches but not the day and month"
        return 0.0, 0.8, "Date of birth is different"
    assert query.year_of_birth is not None
    gap = abs(query.year_of_birth - born.year)
    if gap == 0:
        return 1.0, 1.0, "Year of birth matches"
    if gap == 1:
        return 0.5, 1.0, "Year of birth is one year out"
    return 0.0, 0.8, "Year of birth is different"


def _search_postcode(query: ParsedQuery, postcodes: Sequence[str]) -> tuple[float, str]:
    if not postcodes:
        return 0.3, "No postcode recorded"
    areas = _outcodes(postcodes)
    area = query.outcode
    if query.postcode:
        if postcodes[0] == query.postcode:
            return 1.0, "Postcode matches"
        if query.postcode in postcodes:
            return 0.85, "Previous postcode matches"
    if area and areas[0] == area:
        return (0.5 if query.postcode else 1.0), f"Same postcode area ({area})"
    if area and area in areas:
        return (0.4 if query.postcode else 0.8), f"Previous address in postcode area {area}"
    return 0.0, "Postcode is different" if query.postcode else f"Not in postcode area {area}"


_NAME_WEIGHT, _BIRTH_WEIGHT, _POSTCODE_WEIGHT = 0.55, 0.3, 0.15


def score(query: ParsedQuery, candidate: Candidate) -> Match:
    """How well a candidate matches a search (0-100), with the reasons. Only what the query
    gives counts: an exact match on everything it gives scores 100."""
    parts: list[tuple[float, float]] = []
    reasons: list[str] = []
    penalty = 1.0
    names = _prepared(candidate)
    words = _query_names(query.names)
    if words:
        if names:
            similarity, name_reasons = _match_names(_merge_split_names(words, names), names)
        else:
            similarity, name_reasons = 0.0, ["No name recorded"]
        parts.append((similarity, _NAME_WEIGHT))
        reasons += name_reasons
    if query.date_of_birth or query.year_of_birth:
        similarity, factor, reason = _search_birth(query, candidate.date_of_birth)
        parts.append((similarity, _BIRTH_WEIGHT))
        penalty *= factor
        reasons.append(reason)
    if query.postcode or query.outcode:
        similarity, reason = _search_postcode(query, _postcodes(candidate))
        parts.append((similarity, _POSTCODE_WEIGHT))
        reasons.append(reason)
    if not parts:
        return Match(0.0, ())
    total = sum(s * w for s, w in parts) / sum(w for _, w in parts) * penalty
    return Match(round(min(max(total, 0.0), 1.0) * 100, 1), tuple(reasons))


# --- Duplicates ---


def _best_pair(
    first: Sequence[_Name], second: Sequence[_Name], *, nicknames: bool
) -> tuple[float, str, _Name | None, _Name | None]:
    best: tuple[float, str, _Name | None, _Name | None] = (0.0, _WEAK, None, None)
    for a in first:
        for b in second:
            similarity, kind = _similarity(a, b, nicknames=nicknames, loose=False)
            similarity *= min(_role_weight(a), _role_weight(b))
            if similarity > best[0]:
                best = (similarity, kind, a, b)
    return best


def _duplicate_name_reason(kind: str, a: _Name, b: _Name) -> str:
    label = a.label if not a.primary else b.label
    if kind == _EXACT:
        return f"{label} matches" if a.primary and b.primary else f"{label} '{b.display}' matches"
    if kind == _PART:
        longer, shorter = (a, b) if len(a.parts) > len(b.parts) else (b, a)
        return f"{label} '{longer.display}' includes '{shorter.display}'"
    if kind == _NICKNAME:
        return _nickname_reason(a, b)
    if kind == _SOUNDS:
        return f"{label}s sound alike ('{a.display}' and '{b.display}')"
    return f"{label}s are spelt similarly ('{a.display}' and '{b.display}')"


def _duplicate_birth(a: date | None, b: date | None) -> tuple[float, float, str]:
    if a is None or b is None:
        return 0.5, 1.0, "Date of birth not recorded on both"
    if a == b:
        return 1.0, 1.0, "Date of birth matches"
    if _swapped_day_month(a, b):
        return 0.8, 1.0, "Date of birth matches with the day and month swapped"
    if _one_digit_apart(a, b):
        return 0.75, 1.0, "Date of birth differs by one digit"
    return 0.0, 0.75, "Dates of birth are different"


def _duplicate_postcode(a: Sequence[str], b: Sequence[str]) -> tuple[float, str]:
    if not a or not b:
        return 0.5, "Postcode not recorded on both"
    if a[0] == b[0]:
        return 1.0, "Postcode matches"
    if set(a) & set(b):
        return 0.9, "Have shared a postcode (previous address)"
    shared_areas = [area for area in _outcodes(a) if area in _outcodes(b)]
    if shared_areas:
        return 0.6, f"Same postcode area ({shared_areas[0]})"
    return 0.3, "Postcodes are different"


_DUP_GIVEN, _DUP_FAMILY, _DUP_BIRTH, _DUP_POSTCODE = 0.3, 0.25, 0.35, 0.1


def duplicate_score_ceiling(a: Candidate, b: Candidate) -> float:
    """The most ``duplicate_score(a, b)`` can be, judged from the dates of birth alone (names
    and postcodes taken to match): cheap, so the duplicate scan need not score pairs that
    cannot reach its minimum, such as two people born on different days."""
    birth, factor, _ = _duplicate_birth(a.date_of_birth, b.date_of_birth)
    best = _DUP_GIVEN + _DUP_FAMILY + _DUP_BIRTH * birth + _DUP_POSTCODE
    return round(min(best * factor, 1.0) * 100, 1)


def duplicate_score(a: Candidate, b: Candidate) -> Match:
    """How likely two records are the same person (0-100), with the reasons."""
    a_names, b_names = _prepared(a), _prepared(b)
    a_given = [n for n in a_names if n.role == _GIVEN]
    a_family = [n for n in a_names if n.role == _FAMILY]
    b_given = [n for n in b_names if n.role == _GIVEN]
    b_family = [n for n in b_names if n.role == _FAMILY]
    given = _best_pair(a_given, b_given, nicknames=True)
    family = _best_pair(a_family, b_family, nicknames=False)
    straight = _DUP_GIVEN * given[0] + _DUP_FAMILY * family[0]
    # Names the other way round: a's given name against b's family name and the reverse.
    crossed = (
        _best_pair(a_given, b_family, nicknames=False),
        _best_pair(a_family, b_given, nicknames=False),
    )
    swapped = (_DUP_GIVEN + _DUP_FAMILY) / 2 * (crossed[0][0] + crossed[1][0]) * 0.95

    reasons: list[str] = []
    penalty = 1.0
    if swapped > straight:
        total = swapped
        reasons.append("Names recorded the other way round")
        for similarity, kind, first, second in crossed:
            if first and second and similarity >= _FOUND and kind != _EXACT:
                reasons.append(_duplicate_name_reason(kind, first, second))
        if min(crossed[0][0], crossed[1][0]) < _FOUND:
            penalty *= 0.6
            reasons.append("Some names are different")
    else:
        total = straight
        for similarity, kind, first, second in (family, given):
            if first and second and similarity >= _FOUND:
                reasons.append(_duplicate_name_reason(kind, first, second))
        if given[0] < _FOUND:
            penalty *= 0.6
            reasons.append("Given names are different")
        if family[0] < _FOUND:
            penalty *= 0.85
            reasons.append("Family names are different")

    birth, factor, reason = _duplicate_birth(a.date_of_birth, b.date_of_birth)
    total += _DUP_BIRTH * birth
    penalty *= factor
    reasons.append(reason)
    where, reason = _duplicate_postcode(_postcodes(a), _postcodes(b))
    total += _DUP_POSTCODE * where
    reasons.append(reason)
    return Match(round(min(max(total * penalty, 0.0), 1.0) * 100, 1), tuple(reasons))
