"""A server killed with SIGKILL during a write load loses no write it had acknowledged.

`armsgate serve --workers 2` runs on PostgreSQL in a process group of its own; client
threads submit applications and give opinions as fast as it answers, and note every
write answered 2xx (each opinion carries a reason of its own). The whole group is killed
with SIGKILL while the load runs (no process gets to flush or clean up), the server is
started again on the same store, and every acknowledged write must be there, through the
restarted API, and the audit trail must verify against its key and the head recorded
outside the database.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from armsgate.access.inputs import NewToken, NewUser
from armsgate.access.service import Accounts
from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.services.authority import Authority
from armsgate.settings import Settings
from armsgate.store.database import open_store
from benchmarks.api_site import Server
from tests.api.conftest import PARTIES, submission
from tests.main_job import free_port
from tests.services.test_authority import REGISTERS

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
DAY = date(2025, 1, 1)
USERS = {"exporter": ("exporter", None, "krusik"), "defence": ("ministry", "defence", None),
         "foreign": ("ministry", "foreign_affairs", None), "auditor": ("auditor", None, None)}
CLIENTS, LOAD_SECONDS = 6, 3.0


@pytest.fixture
def store(pg_database: str | None, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A PostgreSQL schema of its own, set up by `armsgate init`: the served environment."""
    if pg_database is None:
        pytest.skip("PostgreSQL is not reachable")
    schema = f"kill_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_database)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    key = tmp_path / "audit.key"
    key.write_text(secrets.token_hex(32) + "\n")
    key.chmod(0o600)
    env = {**os.environ, "ARMSGATE_TODAY": DAY.isoformat(),
           "ARMSGATE_DATABASE_URL": f"{pg_database}?options=-csearch_path%3D{schema}",
           "ARMSGATE_AUDIT_KEY_FILE": str(key),
           "ARMSGATE_AUDIT_HEAD_FILE": str(tmp_path / "audit.head")}
    subprocess.run([sys.executable, "-m", "armsgate", "init"], env=env, check=True,
                   capture_output=True)
    yield env
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def seed(env: dict[str, str]) -> dict[str, str]:
    """Registers, ten cases in review and a token per account."""
    settings = Settings(database_url=env["ARMSGATE_DATABASE_URL"], today=DAY,
                        audit_key_file=Path(env["ARMSGATE_AUDIT_KEY_FILE"]),
                        audit_head_file=Path(env["ARMSGATE_AUDIT_HEAD_FILE"]))
    engine = open_store(settings.database_url)
    trail, clock = AuditTrail.from_settings(settings), SimulatedClock(DAY)
    authority = Authority(engine, clock, actor="test", trail=trail)
    authority.import_registers(i.parse(i.RegistersIn, {**REGISTERS, "parties": PARTIES}))
    for n in range(10):
        authority.submit(i.parse(i.Submit, submission(f"C{n}")))
    accounts, tokens = Accounts(engine, clock, trail), {}
    for name, (role, body, party) in USERS.items():
        accounts.add_user(i.parse(NewUser, {
            "username": name, "display_name": name, "email": f"{name}@example.org",
            "role": role, "body": body, "party_id": party}), "test")
        tokens[name] = accounts.issue_token(i.parse(NewToken, {
            "username": name, "name": "kill", "days": 30}), "test").token
    engine.dispose()
    return tokens


class Writer(threading.Thread):
    """A client that writes until told to stop, noting each write acknowledged (2xx)."""

    def __init__(self, n: int, port: int, tokens: dict[str, str], stop: threading.Event):
        super().__init__(daemon=True)
        self.n, self.port, self.tokens, self.stop = n, port, tokens, stop
        self.submitted: list[str] = []
        self.opinions: list[tuple[str, str, str]] = []
        self.refused = 0  # connection errors or answers cut short: the server was down
        self.unexpected: list[tuple[str, int]] = []  # 5xx or 409 answers

    def post(self, user: str, path: str, body: dict[str, Any]) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("POST", path, json.dumps(body), headers={
                "Authorization": f"Bearer {self.tokens[user]}",
                "Content-Type": "application/json"})
            answer = conn.getresponse()
            answer.read()
        except (OSError, http.client.HTTPException):  # refused, or the answer cut short by
            self.refused += 1  # the kill (its head sent, not its body): not acknowledged
            time.sleep(0.05)
            return False
        finally:
            conn.close()
        if answer.status >= 500 or answer.status == 409:
            self.unexpected.append((path, answer.status))
        return 200 <= answer.status < 300

    def run(self) -> None:
        k = 0
        while not self.stop.is_set():
            k += 1
            if k % 2:
                app_id = f"W{self.n}-{k}"
                if self.post("exporter", "/api/cases", submission(app_id)):
                    self.submitted.append(app_id)
            else:
                app_id, body = f"C{k % 10}", ("defence", "foreign_affairs")[k % 4 // 2]
                user, reason = ("defence", "foreign")[k % 4 // 2], f"w{self.n}-{k}"
                opinion = {"body": body, "decision": "consent", "reason": reason}
                if self.post(user, f"/api/cases/{app_id}/opinions", opinion):
                    self.opinions.append((app_id, body, reason))


def get(port: int, token: str, path: str) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    answer = conn.getresponse()
    body = json.loads(answer.read())
    conn.close()
    assert answer.status == 200, (path, answer.status, body)
    return body


def test_sigkill_during_writes_loses_no_acknowledged_write(store: dict[str, str],
                                                           tmp_path: Path) -> None:
    tokens = seed(store)
    port = free_port()
    server = Server(store, port, 2, tmp_path / "serve.log")
    server.start()
    stop = threading.Event()
    writers = [Writer(n, port, tokens, stop) for n in range(CLIENTS)]
    try:
        for w in writers:
            w.start()
        time.sleep(LOAD_SECONDS)
        server.stop(signal.SIGKILL)  # the whole process group, mid-load
        time.sleep(0.5)
        stop.set()
        for w in writers:
            w.join(timeout=30)
        server.start()
        submitted = [a for w in writers for a in w.submitted]
        opinions = [o for w in writers for o in w.opinions]
        assert len(submitted) + len(opinions) >= 20, "the load wrote little before the kill"
        assert sum(w.refused for w in writers) > 0, "no write was cut off by the kill"
        assert not [u for w in writers for u in w.unexpected]
        for app_id in submitted:
            get(port, tokens["exporter"], f"/api/cases/{app_id}")
        stored = {(app_id, o["body"], o["reason"]) for app_id in {a for a, _, _ in opinions}
                  for o in get(port, tokens["auditor"], f"/api/cases/{app_id}")["opinions"]}
        lost = [o for o in opinions if o not in stored]
        assert not lost, f"acknowledged opinions lost: {lost[:5]}"
        verified = get(port, tokens["auditor"], "/api/audit/verify")
        assert verified["intact"] is True, verified["report"]
    finally:
        stop.set()
        server.stop(signal.SIGKILL)
