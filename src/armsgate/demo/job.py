"""Build the demo store and print what was held, suspended, refused or approved, and why.

The demo's steps go through `run_scenario`, the scenario runner's own path
into the service, on a SQLite file that stays behind for the CLI to explore
(`ARMSGATE_DATABASE_URL=sqlite:///armsgate-demo.db armsgate cases list`).
"""

from __future__ import annotations

from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from armsgate.audit.trail import AuditTrail, ensure_key
from armsgate.cli.output import print_json
from armsgate.clock import SimulatedClock
from armsgate.demo.accounts import create_demo_accounts
from armsgate.errors import ArmsgateError
from armsgate.scenario.reader import load_yaml
from armsgate.scenario.runner import StepResult, run_scenario
from armsgate.scenario.validate import validate
from armsgate.services.authority import Authority
from armsgate.services.reference import reference_registers
from armsgate.settings import Settings
from armsgate.store import schema as t
from armsgate.store.database import init_store, open_store

SUMMARY_KINDS = ("suspend", "lift", "resolve", "embargo", "conflict", "peace", "list", "time")


def build(store: Path) -> tuple[Authority, list[StepResult]]:
    """A fresh demo store at `store`: reference data, the demo world, its steps replayed."""
    store.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    Path(f"{store}.audit-head").unlink(missing_ok=True)
    settings = Settings(database_url=f"sqlite:///{store}")
    ensure_key(settings)
    trail = AuditTrail.from_settings(settings)
    engine = open_store(settings.database_url)
    init_store(engine)
    text = (files("armsgate.demo") / "serbia-2025.yaml").read_text(encoding="utf-8")
    scenario = validate(load_yaml(text))
    first = scenario.steps[0].day
    Authority(engine, SimulatedClock(first), actor="reference-data",
              trail=trail).import_registers(reference_registers())
    results = run_scenario(scenario, engine, trail)
    clock = SimulatedClock(scenario.steps[-1].day)
    create_demo_accounts(engine, clock, trail)
    return Authority(engine, clock, actor="demo", trail=trail), results


def report(authority: Authority, results: list[StepResult]) -> dict[str, Any]:
    cases = []
    for row in authority.cases(limit=10_000):
        case = authority.case(row["id"])
        a = authority.assess(row["id"])
        given = {o["body"] for o in case["opinions"] if o["decision"] == "consent"}
        holds = sorted({f.fact_text()["order"] for f in a.findings if f.code == "suspension"})
        cases.append({
            "id": row["id"], "exporter": row["exporter"], "state": row["state"],
            "reasons": row["reasons"], "held_by": holds,
            "licence": case["licence"] and case["licence"]["state"],
            "flags": sorted(a.flags), "consents_required": list(a.consents),
            "consents_missing": [b for b in a.consents if b not in given],
            "findings": a.explain(),
        })
    with authority.engine.connect() as conn:
        events = [{"seq": e.seq, "day": e.day, "kind": e.kind, "outcome": e.outcome}
                  for e in conn.execute(select(t.events).where(t.events.c.kind.in_(SUMMARY_KINDS))
                                        .order_by(t.events.c.seq))]
    return {"day": authority.clock.today(), "counts": authority.counts(), "cases": cases,
            "world_changes": events,
            "checks": {"passed": sum(r.passed for r in results),
                       "failed": sum(not r.passed for r in results)}}


def run_demo(store: Path, *, as_json: bool = False) -> date:
    """Build and report; returns the demo's day (the clock of its last step)."""
    authority, results = build(store)
    data = report(authority, results)
    if as_json:
        print_json(data)
    else:
        _print(data, store)
    if data["checks"]["failed"]:
        raise ArmsgateError(f"{data['checks']['failed']} of the demo's own checks failed")
    return authority.clock.today()


def _print(data: dict[str, Any], store: Path) -> None:
    out = Console(highlight=False, width=max(120, Console().width))
    out.rule(f"armsgate demo: Serbia 2025, as of {data['day']}")
    for e in data["world_changes"]:
        o = e["outcome"] or {}
        if not o.get("changed"):
            continue
        states = ", ".join(f"{n} {s}" for s, n in o["by_new_state"].items())
        out.print(f"{e['day']} [bold]{e['kind']}[/] (event {e['seq']}): {states}; "
                  f"value EUR {o['value_affected_eur']}")
    table = Table("case", "exporter", "state", "licence", "why", "flags",
                  "consents still missing", show_lines=True)
    for c in data["cases"]:
        live = c["state"] in ("in_review", "held") or c["licence"] in ("active", "suspended")
        holds = [f"held by {o}" for o in c["held_by"]] if live else []
        why = ", ".join(c["reasons"] or holds) or "-"
        pending = c["state"] in ("in_review", "held")
        missing = ", ".join(c["consents_missing"]) if pending else "-"
        table.add_row(c["id"], c["exporter"], c["state"], c["licence"] or "-", why,
                      ", ".join(c["flags"]) or "-", missing)
    out.print(table)
    for c in data["cases"]:
        out.print(f"[bold]{c['id']}[/]")
        for line in c["findings"]:
            out.print(f"  - {line}", markup=False)
    checks = data["checks"]
    out.print(f"demo checks: {checks['passed']} passed, {checks['failed']} failed")
    out.print(f"store: {store} (explore it with ARMSGATE_DATABASE_URL=sqlite:///{store} "
              "armsgate cases list)")
