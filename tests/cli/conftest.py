"""The `armsgate` command end to end: CliRunner on a SQLite file, a fixed day, the doc
examples (the helpers and fixtures of the CLI's tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from typer.testing import CliRunner, Result

from armsgate.cli import output
from armsgate.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
REGISTERS = EXAMPLES / "registers.yaml"
APPLICATION = EXAMPLES / "application.yaml"
APP = "APP-2025-001"
SHARED = ROOT.parent / "shared"
UCDP = SHARED / "data" / "conflicts" / "ucdp-prio-acd-v25.1.csv"
SCENARIOS = SHARED / "conformance" / "scenarios"

runner = CliRunner()


class Cli:
    """Runs `armsgate` against one SQLite file; `day()` moves ARMSGATE_TODAY."""

    def __init__(self, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.db = db
        self.monkeypatch = monkeypatch
        monkeypatch.setenv("ARMSGATE_DATABASE_URL", f"sqlite:///{db}")
        self.day("2025-06-01")
        self.width(200)

    def width(self, columns: int) -> None:
        """Rich fixes a console's width at import when COLUMNS is set: set it on both."""
        for console in (output.console, output.errors):
            self.monkeypatch.setattr(console, "_width", columns)

    def day(self, day: str) -> None:
        self.monkeypatch.setenv("ARMSGATE_TODAY", day)

    def __call__(self, *args: str | Path, code: int = 0) -> Result:
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == code, (
            f"armsgate {' '.join(map(str, args))} exited {result.exit_code}, not {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}\n{result.exception!r}")
        return result

    def json(self, *args: str | Path) -> Any:
        return json.loads(self(*args, "--json").stdout)

    def count(self, table: str) -> int:
        engine = create_engine(f"sqlite:///{self.db}")
        with engine.connect() as conn:
            n = conn.execute(select(func.count()).select_from(text(table))).scalar_one()
        engine.dispose()
        return int(n)


def err(result: Result) -> str:
    """stderr with any line wrapping undone."""
    return " ".join(result.stderr.split())


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)
    return Cli(tmp_path / "store.db", monkeypatch)


@pytest.fixture
def ready(cli: Cli) -> Cli:
    """A fresh store with the registers example imported."""
    cli("init")
    cli("registers", "import", REGISTERS)
    return cli


@pytest.fixture
def submitted(ready: Cli) -> Cli:
    ready("cases", "submit", APPLICATION)
    return ready


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def example_with(tmp_path: Path, old: str, new: str) -> Path:
    body = APPLICATION.read_text(encoding="utf-8")
    assert old in body
    return write(tmp_path, "bad.yaml", body.replace(old, new, 1))
