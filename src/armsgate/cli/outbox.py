"""`armsgate outbox ...`: the notifications waiting, sent or failed, and their delivery."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.table import Table
from sqlalchemy import Engine

from armsgate.cli.context import guarded, settings
from armsgate.cli.output import console, print_json
from armsgate.notify import deliver as deliver_outbox
from armsgate.notify import outbox_messages, sender_from_settings
from armsgate.store.database import open_store, require_current

app = typer.Typer(no_args_is_help=True)

JSON = typer.Option(False, "--json", help="print JSON")


def _store() -> Engine:
    engine = open_store(settings().database_url)
    require_current(engine)
    return engine


@contextmanager
def _log_to_stderr() -> Iterator[None]:
    """While delivering, show logger `armsgate.notify` (the log sender, failures) on stderr."""
    logger = logging.getLogger("armsgate.notify")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@app.command("deliver")
@guarded
def deliver(
    sender: str | None = typer.Option(
        None, "--sender", help="smtp or log; default: smtp when ARMSGATE_SMTP_HOST is set, "
                               "else log"),
    limit: int = typer.Option(100, min=1, max=100_000, help="send at most this many"),
    json: bool = JSON,
) -> None:
    """Send the pending notifications (at least once each); failed ones are retried later."""
    s = settings()
    chosen = sender_from_settings(sender, s)
    with _log_to_stderr():
        report = deliver_outbox(_store(), chosen, limit)
    summary = report.summary()
    if json:
        print_json(summary)
        return
    console.print(f"sent {summary['sent']}, to retry {summary['retry']}, "
                  f"failed {summary['failed']}")
    if report.stopped:
        console.print(f"stopped early: {report.stopped}", markup=False)


@app.command("list")
@guarded
def list_(
    status: str | None = typer.Option(None, "--status",
                                      help="pending, sending, sent or failed"),
    case: str | None = typer.Option(None, "--case", help="only this case's messages"),
    limit: int = typer.Option(100, min=1, max=10_000, help="at most this many, newest first"),
    json: bool = JSON,
) -> None:
    """The outbox, newest first: who was told what, and whether it left."""
    with _store().connect() as conn:
        rows = outbox_messages(conn, status=status, case_id=case, limit=limit)
    if json:
        print_json([r.to_json() for r in rows])
        return
    table = Table("id", "created", "kind", "to", "case", "status", "tries", "last error")
    for r in rows:
        table.add_row(str(r.id), r.created_at.strftime("%Y-%m-%d %H:%M"), r.kind, r.recipient,
                      r.case_id or "", r.status.value, str(r.attempts), r.last_error or "")
    console.print(table)
