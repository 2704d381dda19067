"""The audit trail in a real store, SQLite and PostgreSQL: append, tamper, verify, replay."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select, update

from armsgate.audit import store
from armsgate.audit.chain import GENESIS, Entry, Row, canonical_text, row_hash
from armsgate.audit.replay import state_on
from armsgate.audit.trail import AuditTrail
from armsgate.store import schema as t
from armsgate.store.database import init_store, open_store

KEY = b"0123456789abcdef" * 4
T0 = datetime(2025, 3, 1, 8, 0, 0, 123456, tzinfo=UTC)
TRICKY = {"ž": 1.1, "list": [1e16, -0.0, "ćirilica Ђ", None, True], "big": 2**62,
          "nested": {"b": [], "a": {}}}


@pytest.fixture
def trail(tmp_path: Path) -> AuditTrail:
    return AuditTrail(KEY, tmp_path / "audit.head")


def entry(n: int, subject: str = "APP-1") -> Entry:
    return Entry("officer-1", "case.change", "application", subject,
                 before={"state": "in_review", "n": n - 1}, after={"state": "held", "n": n},
                 assessment={"outcome": "hold", "reasons": ["flag"], "extra": TRICKY})


def fill(engine: Engine, trail: AuditTrail, n: int, *, per_tx: int = 1) -> list[Row]:
    rows: list[Row] = []
    for start in range(0, n, per_tx):
        with trail.begin(engine) as tx:
            for k in range(start, min(n, start + per_tx)):
                subject = "APP-1" if k % 2 == 0 else "APP-2"
                rows.append(tx.append(entry(k + 1, subject), T0 + timedelta(days=k)))
    return rows


def report_of(engine: Engine, trail: AuditTrail) -> Any:
    with engine.connect() as conn:
        return trail.verify(conn)


def rewrite(engine: Engine, start: int, digest: Callable[[str, Row], str],
            edit: dict[str, Any] | None = None) -> None:
    """Edit row `start` directly, then recompute every later hash with `digest` (no key)."""
    with engine.begin() as conn:
        if edit:
            conn.execute(update(t.audit_log).where(t.audit_log.c.seq == start).values(**edit))
        rows = list(store.rows(conn))
        prev = GENESIS if start == 1 else rows[start - 2].hash
        for row in rows[start - 1:]:
            new = digest(prev, row)
            conn.execute(update(t.audit_log).where(t.audit_log.c.seq == row.seq)
                         .values(prev_hash=prev, hash=new))
            prev = new


def sha256(prev: str, row: Row) -> str:
    return hashlib.sha256(prev.encode() + b"\n"
                          + canonical_text(row.content()).encode()).hexdigest()


def wrong_key(prev: str, row: Row) -> str:
    return row_hash(b"not the key, but as long as one", prev, row.content())


def test_appended_rows_verify_and_the_head_is_recorded(engine: Engine,
                                                       trail: AuditTrail) -> None:
    rows = fill(engine, trail, 7, per_tx=3)
    head = trail.head()
    assert head is not None
    assert (head.seq, head.hash) == (7, rows[-1].hash)
    report = report_of(engine, trail)
    assert report.intact, report.problems
    assert report.rows == 7
    with engine.connect() as conn:
        stored = list(store.rows(conn, chunk=2))
    assert stored == rows  # JSON and timestamps come back exactly as hashed
    assert stored[0].assessment["extra"] == TRICKY


def test_an_append_rolled_back_leaves_no_row_and_no_gap(engine: Engine,
                                                        trail: AuditTrail) -> None:
    fill(engine, trail, 2)
    def failing_change() -> None:
        with trail.begin(engine) as tx:
            tx.append(entry(3), T0)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert trail.head() is not None
    assert trail.head().seq == 2  # type: ignore[union-attr]
    row = fill(engine, trail, 1)[0]
    assert row.seq == 3
    assert report_of(engine, trail).intact


def test_an_edited_row_is_found(engine: Engine, trail: AuditTrail) -> None:
    fill(engine, trail, 6)
    with engine.begin() as conn:
        conn.execute(update(t.audit_log).where(t.audit_log.c.seq == 3)
                     .values(after={"state": "approved", "n": 3}))
    report = report_of(engine, trail)
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (3, "edited")


@pytest.mark.parametrize("digest", [sha256, wrong_key], ids=["sha256", "wrong-key"])
def test_an_edit_with_later_hashes_recomputed_without_the_key_is_found(
        engine: Engine, trail: AuditTrail, digest: Callable[[str, Row], str]) -> None:
    fill(engine, trail, 6)
    rewrite(engine, 2, digest, {"actor": "mallory"})
    report = report_of(engine, trail)
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (2, "edited")
    assert {p.seq for p in report.problems} >= {2, 3, 4, 5, 6}


def test_a_deleted_row_is_found(engine: Engine, trail: AuditTrail) -> None:
    fill(engine, trail, 6)
    with engine.begin() as conn:
        conn.execute(delete(t.audit_log).where(t.audit_log.c.seq == 4))
    report = report_of(engine, trail)
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (4, "missing")


@pytest.mark.parametrize("keep", [0, 4])
def test_a_truncated_log_is_found(engine: Engine, trail: AuditTrail, keep: int) -> None:
    fill(engine, trail, 6)
    with engine.begin() as conn:
        conn.execute(delete(t.audit_log).where(t.audit_log.c.seq > keep))
    report = report_of(engine, trail)
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (keep + 1, "cut-short")
    assert "records seq 6" in report.first.detail


def test_a_replaced_tail_without_the_key_is_found(engine: Engine, trail: AuditTrail) -> None:
    fill(engine, trail, 6)
    with engine.begin() as conn:
        conn.execute(delete(t.audit_log).where(t.audit_log.c.seq == 6))
    rewrite(engine, 5, sha256, {"actor": "mallory"})
    with engine.begin() as conn:  # a forged sixth row, to match the head's seq
        last = store.last_head(conn)
        assert last is not None
        conn.execute(t.audit_log.insert().values(
            seq=6, recorded_at=T0, actor="mallory", action="x", subject_kind="k",
            subject_id="i", before=None, after=None, assessment=None, prev_hash=last.hash,
            hash="f" * 64))
    kinds = [(p.seq, p.kind) for p in report_of(engine, trail).problems]
    assert kinds == [(5, "edited"), (6, "edited"), (6, "head-mismatch")]


def test_subject_rows_and_state_on_a_day(engine: Engine, trail: AuditTrail) -> None:
    fill(engine, trail, 6)  # APP-1 on 1, 3, 5 March; APP-2 on 2, 4, 6 March
    with engine.connect() as conn:
        assert [r.seq for r in store.subject_rows(conn, "application", "APP-1")] == [1, 3, 5]
        upto = store.subject_rows(conn, "application", "APP-1", date(2025, 3, 3))
        assert [r.seq for r in upto] == [1, 3]
        assert [r.seq for r in store.recent(conn, limit=2)] == [5, 6]
        recent = store.recent(conn, subject=("application", "APP-2"), limit=10)
        assert [r.seq for r in recent] == [2, 4, 6]
    shot = state_on(upto, date(2025, 3, 4))
    assert shot is not None
    assert shot.state == {"state": "held", "n": 3}


def test_appenders_on_many_connections_form_one_chain(engine: Engine,
                                                      trail: AuditTrail) -> None:
    errors: list[BaseException] = []

    def work(w: int) -> None:
        try:
            for k in range(12):
                with trail.begin(engine) as tx:
                    tx.append(entry(k, f"W-{w}"), T0)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, errors
    report = report_of(engine, trail)
    assert report.intact, report.problems
    assert report.rows == 48
    assert trail.head() == report.last


def test_a_second_appender_waits_for_the_first_to_commit(engine: Engine,
                                                         trail: AuditTrail) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers itself; the lock row matters on PostgreSQL")
    fill(engine, trail, 1)
    result: dict[str, Row] = {}
    with engine.connect() as first:
        tx = first.begin()
        mine = trail.append(first, entry(2), T0)

        def second() -> None:
            with trail.begin(engine) as rec:
                result["row"] = rec.append(entry(3), T0)

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive(), "the second appender did not wait for the first"
        tx.commit()
    trail.record_head(mine)
    thread.join(10)
    assert not thread.is_alive()
    assert (result["row"].seq, result["row"].prev_hash) == (3, mine.hash)
    assert report_of(engine, trail).intact


def test_the_migration_creates_the_tables_as_declared(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    mine = {"users", "api_tokens", "web_sessions", "audit_log", "audit_lock"}
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
        seeded = conn.execute(select(t.audit_lock)).all()

    def table_of(op: Any) -> str | None:
        op = op[0] if isinstance(op, list) else op
        for part in op[1:]:
            name = getattr(part, "name", None)
            table = getattr(part, "table", None)
            if table is not None:
                return str(table.name)
            if name in mine:
                return str(name)
        return str(op[2]) if len(op) > 2 and isinstance(op[2], str) else None

    assert [d for d in diff if table_of(d) in mine] == []
    assert [tuple(r) for r in seeded] == [(1, 0, 1)]  # id, appends, key 1 in force


def test_a_temporary_trail_chains_rows_across_transactions_and_rollbacks(tmp_path: Path
                                                                        ) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'tmp.db'}")
    init_store(engine)
    trail = AuditTrail(b"k" * 32, tmp_path / "head", temporary=True)
    now = datetime(2025, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:  # two rows in one transaction
        trail.append(conn, Entry("a", "x", "case", "1"), now, wrote=True)
        last = trail.append(conn, Entry("a", "y", "case", "1"), now, wrote=True)
    trail.record_head(last)
    conn = engine.connect()
    tx = conn.begin()
    trail.append(conn, Entry("a", "z", "case", "2"), now, wrote=True)
    tx.rollback()  # a row rolled back: the next one must not chain to it
    conn.close()
    with engine.begin() as conn:
        last = trail.append(conn, Entry("a", "w", "case", "3"), now, wrote=True)
    trail.record_head(last)
    trail.flush()
    with engine.connect() as conn:
        report = trail.verify(conn)
    engine.dispose()
    assert report.intact
    assert report.rows == 3
