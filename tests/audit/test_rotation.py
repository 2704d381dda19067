"""Rotating the audit key: a rotation row, authenticated under the key in force, puts the
next key of the key file in force; the old key can no longer add rows; the whole chain
still verifies with the key file, on SQLite and PostgreSQL, and through the CLI."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from armsgate.audit import store
from armsgate.audit.chain import (
    GENESIS,
    Entry,
    Head,
    Row,
    make_row,
    rotation_entry,
    verify_rows,
)
from armsgate.audit.files import add_key, create_key, load_keys
from armsgate.audit.trail import AuditTrail
from armsgate.errors import InputError, StoreError

K1, K2, K3 = b"1" * 32, b"2" * 32, b"3" * 32
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def change(n: int) -> Entry:
    return Entry("officer-1", "case.decide", "application", f"APP-{n}",
                 before={"state": "in_review"}, after={"state": "approved"})


def extend(rows: list[Row], key: bytes, *entries: Entry) -> list[Row]:
    out = list(rows)
    for entry in entries:
        prev = out[-1].hash if out else GENESIS
        out.append(make_row(key, entry, seq=len(out) + 1, prev_hash=prev,
                            recorded_at=T0 + timedelta(hours=len(out))))
    return out


def rotated() -> list[Row]:
    """Two rows under key 1, a rotation to key 2 (under key 1), two rows under key 2."""
    rows = extend([], K1, change(1), change(2), rotation_entry("admin", 1, 2))
    return extend(rows, K2, change(3), change(4))


def verified(rows: list[Row], keys: tuple[bytes, ...]) -> list[tuple[int, str]]:
    report = verify_rows(rows, keys, Head(rows[-1].seq, rows[-1].hash))
    return [(p.seq, p.kind) for p in report.problems]


def test_a_rotated_chain_verifies_with_both_keys() -> None:
    assert verified(rotated(), (K1, K2)) == []
    again = extend(extend(rotated(), K2, rotation_entry("admin", 2, 3)), K3, change(5))
    assert verified(again, (K1, K2, K3)) == []


def test_the_old_key_cannot_add_rows_after_the_rotation() -> None:
    forged = extend(rotated(), K1, change(5))  # a holder of the old key, after rotation
    assert verified(forged, (K1, K2)) == [(6, "edited")]


def test_a_rotation_needs_the_new_key_in_the_file_and_only_moves_forward() -> None:
    assert verified(rotated(), (K1,))[0] == (3, "unknown-key")
    back = extend(rotated(), K2, rotation_entry("admin", 2, 1), change(5))
    assert verified(back, (K1, K2)) == [(6, "unknown-key")]  # and key 2 stays in force


def test_a_rotation_row_forged_without_the_key_in_force_changes_nothing() -> None:
    rows = extend([], K1, change(1))
    forged = extend(rows, K2, rotation_entry("intruder", 1, 2), change(2))  # made with K2
    assert verified(forged, (K1, K2))[0] == (2, "edited")


def test_the_key_file_grows_by_a_line_and_stays_private(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    assert create_key(path)
    first = load_keys(path)
    assert add_key(path) == 2
    keys = load_keys(path)
    assert keys[:1] == first
    assert [len(k) >= 32 for k in keys] == [True, True]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_bytes(first[0] + b"\nshort\n")
    with pytest.raises(InputError, match="key 2 of the audit key"):
        load_keys(path)


def test_rotation_in_a_store(engine: Engine, tmp_path: Path) -> None:
    key_file = tmp_path / "audit.key"
    create_key(key_file)
    trail = AuditTrail(load_keys(key_file)[0], tmp_path / "audit.head", key_file=key_file)
    for n in range(2):
        with trail.begin(engine) as tx:
            tx.append(change(n), T0)
    assert trail.rotate(engine, "admin", T0 + timedelta(days=1)) == 2
    with trail.begin(engine) as tx:
        last = tx.append(change(3), T0 + timedelta(days=2))
    with engine.connect() as conn:
        assert trail.verify(conn).intact
        assert store.key_in_force(conn) == 2
        old_only = store.verify(conn, load_keys(key_file)[:1], Head(last.seq, last.hash))
        assert [p.kind for p in old_only.problems][:1] == ["unknown-key"]
        # Another process, started after the rotation, goes on under key 2.
        later = AuditTrail(load_keys(key_file)[0], tmp_path / "audit.head",
                           key_file=key_file)
        assert later.key_in_force(conn)[0] == 2
    with later.begin(engine) as tx:
        tx.append(change(4), T0 + timedelta(days=3))
    with engine.connect() as conn:
        assert later.verify(conn).intact
    with pytest.raises(InputError):
        AuditTrail(K1, tmp_path / "other.head").rotate(engine, "admin", T0)


def test_a_process_running_through_a_rotation_goes_on_under_the_new_key(
        engine: Engine, tmp_path: Path) -> None:
    """A service that kept running while `armsgate audit rotate-key` ran (another process)
    appends its next rows under the new key: the key in force is read under the
    appenders' lock, not once per process."""
    key_file = tmp_path / "audit.key"
    create_key(key_file)
    running = AuditTrail(load_keys(key_file)[0], tmp_path / "audit.head", key_file=key_file)
    with running.begin(engine) as tx:
        tx.append(change(1), T0)  # the running process has used key 1
    rotating = AuditTrail(load_keys(key_file)[0], tmp_path / "audit.head", key_file=key_file)
    assert rotating.rotate(engine, "admin", T0 + timedelta(days=1)) == 2
    with running.begin(engine) as tx:
        last = tx.append(change(2), T0 + timedelta(days=2))
    with engine.connect() as conn:
        report = running.verify(conn)
        assert report.intact, report.problems
        assert last.seq == 3
        assert store.key_in_force(conn) == 2
    # A key file without the key in force: the write is refused, nothing is appended.
    other = tmp_path / "stale.key"
    other.write_bytes(key_file.read_bytes().splitlines(keepends=True)[0])
    other.chmod(stat.S_IRUSR | stat.S_IWUSR)
    stale = AuditTrail(load_keys(other)[0], tmp_path / "audit.head", key_file=other)
    with pytest.raises(StoreError, match="key 2"), stale.begin(engine) as tx:
        tx.append(change(3), T0 + timedelta(days=3))
    with engine.connect() as conn:
        assert [r.seq for r in store.rows(conn)][-1] == 3


def test_the_migration_takes_the_key_in_force_from_the_chain(store_url: str) -> None:
    """A store made before the lock row held the key (schema 0001) with a rotation in its
    chain: after `armsgate init` (the upgrade) the key in force is the rotation's."""
    from dataclasses import asdict

    from alembic import command
    from sqlalchemy import insert

    from armsgate.store import schema as t
    from armsgate.store.database import _alembic_config, init_store, open_store

    engine = open_store(store_url)
    try:
        cfg = _alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
        rows = rotated()
        with engine.begin() as conn:
            conn.execute(insert(t.audit_log), [asdict(r) for r in rows])
        init_store(engine)
        with engine.connect() as conn:
            assert store.key_in_force(conn) == 2
            assert store.verify(conn, (K1, K2), Head(rows[-1].seq, rows[-1].hash)).intact
    finally:
        engine.dispose()
