"""Reference data that armsgate ships: read-only facts from public sources.

The files live in ``armsgate/reference/data`` (package data) and are read with
``importlib.resources``, so they work from a source tree, a wheel or a zip:

    ml_categories.yaml       the 22 headings of the EU Common Military List (ML1..ML22)
    countries.yaml           ISO 3166-1 alpha-2 codes with their English short names
    un_embargoes.yaml        UN Security Council arms embargoes in force
    policies/<name>.yaml     export policies (``default``, ``serbia-2025``, ...)

Every entry names its source, and entries that could not be checked against a
source carry ``verified: false`` with a note (see docs/reference-data.md).
Each loader parses its file once (``functools.cache``) and returns immutable values;
a malformed file raises `ReferenceDataError` naming the file, the entry and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal

from ruamel.yaml import YAML

EmbargoTarget = Literal["government", "non_state_actors"]

_TARGETS: tuple[EmbargoTarget, ...] = ("government", "non_state_actors")
_ML_CODE = re.compile(r"ML(?:[1-9]|1\d|2[0-2])")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
_POLICY_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class ReferenceDataError(ValueError):
    """A shipped reference file is missing or does not have the expected shape."""


@dataclass(frozen=True, slots=True)
class MLCategory:
    """One heading of the EU Common Military List."""

    code: str
    title: str
    source: str
    verified: bool = True
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Country:
    """An officially assigned ISO 3166-1 alpha-2 code and its English short name."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ReferenceEmbargo:
    """An arms embargo as published: who imposed it, on whom, since when, by which resolutions.

    `country` is None for embargoes not tied to a country (for example the ISIL (Da'esh) and
    Al-Qaida list). `categories` is None when the embargo covers all arms and related materiel.
    """

    id: str
    country: str | None
    by: str
    from_: date
    to: date | None
    target: EmbargoTarget
    resolutions: tuple[str, ...]
    categories: tuple[str, ...] | None
    note: str
    source: str
    verified: bool

    def in_force(self, on: date) -> bool:
        """Whether the embargo applies on `on`, as far as the shipped data knows."""
        return self.from_ <= on and (self.to is None or on <= self.to)


@dataclass(frozen=True, slots=True)
class NSCRule:
    """When the National Security Council (or equivalent body) must consent."""

    always: bool
    on_gray_list: bool
    on_flags: bool
    value_over: Decimal | None


@dataclass(frozen=True, slots=True)
class ReferencePolicy:
    """A country's (or the project's default) export-licensing policy."""

    id: str
    country: str | None
    from_: date | None
    title: str
    consents: tuple[str, ...]
    nsc: NSCRule
    euc_required: bool
    licence_days: int
    bodies: Mapping[str, str] = field(hash=False)
    sources: tuple[str, ...]
    note: str
    verified: bool


# --- public loaders -------------------------------------------------------------------------


@cache
def ml_categories() -> tuple[MLCategory, ...]:
    """The 22 EU Common Military List headings, ML1 to ML22 in order."""
    where = "ml_categories.yaml"
    items = tuple(_ml_category(entry, f"{where}[{i}]") for i, entry in _entries(where))
    expected = tuple(f"ML{n}" for n in range(1, 23))
    if tuple(item.code for item in items) != expected:
        raise ReferenceDataError(f"{where}: expected the codes ML1..ML22 in order")
    return items


@cache
def countries() -> tuple[Country, ...]:
    """Every officially assigned ISO 3166-1 alpha-2 code, in file order (sorted by code)."""
    where = "countries.yaml"
    items = tuple(_country(entry, f"{where}[{i}]") for i, entry in _entries(where))
    _no_duplicates((item.code for item in items), where)
    return items


@cache
def country_codes() -> frozenset[str]:
    """The set of known ISO 3166-1 alpha-2 codes."""
    return frozenset(item.code for item in countries())


@cache
def un_embargoes() -> tuple[ReferenceEmbargo, ...]:
    """UN Security Council arms embargoes in force, in file order."""
    where = "un_embargoes.yaml"
    items = tuple(_embargo(entry, f"{where}[{i}]") for i, entry in _entries(where))
    _no_duplicates((item.id for item in items), where)
    return items


