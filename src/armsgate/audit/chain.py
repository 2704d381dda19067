"""The hash chain of the audit trail, over plain values: no database, clock or file.

Each row's hash is HMAC-SHA256(key, prev_hash + "\\n" + canonical JSON of its
content), where the content is everything the row says (seq, when, who, what,
the subject, before and after, the assessment). The first row's prev_hash is
`GENESIS`. Without the key nobody can make a row that verifies, so an edited
row is found even when every later hash was recomputed (with plain SHA-256 or a
wrong key); a deleted row breaks the run of seqs and the link of prev_hash; a
log cut short ends before the head recorded outside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

GENESIS = "0" * 64

JSONValue = Any  # None | bool | int | float | str | list[JSONValue] | dict[str, JSONValue]


def jsonable(value: Any) -> JSONValue:
    """A value as plain JSON (dates as ISO text, enums as their value, sets sorted).

    The audit trail stores and hashes this form, so what is read back hashes alike.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a finite number: {value!r}")
        return value
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=canonical_text)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    raise TypeError(f"cannot record {type(value).__name__} in the audit trail")


def canonical_text(value: JSONValue) -> str:
    """One text for one JSON value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def utc(moment: datetime) -> datetime:
    """A moment in UTC; a naive one (as SQLite gives back) is taken to be UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def utc_text(moment: datetime) -> str:
    return utc(moment).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Entry:
    """What a change records: who did what to which subject, before and after."""

    actor: str
    action: str
    subject_kind: str
    subject_id: str
    before: JSONValue = None
    after: JSONValue = None
    assessment: JSONValue = None  # the assessment and its reasons at that moment


@dataclass(frozen=True)
class Row:
    """One row of the audit trail as stored."""

    seq: int
    recorded_at: datetime
    actor: str
    action: str
    subject_kind: str
    subject_id: str
    before: JSONValue
    after: JSONValue
    assessment: JSONValue
    prev_hash: str
    hash: str

    def content(self) -> dict[str, JSONValue]:
        return {
            "seq": self.seq, "recorded_at": utc_text(self.recorded_at), "actor": self.actor,
            "action": self.action, "subject": [self.subject_kind, self.subject_id],
            "before": self.before, "after": self.after, "assessment": self.assessment,
        }

    def to_json(self) -> dict[str, JSONValue]:
        return {**self.content(), "prev_hash": self.prev_hash, "hash": self.hash}


@dataclass(frozen=True)
class Head:
    """The last seq and hash of the chain, as recorded outside the database."""

    seq: int
    hash: str


def row_hash(key: bytes, prev_hash: str, content: Mapping[str, JSONValue]) -> str:
    message = prev_hash.encode("ascii") + b"\n" + canonical_text(content).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def make_row(key: bytes, entry: Entry, *, seq: int, prev_hash: str,
             recorded_at: datetime) -> Row:
    """The next row of the chain after (seq - 1, prev_hash)."""
    if seq < 1:
        raise ValueError(f"seq starts at 1, got {seq}")
    draft = Row(seq=seq, recorded_at=utc(recorded_at), actor=entry.actor, action=entry.action,
                subject_kind=entry.subject_kind, subject_id=entry.subject_id,
                before=jsonable(entry.before), after=jsonable(entry.after),
                assessment=jsonable(entry.assessment), prev_hash=prev_hash, hash="")
    return replace(draft, hash=row_hash(key, prev_hash, draft.content()))


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str  # edited | missing | relinked | out-of-order | cut-short | head-mismatch |
    # unknown-key | no-head
    detail: str

    def __str__(self) -> str:
        return f"seq {self.seq}: {self.kind}: {self.detail}"


@dataclass
class VerifyReport:
    """What `verify` found: intact, or the problems from the first broken seq on."""

    rows: int = 0
    last: Head | None = None
    head: Head | None = None
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0  # found beyond the reported ones
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def to_json(self) -> dict[str, Any]:
        def head(h: Head | None) -> dict[str, Any] | None:
            return None if h is None else {"seq": h.seq, "hash": h.hash}

        return {
            "intact": self.intact, "rows": self.rows, "last": head(self.last),
            "head": head(self.head),
            "first_broken_seq": None if self.first is None else self.first.seq,
            "problems": [{"seq": p.seq, "kind": p.kind, "detail": p.detail}
                         for p in self.problems],
            "more_problems": self.more_problems, "notes": self.notes,
        }


