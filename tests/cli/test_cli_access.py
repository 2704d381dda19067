"""`armsgate users ...` and `armsgate audit ...` end to end on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, update
from typer.testing import CliRunner, Result

from armsgate.cli import output
from armsgate.cli.app import app
from armsgate.store import schema as t

runner = CliRunner()
PASSWORD = "correct horse battery staple"


class Cli:
    def __init__(self, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.db = db
        monkeypatch.setenv("ARMSGATE_DATABASE_URL", f"sqlite:///{db}")
        monkeypatch.setenv("ARMSGATE_TODAY", "2025-06-01")
        monkeypatch.setenv("ARMSGATE_ACTOR", "root-operator")
        for name in ("ARMSGATE_AUDIT_KEY_FILE", "ARMSGATE_AUDIT_HEAD_FILE"):
            monkeypatch.delenv(name, raising=False)
        for console in (output.console, output.errors):
            monkeypatch.setattr(console, "_width", 200)

    def __call__(self, *args: str, code: int = 0, stdin: str | None = None) -> Result:
        result = runner.invoke(app, list(args), input=stdin)
        assert result.exit_code == code, (
            f"armsgate {' '.join(args)} exited {result.exit_code}, not {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}\n{result.exception!r}")
        return result

    def json(self, *args: str, stdin: str | None = None) -> Any:
        return json.loads(self(*args, "--json", stdin=stdin).stdout)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path / "store.db", monkeypatch)


def test_init_makes_the_audit_key_once(cli: Cli, tmp_path: Path) -> None:
    first = cli("init").stdout
    key = tmp_path / "store.db.audit-key"
    assert f"audit key created at {key}" in first
    assert (key.stat().st_mode & 0o777) == 0o600
    secret = key.read_bytes()
    assert "audit key created" not in cli("init").stdout
    assert key.read_bytes() == secret
    assert cli.json("init")["audit_key_file"] == str(key)


def test_users_and_their_audit_trail(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    cli("registers", "import", str(Path(__file__).resolve().parents[2] / "docs" / "examples"
                                   / "registers.yaml"))
    ana = cli.json("users", "add", "ana", "--role", "officer", "--name", "Ana Ilić",
                   "--email", "ana@example.org", "--password-stdin", stdin=PASSWORD + "\n")
    assert (ana["role"], ana["has_password"], ana["active"]) == ("officer", True, True)
    err = cli("users", "add", "mod", "--role", "ministry", "--name", "M", "--email",
              "m@example.org", code=2).stderr
    assert "error: body: a ministry reviewer needs the body it reviews for" in err
    cli("users", "add", "mod", "--role", "ministry", "--body", "defence", "--name", "M",
        "--email", "m@example.org")
    assert "error: party_id: no party 'nobody'" in cli(
        "users", "add", "clerk", "--role", "exporter", "--party", "nobody", "--name", "C",
        "--email", "c@example.org", code=2).stderr
    listed = cli.json("users", "list")
    assert [(u["username"], u["body"]) for u in listed] == [("ana", None), ("mod", "defence")]
    assert "Ana Ilić" in cli("users", "list").stdout

    issued = cli.json("users", "token", "mod", "--name", "scripts", "--days", "30")
    assert issued["token"].startswith("agt_")
    assert issued["expires_at"].startswith("2025-07-01")
    text = cli("users", "token", "mod", "--name", "second").stdout
    assert "shown only now" in text
    assert [i["name"] for i in cli.json("users", "tokens", "mod")] == ["scripts", "second"]
    assert issued["token"] not in cli("users", "tokens").stdout
    cli("users", "revoke", str(issued["id"]))
    cli("users", "password", "mod", "--stdin", stdin="a new long password\n")
    assert "error: password:" in cli("users", "password", "mod", "--stdin", stdin="short\n",
                                     code=2).stderr
    assert cli.json("users", "disable", "mod")["active"] is False
    assert "error: username: no account 'ghost'" in cli("users", "disable", "ghost",
                                                        code=2).stderr

    rows = [r for r in cli.json("audit", "show") if r["subject"][0] in ("user", "api_token")]
    assert [r["action"] for r in rows] == ["user.create", "user.create", "token.issue",
                                           "token.issue", "token.revoke", "user.password",
                                           "user.disable"]
    assert {r["actor"] for r in rows} == {"root-operator"}
    seqs = [r["seq"] for r in cli.json("audit", "show", "--subject", "user:mod")]
    assert seqs == [rows[1]["seq"], rows[5]["seq"], rows[6]["seq"]]
    assert "user.disable" in cli("audit", "show", "--limit", "1").stdout
    assert "error: --subject: expected KIND:ID" in cli("audit", "show", "--subject", "mod",
                                                       code=2).stderr
    state = cli.json("audit", "state", "user:mod", "--at", "2025-06-01")
    assert state["state"]["active"] is False
    assert cli.json("audit", "state", "user:mod", "--at", "2025-05-31") is None
    every = cli.json("audit", "show", "--limit", "1000")
    assert f"intact: {len(every)} rows" in cli("audit", "verify").stdout
    assert cli.json("audit", "verify")["intact"] is True


def test_audit_verify_fails_on_an_edited_or_truncated_trail(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    for name in ("a1", "a2", "a3"):
        cli("users", "add", name, "--role", "analyst", "--name", name, "--email",
            f"{name}@example.org")
    engine = create_engine(f"sqlite:///{cli.db}")
    with engine.begin() as conn:
        conn.execute(update(t.audit_log).where(t.audit_log.c.seq == 2).values(actor="mallory"))
    result = cli("audit", "verify", code=1)
    assert "error: audit trail broken at seq 2: edited: HMAC mismatch" in result.stderr
    assert cli("audit", "verify", "--json", code=1).stdout.count('"first_broken_seq": 2') == 1
    with engine.begin() as conn:
        conn.execute(update(t.audit_log).where(t.audit_log.c.seq == 2).values(
            actor="root-operator"))
    cli("audit", "verify")
    with engine.begin() as conn:
        conn.execute(t.audit_log.delete().where(t.audit_log.c.seq == 3))
    engine.dispose()
    assert "broken at seq 3: cut-short" in cli("audit", "verify", code=1).stderr


def test_postgres_without_an_audit_key_refuses_to_start(cli: Cli,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARMSGATE_DATABASE_URL", "postgresql+psycopg://app@127.0.0.1:1/none")
    err = cli("users", "list", code=2).stderr
    assert "error: ARMSGATE_AUDIT_KEY_FILE: required on PostgreSQL" in err


def test_a_store_without_its_key_asks_for_init(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    (tmp_path / "store.db.audit-key").unlink()
    assert "run `armsgate init`" in cli("audit", "verify", code=3).stderr


def test_the_audit_key_is_rotated_and_the_trail_still_verifies(cli: Cli, tmp_path: Path
                                                              ) -> None:
    cli("init")
    cli("users", "add", "ana", "--role", "officer", "--name", "Ana", "--email",
        "ana@example.org")
    assert cli.json("audit", "rotate-key")["key"] == 2
    cli("users", "add", "bob", "--role", "analyst", "--name", "Bob", "--email",
        "bob@example.org")  # recorded under key 2
    assert "audit key 3 added" in cli("audit", "rotate-key").stdout
    assert "intact" in cli("audit", "verify").stdout
    key = tmp_path / "store.db.audit-key"
    lines = key.read_bytes().splitlines()
    assert len(lines) == 3
    assert (key.stat().st_mode & 0o777) == 0o600
    key.write_bytes(lines[0] + b"\n")  # the later keys lost: their rows cannot be checked
    assert "unknown-key" in cli("audit", "verify", code=1).stderr
