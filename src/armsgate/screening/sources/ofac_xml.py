"""OFAC's lists in OFAC's XML schema (``sdn.xml``, ``consolidated.xml``): format ``ofac-xml``.

Read entry by entry (``iterparse``), whatever the XML namespace OFAC uses (it has changed
between publications): tags are compared by their local name.

- ``entity_id`` is ``uid``; the default list name is "ofac-cons" for a file whose name
  says consolidated ("cons", "non-sdn"), otherwise "ofac-sdn" (pass ``list_name`` to set it).
- sdnType Individual -> person, Entity -> organisation, Vessel, Aircraft.
- Names are written as OFAC's legacy files write them, "lastName, firstName" when there is
  a first name, so that one entry reads the same from either format. Aliases (``akaList``):
  category "strong" -> alias, "weak" -> weak-alias, whatever the type (a.k.a., f.k.a.,
  n.k.a.): a former name is still a name the party used.
- countries: nationalityList, citizenshipList, addressList, the vessel flag and the
  "Nationality of Registration" idList entry.
- birth_dates: dateOfBirthList (see `_ofac.birth_dates`).
- identifiers: idList entries whose idType is an identifier (`_ofac.ID_LABELS`; not
  websites, e-mail addresses, directive dates...), and the vessel's call sign.
- programs: programList; remarks: remarks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, iterparse

from armsgate.errors import InputError
from armsgate.screening.sources._common import Names, clean, id_type, unique
from armsgate.screening.sources._ofac import birth_dates, default_list_name, is_id_label
from armsgate.screening.sources.countries import country_code
from armsgate.screening.sources.records import ListRecord, NameKind, Schema

_SCHEMAS: dict[str, Schema] = {
    "individual": "person", "entity": "organisation", "vessel": "vessel", "aircraft": "aircraft"}
_CATEGORIES: dict[str, NameKind] = {"strong": "alias", "weak": "weak-alias"}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def parse(path: Path, *, list_name: str | None = None) -> Iterator[ListRecord]:
    """The records of an OFAC XML list, in file order."""
    name = list_name or default_list_name(path)
    for _, element in iterparse(path, events=("end",)):
        if _local(element.tag) != "sdnEntry":
            continue
        for node in element.iter():
            node.tag = _local(node.tag)
        yield _record(name, element, path)
        element.clear()


def _text(element: Element, path: str) -> str:
    return clean(element.findtext(path))


def _name(element: Element) -> str:
    first, last = _text(element, "firstName"), _text(element, "lastName")
    return f"{last}, {first}" if first and last else last or first


def _record(list_name: str, entry: Element, path: Path) -> ListRecord:
    uid = _text(entry, "uid")
    primary = _name(entry)
    if not uid or not primary:
        raise InputError("uid" if not uid else "lastName", "is empty",
                         source=f"{path}: sdnEntry {uid or '?'}")
    names = Names(primary)
    for aka in entry.iterfind("akaList/aka"):
        names.add(_name(aka), _CATEGORIES.get(_text(aka, "category").lower(), "alias"))
    countries = [_text(e, "country") for e in entry.iterfind("nationalityList/nationality")]
    countries += [_text(e, "country") for e in entry.iterfind("citizenshipList/citizenship")]
    countries += [_text(e, "country") for e in entry.iterfind("addressList/address")]
    countries.append(_text(entry, "vesselInfo/vesselFlag"))
    identifiers: list[tuple[str, str]] = []
    if call_sign := _text(entry, "vesselInfo/callSign"):
        identifiers.append(("call-sign", call_sign))
    for item in entry.iterfind("idList/id"):
        label, number = _text(item, "idType"), _text(item, "idNumber")
        if label.casefold() == "nationality of registration":
            countries.append(number or _text(item, "idCountry"))
        elif number and is_id_label(label):
            identifiers.append((id_type(label), number))
    dates = [d for item in entry.iterfind("dateOfBirthList/dateOfBirthItem")
             for d in birth_dates(_text(item, "dateOfBirth"))]
    return ListRecord(
        list=list_name,
        entity_id=uid,
        schema=_SCHEMAS.get(_text(entry, "sdnType").lower(), "unknown"),
        names=names.result(),
        countries=unique(code for c in countries if (code := country_code(c))),
        birth_dates=unique(dates),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programs=unique(clean(p.text) for p in entry.iterfind("programList/program")),
        remarks=_text(entry, "remarks"),
    )
