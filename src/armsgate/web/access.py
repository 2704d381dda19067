"""Pages are declared like API routes, in the same access table, and answer in HTML.

`page(router, METHOD, path, permission)` is `api.access.route` for a page: the route is
recorded in `ACCESS` with its permission and guarded by the same policy, kept out of the
OpenAPI document, and named in `PAGES`. The router's `HtmlRoute` turns what the guard or
a service raises into a page: a signed-out browser is sent to the sign-in page (303, with
the page to come back to); a refusal, a missing record, a state that does not allow the
action or bad input is shown as a page with its status and the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute

from armsgate.access.policy import Permission, allows
from armsgate.access.roles import Principal, UserRole
from armsgate.api.access import Caller, principal_of, route
from armsgate.errors import ArmsgateError, InputError, Unauthenticated
from armsgate.web.render import render

F = TypeVar("F", bound=Callable[..., Any])
PAGES: set[str] = set()  # the names of the routes that answer in HTML


def signin_redirect(request: Request) -> RedirectResponse:
    """To the sign-in page, and back to the page asked for (a form's page is not one)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    back = request.method == "GET" and target not in ("/", "/signin")
    where = f"/signin?next={quote(target)}" if back else "/signin"
    return RedirectResponse(where, status_code=303)


def error_page(request: Request, exc: Exception) -> Response:
    if isinstance(exc, Unauthenticated):
        return signin_redirect(request)
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()))
        exc = InputError(where, str(first.get("msg", "invalid")))
    assert isinstance(exc, ArmsgateError)
    titles = {403: "Not allowed", 404: "Not found", 409: "Not possible now",
              422: "Bad input", 503: "The store cannot be reached"}
    return render(request, "error.html", status=exc.status,
                  title=titles.get(exc.status, "Error"), message=exc.message)


class HtmlRoute(APIRoute):
    """A page's route: the project's errors become pages (see the module's docstring)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except (ArmsgateError, RequestValidationError) as exc:
                return error_page(request, exc)

        return page_handler


def page(router: Any, method: str, path: str, permission: Permission | str,
         **kwargs: Any) -> Callable[[F], F]:
    """Declare a page with its permission (in the access table) and its guard."""

    def register(func: F) -> F:
        PAGES.add(func.__name__)
        kwargs.setdefault("response_class", HTMLResponse)
        return route(router, method, path, permission, include_in_schema=False,
                     **kwargs)(func)

    return register


def who(request: Request) -> Principal:
    """The signed-in caller that the page's guard admitted."""
    found: Caller = request.state.caller
    return found.principal


def signed_in(request: Request) -> Principal | None:
    """The caller on a public page, if signed in."""
    try:
        return principal_of(request)
    except Unauthenticated:
        return None


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    permission: Permission
    scoped: bool = True  # shown to scoped grants (an exporter's, a reviewer's) too


NAV = (
    NavItem("Dashboard", "/dashboard", Permission.DASHBOARD_READ),
    NavItem("Work queue", "/queue", Permission.CASE_READ, scoped=False),
    NavItem("My applications", "/applications", Permission.CASE_SUBMIT),
    NavItem("New application", "/applications/new", Permission.CASE_SUBMIT),
    NavItem("Opinions", "/opinions", Permission.CONSENT_GIVE),
    NavItem("Council", "/council", Permission.NSC_AGENDA),
    NavItem("Suspensions", "/control", Permission.SUSPENSION_DECLARE),
    NavItem("Screening", "/screening", Permission.SCREENING_SEARCH),
)


def nav_for(principal: Principal | None) -> list[NavItem]:
    if principal is None:
        return []
    items = []
    for item in NAV:
        decision = allows(principal, item.permission)
        if decision.allowed and (item.scoped or decision.limit is None):
            items.append(item)
    return items


def home_of(principal: Principal) -> str:
    """Where a role starts: its first page, or the account page."""
    if principal.role is UserRole.EXPORTER:
        return "/applications"
    items = nav_for(principal)
    return items[0].path if items else "/account"
