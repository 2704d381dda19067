"""One JSON shape for every error: `{"error": {"type", "message", "field"}}`.

The project's errors carry their HTTP status (armsgate.errors); request
validation errors name the field by its path (`body.goods[0].quantity`); any
other failure is a 500 with the same shape and no internals.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

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


def install(app: FastAPI) -> None:
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
        return _body(exc.status_code, "HTTPError", str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _body(500, "InternalError", "the server failed; the error was logged")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (401, "not signed in"), (403, "the role may not do this (the message says why)"),
        (404, "not found"), (409, "the record's state or version does not allow it"),
        (422, "bad input: the field and the problem"), (500, "server error"))}
