"""The actions on a case, as forms on its page: each calls one method of the service
(one transaction, audited, as the caller), then shows the case again (303). On bad input,
or an action that the case's state or version no longer allows, the case page comes back
with the problem at the form's input and nothing was written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from armsgate.access.policy import Permission as P
from armsgate.access.policy import Resource
from armsgate.api.routes.cases import case_resource
from armsgate.api.services import services
from armsgate.domain import inputs as i
from armsgate.domain.model import Decision, Resolve
from armsgate.errors import InputError, StateConflict
from armsgate.rules.engine import Assessment
from armsgate.services.authority import Authority
from armsgate.web.access import HtmlRoute, page, who
from armsgate.web.forms import Form, status_of, validate
from armsgate.web.impact import Impact
from armsgate.web.routes.cases import case_view
from armsgate.web.routes.session import Posted

router = APIRouter(route_class=HtmlRoute)


class OpinionForm(BaseModel):
    decision: Decision
    reason: str = Field(default="", max_length=4000)


class RefusalForm(BaseModel):
    criterion: int = Field(ge=1, le=8)
    reason: str = Field(min_length=1, max_length=4000)


class EmptyForm(BaseModel):
    pass


class TextForm(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class WithdrawalForm(BaseModel):
    reason: str = Field(default="", max_length=4000)


class AppealForm(BaseModel):
    new_id: str | None = Field(default=None, min_length=1, max_length=64)


class ResolutionForm(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    decision: Resolve


def _as(request: Request) -> Authority:
    return services(request).authority.acting_as(who(request).username)


def _version(form: Form) -> int | None:
    text = form.get("expected_version")
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


def act(request: Request, app_id: str, name: str, form: Form, model: type[BaseModel],
        data: dict[str, Any], do: Callable[[Any], Any], done: str,
        permission: P) -> Response:
    """Check the caller on the case, validate the form, do it: the case page again."""
    request.state.caller.check(permission, case_resource(services(request).authority, app_id))
    command = validate(form, model, data)
    status = 422
    if command is not None:
        try:
            result = do(command)
        except (InputError, StateConflict) as exc:
            form.problem(exc)
            status = status_of(exc)
        else:  # an appeal shows the new case; any other action the same one
            target = result.application if isinstance(result, Assessment) else app_id
            return RedirectResponse(f"/cases/{target}?done={done}", status_code=303)
    return case_view(request, app_id, forms={name: form}, status=status)


def _blank_none(value: str) -> str | None:
    return value or None


@page(router, "POST", "/cases/{app_id}/opinion", P.CONSENT_GIVE)
def opinion_form(request: Request, app_id: str, data: Posted) -> Response:
    """A ministry's consent or objection (its own body's; an objection with a reason)."""
    form = Form.of(data, {"decision", "reason"})
    body = who(request).body or ""
    record = services(request).authority.application(app_id)
    request.state.caller.check(P.CONSENT_GIVE, Resource.opinion(app_id, record["exporter"], body))
    if form.get("decision") == "object" and not form.get("reason"):
        form.add("reason", "an objection needs a reason")
        return case_view(request, app_id, forms={"opinion": form}, status=422)

    def do(c: OpinionForm) -> None:
        cmd = i.ConsentIn(application=app_id, body=body, decision=c.decision, reason=c.reason)
        _as(request).consent(cmd, expected_version=_version(form))

    return act(request, app_id, "opinion", form, OpinionForm,
               {"decision": _blank_none(form.get("decision")), "reason": form.get("reason")},
               do, "opinion", P.CONSENT_GIVE)


@page(router, "POST", "/cases/{app_id}/decision", P.LICENCE_DECIDE)
def decision_form(request: Request, app_id: str, data: Posted) -> Response:
    form = Form.of(data, set())
    return act(request, app_id, "decide", form, EmptyForm, {},
               lambda _: _as(request).decide(i.Decide(application=app_id),
                                             expected_version=_version(form)),
               "decided", P.LICENCE_DECIDE)


@page(router, "POST", "/cases/{app_id}/refusal", P.LICENCE_DECIDE)
def refusal_form(request: Request, app_id: str, data: Posted) -> Response:
    """Refuse on a criterion (1-8) of the EU Common Position, with a written reason."""
    form = Form.of(data, {"criterion", "reason"})
    return act(request, app_id, "refuse", form, RefusalForm,
               {"criterion": _blank_none(form.get("criterion")), "reason": form.get("reason")},
               lambda c: _as(request).refuse(app_id, c.criterion, c.reason,
                                             expected_version=_version(form)),
               "refused", P.LICENCE_DECIDE)


@page(router, "POST", "/cases/{app_id}/question", P.CASE_RETURN)
def question_form(request: Request, app_id: str, data: Posted) -> Response:
    """Return the case to its exporter with a question (it stays in review)."""
    form = Form.of(data, {"text"})
    return act(request, app_id, "question", form, TextForm, {"text": form.get("text")},
               lambda c: _as(request).ask(app_id, c.text, expected_version=_version(form)),
               "asked", P.CASE_RETURN)


@page(router, "POST", "/cases/{app_id}/answer", P.CASE_AMEND)
def answer_form(request: Request, app_id: str, data: Posted) -> Response:
    form = Form.of(data, {"text"})
    return act(request, app_id, "answer", form, TextForm, {"text": form.get("text")},
               lambda c: _as(request).answer(app_id, c.text, expected_version=_version(form)),
               "answered", P.CASE_AMEND)


@page(router, "POST", "/cases/{app_id}/withdrawal", P.CASE_WITHDRAW)
def withdrawal_form(request: Request, app_id: str, data: Posted) -> Response:
    form = Form.of(data, {"reason"})
    return act(request, app_id, "withdraw", form, WithdrawalForm, {"reason": form.get("reason")},
               lambda c: _as(request).withdraw(app_id, c.reason,
                                               expected_version=_version(form)),
               "withdrawn", P.CASE_WITHDRAW)


@page(router, "POST", "/cases/{app_id}/appeal", P.CASE_APPEAL)
def appeal_form(request: Request, app_id: str, data: Posted) -> Response:
    """Appeal a refusal within the deadline: a new case, shown next."""
    form = Form.of(data, {"new_id"})
    return act(request, app_id, "appeal", form, AppealForm,
               {"new_id": _blank_none(form.get("new_id"))},
               lambda c: _as(request).appeal(app_id, new_id=c.new_id,
                                             expected_version=_version(form)),
               "appealed", P.CASE_APPEAL)


@page(router, "POST", "/cases/{app_id}/resolution", P.NSC_RESOLVE)
def resolution_form(request: Request, app_id: str, data: Posted) -> Response:
    """The council's special resolution, recorded by its secretary: previewed first, then
    confirmed with the preview's fingerprint (refused if the data changed since)."""
    form = Form.of(data, {"id", "decision", "step", "expect"})
    request.state.caller.check(P.NSC_RESOLVE, case_resource(services(request).authority, app_id))
    command = validate(form, ResolutionForm, {"id": form.get("id"),
                                              "decision": _blank_none(form.get("decision"))})
    confirm = form.get("step") == "confirm" and bool(form.get("expect"))
    status = 422
    if command is not None:
        cmd = i.ResolveIn(id=command.id, application=app_id, decision=command.decision)
        try:
            report = _as(request).resolve(cmd, preview=not confirm,
                                          expect=form.get("expect") if confirm else None,
                                          expected_version=_version(form))
        except (InputError, StateConflict) as exc:
            form.problem(exc)
            status = status_of(exc)
        else:
            if confirm:
                return RedirectResponse(f"/cases/{app_id}?done=resolved", status_code=303)
            return case_view(request, app_id, forms={"resolve": form},
                             preview=Impact.of(report, preview=True, chart_id="resolution"))
    return case_view(request, app_id, forms={"resolve": form}, status=status)