ROTATION = "audit.key-rotated"  # the action of a row that puts the next key in force
ROTATION_SUBJECT = ("audit", "key")


def rotation_entry(actor: str, old: int, new: int) -> Entry:
    """The row that puts key number `new` of the key file in force after it, recorded
    (and so authenticated) under key number `old`."""
    return Entry(actor, ROTATION, *ROTATION_SUBJECT, before={"key": old}, after={"key": new})


def rotated_to(row: Row) -> int | None:
    """The key number a rotation row puts in force, or None for any other row."""
    if row.action != ROTATION or (row.subject_kind, row.subject_id) != ROTATION_SUBJECT:
        return None
    found = row.after.get("key") if isinstance(row.after, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else 0


def verify_rows(rows: Iterable[Row], keys: bytes | Sequence[bytes], head: Head | None, *,
                limit: int = 20) -> VerifyReport:
    """Check every row's HMAC and link, in seq order, then the end against the head.

    `keys`: the key file's keys in order (number 1 first). The first rows are under key 1;
    a rotation row (authenticated under the key in force) puts a later key in force for
    the rows after it, and no earlier key is accepted again: someone holding an old key
    cannot add rows after its rotation. `rows` must come in ascending seq. Up to `limit`
    problems are kept, in order.
    """
    ring = (keys,) if isinstance(keys, bytes) else tuple(keys)
    in_force = 1
    report = VerifyReport(head=head)

    def problem(seq: int, kind: str, detail: str) -> None:
        if len(report.problems) < limit:
            report.problems.append(Problem(seq, kind, detail))
        else:
            report.more_problems += 1

    expected_seq, prev_hash = 1, GENESIS
    hash_at_head: str | None = None
    for row in rows:
        report.rows += 1
        if row.seq < expected_seq:
            problem(row.seq, "out-of-order", f"seq {row.seq} comes after {expected_seq - 1}")
        elif row.seq > expected_seq:
            missing = (f"seq {expected_seq}" if row.seq == expected_seq + 1
                       else f"seqs {expected_seq} to {row.seq - 1}")
            problem(expected_seq, "missing", f"{missing} deleted (the log jumps to {row.seq})")
        if row.prev_hash != prev_hash:
            problem(row.seq, "relinked",
                    "prev_hash does not match the hash of the row before it")
        if not hmac.compare_digest(row.hash, row_hash(ring[in_force - 1], row.prev_hash,
                                                      row.content())):
            problem(row.seq, "edited",
                    f"HMAC mismatch under key {in_force}, the key in force: the row's "
                    "content or hash was changed without the key")
        else:
            to = rotated_to(row)
            if to is not None and not in_force < to <= len(ring):
                problem(row.seq, "unknown-key",
                        f"the row puts key {to} in force after key {in_force}, but the key "
                        f"file holds {len(ring)} key(s) and keys only move forward")
            elif to is not None:
                in_force = to
        if head is not None and row.seq == head.seq:
            hash_at_head = row.hash
        expected_seq, prev_hash = row.seq + 1, row.hash
        report.last = Head(row.seq, row.hash)
    _check_end(report, head, hash_at_head, problem)
    return report


def _check_end(report: VerifyReport, head: Head | None, hash_at_head: str | None,
               problem: Callable[[int, str, str], None]) -> None:
    last = report.last
    if head is None:
        if last is not None:
            problem(last.seq, "no-head",
                    "no head is recorded outside the database, so a log cut short cannot be "
                    "told from a whole one")
        return
    if last is None or last.seq < head.seq:
        ends = "is empty" if last is None else f"ends at seq {last.seq}"
        problem(1 if last is None else last.seq + 1, "cut-short",
                f"the log {ends} but the head outside the database records seq {head.seq}")
        return
    if hash_at_head is None or not hmac.compare_digest(hash_at_head, head.hash):
        problem(head.seq, "head-mismatch",
                "the row's hash differs from the head recorded outside the database")
    if last.seq > head.seq:
        report.notes.append(
            f"{last.seq - head.seq} row(s) after the recorded head (seq {head.seq}); they "
            "verify with the key (the head is written after each commit, so a crash between "
            "the two leaves it behind)")
