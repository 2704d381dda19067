"""`armsgate outbox list|deliver`, and what messages say about a stored case."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsgate.cli import output
from armsgate.cli.app import app
from armsgate.clock import SimulatedClock
from armsgate.errors import NotFound
from armsgate.notify import case_ref, enqueue, licence_suspended
from armsgate.services.authority import Authority
from armsgate.store.database import init_store, open_store
from tests.documents.conftest import CYRILLIC, EXPORTER, LICENCE, issue
from tests.notify.conftest import T0, messages

runner = CliRunner()


def test_case_ref_names_the_case_from_the_store(authority: Authority) -> None:
    issue(authority)
    with authority.engine.connect() as conn:
        case = case_ref(conn, LICENCE)
        with pytest.raises(NotFound):
            case_ref(conn, "NOPE")
    assert (case.exporter, case.consignee, case.end_user) == (
        EXPORTER, "Armament Agency of Poland", "Armament Agency of Poland")
    assert case.destinations == ("Poland (PL)", "Serbia (RS)")  # the brokers' country too
    assert case.goods == ("400 x 122 mm rocket, assembly kit (ML4)",
                          "12 x Tactical radio station Žuta, žičana antena (Šabac) (ML11)")
    assert case.value == Decimal("1334000.50")
    [m] = licence_suspended(case, ["exports@krusik.rs"], licence=LICENCE, day=date(2025, 2, 3),
                            reasons=["suspension order S1 (ML4)"], seq=12)
    assert "400 x 122 mm rocket, assembly kit (ML4)" in m.body
    assert CYRILLIC not in m.body  # brokers are not named in a message, only in the licence


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "store.db"
    engine = open_store(f"sqlite:///{db}")
    init_store(engine)
    Authority(engine, SimulatedClock(date(2025, 1, 1)), actor="test")
    with engine.begin() as conn:
        enqueue(conn, messages(2), at=T0)
    engine.dispose()
    monkeypatch.setenv("ARMSGATE_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.delenv("ARMSGATE_SMTP_HOST", raising=False)
    monkeypatch.setattr(output.console, "_width", 200)  # tables unwrapped
    return db


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result.stdout if code == 0 else result.stderr


def test_outbox_list_then_deliver_to_the_log(store: Path) -> None:
    listed = json.loads(run("outbox", "list", "--json"))
    assert [m["status"] for m in listed] == ["pending", "pending"]
    assert listed[0]["recipient"] == "reviewer1@mod.gov.rs"  # newest first
    result = runner.invoke(app, ["outbox", "deliver", "--json"])  # no relay set: the log
    assert json.loads(result.stdout) == {"sent": 2, "retry": 0, "failed": 0, "stopped": None}
    assert "to reviewer0@mod.gov.rs: [armsgate] Consent requested" in result.stderr
    assert len(json.loads(run("outbox", "list", "--status", "sent", "--json"))) == 2
    assert "reviewer0@mod.gov.rs" in run("outbox", "list", "--case", "RS-2025-0042")
    assert "sent 0" in run("outbox", "deliver", "--sender", "log")
    result = runner.invoke(app, ["outbox", "deliver"])  # nothing left: nothing logged
    assert result.stderr == ""


def test_outbox_refuses_what_it_cannot_do(store: Path) -> None:
    assert "status: 'lost' is not one of" in run("outbox", "list", "--status", "lost", code=2)
    assert "ARMSGATE_SMTP_HOST" in run("outbox", "deliver", "--sender", "smtp", code=2)
