"""The key and the head outside the database, and the settings that name them."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from armsgate.audit.chain import Head
from armsgate.audit.files import create_key, load_key, read_head, write_head
from armsgate.errors import InputError, StoreError
from armsgate.settings import Settings

PG = "postgresql+psycopg://app@db.example/armsgate"


def test_create_key_makes_a_private_random_key_once(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    assert create_key(path)
    assert (path.stat().st_mode & 0o777) == 0o600
    key = load_key(path)
    assert len(key) == 64
    assert not create_key(path)
    assert load_key(path) == key
    other = tmp_path / "other.key"
    create_key(other)
    assert load_key(other) != key


def test_load_key_refuses_what_is_missing_open_or_short(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `armsgate init`"):
        load_key(tmp_path / "missing.key")
    open_key = tmp_path / "open.key"
    open_key.write_text("x" * 64)
    open_key.chmod(0o644)
    with pytest.raises(InputError, match="readable by group or others") as err:
        load_key(open_key)
    assert err.value.field == "ARMSGATE_AUDIT_KEY_FILE"
    short = tmp_path / "short.key"
    short.write_text("abc\n")
    short.chmod(0o600)
    with pytest.raises(InputError, match="shorter than 32 bytes"):
        load_key(short)


def test_the_head_never_moves_backwards(tmp_path: Path) -> None:
    path = tmp_path / "audit.head"
    assert read_head(path) is None
    assert write_head(path, Head(5, "a" * 64))
    assert not write_head(path, Head(3, "b" * 64))
    assert read_head(path) == Head(5, "a" * 64)
    assert write_head(path, Head(6, "c" * 64))
    assert read_head(path) == Head(6, "c" * 64)
    path.write_text("[]")
    with pytest.raises(InputError, match="not an audit head"):
        read_head(path)


def test_concurrent_head_writers_keep_the_highest(tmp_path: Path) -> None:
    path = tmp_path / "audit.head"
    threads = [threading.Thread(target=write_head, args=(path, Head(n, f"{n:064x}")))
               for n in range(1, 41)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert read_head(path) == Head(40, f"{40:064x}")


def test_sqlite_settings_put_key_and_head_beside_the_store(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.delenv("ARMSGATE_AUDIT_KEY_FILE", raising=False)
    monkeypatch.delenv("ARMSGATE_AUDIT_HEAD_FILE", raising=False)
    s = Settings(database_url=f"sqlite:///{tmp_path}/store.db")
    assert s.audit_key_file == tmp_path / "store.db.audit-key"
    assert s.audit_head_file == tmp_path / "store.db.audit-head"
    memory = Settings(database_url="sqlite://")
    assert memory.audit_key_file == Path("armsgate.audit-key")


def test_postgres_settings_refuse_to_start_without_a_secure_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARMSGATE_AUDIT_KEY_FILE", raising=False)
    monkeypatch.delenv("ARMSGATE_AUDIT_HEAD_FILE", raising=False)
    head = tmp_path / "audit.head"
    with pytest.raises(ValidationError, match="required on PostgreSQL") as err:
        Settings(database_url=PG, audit_head_file=head)
    assert err.value.errors()[0]["loc"] == ("audit_key_file",)
    key = tmp_path / "audit.key"
    with pytest.raises(ValidationError, match="no audit key at"):
        Settings(database_url=PG, audit_key_file=key, audit_head_file=head)
    key.write_text("k" * 64)
    key.chmod(0o640)
    with pytest.raises(ValidationError, match="chmod 600"):
        Settings(database_url=PG, audit_key_file=key, audit_head_file=head)
    key.chmod(0o600)
    with pytest.raises(ValidationError, match="head is recorded") as err:
        Settings(database_url=PG, audit_key_file=key)
    assert err.value.errors()[0]["loc"] == ("audit_head_file",)
    s = Settings(database_url=PG, audit_key_file=key, audit_head_file=head)
    assert (s.audit_key_file, s.audit_head_file) == (key, head)


def test_an_insecure_key_is_refused_on_sqlite_too(tmp_path: Path) -> None:
    key = tmp_path / "store.db.audit-key"
    key.write_text("k" * 64)
    os.chmod(key, 0o604)
    with pytest.raises(ValidationError, match="readable by group or others"):
        Settings(database_url=f"sqlite:///{tmp_path}/store.db")
