"""The exporter's pages: its company's applications, and the submission form (goods lines,
parties, route, end-user certificate and the certificate's PDF, kept with its SHA-256)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from armsgate.access.policy import Permission as P
from armsgate.access.policy import Resource
from armsgate.api.services import services
from armsgate.domain import inputs as i
from armsgate.errors import Forbidden, InputError, StateConflict
from armsgate.services.certificates import Upload, check_pdf, submit_with_certificate
from armsgate.web.access import HtmlRoute, page, who
from armsgate.web.forms import LINES, SUBMISSION_INPUTS, Form, status_of, submission, validate
from armsgate.web.render import render
from armsgate.web.routes.session import Posted

router = APIRouter(route_class=HtmlRoute)
SHOWN = 500


def _company(request: Request) -> str:
    party = who(request).party_id
    if party is None:
        raise Forbidden(f"{who(request).username} has no company on its account")
    return party


@page(router, "GET", "/applications", P.CASE_SUBMIT)
def my_applications(request: Request) -> Response:
    """The company's applications, newest first, with their states."""
    party = _company(request)
    rows = services(request).authority.cases(exporter=party, limit=SHOWN)
    return render(request, "applications.html", title="My applications", party=party,
                  rows=list(reversed(rows)), shown=SHOWN)


def _form_page(request: Request, form: Form, status: int = 200) -> Response:
    world = services(request).authority.world()
    parties = sorted(world.parties.values(), key=lambda p: p.id)
    goods = sorted(world.goods.values(), key=lambda g: g.id)
    return render(request, "new_application.html", status=status,
                  title="New application", form=form, lines=range(LINES), parties=parties,
                  goods=goods, party=_company(request))


@page(router, "GET", "/applications/new", P.CASE_SUBMIT)
def new_application(request: Request) -> Response:
    _company(request)
    return _form_page(request, Form(names=frozenset(SUBMISSION_INPUTS)))


async def _read(value: Any) -> Upload | None:
    if isinstance(value, UploadFile) and value.filename:
        return Upload(value.filename, await value.read())
    return None


@page(router, "POST", "/applications/new", P.CASE_SUBMIT)
async def submit_application(request: Request, data: Posted) -> Response:
    """Submit: judged on the day, consents requested; on any problem the form comes back
    with it at its input, and nothing is saved."""
    upload = await _read(data.get("euc_file"))
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_submit, request, data, upload)


def _submit(request: Request, data: Any, upload: Upload | None) -> Response:
    exporter = _company(request)
    form = Form.of(data, SUBMISSION_INPUTS)
    doc, rename = submission(form, exporter)
    request.state.caller.check(P.CASE_SUBMIT, Resource.case(doc["id"] or "new", exporter))
    cmd = validate(form, i.Submit, doc, rename)
    if upload is not None:
        try:
            check_pdf(upload)
        except InputError as exc:
            form.problem(exc)
        if "euc" not in doc:
            form.add("euc.number", "a certificate's file needs the certificate's details")
    elif "euc" in doc:
        form.add("euc_file", "attach the certificate's PDF")
    if cmd is None or not form.ok:
        return _form_page(request, form, 422)
    try:
        submit_with_certificate(services(request).authority, cmd, upload,
                                actor=who(request).username)
    except (InputError, StateConflict) as exc:
        form.problem(exc, rename)
        return _form_page(request, form, status_of(exc))
    return RedirectResponse(f"/cases/{cmd.id}?done=submitted", status_code=303)
