"""Connecting to the store and bringing its schema up to date (Alembic).

The store is the database that `ARMSGATE_DATABASE_URL` names: a SQLite file by
default, PostgreSQL in production. `open_store` connects; `init_store` also
applies every migration, so a new database and an old one end up alike.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import OperationalError

from armsgate.errors import StoreError


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_store(url: str, *, connections: int | None = None) -> Engine:
    """An engine on the store; SQLite files get foreign keys and write-ahead logging.
    `connections`: how many the pool keeps open (a server: one per thread, so that none is
    opened and closed per request under load), and as many more opened on demand (a
    request holding a connection may read on a second one); SQLAlchemy's default
    otherwise."""
    sized = {} if connections is None or url.startswith("sqlite") else {
        "pool_size": connections, "max_overflow": connections}
    engine = create_engine(url, **sized)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def reading(engine: Engine) -> Connection:
    """A connection for reads: on PostgreSQL in autocommit, so that a query is one round
    trip (in a transaction, BEGIN and the pool's ROLLBACK make three). What a read sees is
    unchanged: under READ COMMITTED each statement sees what was committed when it began,
    in a transaction or not. SQLite opens no transaction for reads: a plain connection."""
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        conn.execution_options(isolation_level="AUTOCOMMIT")
    return conn


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("armsgate.store") / "migrations"))
    return cfg


def init_store(engine: Engine) -> str:
    """Apply every migration; returns the schema revision now in force."""
    cfg = _alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise StoreError(f"cannot set up the store at {engine.url!r}: {exc.orig}") from exc
    return head_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def require_current(engine: Engine) -> None:
    """Refuse to work on a store that `armsgate init` has not brought up to date."""
    database = engine.url.database
    file_based = engine.dialect.name == "sqlite" and database and database != ":memory:"
    if file_based and not Path(str(database)).exists():
        raise StoreError(f"no store at {database}: run `armsgate init`")
    try:
        revision = current_revision(engine)
    except OperationalError as exc:
        raise StoreError(f"cannot reach the store at {engine.url!r}: {exc.orig}") from exc
    if revision != head_revision():
        raise StoreError(
            f"the store at {engine.url!r} is at schema {revision or 'none'}, "
            f"not {head_revision()}: run `armsgate init`"
        )
