"""Rendering pages: one Jinja2 environment over the package's templates, autoescaped.

Every page gets the signed-in principal (`me`), its navigation, the service's day, the
request's path and the session's anti-forgery token (`csrf_token`, which every form that
changes something sends back); scripts and styles come from `/static` (vendored, never a CDN).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from armsgate.access.credentials import forgery_token
from armsgate.access.roles import ROLE_TITLES, Principal, UserRole
from armsgate.api.access import SESSION_COOKIE
from armsgate.api.services import services


def euro(value: Any) -> str:
    """12345.5 -> "EUR 12,345.50"."""
    return f"EUR {Decimal(str(value)):,.2f}"


def field_label(name: str) -> str:
    """An input's name in words, for the list of a form's problems:
    `goods[0].euc_quantity` -> "Line 1: quantity on the certificate"."""
    words = _words(name)
    return words[:1].upper() + words[1:]


def _words(name: str) -> str:
    found = re.fullmatch(r"goods\[(\d+)\]\.(\w+)", name)
    if found:
        return f"line {int(found[1]) + 1}: {WORDS.get(found[2], found[2].replace('_', ' '))}"
    head, _, rest = name.partition(".")
    if rest and head == "euc":
        return f"certificate: {WORDS.get(rest, rest.replace('_', ' '))}"
    return WORDS.get(name, name.replace("_", " ").replace(".", ": "))


WORDS = {"id": "reference", "euc_quantity": "quantity on the certificate",
         "euc_file": "the certificate (PDF)", "non_reexport": "re-export clause",
         "older_than": "age", "new_id": "reference of the appeal"}


def role_title(role: str | UserRole) -> str:
    return ROLE_TITLES.get(UserRole(role), str(role))


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("armsgate.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["euro"] = euro
    env.filters["role_title"] = role_title
    env.filters["field_label"] = field_label
    return env


def render(request: Request, template: str, *, status: int = 200,
           principal: Principal | None = None, **context: Any) -> HTMLResponse:
    from armsgate.web.access import nav_for  # the access module renders its error pages

    caller = getattr(request.state, "caller", None)
    me = principal or (caller.principal if caller is not None else None)
    session = request.cookies.get(SESSION_COOKIE)
    html = environment().get_template(template).render(
        me=me, nav=nav_for(me), path=request.url.path,
        today=services(request).authority.clock.today(),
        csrf_token=forgery_token(session) if session else "", **context)
    return HTMLResponse(html, status_code=status)
