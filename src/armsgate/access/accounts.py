"""Accounts, API tokens and web sessions on a connection, inside the caller's transaction.

Each write returns what the audit trail records (the account before and after);
`access.service.Accounts` wraps them in one transaction each, with their audit rows.
Images never carry a password hash, a token or a digest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.engine import RowMapping

from armsgate.access.credentials import (
    DEFAULT_HASHER,
    SESSION_PREFIX,
    TOKEN_PREFIX,
    check_password,
    digest,
    hash_password,
    looks_like,
    new_secret,
)
from armsgate.access.inputs import NewToken, NewUser
from armsgate.access.roles import Principal, UserRole
from armsgate.audit.chain import utc
from armsgate.errors import InputError, NotFound
from armsgate.store import schema as t


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    email: str
    role: UserRole
    body: str | None
    party_id: str | None
    active: bool
    has_password: bool
    created_at: datetime

    def principal(self) -> Principal:
        return Principal(self.username, self.role, self.body, self.party_id)

    def to_json(self) -> dict[str, Any]:
        return {"username": self.username, "display_name": self.display_name,
                "email": self.email, "role": self.role.value, "body": self.body,
                "party_id": self.party_id, "active": self.active,
                "has_password": self.has_password, "created_at": utc(self.created_at)}


@dataclass(frozen=True)
class TokenInfo:
    id: int
    username: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        def at(moment: datetime | None) -> datetime | None:
            return None if moment is None else utc(moment)

        return {"id": self.id, "username": self.username, "name": self.name,
                "created_at": at(self.created_at), "expires_at": at(self.expires_at),
                "revoked_at": at(self.revoked_at)}


@dataclass(frozen=True)
class IssuedToken:
    token: str = field(repr=False)  # the clear token: shown once, never stored
    info: TokenInfo


def _user(r: RowMapping) -> User:
    return User(username=r.username, display_name=r.display_name, email=r.email,
                role=UserRole(r.role), body=r.body, party_id=r.party_id, active=r.active,
                has_password=r.password_hash is not None, created_at=utc(r.created_at))


def _token(r: RowMapping) -> TokenInfo:
    def at(moment: datetime | None) -> datetime | None:
        return None if moment is None else utc(moment)

    return TokenInfo(id=r.pk, username=r.username, name=r.name, created_at=utc(r.created_at),
                     expires_at=at(r.expires_at), revoked_at=at(r.revoked_at))


def find_user(conn: Connection, username: str) -> User | None:
    found = conn.execute(select(t.users).where(t.users.c.username == username)).mappings().first()
    return None if found is None else _user(found)


def get_user(conn: Connection, username: str, field: str = "username") -> User:
    user = find_user(conn, username)
    if user is None:
        raise NotFound(field, f"no account {username!r}")
    return user


def list_users(conn: Connection) -> list[User]:
    return [_user(r) for r in conn.execute(select(t.users).order_by(t.users.c.username))
            .mappings()]


def create_user(conn: Connection, cmd: NewUser, now: datetime,
                hasher: PasswordHasher = DEFAULT_HASHER) -> User:
    if find_user(conn, cmd.username) is not None:
        raise InputError("username", f"{cmd.username!r} is taken")
    if cmd.party_id is not None and conn.execute(
            select(t.parties.c.id).where(t.parties.c.id == cmd.party_id)).first() is None:
        raise NotFound("party_id", f"no party {cmd.party_id!r} in the register")
    password = None if cmd.password is None else cmd.password.get_secret_value()
    conn.execute(insert(t.users).values(
        username=cmd.username, display_name=cmd.display_name, email=cmd.email,
        role=cmd.role.value, body=cmd.body, party_id=cmd.party_id,
        password_hash=None if password is None else hash_password(password, hasher),
        active=True, created_at=utc(now)))
    return get_user(conn, cmd.username)


def disable_user(conn: Connection, username: str, now: datetime) -> tuple[User, User]:
    """Disable an account, revoke its tokens and end its sessions; (before, after)."""
    before = get_user(conn, username)
    conn.execute(update(t.users).where(t.users.c.username == username).values(active=False))
    conn.execute(update(t.api_tokens).where(t.api_tokens.c.username == username,
                                            t.api_tokens.c.revoked_at.is_(None))
                 .values(revoked_at=utc(now)))
    conn.execute(delete(t.web_sessions).where(t.web_sessions.c.username == username))
    return before, get_user(conn, username)


def set_password(conn: Connection, username: str, password: str,
                 hasher: PasswordHasher = DEFAULT_HASHER) -> tuple[User, User]:
    """A new password; the account's web sessions end. (before, after)."""
    before = get_user(conn, username)
    conn.execute(update(t.users).where(t.users.c.username == username)
                 .values(password_hash=hash_password(password, hasher)))
    conn.execute(delete(t.web_sessions).where(t.web_sessions.c.username == username))
    return before, get_user(conn, username)


