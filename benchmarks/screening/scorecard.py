"""Scorecard of screening: the matcher beside OpenSanctions' logic-v2, and the index at scale.

    .venv/bin/python -m benchmarks.screening.scorecard [--queries 2000] [--batch 100000]
        [--recall-queries 400] [--processes 2] [--tracemalloc] [--no-index] [--data DIR]

1. Quality, on shared/data/screening/name-pairs-dev.csv (precision, recall, F1 by schema
   and quality tier; ours plain and 5-fold cross-validated, as `evaluate` computes them)
   and on nomenklatura-entity-checks.yml (by schema), beside nomenklatura's logic-v2 on
   the same pairs (`logic_v2`: followthemoney entities of each pair's schema, its own
   defaults, a match at yente's default threshold 0.70).
2. Speed of pair scoring (CPU time, one core): ours and logic-v2's pairs per second on
   the development pairs, and the ratio; with the names prepared once (as an index has
   them) and the pairs new, and with every name new.
3. The index of UN + OFAC SDN (CSV) + EU (`index_bench`): time to parse and index the
   lists, memory, single-query rate and latency (p50, p95) on the seeded query set (half
   perturbed list names, half made-up names), a batch of names in worker processes, and
   candidate recall against the brute-force `scan`.

nomenklatura is a benchmark-only dependency, kept out of the runtime venv: it is used when
importable here, else through `.venv-bench/bin/python` (made by
`benchmarks/screening/setup-bench.sh`); without either the scorecard says so and goes on.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from armsgate.screening.fitting import Counts
from armsgate.screening.matcher import Candidate, NameQuery, ScoredMatcher
from benchmarks.screening import evaluate
from benchmarks.screening.evaluate import Pair

ROOT = Path(__file__).resolve().parents[2]
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"


def machine() -> str:
    model = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next((line.split(":", 1)[1].strip() for line in lscpu.splitlines()
                      if line.startswith("Model name")), "")  # fmt: skip
    except OSError:
        pass
    return (f"{datetime.date.today().isoformat()}; {os.cpu_count()} CPUs ({model or 'unknown'});"
            f" Python {platform.python_version()} ({platform.system()})")  # fmt: skip


def logic_v2(data: Path, ours: Callable[[bool], float]) -> dict[str, Any] | None:
    """logic-v2's scores and speed, in this process (timed in turn with `ours`, a pass of
    our matcher) or else in the benchmark venv; None (and why) when nomenklatura is not
    to be had."""
    try:
        from benchmarks.screening.logic_v2 import run

        return run(data, repeat=7, other=ours)
    except ImportError:
        pass
    if not BENCH_PYTHON.exists():
        print("\nnomenklatura is MISSING: logic-v2 not compared. Install it apart from the "
              "runtime venv with: bash benchmarks/screening/setup-bench.sh")  # fmt: skip
        return None
    command = [str(BENCH_PYTHON), "-m", "benchmarks.screening.logic_v2", "--data", str(data),
               "--repeat", "7"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"\nnomenklatura FAILED in {BENCH_PYTHON}: logic-v2 not compared\n{done.stderr}")
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def table(title: str, pairs: Sequence[Pair], ours: Sequence[bool], cv: Sequence[bool] | None,
          theirs: Sequence[bool] | None, key: str) -> None:  # fmt: skip
    print(f"\n{title}")
    head = f"  {'group':<14}{'pairs':>6}  {'ours P':>7}{'R':>7}{'F1':>7}"
    head += f"{'CV F1':>7}" if cv is not None else ""
    head += f"   {'logic-v2 P':>10}{'R':>7}{'F1':>7}" if theirs is not None else ""
    print(head)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        groups["all"].append(i)
        groups[pair.groups[key]].append(i)
    for name, members in sorted(groups.items(), key=lambda item: (item[0] != "all", item[0])):
        actual = [pairs[i].match for i in members]
        c = Counts.of([ours[i] for i in members], actual)
        line = f"  {name:<14}{len(members):>6}  {c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}"
        if cv is not None:
            line += f"{Counts.of([cv[i] for i in members], actual).f1:>7.3f}"
        if theirs is not None:
            t = Counts.of([theirs[i] for i in members], actual)
            line += f"   {t.precision:>10.3f}{t.recall:>7.3f}{t.f1:>7.3f}"
        print(line)


def our_pass(pairs: Sequence[Pair], matcher: ScoredMatcher, cold: bool) -> float:
    """CPU seconds of one pass of our matcher over the pairs: names prepared already (as
    an index has them), or `cold`, every name prepared anew."""
    from armsgate.rules import names
    from armsgate.screening.normalise import _word_keys, letter_mask, prepare
    from armsgate.screening.spec_minimum import _spec_words

    if cold:  # every memo of a name or a word cleared: the SPEC's normalisation too
        for memo in (prepare, letter_mask, _word_keys, _spec_words, names._variants):
            memo.cache_clear()
    else:
        for pair in pairs:
            matcher.score(pair.query, pair.candidate)
    start = time.process_time()
    for pair in pairs:
        matcher.score(pair.query, pair.candidate)
    return time.process_time() - start


def quality(data: Path, compare: bool) -> None:
    screening = data / "screening"
    matcher = ScoredMatcher()
    pairs = evaluate.load_pairs(screening / "name-pairs-dev.csv")
    checks = evaluate.load_checks(screening / "nomenklatura-entity-checks.yml")
    theirs = logic_v2(data, partial(our_pass, pairs, matcher)) if compare else None
    labels = [p.match for p in pairs]
    ours = [matcher.score(p.query, p.candidate).match for p in pairs]
    cv = evaluate.cross_validate(evaluate.featurise(pairs, matcher), labels)
    threshold = theirs["threshold"] if theirs else 0.0
    lv2 = [s >= threshold for s in theirs["pair_scores"]] if theirs else None
    lv2_checks = [s >= threshold for s in theirs["check_scores"]] if theirs else None
    if theirs:
        print(f"\nlogic-v2: nomenklatura {theirs['nomenklatura']}, followthemoney "
              f"{theirs['followthemoney']}, rigour {theirs['rigour']}; match at >= {threshold}")
    print(f"ours: armsgate ScoredMatcher, threshold {matcher.threshold:.3f}")
    title = f"name-pairs-dev.csv ({len(pairs)} pairs)"
    table(f"{title} by schema", pairs, ours, cv, lv2, "schema")
    table(f"{title} by quality tier", pairs, ours, cv, lv2, "quality")
    check_ours = [matcher.score(p.query, p.candidate).match for p in checks]
    table(f"nomenklatura-entity-checks.yml ({len(checks)} checks) by schema", checks,
          check_ours, None, lv2_checks, "schema")  # fmt: skip
    print("\nseed names: " + ", ".join(
        f"{a} = {b}: {'match' if matcher.score(NameQuery(a), Candidate((b,))).match else 'NO'}"
        for a, b in evaluate.SEEDS))  # fmt: skip
    print("\npair scoring (development pairs, CPU time, one core, best of 7 passes):")
    interleaved = bool(theirs and theirs["interleaved"])
    for label, cold, key in (("names prepared once, pairs new", False, "per_second"),
                             ("every name new", True, "per_second_cold")):  # fmt: skip
        if interleaved:
            speed = theirs["ours_" + key] if theirs else 0.0
        else:
            speed = len(pairs) / min(our_pass(pairs, matcher, cold) for _ in range(7))
        line = f"  {label}: ours {speed:,.0f}/s"
        if theirs:
            other = theirs["pairs_" + key]
            line += f", logic-v2 {other:,.0f}/s: ours {speed / other:.1f}x faster"
        print(line)
    if theirs and not interleaved:
        print("  (logic-v2 timed in .venv-bench, ours here after it: the machine's load may "
              "differ; run the scorecard with .venv-bench/bin/python to time them in turn)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=evaluate.SHARED, help="shared/data")
    parser.add_argument("--queries", type=int, default=2000, help="single queries timed")
    parser.add_argument("--batch", type=int, default=100_000, help="names of the batch (0: none)")
    parser.add_argument("--recall-queries", type=int, default=400, help="queries scanned too")
    parser.add_argument("--processes", type=int, default=2, help="for the batch and the scans")
    parser.add_argument("--tracemalloc", action="store_true", help="trace the index's memory")
    parser.add_argument("--no-index", action="store_true", help="quality and pair speed only")
    parser.add_argument("--no-logic-v2", action="store_true", help="do not run nomenklatura")
    args = parser.parse_args(argv)
    print(f"screening scorecard: {machine()}")
    print("command: python -m benchmarks.screening.scorecard " + " ".join(sys.argv[1:]))
    quality(args.data, not args.no_logic_v2)
    if not args.no_index:
        from benchmarks.screening import index_bench

        index_bench.run(args.data, args.queries, args.batch, args.recall_queries,
                        args.processes, args.tracemalloc)  # fmt: skip


if __name__ == "__main__":
    main()
