"""Benchmark (b): mass re-assessment after a suspension of ML3 and ML4 to all destinations.

Target (issue 2): over a store of 500,000 pending applications and 500,000 live licences
of 1 to 3 lines, one `Authority.suspend` call takes under 60 s on SQLite and under 90 s on
PostgreSQL; generating the store is not counted.

    .venv/bin/python -m benchmarks.mass_reassess --backend sqlite
    .venv/bin/python -m benchmarks.mass_reassess --backend postgresql [--url URL]
    .venv/bin/python -m benchmarks.mass_reassess --applications 50000 --licences 50000 --profile

The registers (1,000 parties, goods with kits, lists, embargoes, conflicts, screening) are
imported through `Authority.import_registers`; the applications, their lines and
destinations and the licences (rows from `repository.application_rows`) are bulk-inserted
into the tables of `armsgate.store.schema` (`--insert`: straight to the driver, or through
Core `insert()` executemany). Every generated case names only parties of countries
without a prohibition on the generation day, so `in_review` and `active` are the states
the engine itself would give them. The SQLite store lives in a temporary directory; on
PostgreSQL the database `armsgate_bench` is dropped and created afresh for each run.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import json
import os
import platform
import pstats
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, timedelta
from typing import Any

from sqlalchemy import JSON, Connection, Date, Engine, Table, create_engine, text

from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.rules.world import World
from armsgate.services.authority import Authority
from armsgate.services.unit import set_meta
from armsgate.store import schema as t
from armsgate.store.database import init_store, open_store
from armsgate.store.repository import application_rows, euc_key
from benchmarks.generate import Generated, WorldSize, destinations, make_application, make_world

GEN_DAY = date(2025, 6, 22)
SUSPEND_DAY = GEN_DAY + timedelta(days=1)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DB = "armsgate_bench"
TARGETS = {"sqlite": 60.0, "postgresql": 90.0}
CHUNK = 20_000
WATCH = ("suspend", "unit", "observe", "_load_world", "pending_in", "live_licences_in",
         "reassess", "load", "load_applications", "assess", "_write", "record_changes",
         "change", "summary", "finish")


def registers(world: World) -> i.RegistersIn:
    """The generated registers as a register file, for `Authority.import_registers`."""
    lists: dict[str, list[str]] = {"white": [], "gray": [], "black": []}
    for entry in world.lists:
        lists[entry.list.value].append(entry.country)
    return i.RegistersIn.model_validate({
        "parties": [{"id": p.id, "name": p.name, "country": p.country,
                     "roles": sorted(r.value for r in p.roles), "aliases": list(p.aliases)}
                    for p in world.parties.values()],
        "goods": [{"id": g.id, "category": g.category, "description": g.description,
                   "kit_of": g.kit_of} for g in world.goods.values()],
        "lists": lists,
        "embargoes": [{"id": e.id, "country": e.country, "by": e.by, "from": e.period.start,
                       "to": e.period.end, "target": e.target.value,
                       "categories": None if e.categories is None else sorted(e.categories)}
                      for e in world.embargoes],
        "conflicts": [{"country": c.country, "from": c.period.start, "to": c.period.end,
                       "source": c.source} for c in world.conflicts],
        "screening": [{"name": s.name, "list": s.list, "country": s.country}
                      for s in world.screening],
    })


Rows = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]


def templates(rng: random.Random, g: Generated, count: int) -> list[Rows]:
    """Rows of `count` distinct generated applications (1 to 3 lines), to be stamped with ids."""
    out = []
    for n in range(count):
        app = make_application(rng, g, f"T-{n}", GEN_DAY, 0, max_lines=3)
        out.append(application_rows(app, g.world.categories, destinations(app, g.world.parties),
                                    "in_review", (), GEN_DAY))
    return out


def stamp(rng: random.Random, template: Rows, app_id: str, seq: int, licensed: bool
          ) -> tuple[Rows, dict[str, Any] | None]:
    """One case from a template: its own id, seq, certificate number, days and state."""
    row, lines, dests = template
    age = int(rng.random() * 310) + 20
    submitted = GEN_DAY - timedelta(days=age)
    row = {**row, "id": app_id, "seq": seq, "submitted_on": submitted, "state_since": submitted}
    if row["euc"] is not None:
        number = f"EUC-{app_id}"
        row["euc"] = {**row["euc"], "number": number}
        row["euc_key"] = euc_key(row["euc"]["issuer"], number)
    lines = [{**ln, "application_id": app_id} for ln in lines]
    dests = [{**d, "application_id": app_id} for d in dests]
    if not licensed:
        return (row, lines, dests), None
    issued = submitted + timedelta(days=int(rng.random() * (age - 1)) + 1)
    row["state"], row["state_since"] = "approved", issued
    licence = {"id": app_id, "application_id": app_id, "issued_on": issued,
               "expires_on": issued + timedelta(days=365), "state": "active",
               "state_since": issued, "version": 1}
    return (row, lines, dests), licence


def insert(conn: Connection, table: Table, rows: list[dict[str, Any]], mode: str) -> None:
    """Bulk insert: Core `insert()` executemany (`core`), or (`driver`) the values converted
    here as Core would (JSON as text; dates as ISO text on SQLite) and sent straight to the
    driver: executemany on SQLite, COPY on PostgreSQL. Both skip SQLAlchemy's per-row
    parameter processing, which costs more than the database's own work here."""
    if not rows:
        return
    if mode == "core":
        conn.execute(table.insert(), rows)
        return
    dialect = conn.dialect
    columns = [c for c in table.columns if c.name in rows[0]]  # the rest take their defaults
    names = [c.name for c in columns]
    convert: list[Callable[[Any], Any]] = []
    for column in columns:
        if isinstance(column.type, JSON):
            convert.append(json.dumps)
        elif isinstance(column.type, Date) and dialect.name == "sqlite":
            convert.append(lambda d: None if d is None else d.isoformat())
        else:
            convert.append(lambda v: v)
    pairs = list(zip(names, convert, strict=True))
    values = [tuple(f(row[n]) for n, f in pairs) for row in rows]
    quoted = ", ".join(dialect.identifier_preparer.quote(n) for n in names)
    if dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
            for value in values:
                copy.write_row(value)
        return
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({quoted}) "
                         f"VALUES ({', '.join([mark] * len(names))})", values)


