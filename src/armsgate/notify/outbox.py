"""The outbox table: messages enter inside the change's transaction and leave through a claim.

A message's life: `pending` -> `sending` (claimed by one deliverer until `next_attempt_at`)
-> `sent`; a failed attempt puts it back to `pending` (tried again from `next_attempt_at`),
or to `failed` when the error is permanent or the attempts are used up. A claim that lapses
(the deliverer died while sending) makes the message claimable again, so delivery is
at-least-once; the Message-ID header stays the same, so a duplicate can be recognised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, func, or_, select, update

from armsgate.errors import InputError
from armsgate.notify.messages import Kind, Message, check_address
from armsgate.store import schema as t

_SUBJECT_MAX = 500
_ERROR_MAX = 2000


class Status(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A stored message, as senders get it and `outbox list` shows it."""

    id: int
    created_at: datetime
    kind: str
    recipient: str
    subject: str
    body: str
    case_id: str | None
    licence_id: str | None
    seq: int | None
    status: Status
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    sent_at: datetime | None

    @classmethod
    def of(cls, r: RowMapping) -> OutboxRow:
        return cls(r["id"], utc(r["created_at"]), r["kind"], r["recipient"], r["subject"],
                   r["body"], r["case_id"], r["licence_id"], r["seq"], Status(r["status"]),
                   r["attempts"], r["last_error"], _opt_utc(r["next_attempt_at"]),
                   _opt_utc(r["sent_at"]))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "created_at": self.created_at.isoformat(), "kind": self.kind,
                "recipient": self.recipient, "subject": self.subject, "body": self.body,
                "case_id": self.case_id, "licence_id": self.licence_id, "seq": self.seq,
                "status": self.status.value, "attempts": self.attempts,
                "last_error": self.last_error,
                "next_attempt_at": _iso(self.next_attempt_at), "sent_at": _iso(self.sent_at)}


def utcnow() -> datetime:
    return datetime.now(UTC)


def utc(value: datetime) -> datetime:
    """In UTC. Times are stored in UTC; SQLite gives them back naive."""
    return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _opt_utc(value: datetime | None) -> datetime | None:
    return None if value is None else utc(value)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _checked(n: int, m: Message) -> dict[str, Any]:
    where = f"messages[{n}]"
    if not isinstance(m.kind, Kind):
        raise InputError(f"{where}.kind", f"unknown kind {m.kind!r}")
    check_address(m.recipient, f"{where}.recipient")
    if not m.subject.strip() or len(m.subject) > _SUBJECT_MAX or any(c in m.subject
                                                                      for c in "\r\n"):
        raise InputError(f"{where}.subject", f"one line of 1 to {_SUBJECT_MAX} characters")
    if not m.body.strip():
        raise InputError(f"{where}.body", "is empty")
    for name, value in (("case_id", m.case_id), ("licence_id", m.licence_id)):
        if value is not None and not 0 < len(value) <= 200:
            raise InputError(f"{where}.{name}", "1 to 200 characters")
    return {"kind": m.kind.value, "recipient": m.recipient, "subject": m.subject,
            "body": m.body, "case_id": m.case_id, "licence_id": m.licence_id, "seq": m.seq}


def enqueue(conn: Connection, messages: Iterable[Message], *,
            at: datetime | None = None) -> list[int]:
    """Write messages to the outbox on the caller's connection, inside its transaction (they
    leave only if it commits). `at` is the time of the change (default: now, UTC). Every
    message is checked before any is written; returns the new ids in order."""
    rows = [_checked(n, m) for n, m in enumerate(messages)]
    if not rows:
        return []
    created = utc(at) if at is not None else utcnow()
    for row in rows:
        row.update(created_at=created, status=Status.PENDING.value, attempts=0)
    o = t.outbox
    result = conn.execute(o.insert().returning(o.c.id, sort_by_parameter_order=True), rows)
    return [int(i) for i in result.scalars()]


