"""The `armsgate` command on bad input (exit 2, nothing written), a store not set up (exit
3), and the conformance scenarios through `scenario run`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import (
    APP,
    APPLICATION,
    REGISTERS,
    SCENARIOS,
    Cli,
    err,
    example_with,
    write,
)

# --- bad input -------------------------------------------------------------------------------


def test_negative_quantity_exits_2_and_writes_nothing(ready: Cli, tmp_path: Path) -> None:
    bad = example_with(tmp_path, "quantity: 500", "quantity: -5")
    result = ready("cases", "submit", bad, code=2)
    problem = "submit.goods[0].quantity: Input should be greater than 0"
    assert err(result) == f"error: {bad}: {problem}"
    assert result.stdout == ""
    assert ready.json("cases", "list") == []
    assert "cannot read" in err(ready("registers", "import", "nope.yaml", code=2))


def test_unknown_party_exits_2_and_writes_nothing(ready: Cli, tmp_path: Path) -> None:
    events = ready.count("events")
    bad = example_with(tmp_path, "consignee: eg-mod", "consignee: nobody")
    result = ready("cases", "submit", bad, code=2)
    assert "error: submit.consignee: no party 'nobody'" in err(result)
    assert ready.json("cases", "list") == []
    assert ready.count("events") == events
    assert ready.count("applications") == 0


def test_unknown_goods_and_a_reused_id(ready: Cli, tmp_path: Path) -> None:
    bad = example_with(tmp_path, "- item: mortar-round", "- item: cannon")
    assert "submit.goods[0].item: no goods item 'cannon'" in err(
        ready("cases", "submit", bad, code=2))
    ready("cases", "submit", APPLICATION)
    assert f"submit.id: '{APP}' is already used" in err(
        ready("cases", "submit", APPLICATION, code=2))
    assert len(ready.json("cases", "list")) == 1


@pytest.mark.parametrize(("body", "field"), [
    ("id: [unclosed\n", "bad.yaml"),
    ("a: 1\na: 2\n", "duplicate key"),
    ("", "bad.yaml"),
    ("[1, 2]", "bad.yaml"),
])
def test_malformed_files_exit_2(ready: Cli, tmp_path: Path, body: str, field: str) -> None:
    result = ready("cases", "submit", write(tmp_path, "bad.yaml", body), code=2)
    assert field in err(result)
    assert ready.json("cases", "list") == []


def test_unknown_database_scheme_exits_2(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARMSGATE_DATABASE_URL", "mysql://user@host/db")
    for args in (["init"], ["cases", "list"]):
        assert "error: ARMSGATE_DATABASE_URL:" in err(cli(*args, code=2))
    assert not cli.db.exists()


def test_bad_today_exits_2(cli: Cli) -> None:
    cli.day("2025-13-01")
    assert "error: ARMSGATE_TODAY:" in err(cli("init", code=2))


def test_store_not_initialised_exits_3(cli: Cli) -> None:
    for args in (["cases", "list"], ["registers", "import", str(REGISTERS)], ["observe"]):
        result = cli(*args, code=3)
        assert "run `armsgate init`" in err(result)
        assert result.stdout == ""


# --- scenarios -------------------------------------------------------------------------------


def test_scenario_run(cli: Cli) -> None:
    scenario = SCENARIOS / "euc-checks.yaml"
    if not scenario.exists():
        pytest.skip(f"{scenario} is absent")
    report = cli.json("scenario", "run", scenario)
    assert report["failed"] == 0 < report["passed"]
    invalid = sorted((SCENARIOS.parent / "invalid").glob("*.yaml"))
    if invalid:
        assert "INVALID" in cli("scenario", "run", invalid[0], code=2).stdout
