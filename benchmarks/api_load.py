"""Load benchmark of the API (issue 4): 50 concurrent clients on loopback against
PostgreSQL, 85% reads, 10% opinions, 5% submissions, driven by Locust (headless) or,
with --generator wrk, by wrk (`benchmarks/api_wrk.py`: the same mix from a generator in C,
which leaves more of the 2 cores to the server; Debian's package `wrk`).

Target: at least 500 requests/s, p99 under 200 ms, no errors (a 409 from optimistic
locking is not one). The load generator's own CPU is measured, with the server's
(supervisor and workers), PostgreSQL's (every `postgres` process of the machine's
server, whichever database they serve) and the machine's, from psutil and /proc/stat.

Set-up (its own environment, apart from the runtime and test ones):

    python3 -m venv .venv-load && .venv-load/bin/pip install -e '.[bench]'
    .venv-load/bin/python -m benchmarks.api_load                  # 3,000 cases, workers 1 and 2
    .venv-load/bin/python -m benchmarks.api_load --reuse --workers 2 --rate 0 --profile
    .venv-load/bin/python -m benchmarks.api_load --reuse --workers 2 --generator wrk

A fresh database `armsgate_load` on 127.0.0.1:5432 is made by `api_site.prepare` (unless
--reuse; every run adds its submissions and opinions to the store, so compare runs on
stores of the same size: --prepare-only makes a fresh one); each run starts `armsgate
serve`, warms it up, then runs `locust --headless` (or wrk) with --users clients, each
pacing itself at --rate requests/s (0: no pause, the server's saturation; wrk has no
pacing), for --duration seconds. Results are printed and written to
WORKDIR/results-*.json; nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil

from benchmarks import api_wrk
from benchmarks.api_site import Plan, Server, prepare

ROOT = Path(__file__).resolve().parents[1]
TARGET_RPS, TARGET_P99_MS = 500.0, 200.0


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def postgres_cpu() -> dict[int, float]:
    """CPU seconds of each `postgres` process (the server and its backends)."""
    return {p.pid: cpu_seconds([p.pid]) for p in psutil.process_iter(["name"])
            if p.info["name"] == "postgres"}


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


class Meter:
    """CPU seconds of the server, PostgreSQL and the generator over one run."""

    def __init__(self, server: Server) -> None:
        self.server = server

    def start(self, generator: int) -> None:
        self.generator, self.server_pids = generator, self.server.pids()
        self.t0 = time.monotonic()
        self.pg0 = postgres_cpu()
        self.cpu0 = (cpu_seconds(self.server_pids), 0.0, cpu_seconds([generator]))
        self.busy0, self.load0 = machine_busy(), os.getloadavg()

    def stop(self) -> dict[str, Any]:
        """Called once the generator has stopped sending, with the server still up."""
        wall = time.monotonic() - self.t0
        server = cpu_seconds(self.server_pids)
        pg = sum(cpu - self.pg0.get(pid, 0.0) for pid, cpu in postgres_cpu().items())
        busy, total = machine_busy()
        return {"wall_s": round(wall, 1),
                "server_cpu_s": round(server - self.cpu0[0], 1),
                "postgres_cpu_s": round(pg - self.cpu0[1], 1),
                "machine_busy_pct": round(100 * (busy - self.busy0[0])
                                          / max(1.0, total - self.busy0[1]), 1),
                "loadavg_before": [round(x, 2) for x in self.load0],
                "loadavg_after": [round(x, 2) for x in os.getloadavg()]}

    def follow(self, generator: subprocess.Popen[bytes], name: str) -> dict[str, Any]:
        """Measure the run of the `generator` process until it exits, its own CPU with it
        (read as it goes: an exited process has none left to read)."""
        self.start(generator.pid)
        last = 0.0
        while generator.poll() is None:
            last = cpu_seconds([generator.pid]) or last
            time.sleep(0.2)
        measured = self.stop()
        measured["generator_cpu_s"] = round(last - self.cpu0[2], 1)
        measured["generator_process"] = f"{name} (pid {generator.pid})"
        return measured


def run_locust(args: argparse.Namespace, plan_file: Path, url: str, seconds: int,
               csv_prefix: Path, meter: Meter | None, acks: Path | None = None
               ) -> dict[str, Any]:
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
    env = {**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_RATE": str(args.rate),
           "PYTHONPATH": str(ROOT)}
    if acks is not None:
        env["LOAD_ACKS"] = str(acks)
    command = [locust, "-f", str(ROOT / "benchmarks" / "api_locustfile.py"), "--headless",
               "--users", str(args.users), "--spawn-rate", str(args.users),
               "--run-time", f"{seconds}s", "--host", url, "--csv", str(csv_prefix),
               "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"]
    with open(csv_prefix.with_suffix(".log"), "wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        measured = {} if meter is None else meter.follow(process, "locust")
        process.wait()
    return measured


def read_stats(csv_prefix: Path) -> dict[str, Any]:
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    with open(f"{csv_prefix}_failures.csv", encoding="utf-8") as failed:
        failures = list(csv.DictReader(failed))
    by_status: Counter[str] = Counter()
    for f in failures:
        by_status[f["Error"].removeprefix("CatchResponseError(").strip("')\"")] += int(
            f["Occurrences"])

    def row(r: dict[str, str]) -> dict[str, Any]:
        return {"requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                "rps": round(float(r["Requests/s"]), 1), "p50_ms": float(r["50%"]),
                "p95_ms": float(r["95%"]), "p99_ms": float(r["99%"]),
                "max_ms": round(float(r["Max Response Time"]), 1)}

    return {"total": row(next(r for r in rows if r["Name"] == "Aggregated")),
            "by_request": {r["Name"]: row(r) for r in rows if r["Name"] != "Aggregated"},
            "errors_by_status": dict(by_status)}


def profile(server: Server, seconds: int, out: Path) -> subprocess.Popen[bytes] | None:
    """py-spy on the busiest-to-be worker (the last), collapsed stacks in `out`."""
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if spy is None:
        print("  py-spy not found: no profile")
        return None
    pid = server.pids()[-1]
    return subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", str(seconds),
                             "--rate", "200", "--gil", "--format", "raw", "--output", str(out),
                             "--nonblocking"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def hot_spots(collapsed: Path, top: int = 45) -> list[tuple[str, float]]:
    """Functions by share of samples in which they are on the stack (inclusive)."""
    inclusive: Counter[str] = Counter()
    samples = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        samples += n
        for frame in set(stack.split(";")):
            inclusive[frame] += n
    return [(f, round(100 * n / max(1, samples), 1)) for f, n in inclusive.most_common(top)]


def requests_of(server: Server, plan: Plan) -> dict[str, Any]:
    """One client's requests of each kind, each a function returning the answer's status."""
    import http.client
    import random

    rng, count = random.Random(1), iter(range(10**9))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)

    def call(method: str, path: str, token: str, body: Any = None) -> int:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        conn.request(method, path, None if body is None else json.dumps(body), headers)
        answer = conn.getresponse()
        answer.read()
        return answer.status

    def submit() -> int:
        doc = {**rng.choice(plan.templates), "id": f"COST-{os.getpid()}-{next(count)}"}
        if doc.get("euc"):
            doc["euc"] = {**doc["euc"], "number": f"EUC-{doc['id']}"}
        return call("POST", "/api/cases", plan.exporters[doc["exporter"]], doc)

    officer = plan.tokens["officer"]
    return {
        "GET /health": lambda: call("GET", "/health", ""),
        "GET /api/me": lambda: call("GET", "/api/me", officer),
        "GET /api/cases/{id}": lambda: call("GET", f"/api/cases/{rng.choice(plan.cases)}",
                                            officer),
        "GET /api/cases/{id}/assessment": lambda: call(
            "GET", f"/api/cases/{rng.choice(plan.cases)}/assessment", officer),
        "GET /api/cases": lambda: call(
            "GET", f"/api/cases?limit=20&offset={rng.randrange(len(plan.cases) - 20)}", officer),
        "POST /api/cases/{id}/opinions": lambda: call(
            "POST", f"/api/cases/{rng.choice(plan.consents['defence'])}/opinions",
            plan.tokens["defence"], {"body": "defence", "decision": "consent", "reason": "c"}),
        "POST /api/cases": submit,
    }


def cost(pids: list[int], make: Any, n: int) -> dict[str, Any]:
    """`n` requests one after the other: their statuses, and wall time, the server's CPU
    and PostgreSQL's per request (ms)."""
    cpu0, pg0, t0 = cpu_seconds(pids), postgres_cpu(), time.perf_counter()
    statuses = Counter(make() for _ in range(n))
    wall = time.perf_counter() - t0
    pg = sum(cpu - pg0.get(pid, 0.0) for pid, cpu in postgres_cpu().items())
    return {"statuses": dict(statuses), "wall_ms": round(1000 * wall / n, 2),
            "server_ms": round(1000 * (cpu_seconds(pids) - cpu0) / n, 2),
            "postgres_ms": round(1000 * pg / n, 2)}


