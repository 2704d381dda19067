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

Rows are authenticated under the key in force: key number 1 of the key file, until a
rotation row (`rotate`) puts the next one in force. Its number is also in the appenders'
lock row, read by every append under its turn: a process running through a rotation
takes the new key at its next append (reading the key file again), or refuses to write.
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
from armsgate.audit.chain import Entry, Head, Row, VerifyReport, rotation_entry
from armsgate.audit.files import add_key, create_key, load_keys, read_head, write_head
from armsgate.errors import InputError, StoreError

if TYPE_CHECKING:
    from armsgate.settings import Settings


@dataclass(frozen=True)
class AuditTrail:
    key: bytes = field(repr=False)  # key number 1
    head_file: Path
    # A temporary store's trail (the scenario runner's): the head is kept in memory and
    # written once by `flush`, unsynced, instead of after every commit.
    temporary: bool = False
    _pending: list[Head] = field(default_factory=list, repr=False, compare=False)
    _written: list[Head] = field(default_factory=list, repr=False, compare=False)
    _appended: list[tuple[object, Head]] = field(default_factory=list, repr=False,
                                                 compare=False)
    key_file: Path | None = None  # where the later keys are (rotation); None: key 1 only
    _ring: list[bytes] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditTrail:
        """The trail that the settings name; a missing or insecure key is refused."""
        keys = load_keys(settings.audit_key_file)
        trail = cls(keys[0], settings.audit_head_file, key_file=settings.audit_key_file)
        trail._ring[:] = keys
        return trail

    @property
    def keys(self) -> tuple[bytes, ...]:
        """Every key of the key file, number 1 first."""
        return tuple(self._ring) or (self.key,)

    def key_in_force(self, conn: Connection) -> tuple[int, bytes]:
        """The number of the key in force (the store's, as it is now) and the key."""
        number = 1 if self.temporary else store.key_in_force(conn)
        return number, self._key(number)

    def _key(self, number: int) -> bytes:
        """Key `number` of the key file, read again if a rotation by another process added
        it since; StoreError if the file does not hold it (no row is added then)."""
        if number > len(self.keys) and self.key_file is not None:
            self._ring[:] = load_keys(self.key_file)
        if not 1 <= number <= len(self.keys):
            raise StoreError(f"the audit trail is under key {number}, which the key file "
                             f"{self.key_file or '(none)'} does not hold")
        return self.keys[number - 1]

    def rotate(self, engine: Engine, actor: str, now: datetime) -> int:
        """Add a key to the key file and put it in force, by a row authenticated under the
        key in force until then; the new key's number. The old keys stay in the file:
        `verify` needs them for the rows before. Processes already running take the new
        key at their next append (it is read under the appenders' turn)."""
        if self.temporary or self.key_file is None:
            raise InputError("audit_key_file", "this trail has no key file to add a key to")
        with engine.begin() as conn:
            old = store.take_turn(conn)
            key = self._key(old)
            new = add_key(self.key_file)
            self._ring[:] = load_keys(self.key_file)
            row = store.append(conn, key, rotation_entry(actor, old, new), now,
                               turn_taken=True)
            store.set_key_in_force(conn, new)
        self.record_head(row)
        return new

    def append(self, conn: Connection, entry: Entry, recorded_at: datetime, *,
               wrote: bool = False) -> Row:
        """Inside the caller's transaction: the next row of the chain (`wrote`: the
        transaction has already written something), under the key in force."""
        if not self.temporary:
            key = self._key(store.take_turn(conn, wrote=wrote))
            return store.append(conn, key, entry, recorded_at, wrote=wrote, turn_taken=True)
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
        if self.key_file is not None:
            self._ring[:] = load_keys(self.key_file)  # as the file is now
        return store.verify(conn, self.keys, head, limit=limit)

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
