"""Parsers of sanctions and denial lists: a list's file -> `ListRecord` per listed party.

Every parser is a pure function ``parse(path, *, list_name=None) -> Iterator[ListRecord]``
that reads the file and nothing else (no network, no database); ``list_name`` replaces
the list's default name in the records. `FORMATS` maps the CLI's format names to them:

=================  ==========================  ===============  =====================
format             module                      default list     entity_id
=================  ==========================  ===============  =====================
``un-xml``         `un_xml`                    "un"             REFERENCE_NUMBER
``ofac-sdn-csv``   `ofac_sdn_csv`              "ofac-sdn"       ent_num
``ofac-xml``       `ofac_xml`                  "ofac-sdn" or    uid
                                               "ofac-cons"
``eu-csv``         `eu_csv`                    "eu"             derived from content
``csv``            `national_csv`              the file's stem  ``id`` column, or
                                                                derived from content
=================  ==========================  ===============  =====================

Each module's docstring says how it reads its format and what it decided where the
format is unclear. Country text becomes ISO codes through `country_code`, and identifier
labels one vocabulary ("passport", "national-id", "tax-id", "registration", "imo"...)
through `id_type`: screening queries should use the same two functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from armsgate.errors import InputError
from armsgate.screening.sources import eu_csv, national_csv, ofac_sdn_csv, ofac_xml, un_xml
from armsgate.screening.sources._common import id_type
from armsgate.screening.sources.countries import country_code
from armsgate.screening.sources.records import ListedName, ListRecord


class Parser(Protocol):
    """A list parser: the records of the file at ``path``, in file order."""

    def __call__(self, path: Path, *, list_name: str | None = None) -> Iterator[ListRecord]:
        ...


FORMATS: dict[str, Parser] = {
    "un-xml": un_xml.parse,
    "ofac-sdn-csv": ofac_sdn_csv.parse,
    "ofac-xml": ofac_xml.parse,
    "eu-csv": eu_csv.parse,
    "csv": national_csv.parse,
}


def parse(format_name: str, path: Path, *,
          list_name: str | None = None) -> Iterator[ListRecord]:
    """The records of ``path`` read as ``format_name`` (one of `FORMATS`)."""
    parser = FORMATS.get(format_name)
    if parser is None:
        raise InputError("format", f"unknown list format {format_name!r}: use one of "
                         f"{', '.join(sorted(FORMATS))}")
    return parser(path, list_name=list_name)


__all__ = ["FORMATS", "ListRecord", "ListedName", "Parser", "country_code", "id_type", "parse"]