def costs(server: Server, plan: Plan, n: int = 200) -> None:
    """CPU per request of each kind, one client, one request at a time (server, PostgreSQL)."""
    kinds = requests_of(server, plan)
    for _ in range(20):
        kinds["GET /api/cases/{id}"]()
    pids = server.pids()
    print(f"\nCPU per request, one client, {n} requests of each kind:")
    for name, make in kinds.items():
        c = cost(pids, make, n)
        print(f"  {name:32} {c['statuses']}  {c['wall_ms']:6.2f} ms wall, server "
              f"{c['server_ms']:5.2f} ms CPU, PostgreSQL {c['postgres_ms']:5.2f} ms CPU")


def canary(server: Server, plan: Plan, n: int = 300) -> dict[str, float]:
    """The machine's speed for this work just before a run: the server's CPU for one
    client's `GET /health` (code that no change of the service touches) and a case's
    record, one request at a time. On a shared machine it moves with the other tenants
    (0.6 against 1.15 ms for /health within an hour on 2026-11-23): runs are comparable
    at equal canaries."""
    kinds, pids = requests_of(server, plan), server.pids()
    for _ in range(20):
        kinds["GET /api/cases/{id}"]()
    return {name: cost(pids, kinds[name], n)["server_ms"]
            for name in ("GET /health", "GET /api/cases/{id}")}


