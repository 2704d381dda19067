"""`Accounts`: the accounts layer as the edges call it, one audited transaction per write.

Each write runs in one transaction with its audit row (before and after images,
never a secret) and records the audit head once it has committed. Reads and
resolutions (token, session) write nothing. Who may call what is decided by
`access.policy.allows` at the edge, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine

from armsgate.access import accounts as a
from armsgate.access.cache import CredentialCache
from armsgate.access.credentials import (
    DEFAULT_HASHER,
    SESSION_PREFIX,
    TOKEN_PREFIX,
    digest,
    looks_like,
)
from armsgate.access.inputs import NewPassword, NewToken, NewUser
from armsgate.access.roles import Principal
from armsgate.audit.chain import Entry
from armsgate.audit.trail import AuditTrail, Recording
from armsgate.clock import Clock
from armsgate.store.database import reading

T = TypeVar("T")
SESSION_TTL = timedelta(hours=8)


@dataclass(frozen=True)
class Session:
    token: str  # the clear session token, for the cookie: shown once, never stored
    principal: Principal
    expires_at: datetime

    def __repr__(self) -> str:
        return f"Session(principal={self.principal!r}, expires_at={self.expires_at!r})"


class Accounts:
    def __init__(self, engine: Engine, clock: Clock, trail: AuditTrail, *,
                 hasher: PasswordHasher = DEFAULT_HASHER,
                 cache: CredentialCache | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self.trail = trail
        self.hasher = hasher
        self.cache = cache  # a server's on PostgreSQL, kept current by its listener

    @contextmanager
    def _write(self) -> Iterator[Recording]:
        with self.trail.begin(self.engine) as tx:
            yield tx
        if self.cache is not None:  # at once in this process; the others are notified
            self.cache.clear()

    def _audit(self, tx: Recording, actor: str, action: str, kind: str, subject: str,
               before: Any, after: Any) -> None:
        tx.append(Entry(actor, action, kind, subject, before=before, after=after),
                  self.clock.now())

    def _read(self, fn: Callable[[Connection], T]) -> T:
        with reading(self.engine) as conn:
            return fn(conn)

    # --- accounts ------------------------------------------------------------------------

    def add_user(self, cmd: NewUser, actor: str) -> a.User:
        with self._write() as tx:
            user = a.create_user(tx.conn, cmd, self.clock.now(), self.hasher)
            self._audit(tx, actor, "user.create", "user", user.username, None, user.to_json())
        return user

    def disable_user(self, username: str, actor: str) -> a.User:
        with self._write() as tx:
            before, after = a.disable_user(tx.conn, username, self.clock.now())
            self._audit(tx, actor, "user.disable", "user", username, before.to_json(),
                        after.to_json())
        return after

    def set_password(self, cmd: NewPassword, actor: str) -> a.User:
        with self._write() as tx:
            before, after = a.set_password(tx.conn, cmd.username,
                                           cmd.password.get_secret_value(), self.hasher)
            self._audit(tx, actor, "user.password", "user", cmd.username, before.to_json(),
                        after.to_json())
        return after

    def user(self, username: str) -> a.User:
        return self._read(lambda conn: a.get_user(conn, username))

    def users(self) -> list[a.User]:
        return self._read(a.list_users)

    # --- API tokens ----------------------------------------------------------------------

    def issue_token(self, cmd: NewToken, actor: str) -> a.IssuedToken:
        """A new API token; its clear text is in the result only (store the digest)."""
        with self._write() as tx:
            issued = a.issue_token(tx.conn, cmd, self.clock.now())
            self._audit(tx, actor, "token.issue", "api_token", str(issued.info.id), None,
                        issued.info.to_json())
        return issued

    def revoke_token(self, token_id: int, actor: str) -> a.TokenInfo:
        with self._write() as tx:
            before, after = a.revoke_token(tx.conn, token_id, self.clock.now())
            self._audit(tx, actor, "token.revoke", "api_token", str(token_id),
                        before.to_json(), after.to_json())
        return after

    def tokens(self, username: str | None = None) -> list[a.TokenInfo]:
        return self._read(lambda conn: a.list_tokens(conn, username))

    def resolve_token(self, token: str) -> Principal | None:
        """The principal of a bearer token (live, of an active account), or None."""
        return self._resolve(TOKEN_PREFIX, token)

    def _resolve(self, prefix: str, token: str) -> Principal | None:
        """A token's or a session's principal, from the cache when it holds it."""
        if not looks_like(token, prefix):
            return None
        hashed, cache = digest(token), self.cache
        found = None if cache is None else cache.get(hashed)
        if found is None:
            generation = 0 if cache is None else cache.generation
            found = self._read(lambda conn: a.holder(conn, prefix, hashed))
            if found is not None and cache is not None:
                cache.put(hashed, found, generation)
        return a.alive(found, self.clock.now())

    # --- web sessions --------------------------------------------------------------------

    def sign_in(self, username: str, password: str,
                ttl: timedelta = SESSION_TTL) -> Session | None:
        """Check the password and open a session; None on any failure (the same for all)."""
        with self._write() as tx:
            principal = a.authenticate(tx.conn, username, password, self.hasher)
            if principal is None:
                return None
            token, expires = a.open_session(tx.conn, username, self.clock.now(), ttl)
            self._audit(tx, username, "session.open", "user", username, None,
                        {"expires_at": expires})
        return Session(token, principal, expires)

    def resolve_session(self, token: str) -> Principal | None:
        return self._resolve(SESSION_PREFIX, token)

    def sign_out(self, token: str) -> bool:
        with self._write() as tx:
            username = a.close_session(tx.conn, token)
            if username is None:
                return False
            self._audit(tx, username, "session.close", "user", username, None, None)
        return True
