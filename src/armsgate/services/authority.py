"""The licensing authority's service: every command and query of the system.

The CLI, the scenario runner and (later) the HTTP API all call this class, so
there is one code path for every rule and state. Each command is one
transaction: time is observed up to the clock's day, the command's event is
appended, its effect written and what it touches re-assessed.
"""

from __future__ import annotations

import copy
import hashlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from armsgate.audit.trail import AuditTrail
from armsgate.clock import Clock
from armsgate.domain import inputs as i
from armsgate.domain.model import Application, AppState, EmbargoTarget
from armsgate.errors import NotFound
from armsgate.rules.engine import Assessment
from armsgate.rules.names import NameMatcher
from armsgate.rules.working_days import Deadlines
from armsgate.rules.world import DayView, World
from armsgate.screening.matcher import NameQuery, ScoredMatch
from armsgate.services import (
    case_view,
    cases,
    consent_requests,
    history,
    lists,
    notices,
    registers,
    screening,
    workflow,
    world_changes,
)
from armsgate.services.amendments import AMENDMENTS
from armsgate.services.assessed import Assessed
from armsgate.services.mass import previewed
from armsgate.services.observe import OBSERVED, next_change, observe
from armsgate.services.reassess import ChangeReport
from armsgate.services.review import ReviewCommands
from armsgate.services.screening import EntryRef, Screener
from armsgate.services.unit import (
    ApplicationCache,
    Unit,
    UnitCache,
    get_meta,
    read_meta,
    world_version,
)
from armsgate.settings import DEFAULT_AUTHORITY
from armsgate.store import schema as t
from armsgate.store.database import reading
from armsgate.store.repository import load_world
from armsgate.store.statements import by_id, by_ids, list_value


