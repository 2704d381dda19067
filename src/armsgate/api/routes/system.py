"""Health, sign-in, the dashboard's counts, screening and the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import text

from armsgate.access.policy import Permission as P
from armsgate.api.access import (
    PUBLIC,
    caller,
    close_session_cookie,
    open_session_cookie,
    route,
)
from armsgate.api.errors import ERROR_RESPONSES
from armsgate.api.schemas import (
    AuditRowOut,
    Health,
    PrincipalOut,
    ScreeningMatch,
    SignIn,
    VerifyOut,
)
from armsgate.api.services import services
from armsgate.audit import store as audit_store
from armsgate.errors import InputError, StoreError, Unauthenticated
from armsgate.screening.matcher import NameQuery

router = APIRouter(tags=["system"])


@route(router, "GET", "/health", PUBLIC, quick=True, response_model=Health)
def health(request: Request) -> Health:
    """Up, with the store reachable; the service's day."""
    s = services(request)
    try:
        with s.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise StoreError(f"the store cannot be reached: {type(exc).__name__}") from None
    return Health(status="ok", database=s.engine.dialect.name, day=s.authority.clock.today())


@route(router, "POST", "/api/session", PUBLIC, response_model=PrincipalOut,
       responses={401: ERROR_RESPONSES[401] | {"description": "wrong user name or password"}})
def sign_in(request: Request, response: Response, body: SignIn) -> PrincipalOut:
    """Sign in with a password: sets the session cookie (HttpOnly, SameSite=Strict)."""
    session = services(request).accounts.sign_in(body.username, body.password)
    if session is None:
        raise Unauthenticated("wrong user name or password")
    open_session_cookie(request, response, session)
    return PrincipalOut.model_validate(session.principal.to_json())


@route(router, "DELETE", "/api/session", P.ACCOUNT_SELF, quick=True, status_code=204,
       response_class=Response)
def sign_out(request: Request) -> Response:
    response = Response(status_code=204)
    close_session_cookie(request, response)
    return response


@route(router, "GET", "/api/me", P.ACCOUNT_SELF, quick=True, response_model=PrincipalOut)
def me(request: Request) -> PrincipalOut:
    return PrincipalOut.model_validate(caller(request).principal.to_json())


@route(router, "GET", "/api/counts", P.DASHBOARD_READ, response_model=dict[str, dict[str, int]])
def counts(request: Request) -> dict[str, dict[str, int]]:
    """Applications and licences by state."""
    return services(request).authority.counts()


@route(router, "GET", "/api/screening", P.SCREENING_SEARCH, response_model=list[ScreeningMatch])
def screen_name(request: Request, name: Annotated[str, Query(min_length=1, max_length=300)],
                country: Annotated[str | None, Query(pattern="^[A-Z]{2}$")] = None,
                schema: Annotated[str | None, Query(pattern="^(person|organisation)$")] = None,
                ) -> list[ScreeningMatch]:
    """A name against the lists in force, each match explained."""
    if not name.strip():
        raise InputError("query.name", "give a name")
    found = services(request).authority.screen(NameQuery(name, country=country, schema=schema))
    return [ScreeningMatch(list=ref.list, entity_id=ref.entity_id, name=ref.name,
                           score=round(m.score, 4), match=m.match, explanation=m.explanation)
            for ref, m in found]


@route(router, "GET", "/api/audit", P.AUDIT_READ, response_model=list[AuditRowOut])
def audit_rows(request: Request,
               subject: Annotated[str | None, Query(pattern="^[^:]+:.+$")] = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> list[AuditRowOut]:
    """The latest rows of the audit trail, of one subject (`KIND:ID`) or all."""
    target = None if subject is None else tuple(subject.split(":", 1))
    with services(request).engine.connect() as conn:
        rows = audit_store.recent(conn, subject=target, limit=limit)  # type: ignore[arg-type]
    return [AuditRowOut.model_validate(r.to_json()) for r in rows]


@route(router, "GET", "/api/audit/verify", P.AUDIT_VERIFY, response_model=VerifyOut)
def audit_verify(request: Request) -> VerifyOut:
    """The whole chain checked with the key against the head recorded outside the store."""
    s = services(request)
    with s.engine.connect() as conn:
        report = s.trail.verify(conn)
    return VerifyOut(intact=report.intact, report=report.to_json())


__all__ = ["router"]
