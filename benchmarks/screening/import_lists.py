"""All four real lists imported through the real CLI on a fresh store, timed end to end.

Target (issue 3): all lists imported in under 60 s. Timed as an officer runs it: each step
is its own `armsgate` process (start-up included) on a fresh store, wall and CPU time:

    .venv/bin/python -m benchmarks.screening.import_lists --backend sqlite
    .venv/bin/python -m benchmarks.screening.import_lists --backend postgresql [--url URL]
    .venv/bin/python -m benchmarks.screening.import_lists --parties 1000   # registered first

Steps: `armsgate init`; with `--parties N`, `armsgate registers import` of N generated
parties (seeded: `benchmarks.generate`, the world of benchmark (a)), so that each import
screens every party against the entries it opens; `armsgate lists import` of the UN XML,
the OFAC SDN CSV, the OFAC consolidated XML and the EU CSV of ../shared/data/screening/;
then `armsgate screen name` three times: the first process builds the name index and
saves it in the store, the next ones load it. PostgreSQL gets a fresh database
`armsgate_bench_lists` (dropped first) and an audit key and head in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.generate import WorldSize, make_world
from benchmarks.mass_reassess import registers

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "screening"
LISTS = (("un-consolidated-2025-04-19.xml", "un-xml"),
         ("ofac-sdn-2024-05-03.csv", "ofac-sdn-csv"),
         ("ofac-non-sdn-consolidated-2025-03-28.xml", "ofac-xml"),
         ("eu-consolidated-parsed-2025.csv", "eu-csv"))
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DB = "armsgate_bench_lists"
TARGET = 60.0
DAY = date(2025, 6, 22)


@dataclass(frozen=True, slots=True)
class Step:
    command: str
    wall: float
    cpu: float  # user + system of the child process
    peak_mb: float  # the largest resident set of any child so far (RUSAGE_CHILDREN)
    out: str


def run(args: list[str], env: dict[str, str]) -> Step:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "armsgate"), *args], env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"armsgate {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Step(" ".join(args), wall, cpu, after.ru_maxrss / 1024, done.stdout)


def store_env(backend: str, url: str, tmp: Path) -> dict[str, str]:
    env = {**os.environ, "ARMSGATE_TODAY": DAY.isoformat(), "ARMSGATE_ACTOR": "benchmark"}
    if backend == "sqlite":
        env["ARMSGATE_DATABASE_URL"] = f"sqlite:///{tmp / 'lists.db'}"
        return env
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{PG_DB}"'))
    admin.dispose()
    key = tmp / "audit-key"
    key.write_text(secrets.token_hex(32), encoding="ascii")
    key.chmod(0o600)
    env.update({"ARMSGATE_DATABASE_URL": f"{url.rsplit('/', 1)[0]}/{PG_DB}",
                "ARMSGATE_AUDIT_KEY_FILE": str(key),
                "ARMSGATE_AUDIT_HEAD_FILE": str(tmp / "audit-head")})
    return env


def party_file(tmp: Path, count: int, seed: int) -> Path:
    """A register file of `count` generated parties (and the world's other registers)."""
    g = make_world(random.Random(seed), WorldSize(parties=count, suspensions=0), DAY)
    doc = registers(g.world).model_dump(mode="json", by_alias=True, exclude_none=True)
    path = tmp / "parties.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", default=PG_URL, help="PostgreSQL server (admin database)")
    parser.add_argument("--parties", type=int, default=0, help="register N parties first")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    with open("/proc/loadavg", encoding="ascii") as fh:
        load = fh.read().split()[0]
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load}, "
          f"{os.cpu_count()} CPUs, CPython {platform.python_version()}, {args.backend}")
    with tempfile.TemporaryDirectory(prefix="armsgate-lists-") as folder:
        tmp = Path(folder)
        env = store_env(args.backend, args.url, tmp)
        steps = [run(["init"], env)]
        if args.parties:
            steps.append(run(["registers", "import", str(party_file(tmp, args.parties,
                                                                    args.seed))], env))
        imports = [run(["lists", "import", str(DATA / name), "--format", fmt], env)
                   for name, fmt in LISTS]
        steps += imports
        screens = [run(["screen", "name", "Krusik AD", "--country", "RS"], env)
                   for _ in range(3)]
        steps += screens
    for step in steps:
        first = step.out.strip().splitlines()[:2]
        print(f"{step.wall:7.2f} s wall {step.cpu:6.2f} s CPU  armsgate {step.command}")
        for line in first:
            print(f"          {line}")
    total = sum(s.wall for s in imports)
    print(f"all lists imported: {total:.2f} s wall, {sum(s.cpu for s in imports):.2f} s CPU "
          f"(target {TARGET:.0f} s: {'met' if total < TARGET else 'NOT met'}); "
          f"peak RSS of a step {max(s.peak_mb for s in steps):.0f} MB")
    print(f"screen name: first {screens[0].wall:.2f} s (builds and saves the index), then "
          f"{screens[1].wall:.2f} s and {screens[2].wall:.2f} s (load it)")


if __name__ == "__main__":
    main()
