"""The dashboard: applications and licences by state, by destination and category over
time (charts, each with its figures as a table), and what is overdue."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from armsgate.access.policy import Permission as P
from armsgate.api.services import services
from armsgate.domain.inputs import APP_STATES, LICENCE_STATES
from armsgate.services.authority import Authority
from armsgate.services.views import dashboard
from armsgate.web.access import HtmlRoute, page
from armsgate.web.memo import kept
from armsgate.web.render import render

router = APIRouter(route_class=HtmlRoute)
APPLICATION_STATES = (*APP_STATES, "withdrawn")
OVERDUE_SHOWN = 25  # the most overdue (overdue_consents: oldest deadline first)


@page(router, "GET", "/dashboard", P.DASHBOARD_READ)
def dashboard_page(request: Request) -> Response:
    authority = services(request).authority
    counts, figures, overdue = kept(request, "dashboard", lambda: _figures(authority))
    apps = counts["applications"]
    lics = counts["licences"]
    app_states = [s for s in APPLICATION_STATES if s in apps] + sorted(
        s for s in apps if s not in APPLICATION_STATES)
    lic_states = [s for s in LICENCE_STATES if s in lics] + sorted(
        s for s in lics if s not in LICENCE_STATES)
    return render(request, "dashboard.html", title="Dashboard", counts=counts,
                  app_states=app_states, app_counts=[apps[s] for s in app_states],
                  lic_states=lic_states, lic_counts=[lics[s] for s in lic_states],
                  figures=figures,
                  overdue=overdue, shown=OVERDUE_SHOWN)


def _figures(authority: Authority) -> tuple[Any, Any, Any]:
    with authority.engine.connect() as conn:
        figures = dashboard(conn)
    return authority.counts(), figures, authority.overdue_consents()
