"""wrk as the API load benchmark's generator (`api_load.py --generator wrk`).

wrk (Debian's package `wrk`, 4.1) is written in C with LuaJIT for the requests: on the
same 2 cores as the server and PostgreSQL it takes about a sixth of the CPU that Locust
takes for the same requests, so more of the machine measures the server. The mix is
Locust's (`benchmarks/api_load.lua`); wrk reports one latency distribution for all
requests (HdrHistogram, to the microsecond) and the statuses, not each kind apart.
Locust stays the generator of the SIGKILL check, which records each acknowledged write.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.api_site import Plan

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "api_load.lua"


def lua(value: Any) -> str:
    """`value` (strings, numbers, lists and string-keyed dicts) as a Lua expression."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)  # its escapes are Lua's too, but \u
        if "\\u" in text:
            raise ValueError(f"a control character in {value!r}")
        return text
    if isinstance(value, bool) or value is None:
        raise TypeError(f"no Lua form for {value!r} here")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(str(k))}] = {lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Lua form for {type(value).__name__}")


def write_plan(plan: Plan, out: Path) -> Path:
    """The plan as the Lua script reads it: submissions as JSON texts whose id (and the
    certificate's number) hold the placeholder __ID__, each with its exporter's token."""
    templates = []
    for template in plan.templates:
        doc = {**template, "id": "__ID__"}
        if doc.get("euc"):
            doc["euc"] = {**doc["euc"], "number": "EUC-__ID__"}
        templates.append({"json": json.dumps(doc, separators=(",", ":")),
                          "token": plan.exporters[template["exporter"]]})
    bodies = {"defence": plan.tokens["defence"], "foreign_affairs": plan.tokens["foreign"]}
    table = {"readers": [plan.tokens["officer"], plan.tokens["analyst"]],
             "cases": plan.cases, "bodies": sorted(bodies), "body_tokens": bodies,
             "consents": {b: plan.consents[b] for b in bodies}, "templates": templates}
    out.write_text("return " + lua(table) + "\n", encoding="utf-8")
    return out


def wrk_command() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian's package)")
    return found


def run_wrk(plan_lua: Path, url: str, users: int, seconds: int, log: Path,
            meter: Any | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run wrk for `seconds` with `users` connections; (stats as `read_stats` gives them,
    CPU measured by `meter` with wrk as the generator)."""
    command = [wrk_command(), "--threads", "2", "--connections", str(users),
               "--duration", f"{seconds}s", "--timeout", "5s", "--script", str(SCRIPT),
               url, "--", uuid.uuid4().hex[:8]]
    env = {"LOAD_PLAN_LUA": str(plan_lua), "PATH": "/usr/bin:/bin"}
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        measured = {} if meter is None else meter.follow(process, "wrk")
        process.wait()
    return read_result(log), measured


def read_result(log: Path) -> dict[str, Any]:
    """The RESULT line that the script's `done` printed, as `api_load.read_stats` reports
    Locust's: 409 (optimistic locking) is not an error; any other non-2xx answer and any
    socket error (a refused connection, a timeout) is."""
    text = log.read_text(encoding="utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.startswith("RESULT ")]
    if not lines:
        raise RuntimeError(f"wrk printed no result (see {log}):\n{text[-2000:]}")
    r = json.loads(lines[-1].removeprefix("RESULT "))
    statuses: Counter[int] = Counter()
    for one in r["statuses"]:
        for status, n in one.items():
            statuses[int(status)] += n
    errors = {f"HTTP {s}": n for s, n in sorted(statuses.items())
              if not (200 <= s < 300 or s == 409)}
    errors.update({f"socket {k}": n for k, n in r["socket_errors"].items() if n})
    seconds = r["duration_us"] / 1e6
    total = {"requests": r["requests"], "failures": sum(errors.values()),
             "rps": round(r["requests"] / seconds, 1), "p50_ms": r["p50_us"] / 1000,
             "p95_ms": r["p95_us"] / 1000, "p99_ms": r["p99_us"] / 1000,
             "max_ms": round(r["max_us"] / 1000, 1)}
    return {"total": total, "by_request": {}, "errors_by_status": errors,
            "statuses": {str(s): n for s, n in sorted(statuses.items())}}
