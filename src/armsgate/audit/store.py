"""The audit trail in the store: append inside the caller's transaction, read, verify.

`append` must run inside the transaction that makes the change it records, so
the change and its audit row commit or roll back together. Appenders take turns:
the first statement of an append updates the one row of `audit_lock`, which on
PostgreSQL locks it until the transaction ends and on SQLite takes the write lock,
so the next seq and prev_hash are read with no other appender in between (at
PostgreSQL's default READ COMMITTED; under REPEATABLE READ a second appender fails
with a serialisation error instead of waiting). The same statement returns the number
of the audit key in force, which a rotation sets in that row.
After the commit, the caller records the new head outside the database
(`AuditTrail.record_head`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.engine import RowMapping

from armsgate.audit.chain import (
    GENESIS,
    ROTATION,
    ROTATION_SUBJECT,
    Entry,
    Head,
    Row,
    VerifyReport,
    make_row,
    utc,
    verify_rows,
)
from armsgate.store import schema as t

_COLUMNS = ("seq", "recorded_at", "actor", "action", "subject_kind", "subject_id", "before",
            "after", "assessment", "prev_hash", "hash")


# Built once: an append runs three statements in every command's transaction.
_TAKE_TURN = (update(t.audit_lock).where(t.audit_lock.c.id == 1)
              .values(appends=t.audit_lock.c.appends + 1)
              .returning(t.audit_lock.c.key_in_force))
_KEY_IN_FORCE = select(t.audit_lock.c.key_in_force).where(t.audit_lock.c.id == 1)
_SET_KEY = (update(t.audit_lock).where(t.audit_lock.c.id == 1)
            .values(key_in_force=bindparam("key")))
_LAST = select(t.audit_log.c.seq, t.audit_log.c.hash).order_by(t.audit_log.c.seq.desc()).limit(1)
_INSERT = insert(t.audit_log)


def take_turn(conn: Connection, *, wrote: bool = False) -> int:
    """Wait for this transaction's turn to append (see the module's text) and return the
    number of the key in force, read under that turn: a rotation committed by another
    process before it is seen, and none can commit until this transaction ends.
    `wrote`: as in `append`."""
    if wrote and conn.dialect.name == "sqlite":
        number = conn.execute(_KEY_IN_FORCE).scalar_one_or_none()
    else:
        number = conn.execute(_TAKE_TURN).scalar_one_or_none()
    if number is None:  # a store made without the migration's seed row
        number = _key_in_the_chain(conn)
        conn.execute(insert(t.audit_lock).values(id=1, appends=1, key_in_force=number))
    return int(number)


def set_key_in_force(conn: Connection, number: int) -> None:
    """Put key `number` in force (a rotation, in the transaction of its row)."""
    conn.execute(_SET_KEY, {"key": number})


def last_head(conn: Connection) -> Head | None:
    """The last row's seq and hash, as the database has them."""
    found = conn.execute(_LAST).first()
    return None if found is None else Head(found.seq, found.hash)


def append(conn: Connection, key: bytes, entry: Entry, recorded_at: datetime, *,
           wrote: bool = False, head: Head | None = None, turn_taken: bool = False) -> Row:
    """Add `entry` as the next row of the chain, inside the caller's open transaction.

    `wrote`: the transaction has already written (SQLite then holds its one write lock
    until the commit, so no other appender can come in between and the turn is not taken).
    `head`: the chain's last row, when the caller alone writes the store and knows it.
    `turn_taken`: the caller took the turn already (`take_turn`, for the key in force).
    """
    if not turn_taken:
        take_turn(conn, wrote=wrote)
    if head is None:
        head = last_head(conn)
    row = make_row(key, entry, seq=1 if head is None else head.seq + 1,
                   prev_hash=GENESIS if head is None else head.hash, recorded_at=recorded_at)
    conn.execute(_INSERT, {c: getattr(row, c) for c in _COLUMNS})
    return row


def key_in_force(conn: Connection) -> int:
    """The number of the key in force, as the appenders' lock row holds it."""
    number = conn.execute(_KEY_IN_FORCE).scalar_one_or_none()
    return _key_in_the_chain(conn) if number is None else int(number)


def _key_in_the_chain(conn: Connection) -> int:
    """The number of the key that the chain's last rotation row put in force (1: none)."""
    after = conn.execute(_LAST_ROTATION).scalar_one_or_none()
    found = after.get("key") if isinstance(after, dict) else None
    return found if isinstance(found, int) and found > 1 else 1


_LAST_ROTATION = (select(t.audit_log.c.after)
                  .where(t.audit_log.c.subject_kind == ROTATION_SUBJECT[0],
                         t.audit_log.c.subject_id == ROTATION_SUBJECT[1],
                         t.audit_log.c.action == ROTATION)
                  .order_by(t.audit_log.c.seq.desc()).limit(1))


def row_from(r: RowMapping) -> Row:
    values = {c: r[c] for c in _COLUMNS}
    return Row(**{**values, "recorded_at": utc(values["recorded_at"])})


def rows(conn: Connection, *, chunk: int = 1000) -> Iterator[Row]:
    """Every row in seq order, read in chunks (keyset pagination)."""
    after = None
    while True:
        query = select(t.audit_log).order_by(t.audit_log.c.seq).limit(chunk)
        if after is not None:
            query = query.where(t.audit_log.c.seq > after)
        batch = [row_from(r) for r in conn.execute(query).mappings()]
        yield from batch
        if len(batch) < chunk:
            return
        after = batch[-1].seq


def recent(conn: Connection, *, subject: tuple[str, str] | None = None,
           limit: int = 50) -> list[Row]:
    """The last `limit` rows (of one subject if given), oldest first."""
    query = select(t.audit_log).order_by(t.audit_log.c.seq.desc()).limit(limit)
    if subject is not None:
        query = query.where(t.audit_log.c.subject_kind == subject[0],
                            t.audit_log.c.subject_id == subject[1])
    return [row_from(r) for r in reversed(conn.execute(query).mappings().all())]


def subject_rows(conn: Connection, kind: str, subject_id: str,
                 until: date | None = None) -> list[Row]:
    """A subject's rows in seq order, those recorded up to the end of `until` if given."""
    query = (select(t.audit_log).where(t.audit_log.c.subject_kind == kind,
                                       t.audit_log.c.subject_id == subject_id)
             .order_by(t.audit_log.c.seq))
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC)
        query = query.where(t.audit_log.c.recorded_at < end)
    return [row_from(r) for r in conn.execute(query).mappings()]


def verify(conn: Connection, keys: bytes | Sequence[bytes], head: Head | None, *,
           limit: int = 20) -> VerifyReport:
    """Check the whole chain with the keys (number 1 first) against the head recorded
    outside the database."""
    return verify_rows(rows(conn), keys, head, limit=limit)
