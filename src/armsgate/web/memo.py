"""Figures that only a change can move, kept for the process between changes.

Every change of the store's cases, opinions, resolutions or facts is an event (the
append-only `events` log), and time moves only with the clock's day; so what a page
computes from them is kept under the key (day, last event) and computed again when
either moves. Used for the council's agenda (whose assessments the service keeps itself
between changes of the world, `services/assessed.py`) and the dashboard's series.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy import func, select

from armsgate.api.services import services
from armsgate.store import schema as t

T = TypeVar("T")
_LAST = select(func.max(t.events.c.seq))


def kept(request: Request, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for the same day and last event in this process."""
    authority = services(request).authority
    with authority.engine.connect() as conn:
        key = (authority.clock.today(), conn.execute(_LAST).scalar_one())
    store: dict[str, tuple[Any, Any]] = getattr(request.app.state, "web_kept", None) or {}
    request.app.state.web_kept = store
    found = store.get(name)
    if found is None or found[0] != key:
        found = (key, compute())
        store[name] = found
    value: T = found[1]
    return value


def forget(request_or_app: Any) -> None:
    """Forget everything kept (the benchmark's 'after a change')."""
    app = getattr(request_or_app, "app", request_or_app)
    app.state.web_kept = {}
