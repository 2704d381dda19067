"""The served store of the API benchmarks: a fresh PostgreSQL database with a seeded
world, cases and accounts, and `armsgate serve` run as a child process.

`prepare()` makes the database (dropped first if it exists), the audit key and head files
in a work directory, runs `armsgate init` and `armsgate registers reference` through the
CLI, imports the registers of `benchmarks.generate` (seeded: 1,000 parties, 300 goods
with kits, embargoes, conflicts, lists, screening entries), submits CASES applications
through `Authority.submit` (screened, judged and audited as the API would), and makes an
account and an API token for each role, with an exporter account for each exporting
company. It returns a `Plan` (tokens, cases by state, the bodies asked to consent,
submission templates), which `save()` writes as JSON for the load generator.
`Server` starts `armsgate serve --workers N` in its own process group on that store,
waits for `/health`, and stops it with SIGTERM or kills it with SIGKILL.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from armsgate.access.inputs import NewToken, NewUser
from armsgate.access.service import Accounts
from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.domain.model import Application
from armsgate.services.authority import Authority
from armsgate.settings import Settings
from armsgate.store.database import open_store
from benchmarks.generate import WorldSize, make_application, make_world
from benchmarks.mass_reassess import registers

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DAY = date(2025, 6, 23)  # the service's day (ARMSGATE_TODAY): the world is generated for it
STAFF = {"officer": ("officer", None), "analyst": ("analyst", None),
         "auditor": ("auditor", None), "secretary": ("nsc-secretary", None),
         "defence": ("ministry", "defence"), "foreign": ("ministry", "foreign_affairs")}


@dataclass
class Plan:
    """What the load generator needs: tokens and the cases it reads and acts on."""

    base_url: str = ""
    tokens: dict[str, str] = field(default_factory=dict)  # staff account -> token
    exporters: dict[str, str] = field(default_factory=dict)  # party -> its account's token
    cases: list[str] = field(default_factory=list)
    # body -> cases in review whose consent it was asked for
    consents: dict[str, list[str]] = field(default_factory=dict)
    templates: list[dict[str, Any]] = field(default_factory=list)  # submissions, no id
    states: dict[str, int] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Plan:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def submission(app: Application) -> dict[str, Any]:
    """A generated application as the API's submission body."""
    doc: dict[str, Any] = {
        "id": app.id, "exporter": app.exporter, "consignee": app.consignee,
        "end_user": app.end_user, "intermediates": list(app.intermediates),
        "route": list(app.route), "end_use": app.end_use,
        "goods": [{"item": g.item, "quantity": g.quantity, "value": float(g.value)}
                  for g in app.lines]}
    if app.euc is not None:
        e = app.euc
        doc["euc"] = {"number": e.number, "issuer": e.issuer, "issued_on": e.issued_on.isoformat(),
                      "valid_until": e.valid_until.isoformat(), "end_user": e.end_user,
                      "non_reexport": e.non_reexport,
                      "goods": [{"item": g.item, "quantity": g.quantity} for g in e.goods]}
    return doc


