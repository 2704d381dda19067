"""The two files of the audit trail that live outside the database: the key and the head.

The key file holds the HMAC secrets, one per line (each at least 32 bytes; surrounding
whitespace is ignored, so `openssl rand -hex 32 > FILE` works), and must not be readable
by group or others. Key number 1 is the first line; `armsgate audit rotate-key` appends
the next one, which a rotation row of the chain puts in force (`audit.chain`).

The head file holds the chain's last seq and hash as JSON; it is
rewritten atomically after each commit, under a lock, and never moves backwards.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from armsgate.audit.chain import Head
from armsgate.errors import InputError, StoreError

KEY_SETTING = "ARMSGATE_AUDIT_KEY_FILE"
HEAD_SETTING = "ARMSGATE_AUDIT_HEAD_FILE"
KEY_MIN_BYTES = 32


def key_problem(path: Path, *, required: bool) -> str | None:
    """Why the key file is unusable, or None. A missing file is a problem only if required."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if not required:
            return None
        return (f"no audit key at {path}: on PostgreSQL the key is provisioned outside the "
                f"database, e.g. `(umask 077; openssl rand -hex 32 > {path})`")
    except OSError as exc:
        return f"cannot read the audit key at {path}: {exc.strerror}"
    if not stat.S_ISREG(info.st_mode):
        return f"the audit key {path} is not a regular file"
    if info.st_mode & 0o077:
        return (f"the audit key {path} is readable by group or others "
                f"(mode {stat.S_IMODE(info.st_mode):04o}): chmod 600 it")
    if info.st_size < KEY_MIN_BYTES:
        return f"the audit key {path} is shorter than {KEY_MIN_BYTES} bytes"
    return None


def load_key(path: Path) -> bytes:
    """The first HMAC secret (key number 1) of the key file."""
    return load_keys(path)[0]


def load_keys(path: Path) -> tuple[bytes, ...]:
    """The HMAC secrets, key number 1 first; a missing key on an initialised store means
    `armsgate init` was not run."""
    problem = key_problem(path, required=False)
    if problem:
        raise InputError(KEY_SETTING, problem)
    try:
        keys = tuple(line.strip() for line in path.read_bytes().splitlines() if line.strip())
    except FileNotFoundError:
        raise StoreError(f"no audit key at {path}: run `armsgate init`") from None
    except OSError as exc:
        raise InputError(KEY_SETTING, f"cannot read {path}: {exc.strerror}") from None
    short = [n for n, key in enumerate(keys, 1) if len(key) < KEY_MIN_BYTES]
    if not keys or short:
        which = f"key {short[0]} of " if short and len(keys) > 1 else ""
        raise InputError(KEY_SETTING, f"{which}the audit key {path} is shorter than "
                                      f"{KEY_MIN_BYTES} bytes")
    return keys


def add_key(path: Path) -> int:
    """Append a new random key to the key file (replaced atomically, mode 0600, synced);
    its number. The key is not in force until a rotation row says so."""
    keys = load_keys(path)
    text = b"".join(key + b"\n" for key in keys) + secrets.token_hex(KEY_MIN_BYTES).encode()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(text + b"\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(KEY_SETTING, f"cannot write {path}: {exc.strerror}") from None
    return len(keys) + 1


def create_key(path: Path) -> bool:
    """Write a new random key (mode 0600) where none is; True if one was made."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    except OSError as exc:
        raise InputError(KEY_SETTING, f"cannot create {path}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(KEY_MIN_BYTES) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return True


def read_head(path: Path) -> Head | None:
    """The recorded head, or None when none was recorded yet."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise InputError(HEAD_SETTING, f"cannot read the audit head {path}: {exc}") from None
    seq = doc.get("seq") if isinstance(doc, dict) else None
    digest = doc.get("hash") if isinstance(doc, dict) else None
    if not isinstance(seq, int) or not isinstance(digest, str):
        raise InputError(HEAD_SETTING, f"{path} is not an audit head (seq, hash)")
    return Head(seq, digest)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock = path.with_name(path.name + ".lock")
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_head(path: Path, head: Head, *, sync: bool = True) -> bool:
    """Record `head` if it is past the recorded one (never backwards); True if written.

    Called after the commit of the transaction that appended the row. Concurrent
    writers are serialised by a lock file beside it; the file is replaced atomically, and
    synced to disk first unless `sync` is false (a temporary store's trail).
    """
    try:
        with _locked(path):
            current = read_head(path)
            if current is not None and current.seq >= head.seq:
                return False
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with open(tmp, "w", encoding="utf-8") as out:
                json.dump({"seq": head.seq, "hash": head.hash}, out)
                out.write("\n")
                out.flush()
                if sync:
                    os.fsync(out.fileno())
            os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(f"cannot record the audit head at {path}: {exc.strerror}") from None
    return True
