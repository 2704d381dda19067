"""Re-assessing what a change can touch, and reporting what changed.

A change of the world (an embargo, a conflict, a list move, a suspension, a
resolution) or the passing of time has a `Scope`: the destinations and
effective categories it concerns. Only the pending applications and live
licences inside that scope are loaded and judged again, through the same pure
engine as every other assessment, and every state that changes is written,
with the event that caused it, in the caller's transaction.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Date,
    Integer,
    Row,
    Select,
    String,
    Table,
    bindparam,
    exists,
    select,
    update,
)

from armsgate.domain.model import (
    PENDING_STATES,
    Application,
    AppState,
    LicenceState,
    Party,
)
from armsgate.rules.engine import judge
from armsgate.rules.findings import Finding
from armsgate.rules.lifecycle import licence_state_for, state_for
from armsgate.rules.world import DayView
from armsgate.store import schema as t
from armsgate.store.statements import by_ids, in_list, list_value


@dataclass(frozen=True, slots=True)
class Scope:
    """What a change can affect; None means no restriction on that axis."""

    countries: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    applications: frozenset[str] | None = None

    @classmethod
    def everything(cls) -> Scope:
        return cls()


@dataclass(frozen=True, slots=True)
class Change:
    subject: str  # "application" | "licence"
    id: str
    before: str
    after: str
    reasons: tuple[str, ...]
    exporter: str
    destinations: tuple[str, ...]
    value: Decimal


@dataclass
class ChangeReport:
    """What a re-assessment changed: counts by new state, exporter, destination; value."""

    day: date | None = None
    examined_applications: int = 0
    examined_licences: int = 0
    changes: list[Change] = field(default_factory=list)
    fingerprint: str | None = None  # of a mass action's changes (services.mass)

    def add(self, other: ChangeReport) -> None:
        self.examined_applications += other.examined_applications
        self.examined_licences += other.examined_licences
        self.changes.extend(other.changes)

    def summary(self) -> dict[str, Any]:
        by_state: Counter[str] = Counter()
        by_exporter: Counter[str] = Counter()
        by_destination: Counter[str] = Counter()
        value = Decimal(0)
        for c in self.changes:
            by_state[f"{c.subject}:{c.after}"] += 1
            by_exporter[c.exporter] += 1
            for d in c.destinations:
                by_destination[d] += 1
            value += c.value
        return {
            "day": None if self.day is None else self.day.isoformat(),
            "examined": {"applications": self.examined_applications,
                         "licences": self.examined_licences},
            "changed": len(self.changes),
            "by_new_state": dict(sorted(by_state.items())),
            "by_exporter": dict(sorted(by_exporter.items())),
            "by_destination": dict(sorted(by_destination.items())),
            "value_affected_eur": str(value),
            **({"fingerprint": self.fingerprint} if self.fingerprint else {}),
        }


@functools.cache
def _scope_query(dialect: str, table: Table, id_column: str, states: tuple[str, ...],
                 columns: tuple[str, ...], apps: bool, countries: bool, categories: bool
                 ) -> Select[Any]:
    """Rows of `table` in one of `states` inside a scope of this shape, built once; the
    scope's values are bound as :apps, :countries and :categories."""
    key = table.c[id_column]
    conditions: list[ColumnElement[bool]] = [table.c.state.in_(states)]
    if apps:
        conditions.append(in_list(dialect, key, "apps"))
    if countries:
        d = t.application_destinations
        conditions.append(exists().where(d.c.application_id == key,
                                         in_list(dialect, d.c.country, "countries")))
    if categories:
        ln = t.application_lines
        conditions.append(exists().where(ln.c.application_id == key,
                                         in_list(dialect, ln.c.category, "categories")))
    return select(*(table.c[c] for c in columns)).where(*conditions)


