"""Helpers shared by the list parsers: names, identifiers, partial dates, content ids."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import date

from armsgate.screening.sources.records import ListedName, NameKind

_RANK: dict[NameKind, int] = {"primary": 0, "alias": 1, "original-script": 2, "weak-alias": 3}
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})")
_ISO = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?")
MAX_RANGE = 20  # a year range wider than this keeps only its two ends


def clean(text: str | None) -> str:
    """The text with runs of whitespace made one space, stripped; "" for None."""
    return " ".join(text.split()) if text else ""


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """The items without empty strings and repeats, in first-seen order."""
    return tuple(dict.fromkeys(item for item in items if item))


class Names:
    """Collects a record's names: cleaned, without repeats (case-insensitive), primary first.

    A name seen twice keeps its first spelling and position and the stronger kind
    (primary > alias > original-script > weak-alias).
    """

    def __init__(self, primary: str) -> None:
        self._items: dict[str, ListedName] = {}
        self.add(primary, "primary")

    def add(self, name: str | None, kind: NameKind) -> None:
        text = clean(name)
        if not text:
            return
        key = text.casefold()
        old = self._items.get(key)
        if old is None:
            self._items[key] = ListedName(text, kind)
        elif _RANK[kind] < _RANK[old.kind]:
            self._items[key] = ListedName(old.name, kind)

    def result(self) -> tuple[ListedName, ...]:
        return tuple(self._items.values())


_ID_TYPES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in (
        (r"\bimo\b", "imo"),
        (r"\bmmsi\b", "mmsi"),
        (r"call sign", "call-sign"),
        (r"\bmsn\b|manufacturer'?s serial", "aircraft-msn"),
        (r"tail number", "aircraft-tail-number"),
        (r"pass(?:port|eport)|pasaporte|travel document", "passport"),
        (r"swift|\bbic\b", "swift-bic"),
        (r"legal entity number|\blei\b", "lei"),
        (r"d-u-n-s|\bduns\b", "duns"),
        (r"\btax\b|fiscal|\bv\.?a\.?t\b|\bnit\b|\bruc\b|\br\.?f\.?c\b|\brif\b|c\.u\.i\.t"
         r"|\bfein\b|\binn\b|\bc\.i\.f\b", "tax-id"),
        (r"electoral|voter", "voter-id"),
        (r"national (?:id|identi)|identity (?:card|number|no)|\bid card|identification card"
         r"|c[eé]dula|c\.u\.r\.p|d\.n\.i|identidad|tazkira|citizen'?s card|personal id"
         r"|turkish identification|kenyan id|civil identification", "national-id"),
        (r"regist|company number|business number|enterprise number|gazette|\buscc\b"
         r"|unified social credit|\bc\.r\. no|trade licen[cs]e|chamber of comm"
         r"|folio mercantil|matr[ií]cula mercantil|incorporation|\bogrn\b", "registration"),
    ))
_SLUG = re.compile(r"[^a-z0-9]+")


def id_type(label: str) -> str:
    """A normalised identifier type for a list's label of it.

    Common kinds get one name across lists ("passport", "national-id", "tax-id",
    "registration", "imo", "mmsi", "swift-bic", "lei", "duns", "voter-id"); any other
    label becomes a lower-case slug of itself ("Birth Certificate Number" ->
    "birth-certificate-number").
    """
    for pattern, kind in _ID_TYPES:
        if pattern.search(label):
            return kind
    return _SLUG.sub("-", label.lower()).strip("-") or "id"


def month_number(word: str) -> int | None:
    """1..12 for an English month name or abbreviation ("Jan", "Sep.", "August")."""
    word = word.strip(".").lower()
    return MONTHS.get(word[:3]) if len(word) >= 3 and word.isalpha() else None


def _valid(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def partial_date(text: str) -> str | None:
    """ "12 Jan 1960" / "Jan. 1960" / "1960" / "1960-01-12" as a partial ISO date, or None."""
    text = clean(text)
    if m := _DAY_MONTH_YEAR.fullmatch(text):
        month = month_number(m[2])
        return _valid(int(m[3]), month, int(m[1])) if month else None
    if m := _MONTH_YEAR.fullmatch(text):
        month = month_number(m[1])
        return _valid(int(m[2]), month) if month else None
    if m := _ISO.fullmatch(text):
        return _valid(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    return None


def date_range(start: str, end: str) -> list[str]:
    """The dates of birth for "start to end": the date itself when both ends are the same,
    otherwise every year from the start's to the end's (only the two ends for a range
    wider than `MAX_RANGE` years or one that runs backwards)."""
    if start == end:
        return [start]
    first, last = int(start[:4]), int(end[:4])
    if 0 <= last - first <= MAX_RANGE:
        return [str(year) for year in range(first, last + 1)]
    return [start[:4], end[:4]]


def content_id(prefix: str, *parts: str) -> str:
    """``prefix`` + the first 16 hex digits of the sha256 of the parts, normalised."""
    text = "\x1f".join(clean(part).casefold() for part in parts)
    return f"{prefix}{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


def number_repeats(base_ids: Sequence[str]) -> list[str]:
    """The ids, with the second, third... use of one id numbered "-2", "-3" in file order."""
    seen: dict[str, int] = {}
    result = []
    for base in base_ids:
        seen[base] = seen.get(base, 0) + 1
        result.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return result
