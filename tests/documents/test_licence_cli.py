"""`armsgate licence pdf LICENCE -o FILE` on a SQLite store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgate.cli.app import app
from armsgate.clock import SimulatedClock
from armsgate.services.authority import Authority
from armsgate.store.database import init_store, open_store
from tests.documents.conftest import CYRILLIC, LICENCE, issue, pdf_text

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "store.db"
    engine = open_store(f"sqlite:///{db}")
    init_store(engine)
    issue(Authority(engine, SimulatedClock(date(2025, 1, 1)), actor="test"))
    engine.dispose()
    monkeypatch.setenv("ARMSGATE_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("ARMSGATE_AUTHORITY_NAME", "Ministarstvo unutrašnje i spoljne trgovine")
    return db


def test_licence_pdf_writes_the_document(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "licence.pdf"
    result = runner.invoke(app, ["licence", "pdf", LICENCE, "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report == {"licence": LICENCE, "state": "active", "file": str(out),
                      "bytes": out.stat().st_size}
    text = pdf_text(out.read_bytes())
    assert CYRILLIC in text
    assert "Ministarstvo unutrašnje i spoljne trgovine" in text


def test_an_unknown_licence_exits_2_naming_it(store: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["licence", "pdf", "NOPE", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "licence: no licence 'NOPE'" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_an_unwritable_output_exits_2(store: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["licence", "pdf", LICENCE, "-o",
                                 str(tmp_path / "missing" / "x.pdf")])
    assert result.exit_code == 2
    assert "--output: cannot write" in result.stderr
