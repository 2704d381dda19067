"""The review workflow: drafts, questions to the exporter, withdrawal, refusal on a
criterion, amendments, appeals, overdue consents and the council's agenda.

Commands on a case take `expected_version` (the version the user saw, from the case's
`application.version` or the last command's answer) and answer 409 if it changed since.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from armsgate.access.policy import Permission as P
from armsgate.access.policy import Resource
from armsgate.api.access import caller, route
from armsgate.api.routes.cases import _check_case
from armsgate.api.schemas import AssessmentOut
from armsgate.api.services import services
from armsgate.domain import inputs as i
from armsgate.errors import InputError
from armsgate.services.authority import Authority

router = APIRouter(prefix="/api", tags=["review"])
INT4 = 2**31 - 1  # the store's integer columns (PostgreSQL refuses larger values: a 500)
Version = Annotated[int | None, Field(ge=1, le=INT4, description="the case's version you saw")]
DraftId = Annotated[int, Path(ge=1, le=INT4)]
ExpectedVersion = Annotated[int | None, Query(ge=1, le=INT4)]


class StatusOut(BaseModel):
    application: str
    state: str
    version: int


class DraftIn(BaseModel):
    exporter: str = Field(min_length=1, max_length=64)
    document: dict[str, Any] = Field(description="a submission, as POST /api/cases takes")


class DraftRef(BaseModel):
    id: int
    version: int


class QuestionIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    expected_version: Version = None


class WithdrawIn(BaseModel):
    reason: str = Field(default="", max_length=4000)
    expected_version: Version = None


class RefusalIn(BaseModel):
    criterion: int = Field(ge=1, le=8, description="EU Common Position 2008/944/CFSP")
    reason: str = Field(min_length=1, max_length=4000)
    expected_version: Version = None


class AppealIn(BaseModel):
    new_id: str | None = Field(default=None, min_length=1, max_length=64)
    expected_version: Version = None


def _as(request: Request) -> Authority:
    return services(request).authority.acting_as(caller(request).principal.username)


def _status(s: Any) -> StatusOut:
    return StatusOut(application=s.application, state=s.state.value, version=s.version)


def _own_draft(request: Request, permission: P, draft_id: int) -> dict[str, Any]:
    draft = services(request).authority.draft(draft_id)
    caller(request).check(permission, Resource.case(f"draft-{draft_id}", draft["exporter"]))
    return draft


# --- drafts -----------------------------------------------------------------------------

@route(router, "POST", "/drafts", P.CASE_SUBMIT, quick=True,
       response_model=DraftRef, status_code=201)
def create_draft(request: Request, body: DraftIn) -> DraftRef:
    """Save an application as a draft (checked when submitted, not before)."""
    caller(request).check(P.CASE_SUBMIT, Resource.case("draft", body.exporter))
    return DraftRef.model_validate(_as(request).create_draft(body.exporter, body.document))


@route(router, "GET", "/drafts", P.CASE_SUBMIT, response_model=list[dict[str, Any]])
def list_drafts(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> list[dict[str, Any]]:
    """The drafts of the caller's company (all drafts for the officer roles allowed)."""
    limit_ = caller(request).limit
    exporter = None if limit_ is None else limit_.party_id
    return services(request).authority.drafts(exporter=exporter, limit=limit, offset=offset)


@route(router, "GET", "/drafts/{draft_id}", P.CASE_SUBMIT, quick=True,
       response_model=dict[str, Any])
def get_draft(request: Request, draft_id: DraftId) -> dict[str, Any]:
    return _own_draft(request, P.CASE_SUBMIT, draft_id)


@route(router, "PUT", "/drafts/{draft_id}", P.CASE_SUBMIT, quick=True, response_model=DraftRef)
def update_draft(request: Request, draft_id: DraftId, body: DraftIn,
                 expected_version: ExpectedVersion = None) -> DraftRef:
    draft = _own_draft(request, P.CASE_SUBMIT, draft_id)
    if body.exporter != draft["exporter"]:
        raise InputError("body.exporter", "a draft stays with its exporter")
    return DraftRef.model_validate(_as(request).update_draft(
        draft_id, body.document, expected_version=expected_version))


@route(router, "DELETE", "/drafts/{draft_id}", P.CASE_SUBMIT, quick=True, status_code=204,
       response_class=Response)
def delete_draft(request: Request, draft_id: DraftId,
                 expected_version: ExpectedVersion = None) -> Response:
    _own_draft(request, P.CASE_SUBMIT, draft_id)
    _as(request).delete_draft(draft_id, expected_version=expected_version)
    return Response(status_code=204)


