"""Suspension control: declare an order with its scope, see what it would do (applications
held, licences suspended, by exporter and destination, the value, charts), confirm with the
preview's fingerprint; the orders in force, each lifted the same way. Preview and confirm
are the service's one function (`services/mass.py`): confirming applies exactly what was
previewed, or is refused (409) if the data changed since."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from armsgate.access.policy import Permission as P
from armsgate.api.services import services
from armsgate.domain import inputs as i
from armsgate.domain.model import CATEGORIES
from armsgate.errors import InputError, StateConflict
from armsgate.services.authority import Authority
from armsgate.services.views import orders_in_force
from armsgate.web.access import HtmlRoute, page, who
from armsgate.web.forms import Form, status_of, validate, words
from armsgate.web.impact import Impact
from armsgate.web.render import render
from armsgate.web.routes.session import Posted

router = APIRouter(route_class=HtmlRoute)
INPUTS = {"id", "categories", "destinations", "until", "basis", "step", "expect"}
RENAME = {"scope.categories": "categories", "scope.destinations": "destinations"}
CATEGORY_ORDER = sorted(CATEGORIES, key=lambda c: int(c[2:]))


def _as(request: Request) -> Authority:
    return services(request).authority.acting_as(who(request).username)


def control_view(request: Request, *, form: Form | None = None, impact: Impact | None = None,
                 lifting: str | None = None, status: int = 200, done: str = "",
                 lift_error: str = "") -> Response:
    authority = services(request).authority
    today = authority.clock.today()
    orders = orders_in_force(authority.world().suspensions, today)
    return render(request, "control.html", status=status, title="Suspension control",
                  form=form or Form(names=frozenset(INPUTS)), impact=impact, orders=orders,
                  lifting=lifting, categories=CATEGORY_ORDER, done=done,
                  lift_error=lift_error)


@page(router, "GET", "/control", P.SUSPENSION_DECLARE)
def control_page(request: Request) -> Response:
    return control_view(request)


def _order(form: Form, chosen: list[str]) -> dict[str, Any]:
    destinations = [w.upper() for w in words(form.get("destinations"))]
    until = form.get("until") or None
    return {"id": form.get("id"), "until": until,
            "scope": {"categories": chosen or None, "destinations": destinations or None}}


@page(router, "POST", "/control/suspensions", P.SUSPENSION_DECLARE)
def declare_form(request: Request, data: Posted) -> Response:
    """Preview (`step=preview`) or confirm (`step=confirm` with `expect`) an order."""
    form = Form.of(data, INPUTS)
    chosen = [str(c) for c in data.getlist("categories")]
    form.values["categories"] = ",".join(chosen)
    cmd = validate(form, i.Suspend, _order(form, chosen), RENAME)
    confirm = form.get("step") == "confirm" and bool(form.get("expect"))
    if cmd is None:
        return control_view(request, form=form, status=422)
    try:
        report = _as(request).suspend(cmd, basis=form.get("basis"), preview=not confirm,
                                      expect=form.get("expect") if confirm else None)
    except (InputError, StateConflict) as exc:
        form.problem(exc, RENAME)
        return control_view(request, form=form, status=status_of(exc))
    if confirm:
        return control_view(request, impact=Impact.of(report, preview=False),
                            done=f"Order {cmd.id} declared.")
    return control_view(request, form=form, impact=Impact.of(report, preview=True))


@page(router, "POST", "/control/suspensions/{order_id}/lift", P.SUSPENSION_LIFT)
def lift_form(request: Request, order_id: str, data: Posted) -> Response:
    """Preview the lifting of an order today, or confirm it with the preview's fingerprint."""
    form = Form.of(data, {"step", "expect"})
    confirm = form.get("step") == "confirm" and bool(form.get("expect"))
    cmd = i.Lift(id=order_id)
    try:
        report = _as(request).lift(cmd, preview=not confirm,
                                   expect=form.get("expect") if confirm else None)
    except (InputError, StateConflict) as exc:
        return control_view(request, lifting=order_id, status=status_of(exc),
                            lift_error=exc.message)
    if confirm:
        return control_view(request, impact=Impact.of(report, preview=False),
                            done=f"Order {order_id} lifted.")
    return control_view(request, impact=Impact.of(report, preview=True), lifting=order_id)
