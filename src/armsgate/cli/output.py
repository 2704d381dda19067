"""Printing results: JSON for machines (`--json`), Rich tables for people."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.console import Console

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_default, ensure_ascii=False, indent=2)


def print_json(value: Any) -> None:
    print(dumps(value))


def print_line(value: Any) -> None:
    """One compact JSON document on one line (JSON Lines)."""
    print(json.dumps(value, default=_default, ensure_ascii=False))
