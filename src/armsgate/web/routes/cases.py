"""The officer's work queue and the case page (every role that may read the case)."""

from __future__ import annotations

import re
import typing
from typing import Any

from fastapi import APIRouter, Request, Response

from armsgate.access.policy import Permission as P
from armsgate.access.policy import allows
from armsgate.access.roles import UserRole
from armsgate.api.routes.cases import case_resource
from armsgate.api.services import services
from armsgate.audit import store as audit_store
from armsgate.domain.inputs import APP_STATES, Flag
from armsgate.domain.model import PENDING_STATES
from armsgate.errors import NotFound
from armsgate.services.views import QueueFilter, case_lines, certificate_file, work_queue
from armsgate.services.workflow import CRITERIA
from armsgate.web.access import HtmlRoute, page, who
from armsgate.web.forms import Form
from armsgate.web.render import render

router = APIRouter(route_class=HtmlRoute)
FLAGS = typing.get_args(Flag)
STATES = (("pending", "pending (in review or held)"), *((s, s.replace("_", " "))
          for s in (*APP_STATES, "withdrawn")), ("all", "all states"))
PAGE = 50
QUEUE_INPUTS = {"state", "flag", "destination", "exporter", "older_than", "offset"}


def queue_filter(form: Form) -> tuple[QueueFilter, int]:
    """The filter that the queue's form gives, its problems filed at their inputs."""
    v = form.get
    state = v("state", "pending") or "pending"
    if state not in dict(STATES):
        form.add("state", f"not a state: {state!r}")
    flag = v("flag") or None
    if flag is not None and flag not in FLAGS:
        form.add("flag", f"not a flag: {flag!r}")
    destination = v("destination").upper() or None
    if destination is not None and not re.fullmatch(r"[A-Z]{2}", destination):
        form.add("destination", "a country's two-letter code (ISO 3166-1), e.g. BG")
    older = v("older_than") or None
    if older is not None and not (older.isdigit() and int(older) <= 100_000):
        form.add("older_than", "a whole number of days, 0 or more")
    offset = v("offset", "0")
    start = int(offset) if offset.isdigit() and int(offset) < 10_000_000 else 0
    return QueueFilter(state=None if state == "all" else state, flag=flag,
                       destination=destination, exporter=v("exporter") or None,
                       older_than=int(older) if older and older.isdigit() else None), start


@page(router, "GET", "/queue", P.CASE_READ)
def queue_page(request: Request) -> Response:
    """The work queue: cases filtered by state, flag, destination, exporter and age."""
    form = Form.of(request.query_params, QUEUE_INPUTS)
    f, offset = queue_filter(form)
    caller = request.state.caller
    if caller.limit is not None:  # an exporter's company, a reviewer's body
        f = QueueFilter(f.state, f.flag, f.destination,
                        caller.limit.party_id or f.exporter, f.older_than, caller.limit.body)
    rows: list[dict[str, Any]] = []
    more: int | None = None
    authority = services(request).authority
    if form.ok:
        with authority.engine.connect() as conn:
            rows, more = work_queue(conn, authority.clock.today(), authority.assess_many, f,
                                    limit=PAGE, offset=offset)
    query = {k: v for k, v in form.values.items() if v and k != "offset"}
    return render(request, "queue.html", status=200 if form.ok else 422, title="Work queue",
                  form=form, rows=rows, more=more, offset=offset, page=PAGE, query=query,
                  states=STATES, flag_options=[("", "any flag")] + [(f, f) for f in FLAGS])


# --- the case page ----------------------------------------------------------------------

def case_view(request: Request, app_id: str, *, forms: dict[str, Form] | None = None,
              status: int = 200, done: str | None = None, preview: Any = None) -> Response:
    """The case page, with the forms of the actions the caller may take (and their
    problems, when one was just refused)."""
    s = services(request)
    principal = who(request)
    resource = case_resource(s.authority, app_id)
    request.state.caller.check(P.CASE_READ, resource)
    case = s.authority.case(app_id)
    assessment = s.authority.assess(app_id)
    with s.engine.connect() as conn:
        lines = case_lines(conn, app_id)
        document = certificate_file(conn, app_id)
        timeline = ([] if principal.role is UserRole.EXPORTER else
                    audit_store.subject_rows(conn, "application", app_id)
                    + audit_store.subject_rows(conn, "certificate-file", app_id))
    timeline.sort(key=lambda r: r.seq)
    record = case["application"]
    pending = record["state"] in PENDING_STATES
    open_bodies = {r["body"] for r in case["consent_requests"] if r["status"] == "open"}

    def may(permission: P) -> bool:
        return allows(principal, permission, resource).allowed

    actions = {
        "opinion": pending and may(P.CONSENT_GIVE) and principal.body in open_bodies,
        "decide": pending and may(P.LICENCE_DECIDE),
        "refuse": pending and may(P.LICENCE_DECIDE),
        "question": pending and may(P.CASE_RETURN) and case["awaiting"] is None,
        "answer": pending and may(P.CASE_AMEND) and case["awaiting"] is not None,
        "withdraw": pending and may(P.CASE_WITHDRAW),
        "appeal": record["state"] == "refused" and may(P.CASE_APPEAL),
        "resolve": pending and may(P.NSC_RESOLVE) and "nsc" in assessment.consents,
    }
    forms = {name: Form() for name in actions} | (forms or {})
    return render(request, "case.html", status=status, title=f"Case {app_id}", case=case,
                  record=record, assessment=assessment, lines=lines, document=document,
                  timeline=timeline, actions=actions, forms=forms, done=done, preview=preview,
                  criterion_options=[("", "choose a criterion")] + [
                      (str(n), f"{n}: {text}") for n, text in CRITERIA.items()])


@page(router, "GET", "/cases/{app_id}", P.CASE_READ)
def case_page(request: Request, app_id: str) -> Response:
    """A case: parties and their screening, goods (effective categories), the assessment
    with every flag, reason and legal basis, consents, the timeline, and the actions."""
    done = request.query_params.get("done")
    return case_view(request, app_id, done=DONE.get(done or ""))


@page(router, "GET", "/cases/{app_id}/certificate", P.CASE_READ, response_class=Response)
def certificate_document(request: Request, app_id: str) -> Response:
    """The end-user certificate's PDF as uploaded with the application."""
    s = services(request)
    request.state.caller.check(P.CASE_READ, case_resource(s.authority, app_id))
    with s.engine.connect() as conn:
        found = certificate_file(conn, app_id, content=True)
    if found is None:
        raise NotFound("certificate", f"no certificate document kept with {app_id!r}")
    return Response(found["content"], media_type=found["media_type"], headers={
        "Content-Disposition": f'inline; filename="certificate-{app_id}.pdf"',
        "X-Content-SHA256": found["sha256"]})


DONE = {
    "submitted": "The application was submitted and assessed.",
    "opinion": "Your body's opinion was recorded.",
    "decided": "The decision was recorded.",
    "refused": "The case was refused on the criterion given.",
    "asked": "The question was sent to the exporter.",
    "answered": "Your answer was recorded.",
    "withdrawn": "The application was withdrawn.",
    "appealed": "The appeal was lodged as a new case.",
    "resolved": "The council's resolution was recorded.",
}
