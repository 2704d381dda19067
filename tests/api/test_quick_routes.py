"""Quick routes run on the worker's event loop, the others in its thread pool
(`api.access.route(..., quick=True)`), every guard on the loop, with the same answers
either way."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from armsgate.api.access import ACCESS, QUICK
from tests.api.conftest import Api, submission

# Work that grows with the store or takes long by design (a password hash, a document, a
# mass action, the whole audit trail): never on the event loop, where it would hold up
# every other request of the worker.
SLOW = {"sign_in", "licence_pdf", "declare_suspension", "lift_suspension", "resolve_case",
        "counts", "screen_name", "audit_rows", "audit_verify", "overdue_consents", "nsc_agenda",
        "list_drafts"}


def on_loop() -> bool:
    """Whether the calling thread runs an event loop (a worker thread of the pool does not)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def spy(obj: Any, method: str, seen: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    """Record, at each call of `obj.method`, whether it ran on the event loop."""
    original: Callable[..., Any] = getattr(obj, method)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        seen.append(on_loop())
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, method, recorded)


def test_the_slow_routes_are_routes_and_none_is_quick() -> None:
    assert set(ACCESS) >= SLOW, sorted(SLOW - set(ACCESS))
    assert not SLOW & QUICK, sorted(SLOW & QUICK)
    assert {"get_case", "assess_case", "list_cases", "submit_case", "give_opinion",
            "health", "me"} <= QUICK


@pytest.mark.parametrize(("path", "method", "on_the_loop"), [
    ("/api/cases/Q1", "case", True),  # quick: a case's record
    ("/api/counts", "counts", False),  # not quick: counts every case
])
def test_where_a_route_runs(api: Api, monkeypatch: pytest.MonkeyPatch,
                                         path: str, method: str, on_the_loop: bool) -> None:
    assert api.post("exporter", "/api/cases", json=submission("Q1")).status_code == 201
    guard: list[bool] = []
    work: list[bool] = []
    spy(api.services.accounts, "resolve_token", guard, monkeypatch)
    spy(api.services.authority, method, work, monkeypatch)
    answer = api.get("officer", path)
    assert answer.status_code == 200
    assert guard == [True], "a guard's work is bounded: on the loop for every route"
    assert work == [on_the_loop]


def test_errors_of_a_quick_route_keep_their_shape(api: Api) -> None:
    missing = api.get("officer", "/api/cases/NOPE")
    assert missing.status_code == 404
    assert set(missing.json()) >= {"error"}
    unsigned = api.client.get("/api/cases/NOPE")
    assert unsigned.status_code == 401
    bad = api.post("exporter", "/api/cases", json={**submission("Q2"), "goods": "none"})
    assert bad.status_code == 422
    assert "goods" in bad.text
