"""The credentials a server process keeps (`access.cache`): used only while its listener
hears of every change, emptied by any change from anywhere, never keeping a stale read."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text

from armsgate.access.cache import CredentialCache, CredentialListener
from armsgate.access.inputs import NewToken, NewUser
from armsgate.access.roles import Principal, UserRole
from armsgate.access.service import Accounts
from armsgate.api.app import build_services
from armsgate.audit.files import create_key
from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.settings import Settings
from armsgate.store.database import init_store, open_store
from tests.api.conftest import FAST, PASSWORD

OFFICER = Principal("officer", UserRole.OFFICER)
HOLDER = (OFFICER, None)


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_nothing_is_kept_or_given_while_no_listener_listens() -> None:
    cache = CredentialCache()
    cache.put("d", HOLDER, cache.generation)
    assert cache.get("d") is None
    cache.listening(True)
    cache.put("d", HOLDER, cache.generation)
    assert cache.get("d") == HOLDER
    cache.listening(False)
    assert cache.get("d") is None
    cache.listening(True)
    assert cache.get("d") is None, "a listener that reconnects starts empty"


def test_a_read_begun_before_a_change_is_not_kept() -> None:
    cache = CredentialCache()
    cache.listening(True)
    generation = cache.generation  # a resolution begins its read...
    cache.clear()  # ...a revocation is notified meanwhile...
    cache.put("d", HOLDER, generation)  # ...and the read ends with the old answer
    assert cache.get("d") is None
    cache.put("d", HOLDER, cache.generation)
    assert cache.get("d") == HOLDER


def test_entries_are_read_again_after_the_ttl_and_the_oldest_go_first() -> None:
    ticks = Ticks()
    cache = CredentialCache(ttl=60, size=2, monotonic=ticks)
    cache.listening(True)
    cache.put("a", HOLDER, cache.generation)
    ticks.now = 30
    cache.put("b", HOLDER, cache.generation)
    cache.put("c", HOLDER, cache.generation)
    assert cache.get("a") is None, "the oldest went when the third came"
    assert cache.get("b") == HOLDER
    ticks.now = 90.5
    assert cache.get("b") is None
    assert cache.get("c") is None


# --- on a store ------------------------------------------------------------------------


@pytest.fixture
def pg(pg_store_url: str) -> Iterator[Engine]:
    """A PostgreSQL store: LISTEN/NOTIFY is PostgreSQL's (a server on SQLite keeps no
    credentials, `test_a_server_keeps_credentials_on_postgresql_only`)."""
    engine = open_store(pg_store_url)
    init_store(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def served(pg: Engine, clock: SimulatedClock, trail: AuditTrail
           ) -> Iterator[tuple[Accounts, CredentialListener, str]]:
    """Accounts with a cache, its listener listening, and an officer's token."""
    cache = CredentialCache()
    accounts = Accounts(pg, clock, trail, hasher=FAST, cache=cache)
    accounts.add_user(i.parse(NewUser, {"username": "officer", "display_name": "Officer",
                                        "email": "o@example.org", "role": "officer",
                                        "password": PASSWORD}), "admin")
    token = accounts.issue_token(i.parse(NewToken, {"username": "officer", "name": "t",
                                                    "days": 30}), "admin").token
    listener = CredentialListener(pg, cache, retry=0.05, wake=0.05)
    listener.start()
    wait_for(lambda: cache.live)
    yield accounts, listener, token
    listener.stop()


def wait_for(condition: Any, seconds: float = 10.0) -> None:
    """Until `condition()` holds (a notification crosses processes in milliseconds)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def statements(engine: Engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: seen.append(sql))
    return seen


def test_a_token_is_read_from_the_store_once(served: tuple[Accounts, Any, str]) -> None:
    accounts, _, token = served
    seen = statements(accounts.engine)
    assert accounts.resolve_token(token) == accounts.resolve_token(token)
    assert accounts.resolve_token(token) is not None
    assert len(seen) == 1


def test_a_revocation_by_this_process_holds_at_once(served: tuple[Accounts, Any, str]) -> None:
    accounts, _, token = served
    assert accounts.resolve_token(token) is not None
    (info,) = accounts.tokens("officer")
    accounts.revoke_token(info.id, "admin")
    assert accounts.resolve_token(token) is None


def test_a_change_made_by_hand_elsewhere_empties_the_cache(
        served: tuple[Accounts, Any, str], pg_store_url: str) -> None:
    accounts, _, token = served
    assert accounts.resolve_token(token) is not None
    other = create_engine(pg_store_url)  # another process's connection, no Accounts at all
    with other.begin() as conn:
        conn.execute(text("UPDATE users SET active = false WHERE username = 'officer'"))
    other.dispose()
    wait_for(lambda: accounts.resolve_token(token) is None)


def test_a_session_ended_elsewhere_is_refused(served: tuple[Accounts, Any, str],
                                             clock: SimulatedClock, trail: AuditTrail) -> None:
    accounts, _, _ = served
    elsewhere = Accounts(accounts.engine, clock, trail, hasher=FAST)  # no cache
    session = accounts.sign_in("officer", PASSWORD)
    assert session is not None
    assert accounts.resolve_session(session.token) is not None
    elsewhere.sign_out(session.token)
    wait_for(lambda: accounts.resolve_session(session.token) is None)


def test_the_listener_reconnects_and_the_cache_waits_for_it(
        served: tuple[Accounts, Any, str], pg_store_url: str) -> None:
    accounts, listener, token = served
    cache = accounts.cache
    assert cache is not None
    before, backend = cache.generation, listener.backend
    admin = create_engine(pg_store_url)
    with admin.begin() as conn:
        killed = conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        assert killed.scalar_one() is True
    admin.dispose()
    # it went down (the cache emptied and unused), then listened again on a new connection
    wait_for(lambda: cache.live and listener.backend != backend)
    assert cache.generation >= before + 2
    seen = statements(accounts.engine)
    assert accounts.resolve_token(token) is not None
    assert accounts.resolve_token(token) is not None
    assert len(seen) == 1


def test_a_server_keeps_credentials_on_postgresql_only(store_url: str, tmp_path: Path) -> None:
    create_key(tmp_path / "key")
    engine = create_engine(store_url)
    init_store(engine)
    engine.dispose()
    s = build_services(Settings(database_url=store_url, audit_key_file=tmp_path / "key",
                                audit_head_file=tmp_path / "head"))
    postgres = s.engine.dialect.name == "postgresql"
    assert (s.accounts.cache is not None) == postgres
    assert (s.listener is not None) == postgres
    s.engine.dispose()
    off = build_services(Settings(database_url=store_url, audit_key_file=tmp_path / "key",
                                  audit_head_file=tmp_path / "head", credential_cache=False))
    assert off.accounts.cache is None
    assert off.listener is None
    off.engine.dispose()