def generate(engine: Engine, seed: int, applications: int, licences: int,
             distinct: int, mode: str) -> Generated:
    """Import the registers, then bulk-insert the cases; returns the generated world."""
    rng = random.Random(seed)
    g = make_world(rng, WorldSize(suspensions=0), GEN_DAY)
    Authority(engine, SimulatedClock(GEN_DAY), actor="benchmark").import_registers(
        registers(g.world))
    pool = templates(rng, g.without_prohibited(), min(distinct, applications + licences))
    cases = [(f"APP-{n:07d}", False) for n in range(applications)]
    cases += [(f"LIC-{n:07d}", True) for n in range(licences)]
    for start in range(0, len(cases), CHUNK):
        apps, lines, dests, lics = [], [], [], []
        for n, (app_id, licensed) in enumerate(cases[start:start + CHUNK], start):
            (row, ln, dr), lic = stamp(rng, pool[int(rng.random() * len(pool))], app_id,
                                       n - len(cases), licensed)
            apps.append(row)
            lines += ln
            dests += dr
            if lic is not None:
                lics.append(lic)
        with engine.begin() as conn:
            insert(conn, t.applications, apps, mode)
            insert(conn, t.application_lines, lines, mode)
            insert(conn, t.application_destinations, dests, mode)
            insert(conn, t.licences, lics, mode)
    with engine.begin() as conn:
        set_meta(conn, "observed_through", GEN_DAY.isoformat())
    engine.dispose()  # the timed call starts on fresh connections
    return g


def analyze(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))


@contextmanager
def open_bench_store(backend: str, url: str) -> Iterator[Engine]:
    """A fresh, initialised store for the run; removed (SQLite) or left (PostgreSQL) after."""
    if backend == "sqlite":
        tmp = tempfile.mkdtemp(prefix="armsgate-bench-")
        engine = open_store(f"sqlite:///{os.path.join(tmp, 'bench.db')}")
        try:
            init_store(engine)
            yield engine
        finally:
            engine.dispose()
            shutil.rmtree(tmp, ignore_errors=True)
        return
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{PG_DB}"'))
    admin.dispose()
    engine = open_store(f"{url.rsplit('/', 1)[0]}/{PG_DB}")
    try:
        init_store(engine)
        yield engine
    finally:
        engine.dispose()