def authenticate(conn: Connection, username: str, password: str,
                 hasher: PasswordHasher = DEFAULT_HASHER) -> Principal | None:
    """The principal if the password is right and the account active; None otherwise.

    Unknown, disabled and password-less accounts cost one argon2 verification too,
    so timing does not tell them apart. An outdated hash is replaced.
    """
    found = conn.execute(select(t.users).where(t.users.c.username == username)).mappings().first()
    check = check_password(None if found is None else found.password_hash, password, hasher)
    if found is None or not check.ok or not found.active:
        return None
    if check.rehash is not None:
        conn.execute(update(t.users).where(t.users.c.username == username)
                     .values(password_hash=check.rehash))
    return _user(found).principal()


def issue_token(conn: Connection, cmd: NewToken, now: datetime) -> IssuedToken:
    user = get_user(conn, cmd.username)
    if not user.active:
        raise InputError("username", f"the account {cmd.username!r} is disabled")
    clear, hashed = new_secret(TOKEN_PREFIX)
    pk = conn.execute(insert(t.api_tokens).values(
        digest=hashed, username=cmd.username, name=cmd.name, created_at=utc(now),
        expires_at=utc(now) + timedelta(days=cmd.days), revoked_at=None)
        .returning(t.api_tokens.c.pk)).scalar_one()
    return IssuedToken(clear, token_info(conn, pk))


def token_info(conn: Connection, token_id: int) -> TokenInfo:
    found = conn.execute(select(t.api_tokens).where(t.api_tokens.c.pk == token_id)).mappings()
    row = found.first()
    if row is None:
        raise NotFound("token", f"no API token {token_id}")
    return _token(row)


def list_tokens(conn: Connection, username: str | None = None) -> list[TokenInfo]:
    query = select(t.api_tokens).order_by(t.api_tokens.c.pk)
    if username is not None:
        query = query.where(t.api_tokens.c.username == username)
    return [_token(r) for r in conn.execute(query).mappings()]


def revoke_token(conn: Connection, token_id: int, now: datetime) -> tuple[TokenInfo, TokenInfo]:
    before = token_info(conn, token_id)
    if before.revoked_at is None:
        conn.execute(update(t.api_tokens).where(t.api_tokens.c.pk == token_id)
                     .values(revoked_at=utc(now)))
    return before, token_info(conn, token_id)


def _secret_statement(table: Any) -> Any:
    """The account of a live secret (an API token or a web session) by its digest: built
    once, as every request asks it."""
    query = (select(t.users, table.c.expires_at.label("secret_expires"))
             .join(table, table.c.username == t.users.c.username)
             .where(table.c.digest == bindparam("digest"), t.users.c.active.is_(True)))
    if table is t.api_tokens:
        query = query.where(t.api_tokens.c.revoked_at.is_(None))
    return query


Holder = tuple[Principal, datetime | None]  # a live secret's account, and its expiry
_BY_SECRET = {t.api_tokens.name: _secret_statement(t.api_tokens),
              t.web_sessions.name: _secret_statement(t.web_sessions)}
_SECRETS = {TOKEN_PREFIX: t.api_tokens, SESSION_PREFIX: t.web_sessions}


def _principal_by(conn: Connection, table: Any, hashed: str) -> Holder | None:
    found = conn.execute(_BY_SECRET[table.name], {"digest": hashed}).mappings().first()
    return None if found is None else (_user(found).principal(), found.secret_expires)


def holder(conn: Connection, prefix: str, hashed: str) -> Holder | None:
    """The account of an API token (`TOKEN_PREFIX`) or a web session (`SESSION_PREFIX`)
    by its digest, with the secret's expiry; None if there is none, or it was revoked, or
    its account is disabled. Expiry is left to `alive`."""
    return _principal_by(conn, _SECRETS[prefix], hashed)


def alive(found: Holder | None, now: datetime) -> Principal | None:
    """The principal of `holder`'s answer if its secret has not expired at `now`."""
    if found is None or (found[1] is not None and utc(found[1]) <= utc(now)):
        return None
    return found[0]


def open_session(conn: Connection, username: str, now: datetime,
                 ttl: timedelta) -> tuple[str, datetime]:
    """A new web session of an (authenticated) account: (clear token, expiry)."""
    clear, hashed = new_secret(SESSION_PREFIX)
    expires = utc(now) + ttl
    conn.execute(insert(t.web_sessions).values(digest=hashed, username=username,
                                               created_at=utc(now), expires_at=expires))
    return clear, expires


def close_session(conn: Connection, token: str) -> str | None:
    """End a session; the username it belonged to, or None if there was none."""
    if not looks_like(token, SESSION_PREFIX):
        return None
    hashed = digest(token)
    found = conn.execute(select(t.web_sessions.c.username)
                         .where(t.web_sessions.c.digest == hashed)).scalar()
    if found is not None:
        conn.execute(delete(t.web_sessions).where(t.web_sessions.c.digest == hashed))
    return found


def purge_sessions(conn: Connection, now: datetime) -> int:
    """Delete expired sessions (for the scheduled job); how many went."""
    return conn.execute(delete(t.web_sessions)
                        .where(t.web_sessions.c.expires_at <= utc(now))).rowcount
