"""`AuditTrail`: the key and the head file that the service holds, over `audit.store`.

The lead's usage inside a command's transaction:

    trail = AuditTrail.from_settings(settings)
    with engine.begin() as conn:
        ...the change...
        row = trail.append(conn, Entry(actor, "case.submit", "application", id,
                                       before=None, after=..., assessment=...), clock.now())
    trail.record_head(row)              # after the commit, outside the database

or `with trail.begin(engine) as tx: ...; tx.append(entry, now)`, which records
the head of the last row appended once the transaction has committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine

from armsgate.audit import store
from armsgate.audit.chain import Entry, Head, Row, VerifyReport
from armsgate.audit.files import create_key, load_key, read_head, write_head

if TYPE_CHECKING:
    from armsgate.settings import Settings


@dataclass(frozen=True)
class AuditTrail:
    key: bytes = field(repr=False)
    head_file: Path
    # A temporary store's trail (the scenario runner's): the head is kept in memory and
    # written once by `flush`, unsynced, instead of after every commit.
    temporary: bool = False
    _pending: list[Head] = field(default_factory=list, repr=False, compare=False)
    _written: list[Head] = field(default_factory=list, repr=False, compare=False)
    _appended: list[tuple[object, Head]] = field(default_factory=list, repr=False,
                                                 compare=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditTrail:
        """The trail that the settings name; a missing or insecure key is refused."""
        return cls(load_key(settings.audit_key_file), settings.audit_head_file)

    def append(self, conn: Connection, entry: Entry, recorded_at: datetime, *,
               wrote: bool = False) -> Row:
        """Inside the caller's transaction: the next row of the chain (`wrote`: the
        transaction has already written something)."""
        if not self.temporary:
            return store.append(conn, self.key, entry, recorded_at, wrote=wrote)
        # A temporary store has one writer, this process, so its last row is known here:
        # the last one appended in this same transaction, else the last committed one (a
        # rolled-back row must not become the next one's parent).
        tx = conn.get_transaction()
        if self._appended and self._appended[0][0] is tx:
            known: Head | None = self._appended[0][1]
        else:
            known = self._written[-1] if self._written else None
        row = store.append(conn, self.key, entry, recorded_at, wrote=wrote, head=known)
        self._appended[:] = [(tx, Head(row.seq, row.hash))]
        return row

    def record_head(self, row: Row | Head) -> bool:
        """After the commit: record the chain's head outside the database (never backwards)."""
        head = Head(row.seq, row.hash)
        if self.temporary:
            self._pending[:] = [head]
            self._written[:] = [head]  # committed: the parent of the next row
            return True
        return write_head(self.head_file, head)

    def flush(self) -> None:
        """A temporary trail: write the head kept in memory."""
        if self._pending:
            write_head(self.head_file, self._pending.pop(), sync=False)

    def head(self) -> Head | None:
        self.flush()
        return read_head(self.head_file)

    def verify(self, conn: Connection, *, limit: int = 20) -> VerifyReport:
        """The whole chain checked with the key, against the recorded head (read first)."""
        head = self.head()
        return store.verify(conn, self.key, head, limit=limit)

    @contextmanager
    def begin(self, engine: Engine) -> Iterator[Recording]:
        """One transaction whose appended rows' head is recorded once it has committed."""
        with engine.begin() as conn:
            recording = Recording(conn, self)
            yield recording
        if recording.last is not None:
            self.record_head(recording.last)


@dataclass
class Recording:
    conn: Connection
    trail: AuditTrail
    last: Row | None = None

    def append(self, entry: Entry, recorded_at: datetime) -> Row:
        self.last = self.trail.append(self.conn, entry, recorded_at)
        return self.last


def ensure_key(settings: Settings) -> bool:
    """`armsgate init` on SQLite: make the key file if missing; True if one was made."""
    if settings.database_url.startswith("postgresql"):
        return False  # provisioned by the operator; the settings refused a missing one
    return create_key(settings.audit_key_file)
