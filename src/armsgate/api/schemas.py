"""The shapes of the API's answers (the OpenAPI document is generated from these)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Response
from pydantic import BaseModel, Field

from armsgate.rules.engine import Assessment
from armsgate.services.auditing import assessment_json
from armsgate.services.reassess import ChangeReport


def answer(model: BaseModel, status_code: int = 200) -> Response:
    """`model` as the route's JSON answer, made here: the route's `response_model` (the same
    class) documents it, and FastAPI, given a `Response`, neither validates the model again
    nor takes another turn of its thread pool to do so (a sync route's answer is otherwise
    validated in a thread of its own)."""
    return Response(model.model_dump_json(by_alias=True), status_code=status_code,
                    media_type="application/json")


class Health(BaseModel):
    status: str
    database: str
    day: date


class SignIn(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class PrincipalOut(BaseModel):
    username: str
    role: str
    body: str | None = None
    party_id: str | None = None


class CaseRow(BaseModel):
    id: str
    exporter: str
    state: str
    state_since: date | None = None
    submitted_on: date | None = None
    value_eur: str
    reasons: list[str]


class CasePage(BaseModel):
    items: list[CaseRow]
    limit: int
    offset: int
    next_offset: int | None = Field(description="the offset of the next page, if any")


class CaseOut(BaseModel):
    application: dict[str, Any]
    licence: dict[str, Any] | None
    opinions: list[dict[str, Any]]
    history: list[dict[str, Any]]
    screening: list[dict[str, Any]]
    observed_through: str | None


class FindingOut(BaseModel):
    code: str
    effect: str
    rule: str
    basis: str
    facts: dict[str, str]


class AssessmentOut(BaseModel):
    application: str
    day: date
    outcome: str
    flags: list[str]
    reasons: list[str]
    consents: list[str]
    findings: list[FindingOut]

    @classmethod
    def of(cls, a: Assessment) -> AssessmentOut:
        return cls.model_validate(assessment_json(a))


class ChangeOut(BaseModel):
    subject: str
    id: str
    before: str
    after: str
    reasons: list[str]
    exporter: str
    destinations: list[str]
    value_eur: str


class ReportOut(BaseModel):
    """What a change did (or, previewed, would do), with a fingerprint to apply it."""

    preview: bool
    day: date | None
    examined: dict[str, int]
    changed: int
    by_new_state: dict[str, int]
    by_exporter: dict[str, int]
    by_destination: dict[str, int]
    value_affected_eur: str
    fingerprint: str | None = None
    changes: list[ChangeOut]

    @classmethod
    def of(cls, report: ChangeReport, *, preview: bool, limit: int = 1000) -> ReportOut:
        summary = report.summary()
        changes = [ChangeOut(subject=c.subject, id=c.id, before=c.before, after=c.after,
                             reasons=list(c.reasons), exporter=c.exporter,
                             destinations=list(c.destinations), value_eur=str(c.value))
                   for c in report.changes[:limit]]
        return cls(preview=preview, day=report.day, examined=summary["examined"],
                   changed=summary["changed"], by_new_state=summary["by_new_state"],
                   by_exporter=summary["by_exporter"],
                   by_destination=summary["by_destination"],
                   value_affected_eur=summary["value_affected_eur"],
                   fingerprint=report.fingerprint, changes=changes)


class StateOut(BaseModel):
    application: str
    state: str


class OpinionIn(BaseModel):
    """A body's opinion on a case; a ministry reviewer may give only its own body's."""

    body: str = Field(min_length=1, max_length=64)
    decision: str = Field(pattern="^(consent|object)$")
    reason: str = Field(default="", max_length=4000)


class ScreeningMatch(BaseModel):
    list: str
    entity_id: str
    name: str
    score: float
    match: bool
    explanation: str


class AuditRowOut(BaseModel):
    seq: int
    recorded_at: str
    actor: str
    action: str
    subject: list[str] = Field(description="[kind, id]")
    before: Any = None
    after: Any = None
    assessment: Any = None
    hash: str


class VerifyOut(BaseModel):
    intact: bool
    report: dict[str, Any]
