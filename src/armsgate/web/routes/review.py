"""A ministry reviewer's cases awaiting its body's opinion, and the National Security
Council's agenda with each case's summary and the resolutions recorded."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from armsgate.access.policy import Permission as P
from armsgate.access.policy import allows
from armsgate.api.services import services
from armsgate.errors import Forbidden
from armsgate.services.views import awaiting_opinion
from armsgate.web.access import HtmlRoute, page, who
from armsgate.web.memo import kept
from armsgate.web.render import render

router = APIRouter(route_class=HtmlRoute)
RECENT = 20
PAGE = 50


@page(router, "GET", "/opinions", P.CONSENT_GIVE)
def opinions_page(request: Request) -> Response:
    """The open consent requests of the reviewer's body, the most urgent first."""
    body = who(request).body
    if body is None:
        raise Forbidden(f"{who(request).username} has no body on its account")
    authority = services(request).authority
    offset = _offset(request)
    with authority.engine.connect() as conn:
        rows, total = awaiting_opinion(conn, body, authority.clock.today(), limit=PAGE,
                                       offset=offset)
    return render(request, "opinions.html", title="Awaiting your body's opinion", body=body,
                  rows=rows, total=total, offset=offset, page=PAGE)


@page(router, "GET", "/council", P.NSC_AGENDA)
def council_page(request: Request) -> Response:
    """The cases awaiting the council, each with its assessment summary, and the latest
    resolutions; the secretary records a resolution from the case's page."""
    authority = services(request).authority
    offset = _offset(request)
    agenda = _agenda(request)
    resolutions = sorted(authority.world().resolutions, key=lambda r: (r.day, r.seq),
                         reverse=True)[:RECENT]
    secretary = allows(who(request), P.NSC_RESOLVE).allowed
    return render(request, "council.html", title="National Security Council",
                  agenda=agenda[offset:offset + PAGE], total=len(agenda), offset=offset,
                  page=PAGE, resolutions=resolutions, secretary=secretary)


def _agenda(request: Request) -> list[dict[str, Any]]:
    """The council's agenda (`Authority.nsc_agenda` assesses every pending case), kept
    between changes (web/memo.py)."""
    return kept(request, "council_agenda", services(request).authority.nsc_agenda)


def _offset(request: Request) -> int:
    text = request.query_params.get("offset", "0")
    return int(text) if text.isdigit() and len(text) < 9 else 0
