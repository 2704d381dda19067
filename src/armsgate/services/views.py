"""Read-only queries that the web pages show and the façade does not answer in one call:
the dashboard's series, the work queue with its flag and age filters, a case's goods
lines with their effective categories, what a ministry is asked about, the orders in
force, and the demo accounts of the embedded demo store.

Each takes a connection (or the service, for assessments) and returns plain values; none
writes. The flags of a case are not stored: they come from assessing it on the day
(`Authority.assess_many`, which keeps each process's assessments until the world or the
day moves: `services/assessed.py`), for the rows a page shows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, extract, func, select

from armsgate.domain.model import PENDING_STATES, Suspension
from armsgate.rules.engine import Assessment
from armsgate.services.consent_requests import OPEN
from armsgate.store import schema as t
from armsgate.store.repository import euros

DEMO_EMAIL = "@demo.armsgate.invalid"  # demo/accounts.py: the demo store's accounts
TOP = 6  # destinations and categories charted one by one; the rest as "other"


Judge = Callable[[Sequence[str]], Mapping[str, Assessment]]  # Authority.assess_many


# --- dashboard --------------------------------------------------------------------------

def _month(year: Any, month: Any) -> str:
    return f"{int(year):04d}-{int(month):02d}"


def _series(rows: Iterable[tuple[str, str, int]]) -> dict[str, Any]:
    """(month, key, count) rows -> {"months": [...], "series": {key: [count per month]}},
    the `TOP` keys by total, the others summed as "other"."""
    totals: Counter[str] = Counter()
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for month, key, n in rows:
        totals[key] += n
        cells[(month, key)] += n
    months = sorted({m for m, _ in cells})
    top = [k for k, _ in totals.most_common(TOP)]
    series = {k: [cells.get((m, k), 0) for m in months] for k in sorted(top)}
    rest = [k for k in totals if k not in top]
    if rest:
        series["other"] = [sum(cells.get((m, k), 0) for k in rest) for m in months]
    return {"months": months, "series": series}


def dashboard(conn: Connection) -> dict[str, Any]:
    """Applications by destination and by effective category per month of submission,
    licences issued per month, and the value of pending cases."""
    a, d, ln, lic = t.applications, t.application_destinations, t.application_lines, t.licences
    year, month = extract("year", a.c.submitted_on), extract("month", a.c.submitted_on)
    by_dest = conn.execute(select(year, month, d.c.country, func.count())
                           .join(d, d.c.application_id == a.c.id)
                           .group_by(year, month, d.c.country)).all()
    by_cat = conn.execute(select(year, month, ln.c.category,
                                 func.count(func.distinct(ln.c.application_id)))
                          .join(ln, ln.c.application_id == a.c.id)
                          .group_by(year, month, ln.c.category)).all()
    iy, im = extract("year", lic.c.issued_on), extract("month", lic.c.issued_on)
    issued = conn.execute(select(iy, im, lic.c.state, func.count())
                          .group_by(iy, im, lic.c.state)).all()
    pending = conn.execute(select(func.count(), func.coalesce(func.sum(a.c.value_cents), 0))
                           .where(a.c.state.in_(sorted(PENDING_STATES)))).one()
    return {
        "by_destination": _series((_month(y, m), c, n) for y, m, c, n in by_dest),
        "by_category": _series((_month(y, m), c, n) for y, m, c, n in by_cat),
        "licences": _series((_month(y, m), s, n) for y, m, s, n in issued),
        "pending": {"cases": int(pending[0]), "value_eur": euros(int(pending[1]))},
    }


# --- the work queue ---------------------------------------------------------------------

@dataclass(frozen=True)
class QueueFilter:
    state: str | None = "pending"  # a state, "pending" (in review or held) or None: all
    flag: str | None = None
    destination: str | None = None
    exporter: str | None = None
    older_than: int | None = None  # days since submission, at least
    body: str | None = None  # only cases this body was asked about (a reviewer's scope)


def _queue_query(f: QueueFilter, today: date) -> Any:
    a = t.applications
    q = select(a.c.id, a.c.exporter, a.c.state, a.c.state_since, a.c.submitted_on,
               a.c.value_cents, a.c.reasons, a.c.version).order_by(a.c.seq)
    if f.state == "pending":
        q = q.where(a.c.state.in_(sorted(PENDING_STATES)))
    elif f.state:
        q = q.where(a.c.state == f.state)
    if f.exporter:
        q = q.where(a.c.exporter == f.exporter)
    if f.destination:
        d = t.application_destinations
        q = q.where(a.c.id.in_(select(d.c.application_id).where(d.c.country == f.destination)))
    if f.older_than:
        q = q.where(a.c.submitted_on <= today - timedelta(days=f.older_than))
    if f.body:
        r = t.consent_requests
        q = q.where(a.c.id.in_(select(r.c.application_id).where(r.c.body == f.body)))
    return q


def work_queue(conn: Connection, today: date, judge: Judge, f: QueueFilter, *, limit: int = 50,
               offset: int = 0, chunk: int = 250, scan: int = 1_000
               ) -> tuple[list[dict[str, Any]], int | None]:
    """The cases that pass the filter, in submission order, each with its destinations,
    age and assessment (flags, by `judge`) today; and the offset to go on from (None: no
    more).

    Without a flag filter, SQL pages the rows (`offset`: rows). Flags are judged, not
    stored: with a flag filter, `offset` is a position among the cases that pass the other
    filters, and at most `scan` of them are assessed per call (a chunk at a time) before
    the page is returned with what it found and the position to search on from."""
    base = _queue_query(f, today)
    more: int | None
    if f.flag is None:
        rows = [dict(r) for r in conn.execute(base.limit(limit + 1).offset(offset)).mappings()]
        more = offset + limit if len(rows) > limit else None
        rows = rows[:limit]
        judged = dict(judge([r["id"] for r in rows]))
    else:
        rows, judged, position = [], {}, offset
        while True:
            batch = [dict(r) for r in
                     conn.execute(base.limit(chunk).offset(position)).mappings()]
            found = judge([r["id"] for r in batch])
            full = False
            for r in batch:
                position += 1
                if f.flag in found[r["id"]].flags:
                    rows.append(r)
                    judged[r["id"]] = found[r["id"]]
                    full = len(rows) == limit
                    if full:
                        break
            if full or (len(batch) == chunk and position - offset >= scan):
                more = position
                break
            if len(batch) < chunk:
                more = None  # the filter's cases are exhausted
                break
    dests = destinations_of(conn, [r["id"] for r in rows])
    for r in rows:
        r["destinations"] = dests.get(r["id"], [])
        r["age_days"] = (today - r["submitted_on"]).days
        r["value_eur"] = euros(r.pop("value_cents"))
        r["assessment"] = judged.get(r["id"])
    return rows, more


def destinations_of(conn: Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    d = t.application_destinations
    out: dict[str, list[str]] = defaultdict(list)
    if ids:
        for app_id, country in conn.execute(select(d.c.application_id, d.c.country)
                                            .where(d.c.application_id.in_(list(ids)))
                                            .order_by(d.c.country)):
            out[app_id].append(country)
    return out


# --- one case ---------------------------------------------------------------------------

def case_lines(conn: Connection, app_id: str) -> list[dict[str, Any]]:
    """The goods lines: item, description, quantity, value and the effective category
    (a kit counted as the item it makes, with that item named)."""
    ln, g = t.application_lines, t.goods
    made = g.alias("made")
    rows = conn.execute(
        select(ln.c.line_no, ln.c.item, ln.c.quantity, ln.c.value_cents, ln.c.category,
               g.c.description, g.c.category.label("own_category"), g.c.kit_of,
               made.c.description.label("makes"))
        .join(g, g.c.id == ln.c.item).outerjoin(made, made.c.id == g.c.kit_of)
        .where(ln.c.application_id == app_id).order_by(ln.c.line_no)).mappings()
    return [{**r, "value_eur": euros(r["value_cents"])} for r in rows]


def certificate_file(conn: Connection, app_id: str, *, content: bool = False
                     ) -> dict[str, Any] | None:
    """The certificate document kept with the case (the latest), without its bytes unless
    `content`."""
    c = t.certificate_files
    cols = [c.c.file_name, c.c.media_type, c.c.size, c.c.sha256, c.c.uploaded_by,
            c.c.uploaded_at] + ([c.c.content] if content else [])
    row = conn.execute(select(*cols).where(c.c.application_id == app_id)
                       .order_by(c.c.pk.desc()).limit(1)).mappings().first()
    return None if row is None else dict(row)


# --- reviewers, orders, accounts --------------------------------------------------------

def awaiting_opinion(conn: Connection, body: str, today: date, *, limit: int = 100,
                     offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The open consent requests of `body`, nearest deadline first, with their cases (a
    page of them), and how many there are."""
    r, a = t.consent_requests, t.applications
    mine = (r.c.body == body, r.c.status == OPEN)
    total = conn.execute(select(func.count()).select_from(r).where(*mine)).scalar_one()
    rows = conn.execute(
        select(r.c.application_id, r.c.requested_on, r.c.deadline, a.c.exporter, a.c.state,
               a.c.value_cents, a.c.version)
        .join(a, a.c.id == r.c.application_id).where(*mine)
        .order_by(r.c.deadline, r.c.application_id).limit(limit).offset(offset)
    ).mappings().all()
    dests = destinations_of(conn, [x["application_id"] for x in rows])
    return [{**x, "value_eur": euros(x["value_cents"]), "overdue": x["deadline"] < today,
             "destinations": dests.get(x["application_id"], [])} for x in rows], int(total)


def orders_in_force(suspensions: Iterable[Suspension], today: date) -> list[Suspension]:
    """The suspension orders in force on `today`, by id."""
    return sorted((s for s in suspensions if s.period.holds_on(today)), key=lambda s: s.id)


def demo_accounts(conn: Connection) -> list[dict[str, Any]]:
    """The demo store's accounts (made by `armsgate demo`), to list on its sign-in page;
    none on a real store."""
    u = t.users
    return [dict(r) for r in conn.execute(
        select(u.c.username, u.c.role, u.c.body, u.c.party_id, u.c.display_name)
        .where(u.c.email.like(f"%{DEMO_EMAIL}"), u.c.active)
        .order_by(u.c.created_at, u.c.username)).mappings()]