class Authority(ReviewCommands):
    def __init__(self, engine: Engine, clock: Clock, *, matcher: NameMatcher | None = None,
                 actor: str = "system", trail: AuditTrail | None = None,
                 deadlines: Deadlines | None = None,
                 authority_name: str = DEFAULT_AUTHORITY, renew: bool = False) -> None:
        """`trail`: the audit trail every change is recorded in (each edge passes one;
        without it, as in the benchmarks' library use, changes are not audited).
        `deadlines`: the review workflow's time limits (settings; default 15 working
        days for a consent, 30 days for an appeal). `renew`: after a change of the world,
        judge again the cases this process had judged (a server, whose pages list many
        cases, `services/assessed.py`), rather than on the next read."""
        self.engine = engine
        self._known_observed: date | None = None  # a day the store is known to have observed
        self.deadlines = deadlines or Deadlines()
        self.authority_name = authority_name
        self.trail = trail
        self.clock = clock
        self.screener = Screener()
        self.matcher: NameMatcher = matcher or self.screener.matcher
        self.actor = actor
        self._cache = ApplicationCache()
        self._assessed = Assessed(self.matcher)
        self._renew = renew
        self._world: tuple[int, World] | None = None
        self._views: list[DayView] = []

    # --- plumbing ------------------------------------------------------------------------

    def _load_world(self, conn: Any, meta: dict[str, str] | None = None) -> tuple[int, World]:
        version = world_version(conn) if meta is None else int(meta.get("world_version", 0))
        if self._world is None or self._world[0] != version:
            self._world = (version, load_world(conn))
        return self._world

    @contextmanager
    def unit(self, actor: str | None = None) -> Iterator[Unit]:
        """One transaction on the clock's day, with time observed first."""
        with self.engine.begin() as conn:
            meta = read_meta(conn)
            self._cache.sync(conn, meta.get(AMENDMENTS))
            version, world = self._load_world(conn, meta)
            u = Unit(conn, self.clock.today(), self.clock.now(), actor or self.actor, world,
                     self.matcher, UnitCache(self._cache), self.screener, self._views,
                     meta=meta,
                     trail=self.trail)
            observe(u)
            notices.queue(u, self.authority_name)
            u.finish()
            u.next_command()
            try:
                yield u
                notices.queue(u, self.authority_name)
                new_version = u.finish()
            except BaseException:
                self._world = None
                raise
        self._record_head(u)
        self._after_commit(u, version, new_version)

    # --- commands ------------------------------------------------------------------------

    def import_registers(self, reg: i.RegistersIn, *, prefix: str = "") -> dict[str, Counter[str]]:
        with self.unit() as u:
            return registers.import_registers(u, reg, prefix=prefix)

    # Commands on a case take the version the user saw (`expected_version`; None: any)
    # and raise `Conflict` when the case changed since (services/case_state.py).

    def submit(self, cmd: i.Submit) -> Assessment:
        """Submit an application; consents are requested from the bodies it needs."""
        with self.unit() as u:
            return workflow.submit(u, cmd, self.deadlines)

    def consent(self, cmd: i.ConsentIn, *, expected_version: int | None = None) -> None:
        with self.unit() as u:
            cases.consent(u, cmd, expected_version)

    def decide(self, cmd: i.Decide, *, expected_version: int | None = None) -> AppState:
        with self.unit() as u:
            return cases.decide(u, cmd, expected_version)

    # Mass actions: `preview=True` reports what the action would do and writes nothing;
    # `expect=` a preview's fingerprint applies it only if it still does exactly that.

    def resolve(self, cmd: i.ResolveIn, *, preview: bool = False, expect: str | None = None,
                expected_version: int | None = None) -> ChangeReport:
        return previewed(self.unit, lambda u: cases.resolve(u, cmd, expected_version),
                         preview=preview, expect=expect)

    def suspend(self, cmd: i.Suspend, *, basis: str = "", preview: bool = False,
                expect: str | None = None) -> ChangeReport:
        return previewed(self.unit, lambda u: world_changes.suspend(u, cmd, basis=basis),
                         preview=preview, expect=expect)

    def lift(self, cmd: i.Lift, *, preview: bool = False,
             expect: str | None = None) -> ChangeReport:
        return previewed(self.unit, lambda u: world_changes.lift(u, cmd), preview=preview,
                         expect=expect)

    def embargo(self, cmd: i.EmbargoStep, *, target: EmbargoTarget = EmbargoTarget.GOVERNMENT,
                basis: str = "") -> ChangeReport:
        with self.unit() as u:
            return world_changes.embargo(u, cmd, target=target, basis=basis)

    def conflict(self, cmd: i.ConflictStep) -> ChangeReport:
        with self.unit() as u:
            return world_changes.conflict(u, cmd)

    def peace(self, cmd: i.Peace) -> ChangeReport:
        with self.unit() as u:
            return world_changes.peace(u, cmd)

    def move_list(self, cmd: i.ListMove) -> ChangeReport:
        with self.unit() as u:
            return world_changes.move_list(u, cmd)

    def sanction(self, cmd: i.Sanction) -> ChangeReport:
        with self.unit() as u:
            return world_changes.sanction(u, cmd)

    def set_policy(self, cmd: i.PolicyIn) -> ChangeReport:
        with self.unit() as u:
            return world_changes.set_policy(u, cmd, self.deadlines)

    def import_list(self, path: Path, fmt: str, list_name: str | None = None,
                    progress: lists.Progress | None = None) -> lists.ListImport:
        """Import a list's file as a new version of the list; parties are screened against
        what it adds or changes."""
        from armsgate.screening.sources import parse

        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        records = list(parse(fmt, path, list_name=list_name))
        name = list_name or (records[0].list if records else path.stem)
        with self.unit() as u:
            return lists.import_list(u, records, list_name=name, fmt=fmt, file_name=str(path),
                                     file_sha256=digest, progress=progress)

    def dismiss_hit(self, party_id: str, entry_pk: int, reason: str) -> None:
        """Mark a screening hit as a false positive, until the party or the entry changes."""
        with self.unit() as u:
            screening.dismiss(u, party_id, entry_pk, reason)

    def screen(self, query: NameQuery, *, include_non_matches: bool = False
               ) -> list[tuple[EntryRef, ScoredMatch]]:
        """The entries in force today that match the query (the index is loaded from the
        store, or built and saved there, once per process and list change)."""
        return self.screener.lookup(self.engine, query, self.clock.today(),
                                    include_non_matches=include_non_matches)

    def list_versions(self, list_name: str | None = None) -> list[dict[str, Any]]:
        with reading(self.engine) as conn:
            return lists.versions(conn, list_name)

    def list_diff(self, list_name: str, before: int, after: int) -> dict[str, Any]:
        with reading(self.engine) as conn:
            return lists.diff(conn, list_name, before, after)

    def current(self) -> None:
        """Reads show the state as of the clock: if the store has not yet observed today
        (the scheduled job runs when the day moves, but a read may come first), observe."""
        today = self.clock.today()
        if self._known_observed is not None and self._known_observed >= today:
            return
        with reading(self.engine) as conn:
            value = get_meta(conn, OBSERVED)
        if value is None or date.fromisoformat(value) < today:
            self.acting_as("time").observe()
        self._known_observed = today

    def observe(self) -> ChangeReport:
        """The scheduled job: apply what time has changed up to the clock's day."""
        with self.engine.begin() as conn:
            meta = read_meta(conn)
            self._cache.sync(conn, meta.get(AMENDMENTS))
            version, world = self._load_world(conn, meta)
            u = Unit(conn, self.clock.today(), self.clock.now(), self.actor, world,
                     self.matcher, UnitCache(self._cache), self.screener, self._views,
                     meta=meta,
                     trail=self.trail)
            report = observe(u)
            notices.queue(u, self.authority_name)
            new_version = u.finish()
        self._record_head(u)
        self._after_commit(u, version, new_version)
        return report

    def _after_commit(self, u: Unit, version: int, new_version: int | None) -> None:
        """The applications the unit wrote and the world it left, kept for the next reads;
        and, in a server, the kept assessments judged again in it (a new day, a change of
        the world)."""
        self._cache.keep(u.cache.written, u.cache.epoch)
        if new_version is not None:
            self._world = (new_version, u.world) if new_version == version + 1 else None
        if self._renew and self._world is not None:
            self._assessed.renew(self._world[1], u.day)

    def refresh(self) -> None:
        """Judge again the kept cases if the world or the day moved since they were judged,
        by a change another process made: what `renew` does after this process's own
        commit, for a server's scheduled job (one read of the world's version when nothing
        moved), so that a page is not the one to pay for it."""
        world = self.world()
        self._assessed.renew(world, self.clock.today())

    def _record_head(self, u: Unit) -> None:
        """After the commit: the audit trail's head, outside the database."""
        if self.trail is not None and u.audit_last is not None:
            self.trail.record_head(u.audit_last)

    # --- queries -------------------------------------------------------------------------

    def world(self) -> World:
        with reading(self.engine) as conn:
            return self._load_world(conn)[1]

    def assess(self, app_id: str, day: date | None = None) -> Assessment:
        """Judge an application with the facts in force on `day` as the store knows them now."""
        return self.judged(app_id, day)[1]

    def judged(self, app_id: str, day: date | None = None) -> tuple[Application, Assessment]:
        """The application and its assessment on `day` (as `assess`)."""
        apps, judged = self._judge([app_id], day)
        if app_id not in apps:
            raise NotFound("application", f"no application {app_id!r}")
        return apps[app_id], judged[app_id]

    def assess_many(self, app_ids: Sequence[str], day: date | None = None
                    ) -> dict[str, Assessment]:
        """Judge the applications among `app_ids` that exist, on `day`, as `assess` judges
        one, with one view and the process's cache of applications (a page's rows)."""
        return self._judge(app_ids, day)[1]

    def _judge(self, app_ids: Sequence[str], day: date | None
               ) -> tuple[Mapping[str, Application], dict[str, Assessment]]:
        if not app_ids:
            return {}, {}
        with reading(self.engine) as conn:
            meta = read_meta(conn)
            self._cache.sync(conn, meta.get(AMENDMENTS))
            world = self._load_world(conn, meta)[1]
            known = set(conn.execute(by_ids(conn.dialect.name, t.applications, "id", "id"),
                                     {"ids": list_value(conn, app_ids)}).scalars())
            apps = self._cache.load(conn, [i for i in app_ids if i in known])
        return apps, self._assessed.of(apps, world, day or self.clock.today())

    def case(self, app_id: str) -> dict[str, Any]:
        """An application's record: state, reasons, opinions, licence, history and the
        screening of its parties (the certificate's issuer too)."""
        self.current()
        with reading(self.engine) as conn:
            return case_view.record(conn, app_id, self.clock.today())

    def application(self, app_id: str) -> dict[str, Any]:
        """An application's record alone: its state, reasons and what was submitted."""
        self.current()
        with reading(self.engine) as conn:
            row = self._application_row(conn, app_id)
        return {k: row[k] for k in case_view.RECORD_COLUMNS}

    def _application_row(self, conn: Any, app_id: str) -> Any:
        row = conn.execute(by_id(t.applications), {"id": app_id}).mappings().first()
        if row is None:
            raise NotFound("application", f"no application {app_id!r}")
        return row

    def licence(self, licence_id: str) -> dict[str, Any]:
        self.current()
        with reading(self.engine) as conn:
            row = conn.execute(by_id(t.licences), {"id": licence_id}).mappings().first()
        if row is None:
            raise NotFound("licence", f"no licence {licence_id!r}")
        return dict(row)

    def case_on(self, app_id: str, day: date) -> dict[str, Any]:
        """The case replayed to `day`: its state and its licence's then, and the changes."""
        with reading(self.engine) as conn:
            return history.case_on(conn, app_id, day)

    def acting_as(self, actor: str) -> Authority:
        """This service acting for one user (the API's callers): the same store, caches
        and audit trail, with `actor` recorded on what it changes."""
        clone = copy.copy(self)
        clone.actor = actor
        return clone

    def cases(self, *, state: str | None = None, exporter: str | None = None,
              destination: str | None = None, body: str | None = None, limit: int = 100,
              offset: int = 0) -> list[dict[str, Any]]:
        """Cases in submission order; `body`: only those a consenting body was asked about."""
        self.current()
        with reading(self.engine) as conn:
            return case_view.page(conn, state=state, exporter=exporter,
                                  destination=destination, body=body, limit=limit,
                                  offset=offset)

    def counts(self) -> dict[str, dict[str, int]]:
        self.current()
        with reading(self.engine) as conn:
            apps = conn.execute(select(t.applications.c.state, func.count())
                                .group_by(t.applications.c.state)).all()
            lics = conn.execute(select(t.licences.c.state, func.count())
                                .group_by(t.licences.c.state)).all()
        return {"applications": {s: n for s, n in apps}, "licences": {s: n for s, n in lics}}

    def next_change(self) -> date | None:
        """The next day on which something changes by itself (an order's end, an expiry,
        a consent becoming overdue)."""
        with reading(self.engine) as conn:
            world = self._load_world(conn)[1]
            today = self.clock.today()
            expiry = conn.execute(select(func.min(t.licences.c.expires_on)).where(
                t.licences.c.state.in_(["active", "suspended"]),
                t.licences.c.expires_on > today)).scalar_one_or_none()
            overdue = consent_requests.next_overdue(conn, today)
        days = [d for d in (next_change(world, today), expiry, overdue) if d is not None]
        return min(days) if days else None
