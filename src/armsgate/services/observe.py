"""The passing of time: what changes by itself between two observed days.

Orders end, embargoes and conflict entries begin or end, licences expire, consent
requests become overdue (marked once, listed on the unit for notification). Time
is observed before every command (on the command's day) and by the scheduled
job; the scenario runner observes before every step. Only what a boundary
between the last observed day and this one can touch is re-assessed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from armsgate.domain.model import LicenceState
from armsgate.rules.world import World
from armsgate.services import consent_requests
from armsgate.services.reassess import (
    ChangeReport,
    Scope,
    change,
    live_licences_in,
    pending_in,
    reassess,
    record_changes,
)
from armsgate.services.unit import Unit, get_meta
from armsgate.store import schema as t

OBSERVED = "observed_through"


def last_observed(u: Unit) -> date | None:
    value = get_meta(u.conn, OBSERVED) if u.meta is None else u.meta.get(OBSERVED)
    return None if value is None else date.fromisoformat(value)


def boundary_scopes(world: World, after: date | None, through: date) -> list[Scope]:
    """Scopes of the facts that start or stop holding in (after, through]."""

    def crosses(days: tuple[date, ...]) -> bool:
        return any((after is None or d > after) and d <= through for d in days)

    scopes: list[Scope] = []
    for e in world.embargoes:
        if crosses(e.period.boundaries()):
            scopes.append(Scope(frozenset({e.country}), e.categories))
    for c in world.conflicts:
        if crosses(c.period.boundaries()):
            scopes.append(Scope(frozenset({c.country})))
    for entry in world.lists:
        if crosses(entry.period.boundaries()):
            scopes.append(Scope(frozenset({entry.country})))
    for s in world.suspensions:
        if crosses(s.period.boundaries()):
            scopes.append(Scope(s.destinations, s.categories))
    return scopes


def next_change(world: World, after: date) -> date | None:
    """The next day after `after` on which a dated fact starts or ends by itself."""
    later = [d for d in world.boundaries() if d > after]
    return min(later) if later else None


def observe(u: Unit) -> ChangeReport:
    """Bring every state up to the unit's day; returns what changed."""
    last = last_observed(u)
    if last is not None and u.day <= last:
        return ChangeReport(day=u.day)
    lic = t.licences
    live = [LicenceState.ACTIVE.value, LicenceState.SUSPENDED.value]
    expiring = [(r.id, r.application_id, r.state) for r in u.conn.execute(
        select(lic.c.id, lic.c.application_id, lic.c.state).where(
            lic.c.state.in_(live), lic.c.expires_on <= u.day))]
    scopes = [Scope.everything()] if last is None else boundary_scopes(u.world, last, u.day)
    pending = pending_in(u.conn, scopes) if scopes else {}
    licences = live_licences_in(u.conn, scopes) if scopes else {}
    report = ChangeReport(day=u.day)
    passing = {"from": None if last is None else last.isoformat(), "to": u.day.isoformat()}
    if expiring or pending or licences:
        u.event("time", passing)
        if expiring:
            _expire(u, expiring, report)
            licences = {k: v for k, v in licences.items() if v[2] > u.day}
        report.add(reassess(u.conn, u.view(), u.seq, pending, licences))
        u.report.add(report)
    overdue = consent_requests.newly_overdue(u.conn, u.day)  # of cases still pending
    if overdue:
        if not u.seq:
            u.event("time", passing)
        consent_requests.mark_overdue(u, overdue)
    u.set_meta(OBSERVED, u.day.isoformat())
    return report


def _expire(u: Unit, expiring: list[tuple[str, str, str]], report: ChangeReport) -> None:
    lic = t.licences
    ids = [lic_id for lic_id, _, _ in expiring]
    u.conn.execute(update(lic).where(lic.c.id.in_(ids)).values(
        state=LicenceState.EXPIRED.value, state_since=u.day, version=lic.c.version + 1))
    apps = u.cache.load(u.conn, [app_id for _, app_id, _ in expiring])
    changes = [change("licence", apps[app_id], state, LicenceState.EXPIRED.value, (),
                      u.world.parties) for _, app_id, state in expiring]
    report.changes.extend(changes)
    record_changes(u.conn, u.seq, u.day, changes)
