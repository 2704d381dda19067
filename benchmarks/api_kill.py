"""SIGKILL during the load benchmark (issue 4): no acknowledged write is lost.

The load of `benchmarks/api_load.py` (50 Locust clients, 85% reads, 10% opinions, 5%
submissions) runs against `armsgate serve` on the prepared PostgreSQL store, with every
acknowledged write (2xx) appended to a file as its answer arrives (`LOAD_ACKS`). After
--kill-after seconds the server's whole process group (supervisor and workers) is killed
with SIGKILL and started again at once; the load goes on until --duration. Then every
acknowledged submission must be in `applications` and every acknowledged opinion (each
has a reason of its own) in `opinions`, and `armsgate audit verify` must pass.

    .venv-load/bin/python -m benchmarks.api_load --prepare-only        # once
    .venv-load/bin/python -m benchmarks.api_kill [--workers 2] [--kill-after 20]

`tests/api/test_durability.py` checks the same in the test suite, with a smaller load.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.api_load import read_stats, run_locust
from benchmarks.api_site import Server


def acknowledged(acks: Path) -> tuple[set[str], set[str]]:
    """(submitted ids, opinion reasons) acknowledged by the server."""
    submitted, reasons = set(), set()
    for line in acks.read_text().splitlines():
        kind, *rest = line.split()
        if kind == "submit":
            submitted.add(rest[0])
        elif kind == "opinion":
            reasons.add(rest[2])
    return submitted, reasons


def stored(url: str, submitted: set[str], reasons: set[str]) -> tuple[set[str], set[str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        apps = {r[0] for r in conn.execute(
            text("SELECT id FROM applications WHERE id = ANY(:ids)"), {"ids": list(submitted)})}
        found = {r[0] for r in conn.execute(
            text("SELECT reason FROM opinions WHERE reason = ANY(:r)"), {"r": list(reasons)})}
    engine.dispose()
    return apps, found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rate", type=float, default=0.0,
                        help="requests/s of each client (0: as fast as answered)")
    parser.add_argument("--duration", type=int, default=45)
    parser.add_argument("--kill-after", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/armsgate-load"))
    args = parser.parse_args(argv)
    work: Path = args.workdir
    env = {**os.environ, **json.loads((work / "env.json").read_text())}
    acks = work / "kill-acks.txt"
    acks.write_text("")
    server = Server(env, args.port, args.workers, work / "kill-serve.log")
    server.start()
    timeline: dict[str, float] = {}

    def kill_and_restart() -> None:
        time.sleep(args.kill_after)
        pids = server.pids()
        timeline["killed_at"] = time.monotonic()
        server.stop(signal.SIGKILL)
        timeline["killed_processes"] = len(pids)
        server.start()
        timeline["up_again_at"] = time.monotonic()

    killer = threading.Thread(target=kill_and_restart)
    started = time.monotonic()
    killer.start()
    try:
        run_locust(args, work / "plan.json", server.url, args.duration, work / "kill-run",
                   None, acks=acks)
        killer.join()
    finally:
        server.stop()
    stats = read_stats(work / "kill-run")
    submitted, reasons = acknowledged(acks)
    server.start()  # checked after (another) restart, through the store it serves
    try:
        apps, found = stored(env["ARMSGATE_DATABASE_URL"], submitted, reasons)
    finally:
        server.stop()
    verify = subprocess.run([sys.executable, "-m", "armsgate", "audit", "verify", "--json"],
                            env=env, capture_output=True, text=True)
    report = json.loads(verify.stdout or "{}")
    down = timeline["up_again_at"] - timeline["killed_at"]
    print(f"load: {args.users} clients, {args.duration} s, workers {args.workers}; SIGKILL to "
          f"{timeline['killed_processes']} processes at "
          f"{timeline['killed_at'] - started:.1f} s, serving again {down:.1f} s later")
    print(f"  {stats['total']['requests']} requests, errors by status (the outage's refused "
          f"connections included): {stats['errors_by_status'] or 'none'}")
    print(f"  acknowledged: {len(submitted)} submissions, {len(reasons)} opinions")
    print(f"  after restart: {len(apps)} of those submissions stored, {len(found)} of those "
          f"opinions stored; lost: {len(submitted - apps) + len(reasons - found)}")
    print(f"  armsgate audit verify: exit {verify.returncode}, intact "
          f"{report.get('intact')}, rows {report.get('rows')}, notes {report.get('notes')}")
    ok = apps == submitted and found == reasons and verify.returncode == 0
    print("  verdict: " + ("no acknowledged write lost, audit trail intact" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
