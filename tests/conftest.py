"""Shared fixtures: stores on SQLite and PostgreSQL, the service on a simulated clock.

`store_url` runs a test once per backend. PostgreSQL tests get a schema of
their own inside a database made for this test session; where PostgreSQL
cannot be reached they are skipped, except with CI=true, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.services.authority import Authority
from armsgate.store.database import init_store, open_store
from armsgate.store.probe import reachable

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PG_URL = os.environ.get("ARMSGATE_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A database for this test session (URL), or None where PostgreSQL is unreachable."""
    if not reachable(PG_URL):
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable at {PG_URL} and CI=true")
        yield None
        return
    name = f"armsgate_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty store, once on SQLite and once on PostgreSQL (own schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    yield _pg_schema(request.getfixturevalue("pg_database"))


@pytest.fixture
def pg_store_url(pg_database: str | None) -> str:
    """A URL to an empty PostgreSQL store (own schema), for what only PostgreSQL does."""
    return _pg_schema(pg_database)


def _pg_schema(database: str | None) -> str:
    """A new schema in the session's database, as a store URL (skip without PostgreSQL)."""
    if database is None:
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(database)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{database}?options=-csearch_path%3D{schema}"


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    eng = open_store(store_url)
    init_store(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(date(2025, 1, 1))


@pytest.fixture
def trail(tmp_path: Path) -> AuditTrail:
    """The audit trail of the service under test (a fixed test key, a head file)."""
    return AuditTrail(b"test-key-" * 4, tmp_path / "audit-head")


@pytest.fixture
def authority(engine: Engine, clock: SimulatedClock, trail: AuditTrail) -> Authority:
    return Authority(engine, clock, actor="test", trail=trail)
