"""A CSV flattening of the EU consolidated financial sanctions list: format ``eu-csv``.

Columns (header line first): Name, Alias, Nationality, Designation, Sanction Type, Source.
Name, Alias, Nationality and Designation are required; Sanction Type and Source are
optional.

- Designation "person" -> person; "enterprise" (or "entity", "organisation") ->
  organisation; anything else -> unknown.
- The file has no ids. ``entity_id`` is "eu-" + the first 16 hex digits of the sha256 of
  the normalised (whitespace-collapsed, case-folded) Name, designation and Nationality
  text: the same entry keeps its id from one version of the file to the next while those
  three stay the same (aliases may change: the fingerprint shows that). The raw
  Nationality text is hashed, not its ISO codes, so that improving the country table never
  changes ids.
- Repeats: rows with the same name, designation, nationality and set of names are one
  entry, merged (their sanction types are all kept in the remarks). Rows that share the
  base id but differ otherwise (the same person under two regimes with different aliases)
  stay separate records: the first in file order keeps the base id, the next ones get
  "-2", "-3"...
- Alias: names separated by commas, and the Name is its first item. Commas inside
  brackets do not separate. Because company names contain commas ("KINGLY WON
  INTERNATIONAL CO., LTD."), an item that is only a legal form (Ltd, LLC, Inc., JSC,
  OOO, GmbH, S.A., Sp. z o.o. ...) is joined back to the item before it, for
  organisations. For persons, the flattening also cut "Last, First" names in two
  ("Taeb, Hassan"); a one-word item of a person (unless written in Chinese, Japanese or
  Korean script, which does not separate words) is therefore kept as a weak-alias (too
  generic to screen on alone; the full names are there as aliases).
- The names are in the EU's many languages and scripts; the file does not say which is
  an original-script name, so they are all aliases.
- countries: the Nationality column, which may name several countries (see
  `countries.country_codes`); remarks: "sanction type: <Sanction Type>".
- There are no dates of birth, identifiers, listing dates or programs in this file.

A header without the required columns raises `InputError`; so does a row without a name.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from armsgate.errors import InputError
from armsgate.screening.sources._common import (
    Names,
    clean,
    content_id,
    number_repeats,
)
from armsgate.screening.sources.countries import country_codes
from armsgate.screening.sources.records import ListRecord, NameKind, Schema

LIST_NAME = "eu"
REQUIRED = ("Name", "Alias", "Nationality", "Designation")
_SCHEMAS: dict[str, Schema] = {
    "person": "person", "individual": "person", "enterprise": "organisation",
    "entity": "organisation", "organisation": "organisation", "organization": "organisation"}
LEGAL_FORMS = frozenset({
    "ltd", "limited", "llc", "llp", "lp", "inc", "co", "coltd", "corp", "plc", "jsc", "ojsc",
    "pjsc", "cjsc", "ooo", "oao", "zao", "pao", "ao", "tov", "sa", "sal", "sarl", "sas",
    "spa", "srl", "gmbh", "ag", "kg", "bv", "nv", "ab", "as", "oy", "doo", "kft", "spzoo",
    "sro", "fze", "fzco", "fzc", "fzllc", "pte", "pteltd", "bhd", "sdnbhd", "pvtltd",
})
_NOT_KEY = re.compile(r"[\s.]+")
_OPEN, _CLOSE = "([\uff08", ")]\uff09"  # with the full-width brackets of CJK text
_BRACKETS = re.compile("[" + re.escape(_OPEN + _CLOSE) + "]")


@dataclass(slots=True)
class _Entry:
    base_id: str
    content: tuple[str, ...]
    record: ListRecord
    types: list[str]


def parse(path: Path, *, list_name: str | None = None) -> Iterator[ListRecord]:
    """The records of the EU CSV, in file order, repeats merged (see the module's notes)."""
    name = list_name or LIST_NAME
    entries: list[_Entry] = []
    seen: dict[tuple[str, ...], _Entry] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            raise InputError("header", f"missing column(s): {', '.join(missing)}",
                             source=f"{path}:1")
        for row in reader:
            entry = _entry(name, row, f"{path}:{reader.line_num}")
            if entry is None:
                continue
            if (same := seen.get(entry.content)) is not None:
                same.types.extend(t for t in entry.types if t not in same.types)
                continue
            seen[entry.content] = entry
            entries.append(entry)
    ids = number_repeats([entry.base_id for entry in entries])
    for entry, entity_id in zip(entries, ids, strict=True):
        remarks = "; ".join(f"sanction type: {t}" for t in entry.types)
        yield replace(entry.record, entity_id=entity_id, remarks=remarks)


def _entry(list_name: str, row: dict[str, str | None], where: str) -> _Entry | None:
    values = {key: clean(value) for key, value in row.items() if key}
    if not any(values.values()):
        return None
    designation = values.get("Designation", "")
    schema = _SCHEMAS.get(designation.lower(), "unknown")
    items = split_aliases(values.get("Alias", ""), person=schema == "person")
    primary = values.get("Name", "") or (items[0][0] if items else "")
    if not primary:
        raise InputError("Name", "is empty (and so is Alias)", source=where)
    names = Names(primary)
    for alias, kind in items:
        names.add(alias, kind)
    nationality = values.get("Nationality", "")
    record = ListRecord(list=list_name, entity_id="pending", schema=schema,  # id: in parse
                        names=names.result(), countries=country_codes(nationality)[0])
    base_id = content_id("eu-", primary, designation, nationality)
    content = (base_id, *sorted(f"{n.kind}:{n.name.casefold()}" for n in record.names))
    sanction_type = values.get("Sanction Type", "")
    return _Entry(base_id, content, record, [sanction_type] if sanction_type else [])


def split_aliases(text: str, *, person: bool) -> list[tuple[str, NameKind]]:
    """The Alias column's names, each an alias or a weak-alias (see the module's notes)."""
    merged: list[str] = []
    for item in _split_commas(text):
        if merged and not person and _NOT_KEY.sub("", item).casefold() in LEGAL_FORMS:
            merged[-1] = f"{merged[-1]}, {item}"
        elif item:
            merged.append(item)
    return [(item, "weak-alias" if person and _one_word(item) else "alias") for item in merged]


def _one_word(item: str) -> bool:
    return " " not in item and not any(ord(ch) >= 0x2E80 for ch in item)


def _split_commas(text: str) -> list[str]:
    """Split on commas outside brackets; where brackets do not balance, on every comma."""
    if not _BRACKETS.search(text):
        return [clean(part) for part in text.split(",")]
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    if depth:
        parts = text.split(",")
    return [clean(part) for part in parts]

