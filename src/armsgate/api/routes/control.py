"""Mass actions, previewed first: suspension orders, their lifting, special resolutions.

`POST` with `?preview=true` reports what the action would do and writes nothing;
the report's `fingerprint`, sent back as `?expect=`, applies exactly that, or is
refused with 409 if the data changed since the preview.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from armsgate.access.policy import Permission as P
from armsgate.api.access import caller, route
from armsgate.api.schemas import ReportOut
from armsgate.api.services import services
from armsgate.domain import inputs as i

router = APIRouter(prefix="/api", tags=["control"])

Preview = Annotated[bool, Query(description="report what it would do; write nothing")]
Expect = Annotated[str | None, Query(pattern="^[0-9a-f]{64}$",
                                     description="apply only if it does what was previewed")]


@route(router, "POST", "/suspensions", P.SUSPENSION_DECLARE, response_model=ReportOut)
def declare_suspension(request: Request, body: i.Suspend, preview: Preview = False,
                       expect: Expect = None) -> ReportOut:
    """Declare a suspension order (by the council's secretary, on the council's decision):
    pending cases in its scope are held and live licences suspended."""
    who = caller(request).principal.username
    authority = services(request).authority.acting_as(who)
    report = authority.suspend(body, preview=preview, expect=expect)
    return ReportOut.of(report, preview=preview)


@route(router, "POST", "/suspensions/{order_id}/lift", P.SUSPENSION_LIFT,
       response_model=ReportOut)
def lift_suspension(request: Request, order_id: str, preview: Preview = False,
                    expect: Expect = None) -> ReportOut:
    """End an order today; what it alone held is released."""
    who = caller(request).principal.username
    cmd = i.parse(i.Lift, {"id": order_id}, "path")
    authority = services(request).authority.acting_as(who)
    report = authority.lift(cmd, preview=preview, expect=expect)
    return ReportOut.of(report, preview=preview)


@route(router, "POST", "/resolutions", P.NSC_RESOLVE, response_model=ReportOut)
def resolve_case(request: Request, body: i.ResolveIn, preview: Preview = False,
                 expect: Expect = None) -> ReportOut:
    """A special resolution of the council, recorded by its secretary: `allow` releases the
    case from the orders in force and gives the council's consent; `deny` refuses it."""
    who = caller(request).principal.username
    authority = services(request).authority.acting_as(who)
    report = authority.resolve(body, preview=preview, expect=expect)
    return ReportOut.of(report, preview=preview)


__all__ = ["router"]
