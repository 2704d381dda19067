"""Proposals for the conflict register from the UCDP/PRIO Armed Conflict Dataset.

The conflict register (countries the authority holds to be at war, to which exports are
refused) is the authority's own decision. This module never changes it: `propose_conflicts`
is a pure function from the data set's rows to *proposals*, and an officer must confirm,
amend or reject each one before anything is entered in the register.

A proposal says: in the data set's year ``as_of_year`` (by default its latest year), the
government of ``country`` was a primary party to, or ``country`` was the location of, at
least one state-based armed conflict of the selected types with at least ``min_intensity``
(1: 25-999 battle deaths in the year, 2: war, 1000 or more). ``from_`` is the earliest
start of the current episode (``start_date2``) among those conflicts; ``source`` cites the
data set, its version and every conflict id. Governments that only supported a side
(``side_a_2nd``, ``side_b_2nd``) are not proposed for that conflict; they are listed in
``also_involved`` for information. Parties or locations whose Gleditsch-Ward code has no
current ISO code (see `gwcodes`, e.g. Kosovo) cannot be proposed; `unmapped_parties` lists
them so that the officer can deal with them by hand.

File format: semicolon-separated, header line first, dates as d-m-yyyy, one row per
conflict-year. A record broken over two physical lines is joined: a line is appended to the
record before it when it starts with the separator (its conflict_id is empty) or when that
record has fewer fields than the header (trailing empty fields not counted). In a joined
record only, padding separators before the break are dropped when the next line starts with
the separator, and a field made only of digits and bare commas (",710,") is read as
separators turned into commas. The result must have exactly the header's number of fields;
anything else is refused with the line numbers. (Conflict 11349 in v25.1 is such a record.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import KW_ONLY, dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from armsgate.errors import InputError
from armsgate.importers.gwcodes import UnknownGwCode, iso2_for

DATASET = "UCDP/PRIO Armed Conflict Dataset"
INTENSITY = {1: "minor", 2: "war"}
CONFLICT_TYPES = {
    1: "extrasystemic", 2: "interstate", 3: "intrastate", 4: "internationalized intrastate"
}  # fmt: skip
_REQUIRED = (
    "conflict_id", "location", "side_a", "side_a_2nd", "side_b", "side_b_2nd", "year",
    "intensity_level", "type_of_conflict", "start_date", "start_date2", "ep_end",
    "ep_end_date", "gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc", "version",
)  # fmt: skip
_T = TypeVar("_T")
_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_BARE_COMMAS = re.compile(r"\d*(?:,\d*)+")
_SUPPORTER_SPLIT = re.compile(r"\s*,\s*(?=Government of )")


@dataclass(frozen=True, slots=True)
class UcdpRow:
    """One conflict-year of the data set, parsed; ``lines`` are its first and last line."""

    conflict_id: int
    location: str
    side_a: str
    side_a_2nd: str
    side_b: str
    side_b_2nd: str
    year: int
    intensity_level: int
    type_of_conflict: int
    start_date: date
    start_date2: date
    ep_end: bool
    ep_end_date: date | None
    gwno_a: tuple[int, ...]
    gwno_a_2nd: tuple[int, ...]
    gwno_b: tuple[int, ...]
    gwno_b_2nd: tuple[int, ...]
    gwno_loc: tuple[int, ...]
    version: str
    lines: tuple[int, int]


@dataclass(frozen=True, slots=True)
class ConflictProposal:
    """A proposed conflict-register entry; it takes effect only once an officer confirms it."""

    country: str
    from_: date
    conflict_ids: tuple[int, ...]
    intensity: int
    types: tuple[int, ...]
    sides: tuple[str, ...]
    location: str
    source: str
    _: KW_ONLY
    year: int
    also_involved: tuple[str, ...] = ()
    episode_ended: tuple[int, ...] = ()


def read_rows(path: str | Path) -> list[UcdpRow]:
    """Read and parse every conflict-year of a UCDP/PRIO ACD file (semicolon-separated)."""
    where = str(path)
    lines = Path(path).read_text(encoding="utf-8-sig").split("\n")
    header = lines[0].rstrip("\r").split(";")
    missing = [name for name in _REQUIRED if name not in header]
    if missing:
        raise InputError("header", f"missing columns {', '.join(missing)}", source=where)
    rows: list[UcdpRow] = []
    for first, last, fields in _records(lines[1:], len(header), where):
        values = dict(zip(header, fields, strict=True))
        rows.append(_parse(values, (first, last), f"{where}:{first}"))
    return rows


def _records(lines: list[str], width: int, where: str) -> Iterator[tuple[int, int, list[str]]]:
    """Logical records as (first line, last line, fields), joining records split over lines."""
    records: list[tuple[int, int, str, bool]] = []  # first line, last line, text, joined
    for number, raw in enumerate(lines, start=2):
        text = raw.rstrip("\r")
        if not text.strip(" ;"):
            continue
        if records and (text.startswith(";") or len(_repaired(records[-1][2], width)) < width):
            first, _, before, _ = records[-1]
            before = before.rstrip(";") if text.startswith(";") else before  # drop padding
            records[-1] = (first, number, before + text, True)
        else:
            records.append((number, number, text, False))
    for first, last, text, joined in records:
        fields = _repaired(text, width) if joined else text.split(";")
        if len(fields) != width:
            raise InputError(
                "", f"{len(fields)} fields where the header has {width}",
                source=f"{where}:{first}-{last}" if joined else f"{where}:{first}",
            )  # fmt: skip
        yield first, last, fields


def _repaired(text: str, width: int) -> list[str]:
    """Fields without trailing padding; if too few, bare-comma fields (",710,") split too."""
    fields = text.split(";")
    while fields and not fields[-1]:
        fields.pop()
    if len(fields) < width:
        fields = [part for f in fields for part in _resplit(f)]
    return fields


def _resplit(field: str) -> list[str]:
    return field.split(",") if _BARE_COMMAS.fullmatch(field) else [field]


def _parse(v: dict[str, str], lines: tuple[int, int], where: str) -> UcdpRow:
    def text(name: str) -> str:
        return v[name].strip()

    return UcdpRow(
        conflict_id=_get(v, "conflict_id", _whole, where),
        location=text("location"),
        side_a=text("side_a"),
        side_a_2nd=text("side_a_2nd"),
        side_b=text("side_b"),
        side_b_2nd=text("side_b_2nd"),
        year=_get(v, "year", _whole, where),
        intensity_level=_get(v, "intensity_level", _whole, where),
        type_of_conflict=_get(v, "type_of_conflict", _whole, where),
        start_date=_get(v, "start_date", parse_date, where),
        start_date2=_get(v, "start_date2", parse_date, where),
        ep_end=_get(v, "ep_end", _whole, where) == 1,
        ep_end_date=_get(v, "ep_end_date", parse_date, where) if text("ep_end_date") else None,
        gwno_a=_get(v, "gwno_a", parse_codes, where),
        gwno_a_2nd=_get(v, "gwno_a_2nd", parse_codes, where),
        gwno_b=_get(v, "gwno_b", parse_codes, where),
        gwno_b_2nd=_get(v, "gwno_b_2nd", parse_codes, where),
        gwno_loc=_get(v, "gwno_loc", parse_codes, where),
        version=text("version"),
        lines=lines,
    )


def _get(v: dict[str, str], name: str, parse: Callable[[str], _T], where: str) -> _T:
    try:
        return parse(v[name])
    except ValueError as exc:
        raise InputError(name, str(exc), source=where) from None


def _whole(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"expected a whole number, got {text!r}")
    return int(text)


def parse_date(text: str) -> date:
    """A d-m-yyyy date of the data set (e.g. "24-2-2022")."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected a d-m-yyyy date, got {text!r}")
    day, month, year = (int(group) for group in match.groups())
    return date(year, month, day)


