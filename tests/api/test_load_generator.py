"""The wrk side of the load benchmark (`benchmarks/api_wrk.py`): the plan as Lua, and how
its result line is read (a 409 is not an error; a socket error is)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.api_site import Plan
from benchmarks.api_wrk import lua, read_result, write_plan


def test_values_become_lua_expressions() -> None:
    assert lua("Krušik \"a.d.\"\n") == '"Krušik \\"a.d.\\"\\n"'  # UTF-8 kept, escapes Lua's
    assert lua([1, 2.5, "x"]) == '{1, 2.5, "x"}'
    assert lua({"a": ["b"]}) == '{["a"] = {"b"}}'
    with pytest.raises(ValueError, match="control character"):
        lua("bell\x07")
    with pytest.raises(TypeError):
        lua(None)


def test_the_plan_gives_each_submission_a_placeholder_id_and_its_exporters_token(
        tmp_path: Path) -> None:
    template = {"exporter": "krusik", "consignee": "pl-mod", "end_user": "pl-mod",
                "euc": {"number": "EUC-1", "issuer": "pl-mod"}, "goods": []}
    plan = Plan(tokens={"officer": "t-o", "analyst": "t-a", "defence": "t-d",
                        "foreign": "t-f"}, exporters={"krusik": "t-k"}, cases=["A1", "A2"],
                consents={"defence": ["A1"], "foreign_affairs": ["A2"]},
                templates=[template])
    text = write_plan(plan, tmp_path / "plan.lua").read_text(encoding="utf-8")
    assert text.startswith("return {")
    assert '["readers"] = {"t-o", "t-a"}' in text
    assert '["body_tokens"] = {["defence"] = "t-d", ["foreign_affairs"] = "t-f"}' in text
    doc = json.loads(json.loads(text.split('["json"] = ')[1].split(', ["token"]')[0]))
    assert (doc["id"], doc["euc"]["number"]) == ("__ID__", "EUC-__ID__")
    assert '["token"] = "t-k"' in text


def test_the_result_counts_409_apart_from_errors(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text("Running 30s test\n" + "RESULT " + json.dumps({
        "requests": 3000, "duration_us": 5_000_000, "p50_us": 80_000, "p95_us": 120_000,
        "p99_us": 150_500, "max_us": 300_000,
        "socket_errors": {"connect": 0, "read": 2, "write": 0, "timeout": 0},
        "statuses": [{"200": 2000}, {"204": 500}, {"200": 400}, {"409": 7}, {"500": 3}]}))
    stats = read_result(log)
    assert stats["total"]["rps"] == 600.0
    assert stats["total"]["p99_ms"] == 150.5
    assert stats["statuses"] == {"200": 2400, "204": 500, "409": 7, "500": 3}
    assert stats["errors_by_status"] == {"HTTP 500": 3, "socket read": 2}
    assert stats["total"]["failures"] == 5


def test_no_result_line_is_an_error(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text("PANIC: unprotected error in call to Lua API\n")
    with pytest.raises(RuntimeError, match="no result"):
        read_result(log)