@cache
def policy(name: str) -> ReferencePolicy:
    """The policy in ``policies/<name>.yaml``, e.g. ``policy("default")``."""
    if not _POLICY_NAME.fullmatch(name):
        raise ReferenceDataError(f"policy name {name!r}: use lower-case letters, digits and '-'")
    where = f"policies/{name}.yaml"
    return _policy(_mapping(_load(where), where), where)


# --- reading --------------------------------------------------------------------------------


def _load(relative: str) -> object:
    node = resources.files("armsgate.reference").joinpath("data")
    for part in relative.split("/"):
        node = node.joinpath(part)
    try:
        text = node.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReferenceDataError(f"{relative}: no such reference file") from None
    yaml = YAML(typ="safe", pure=True)
    loaded: object = yaml.load(text)
    return loaded


def _entries(where: str) -> list[tuple[int, Mapping[str, object]]]:
    data = _load(where)
    if not isinstance(data, list) or not data:
        raise ReferenceDataError(f"{where}: expected a non-empty list of entries")
    return [(i, _mapping(entry, f"{where}[{i}]")) for i, entry in enumerate(data)]


def _ml_category(entry: Mapping[str, object], where: str) -> MLCategory:
    code = _str(entry, "code", where)
    if not _ML_CODE.fullmatch(code):
        raise ReferenceDataError(f"{where}: code: {code!r} is not ML1..ML22")
    return MLCategory(
        code=code,
        title=_str(entry, "title", where),
        source=_str(entry, "source", where),
        verified=_bool(entry, "verified", where, default=True),
        note=_opt_str(entry, "note", where),
    )


def _country(entry: Mapping[str, object], where: str) -> Country:
    return Country(code=_country_code(entry, "code", where), name=_str(entry, "name", where))


def _embargo(entry: Mapping[str, object], where: str) -> ReferenceEmbargo:
    ident = _str(entry, "id", where)
    where = f"{where} ({ident})"
    country = _opt_country(entry, "country", where)
    start = _date(entry, "from", where)
    end = _opt_date(entry, "to", where)
    if end is not None and end < start:
        raise ReferenceDataError(f"{where}: to: {end} is before from: {start}")
    target = _str(entry, "target", where)
    if target not in _TARGETS:
        raise ReferenceDataError(f"{where}: target: {target!r} is not one of {_TARGETS}")
    categories = _opt_str_tuple(entry, "categories", where)
    for code in categories or ():
        if not _ML_CODE.fullmatch(code):
            raise ReferenceDataError(f"{where}: categories: {code!r} is not ML1..ML22")
    resolutions = _str_tuple(entry, "resolutions", where)
    if not resolutions:
        raise ReferenceDataError(f"{where}: resolutions: expected at least one")
    return ReferenceEmbargo(
        id=ident,
        country=country,
        by=_str(entry, "by", where),
        from_=start,
        to=end,
        target="government" if target == "government" else "non_state_actors",
        resolutions=resolutions,
        categories=categories,
        note=_str(entry, "note", where),
        source=_str(entry, "source", where),
        verified=_bool(entry, "verified", where),
    )


def _policy(entry: Mapping[str, object], where: str) -> ReferencePolicy:
    nsc_where = f"{where}: nsc"
    nsc = _mapping(entry.get("nsc"), nsc_where)
    bodies_raw = _mapping(entry.get("bodies"), f"{where}: bodies")
    bodies = {key: _str(bodies_raw, key, f"{where}: bodies") for key in bodies_raw}
    consents = _str_tuple(entry, "consents", where)
    missing = [key for key in consents if key not in bodies]
    if missing:
        raise ReferenceDataError(f"{where}: bodies: no body named for consents {missing}")
    licence_days = _int(entry, "licence_days", where)
    if licence_days <= 0:
        raise ReferenceDataError(f"{where}: licence_days: must be positive")
    return ReferencePolicy(
        id=_str(entry, "id", where),
        country=_opt_country(entry, "country", where),
        from_=_opt_date(entry, "from", where),
        title=_str(entry, "title", where),
        consents=consents,
        nsc=NSCRule(
            always=_bool(nsc, "always", nsc_where),
            on_gray_list=_bool(nsc, "on_gray_list", nsc_where),
            on_flags=_bool(nsc, "on_flags", nsc_where),
            value_over=_opt_decimal(nsc, "value_over", nsc_where),
        ),
        euc_required=_bool(entry, "euc_required", where),
        licence_days=licence_days,
        bodies=MappingProxyType(bodies),
        sources=_str_tuple(entry, "sources", where),
        note=_str(entry, "note", where),
        verified=_bool(entry, "verified", where),
    )


