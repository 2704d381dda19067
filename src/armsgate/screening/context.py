"""Corroboration and contradiction from what a query and a candidate say besides names.

Features, each 0 or 1:
    identifier_match     an identifier value in common (of the same type, or untyped)
    identifier_conflict  none in common, and one type with different values on each side
    birth_date_match     the same full date of birth
    birth_year_match     the same year of birth, the full date not shown to be the same
    birth_date_conflict  both give dates of birth and no year is in common
    country_match        the query's country is one of the candidate's
    country_conflict     the candidate has countries and the query's is not one of them
    schema_conflict      both say what they are, and it differs (a person, a vessel)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

__all__ = ["CONTEXT_FEATURES", "NO_CONTEXT", "clean_identifier", "context_values", "schema_kind"]

CONTEXT_FEATURES: tuple[str, ...] = (
    "identifier_match",
    "identifier_conflict",
    "birth_date_match",
    "birth_year_match",
    "birth_date_conflict",
    "country_match",
    "country_conflict",
    "schema_conflict",
)

_KINDS = {
    "person": "person",
    "company": "organisation",
    "organization": "organisation",
    "organisation": "organisation",
    "publicbody": "organisation",
    "vessel": "vessel",
    "airplane": "aircraft",
    "aircraft": "aircraft",
}
_YEAR = 4
NO_CONTEXT = (0.0,) * len(CONTEXT_FEATURES)  # what `context_values` gives when none applies


class _Query(Protocol):
    @property
    def schema(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def birth_date(self) -> str | None: ...
    @property
    def identifiers(self) -> tuple[tuple[str, str], ...]: ...


class _Candidate(Protocol):
    @property
    def schema(self) -> str | None: ...
    @property
    def countries(self) -> tuple[str, ...]: ...
    @property
    def birth_dates(self) -> tuple[str, ...]: ...
    @property
    def identifiers(self) -> tuple[tuple[str, str], ...]: ...


@lru_cache(maxsize=256)
def schema_kind(schema: str | None) -> str | None:
    """"person", "organisation", "vessel", "aircraft", or None when not said or ambiguous
    (a "LegalEntity" may be either a person or an organisation)."""
    if not schema:
        return None
    return _KINDS.get(schema.replace("_", "").replace(" ", "").casefold())


def context_values(query: _Query, candidate: _Candidate) -> tuple[float, ...]:
    """The context features, in `CONTEXT_FEATURES` order."""
    if not (
        (query.identifiers and candidate.identifiers)
        or (query.birth_date and candidate.birth_dates)
        or (query.country and candidate.countries)
        or (query.schema and candidate.schema and query.schema != candidate.schema)
    ):
        return NO_CONTEXT
    out = [0.0] * len(CONTEXT_FEATURES)
    if query.identifiers and candidate.identifiers:
        match, conflict = _identifiers(query.identifiers, candidate.identifiers)
        out[0], out[1] = float(match), float(conflict)
    if query.birth_date and candidate.birth_dates:
        out[2], out[3], out[4] = (float(f) for f in _birth(query.birth_date,
                                                           candidate.birth_dates))
    if query.country and candidate.countries:
        match, conflict = _country(query.country, candidate.countries)
        out[5], out[6] = float(match), float(conflict)
    if query.schema and candidate.schema and query.schema != candidate.schema:
        kinds = schema_kind(query.schema), schema_kind(candidate.schema)
        out[7] = float(None not in kinds and kinds[0] != kinds[1])
    return tuple(out)


def clean_identifier(value: str) -> str:
    """An identifier as compared: case folded, letters and digits only ("AB 123-456" is
    "ab123456")."""
    return "".join(ch for ch in value.casefold() if ch.isalnum())


def _cleaned(identifiers: tuple[tuple[str, str], ...]) -> set[tuple[str, str]]:
    cleaned = ((clean_identifier(kind), clean_identifier(value)) for kind, value in identifiers)
    return {(kind, value) for kind, value in cleaned if value}


def _identifiers(
    left: tuple[tuple[str, str], ...], right: tuple[tuple[str, str], ...]
) -> tuple[bool, bool]:
    a, b = _cleaned(left), _cleaned(right)
    if not a or not b:
        return False, False
    for kind, value in a:
        if any(v == value and (k == kind or not k or not kind) for k, v in b):
            return True, False
    types_a = {kind for kind, _ in a if kind}
    types_b = {kind for kind, _ in b if kind}
    return False, bool(types_a & types_b)


def _birth(date: str | None, dates: tuple[str, ...]) -> tuple[bool, bool, bool]:
    mine = (date or "").strip()
    theirs = [d.strip() for d in dates if d.strip()]
    if len(mine) < _YEAR or not theirs:
        return False, False, False
    if any(len(mine) > _YEAR and d == mine for d in theirs):
        return True, False, False
    if any(d[:_YEAR] == mine[:_YEAR] for d in theirs):
        return False, True, False
    return False, False, True


def _country(country: str | None, countries: tuple[str, ...]) -> tuple[bool, bool]:
    theirs = {c.strip().casefold() for c in countries if c.strip()}
    if not country or not country.strip() or not theirs:
        return False, False
    same = country.strip().casefold() in theirs
    return same, not same
