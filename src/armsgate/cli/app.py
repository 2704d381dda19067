"""The `armsgate` command: a thin shell over the service, grouped by noun.

Every command that reads takes `--json`. Bad input exits 2 naming the field and
the problem, and nothing is written; a state conflict exits 1; an unreachable
store exits 3.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from armsgate.audit.trail import ensure_key
from armsgate.cli import (
    audit,
    cases,
    licence,
    outbox,
    registers,
    scenario,
    screen,
    users,
    worldcmds,
)
from armsgate.cli.context import guarded, open_authority, settings
from armsgate.cli.output import console, print_json
from armsgate.store.database import init_store, open_store

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="armsgate: arms-export licensing for a national control authority.")


@app.command()
@guarded
def init(json: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """Create the store that ARMSGATE_DATABASE_URL names, or bring its schema up to date.

    On SQLite it also makes the audit trail's key file if there is none (mode 0600).
    """
    s = settings()
    engine = open_store(s.database_url)
    revision = init_store(engine)
    key_made = ensure_key(s)
    if json:
        print_json({"database": engine.url.render_as_string(), "revision": revision,
                    "audit_key_file": str(s.audit_key_file)})
    else:
        console.print(f"store ready at {engine.url.render_as_string()} (schema {revision})")
        if key_made:
            console.print(f"audit key created at {s.audit_key_file}: keep it out of the "
                          "database's reach and backups")


@app.command()
@guarded
def demo(
    store: Path = typer.Option(Path("armsgate-demo.db"), help="the SQLite file to (re)build"),
    json: bool = typer.Option(False, "--json", help="print JSON"),
    serve: bool = typer.Option(False, "--serve", help="then serve it over HTTP"),
    host: str = typer.Option("127.0.0.1", help="with --serve: the address to listen on"),
    port: int = typer.Option(8000, min=1, max=65535, help="with --serve: the port"),
) -> None:
    """The main job: build a demo store from the Serbia 2025 scenario (reference data, the
    scenario's cases, an account per role) and report on it; with --serve, serve it."""
    from armsgate.demo import run_demo

    day = run_demo(store, as_json=json)
    if serve:
        from armsgate.api.serve import run
        from armsgate.demo.accounts import DEMO_ACCOUNTS, demo_password
        from armsgate.settings import Settings

        console.print(f"\narmsgate serves the demo store at http://{host}:{port}/ "
                      f"(API docs at /docs), its day fixed at {day}. Demo accounts:")
        for name, (role, scope, _) in DEMO_ACCOUNTS.items():
            console.print(f"  {name:10s} {role:14s} {scope or '':16s} password: "
                          f"{demo_password(name)}", markup=False)
        run(Settings(database_url=f"sqlite:///{store}", today=day), host, port)


@app.command()
@guarded
def serve(
    host: str = typer.Option("127.0.0.1", help="the address to listen on"),
    port: int = typer.Option(8000, min=1, max=65535, help="the port"),
    workers: int = typer.Option(1, min=1, max=64, help="worker processes"),
) -> None:
    """Serve the HTTP API (OpenAPI at /openapi.json, docs at /docs) on the configured store.

    The scheduled job (what time changes by itself) runs in each worker whenever the
    day moves; it is idempotent, so several workers may run it.
    """
    from armsgate.api.serve import run

    run(settings(), host, port, workers=workers)


@app.command()
@guarded
def observe(json: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """The scheduled job: apply what time has changed up to today (orders ending, expiries)."""
    authority = open_authority()
    report = authority.observe()
    nxt = authority.next_change()
    summary = {**report.summary(), "next_change": None if nxt is None else nxt.isoformat()}
    if json:
        print_json(summary)
    else:
        worldcmds.print_report(report)
        console.print(f"next change by itself: {summary['next_change'] or 'none scheduled'}")


app.add_typer(scenario.app, name="scenario", help="Run scenario files (SPEC.md).")
app.add_typer(cases.app, name="cases", help="Applications: submit, assess, decide, show, list.")
app.add_typer(cases.opinions, name="opinions", help="Opinions of the consulted bodies.")
app.add_typer(worldcmds.orders, name="orders", help="Suspension orders and special resolutions.")
app.add_typer(worldcmds.world, name="world",
              help="Embargoes, the conflict register, destination lists, screening, policy.")
app.add_typer(registers.app, name="registers", help="Import registers and reference data.")
app.add_typer(screen.lists, name="lists", help="Sanctions and denial lists: import, versions.")
app.add_typer(screen.screen, name="screen", help="Screen names against the lists.")
app.add_typer(outbox.app, name="outbox", help="Notifications: the outbox and its delivery.")
app.add_typer(licence.app, name="licence", help="Licence documents (PDF).")
app.add_typer(users.app, name="users", help="Accounts, roles, passwords and API tokens.")
app.add_typer(audit.app, name="audit",
              help="The audit trail: verify its hash chain, show it, replay a subject.")


def main(argv: list[str] | None = None) -> Any:
    return app(args=argv if argv is not None else sys.argv[1:])
