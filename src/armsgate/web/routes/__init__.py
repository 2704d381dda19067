"""The pages by audience; `ROUTERS` in the order they are mounted."""

from __future__ import annotations

from armsgate.web.routes import (
    actions,
    cases,
    control,
    dashboard,
    exporter,
    review,
    screening,
    session,
)

ROUTERS = [session.assets, session.router, dashboard.router, cases.router, actions.router,
           exporter.router, review.router, control.router, screening.router]