def fresh_database(name: str, admin_url: str = PG_ADMIN) -> str:
    """Drop and create database `name`; its URL."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def environment(url: str, workdir: Path) -> dict[str, str]:
    """The settings of the served store, as `armsgate` reads them."""
    return {**os.environ, "ARMSGATE_DATABASE_URL": url, "ARMSGATE_TODAY": DAY.isoformat(),
            "ARMSGATE_AUDIT_KEY_FILE": str(workdir / "audit.key"),
            "ARMSGATE_AUDIT_HEAD_FILE": str(workdir / "audit.head")}


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "armsgate", *args], env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout


def analyse(url: str) -> None:
    """VACUUM ANALYZE the loaded store, as after any bulk load: the planner's statistics
    and the visibility map. A production server's autovacuum does this by itself; the
    PostgreSQL of these machines runs with `autovacuum = off`, so without it every plan
    of the run would rest on default estimates."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")  # VACUUM: no transaction
    try:
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def prepare(workdir: Path, database: str, *, cases: int, seed: int = 4,
            log: Any = print) -> tuple[dict[str, str], Plan]:
    """A fresh store served from `workdir`: (its environment, the plan of the load)."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("audit.key", "audit.head", "audit.head.lock"):
        (workdir / name).unlink(missing_ok=True)
    fd = os.open(workdir / "audit.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(32) + "\n")
    env = environment(fresh_database(database), workdir)
    started = time.perf_counter()
    cli(env, "init")
    cli(env, "registers", "reference")
    settings = Settings(database_url=env["ARMSGATE_DATABASE_URL"], today=DAY,
                        audit_key_file=Path(env["ARMSGATE_AUDIT_KEY_FILE"]),
                        audit_head_file=Path(env["ARMSGATE_AUDIT_HEAD_FILE"]))
    engine = open_store(settings.database_url)
    trail, clock = AuditTrail.from_settings(settings), SimulatedClock(DAY)
    authority = Authority(engine, clock, actor="benchmark", trail=trail)
    rng = random.Random(seed)
    g = make_world(rng, WorldSize(suspensions=0), DAY)
    authority.import_registers(registers(g.world))
    log(f"  registers imported ({time.perf_counter() - started:.1f} s)")
    plan = Plan()
    allowed = g.without_prohibited()
    for n in range(cases):
        app = make_application(rng, allowed, f"APP-{n:06d}", DAY, 0, max_lines=3)
        assessment = authority.submit(i.parse(i.Submit, submission(app)))
        plan.cases.append(app.id)
        outcome = str(getattr(assessment.outcome, "value", assessment.outcome))
        plan.states[outcome] = plan.states.get(outcome, 0) + 1
        if outcome == "review":
            for body in assessment.consents:
                plan.consents.setdefault(body, []).append(app.id)
        if (n + 1) % 1000 == 0:
            log(f"  {n + 1} cases submitted ({time.perf_counter() - started:.1f} s)")
    plan.templates = [{k: v for k, v in submission(make_application(
        rng, allowed, "T", DAY, 0, max_lines=3)).items() if k != "id"} for _ in range(200)]
    accounts = Accounts(engine, clock, trail)

    def account(name: str, role: str, body: str | None = None,
                party: str | None = None) -> str:
        accounts.add_user(i.parse(NewUser, {
            "username": name, "display_name": name, "email": f"{name}@example.org",
            "role": role, "body": body, "party_id": party}), "benchmark")
        issued = accounts.issue_token(i.parse(NewToken, {"username": name, "name": "load",
                                                         "days": 30}), "benchmark")
        return str(issued.token)

    for name, (role, body) in STAFF.items():
        plan.tokens[name] = account(name, role, body)
    for party in sorted({t["exporter"] for t in plan.templates}):
        plan.exporters[party] = account(f"exp-{party.lower()}", "exporter", party=party)
    engine.dispose()
    analyse(env["ARMSGATE_DATABASE_URL"])
    log(f"  store ready: {cases} cases {plan.states}, {len(plan.exporters)} exporters "
        f"({time.perf_counter() - started:.1f} s)")
    return env, plan


class Server:
    """`armsgate serve` in its own process group."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log_file: Path) -> None:
        self.env, self.port, self.workers, self.log_file = env, port, workers, log_file
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        with open(self.log_file, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "armsgate", "serve", "--host", "127.0.0.1",
                 "--port", str(self.port), "--workers", str(self.workers)],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"armsgate serve exited: see {self.log_file}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"armsgate serve did not answer /health in {timeout} s")

    def pids(self) -> list[int]:
        """The server's processes (the uvicorn supervisor and its workers)."""
        import psutil

        if self.process is None:
            return []
        try:
            root = psutil.Process(self.process.pid)
            return [root.pid, *(c.pid for c in root.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
        """Signal the whole process group (SIGKILL: no process gets to clean up)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None
