"""The built name index, saved in the store so that a new process loads it, not builds it.

Building the index prepares every listed name (about 5 to 9 s of CPU for UN + OFAC SDN +
EU); loading a saved one takes a fraction of that (docs/performance.md). A saved index is
one row of `screening_index`, keyed by

* the store's screening version (`meta.screening_version`, bumped by every change of the
  entries), so an index is never read for other entries than those it was built from; and
* a digest of the code that builds it (the `armsgate.screening` package, the entries'
  payload in `services.screening`, the Python version) and of the matcher's settings, so
  an index is never read by code that would build another.

The first process that builds the index for the current version saves it, in the
transaction that read the entries (or, for a read-only command, in a short transaction
of its own that checks the version again); the rows of other versions go then. Saving is
a cache: when it fails or loses a race, the index is simply built again next time.

The index is pickled and compressed; it is read back by an unpickler that resolves only
the index's own classes and a few plain containers, so a row altered in the database
cannot make a process run code: it fails to load, and the index is rebuilt and saved.
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import io
import pickle
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

import armsgate.screening
from armsgate.screening.index import NameIndex
from armsgate.screening.matcher import ScoredMatcher
from armsgate.store import schema as t

_PROTOCOL = 5
KEEP_FROM = 5_000  # entries from which an index made is frozen for the collector
_PLAIN = {("builtins", n) for n in ("set", "frozenset", "dict", "list", "tuple", "bytes",
                                    "bytearray", "int", "float", "str", "bool", "complex",
                                    "range", "slice")}
_PLAIN |= {("collections", n) for n in ("Counter", "defaultdict", "OrderedDict", "deque")}
_PLAIN |= {("array", "array"), ("array", "_array_reconstructor")}


@cache
def _code() -> str:
    """A digest of the code the saved form depends on."""
    digest = hashlib.sha256(f"{sys.version_info[:2]} {_PROTOCOL}".encode())
    package = Path(armsgate.screening.__file__).parent
    sources = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc")
    for path in [*sources, Path(__file__).with_name("screening.py")]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def code_key(matcher: ScoredMatcher) -> str:
    """The code digest with the matcher's threshold and weights."""
    settings = repr((matcher.threshold, sorted(matcher.weights.items())))
    return hashlib.sha256(f"{_code()} {settings}".encode()).hexdigest()


class Pause:
    freeze = False  # set by the caller: freeze what is alive when the pause ends


@contextmanager
def paused_gc() -> Iterator[Pause]:
    """The cyclic garbage collector off while many objects are made (it would scan them
    again and again: a quarter of the time of a build). With `freeze` set, what is alive
    then is frozen (`gc.freeze`): a big index lives as long as the process, and the first
    full collection after it would otherwise scan its millions of objects (about a second).
    Small indexes are not frozen (frozen objects are never collected)."""
    was = gc.isenabled()
    gc.disable()
    pause = Pause()
    try:
        yield pause
        if pause.freeze:
            gc.freeze()
    finally:
        if was:
            gc.enable()


def keep(index: NameIndex[Any]) -> bool:
    """Whether an index is big enough to be frozen once made."""
    return len(index) >= KEEP_FROM


def release() -> None:
    """Let the collector see frozen objects again (an index being replaced)."""
    gc.unfreeze()


def the_matcher() -> ScoredMatcher:
    """Stands for the index's matcher in a saved index; the loading process gives its own."""
    raise pickle.UnpicklingError("a saved index is read with `undump`")


def _by_reference(_: ScoredMatcher) -> tuple[Any, tuple[()]]:
    return the_matcher, ()


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, matcher: ScoredMatcher) -> None:
        super().__init__(file)
        self._matcher = matcher

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, "the_matcher"):
            return lambda: self._matcher
        ours = module.startswith("armsgate.screening.") or module == "armsgate.services.screening"
        if (module, name) in _PLAIN or ours:
            found = super().find_class(module, name)
            if (module, name) in _PLAIN or isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a saved index")


def dump(index: NameIndex[Any]) -> bytes:
    """The index pickled (its matcher by reference: a dispatch table entry, so the C pickler
    makes no Python call per object) and compressed."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, ScoredMatcher: _by_reference}
    with paused_gc():
        pickler.dump(index)
    return zlib.compress(buffer.getvalue(), 1)


def undump(data: bytes, matcher: ScoredMatcher) -> NameIndex[Any]:
    with paused_gc() as pause:
        index = _Unpickler(io.BytesIO(zlib.decompress(data)), matcher).load()
        pause.freeze = isinstance(index, NameIndex) and keep(index)
    if not isinstance(index, NameIndex):
        raise pickle.UnpicklingError("not a name index")
    return index


def load(conn: Connection, version: str, matcher: ScoredMatcher) -> NameIndex[Any] | None:
    """The index saved for this screening version and code, if any loads."""
    s = t.screening_index
    data = conn.execute(select(s.c.data).where(s.c.version == version,
                                               s.c.code == code_key(matcher))).scalar()
    if data is None:
        return None
    try:
        return undump(data, matcher)
    except (pickle.UnpicklingError, zlib.error, EOFError, AttributeError, ImportError,
            TypeError, ValueError, IndexError):
        return None  # another build's or a damaged row: rebuilt, then saved over it


def save(conn: Connection, version: str, index: NameIndex[Any]) -> bool:
    """Save the index built for `version` (the caller checks it is the store's in this
    transaction) and drop the others; False when the index cannot be pickled."""
    try:
        data = dump(index)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    s = t.screening_index
    code = code_key(index.matcher)
    conn.execute(delete(s))  # other versions, other code, or a row that did not load
    row = {"version": version, "code": code, "entries": len(index),
           "built_at": datetime.now(UTC), "data": data}
    insert = (postgresql.insert(s) if conn.dialect.name == "postgresql" else sqlite.insert(s))
    conn.execute(insert.values(row).on_conflict_do_nothing())
    return True