def parse_codes(text: str) -> tuple[int, ...]:
    """Gleditsch-Ward codes of a gwno field: "" -> (), "200,  2" -> (200, 2)."""
    parts = [part.strip() for part in text.split(",")]
    if text.strip() and not all(part.isdigit() for part in parts):
        raise ValueError(f"expected comma-separated codes, got {text!r}")
    return tuple(int(part) for part in parts if part)


def _active(
    rows: Iterable[UcdpRow], as_of_year: int | None, min_intensity: int, types: frozenset[int]
) -> tuple[int, list[UcdpRow]]:
    rows = list(rows)
    year = as_of_year if as_of_year is not None else max((r.year for r in rows), default=0)
    wanted = (r for r in rows if r.intensity_level >= min_intensity and r.type_of_conflict in types)
    return year, [r for r in wanted if r.year == year]


def _primary_codes(row: UcdpRow) -> tuple[int, ...]:
    return row.gwno_a + row.gwno_b + row.gwno_loc


def _iso(code: int, row: UcdpRow) -> str | None:
    try:
        return iso2_for(code)
    except UnknownGwCode:
        where = f"line {row.lines[0]}, conflict {row.conflict_id}"
        raise InputError("gwno", f"unknown Gleditsch-Ward code {code}", source=where) from None


