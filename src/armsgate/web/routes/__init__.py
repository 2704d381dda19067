"""The pages by audience; `ROUTERS` in the order they are mounted."""

from __future__ import annotations

from armsgate.web.routes import session

ROUTERS = [session.assets, session.router]
