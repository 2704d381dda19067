"""One JSON shape for every error: `{"error": {"type", "message", "field"}}`.

The project's errors carry their HTTP status (armsgate.errors); request
validation errors name the field by its path (`body.goods[0].quantity`); any
other failure is a 500 with the same shape and no internals. A request with a NUL
character (U+0000) anywhere is refused (422) before any route runs: no field of the
API has one, and PostgreSQL cannot store it in text.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from armsgate.errors import ArmsgateError, InputError

log = logging.getLogger("armsgate.api")


class ErrorDetail(BaseModel):
    type: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def _body(status: int, kind: str, message: str, field: str | None = None) -> JSONResponse:
    detail = ErrorDetail(type=kind, message=message, field=field)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(ErrorBody(error=detail).model_dump(), status_code=status,
                        headers=headers)


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# `\u0000` in JSON text: a backslash that is not itself escaped, then u0000.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class RefuseNul:
    """ASGI middleware: 422 for a NUL character in the path, the query or a JSON or form
    body (other bodies, such as an uploaded file, are the route's to judge)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query: bytes = scope.get("query_string", b"")
        where = ("path" if "\x00" in scope["path"] else
                 "query" if b"%00" in query or b"\x00" in query else None)
        kind = dict(scope["headers"]).get(b"content-type", b"").lower()
        messages: list[Message] = []
        if where is None and (b"json" in kind or b"x-www-form-urlencoded" in kind):
            body = b""
            while True:  # the whole body, replayed to the route below
                message = await receive()
                messages.append(message)
                body += message.get("body", b"")
                if message["type"] != "http.request" or not message.get("more_body"):
                    break
            nul = _JSON_NUL.search(body) if b"json" in kind else b"%00" in body
            where = "body" if nul or b"\x00" in body else None
        if where is not None:
            detail = ErrorDetail(type="InputError", field=where, message=(
                f"{where}: text may not contain the NUL character (U+0000)"))
            payload = json.dumps(ErrorBody(error=detail).model_dump()).encode()
            await send({"type": "http.response.start", "status": 422, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode())]})
            await send({"type": "http.response.body", "body": payload})
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def install(app: FastAPI) -> None:
    app.add_middleware(RefuseNul)

    @app.exception_handler(ArmsgateError)
    async def project_error(request: Request, exc: ArmsgateError) -> JSONResponse:
        field = exc.field if isinstance(exc, InputError) else None
        return _body(exc.status, type(exc).__name__, exc.message, field or None)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        field = _path(tuple(first.get("loc", ())))
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        return _body(422, "InputError", f"{field}: {message}" if field else message, field)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI: a body it cannot decode (not UTF-8): bad input
            return _body(422, "InputError", f"body: {exc.detail}", "body")
        return _body(exc.status_code, "HTTPError", str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _body(500, "InternalError", "the server failed; the error was logged")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (401, "not signed in"), (403, "the role may not do this (the message says why)"),
        (404, "not found"), (409, "the record's state or version does not allow it"),
        (422, "bad input: the field and the problem"), (500, "server error"),
        (503, "the store cannot be reached"))}
