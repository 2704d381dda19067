"""Passwords (argon2id) and bearer secrets (API tokens, session tokens), without storage.

Passwords are hashed with argon2id at argon2-cffi's defaults (RFC 9106's low-memory
profile); a hash made with older parameters is replaced at the next sign-in. Tokens
are 256 random bits; only their SHA-256 digest is stored, so a copy of the database
gives no usable token.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "agt_"  # API tokens
SESSION_PREFIX = "ags_"  # web sessions

DEFAULT_HASHER = PasswordHasher()


def hash_password(password: str, hasher: PasswordHasher = DEFAULT_HASHER) -> str:
    return hasher.hash(password)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class PasswordCheck:
    ok: bool
    rehash: str | None = None  # a new hash to store when the parameters have changed


def check_password(stored: str | None, password: str,
                   hasher: PasswordHasher = DEFAULT_HASHER) -> PasswordCheck:
    """Verify in constant time; an account without a password costs the same as a wrong one."""
    if stored is None:
        with contextlib.suppress(VerificationError):
            hasher.verify(_dummy_hash(hasher), password)
        return PasswordCheck(False)
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return PasswordCheck(False)
    rehash = hasher.hash(password) if hasher.check_needs_rehash(stored) else None
    return PasswordCheck(True, rehash)


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a token or session is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def forgery_token(session: str) -> str:
    """The anti-forgery token of a web session: what a form (or an `X-CSRF-Token` header)
    sent with the session's cookie must carry, proof that the page came from this site. A
    digest of the session's secret under its own label, so it reveals neither the secret
    nor the digest it is stored under, and another site, which cannot read the cookie,
    cannot make it."""
    return hashlib.sha256(b"armsgate anti-forgery\0" + session.encode("utf-8")).hexdigest()


def new_secret(prefix: str) -> tuple[str, str]:
    """A fresh bearer secret and its digest; the clear secret is shown once, never stored."""
    clear = prefix + secrets.token_urlsafe(32)
    return clear, digest(clear)


def looks_like(secret: str, prefix: str) -> bool:
    return secret.startswith(prefix) and 40 <= len(secret) <= 100
