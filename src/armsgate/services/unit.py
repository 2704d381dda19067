"""One unit of work: a transaction, the day it acts on, its event, and the world it sees.

Every command of the service runs inside one `Unit`: time is first observed up
to the day (what time changes by itself is applied), then the command's event
is appended to the log, then its effect is written, then what it can touch is
re-assessed. If anything fails, the transaction is rolled back whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Integer, String, bindparam, cast, select, update

from armsgate.domain.model import Application, ConsentRequest
from armsgate.rules.names import NameMatcher
from armsgate.rules.world import DayView, World
from armsgate.services import auditing
from armsgate.services.heap import BULK, settle
from armsgate.services.reassess import (
    ChangeReport,
    Scope,
    live_licences_in,
    pending_in,
    reassess,
)
from armsgate.store import schema as t
from armsgate.store.repository import WORLD_PARTS, load_applications, load_hits
from armsgate.store.statements import select_all

if TYPE_CHECKING:
    from armsgate.audit.chain import Row as AuditRow
    from armsgate.audit.trail import AuditTrail
    from armsgate.rules.engine import Assessment
    from armsgate.services.screening import Screener


class ApplicationCache:
    """Applications change only by amendment, so each process keeps those it has loaded;
    when the store's count of amendments moved (`sync`), it forgets those whose latest
    amendment is not the one it saw last time."""

    def __init__(self, limit: int = 200_000) -> None:
        self._apps: dict[str, Application] = {}
        self._limit = limit
        self._amendments: str | None = None
        self._amended: dict[str, int] = {}  # application -> its latest amendment's event

    def sync(self, conn: Connection, amendments: str | None) -> None:
        """Forget the applications amended since the last look (meta `amendments`)."""
        if amendments == self._amendments:
            return
        amended: dict[str, int] = {i: seq for i, seq in conn.execute(_AMENDED)}
        self.forget(i for i, seq in amended.items() if self._amended.get(i) != seq)
        self._amended = amended
        self._amendments = amendments

    @property
    def epoch(self) -> str | None:
        """The count of amendments last seen (`sync`): what `keep` is checked against."""
        return self._amendments

    def load(self, conn: Connection, ids: Iterable[str]) -> Mapping[str, Application]:
        epoch = self._amendments
        wanted = list(ids)
        missing = [i for i in wanted if i not in self._apps]
        loaded = load_applications(conn, missing) if missing else {}
        self.keep(loaded, epoch)
        found = {i: app for i in wanted if (app := loaded.get(i) or self._apps.get(i))}
        if len(found) < len(wanted):  # dropped by another thread meanwhile: read again
            found.update(load_applications(conn, [i for i in wanted if i not in found]))
        return {i: found[i] for i in wanted}

    def keep(self, apps: Mapping[str, Application], epoch: str | None) -> None:
        """Keep `apps`, read (or, by a unit, written and committed) since `epoch`, unless a
        thread saw an amendment meanwhile: one committed after they were read, and
        forgotten by a `sync` before they are kept, would stay stale."""
        if self._amendments != epoch or not apps:
            return
        if len(self._apps) + len(apps) > self._limit:
            self._apps.clear()
        self._apps.update(apps)
        if len(apps) >= BULK:
            settle()

    def forget(self, ids: Iterable[str]) -> None:
        for i in ids:
            self._apps.pop(i, None)


class UnitCache:
    """The process's `ApplicationCache` as one unit sees it: the applications the unit
    wrote (`put`: a submission, an amendment) are seen by the unit at once and by the rest
    of the process only when the unit has committed (`Authority` keeps them then); a
    unit rolled back leaves nothing of them behind, and no other thread reads them before
    they are committed."""

    def __init__(self, shared: ApplicationCache) -> None:
        self.shared = shared
        self.epoch = shared.epoch  # the unit's `sync` was the last before it
        self.written: dict[str, Application] = {}

    def load(self, conn: Connection, ids: Iterable[str]) -> Mapping[str, Application]:
        wanted = list(ids)
        rest = [i for i in wanted if i not in self.written]
        found = self.shared.load(conn, rest) if rest else {}
        return {i: self.written[i] if i in self.written else found[i] for i in wanted}

    def put(self, app: Application) -> None:
        self.written[app.id] = app

    def forget(self, ids: Iterable[str]) -> None:
        """Forget them in the process (another process may have changed them); what the
        unit wrote of them is read again through its own connection."""
        ids = list(ids)
        self.shared.forget(ids)
        for i in ids:
            self.written.pop(i, None)


@dataclass
class Unit:
    conn: Connection
    day: date
    now: datetime
    actor: str
    world: World
    matcher: NameMatcher
    cache: UnitCache
    screener: Screener
    views: list[DayView] = field(default_factory=list)  # shared by the service's units
    meta: dict[str, str] | None = None  # the store's meta rows at the start, if read
    seq: int = 0
    world_changed: bool = False
    report: ChangeReport = field(default_factory=ChangeReport)
    # Consents this unit asked for, and those that time made overdue (notifications).
    consents_requested: list[ConsentRequest] = field(default_factory=list)
    consents_overdue: list[ConsentRequest] = field(default_factory=list)
    trail: AuditTrail | None = None  # None: no audit trail (library use without an edge)
    assessment: Assessment | None = None  # the assessment the command made, if any
    audit_last: AuditRow | None = None  # the last audit row appended, for the head file
    _view: DayView | None = None
    _event: tuple[str, dict[str, Any]] | None = None

    def view(self) -> DayView:
        """The view of the unit's world on its day, reused while neither changes."""
        if self._view is not None and self._view.world is self.world:
            return self._view
        for view in self.views:
            if view.world is self.world and view.day == self.day:
                self._view = view
                return view
        self._view = DayView(self.world, self.day, self.matcher)
        self.views[:] = [*self.views[-3:], self._view]
        return self._view

    def event(self, kind: str, payload: Mapping[str, Any], *, day: date | None = None,
              valid_from_start: bool = False) -> int:
        """Append the command to the log; its sequence number orders it among all others."""
        result = self.conn.execute(_EVENT, {
            "kind": kind, "day": None if valid_from_start else (day or self.day),
            "recorded_at": self.now, "actor": self.actor, "payload": dict(payload)})
        key = result.inserted_primary_key
        assert key is not None
        self.seq = int(key[0])
        self._event = (kind, dict(payload))
        return self.seq

    def refresh(self, *parts: str) -> None:
        """Reload the parts of the world this unit changed, and mark the world as changed."""
        loaded = {p: WORLD_PARTS[p](self.conn) for p in parts if p != "hits"}
        if "hits" in parts:  # with the parties as they now are
            loaded["hits"] = load_hits(self.conn, loaded.get("parties", self.world.parties))
        self.world = dataclasses.replace(self.world, **loaded)
        self.world_changed = True

    def reassess(self, *scopes: Scope) -> ChangeReport:
        pending = pending_in(self.conn, scopes)
        licences = live_licences_in(self.conn, scopes)
        report = reassess(self.conn, self.view(), self.seq, pending, licences)
        self.report.add(report)
        return report

    def finish(self) -> int | None:
        """Record what the unit's event examined and changed (nothing recorded: it changed
        no state); bump the world version if the world changed, returning the new version."""
        r = self.report
        if self.seq and (r.changes or r.examined_applications or r.examined_licences):
            self.conn.execute(_OUTCOME, {"s": self.seq, "outcome": r.summary()})
        if self.seq and self.trail is not None and self._event is not None:
            for entry in auditing.entries(self.actor, *self._event, self.seq, r,
                                          self.assessment):
                self.audit_last = self.trail.append(self.conn, entry, self.now, wrote=True)
        if self.world_changed:
            self.world_changed = False
            known = None if self.meta is None else "world_version" in self.meta
            version = bump_world_version(self.conn, exists=known)
            if self.meta is not None:
                self.meta["world_version"] = str(version)
            return version
        return None

    def next_command(self) -> None:
        """Start afresh after observing time: no event, report or assessment yet."""
        self.seq, self.assessment, self._event = 0, None, None
        self.report = ChangeReport(day=self.day)
        self.consents_requested, self.consents_overdue = [], []

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value, in one statement when the unit read the meta rows at its start."""
        if self.meta is None:
            set_meta(self.conn, key, value)
            return
        self.conn.execute(_SET_META if key in self.meta else _ADD_META, {"k": key, "v": value})
        self.meta[key] = value


_AMENDED = select(t.applications.c.id, t.applications.c.amended_seq).where(
    t.applications.c.amended_seq.is_not(None))

# Statements run by every command, built once (building a statement costs more than
# running it on a small table).
_GET_META = select(t.meta.c.value).where(t.meta.c.key == bindparam("k"))
_ADD_META = t.meta.insert().values(key=bindparam("k"), value=bindparam("v"))
_SET_META = update(t.meta).where(t.meta.c.key == bindparam("k")).values(value=bindparam("v"))
_EVENT = t.events.insert().values(
    kind=bindparam("kind"), day=bindparam("day"), recorded_at=bindparam("recorded_at"),
    actor=bindparam("actor"), payload=bindparam("payload"))
_BUMP = (update(t.meta).where(t.meta.c.key == "world_version")
         .values(value=cast(cast(t.meta.c.value, Integer) + 1, String)).returning(t.meta.c.value))
_OUTCOME = update(t.events).where(t.events.c.seq == bindparam("s")).values(
    outcome=bindparam("outcome"))


def read_meta(conn: Connection) -> dict[str, str]:
    """Every meta value (a handful of rows), in one statement."""
    return {r.key: r.value for r in conn.execute(select_all(t.meta))}


def get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(_GET_META, {"k": key}).scalar_one_or_none()


def set_meta(conn: Connection, key: str, value: str) -> None:
    if get_meta(conn, key) is None:
        conn.execute(_ADD_META, {"k": key, "v": value})
    else:
        conn.execute(_SET_META, {"k": key, "v": value})


def world_version(conn: Connection) -> int:
    return int(get_meta(conn, "world_version") or 0)


def bump_world_version(conn: Connection, *, exists: bool | None = None) -> int:
    """Increment the version atomically (a concurrent writer waits, then counts on)."""
    if not (exists if exists is not None else get_meta(conn, "world_version") is not None):
        conn.execute(_ADD_META, {"k": "world_version", "v": "0"})
    return int(conn.execute(_BUMP).scalar_one())
