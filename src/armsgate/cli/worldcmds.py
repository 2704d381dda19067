"""`armsgate orders ...` and `armsgate world ...`: changes of the world, with their impact."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from armsgate.cli.context import guarded, open_authority, parse_day
from armsgate.cli.output import console, print_json
from armsgate.domain import inputs as i
from armsgate.domain.model import EmbargoTarget
from armsgate.services.reassess import ChangeReport

orders = typer.Typer(no_args_is_help=True)
world = typer.Typer(no_args_is_help=True)

JSON = typer.Option(False, "--json", help="print JSON")


def print_report(report: ChangeReport) -> None:
    s = report.summary()
    console.print(f"examined {s['examined']['applications']} pending applications and "
                  f"{s['examined']['licences']} live licences; {s['changed']} changed "
                  f"(value EUR {s['value_affected_eur']})")
    if s["changed"]:
        table = Table("new state", "count")
        for state, n in s["by_new_state"].items():
            table.add_row(state, str(n))
        console.print(table)
        console.print("by exporter: " + ", ".join(f"{k} {v}" for k, v in s["by_exporter"].items()))
        console.print("by destination: " + ", ".join(
            f"{k} {v}" for k, v in s["by_destination"].items()))


def _done(report: ChangeReport, json: bool) -> None:
    print_json(report.summary()) if json else print_report(report)


def _parse(model: type[i.M], data: dict[str, Any], prefix: str) -> i.M:
    return i.parse(model, {k: v for k, v in data.items() if v not in (None, [])}, prefix)


@orders.command("suspend")
@guarded
def suspend(order_id: str,
            category: list[str] = typer.Option([], "--category", help="ML1..ML22 (repeat)"),
            destination: list[str] = typer.Option([], "--destination", help="ISO code (repeat)"),
            until: str | None = typer.Option(None, help="last day + 1 (YYYY-MM-DD), optional"),
            basis: str = typer.Option("", help="the decision it rests on"),
            json: bool = JSON) -> None:
    """Declare a suspension order from today; what it covers is held or suspended at once."""
    scope = {"categories": category or None, "destinations": destination or None}
    cmd = _parse(i.Suspend, {"id": order_id, "scope": {k: v for k, v in scope.items() if v},
                             "until": until}, "suspend")
    _done(open_authority().suspend(cmd, basis=basis), json)


@orders.command("lift")
@guarded
def lift(order_id: str, json: bool = JSON) -> None:
    """End a suspension order today; what it held is released."""
    _done(open_authority().lift(_parse(i.Lift, {"id": order_id}, "lift")), json)


@orders.command("resolve")
@guarded
def resolve(resolution_id: str, application: str,
            decision: str = typer.Argument(..., help="allow or deny"), json: bool = JSON) -> None:
    """Record a special resolution of the National Security Council on one application."""
    cmd = _parse(i.ResolveIn, {"id": resolution_id, "application": application,
                               "decision": decision}, "resolve")
    _done(open_authority().resolve(cmd), json)


@world.command("embargo")
@guarded
def embargo(embargo_id: str, country: str, by: str = typer.Option(..., help="UN, EU, national"),
            category: list[str] = typer.Option([], "--category", help="ML1..ML22 (repeat)"),
            to: str | None = typer.Option(None, help="end (exclusive), optional"),
            non_state: bool = typer.Option(False, help="aimed only at non-state actors"),
            basis: str = typer.Option("", help="the instrument, e.g. S/RES/1970 (2011)"),
            json: bool = JSON) -> None:
    """Enter an embargo in force from today."""
    cmd = _parse(i.EmbargoStep, {"id": embargo_id, "country": country, "by": by,
                                 "categories": category, "to": to}, "embargo")
    target = EmbargoTarget.NON_STATE_ACTORS if non_state else EmbargoTarget.GOVERNMENT
    _done(open_authority().embargo(cmd, target=target, basis=basis), json)


@world.command("conflict")
@guarded
def conflict(country: str, source: str = typer.Option("", help="the decision or dataset"),
             to: str | None = typer.Option(None, help="end (exclusive), optional"),
             json: bool = JSON) -> None:
    """Enter a country in the conflict register from today (the authority's decision)."""
    cmd = _parse(i.ConflictStep, {"country": country, "source": source, "to": to}, "conflict")
    _done(open_authority().conflict(cmd), json)


@world.command("peace")
@guarded
def peace(country: str, json: bool = JSON) -> None:
    """End today every conflict-register entry of the country in force."""
    _done(open_authority().peace(_parse(i.Peace, {"country": country}, "peace")), json)


@world.command("list")
@guarded
def move_list(country: str, list_name: str = typer.Argument(..., metavar="LIST",
                                                           help="white, gray, black or none"),
              json: bool = JSON) -> None:
    """Move a country to a destination list from today."""
    cmd = _parse(i.ListMove, {"country": country, "list": list_name}, "list")
    _done(open_authority().move_list(cmd), json)


@world.command("sanction")
@guarded
def sanction(name: str, list_name: str = typer.Option(..., "--list", help="the list's name"),
             country: str | None = typer.Option(None, help="ISO code, optional"),
             json: bool = JSON) -> None:
    """Add a name to the screening lists from today."""
    cmd = _parse(i.Sanction, {"name": name, "list": list_name, "country": country}, "sanction")
    _done(open_authority().sanction(cmd), json)


@world.command("policy")
@guarded
def policy(consent: list[str] = typer.Option([], "--consent", help="a body (repeat)"),
           nsc_always: bool | None = typer.Option(None, "--nsc-always/--no-nsc-always"),
           licence_days: int | None = typer.Option(None, min=1),
           json: bool = JSON) -> None:
    """Change policy values from today (merged key by key)."""
    data: dict[str, Any] = {"consents": consent, "licence_days": licence_days}
    if nsc_always is not None:
        data["nsc"] = {"always": nsc_always}
    _done(open_authority().set_policy(_parse(i.PolicyIn, data, "policy")), json)


@world.command("show")
@guarded
def show(at: str | None = typer.Option(None, "--at", help="YYYY-MM-DD (default: today)"),
         json: bool = JSON) -> None:
    """The facts in force on a day: embargoes, conflicts, lists, orders, policy."""
    authority = open_authority()
    day = authority.clock.today() if at is None else parse_day(at, "--at")
    w = authority.world()
    facts = {
        "day": day.isoformat(),
        "embargoes": sorted(f"{e.id} {e.country} ({e.target.value})" for e in w.embargoes
                            if e.period.holds_on(day)),
        "conflicts": sorted(c.country for c in w.conflicts if c.period.holds_on(day)),
        "lists": {e.country: e.list.value for e in w.lists if e.period.holds_on(day)},
        "suspensions": sorted(s.id for s in w.suspensions if s.period.holds_on(day)),
        "policy": _policy_json(w.policy_on(day)),
    }
    if json:
        print_json(facts)
    else:
        for key, value in facts.items():
            console.print(f"[bold]{key}[/]: {value}")


def _policy_json(p: Any) -> dict[str, Any]:
    from armsgate.store.repository import policy_to_json

    return policy_to_json(p)
