"""The UN Security Council consolidated list in the UN's XML schema: format ``un-xml``.

Read entry by entry (``iterparse``): INDIVIDUALS/INDIVIDUAL -> person,
ENTITIES/ENTITY -> organisation.

- ``entity_id`` is REFERENCE_NUMBER ("TAi.005", "QDe.004"): the permanent reference the
  Security Council's committees use in their press releases and that the UN's other
  publications of the list (HTML, PDF) show; DATAID is an internal database key.
- The primary name is FIRST_NAME..FOURTH_NAME joined with spaces. Aliases
  (INDIVIDUAL_ALIAS/ENTITY_ALIAS): QUALITY "Good" (individuals), "a.k.a." and "f.k.a."
  (entities) -> alias; "Low" (individuals) -> weak-alias: in this file they are mostly
  nicknames, kunyas and partial names ("Haji Mudir"), like OFAC's weak AKAs. A former name
  ("f.k.a.") is a full name the entity used, so it stays an alias.
  NAME_ORIGINAL_SCRIPT -> original-script.
- countries: NATIONALITY values and the COUNTRY of each address (not the place of birth
  nor a document's issuing country).
- birth_dates: INDIVIDUAL_DATE_OF_BIRTH DATE (a full date), YEAR (the year, whatever
  TYPE_OF_DATE says), FROM_YEAR..TO_YEAR (every year of the range), or only a NOTE
  holding a date ("Nov. 1973" -> 1973-11; a Hijri date is left out); plus the DATE_OF_BIRTH
  that some aliases carry (a date the person used under that alias).
- identifiers: INDIVIDUAL_DOCUMENT with a NUMBER (see `document_number`), typed from
  TYPE_OF_DOCUMENT (or TYPE_OF_DOCUMENT2) by `id_type` (the French and Spanish "Numéro de
  passeport" / "Número de pasaporte" are passports too, so their repeats of an English
  entry merge).
- listed_on: LISTED_ON (a time-zone suffix such as "2015-03-27-04:00" is ignored);
  programs: UN_LIST_TYPE ("Al-Qaida", "DPRK"...); remarks: COMMENTS1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, iterparse

from armsgate.errors import InputError
from armsgate.screening.sources._common import (
    Names,
    clean,
    date_range,
    id_type,
    partial_date,
    unique,
)
from armsgate.screening.sources.countries import country_code
from armsgate.screening.sources.records import ListRecord, NameKind, Schema

LIST_NAME = "un"
_SCHEMAS: dict[str, Schema] = {"INDIVIDUAL": "person", "ENTITY": "organisation"}
_QUALITIES: dict[str, NameKind] = {
    "good": "alias", "a.k.a.": "alias", "f.k.a.": "alias", "low": "weak-alias"}
_TRAILING_BRACKET = re.compile(r"\s*\([^()]*\)$")
_LABELLED_NUMBER = re.compile(r".*?\b(?:number|no\.)\s*:?\s*(\S.*)", re.IGNORECASE)
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def parse(path: Path, *, list_name: str | None = None) -> Iterator[ListRecord]:
    """The records of the UN consolidated list XML: individuals, then entities."""
    name = list_name or LIST_NAME
    for _, element in iterparse(path, events=("end",)):
        if element.tag in _SCHEMAS:
            yield _record(name, element, path)
            element.clear()


def _text(element: Element, path: str) -> str:
    return clean(element.findtext(path))


def _record(list_name: str, entry: Element, path: Path) -> ListRecord:
    tag = entry.tag
    reference = _text(entry, "REFERENCE_NUMBER")
    primary = " ".join(part for part in (_text(entry, p) for p in _NAME_PARTS) if part)
    if not reference or not primary:
        raise InputError("REFERENCE_NUMBER" if not reference else "FIRST_NAME", "is empty",
                         source=f"{path}: {tag} {_text(entry, 'DATAID') or '?'}")
    names = Names(primary)
    aliases = entry.findall(f"{tag}_ALIAS")
    for alias in aliases:
        quality = _text(alias, "QUALITY").lower()
        names.add(_text(alias, "ALIAS_NAME"), _QUALITIES.get(quality, "alias"))
    for script in entry.iterfind("NAME_ORIGINAL_SCRIPT"):
        names.add(script.text, "original-script")
    countries = [v.text for v in entry.iterfind("NATIONALITY/VALUE")]
    countries += [a.findtext("COUNTRY") for a in entry.iterfind(f"{tag}_ADDRESS")]
    dates: list[str | None] = [
        d for item in entry.iterfind("INDIVIDUAL_DATE_OF_BIRTH") for d in _birth(item)]
    dates += [partial_date(_text(alias, "DATE_OF_BIRTH")[:10]) for alias in aliases]
    return ListRecord(
        list=list_name,
        entity_id=reference,
        schema=_SCHEMAS[tag],
        names=names.result(),
        countries=unique(code for c in countries if (code := country_code(c))),
        birth_dates=unique(d for d in dates if d),
        identifiers=tuple(dict.fromkeys(_documents(entry))),
        listed_on=_date(_text(entry, "LISTED_ON")),
        programs=unique([_text(entry, "UN_LIST_TYPE")]),
        remarks=_text(entry, "COMMENTS1"),
    )


def _birth(item: Element) -> list[str]:
    if value := _text(item, "DATE"):
        found = partial_date(value[:10])
        return [found] if found else []
    if year := _text(item, "YEAR"):
        found = partial_date(year)
        return [found] if found else []
    start, end = _text(item, "FROM_YEAR"), _text(item, "TO_YEAR")
    if start and end and (first := partial_date(start)) and (last := partial_date(end)):
        return date_range(first, last)
    found = partial_date(_text(item, "NOTE"))
    return [found] if found else []


def _documents(entry: Element) -> Iterator[tuple[str, str]]:
    for document in entry.iterfind("INDIVIDUAL_DOCUMENT"):
        number = _text(document, "NUMBER")
        label = _text(document, "TYPE_OF_DOCUMENT") or _text(document, "TYPE_OF_DOCUMENT2")
        if number:
            yield (id_type(label) if label else "id", document_number(number))


def document_number(text: str) -> str:
    """The number in a NUMBER that also describes it: "Afghan passport number SE 012820"
    -> "SE 012820", "CAR diplomatic passport no. D00000898" -> "D00000898"; a trailing
    bracket ("(US)", "(Expired 25 Jan. 2016)") is dropped. Other text is kept as is."""
    text = _TRAILING_BRACKET.sub("", text) or text
    if (m := _LABELLED_NUMBER.fullmatch(text)) and any(ch.isdigit() for ch in m[1]):
        return m[1]
    return text


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
