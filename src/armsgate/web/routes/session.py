"""The front page, signing in and out, one's account, and the static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from armsgate.access.policy import Permission as P
from armsgate.api.access import (
    FORGERY_FIELD,
    FORGERY_HEADER,
    PUBLIC,
    check_forgery,
    close_session_cookie,
    open_session_cookie,
    route,
)
from armsgate.api.services import services
from armsgate.demo.accounts import demo_password
from armsgate.errors import NotFound
from armsgate.services.views import demo_accounts
from armsgate.web.access import HtmlRoute, home_of, page, signed_in, who
from armsgate.web.forms import FORM, Form
from armsgate.web.render import render

router = APIRouter(route_class=HtmlRoute)
assets = APIRouter()
STATIC = files("armsgate.web") / "static"
TYPES = {".css": "text/css", ".js": "text/javascript", ".txt": "text/plain",
         ".md": "text/markdown", ".svg": "image/svg+xml"}


async def posted(request: Request) -> AsyncIterator[FormData]:
    """The request's form (URL-encoded or multipart), its files closed afterwards; refused
    (403) without the session's anti-forgery token (`api.access.check_forgery`)."""
    form = await request.form()
    try:
        field = form.get(FORGERY_FIELD)
        check_forgery(request, field if isinstance(field, str)
                      else request.headers.get(FORGERY_HEADER))
        yield form
    finally:
        await form.close()


async def posted_signed_out(request: Request) -> AsyncIterator[FormData]:
    """The sign-in form's fields: no session yet, so no anti-forgery token to check."""
    form = await request.form()
    try:
        yield form
    finally:
        await form.close()


Posted = Annotated[FormData, Depends(posted)]
SignInPosted = Annotated[FormData, Depends(posted_signed_out)]


def _safe_next(target: str) -> str | None:
    return target if target.startswith("/") and not target.startswith("//") else None


def _signin(request: Request, form: Form, status: int = 200) -> Response:
    with services(request).engine.connect() as conn:
        demo = [{**a, "password": demo_password(a["username"])} for a in demo_accounts(conn)]
    return render(request, "signin.html", status=status, form=form, demo=demo,
                  next=request.query_params.get("next", form.get("next")))


@page(router, "GET", "/", PUBLIC)
def front(request: Request) -> Response:
    """Signed out: the sign-in page. Signed in: the role's first page."""
    principal = signed_in(request)
    if principal is None:
        return _signin(request, Form())
    return RedirectResponse(home_of(principal), status_code=303)


@page(router, "GET", "/signin", PUBLIC)
def signin_page(request: Request) -> Response:
    return _signin(request, Form())


@page(router, "POST", "/signin", PUBLIC)
def signin(request: Request, data: SignInPosted) -> Response:
    """Check the password, set the session cookie (HttpOnly, SameSite=Strict), go on."""
    form = Form.of(data, {"username", "password", "next"})
    form.values.pop("password", None)  # never sent back
    for name in ("username", "password"):
        if not str(data.get(name, "")).strip():
            form.add(name, "required")
    if not form.ok:
        return _signin(request, form, 422)
    s = services(request)
    session = s.accounts.sign_in(form.get("username"), str(data.get("password", "")))
    if session is None:
        form.add(FORM, "Wrong user name or password.")
        return _signin(request, form, 401)
    target = _safe_next(form.get("next")) or home_of(session.principal)
    response = RedirectResponse(target, status_code=303)
    open_session_cookie(request, response, session)
    return response


@page(router, "POST", "/signout", P.ACCOUNT_SELF)
def signout(request: Request, data: Posted) -> Response:
    response = RedirectResponse("/signin", status_code=303)
    close_session_cookie(request, response)
    return response


@page(router, "GET", "/account", P.ACCOUNT_SELF)
def account(request: Request) -> Response:
    return render(request, "account.html", principal=who(request))


@route(assets, "GET", "/static/{name:path}", PUBLIC, include_in_schema=False,
       response_class=Response)
def static_file(name: str) -> Response:
    """The pages' own scripts and styles and the vendored libraries (docs/web.md)."""
    parts = name.split("/")
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if any(p in ("", ".", "..") for p in parts) or suffix not in TYPES:
        raise NotFound("static", f"no file {name!r}")
    path = STATIC.joinpath(*parts)
    if not path.is_file():
        raise NotFound("static", f"no file {name!r}")
    return Response(path.read_bytes(), media_type=TYPES[suffix],
                    headers={"Cache-Control": "public, max-age=3600"})
