"""Who calls, and the one table of what each route needs.

Every route is declared with `route(...)`, which names its permission (or
PUBLIC) in `ACCESS` and adds the guard that decides it with
`access.policy.allows`; a test enumerates the application's routes and fails on
one missing from `ACCESS`. A route about one resource decides again with the
resource once it has loaded it (`Caller.check`), since grants can be scoped (an
exporter's own company, a reviewer's own body).

Credentials: `Authorization: Bearer <API token>` for machine clients, or the
session cookie set by `POST /api/session` for the web.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request, Response

from armsgate.access.credentials import forgery_token
from armsgate.access.policy import Decision, Limit, Permission, Resource, allows
from armsgate.access.roles import Principal
from armsgate.access.service import Session
from armsgate.api.errors import ERROR_RESPONSES
from armsgate.errors import Forbidden, Unauthenticated

PUBLIC = "public"
SESSION_COOKIE = "armsgate_session"
ACCESS: dict[str, str] = {}  # route name -> permission, or PUBLIC
QUICK: set[str] = set()  # routes run on the event loop (`route(..., quick=True)`)
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Caller:
    principal: Principal
    decision: Decision

    @property
    def limit(self) -> Limit | None:
        return self.decision.limit

    def check(self, permission: Permission, resource: Resource) -> None:
        """Decide again about one resource; Forbidden with the reason if not allowed."""
        decision = allows(self.principal, permission, resource)
        if not decision.allowed:
            raise Forbidden(decision.reason)


def open_session_cookie(request: Request, response: Response, session: Session) -> None:
    """Set the session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS). Its lifetime
    is a max-age, not an absolute expiry: the service's clock may be fixed (a demo's day)."""
    lifetime = session.expires_at - request.app.state.services.authority.clock.now()
    response.set_cookie(SESSION_COOKIE, session.token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https",
                        max_age=max(1, int(lifetime.total_seconds())))
    response.headers["X-CSRF-Token"] = forgery_token(session.token)  # for API clients


def close_session_cookie(request: Request, response: Response) -> None:
    """End the caller's session, if any, and clear its cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        request.app.state.services.accounts.sign_out(token)
    response.delete_cookie(SESSION_COOKIE)


def principal_of(request: Request) -> Principal:
    accounts = request.app.state.services.accounts
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    found = None
    if scheme.lower() == "bearer" and token.strip():
        found = accounts.resolve_token(token.strip())
    elif request.cookies.get(SESSION_COOKIE):
        found = accounts.resolve_session(request.cookies[SESSION_COOKIE])
        if found is not None and request.method not in SAFE_METHODS and _is_api(request):
            check_forgery(request, request.headers.get(FORGERY_HEADER))
    if found is None:
        raise Unauthenticated("sign in: a valid bearer token or session cookie is required")
    return found  # type: ignore[no-any-return]


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORGERY_HEADER = "x-csrf-token"
FORGERY_FIELD = "csrf_token"


def _is_api(request: Request) -> bool:
    """A route of the API, whatever its body: the token must be in its header. A page's
    form carries it in its fields instead, checked when the page reads the form
    (`web.routes.session.posted`)."""
    return request.url.path.startswith("/api/")


def check_forgery(request: Request, sent: str | None) -> None:
    """Refuse a change asked with the session cookie but without the session's
    anti-forgery token (a form's `csrf_token` field, or the `X-CSRF-Token` header): a
    request another site made the browser send. Requests with a bearer token (no cookie
    sent by the browser on its own) are not concerned."""
    session = request.cookies.get(SESSION_COOKIE)
    if session is None:
        return
    if not sent or not hmac.compare_digest(sent.encode(), forgery_token(session).encode()):
        raise Forbidden("the request lacks this session's anti-forgery token (a form's "
                        "csrf_token field or the X-CSRF-Token header): reload the page")


def _guard(permission: Permission) -> Callable[[Request], Any]:
    """The route's guard, run on the event loop whatever the route: its work is bounded
    (a token's or a session's account, kept in the process on PostgreSQL), and a route
    left to the thread pool then goes there once instead of twice."""

    async def guard(request: Request) -> Caller:
        principal = principal_of(request)
        decision = allows(principal, permission)
        if not decision.allowed:
            raise Forbidden(decision.reason)
        request.state.caller = Caller(principal, decision)
        return request.state.caller  # type: ignore[no-any-return]

    return guard


def _on_loop(func: F) -> Callable[..., Any]:
    """`func` (a synchronous route) as a coroutine function that calls it directly, so
    that FastAPI runs it on the event loop instead of handing it to its thread pool. Its
    signature is read through `__wrapped__`, with the names of `func`'s module."""

    @functools.wraps(func)
    async def endpoint(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return endpoint


def caller(request: Request) -> Caller:
    """The caller that the route's guard admitted."""
    return request.state.caller  # type: ignore[no-any-return]


def route(router: APIRouter, method: str, path: str, permission: Permission | str, *,
          quick: bool = False, **kwargs: Any) -> Callable[[F], F]:
    """Declare a route with its permission (the access table) and its guard.

    `quick`: the route's work is bounded by one case, one page or one account (no
    password hash, no document, no mass action, nothing that grows with the store). It
    then runs on the worker's event loop, as its guard does, with no hand-off to the
    thread pool and back (0.2-0.4 ms of CPU a request, docs/performance.md): a worker
    serves one quick request at a time, as a synchronous worker would, and the load is
    spread over the workers. Other routes run in the thread pool, so that the quick ones
    of the same worker go on meanwhile."""

    def register(func: F) -> F:
        name = func.__name__
        if name in ACCESS:
            raise ValueError(f"two routes named {name!r}")
        ACCESS[name] = str(permission)
        deps = [] if permission == PUBLIC else [Depends(_guard(Permission(permission)))]
        responses = {k: v for k, v in ERROR_RESPONSES.items()
                     if permission != PUBLIC or k not in (401, 403)}
        responses.update(kwargs.pop("responses", {}))
        endpoint = _on_loop(func) if quick else func
        if quick:
            QUICK.add(name)  # what the tests check: none of the slow routes is quick
        router.add_api_route(path, endpoint, methods=[method], name=name, dependencies=deps,
                             responses=responses, operation_id=name, **kwargs)
        return func

    return register


def all_routes(routes: list[Any], prefix: str = "") -> list[Any]:
    """Every route of the application, through included routers, with its full path as
    (path, route): what the access table must cover."""
    found: list[Any] = []
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            context = getattr(r, "include_context", None)
            found += all_routes(inner.routes, prefix + getattr(context, "prefix", ""))
        else:
            found.append((prefix + getattr(r, "path", ""), r))
    return found
