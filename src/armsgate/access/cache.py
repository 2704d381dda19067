"""The accounts of live credentials kept in a server process, as long as the store tells
it of every change (PostgreSQL: LISTEN/NOTIFY).

Resolving an API token or a session is a statement per request (a sixth of a quick
read's CPU under load, docs/performance.md). A server process on PostgreSQL keeps what it
resolved, by the secret's digest, while `CredentialListener` is listening on the
channel that the store's triggers notify on every change of `users`, `api_tokens` and
`web_sessions` (migration 0003: any UPDATE, DELETE or TRUNCATE, from any process or a
hand-made statement). Each notification empties the cache; so does each write of the
process's own `Accounts`, at once after its commit.

What a revocation can still let through, and why it is bounded:
- another process's revocation, between its commit and the notification reaching this
  process (the listener's thread wakes at once: milliseconds);
- a resolution read just before a change and stored just after the notification: each
  entry is stored only if no notification came since its read began (`generation`);
- while the listener is not connected (the store restarted, the connection lost), the
  cache is empty and not used: every resolution reads the store, as without a cache;
- any entry is read again after `ttl` seconds (60) whatever the listener says.

Expiry is checked at each use against the service's clock, as without a cache; only
live secrets of active accounts are kept, never a refusal.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from armsgate.access.accounts import Holder
from armsgate.daemon import Daemon

log = logging.getLogger("armsgate.access")

CHANNEL = "armsgate_credentials"  # what migration 0003's triggers notify


class CredentialCache:
    """Holders of live secrets by digest, used only while `live` (a listener connected)."""

    def __init__(self, *, ttl: float = 60.0, size: int = 10_000,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.size, self._monotonic = ttl, size, monotonic
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[Holder, float]] = {}
        self._generation = 0
        self._live = False

    @property
    def generation(self) -> int:
        """Moves at every change the store notifies; read it before reading the store."""
        return self._generation

    @property
    def live(self) -> bool:
        return self._live

    def get(self, key: str) -> Holder | None:
        entry = self._entries.get(key)
        if entry is None or not self._live or self._monotonic() - entry[1] > self.ttl:
            return None
        return entry[0]

    def put(self, key: str, holder: Holder, generation: int) -> None:
        """Keep `holder`, read from the store after `generation` was taken, unless the
        store changed since or no listener is connected."""
        with self._lock:
            if not self._live or generation != self._generation:
                return
            if len(self._entries) >= self.size:
                del self._entries[next(iter(self._entries))]  # the oldest kept
            self._entries[key] = (holder, self._monotonic())

    def clear(self) -> None:
        """Something changed: forget everything, and refuse what was read before."""
        with self._lock:
            self._entries.clear()
            self._generation += 1

    def listening(self, live: bool) -> None:
        """The listener is (or is no longer) connected: start empty either way."""
        with self._lock:
            self._entries.clear()
            self._generation += 1
            self._live = live


class CredentialListener(Daemon):
    """A daemon thread holding a connection of its own that LISTENs on `CHANNEL` and
    empties the cache at each notification; reconnects after `retry` seconds if the
    connection fails, the cache unused meanwhile."""

    def __init__(self, engine: Engine, cache: CredentialCache, *, retry: float = 1.0,
                 wake: float = 0.5) -> None:
        super().__init__("armsgate-credentials")
        self.engine, self.cache, self.retry, self.wake = engine, cache, retry, wake
        self.backend: int | None = None  # the listening connection's server process

    def _connect(self) -> Any:
        """A connection of the engine's, taken out of its pool, in autocommit, listening."""
        pooled = self.engine.raw_connection()
        conn: Any = pooled.driver_connection  # psycopg's
        pooled.detach()
        conn.autocommit = True
        conn.execute(f"LISTEN {CHANNEL}")
        self.backend = conn.info.backend_pid
        return conn

    def run(self) -> None:
        while not self.stopping.is_set():
            conn = None
            try:
                conn = self._connect()
                self.cache.listening(True)
                while not self.stopping.is_set():
                    for _ in conn.notifies(timeout=self.wake):
                        self.cache.clear()
            except Exception as exc:
                log.warning("credentials listener: %s: %s; the cache is not used until it "
                            "reconnects", type(exc).__name__, exc)
            finally:
                self.cache.listening(False)
                if conn is not None:
                    with contextlib.suppress(Exception):  # a broken connection's close
                        conn.close()
            self.stopping.wait(self.retry)
