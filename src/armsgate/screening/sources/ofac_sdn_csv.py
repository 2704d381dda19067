"""OFAC's SDN list in its legacy 12-column CSV (``sdn.csv``): format ``ofac-sdn-csv``.

Columns, no header: ent_num, name, type, program, title, call sign, vessel type, tonnage,
GRT, vessel flag, vessel owner, remarks. ``-0-`` (OFAC writes "-0- ") means empty; a last
line holding only the DOS end-of-file character (0x1A) is skipped.

- ``entity_id`` is ent_num (the same number as ``uid`` in OFAC's XML).
- type "individual" -> person, "vessel", "aircraft"; empty -> organisation.
- The name is kept as OFAC writes it ("LAST, First" for individuals): the matcher aligns
  tokens in any order, so no reordered copy is added.
- Aliases: this file carries only OFAC's *weak* AKAs, in the remarks as ``a.k.a. 'X'``
  (also ``f.k.a.`` and ``n.k.a.``); they become ``weak-alias``. OFAC's strong aliases are
  in the separate ``alt.csv``, which this parser does not read: prefer the XML (format
  ``ofac-xml``), which has both.
- From the remarks (items separated by ";"): ``DOB`` (see `_ofac.birth_dates`),
  ``nationality``/``citizen``/``Nationality of Registration`` -> countries (with the vessel
  flag column), identifiers whose label is in `_ofac.ID_LABELS` (value without the
  country in brackets or the issue/expiry dates), plus the call sign column.
- OFAC cuts the remarks column at 1000 characters; when it is cut (1000 characters, not
  ending in "."), the last, incomplete item is dropped rather than read as a shorter alias.
- programs: the program column split on "] [" ("IRAN] [SDGT" -> IRAN, SDGT);
  remarks: the remarks column as published.

A row without 12 fields, an ent_num or a name raises `InputError` naming ``path:line``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from armsgate.errors import InputError
from armsgate.screening.sources._common import Names, clean, id_type, unique
from armsgate.screening.sources._ofac import ID_PART, birth_dates, id_value
from armsgate.screening.sources.countries import country_code
from armsgate.screening.sources.records import ListRecord, Schema

LIST_NAME = "ofac-sdn"
FIELDS = 12
REMARKS_LIMIT = 1000
_EMPTY = "-0-"
_EOF = "\x1a"
_ALIAS = re.compile(r"[afn]\.k\.a\.,? '(.*)'")
_DOB = re.compile(r"(?:alt\. )?DOB (.+)")
_COUNTRY = re.compile(r"(?:alt\. )?(?:nationality of registration|nationality|citizen) (.+)",
                      re.IGNORECASE)
_SCHEMAS: dict[str, Schema] = {
    "individual": "person", "vessel": "vessel", "aircraft": "aircraft", "": "organisation"}


def parse(path: Path, *, list_name: str | None = None) -> Iterator[ListRecord]:
    """The records of an OFAC legacy ``sdn.csv``, in file order."""
    name = list_name or LIST_NAME
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        for row in reader:
            if not row or row == [_EOF] or row == [""]:
                continue
            where = f"{path}:{reader.line_num}"
            if len(row) != FIELDS:
                raise InputError("row", f"has {len(row)} fields, expected {FIELDS}",
                                 source=where)
            yield _record(name, [_value(field) for field in row], where)


def _value(field: str) -> str:
    value = clean(field)
    return "" if value == _EMPTY else value


def remark_items(remarks: str) -> list[str]:
    """The remarks' ";"-separated items, without a last item cut by the length limit."""
    text = remarks.strip()
    cut = len(text) >= REMARKS_LIMIT and not text.endswith(".")
    items = [clean(item) for item in text.removesuffix(".").split(";")]
    if cut:
        items = items[:-1]
    return [item for item in items if item]


def _record(list_name: str, row: list[str], where: str) -> ListRecord:
    ent_num, primary, kind, program, _, call_sign, _, _, _, flag, _, remarks = row
    if not ent_num:
        raise InputError("ent_num", "is empty", source=where)
    if not primary:
        raise InputError("name", "is empty", source=where)
    names = Names(primary)
    countries = [country_code(flag)]
    dates: list[str] = []
    identifiers = [("call-sign", call_sign)] if call_sign else []
    for item in remark_items(remarks):
        if m := _ALIAS.fullmatch(item):
            names.add(m[1], "weak-alias")
        elif m := _DOB.fullmatch(item):
            dates.extend(birth_dates(m[1]))
        elif m := _COUNTRY.fullmatch(item):
            countries.append(country_code(m[1]))
        elif (m := ID_PART.fullmatch(item)) and (value := id_value(m["rest"])):
            identifiers.append((id_type(m["label"]), value))
    return ListRecord(
        list=list_name,
        entity_id=ent_num,
        schema=_SCHEMAS.get(kind.lower(), "unknown"),
        names=names.result(),
        countries=unique(c for c in countries if c),
        birth_dates=unique(dates),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programs=unique(clean(p) for p in program.strip("[]").split("] [")),
        remarks=remarks,
    )
