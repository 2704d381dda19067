"""`armsgate audit ...`: verify the hash chain, show rows, replay a subject's state, rotate
the key."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table
from sqlalchemy import Engine

from armsgate.audit import store
from armsgate.audit.chain import Row
from armsgate.audit.replay import state_on
from armsgate.audit.trail import AuditTrail
from armsgate.cli.context import clock, guarded, parse_day, settings
from armsgate.cli.output import console, dumps, errors, print_json
from armsgate.errors import InputError
from armsgate.store.database import open_store, require_current

app = typer.Typer(no_args_is_help=True)

JSON = typer.Option(False, "--json", help="print JSON")


def _engine() -> Engine:
    engine = open_store(settings().database_url)
    require_current(engine)
    return engine


def parse_subject(text: str, field: str = "--subject") -> tuple[str, str]:
    kind, sep, ident = text.partition(":")
    if not sep or not kind or not ident:
        raise InputError(field, f"expected KIND:ID (e.g. application:APP-1), got {text!r}")
    return kind, ident


@app.command("verify")
@guarded
def verify(json: bool = JSON) -> None:
    """Check every row's HMAC and link, and the end against the head kept outside the database.

    Exits 0 if the trail is intact, 1 naming the first broken seq and why.
    """
    s = settings()
    trail = AuditTrail.from_settings(s)
    with _engine().connect() as conn:
        report = trail.verify(conn)
    if json:
        print_json(report.to_json())
    elif report.intact:
        last = report.last
        console.print(f"audit trail intact: {report.rows} rows"
                      + (f", head seq {last.seq} {last.hash[:16]}…" if last else ""))
        for note in report.notes:
            console.print(f"note: {note}")
    else:
        first = report.first
        assert first is not None
        errors.print(f"error: audit trail broken at seq {first.seq}: {first.kind}: "
                     f"{first.detail}", markup=False)
        for p in report.problems[1:]:
            errors.print(f"  also {p}", markup=False)
        if report.more_problems:
            errors.print(f"  and {report.more_problems} more", markup=False)
    if not report.intact:
        raise typer.Exit(1)


@app.command("rotate-key")
@guarded
def rotate_key(json: bool = JSON) -> None:
    """Add a new key to the audit key file and put it in force for the rows to come.

    The old keys stay in the file (they verify the rows before). A running service takes
    the new key at its next change (it reads the key file again); give every host of the
    service the new key file.
    """
    s = settings()
    trail = AuditTrail.from_settings(s)
    number = trail.rotate(_engine(), s.actor, clock(s).now())
    if json:
        print_json({"key": number, "key_file": str(s.audit_key_file)})
    else:
        console.print(f"audit key {number} added to {s.audit_key_file} and in force from now")


def _print_rows(rows: list[Row]) -> None:
    table = Table("seq", "recorded", "actor", "action", "subject", "change")
    for r in rows:
        change = _brief(r.before, r.after)
        table.add_row(str(r.seq), r.recorded_at.strftime("%Y-%m-%d %H:%M:%S"), r.actor,
                      r.action, f"{r.subject_kind}:{r.subject_id}", change)
    console.print(table)


def _brief(before: Any, after: Any) -> str:
    if isinstance(before, dict) and isinstance(after, dict):
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        return ", ".join(f"{k}: {before.get(k)} → {after.get(k)}" for k in changed[:4])
    if before is None and after is not None:
        return "created"
    return "removed" if after is None and before is not None else ""


@app.command("show")
@guarded
def show(subject: str | None = typer.Option(
             None, "--subject", help="only this subject, as KIND:ID (e.g. user:alice)"),
         limit: int = typer.Option(50, "--limit", min=1, max=10_000,
                                   help="the last N rows"),
         json: bool = JSON) -> None:
    """The last rows of the audit trail (of one subject), oldest first."""
    wanted = None if subject is None else parse_subject(subject)
    with _engine().connect() as conn:
        rows = store.recent(conn, subject=wanted, limit=limit)
    if json:
        print_json([r.to_json() for r in rows])
    else:
        _print_rows(rows)


@app.command("state")
@guarded
def state(subject: str = typer.Argument(..., help="KIND:ID, e.g. application:APP-1"),
          at: str = typer.Option(..., "--at", help="the day (YYYY-MM-DD)"),
          json: bool = JSON) -> None:
    """A subject's state at the end of a day, replayed from its audit rows."""
    kind, ident = parse_subject(subject, "subject")
    day = parse_day(at, "--at")
    with _engine().connect() as conn:
        shot = state_on(store.subject_rows(conn, kind, ident, day), day)
    if json:
        print_json(None if shot is None else shot.to_json())
    elif shot is None:
        console.print(f"{kind}:{ident}: nothing recorded by {day}")
    else:
        console.print(f"{kind}:{ident} at the end of {day} (seq {shot.seq}, {shot.action} "
                      f"by {shot.actor}):")
        console.print(dumps(shot.state), markup=False)
