"""The public conformance suite of ../shared/conformance, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgate.cli.app import app
from tests.conftest import SHARED

CONFORMANCE = SHARED / "conformance"
SCENARIOS = sorted((CONFORMANCE / "scenarios").glob("*.yaml"))
INVALID = sorted((CONFORMANCE / "invalid").glob("*.yaml"))

pytestmark = pytest.mark.skipif(not CONFORMANCE.is_dir(),
                                reason=f"no conformance suite at {CONFORMANCE}")


def test_the_suite_is_there() -> None:
    assert SCENARIOS, "no public scenarios found"
    assert INVALID, "no invalid files found"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_public_scenario_passes(path: Path) -> None:
    result = CliRunner().invoke(app, ["scenario", "run", str(path), "--json"])
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.stdout
    assert report["failed"] == 0
    assert report["passed"] > 0
    assert report["files"][0]["valid"] is True


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_file_is_refused_naming_file_step_and_field(path: Path) -> None:
    result = CliRunner().invoke(app, ["scenario", "run", str(path)])
    assert result.exit_code == 2
    line = result.stdout.splitlines()[0]
    assert line.startswith(f"INVALID {path}")
    assert " step " in line
    assert result.stdout.strip().endswith("0 passed, 0 failed")


EXPECTED_ERRORS = {
    "bad-category.yaml": (0, "world.goods[0].category"),
    "bad-quantity.yaml": (1, "submit.goods[0].quantity"),
    "date-backwards.yaml": (2, "date"),
    "two-actions.yaml": (1, "suspend"),
    "unknown-party.yaml": (1, "submit.consignee"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_invalid_file_error_points_at_the_field(name: str) -> None:
    path = CONFORMANCE / "invalid" / name
    result = CliRunner().invoke(app, ["scenario", "run", str(path), "--json"])
    error = json.loads(result.stdout)["files"][0]["error"]
    assert (error["step"], error["path"]) == EXPECTED_ERRORS[name]
    assert error["message"]


def test_valid_and_invalid_files_together_exit_2_and_still_run_the_valid() -> None:
    result = CliRunner().invoke(app, ["scenario", "run", str(SCENARIOS[0]), str(INVALID[0])])
    assert result.exit_code == 2
    assert any(line.startswith("PASS") for line in result.stdout.splitlines())