# --- field helpers --------------------------------------------------------------------------


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise ReferenceDataError(f"{where}: expected a mapping with string keys")
    return {str(key): item for key, item in value.items()}


def _present(entry: Mapping[str, object], key: str, where: str) -> object:
    if key not in entry:
        raise ReferenceDataError(f"{where}: {key}: missing")
    return entry[key]


def _str(entry: Mapping[str, object], key: str, where: str) -> str:
    value = _present(entry, key, where)
    if not isinstance(value, str) or not value.strip():
        raise ReferenceDataError(f"{where}: {key}: expected a non-empty string")
    return value.strip()


def _opt_str(entry: Mapping[str, object], key: str, where: str) -> str | None:
    if entry.get(key) is None:
        return None
    return _str(entry, key, where)


def _bool(
    entry: Mapping[str, object], key: str, where: str, *, default: bool | None = None
) -> bool:
    if key not in entry and default is not None:
        return default
    value = _present(entry, key, where)
    if not isinstance(value, bool):
        raise ReferenceDataError(f"{where}: {key}: expected true or false")
    return value


def _int(entry: Mapping[str, object], key: str, where: str) -> int:
    value = _present(entry, key, where)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReferenceDataError(f"{where}: {key}: expected an integer")
    return value


def _opt_decimal(entry: Mapping[str, object], key: str, where: str) -> Decimal | None:
    value = _present(entry, key, where)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ReferenceDataError(f"{where}: {key}: expected a number or null")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ReferenceDataError(f"{where}: {key}: {value!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ReferenceDataError(f"{where}: {key}: expected a non-negative number")
    return amount


def _date(entry: Mapping[str, object], key: str, where: str) -> date:
    value = _present(entry, key, where)
    # A YAML timestamp may load as a date (or, with a time part, a datetime: refuse that).
    if isinstance(value, date) and type(value) is date:
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ReferenceDataError(f"{where}: {key}: expected a date YYYY-MM-DD, got {value!r}")


def _opt_date(entry: Mapping[str, object], key: str, where: str) -> date | None:
    if entry.get(key) is None:
        return None
    return _date(entry, key, where)


def _str_tuple(entry: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
    value = _present(entry, key, where)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ReferenceDataError(f"{where}: {key}: expected a list of non-empty strings")
    return tuple(str(v).strip() for v in value)


def _opt_str_tuple(entry: Mapping[str, object], key: str, where: str) -> tuple[str, ...] | None:
    if entry.get(key) is None:
        return None
    return _str_tuple(entry, key, where)


def _country_code(entry: Mapping[str, object], key: str, where: str) -> str:
    code = _str(entry, key, where)
    if not _COUNTRY_CODE.fullmatch(code):
        raise ReferenceDataError(f"{where}: {key}: {code!r} is not an ISO 3166-1 alpha-2 code")
    return code


def _opt_country(entry: Mapping[str, object], key: str, where: str) -> str | None:
    if entry.get(key) is None:
        return None
    code = _country_code(entry, key, where)
    if code not in country_codes():
        raise ReferenceDataError(f"{where}: {key}: {code!r} is not in countries.yaml")
    return code


def _no_duplicates(keys: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ReferenceDataError(f"{where}: duplicate entry {key!r}")
        seen.add(key)
