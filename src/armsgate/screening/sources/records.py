"""The records that every list parser yields: one `ListRecord` per listed party.

A record keeps what screening needs (names, countries, dates of birth, identifiers) in one
shape whatever the list's own format. Values are as the list gives them, with whitespace
collapsed; countries are ISO 3166-1 alpha-2 codes (text that does not map is left out);
dates of birth are partial ISO dates ("1960", "1960-01" or "1960-01-12").

`ListRecord.fingerprint()` identifies a record's content between two versions of a list: it
is the sha256 of a canonical JSON of every field except ``entity_id``. The canonical form
keeps the primary name first and sorts everything else (aliases, countries, dates,
identifiers, programs), so a list that only reorders an entry's aliases does not make it
look changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Literal

NameKind = Literal["primary", "alias", "weak-alias", "original-script"]
Schema = Literal["person", "organisation", "vessel", "aircraft", "unknown"]

NAME_KINDS: tuple[NameKind, ...] = ("primary", "alias", "weak-alias", "original-script")
SCHEMAS: tuple[Schema, ...] = ("person", "organisation", "vessel", "aircraft", "unknown")


@dataclass(frozen=True, slots=True)
class ListedName:
    """One name of a listed party and what kind of name the list says it is.

    ``weak-alias`` is a name the list itself marks as low quality (OFAC "weak" AKAs, UN
    "Low" quality aliases): too generic to screen on alone, useful to confirm a hit.
    """

    name: str
    kind: NameKind


@dataclass(frozen=True, slots=True)
class ListRecord:
    """One entry of a sanctions or denial list, as parsed from the list's file."""

    list: str
    entity_id: str
    schema: Schema
    names: tuple[ListedName, ...]
    countries: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()
    listed_on: date | None = None
    programs: tuple[str, ...] = ()
    remarks: str = ""

    def __post_init__(self) -> None:
        if not self.entity_id:
            raise ValueError(f"{self.list}: a record needs an entity_id")
        if self.schema not in SCHEMAS:
            raise ValueError(f"{self.list}/{self.entity_id}: unknown schema {self.schema!r}")
        if not self.names or self.names[0].kind != "primary":
            raise ValueError(f"{self.list}/{self.entity_id}: the primary name must come first")
        keys = [n.name.casefold() for n in self.names]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.list}/{self.entity_id}: duplicate names")
        if any(n.kind == "primary" for n in self.names[1:]):
            raise ValueError(f"{self.list}/{self.entity_id}: more than one primary name")

    @property
    def name(self) -> str:
        """The primary name."""
        return self.names[0].name

    def canonical(self) -> dict[str, object]:
        """Every field except ``entity_id``, in the order-insensitive form fingerprinted."""
        primary, *others = self.names
        return {
            "list": self.list,
            "schema": self.schema,
            "names": [[primary.name, primary.kind],
                      *sorted([n.name, n.kind] for n in others)],
            "countries": sorted(self.countries),
            "birth_dates": sorted(self.birth_dates),
            "identifiers": sorted([t, v] for t, v in self.identifiers),
            "listed_on": self.listed_on.isoformat() if self.listed_on else None,
            "programs": sorted(self.programs),
            "remarks": self.remarks,
        }

    def fingerprint(self) -> str:
        """sha256 (hex) of the canonical JSON of every field but ``entity_id``."""
        text = json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
