"""Re-assessing what a change can touch, and reporting what changed.

A change of the world (an embargo, a conflict, a list move, a suspension, a
resolution) or the passing of time has a `Scope`: the destinations and
effective categories it concerns. Only the pending applications and live
licences inside that scope are loaded and judged again, through the same pure
engine as every other assessment, and every state that changes is written,
with the event that caused it, in the caller's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, exists, select, update

from armsgate.domain.model import (
    PENDING_STATES,
    Application,
    AppState,
    LicenceState,
    Party,
)
from armsgate.rules.engine import Assessment, assess
from armsgate.rules.lifecycle import application_state_after, licence_state_on
from armsgate.rules.world import DayView
from armsgate.store import schema as t


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
        }


def _in_scope(scope: Scope, app_id_col: Any) -> list[Any]:
    conditions = []
    if scope.applications is not None:
        conditions.append(app_id_col.in_(sorted(scope.applications)))
    if scope.countries is not None:
        d = t.application_destinations
        conditions.append(exists().where(d.c.application_id == app_id_col,
                                         d.c.country.in_(sorted(scope.countries))))
    if scope.categories is not None:
        ln = t.application_lines
        conditions.append(exists().where(ln.c.application_id == app_id_col,
                                         ln.c.category.in_(sorted(scope.categories))))
    return conditions


def pending_in(conn: Connection, scopes: Iterable[Scope]) -> dict[str, str]:
    """Pending applications (id -> state) inside any of the scopes."""
    a = t.applications
    found: dict[str, str] = {}
    for scope in scopes:
        q = select(a.c.id, a.c.state).where(a.c.state.in_([s.value for s in PENDING_STATES]),
                                            *_in_scope(scope, a.c.id))
        found.update({r.id: r.state for r in conn.execute(q)})
    return found


LicenceRef = tuple[str, str, date]  # application id, state, first day expired


def live_licences_in(conn: Connection, scopes: Iterable[Scope]) -> dict[str, LicenceRef]:
    """Live licences (id -> (application id, state, expiry)) inside any of the scopes."""
    lic = t.licences
    found: dict[str, LicenceRef] = {}
    live = [LicenceState.ACTIVE.value, LicenceState.SUSPENDED.value]
    for scope in scopes:
        q = select(lic.c.id, lic.c.application_id, lic.c.state, lic.c.expires_on).where(
            lic.c.state.in_(live), *_in_scope(scope, lic.c.application_id))
        found.update({r.id: (r.application_id, r.state, r.expires_on) for r in conn.execute(q)})
    return found


Loader = Callable[[Connection, Iterable[str]], Mapping[str, Application]]


def reassess(conn: Connection, view: DayView, seq: int, pending: Mapping[str, str],
             licences: Mapping[str, LicenceRef], load: Loader,
             chunk: int = 5_000) -> ChangeReport:
    """Judge the given applications and licences on the view's day; write what changed."""
    report = ChangeReport(day=view.day, examined_applications=len(pending),
                          examined_licences=len(licences))
    app_ids = sorted(pending)
    for start in range(0, len(app_ids), chunk):
        ids = app_ids[start:start + chunk]
        apps = load(conn, ids)
        rows = []
        for app_id in ids:
            app = apps[app_id]
            before = AppState(pending[app_id])
            assessment = assess(app, view)
            after, reasons = application_state_after(before, assessment)
            if after is not before:
                rows.append({"b_id": app_id, "b_state": after.value, "b_reasons": list(reasons),
                             "b_day": view.day})
                report.changes.append(change("application", app, before.value, after.value, reasons,
                                             view.world.parties))
        _write(conn, t.applications, rows, seq, view.day, "application", report)
    lic_ids = sorted(licences)
    for start in range(0, len(lic_ids), chunk):
        ids = lic_ids[start:start + chunk]
        apps = load(conn, [licences[i][0] for i in ids])
        rows = []
        for lic_id in ids:
            app_id, state, expires_on = licences[lic_id]
            app = apps[app_id]
            was = LicenceState(state)
            assessment = assess(app, view)
            now = licence_state_on(was, assessment, denied=app_id in view.denied,
                                   expires_on=expires_on)
            if now is not was:
                reasons = _licence_reasons(assessment, now, app_id in view.denied)
                rows.append({"b_id": lic_id, "b_state": now.value, "b_day": view.day,
                             "b_reasons": list(reasons)})
                report.changes.append(change("licence", app, was.value, now.value, reasons,
                                             view.world.parties))
        _write(conn, t.licences, rows, seq, view.day, "licence", report)
    return report


def _licence_reasons(assessment: Assessment, after: LicenceState, denied: bool) -> tuple[str, ...]:
    if after is LicenceState.REVOKED:
        return (*assessment.reasons, *(("nsc-denied",) if denied else ()))
    if after is LicenceState.SUSPENDED:
        return tuple(sorted({f.fact_text()["order"] for f in assessment.findings
                             if f.code == "suspension"}))
    return ()


def change(subject: str, app: Application, before: str, after: str, reasons: tuple[str, ...],
           parties: Mapping[str, Party]) -> Change:
    dests = tuple(sorted({parties[p].country for p in
                          (app.consignee, app.end_user, *app.intermediates)}))
    return Change(subject, app.id, before, after, reasons, app.exporter, dests, app.total_value)


def _write(conn: Connection, table: Any, rows: list[dict[str, Any]], seq: int, day: date,
           subject: str, report: ChangeReport) -> None:
    if not rows:
        return
    values: dict[str, Any] = {"state": bindparam("b_state"), "state_since": bindparam("b_day"),
                              "version": table.c.version + 1}
    if subject == "application":
        values["reasons"] = bindparam("b_reasons")
    conn.execute(update(table).where(table.c.id == bindparam("b_id")).values(values), rows)
    record_changes(conn, seq, day, report.changes[-len(rows):])


def record_changes(conn: Connection, seq: int, day: date, changes: Iterable[Change]) -> None:
    rows = [{"seq": seq, "subject": c.subject, "subject_id": c.id, "day": day,
             "from_state": c.before, "to_state": c.after, "reasons": list(c.reasons)}
            for c in changes]
    if rows:
        conn.execute(t.state_changes.insert(), rows)