@route(router, "POST", "/drafts/{draft_id}/submit", P.CASE_SUBMIT, quick=True,
       response_model=AssessmentOut, status_code=201)
def submit_draft(request: Request, draft_id: DraftId,
                 expected_version: ExpectedVersion = None) -> AssessmentOut:
    """Submit the draft: judged on the day, consents requested, the draft removed."""
    _own_draft(request, P.CASE_SUBMIT, draft_id)
    return AssessmentOut.of(_as(request).submit_draft(draft_id,
                                                      expected_version=expected_version))


# --- cases ------------------------------------------------------------------------------

@route(router, "POST", "/cases/{app_id}/questions", P.CASE_RETURN, quick=True,
       response_model=StatusOut)
def ask_exporter(request: Request, app_id: str, body: QuestionIn) -> StatusOut:
    """Return a pending case to its exporter for more information (still in review)."""
    _check_case(request, P.CASE_RETURN, app_id)
    return _status(_as(request).ask(app_id, body.text, expected_version=body.expected_version))


@route(router, "POST", "/cases/{app_id}/answer", P.CASE_AMEND, quick=True, response_model=StatusOut)
def answer_question(request: Request, app_id: str, body: QuestionIn) -> StatusOut:
    """The exporter's answer to the open question."""
    _check_case(request, P.CASE_AMEND, app_id)
    return _status(_as(request).answer(app_id, body.text,
                                       expected_version=body.expected_version))


@route(router, "POST", "/cases/{app_id}/withdrawal", P.CASE_WITHDRAW, quick=True,
       response_model=StatusOut)
def withdraw_case(request: Request, app_id: str, body: WithdrawIn) -> StatusOut:
    """The exporter withdraws a pending case (final)."""
    _check_case(request, P.CASE_WITHDRAW, app_id)
    return _status(_as(request).withdraw(app_id, body.reason,
                                         expected_version=body.expected_version))


@route(router, "POST", "/cases/{app_id}/refusal", P.LICENCE_DECIDE, quick=True,
       response_model=StatusOut)
def refuse_case(request: Request, app_id: str, body: RefusalIn) -> StatusOut:
    """Refuse on a criterion (1-8) of the EU Common Position, with a written reason."""
    _check_case(request, P.LICENCE_DECIDE, app_id)
    return _status(_as(request).refuse(app_id, body.criterion, body.reason,
                                       expected_version=body.expected_version))


@route(router, "PUT", "/cases/{app_id}", P.CASE_AMEND, quick=True, response_model=AssessmentOut)
def amend_case(request: Request, app_id: str, body: i.Submit,
               expected_version: ExpectedVersion = None) -> AssessmentOut:
    """A new version of a pending application, judged again; consents asked again."""
    if body.id != app_id:
        raise InputError("body.id", f"must be the case's id {app_id!r}")
    _check_case(request, P.CASE_AMEND, app_id)
    caller(request).check(P.CASE_AMEND, Resource.case(app_id, body.exporter))
    return AssessmentOut.of(_as(request).amend(body, expected_version=expected_version))


@route(router, "POST", "/cases/{app_id}/appeal", P.CASE_APPEAL, quick=True,
       response_model=AssessmentOut, status_code=201)
def appeal_case(request: Request, app_id: str, body: AppealIn) -> AssessmentOut:
    """Appeal a refusal within the deadline: a new case linked to it, judged anew."""
    _check_case(request, P.CASE_APPEAL, app_id)
    return AssessmentOut.of(_as(request).appeal(app_id, new_id=body.new_id,
                                                expected_version=body.expected_version))


@route(router, "GET", "/consents/overdue", P.CONSENT_OVERDUE, response_model=list[dict[str, Any]])
def overdue_consents(request: Request) -> list[dict[str, Any]]:
    """Consent requests past their deadline, oldest first (a reviewer: its body's only)."""
    rows = services(request).authority.overdue_consents()
    limit_ = caller(request).limit
    if limit_ is not None and limit_.body is not None:
        rows = [r for r in rows if r["body"] == limit_.body]
    return rows


@route(router, "GET", "/nsc/agenda", P.NSC_AGENDA, response_model=list[dict[str, Any]])
def nsc_agenda(request: Request) -> list[dict[str, Any]]:
    """The cases awaiting the National Security Council, each with its assessment."""
    return services(request).authority.nsc_agenda()


__all__ = ["router"]
