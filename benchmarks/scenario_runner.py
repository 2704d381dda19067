"""Benchmark (c): the scenario runner on a generated scenario.

Target (issue 2): a scenario of 1,000 applications and 3,000 steps spread over a year, at
least 30% of them changing the world, runs in under 10 s. Timed as a user runs it:
`armsgate scenario run FILE` in its own process (start-up included; each file runs on a
fresh SQLite store), wall and CPU time.

    .venv/bin/python -m benchmarks.scenario_runner [--seed 5] [--keep PATH] [--phases]

The scenario comes from `benchmarks.scenario_gen` (seeded). Its `expect` steps are
honest: a first run ("probe") is made with every key of every expectation set to a
placeholder, which records the actual values; the file is then written again with those
values as the expectations (licence expectations whose licence was never issued become
application expectations) and run again: every expectation must pass, and the second run
is the timed one. Since that only shows that the runner is deterministic and checks what
it reads, the probe's values are also compared with an oracle that knows SPEC.md but not
armsgate: an application whose destinations were under a prohibition on its submission day
is refused with those reasons, and the day's outcome is `refuse` exactly when a
prohibition applies on the expectation's day.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from armsgate.domain import inputs as i
from armsgate.scenario.runner import FileResult, load_scenario, run_file
from armsgate.services.authority import Authority
from benchmarks.scenario_gen import WORLD_KINDS, Predictions, generate

TARGET = 10.0
ALL_FLAGS: tuple[str, ...] = i.Flag.__args__  # type: ignore[attr-defined]
PROBE = {"state": "in_review", "outcome": "review", "reasons": [], "flags": [], "consents": []}


def to_yaml(scenario: dict[str, Any]) -> str:
    """Block YAML at the top, one flow mapping (JSON, which is YAML 1.2) per step."""
    out = [f"name: {json.dumps(scenario['name'])}",
           f"policy: {json.dumps(scenario['policy'])}", "world:"]
    for key, value in scenario["world"].items():
        if isinstance(value, list):
            out.append(f"  {key}:")
            out += [f"    - {json.dumps(v)}" for v in value]
        else:
            out.append(f"  {key}: {json.dumps(value)}")
    out.append("steps:")
    out += [f"  - {json.dumps(step)}" for step in scenario["steps"]]
    return "\n".join(out) + "\n"


def with_expectations(scenario: dict[str, Any], actual: dict[int, dict[str, Any]] | None
                      ) -> dict[str, Any]:
    """The scenario with its expect steps filled: placeholders (None) or the actual values."""
    steps = []
    for number, step in enumerate(scenario["steps"], 1):
        if "expect" in step:
            ref = step["expect"]
            app = ref.get("application") or ref.get("licence")
            if actual is None:
                body = ({"licence": app, "state": "active"} if "licence" in ref
                        else {"application": app, **PROBE})
            elif "licence" in ref and actual[number].get("state") is not None:
                body = {"licence": app, "state": actual[number]["state"]}
            elif "licence" in ref:  # never issued: expect the application instead
                body = {"application": app}
            else:
                got = actual[number]
                body = {"application": app, "state": got["state"], "outcome": got["outcome"],
                        "reasons": got["reasons"], "flags": got["flags"],
                        "not_flags": [f for f in ALL_FLAGS if f not in got["flags"]],
                        "consents": got["consents"]}
            step = {"date": step["date"], "expect": body}
        steps.append(step)
    return {**scenario, "steps": steps}


def write(scenario: dict[str, Any], folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(to_yaml(scenario), encoding="utf-8")
    return path


def timed_run(path: Path) -> tuple[float, FileResult]:
    start = time.perf_counter()
    result = run_file(path)
    return time.perf_counter() - start, result


def cli_run(path: Path) -> tuple[float, float, str]:
    """`armsgate scenario run FILE` in its own process, as a user runs it: wall seconds,
    CPU seconds (user + system, which the machine's other load inflates less) and the
    closing line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "armsgate", "scenario", "run", str(path)],
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines[-1].endswith(" 0 failed"):
        raise SystemExit(f"armsgate scenario run exited {done.returncode}: "
                         f"{(lines or [''])[-1]} {done.stderr[-500:]}")
    return seconds, cpu, lines[-1]


def check_oracle(result: FileResult, predictions: Predictions) -> tuple[int, int, list[str]]:
    """Compare the probe's actual values with what SPEC.md alone predicts."""
    agree = disagree = 0
    problems = []
    for r in result.results:
        app, at_submit, on_day = predictions[r.step]
        actual = r.actual
        if "outcome" not in actual:  # a licence probe: nothing predicted
            continue
        checks = [(actual["outcome"] == "refuse") == bool(on_day)]
        if at_submit:
            checks.append(actual["state"] == "refused"
                          and at_submit <= set(actual["reasons"]))
        for ok in checks:
            agree += ok
            disagree += not ok
        if not all(checks):
            problems.append(f"step {r.step} {app}: predicted at submission {sorted(at_submit)}, "
                            f"on the day {sorted(on_day)}; actual {actual}")
    return agree, disagree, problems


