"""Screening hits as a reviewer sees them: on a case, and what a list import changed.

Every party of a case is screened (hits are kept up to date in `screening_hits` whenever
a party or an entry enters). SPEC.md's flag `screening-hit` counts the exporter, the
consignee, the end user and the intermediates; the end-user certificate's issuer is
screened too and shown, but its hits set no flag (the engine gives them as a note).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Date, and_, bindparam, or_, select

from armsgate.rules.world import ScreeningHit
from armsgate.store import schema as t
from armsgate.store.repository import party_fingerprint, party_from_row
from armsgate.store.statements import in_list, list_value

ISSUER = "euc.issuer"
FLAGGING = frozenset({"exporter", "consignee", "end_user", "intermediate"})
Hits = Mapping[str, tuple[ScreeningHit, ...]]


def roles_of(exporter: str, consignee: str, end_user: str, intermediates: Iterable[str],
             issuer: str | None) -> dict[str, list[str]]:
    """The parties of a case, each with its roles, in the order of the application."""
    roles: dict[str, list[str]] = {}
    pairs = [("exporter", exporter), ("consignee", consignee), ("end_user", end_user),
             *(("intermediate", p) for p in intermediates)]
    if issuer is not None:
        pairs.append((ISSUER, issuer))
    for role, party in pairs:
        if role not in roles.setdefault(party, []):
            roles[party].append(role)
    return roles


@functools.cache
def _case_statements(dialect: str) -> tuple[Any, Any, Any]:
    """A case's parties, their dismissals and their hits in force on :day, for the party
    ids :ids (built once: a case is read often)."""
    p, h, e, d = t.parties, t.screening_hits, t.screening_entries, t.screening_dismissals
    day = bindparam("day", type_=Date)
    in_force = and_(or_(e.c.valid_from.is_(None), e.c.valid_from <= day),
                    or_(e.c.valid_to.is_(None), e.c.valid_to > day))
    return (select(p).where(in_list(dialect, p.c.id, "ids")),
            select(d).where(in_list(dialect, d.c.party_id, "ids")).order_by(d.c.seq),
            select(h, e.c.list, e.c.entity_id, e.c.name).join(e, e.c.pk == h.c.entry_pk)
            .where(in_list(dialect, h.c.party_id, "ids"), in_force)
            .order_by(h.c.party_id, h.c.score.desc(), h.c.entry_pk))


def case_screening(conn: Connection, application: Mapping[Any, Any], day: date
                   ) -> list[dict[str, Any]]:
    """Each party of the case with its roles and its hits on entries in force on `day`,
    best first, each explained; a hit a reviewer dismissed (for the party as it is now)
    carries the dismissal and does not count."""
    euc = application["euc"]
    roles = roles_of(application["exporter"], application["consignee"],
                     application["end_user"], application["intermediates"],
                     None if euc is None else euc["issuer"])
    ids = list_value(conn, roles)
    parties_q, dismissals_q, hits_q = _case_statements(conn.dialect.name)
    parties = {r["id"]: party_from_row(r)
               for r in conn.execute(parties_q, {"ids": ids}).mappings()}
    found = conn.execute(hits_q, {"ids": ids, "day": day}).mappings().all()
    hit = {r["party_id"] for r in found}  # most cases have none: no dismissal to read
    dismissed = {} if not hit else {
        (r.party_id, r.entry_pk): r
        for r in conn.execute(dismissals_q, {"ids": list_value(conn, sorted(hit))})
        if r.party_id in parties and r.party_fingerprint == party_fingerprint(
            parties[r.party_id])}
    hits: dict[str, list[dict[str, Any]]] = {}
    for r in found:
        mark = dismissed.get((r["party_id"], r["entry_pk"]))
        hits.setdefault(r["party_id"], []).append({
            "entry": r["entry_pk"], "list": r["list"], "entity_id": r["entity_id"],
            "name": r["name"], "score": r["score"],
            "explanation": {"matched_name": r["entry_name"], "query_name": r["party_name"],
                            "romanisation": r["romanisation"], **r["explanation"]},
            "dismissed": None if mark is None else {
                "reason": mark.reason, "actor": mark.actor, "day": mark.day, "event": mark.seq}})
    out = []
    for party_id, party_roles in roles.items():
        party = parties[party_id]
        out.append({"party": party_id, "name": party.name, "country": party.country,
                    "roles": party_roles, "flags": not FLAGGING.isdisjoint(party_roles),
                    "hits": hits.get(party_id, [])})
    return out


def _hit_json(hit: ScreeningHit, roles: Sequence[str]) -> dict[str, Any]:
    return {"party": hit.party, "roles": list(roles), "entry": hit.entry.key,
            "list": hit.entry.list, "entity_id": hit.entry.entry_id, "name": hit.entry.name,
            "score": round(hit.match.score, 4),
            "explanation": {"matched_name": hit.match.other, "query_name": hit.match.name,
                            "romanisation": hit.match.romanisation,
                            "text": hit.match.explanation}}


def _by_entry(hits: Hits | None, day: date) -> dict[str, dict[int, ScreeningHit]]:
    return {party: found for party, party_hits in (hits or {}).items()
            if (found := {h.entry.key: h for h in party_hits if h.entry.period.holds_on(day)})}


def changed_cases(conn: Connection, before: Hits | None, after: Hits | None, day: date
                  ) -> list[dict[str, Any]]:
    """The pending applications and those with a live licence whose parties' hits (in
    force on `day`, not dismissed) differ between `before` and `after`: each with its
    change (`flagged`: SPEC.md's `screening-hit` now set; `cleared`: no longer set;
    `changed`: the hits changed but not the flag) and the hits added and removed."""
    old, new = _by_entry(before, day), _by_entry(after, day)
    changed = {p for p in old.keys() | new.keys()
               if old.get(p, {}).keys() != new.get(p, {}).keys()}
    if not changed:
        return []
    a, lic = t.applications, t.licences
    rows = conn.execute(
        select(a.c.id, a.c.state, a.c.exporter, a.c.consignee, a.c.end_user,
               a.c.intermediates, a.c.euc_key, lic.c.state.label("licence"))
        .outerjoin(lic, lic.c.application_id == a.c.id)
        .where(or_(a.c.state.in_(["in_review", "held"]),
                   lic.c.state.in_(["active", "suspended"])))
        .order_by(a.c.seq)).all()
    out = []
    for row in rows:
        issuer = None if row.euc_key is None else row.euc_key.split("\x1f", 1)[0]
        roles = roles_of(row.exporter, row.consignee, row.end_user, row.intermediates, issuer)
        touched = [p for p in roles if p in changed]
        if not touched:
            continue
        flagging = [p for p, r in roles.items() if not FLAGGING.isdisjoint(r)]
        was = any(p in old for p in flagging)
        now = any(p in new for p in flagging)
        added = [_hit_json(new[p][k], roles[p]) for p in touched
                 for k in sorted(new.get(p, {}).keys() - old.get(p, {}).keys())]
        removed = [_hit_json(old[p][k], roles[p]) for p in touched
                   for k in sorted(old.get(p, {}).keys() - new.get(p, {}).keys())]
        change = "flagged" if now and not was else "cleared" if was and not now else "changed"
        out.append({"application": row.id, "state": row.state, "licence": row.licence,
                    "change": change, "added": added, "removed": removed})
    return out
