"""A national denial list kept by the authority as CSV: format ``csv``.

The file is UTF-8 (a byte-order mark is allowed), comma-separated with RFC 4180 quoting,
and starts with a header naming these columns, in any order::

    name,aliases,country,type,identifiers,listed_on,source

and optionally ``id``. Other columns are refused (a misspelt column would otherwise be
silently ignored). One row per listed party; blank lines are skipped. Example::

    name,aliases,country,type,identifiers,listed_on,source
    Acme Trading LLC,ACME TR;Acme Trdg,AE,organisation,registration:12345,2024-03-01,Decree 12
    "DOE, John",Johnny Doe,RU;Belarus,person,passport:A1234567,,Court order 7/2023

==============  =========  =============================================================
column          required   meaning
==============  =========  =============================================================
name            yes        the party's primary name
aliases         no         other names, separated by ``;``
country         no         countries separated by ``;``: ISO 3166-1 alpha-2 codes or
                           names that `countries.country_code` knows ("Russia", "Iran")
type            yes        ``person`` (or individual), ``organisation`` (or organization,
                           entity, company, enterprise), ``vessel`` or ``aircraft``
identifiers     no         ``type:value`` pairs separated by ``;``
                           ("passport:A1234567;national-id:123"); types are normalised
                           by `_common.id_type` ("Passport" -> "passport")
listed_on       no         the listing date, YYYY-MM-DD
source          no         the legal basis or reference of the listing (-> remarks)
id              no         the list's own id of the entry; unique within the file
==============  =========  =============================================================

Without an ``id`` (column absent or empty), ``entity_id`` is "nat-" + the first 16 hex
digits of the sha256 of the normalised name, the type and the sorted ISO codes of the
countries (so "RU" and "Russia" give the same id); a row repeating an
earlier one exactly is dropped, and a different row with the same name, type and country
gets "-2", "-3"... in file order. The default list name is the file's stem
(``denied-parties.csv`` -> "denied-parties").

Any bad row raises `InputError` with the column as ``field`` and ``path:line`` as
``source`` (the line where the row starts), e.g.
``parties.csv:4: type: 'people' is not one of person, organisation, vessel, aircraft``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TextIO

from armsgate.errors import InputError
from armsgate.reference.catalog import country_codes as iso_codes
from armsgate.screening.sources._common import (
    Names,
    clean,
    content_id,
    id_type,
    unique,
)
from armsgate.screening.sources.countries import country_code
from armsgate.screening.sources.records import ListRecord, Schema

COLUMNS = ("name", "aliases", "country", "type", "identifiers", "listed_on", "source")
OPTIONAL = ("id",)
TYPES: dict[str, Schema] = {
    "person": "person", "individual": "person",
    "organisation": "organisation", "organization": "organisation", "entity": "organisation",
    "company": "organisation", "enterprise": "organisation",
    "vessel": "vessel", "aircraft": "aircraft",
}


def parse(path: Path, *, list_name: str | None = None) -> Iterator[ListRecord]:
    """The records of a national list CSV, in file order; `InputError` on a bad row."""
    name = list_name or path.stem
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from _records(name, handle, path)
    except UnicodeDecodeError as exc:
        raise InputError("", f"is not UTF-8 text ({exc.reason} at byte {exc.start})",
                         source=str(path)) from exc
    except csv.Error as exc:
        raise InputError("", f"is not valid CSV ({exc})", source=str(path)) from exc


def _records(list_name: str, handle: TextIO, path: Path) -> Iterator[ListRecord]:
    reader = csv.reader(handle)
    header = [clean(column).lower() for column in next(reader, [])]
    _check_header(header, path)
    explicit: dict[str, int] = {}
    repeats: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    last = reader.line_num
    for row in reader:
        line, last = last + 1, reader.line_num
        if not any(field.strip() for field in row):
            continue
        where = f"{path}:{line}"
        if len(row) != len(header):
            raise InputError("row", f"has {len(row)} fields, the header has {len(header)}",
                             source=where)
        values = {column: clean(value) for column, value in zip(header, row, strict=True)}
        record = _record(list_name, values, where)
        if values.get("id"):
            if (first := explicit.setdefault(record.entity_id, line)) != line:
                raise InputError("id", f"{record.entity_id!r} is also the id on line {first}",
                                 source=where)
            yield record
            continue
        if (record.entity_id, record.fingerprint()) in seen:
            continue
        seen.add((record.entity_id, record.fingerprint()))
        repeats[record.entity_id] = count = repeats.get(record.entity_id, 0) + 1
        if count > 1:
            record = replace(record, entity_id=f"{record.entity_id}-{count}")
        yield record


def _check_header(header: list[str], path: Path) -> None:
    where = f"{path}:1"
    if not header:
        raise InputError("header", "the file is empty", source=where)
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS + OPTIONAL]
    repeated = unique(c for c in header if header.count(c) > 1)
    if missing:
        raise InputError("header", f"missing column(s): {', '.join(missing)}", source=where)
    if unknown:
        raise InputError("header", f"unknown column(s): {', '.join(unknown)} (expected "
                         f"{', '.join(COLUMNS + OPTIONAL)})", source=where)
    if repeated:
        raise InputError("header", f"repeated column(s): {', '.join(repeated)}", source=where)


def _record(list_name: str, values: dict[str, str], where: str) -> ListRecord:
    if not values["name"]:
        raise InputError("name", "is empty", source=where)
    kind = values["type"].lower()
    if kind not in TYPES:
        problem = "is empty" if not kind else f"{values['type']!r} is not one of"
        raise InputError("type", f"{problem} person, organisation, vessel, aircraft "
                         "(or individual, organization, entity, company, enterprise)",
                         source=where)
    names = Names(values["name"])
    for alias in values["aliases"].split(";"):
        names.add(alias, "alias")
    countries = [_country(text, where) for text in _items(values["country"])]
    return ListRecord(
        list=list_name,
        entity_id=values.get("id") or content_id("nat-", values["name"], TYPES[kind],
                                                 ";".join(sorted(countries))),
        schema=TYPES[kind],
        names=names.result(),
        countries=unique(countries),
        identifiers=tuple(dict.fromkeys(_identifier(t, where)
                                        for t in _items(values["identifiers"]))),
        listed_on=_listed_on(values["listed_on"], where),
        remarks=values["source"],
    )


def _items(text: str) -> list[str]:
    return [item for item in (clean(part) for part in text.split(";")) if item]


def _country(text: str, where: str) -> str:
    if len(text) == 2 and text.upper() in iso_codes():
        return text.upper()
    code = country_code(text)
    if code is None:
        raise InputError("country", f"{text!r} is not an ISO 3166-1 alpha-2 code or a "
                         "country name that armsgate knows", source=where)
    return code


def _identifier(text: str, where: str) -> tuple[str, str]:
    label, colon, value = text.partition(":")
    if not colon or not clean(label) or not clean(value):
        raise InputError("identifiers", f"{text!r} is not type:value "
                         "(e.g. passport:A1234567)", source=where)
    return id_type(clean(label)), clean(value)


def _listed_on(text: str, where: str) -> date | None:
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("listed_on", f"{text!r} is not a date YYYY-MM-DD",
                         source=where) from None

