"""The web pages: server-rendered (Jinja2), over the same `Authority` as the API.

`install(app)` adds the pages and the static files to the application that
`api.app.create_app` builds. Each page is declared with its permission in the API's
access table (`web.access.page`); pages answer in HTML, and a signed-out browser is sent
to the sign-in page. See docs/web.md.
"""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    from armsgate.web.routes import ROUTERS

    for router in ROUTERS:
        app.include_router(router)