class Phases:
    """Wall time inside a few service functions, by wrapping them (low overhead, unlike
    cProfile); the wrappers are installed for the timed call only and then removed. Names
    that the service no longer has are skipped (the service changes; the list may lag)."""

    TARGETS = (("armsgate.services.unit", "pending_in"),
               ("armsgate.services.unit", "live_licences_in"),
               ("armsgate.services.unit", "load_applications"),
               ("armsgate.services.reassess", "load_skeletons"),
               ("armsgate.services.reassess", "judge"),
               ("armsgate.services.reassess", "assess"),
               ("armsgate.services.reassess", "change"),
               ("armsgate.services.reassess", "_write"),
               ("armsgate.services.reassess", "record_changes"))

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._saved: list[tuple[Any, str, Any]] = []

    def __enter__(self) -> Phases:
        for module_name, name in self.TARGETS:
            module = importlib.import_module(module_name)
            original = getattr(module, name, None)
            if original is None:
                continue
            self._saved.append((module, name, original))
            setattr(module, name, self._wrap(name, original))
        return self

    def __exit__(self, *exc: object) -> None:
        for module, name, original in self._saved:
            setattr(module, name, original)

    def _wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
                self.calls[name] = self.calls.get(name, 0) + 1
        return wrapper

    def print(self, total: float) -> None:
        print("phases (wall time inside each function, calls nested in another counted in "
              "both):")
        for name, seconds in sorted(self.seconds.items(), key=lambda kv: -kv[1]):
            print(f"  {name:18s} {seconds:8.2f} s {seconds / total:6.1%} "
                  f"{self.calls[name]:>9} calls")


def where_time_goes(profiler: cProfile.Profile) -> None:
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    print("where time goes (cumulative seconds, calls), armsgate functions:")
    rows = []
    for (path, line, name), (_cc, calls, _tt, cum, _callers) in raw.items():
        if "armsgate" in path and name in WATCH:
            rows.append((cum, calls, f"{path.split('src/')[-1]}:{line}({name})"))
    for cum, calls, where in sorted(rows, reverse=True):
        print(f"  {cum:8.2f} s {calls:>9} {where}")
    print("top functions by own time:")
    stats.sort_stats("tottime").print_stats(20)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--url", default=PG_URL, help="PostgreSQL server (admin database)")
    parser.add_argument("--applications", type=int, default=500_000)
    parser.add_argument("--licences", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--distinct", type=int, default=20_000,
                        help="distinct generated applications that the cases are stamped from")
    parser.add_argument("--insert", choices=["driver", "core"], default="driver",
                        help="bulk insert: straight to the driver (SQLite executemany, "
                        "PostgreSQL COPY), or Core insert() executemany")
    parser.add_argument("--analyze", choices=["auto", "yes", "no"], default="auto",
                        help="run ANALYZE after generation (auto: on PostgreSQL only)")
    parser.add_argument("--profile", action="store_true", help="cProfile the timed call")
    parser.add_argument("--phases", action="store_true",
                        help="time a few service functions inside the timed call")
    args = parser.parse_args(argv)

    print(f"Python {platform.python_version()}, backend {args.backend}, "
          f"load average {os.getloadavg()[0]:.2f}")
    with open_bench_store(args.backend, args.url) as engine:
        start = time.perf_counter()
        generate(engine, args.seed, args.applications, args.licences, args.distinct,
                 args.insert)
        generated = time.perf_counter() - start
        if args.analyze == "yes" or (args.analyze == "auto" and args.backend == "postgresql"):
            analyze(engine)
        authority = Authority(engine, SimulatedClock(SUSPEND_DAY), actor="benchmark")
        print(f"generated {args.applications} pending applications and {args.licences} "
              f"licences in {generated:.1f} s (not timed); before: {authority.counts()}")
        order = i.Suspend(id="SUSP-AMMO", scope=i.ScopeIn(categories=["ML3", "ML4"]))
        profiler = cProfile.Profile() if args.profile else None
        phases = Phases()
        with phases if args.phases else nullcontext():
            start = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            report = authority.suspend(order)
            if profiler is not None:
                profiler.disable()
            seconds = time.perf_counter() - start
        summary = report.summary()
        examined = report.examined_applications + report.examined_licences
        target = TARGETS[args.backend]
        print(f"suspend {order.id} on {SUSPEND_DAY}: {seconds:.2f} s (target {target:.0f} s "
              f"at full size: {'met' if seconds < target else 'MISSED'})")
        print(f"examined: {summary['examined']}; changed: {summary['changed']}; "
              f"by new state: {summary['by_new_state']}; value affected: "
              f"EUR {float(summary['value_affected_eur']):,.2f}")
        print(f"rows/s: {examined / seconds:,.0f} examined, {summary['changed'] / seconds:,.0f} "
              f"changed; after: {authority.counts()}")
        if args.phases:
            phases.print(seconds)
        if profiler is not None:
            where_time_goes(profiler)


if __name__ == "__main__":
    main()
