"""Benchmark (a): assessment throughput in memory, on one core.

Target (issue 2): at least 20,000 applications per second, on a world of 250 countries
(the 249 officially assigned ISO 3166-1 codes), 50 embargoes, 20 conflicts, 10 suspension
orders and 1,000 parties, with applications of 1 to 5 lines and the screening results
given as input (so no name matching is timed).

    .venv/bin/python -m benchmarks.assess_throughput [--applications 100000] [--seed 2]

The world is built directly as `armsgate.rules.world.World`, the day view once, and
`armsgate.rules.engine.assess` is timed over every application (best of `--runs`).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import random
import time
from collections import Counter
from datetime import date, timedelta

from armsgate.domain.model import Application
from armsgate.rules.engine import Assessment, assess
from armsgate.rules.world import DayView
from benchmarks.generate import WorldSize, make_application, make_world, screening_hits

DAY = date(2025, 6, 24)
TARGET = 20_000


def generate(seed: int, count: int) -> tuple[DayView, list[Application], int]:
    """The day view (screening given as input), the applications, the parties with a hit."""
    rng = random.Random(seed)
    size = WorldSize(resolutions=2_000)
    g = make_world(rng, size, DAY)
    hits = screening_hits(rng, g)
    view = DayView(g.world, DAY, screening=hits)
    apps = [make_application(rng, g, f"APP-{n}", DAY - timedelta(days=rng.randint(0, 30)),
                             10_000 + n) for n in range(count)]
    return view, apps, sum(1 for h in hits.values() if h)


def run_once(apps: list[Application], view: DayView) -> tuple[float, list[Assessment]]:
    gc.collect()
    start = time.perf_counter()
    results = [assess(app, view) for app in apps]
    return time.perf_counter() - start, results


def describe(view: DayView, apps: list[Application], results: list[Assessment],
             hit_parties: int) -> None:
    w = view.world
    print(f"world: {len({p.country for p in w.parties.values()})} countries, "
          f"{len(w.parties)} parties, {len(w.goods)} goods "
          f"({sum(g.kit_of is not None for g in w.goods.values())} kits), "
          f"{len(w.embargoes)} embargoes ({sum(len(v) for v in view.embargoes.values())} in "
          f"force), {len(w.conflicts)} conflicts ({len(view.at_war)} in force), "
          f"{len(w.suspensions)} suspensions ({len(view.suspensions)} in force), "
          f"{len(w.lists)} list entries, {len(w.resolutions)} resolutions, "
          f"{hit_parties} parties with a screening hit")
    lines = Counter(len(a.lines) for a in apps)
    print(f"applications: {len(apps)}; lines per application "
          + ", ".join(f"{k}: {lines[k]}" for k in sorted(lines))
          + f"; with certificate {sum(a.euc is not None for a in apps)}, "
          f"with intermediates {sum(bool(a.intermediates) for a in apps)}, "
          f"with route {sum(bool(a.route) for a in apps)}")
    outcomes = Counter(r.outcome.value for r in results)
    print("outcomes: " + ", ".join(f"{k} {v} ({v / len(results):.1%})"
                                   for k, v in sorted(outcomes.items())))
    reasons = Counter(code for r in results for code in r.reasons)
    print("refusal reasons: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
    flags = Counter(f for r in results for f in r.flags)
    print("flags: " + ", ".join(f"{k} {v}" for k, v in sorted(flags.items())))
    nsc = sum("nsc" in r.consents for r in results)
    findings = sum(len(r.findings) for r in results)
    print(f"nsc consent required: {nsc}; findings per application: "
          f"{findings / len(results):.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one run")
    args = parser.parse_args(argv)

    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    start = time.perf_counter()
    view, apps, hit_parties = generate(args.seed, args.applications)
    print(f"generated in {time.perf_counter() - start:.1f} s (not timed)")
    timings: list[float] = []
    results: list[Assessment] = []
    for run in range(1, args.runs + 1):
        seconds, results = run_once(apps, view)
        timings.append(seconds)
        print(f"run {run}: {seconds:.3f} s, {len(apps) / seconds:,.0f} applications/s")
    describe(view, apps, results, hit_parties)
    best = min(timings)
    rate = len(apps) / best
    verdict = "met" if rate >= TARGET else f"MISSED by {TARGET / rate - 1:.0%}"
    print(f"best of {args.runs}: {best:.3f} s, {rate:,.0f} applications/s, "
          f"{best / len(apps) * 1e6:.1f} us each (target {TARGET:,}/s: {verdict})")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run_once(apps, view)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