def outbox_messages(conn: Connection, *, status: str | None = None, case_id: str | None = None,
                    limit: int = 100, offset: int = 0) -> list[OutboxRow]:
    """Messages newest first, optionally of one status or one case."""
    o = t.outbox
    q = select(o).order_by(o.c.id.desc()).limit(limit).offset(offset)
    if status is not None:
        try:
            q = q.where(o.c.status == Status(status).value)
        except ValueError:
            raise InputError("status", f"{status!r} is not one of "
                                       f"{', '.join(s.value for s in Status)}") from None
    if case_id is not None:
        q = q.where(o.c.case_id == case_id)
    return [OutboxRow.of(r) for r in conn.execute(q).mappings()]


def counts(conn: Connection) -> dict[str, int]:
    o = t.outbox
    return {s: n for s, n in conn.execute(select(o.c.status, func.count()).group_by(o.c.status))}


# --- the deliverer's statements (each run in a short transaction of its own) ---------------


def claim(conn: Connection, n: int, *, now: datetime, lease: timedelta,
          max_attempts: int) -> list[OutboxRow]:
    """Take up to `n` due messages for one deliverer: one statement that marks them
    `sending` until now + lease. On PostgreSQL the candidates are locked with
    FOR UPDATE SKIP LOCKED, so two deliverers never take the same message; SQLite has one
    writer at a time, which serialises the statement."""
    o = t.outbox
    due = or_(and_(o.c.status == Status.PENDING.value,
                   or_(o.c.next_attempt_at.is_(None), o.c.next_attempt_at <= now)),
              and_(o.c.status == Status.SENDING.value, o.c.next_attempt_at <= now))
    # A CTE, not `IN (subquery)`: PostgreSQL evaluates it once, so SKIP LOCKED and LIMIT
    # pick one set of rows, and those are the rows updated.
    candidates = (select(o.c.id).where(due, o.c.attempts < max_attempts).order_by(o.c.id)
                  .limit(n).with_for_update(skip_locked=True).cte("due"))
    stmt = (update(o).where(o.c.id == candidates.c.id)
            .values(status=Status.SENDING.value, attempts=o.c.attempts + 1,
                    next_attempt_at=now + lease).returning(*o.c))
    return sorted((OutboxRow.of(r) for r in conn.execute(stmt).mappings()),
                  key=lambda r: r.id)


def give_up_lapsed(conn: Connection, *, now: datetime, max_attempts: int) -> int:
    """Claims that lapsed with no attempt left (a deliverer died on them each time) fail."""
    o = t.outbox
    result = conn.execute(update(o).where(
        o.c.status == Status.SENDING.value, o.c.next_attempt_at <= now,
        o.c.attempts >= max_attempts).values(
        status=Status.FAILED.value, next_attempt_at=None,
        last_error="the deliverer stopped while sending, on every attempt"))
    return int(result.rowcount)


def mark_sent(conn: Connection, message_id: int, *, now: datetime) -> None:
    o = t.outbox
    conn.execute(update(o).where(o.c.id == message_id, o.c.status == Status.SENDING.value)
                 .values(status=Status.SENT.value, sent_at=now, next_attempt_at=None))


def mark_failed(conn: Connection, message: OutboxRow, error: str, *, now: datetime,
                permanent: bool, max_attempts: int, retry_after: timedelta) -> Status:
    """Record a failed attempt: failed for good, or pending again after `retry_after`."""
    final = permanent or message.attempts >= max_attempts
    status = Status.FAILED if final else Status.PENDING
    o = t.outbox
    conn.execute(update(o).where(o.c.id == message.id, o.c.status == Status.SENDING.value)
                 .values(status=status.value, last_error=error[:_ERROR_MAX],
                         next_attempt_at=None if final else now + retry_after))
    return status


def release(conn: Connection, ids: Sequence[int], *, error: str | None = None) -> None:
    """Give back claimed messages whose attempt does not count (the relay was unusable);
    `error` is recorded on the first, the one that was tried."""
    o = t.outbox
    for n, message_id in enumerate(ids):
        values: dict[str, Any] = {"status": Status.PENDING.value,
                                  "attempts": o.c.attempts - 1, "next_attempt_at": None}
        if n == 0 and error is not None:
            values["last_error"] = error[:_ERROR_MAX]
        conn.execute(update(o).where(o.c.id == message_id,
                                     o.c.status == Status.SENDING.value).values(values))
