"""The main job builds its store and reports, and its own checks pass."""

from __future__ import annotations

from pathlib import Path

from armsgate.demo.job import build, report


def test_demo_store_and_report(tmp_path: Path) -> None:
    authority, results = build(tmp_path / "demo.db")
    assert results
    assert all(r.passed for r in results)
    data = report(authority, results)
    states = {c["id"]: c["state"] for c in data["cases"]}
    assert states["APP-CZ-1"] == "refused"
    assert states["APP-BG-1"] == "held"
    suspension = next(e for e in data["world_changes"] if e["kind"] == "suspend")
    assert suspension["outcome"]["by_new_state"]["application:held"] == 2
    assert data["counts"]["licences"]["expired"] == 1
