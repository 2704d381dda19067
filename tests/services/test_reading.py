"""Reads outside a transaction (`store.database.reading`), on SQLite and on PostgreSQL: a
read holds no transaction open, and the pooled connection it used is transactional again
for the next write."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, insert, select

from armsgate.services.unit import set_meta
from armsgate.store import schema as t
from armsgate.store.database import init_store, open_store, reading


@pytest.fixture
def one_connection(store_url: str) -> Iterator[Engine]:
    """A store whose pool keeps a single connection, so that the read and the write below
    use the same one."""
    engine = open_store(store_url, connections=1)
    init_store(engine)
    yield engine
    engine.dispose()


def test_a_read_holds_no_transaction(one_connection: Engine) -> None:
    with reading(one_connection) as conn:
        conn.execute(select(t.meta)).all()
        if one_connection.dialect.name == "postgresql":
            from psycopg.pq import TransactionStatus

            status = conn.connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
            assert status == TransactionStatus.IDLE  # not INTRANS: no snapshot kept
        else:
            assert not conn.connection.dbapi_connection.in_transaction  # type: ignore[union-attr]


def test_a_write_after_a_read_is_still_one_transaction(one_connection: Engine) -> None:
    with reading(one_connection) as conn:
        before = conn.execute(select(t.meta)).all()

    def write_then_fail() -> None:
        with one_connection.begin() as conn:
            conn.execute(insert(t.meta).values(key="reading-test", value="1"))
            set_meta(conn, "reading-test-2", "2")
            raise RuntimeError("the write fails after its statements")

    with pytest.raises(RuntimeError, match="write fails"):
        write_then_fail()
    with reading(one_connection) as conn:
        assert conn.execute(select(t.meta)).all() == before  # nothing of it kept


def test_a_read_sees_what_was_committed_meanwhile(one_connection: Engine,
                                                   store_url: str) -> None:
    other = open_store(store_url)
    try:
        with reading(one_connection) as conn:
            assert conn.execute(select(t.meta.c.value).where(t.meta.c.key == "x")).first() is None
            with other.begin() as write:
                write.execute(insert(t.meta).values(key="x", value="committed"))
            seen = conn.execute(select(t.meta.c.value).where(t.meta.c.key == "x")).scalar_one()
        assert seen == "committed"
    finally:
        other.dispose()
