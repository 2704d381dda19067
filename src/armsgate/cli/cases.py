"""`armsgate cases ...` and `armsgate opinions ...`: applications and the bodies' opinions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from armsgate.cli.context import guarded, open_authority, parse_day, read_input
from armsgate.cli.output import console, print_json
from armsgate.domain import inputs as i
from armsgate.domain.model import Decision
from armsgate.rules.engine import Assessment

app = typer.Typer(no_args_is_help=True)
opinions = typer.Typer(no_args_is_help=True)

JSON = typer.Option(False, "--json", help="print JSON")


def assessment_json(a: Assessment) -> dict[str, Any]:
    return {
        "application": a.application, "day": a.day, "outcome": a.outcome.value,
        "flags": sorted(a.flags), "reasons": list(a.reasons), "consents": list(a.consents),
        "findings": [{"code": f.code, "effect": f.effect.value, "rule": f.rule,
                      "basis": f.basis, "facts": f.fact_text()} for f in a.findings],
    }


def print_assessment(a: Assessment) -> None:
    console.print(f"[bold]{a.application}[/] on {a.day}: [bold]{a.outcome.value}[/]")
    console.print(f"  flags: {', '.join(sorted(a.flags)) or 'none'}")
    if a.reasons:
        console.print(f"  refusal reasons: {', '.join(a.reasons)}")
    console.print(f"  consents required: {', '.join(a.consents)}")
    for line in a.explain():
        console.print(f"  - {line}", markup=False)


@app.command("submit")
@guarded
def submit(file: Path = typer.Argument(..., help="the application (YAML or JSON), "
                                                 "as a scenario's `submit` step"),
           json: bool = JSON) -> None:
    """Submit an application; it is judged at once."""
    cmd = read_input(i.Submit, file, "submit")
    a = open_authority().submit(cmd)
    print_json(assessment_json(a)) if json else print_assessment(a)


@app.command("assess")
@guarded
def assess(application: str, at: str | None = typer.Option(
               None, "--at", help="judge with the facts in force on this day (YYYY-MM-DD)"),
           json: bool = JSON) -> None:
    """Judge an application on a day, with the facts as the store knows them now."""
    day = None if at is None else parse_day(at, "--at")
    a = open_authority().assess(application, day)
    print_json(assessment_json(a)) if json else print_assessment(a)


@app.command("decide")
@guarded
def decide(application: str, json: bool = JSON) -> None:
    """The licensing decision: approve with every consent, refuse on an objection, or wait."""
    state = open_authority().decide(i.parse(i.Decide, {"application": application}))
    print_json({"application": application, "state": state.value}) if json else \
        console.print(f"{application}: {state.value}")


@app.command("show")
@guarded
def show(application: str, json: bool = JSON) -> None:
    """An application's record, opinions, licence, history, the screening of its parties
    (the certificate's issuer too) and its assessment today."""
    authority = open_authority()
    case = authority.case(application)
    a = authority.assess(application)
    if json:
        print_json({**case, "assessment": assessment_json(a)})
        return
    row = case["application"]
    reasons = f" ({', '.join(row['reasons'])})" if row["reasons"] else ""
    console.print(f"[bold]{row['id']}[/] by {row['exporter']}: [bold]{row['state']}[/] since "
                  f"{row['state_since']}{reasons}")
    if case["licence"]:
        lic = case["licence"]
        console.print(f"licence {lic['id']}: {lic['state']} (issued {lic['issued_on']}, "
                      f"expires {lic['expires_on']})")
    for op in case["opinions"]:
        console.print(f"opinion {op['day']} {op['body']}: {op['decision']} {op['reason']}")
    for h in case["history"]:
        console.print(f"history {h['day']} {h['subject']} {h['from_state'] or '-'} -> "
                      f"{h['to_state']} {','.join(h['reasons'])} (event {h['seq']})")
    print_screening(case["screening"])
    print_assessment(a)


def print_screening(parties: list[dict[str, Any]]) -> None:
    """Each party of a case with its hits; an issuer's hits are shown but set no flag."""
    for p in parties:
        note = "" if p["flags"] or not p["hits"] else " (shown; sets no flag)"
        count = f"{len(p['hits'])} hit(s)" if p["hits"] else "no hit"
        console.print(f"screening {'/'.join(p['roles'])} {p['party']} {p['name']!r} "
                      f"({p['country']}): {count}{note}", markup=False)
        for h in p["hits"]:
            x = h["explanation"]
            console.print(f"  {h['score']:.3f} {h['list']} {h['entity_id']} {h['name']!r} "
                          f"(entry {h['entry']}; matched {x['matched_name']!r})", markup=False)
            console.print(f"      {x.get('text', '')}", markup=False)
            if h["dismissed"]:
                d = h["dismissed"]
                console.print(f"      dismissed {d['day']} by {d['actor']}: {d['reason']}",
                              markup=False)


@app.command("list")
@guarded
def list_cases(state: str | None = typer.Option(None, help="in_review, held, refused, approved"),
               exporter: str | None = typer.Option(None, help="exporter party id"),
               destination: str | None = typer.Option(None, help="ISO country code"),
               limit: int = typer.Option(100, min=1, max=10_000),
               offset: int = typer.Option(0, min=0),
               json: bool = JSON) -> None:
    """Applications, filtered and paginated, in order of submission."""
    rows = open_authority().cases(state=state, exporter=exporter, destination=destination,
                                  limit=limit, offset=offset)
    if json:
        print_json(rows)
        return
    table = Table()
    for name in ("id", "state", "since", "submitted", "value EUR"):
        table.add_column(name, no_wrap=True)
    table.add_column("exporter", overflow="fold")
    table.add_column("reasons", overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["state"], str(r["state_since"]), str(r["submitted_on"]),
                      f"{r['value_cents'] / 100:,.2f}", r["exporter"], ", ".join(r["reasons"]))
    console.print(table)


@opinions.command("record")
@guarded
def record(application: str, body: str,
           decision: Decision = typer.Argument(..., help="consent or object"),
           reason: str = typer.Option("", help="the body's reason"),
           json: bool = JSON) -> None:
    """Record a consulted body's opinion on an application."""
    cmd = i.parse(i.ConsentIn, {"application": application, "body": body,
                                "decision": decision.value, "reason": reason})
    open_authority().consent(cmd)
    print_json(cmd.model_dump(mode="json")) if json else \
        console.print(f"{body} {decision.value} recorded on {application}")