def _in_scope(conn: Connection, table: Table, id_column: str, states: tuple[str, ...],
              columns: tuple[str, ...], scopes: Iterable[Scope]) -> Iterator[Row[Any]]:
    for scope in scopes:
        query = _scope_query(conn.dialect.name, table, id_column, states, columns,
                             scope.applications is not None, scope.countries is not None,
                             scope.categories is not None)
        params = {name: list_value(conn, sorted(values)) for name, values in (
            ("apps", scope.applications), ("countries", scope.countries),
            ("categories", scope.categories)) if values is not None}
        yield from conn.execute(query, params)


_PENDING = tuple(s.value for s in PENDING_STATES)
_LIVE = (LicenceState.ACTIVE.value, LicenceState.SUSPENDED.value)


def pending_in(conn: Connection, scopes: Iterable[Scope]) -> dict[str, str]:
    """Pending applications (id -> state) inside any of the scopes."""
    rows = _in_scope(conn, t.applications, "id", _PENDING, ("id", "state"), scopes)
    return {r.id: r.state for r in rows}


LicenceRef = tuple[str, str, date]  # application id, state, first day expired


def live_licences_in(conn: Connection, scopes: Iterable[Scope]) -> dict[str, LicenceRef]:
    """Live licences (id -> (application id, state, expiry)) inside any of the scopes."""
    rows = _in_scope(conn, t.licences, "application_id", _LIVE,
                     ("id", "application_id", "state", "expires_on"), scopes)
    return {r.id: (r.application_id, r.state, r.expires_on) for r in rows}


class Skeleton(NamedTuple):
    """What deciding a state needs of an application: the rest never changes a state."""

    destinations: tuple[str, ...]  # sorted
    categories: frozenset[str]  # effective categories of its lines
    exporter: str
    value: Decimal


def load_skeletons(conn: Connection, ids: Sequence[str]) -> dict[str, Skeleton]:
    """Skeletons of these applications, from the destination and category indexes."""
    dests: dict[str, list[str]] = defaultdict(list)
    cats: dict[str, set[str]] = defaultdict(set)
    d, ln, a = t.application_destinations, t.application_lines, t.applications
    dialect, params = conn.dialect.name, {"ids": list_value(conn, ids)}
    for app_id, country in conn.execute(
            by_ids(dialect, d, "application_id", "application_id", "country"), params).all():
        dests[app_id].append(country)
    for app_id, category in conn.execute(
            by_ids(dialect, ln, "application_id", "application_id", "category"), params).all():
        cats[app_id].add(category)
    return {r.id: Skeleton(tuple(sorted(dests[r.id])), frozenset(cats[r.id]), r.exporter,
                           Decimal(r.value_cents) / 100)
            for r in conn.execute(by_ids(dialect, a, "id", "id", "exporter", "value_cents"),
                                  params).all()}


def reassess(conn: Connection, view: DayView, seq: int, pending: Mapping[str, str],
             licences: Mapping[str, LicenceRef], chunk: int = 5_000) -> ChangeReport:
    """Judge the given applications and licences on the view's day; write what changed.

    States depend only on SPEC.md's steps 1 and 2 (`judge`), so only the skeletons of the
    applications are loaded: destinations, effective categories, exporter and value.
    """
    report = ChangeReport(day=view.day, examined_applications=len(pending),
                          examined_licences=len(licences))
    app_ids = sorted(pending)
    for start in range(0, len(app_ids), chunk):
        ids = app_ids[start:start + chunk]
        skeletons = load_skeletons(conn, ids)
        groups: dict[tuple[str, str, tuple[str, ...]], list[str]] = defaultdict(list)
        for app_id in ids:
            sk = skeletons[app_id]
            before = AppState(pending[app_id])
            outcome, reasons, _ = judge(app_id, sk.destinations, sk.categories, view)
            after, reasons = state_for(before, outcome, reasons)
            if after is not before:
                groups[(before.value, after.value, reasons)].append(app_id)
                report.changes.append(Change("application", app_id, before.value, after.value,
                                             reasons, sk.exporter, sk.destinations, sk.value))
        _write(conn, t.applications, groups, seq, view.day, "application")
    lic_ids = sorted(licences)
    for start in range(0, len(lic_ids), chunk):
        ids = lic_ids[start:start + chunk]
        skeletons = load_skeletons(conn, [licences[i][0] for i in ids])
        groups = defaultdict(list)
        for lic_id in ids:
            app_id, state, expires_on = licences[lic_id]
            sk = skeletons[app_id]
            was = LicenceState(state)
            outcome, reasons, findings = judge(app_id, sk.destinations, sk.categories, view)
            denied = app_id in view.denied
            now = licence_state_for(was, outcome, view.day, denied=denied,
                                    expires_on=expires_on)
            if now is not was:
                why = _licence_reasons(reasons, findings, now, denied)
                groups[(was.value, now.value, why)].append(lic_id)
                report.changes.append(Change("licence", lic_id, was.value, now.value, why,
                                             sk.exporter, sk.destinations, sk.value))
        _write(conn, t.licences, groups, seq, view.day, "licence")
    return report


