"""Delivering the outbox: claim a few messages, send each, record each outcome.

Every step is a short transaction of its own, and no transaction is open while a message
is on the wire: a claim (one statement), then one update per message sent or failed.
Two deliverers may run at once: a claim never hands the same message to both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine

from armsgate.errors import InputError
from armsgate.notify import outbox
from armsgate.notify.outbox import OutboxRow, Status
from armsgate.notify.senders import Sender, SendError

log = logging.getLogger("armsgate.notify")


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)  # failed this time, tried again later
    failed: list[int] = field(default_factory=list)  # failed for good
    stopped: str | None = None  # why the run stopped early (the relay is unusable)

    def summary(self) -> dict[str, int | str | None]:
        return {"sent": len(self.sent), "retry": len(self.retry), "failed": len(self.failed),
                "stopped": self.stopped}


def retry_delay(attempts: int, base: timedelta = timedelta(minutes=1),
                cap: timedelta = timedelta(hours=6)) -> timedelta:
    """1, 2, 4, ... minutes after the 1st, 2nd, 3rd ... failed attempt, at most 6 hours."""
    return min(base * (1 << min(max(attempts - 1, 0), 30)), cap)


def deliver(engine: Engine, sender: Sender, limit: int = 100, *, batch: int = 20,
            max_attempts: int = 5, lease: timedelta = timedelta(minutes=10),
            now: Callable[[], datetime] = outbox.utcnow) -> DeliveryReport:
    """Send up to `limit` due messages with `sender`; at-least-once.

    A message is claimed for `lease` (longer than a batch takes to send); if this process
    dies before recording the outcome, the claim lapses and another run sends it again.
    A failed attempt is retried after `retry_delay`, up to `max_attempts`; a permanent
    error (the relay refused the recipient) fails the message at once. When the relay
    cannot be used at all, the run stops and the messages it holds go back untouched."""
    for name, value in (("limit", limit), ("batch", batch), ("max_attempts", max_attempts)):
        if value < 1:
            raise InputError(name, f"must be at least 1, not {value}")
    report = DeliveryReport()
    now = _in_utc(now)
    with engine.begin() as conn:
        given_up = outbox.give_up_lapsed(conn, now=now(), max_attempts=max_attempts)
    if given_up:
        log.warning("%d message(s) failed: their deliverer stopped on every attempt", given_up)
    try:
        while report.stopped is None and (done := _handled(report)) < limit:
            with engine.begin() as conn:
                claimed = outbox.claim(conn, min(batch, limit - done), now=now(), lease=lease,
                                       max_attempts=max_attempts)
            if not claimed:
                break
            for n, message in enumerate(claimed):
                stop = _send_one(engine, sender, message, report, now, max_attempts)
                if stop is not None:
                    # the relay is unusable: no attempt counts against these messages
                    with engine.begin() as conn:
                        outbox.release(conn, [m.id for m in claimed[n:]], error=stop)
                    report.stopped = stop
                    break
    finally:
        sender.close()
    return report


def _in_utc(now: Callable[[], datetime]) -> Callable[[], datetime]:
    """Stored times are UTC (SQLite compares them as text)."""
    return lambda: outbox.utc(now())


def _handled(report: DeliveryReport) -> int:
    return len(report.sent) + len(report.retry) + len(report.failed)


def _send_one(engine: Engine, sender: Sender, message: OutboxRow, report: DeliveryReport,
              now: Callable[[], datetime], max_attempts: int) -> str | None:
    """Send and record one message; the reason to stop the run, if it must stop."""
    try:
        sender.send(message)
    except SendError as exc:
        error, permanent, stop = str(exc), exc.permanent, exc.stop
    except Exception as exc:  # a sender's bug must not lose the message: record, go on
        log.exception("sender failed on message %d", message.id)
        error, permanent, stop = f"{type(exc).__name__}: {exc}", False, False
    else:
        with engine.begin() as conn:
            outbox.mark_sent(conn, message.id, now=now())
        report.sent.append(message.id)
        return None
    if stop:
        log.warning("delivery stopped at message %d: %s", message.id, error)
        return error
    with engine.begin() as conn:
        status = outbox.mark_failed(conn, message, error, now=now(), permanent=permanent,
                                    max_attempts=max_attempts,
                                    retry_after=retry_delay(message.attempts))
    (report.failed if status is Status.FAILED else report.retry).append(message.id)
    log.warning("message %d to %s not sent (%s): %s", message.id, message.recipient,
                status.value, error)
    return None