class Phases:
    """Wall time per kind of step, by wrapping the Authority methods the runner calls."""

    METHODS = ("import_registers", "submit", "suspend", "lift", "resolve", "consent", "decide",
               "embargo", "conflict", "peace", "move_list", "sanction", "set_policy", "observe",
               "case", "assess")

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.saved: dict[str, Any] = {}

    def __enter__(self) -> Phases:
        for name in self.METHODS:
            original = getattr(Authority, name)
            self.saved[name] = original

            def wrapper(self_: Authority, *args: Any, _n: str = name, _f: Any = original,
                        **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return _f(self_, *args, **kwargs)
                finally:
                    self.seconds[_n] += time.perf_counter() - start
                    self.calls[_n] += 1
            setattr(Authority, name, wrapper)
        return self

    def __exit__(self, *exc: object) -> None:
        for name, original in self.saved.items():
            setattr(Authority, name, original)

    def print(self, total: float) -> None:
        print("time by Authority method (the runner's handlers; case/assess serve expect):")
        for name, seconds in sorted(self.seconds.items(), key=lambda kv: -kv[1]):
            print(f"  {name:17s} {seconds:7.2f} s {seconds / total:6.1%} {self.calls[name]:>6} "
                  f"calls, {seconds / self.calls[name] * 1000:7.2f} ms each")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--applications", type=int, default=1_000)
    parser.add_argument("--steps", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=1, help="timed runs of the final file")
    parser.add_argument("--keep", type=Path, help="also write the final scenario file here")
    parser.add_argument("--phases", action="store_true", help="time each kind of step")
    args = parser.parse_args(argv)

    print(f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}")
    scenario, predictions, kinds = generate(args.seed, args.applications, args.steps)
    changing = sum(kinds[k] for k in WORLD_KINDS)
    print(f"generated {len(scenario['steps'])} steps, {kinds['submit']} applications, "
          f"{changing} ({changing / len(scenario['steps']):.0%}) changing the world: "
          + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    with tempfile.TemporaryDirectory(prefix="armsgate-bench-") as tmp:
        probe_path = write(with_expectations(scenario, None), Path(tmp), "probe.yaml")
        seconds, probe = timed_run(probe_path)
        if not probe.valid:
            raise SystemExit(f"generated scenario is invalid: {probe.error}")
        print(f"probe run: {seconds:.2f} s, {len(probe.results)} expectations recorded")
        agree, disagree, problems = check_oracle(probe, predictions)
        print(f"oracle (SPEC.md prohibitions): {agree} checks agree, {disagree} disagree")
        for problem in problems[:10]:
            print("  " + problem)
        actual = {r.step: r.actual for r in probe.results}
        final = with_expectations(scenario, actual)
        path = write(final, Path(tmp), "scenario.yaml")
        if args.keep is not None:
            args.keep.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        print(f"scenario file: {path.stat().st_size / 1e6:.2f} MB")
        start = time.perf_counter()
        load_scenario(path)
        print(f"reading and validating alone: {time.perf_counter() - start:.2f} s")
        timings = []
        for run in range(1, args.runs + 1):
            if args.phases:  # in this process, to time each kind of step
                phases = Phases()
                with phases:
                    seconds, result = timed_run(path)
                passed = sum(r.passed for r in result.results)
                print(f"run {run} (in process, with --phases): {seconds:.2f} s; "
                      f"{passed} passed, {len(result.results) - passed} failed")
                phases.print(seconds)
                timings.append(seconds)
                continue
            seconds, cpu, summary = cli_run(path)
            timings.append(seconds)
            print(f"run {run}: {seconds:.2f} s wall, {cpu:.2f} s CPU (user + system) for "
                  f"`armsgate scenario run`, start-up included; {summary}")
        best = min(timings)
        verdict = "met" if best < TARGET else f"MISSED by {best / TARGET - 1:.0%}"
        print(f"best: {best:.2f} s for {len(scenario['steps'])} steps, "
              f"{best / len(scenario['steps']) * 1000:.2f} ms per step "
              f"(target {TARGET:.0f} s: {verdict}); load average now "
              f"{os.getloadavg()[0]:.2f}")
        failed = [r for r in result.results if not r.passed] if args.phases else []
        for r in failed[:5]:
            print(f"  FAIL step {r.step}: expected {r.expected}, actual {r.actual}")


if __name__ == "__main__":
    main()
