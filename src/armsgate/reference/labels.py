"""Names for codes, as documents and messages print them: bodies, countries, categories."""

from __future__ import annotations

from functools import cache

from armsgate.reference.catalog import countries, ml_categories

BODIES = {
    "defence": "Ministry of Defence",
    "foreign_affairs": "Ministry of Foreign Affairs",
    "interior": "Ministry of the Interior",
    "security": "Security Information Agency (BIA)",
    "nsc": "National Security Council",
}


def body_name(code: str) -> str:
    """The consulted body's name for its code (`defence` -> Ministry of Defence)."""
    return BODIES.get(code, code)


@cache
def _countries() -> dict[str, str]:
    return {c.code: c.name for c in countries()}


@cache
def _categories() -> dict[str, str]:
    return {c.code: c.title for c in ml_categories()}


def country_label(code: str) -> str:
    """`Poland (PL)`; an unknown code stands alone."""
    name = _countries().get(code)
    return f"{name} ({code})" if name else code


def category_title(code: str) -> str:
    """The heading of an EU Common Military List category (`ML4` -> `Bombs, ...`)."""
    return _categories().get(code, "")