def _licence_reasons(reasons: tuple[str, ...], findings: list[Finding], after: LicenceState,
                     denied: bool) -> tuple[str, ...]:
    if after is LicenceState.REVOKED:
        return (*reasons, *(("nsc-denied",) if denied else ()))
    if after is LicenceState.SUSPENDED:
        return tuple(sorted({f.fact_text()["order"] for f in findings
                             if f.code == "suspension"}))
    return ()


def change(subject: str, app: Application, before: str, after: str, reasons: tuple[str, ...],
           parties: Mapping[str, Party]) -> Change:
    dests = tuple(sorted({parties[p].country for p in
                          (app.consignee, app.end_user, *app.intermediates)}))
    return Change(subject, app.id, before, after, reasons, app.exporter, dests, app.total_value)


def _write(conn: Connection, table: Any, groups: Mapping[tuple[str, str, tuple[str, ...]],
                                                     list[str]],
           seq: int, day: date, subject: str) -> None:
    """One UPDATE and one INSERT ... SELECT into `state_changes` per group of rows that
    change alike (from, to, reasons), in slices of at most 2,000 ids."""
    set_state, note = _writes(conn.dialect.name, table)
    for (before, after, reasons), ids in groups.items():
        for start in range(0, len(ids), 2_000):
            part = list_value(conn, ids[start:start + 2_000])
            conn.execute(set_state, {"ids": part, "state": after, "day": day,
                                     "reasons": list(reasons)})
            conn.execute(note, {"ids": part, "seq": seq, "subject": subject, "day": day,
                                "before": before, "after": after, "reasons": list(reasons)})


@functools.cache
def _writes(dialect: str, table: Table) -> tuple[Any, Any]:
    """The grouped state update of `table` and its insert into `state_changes`."""
    values: dict[str, Any] = {"state": bindparam("state"), "state_since": bindparam("day"),
                              "version": table.c.version + 1}
    if table is t.applications:
        values["reasons"] = bindparam("reasons", type_=JSON)
    where = in_list(dialect, table.c.id, "ids")
    set_state = update(table).where(where).values(values)
    note = t.state_changes.insert().from_select(
        ["seq", "subject", "subject_id", "day", "from_state", "to_state", "reasons"],
        select(bindparam("seq", type_=Integer), bindparam("subject", type_=String),
               table.c.id, bindparam("day", type_=Date), bindparam("before", type_=String),
               bindparam("after", type_=String), bindparam("reasons", type_=JSON))
        .where(where))
    return set_state, note


def record_changes(conn: Connection, seq: int, day: date, changes: Iterable[Change]) -> None:
    rows = [{"seq": seq, "subject": c.subject, "subject_id": c.id, "day": day,
             "from_state": c.before, "to_state": c.after, "reasons": list(c.reasons)}
            for c in changes]
    if rows:
        conn.execute(_NOTE_CHANGE, rows)


_NOTE_CHANGE = t.state_changes.insert()

