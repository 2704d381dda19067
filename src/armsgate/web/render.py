"""Rendering pages: one Jinja2 environment over the package's templates, autoescaped.

Every page gets the signed-in principal (`me`), its navigation, the service's day and
the request's path; scripts and styles come from `/static` (vendored, never a CDN).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from armsgate.access.roles import ROLE_TITLES, Principal, UserRole
from armsgate.api.services import services


def euro(value: Any) -> str:
    """12345.5 -> "EUR 12,345.50"."""
    return f"EUR {Decimal(str(value)):,.2f}"


def role_title(role: str | UserRole) -> str:
    return ROLE_TITLES.get(UserRole(role), str(role))


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("armsgate.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["euro"] = euro
    env.filters["role_title"] = role_title
    return env


def render(request: Request, template: str, *, status: int = 200,
           principal: Principal | None = None, **context: Any) -> HTMLResponse:
    from armsgate.web.access import nav_for  # the access module renders its error pages

    caller = getattr(request.state, "caller", None)
    me = principal or (caller.principal if caller is not None else None)
    html = environment().get_template(template).render(
        me=me, nav=nav_for(me), path=request.url.path,
        today=services(request).authority.clock.today(), **context)
    return HTMLResponse(html, status_code=status)
