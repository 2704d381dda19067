"""What a notification says about a case, read from the store (`CaseRef`)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from armsgate.errors import NotFound
from armsgate.notify.messages import CaseRef
from armsgate.reference.labels import country_label
from armsgate.store import schema as t
from armsgate.store.repository import euros


def case_ref(conn: Connection, application_id: str) -> CaseRef:
    """The case as messages name it: parties by name, destinations, goods and value."""
    a = t.applications
    row = conn.execute(select(a.c.exporter, a.c.consignee, a.c.end_user, a.c.value_cents)
                       .where(a.c.id == application_id)).first()
    if row is None:
        raise NotFound("application", f"no application {application_id!r}")
    p = t.parties
    names: dict[str, str] = {r.id: r.name for r in conn.execute(select(p.c.id, p.c.name).where(
        p.c.id.in_([row.exporter, row.consignee, row.end_user])))}
    d = t.application_destinations
    dests = conn.execute(select(d.c.country).where(d.c.application_id == application_id)
                         .order_by(d.c.country)).scalars().all()
    ln, g = t.application_lines, t.goods
    lines = conn.execute(select(ln.c.quantity, ln.c.category, g.c.id, g.c.description)
                         .join(g, g.c.id == ln.c.item)
                         .where(ln.c.application_id == application_id)
                         .order_by(ln.c.line_no)).all()
    goods = tuple(f"{r.quantity} x {r.description or r.id} ({r.category})" for r in lines)
    return CaseRef(application=application_id, exporter=names.get(row.exporter, row.exporter),
                   consignee=names.get(row.consignee, row.consignee),
                   end_user=names.get(row.end_user, row.end_user),
                   destinations=tuple(country_label(c) for c in dests), goods=goods,
                   value=euros(row.value_cents))
