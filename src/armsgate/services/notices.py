"""Notifications of a unit of work, queued in the outbox in its own transaction.

Who is told what: the reviewers of a body when its consent is requested and when it
becomes overdue; an exporter's accounts when one of its cases is held or one of its
licences suspended or revoked. The texts are composed by `armsgate.notify.messages`;
they are queued here, with the change, and delivered later by `outbox deliver` (so a
rolled-back change sends nothing). Only active accounts are told; a store without
accounts (the scenario runner's, a benchmark's) queues nothing.

A mass action can hold thousands of one exporter's cases at once: past `DIGEST_OVER`
cases of one kind for one exporter in one event, the exporter gets one message naming
them all instead of one each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select

from armsgate.notify import messages as m
from armsgate.notify.facts import case_ref
from armsgate.notify.messages import CaseRef
from armsgate.notify.outbox import enqueue
from armsgate.services.reassess import Change
from armsgate.services.unit import Unit
from armsgate.store import schema as t

DIGEST_OVER = 20
_USERS = select(t.users.c.role, t.users.c.body, t.users.c.party_id, t.users.c.email).where(
    t.users.c.active.is_(True))
_TOLD = {("application", "held"): m.Kind.CASE_HELD,
         ("licence", "suspended"): m.Kind.LICENCE_SUSPENDED,
         ("licence", "revoked"): m.Kind.LICENCE_REVOKED}


def queue(u: Unit, authority: str) -> int:
    """Queue the messages of what this unit did; returns how many."""
    changes = [c for c in u.report.changes if (c.subject, c.after) in _TOLD]
    if not (u.consents_requested or u.consents_overdue or changes):
        return 0
    bodies: dict[str, list[str]] = defaultdict(list)
    exporters: dict[str, list[str]] = defaultdict(list)
    for role, body, party, email in u.conn.execute(_USERS):
        if role == "ministry" and body:
            bodies[body].append(email)
        elif role == "exporter" and party:
            exporters[party].append(email)
    if not (bodies or exporters):
        return 0
    out: list[m.Message] = []
    cases = _Cases(u)
    for r in u.consents_requested:
        if bodies.get(r.body):
            out += m.consent_requested(cases[r.application], bodies[r.body],
                                       body=r.body, deadline=r.deadline, seq=u.seq,
                                       authority=authority)
    for r in u.consents_overdue:
        if bodies.get(r.body):
            out += m.consent_overdue(cases[r.application], bodies[r.body],
                                     body=r.body, deadline=r.deadline, today=u.day,
                                     seq=u.seq, authority=authority)
    grouped: dict[tuple[str, m.Kind], list[Change]] = defaultdict(list)
    for c in changes:
        if exporters.get(c.exporter):
            grouped[(c.exporter, _TOLD[(c.subject, c.after)])].append(c)
    for (exporter, kind), told in grouped.items():
        out += _about(u, authority, kind, told, exporters[exporter], cases)
    if out:
        enqueue(u.conn, out, at=u.now)
    return len(out)


class _Cases(dict[str, CaseRef]):
    """The cases a unit's messages name, each read once (a case asked of two bodies is
    named in two messages)."""

    def __init__(self, u: Unit) -> None:
        super().__init__()
        self.conn = u.conn

    def __missing__(self, application_id: str) -> CaseRef:
        self[application_id] = found = case_ref(self.conn, application_id)
        return found


def _about(u: Unit, authority: str, kind: m.Kind, changes: Sequence[Change],
           recipients: list[str], cases: _Cases) -> list[m.Message]:
    if len(changes) > DIGEST_OVER:
        return _digest(u, authority, kind, changes, recipients)
    out: list[m.Message] = []
    for c in changes:
        case = cases[c.id]  # a licence's id is its application's
        if kind is m.Kind.CASE_HELD:
            out += m.case_held(case, recipients, day=u.day, reasons=c.reasons, seq=u.seq,
                               authority=authority)
        elif kind is m.Kind.LICENCE_SUSPENDED:
            out += m.licence_suspended(case, recipients, licence=c.id, day=u.day,
                                       reasons=c.reasons, seq=u.seq, authority=authority)
        else:
            out += m.licence_revoked(case, recipients, licence=c.id, day=u.day,
                                     reasons=c.reasons, seq=u.seq, authority=authority)
    return out


def _digest(u: Unit, authority: str, kind: m.Kind, changes: Sequence[Change],
            recipients: list[str]) -> list[m.Message]:
    what = {m.Kind.CASE_HELD: "cases held", m.Kind.LICENCE_SUSPENDED: "licences suspended",
            m.Kind.LICENCE_REVOKED: "licences revoked"}[kind]
    ids = sorted(c.id for c in changes)
    reasons = sorted({r for c in changes for r in c.reasons})
    subject = f"{m.PREFIX} {len(ids)} {what} from {u.day.isoformat()}"
    body = (f"With effect from {m.long_date(u.day)}, {len(ids)} {what}:\n\n"
            + "\n".join(f"- {i}" for i in ids)
            + f"\n\nWhy: {', '.join(reasons) or 'see each case in armsgate'}.\n\n"
            "Each case's page in armsgate says what this means for it and what to do. "
            "A suspended licence may not be used for any shipment until it is restored."
            f"\n\n{authority} (event {u.seq})")
    return [m.Message(kind, address, subject, body, None, None, u.seq)
            for address in dict.fromkeys(recipients)]