def report(workers: int, args: argparse.Namespace, stats: dict[str, Any],
           measured: dict[str, Any]) -> None:
    total = stats["total"]
    print(f"\nworkers {workers}: {args.users} clients of {args.generator} at "
          f"{args.rate or 'no pause'} req/s each, {args.duration} s")
    print(f"  {total['requests']} requests, {total['rps']} requests/s, p50 {total['p50_ms']} "
          f"ms, p95 {total['p95_ms']} ms, p99 {total['p99_ms']} ms, max {total['max_ms']} ms")
    for name, r in stats["by_request"].items():
        print(f"    {name:34} {r['requests']:7} {r['rps']:7} /s  p50 {r['p50_ms']:5} "
              f"p99 {r['p99_ms']:6} ms  failures {r['failures']}")
    if "statuses" in stats:  # wrk: one distribution for all kinds, and the statuses
        print(f"  statuses: {stats['statuses']}")
    print(f"  errors by status: {stats['errors_by_status'] or 'none'}")
    print("  canary just before (one client, server CPU a request): " + ", ".join(
        f"{name} {ms:.2f} ms" for name, ms in measured["canary_server_ms"].items()))
    wall = measured["wall_s"]
    print(f"  CPU over {wall} s: server {measured['server_cpu_s']} s "
          f"({100 * measured['server_cpu_s'] / wall:.0f}% of a core), PostgreSQL "
          f"{measured['postgres_cpu_s']} s ({100 * measured['postgres_cpu_s'] / wall:.0f}%), "
          f"generator {measured['generator_cpu_s']} s "
          f"({100 * measured['generator_cpu_s'] / wall:.0f}%); machine busy "
          f"{measured['machine_busy_pct']}% of {psutil.cpu_count()} cores; load "
          f"{measured['loadavg_before']} -> {measured['loadavg_after']}")
    ok = (total["rps"] >= TARGET_RPS, total["p99_ms"] < TARGET_P99_MS,
          not stats["errors_by_status"])
    print("  verdict: " + ", ".join(f"{what} {'met' if good else 'MISSED'}" for what, good in
                                    zip((">= 500 req/s", "p99 < 200 ms", "no errors"), ok,
                                        strict=True)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rate", type=float, default=12.0,
                        help="requests/s of each client (0: no pause)")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="armsgate_load")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/armsgate-load"))
    parser.add_argument("--reuse", action="store_true", help="keep the prepared store")
    parser.add_argument("--profile", action="store_true", help="py-spy on one worker")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--generator", choices=("locust", "wrk"), default="locust",
                        help="wrk: the same mix from a C generator (benchmarks/api_wrk.py); "
                             "no pacing (--rate 0), no per-kind figures")
    parser.add_argument("--costs", action="store_true",
                        help="only CPU per request of each kind, one client (one worker)")
    args = parser.parse_args(argv)
    if args.generator == "wrk":
        args.rate = 0.0  # wrk's connections send the next request when the answer came
    work: Path = args.workdir
    plan_file = work / "plan.json"
    print(f"machine: {platform.node()}, {psutil.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.1f} GiB, Python "
          f"{platform.python_version()}, load {os.getloadavg()}")
    if args.reuse and plan_file.exists():
        env = json.loads((work / "env.json").read_text())
    else:
        print(f"preparing {args.database} with {args.cases} cases in {work}")
        env, plan = prepare(work, args.database, cases=args.cases)
        plan.save(plan_file)
        (work / "env.json").write_text(json.dumps(
            {k: v for k, v in env.items() if k.startswith("ARMSGATE_")}))
    if args.prepare_only:
        return
    env = {**os.environ, **env}
    plan = Plan.load(plan_file)
    print(f"store: {len(plan.cases)} cases {plan.states}")
    if args.costs:
        server = Server(env, args.port, 1, work / "serve-costs.log")
        server.start()
        try:
            costs(server, plan)
        finally:
            server.stop()
        return
    for workers in args.workers:
        server = Server(env, args.port, workers, work / f"serve-{workers}.log")
        server.start()
        try:
            spy, prefix = None, work / f"run-{workers}"
            plan_lua = (api_wrk.write_plan(plan, work / "plan.lua")
                        if args.generator == "wrk" else None)
            if plan_lua is not None:
                api_wrk.run_wrk(plan_lua, server.url, args.users, args.warmup,
                                work / f"warmup-{workers}-wrk.log", None)
            else:
                run_locust(args, plan_file, server.url, args.warmup,
                           work / f"warmup-{workers}", None)
            speed = canary(server, plan)
            if plan_lua is not None:
                stats, measured = api_wrk.run_wrk(plan_lua, server.url, args.users,
                                                  args.duration, prefix.with_suffix(".wrk.log"),
                                                  Meter(server))
            else:
                spy = (profile(server, args.duration, work / f"profile-{workers}.txt")
                       if args.profile else None)
                measured = run_locust(args, plan_file, server.url, args.duration, prefix,
                                      Meter(server))
                stats = read_stats(prefix)
            measured["canary_server_ms"] = speed
        finally:
            server.stop()
        report(workers, args, stats, measured)
        if spy is not None:
            spy.wait()
            for frame, share in hot_spots(work / f"profile-{workers}.txt"):
                print(f"    {share:5.1f}%  {frame}")
        result = {"workers": workers, "users": args.users, "rate": args.rate,
                  "generator": args.generator,
                  "duration": args.duration, **stats, **measured}
        out = work / f"results-w{workers}-r{args.rate:g}-{args.generator}.json"
        out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
