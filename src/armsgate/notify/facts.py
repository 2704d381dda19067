"""What a notification says about a case, read from the store (`CaseRef`)."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from armsgate.errors import NotFound
from armsgate.notify.messages import CaseRef
from armsgate.reference.labels import country_label
from armsgate.store import schema as t
from armsgate.store.repository import euros


def case_ref(conn: Connection, application_id: str) -> CaseRef:
    """The case as messages name it: parties by name, destinations, goods and value."""
    row = conn.execute(_CASE, {"app": application_id}).first()
    if row is None:
        raise NotFound("application", f"no application {application_id!r}")
    names: dict[str, str] = {r.id: r.name for r in conn.execute(
        _PARTIES, {"ids": [row.exporter, row.consignee, row.end_user]})}
    dests = conn.execute(_DESTINATIONS, {"app": application_id}).scalars().all()
    lines = conn.execute(_LINES, {"app": application_id}).all()
    goods = tuple(f"{r.quantity} x {r.description or r.id} ({r.category})" for r in lines)
    return CaseRef(application=application_id, exporter=names.get(row.exporter, row.exporter),
                   consignee=names.get(row.consignee, row.consignee),
                   end_user=names.get(row.end_user, row.end_user),
                   destinations=tuple(country_label(c) for c in dests), goods=goods,
                   value=euros(row.value_cents))


# Built once: a submission names its case in a message to each body asked.
_a, _p, _d, _ln, _g = (t.applications, t.parties, t.application_destinations,
                       t.application_lines, t.goods)
_CASE = (select(_a.c.exporter, _a.c.consignee, _a.c.end_user, _a.c.value_cents)
         .where(_a.c.id == bindparam("app")))
_PARTIES = select(_p.c.id, _p.c.name).where(_p.c.id.in_(bindparam("ids", expanding=True)))
_DESTINATIONS = (select(_d.c.country).where(_d.c.application_id == bindparam("app"))
                 .order_by(_d.c.country))
_LINES = (select(_ln.c.quantity, _ln.c.category, _g.c.id, _g.c.description)
          .join(_g, _g.c.id == _ln.c.item).where(_ln.c.application_id == bindparam("app"))
          .order_by(_ln.c.line_no))