def propose_conflicts(
    rows: Iterable[UcdpRow],
    *,
    as_of_year: int | None = None,
    min_intensity: int = 1,
    types: frozenset[int] = frozenset({2, 3, 4}),
) -> list[ConflictProposal]:
    """One proposal per country at war in ``as_of_year`` (default: latest year), by country."""
    year, active = _active(rows, as_of_year, min_intensity, types)
    by_country: dict[str, dict[int, UcdpRow]] = {}
    for row in active:
        for code in _primary_codes(row):
            country = _iso(code, row)
            if country is not None:
                by_country.setdefault(country, {})[row.conflict_id] = row
    return [
        _proposal(country, [found[cid] for cid in sorted(found)], year)
        for country, found in sorted(by_country.items())
    ]


def unmapped_parties(
    rows: Iterable[UcdpRow],
    *,
    as_of_year: int | None = None,
    min_intensity: int = 1,
    types: frozenset[int] = frozenset({2, 3, 4}),
) -> list[tuple[int, int]]:
    """(conflict id, code) of primary parties or locations without an ISO code, e.g. Kosovo."""
    _, active = _active(rows, as_of_year, min_intensity, types)
    found = {
        (row.conflict_id, code)
        for row in active
        for code in _primary_codes(row)
        if _iso(code, row) is None
    }
    return sorted(found)


def _distinct(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _proposal(country: str, rows: list[UcdpRow], year: int) -> ConflictProposal:
    versions = "/v".join(sorted({r.version for r in rows}))
    noun = "conflict" if len(rows) == 1 else "conflicts"
    cited = ", ".join(f"{r.conflict_id} ({r.location})" for r in rows)
    supporters = (
        name.strip()
        for r in rows
        for field in (r.side_a_2nd, r.side_b_2nd)
        for name in _SUPPORTER_SPLIT.split(field)
    )
    return ConflictProposal(
        country=country,
        from_=min(r.start_date2 for r in rows),
        conflict_ids=tuple(r.conflict_id for r in rows),
        intensity=max(r.intensity_level for r in rows),
        types=tuple(sorted({r.type_of_conflict for r in rows})),
        sides=_distinct(side for r in rows for side in (r.side_a, r.side_b)),
        location="; ".join(_distinct(r.location for r in rows)),
        source=f"{DATASET} v{versions}, {noun} {cited}",
        year=year,
        also_involved=tuple(sorted({name for name in supporters if name})),
        episode_ended=tuple(r.conflict_id for r in rows if r.ep_end),
    )


def describe(proposal: ConflictProposal) -> str:
    """One readable line for the officer who confirms or rejects the proposal."""
    p = proposal
    intensity = INTENSITY.get(p.intensity, str(p.intensity))
    kinds = ", ".join(CONFLICT_TYPES.get(t, str(t)) for t in p.types)
    text = (
        f"{p.country}: proposed as at war from {p.from_.isoformat()} "
        f"({intensity} in {p.year}; {kinds}) - parties: {', '.join(p.sides)}; "
        f"location: {p.location}"
    )
    if p.also_involved:
        text += f"; also involved (not proposed): {', '.join(p.also_involved)}"
    if p.episode_ended:
        text += f"; episode ended in {p.year}: {', '.join(map(str, p.episode_ended))}"
    return f"{text}; source: {p.source}"
