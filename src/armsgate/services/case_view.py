"""A case as its reader sees it: the record of one case and the pages of the case list.

Both are read often (a case's record and a page of the list are 65% of the API's load),
so their statements are built once. A case's record comes in six statements for most
cases: its row, with the licence (one a case: `licences.application_id` is unique), the
last day observed and the counts of its questions, earlier versions and appeals; then its
opinions, history, parties, screening hits and consent requests. The counted lists and
the screening's dismissals are read only when there is any.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, func, select

from armsgate.errors import NotFound
from armsgate.services import amendments, consent_requests, hits, workflow
from armsgate.services.observe import OBSERVED
from armsgate.store import schema as t

# What a record shows of the application's row (not the certificate's key, the event
# numbers of the submission and of the last amendment).
RECORD_COLUMNS = tuple(c.name for c in t.applications.c
                       if c.name not in ("euc_key", "seq", "amended_seq"))


def record(conn: Connection, app_id: str, day: date) -> dict[str, Any]:
    """An application's record: state, reasons, opinions, licence, history, the workflow
    and the screening of its parties (the certificate's issuer too) on `day`."""
    row = conn.execute(_CASE_ROW, {"app": app_id}).mappings().first()
    if row is None:
        raise NotFound("application", f"no application {app_id!r}")
    opinions = conn.execute(_OPINIONS_OF, {"app": app_id}).mappings().all()
    history = conn.execute(_HISTORY_OF, {"app": app_id}).mappings().all()
    screened = hits.case_screening(conn, row, day)
    review = _workflow(conn, row)
    since = review.pop("opinions_since")
    licence = None if row[_LICENCE_ID] is None else {
        c.name: row[f"{_LICENCE}{c.name}"] for c in t.licences.c}
    return {"application": {k: row[k] for k in RECORD_COLUMNS}, "licence": licence,
            "opinions": [{**{k: v for k, v in o.items() if k != "pk"},
                          "current": o["seq"] > since} for o in opinions],
            "history": [{k: v for k, v in h.items() if k != "pk"} for h in history],
            "screening": screened, "observed_through": row["observed_through"], **review}


def _workflow(conn: Connection, row: Any) -> dict[str, Any]:
    """What the record shows of the workflow: the `awaiting` marker, the questions, the
    consent requests, the earlier versions and the appeals, each list read only when the
    row counts some."""
    app_id = row["id"]
    asked = workflow.questions(conn, app_id) if row["n_questions"] else []
    appeals = conn.execute(_APPEALS, {"app": app_id}).scalars().all() if row["n_appeals"] else []
    earlier = amendments.versions(conn, app_id) if row["n_versions"] else []  # oldest first
    return {"awaiting": workflow.awaiting(row["state"], asked), "questions": asked,
            "consent_requests": consent_requests.of_case(conn, app_id),
            "versions": earlier, "content_version": amendments.current_after(earlier),
            "opinions_since": row["amended_seq"] or 0, "appeals": list(appeals)}


def page(conn: Connection, *, state: str | None, exporter: str | None,
         destination: str | None, body: str | None, limit: int,
         offset: int) -> list[dict[str, Any]]:
    """Cases in submission order, filtered; `body`: those a consenting body was asked about."""
    q = _page_query(bool(state), bool(exporter), bool(destination), bool(body))
    return [dict(r) for r in conn.execute(q, {
        "state": state, "exporter": exporter, "destination": destination, "body": body,
        "limit": limit, "offset": offset}).mappings()]


@functools.cache
def _page_query(state: bool, exporter: bool, destination: bool, body: bool) -> Any:
    """The page's statement for one combination of filters, their values bound."""
    a = t.applications
    q = (select(a.c.id, a.c.exporter, a.c.state, a.c.state_since, a.c.submitted_on,
                a.c.value_cents, a.c.reasons).order_by(a.c.seq)
         .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))
    if state:
        q = q.where(a.c.state == bindparam("state"))
    if exporter:
        q = q.where(a.c.exporter == bindparam("exporter"))
    if destination:
        d = t.application_destinations
        q = q.where(a.c.id.in_(select(d.c.application_id)
                               .where(d.c.country == bindparam("destination"))))
    if body:
        r = t.consent_requests
        q = q.where(a.c.id.in_(select(r.c.application_id).where(r.c.body == bindparam("body"))))
    return q


_LICENCE = "licence__"
_LICENCE_ID = f"{_LICENCE}id"
_appeal = t.applications.alias("appeal")
_CASE_ROW = (
    select(t.applications,
           *(c.label(f"{_LICENCE}{c.name}") for c in t.licences.c),
           select(t.meta.c.value).where(t.meta.c.key == OBSERVED)
           .scalar_subquery().label("observed_through"),
           select(func.count()).where(t.info_requests.c.application_id == t.applications.c.id)
           .scalar_subquery().label("n_questions"),
           select(func.count())
           .where(t.application_versions.c.application_id == t.applications.c.id)
           .scalar_subquery().label("n_versions"),
           select(func.count()).select_from(_appeal)
           .where(_appeal.c.appeal_of == t.applications.c.id)
           .scalar_subquery().label("n_appeals"))
    .outerjoin(t.licences, t.licences.c.application_id == t.applications.c.id)
    .where(t.applications.c.id == bindparam("app")))
_OPINIONS_OF = (select(t.opinions).where(t.opinions.c.application_id == bindparam("app"))
                .order_by(t.opinions.c.seq))
_HISTORY_OF = (select(t.state_changes).where(t.state_changes.c.subject_id == bindparam("app"))
               .order_by(t.state_changes.c.pk))
_APPEALS = select(t.applications.c.id).where(t.applications.c.appeal_of == bindparam("app"))
