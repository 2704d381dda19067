"""Cases: list, read, assess, submit, opinions, the decision, licences."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from armsgate.access.policy import Permission as P
from armsgate.access.policy import Resource, allows
from armsgate.api.access import Caller, caller, route
from armsgate.api.schemas import (
    AssessmentOut,
    CaseOut,
    CasePage,
    CaseRow,
    OpinionIn,
    StateOut,
    answer,
)
from armsgate.api.services import services
from armsgate.domain import inputs as i
from armsgate.errors import Forbidden, InputError
from armsgate.services.authority import Authority
from armsgate.store.repository import euros

router = APIRouter(prefix="/api", tags=["cases"])


def case_resource(authority: Authority, app_id: str, *, bodies: bool = True) -> Resource:
    """The case as access decisions see it: its exporter and the bodies it concerns
    (`bodies=False`: without them, which need an assessment, for a grant not scoped by
    body)."""
    record = authority.application(app_id)
    concerned = authority.assess(app_id).consents if bodies else ()
    return Resource.case(app_id, record["exporter"], concerned)


def _check_case(request: Request, permission: P, app_id: str,
                exporter: str | None = None) -> Caller:
    """Refuse unless the caller may do this to the case; `exporter`: the case's, when the
    route has already read it (one read of the case instead of two)."""
    who = caller(request)
    scope = allows(who.principal, permission).limit  # None: not scoped, or not allowed
    by_body = scope is not None and scope.body is not None
    authority = services(request).authority
    if exporter is None:
        who.check(permission, case_resource(authority, app_id, bodies=by_body))
    else:
        concerned = authority.assess(app_id).consents if by_body else ()
        who.check(permission, Resource.case(app_id, exporter, concerned))
    return who


@route(router, "GET", "/cases", P.CASE_READ, quick=True, response_model=CasePage)
def list_cases(request: Request, state: str | None = None, exporter: str | None = None,
               destination: Annotated[str | None, Query(pattern="^[A-Z]{2}$")] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Response:
    """Cases in submission order, filtered; an exporter sees its own company's only, a
    ministry reviewer those that need its body's consent."""
    who = caller(request)
    authority = services(request).authority
    limit_ = who.limit
    if limit_ is not None and limit_.party_id is not None:
        if exporter not in (None, limit_.party_id):
            raise Forbidden("an exporter lists its own company's cases only")
        exporter = limit_.party_id
    rows = authority.cases(state=state, exporter=exporter, destination=destination,
                           limit=limit + 1, offset=offset,
                           body=None if limit_ is None else limit_.body)
    items = [CaseRow(id=r["id"], exporter=r["exporter"], state=r["state"],
                     state_since=r["state_since"], submitted_on=r["submitted_on"],
                     value_eur=str(euros(r["value_cents"])), reasons=list(r["reasons"]))
             for r in rows[:limit]]
    return answer(CasePage(items=items, limit=limit, offset=offset,
                           next_offset=offset + limit if len(rows) > limit else None))


@route(router, "GET", "/cases/{app_id}", P.CASE_READ, quick=True, response_model=CaseOut)
def get_case(request: Request, app_id: str) -> Response:
    record = services(request).authority.case(app_id)  # nothing of it leaves unless allowed
    _check_case(request, P.CASE_READ, app_id, record["application"]["exporter"])
    return answer(CaseOut.model_validate(record))


@route(router, "GET", "/cases/{app_id}/assessment", P.CASE_READ, quick=True,
       response_model=AssessmentOut)
def assess_case(request: Request, app_id: str, day: date | None = None) -> Response:
    """The assessment with the facts in force on `day` (default: today) as known now."""
    app, assessment = services(request).authority.judged(app_id, day)
    _check_case(request, P.CASE_READ, app_id, app.exporter)
    return answer(AssessmentOut.of(assessment))


@route(router, "GET", "/cases/{app_id}/history", P.CASE_READ, quick=True,
       response_model=dict[str, Any])
def case_history(request: Request, app_id: str, day: date | None = None) -> dict[str, Any]:
    """The case replayed to `day` (default: today): its state and its licence's then."""
    _check_case(request, P.CASE_READ, app_id)
    authority = services(request).authority
    return authority.case_on(app_id, day or authority.clock.today())


@route(router, "POST", "/cases", P.CASE_SUBMIT, quick=True, response_model=AssessmentOut,
       status_code=201)
def submit_case(request: Request, body: i.Submit) -> AssessmentOut:
    """Submit an application; it is screened and assessed on the day of submission."""
    who = caller(request)
    who.check(P.CASE_SUBMIT, Resource.case(body.id, body.exporter))
    authority = services(request).authority.acting_as(who.principal.username)
    return AssessmentOut.of(authority.submit(body))


@route(router, "POST", "/cases/{app_id}/opinions", P.CONSENT_GIVE, quick=True, status_code=204,
       response_class=Response)
def give_opinion(request: Request, app_id: str, body: OpinionIn) -> Response:
    """A body's consent or objection (a ministry reviewer: its own body's only)."""
    who = caller(request)
    record = services(request).authority.application(app_id)
    who.check(P.CONSENT_GIVE, Resource.opinion(app_id, record["exporter"], body.body))
    if body.decision == "object" and not body.reason.strip():
        raise InputError("body.reason", "an objection needs a reason")
    cmd = i.parse(i.ConsentIn, {"application": app_id, **body.model_dump()}, "body")
    services(request).authority.acting_as(who.principal.username).consent(cmd)
    return Response(status_code=204)


@route(router, "POST", "/cases/{app_id}/decision", P.LICENCE_DECIDE, quick=True,
       response_model=StateOut)
def decide_case(request: Request, app_id: str) -> StateOut:
    """Refuse on an objection, approve and issue the licence with every consent, or wait."""
    who = _check_case(request, P.LICENCE_DECIDE, app_id)
    authority = services(request).authority.acting_as(who.principal.username)
    state = authority.decide(i.parse(i.Decide, {"application": app_id}))
    return StateOut(application=app_id, state=state.value)


@route(router, "GET", "/licences/{licence_id}/pdf", P.CASE_READ, response_class=Response,
       responses={200: {"content": {"application/pdf": {}}, "description": "the licence"}})
def licence_pdf(request: Request, licence_id: str) -> Response:
    """The licence document (number, parties, goods, conditions, validity)."""
    authority = services(request).authority
    licence = authority.licence(licence_id)
    _check_case(request, P.CASE_READ, licence["application_id"])
    pdf = services(request).licence_pdf(licence_id)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="licence-{licence_id}.pdf"'})


__all__ = ["router"]
