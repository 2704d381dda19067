"""Changes of the world: embargoes, conflicts, lists, suspensions, screening, policy.

Each function runs inside a `Unit` (one transaction), checks its references,
writes the fact with its period and the event's seq, refreshes the unit's view
of the world and re-assesses only the scope the change can touch.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Table, and_, or_, update

from armsgate.domain import inputs as i
from armsgate.domain.convert import merge_policy
from armsgate.domain.model import EmbargoTarget, Period, ScreeningEntry
from armsgate.errors import InputError, NotFound
from armsgate.rules.working_days import Deadlines
from armsgate.services import consent_requests
from armsgate.services.reassess import ChangeReport, Scope
from armsgate.services.screening import bump as bump_screening
from armsgate.services.unit import Unit
from armsgate.store import schema as t
from armsgate.store.repository import entry_row, policy_to_json
from armsgate.store.statements import by_id


def _holding_on(table: Table, day: date) -> ColumnElement[bool]:
    c = table.c
    return and_(or_(c.valid_from.is_(None), c.valid_from <= day),
                or_(c.valid_to.is_(None), c.valid_to > day))


def _new_id(u: Unit, table: Table, id_: str, field: str) -> None:
    if u.conn.execute(by_id(table, "id"), {"id": id_}).first() is not None:
        raise InputError(field, f"{id_!r} is already used")


def embargo(u: Unit, cmd: i.EmbargoStep, *, target: EmbargoTarget = EmbargoTarget.GOVERNMENT,
            basis: str = "") -> ChangeReport:
    _new_id(u, t.embargoes, cmd.id, "embargo.id")
    if cmd.to is not None and cmd.to <= u.day:
        raise InputError("embargo.to", f"must be after the day it starts ({u.day})")
    u.event("embargo", cmd.model_dump(mode="json", by_alias=True))
    u.conn.execute(t.embargoes.insert().values(
        id=cmd.id, country=cmd.country, by=cmd.by, valid_from=u.day, valid_to=cmd.to,
        categories=cmd.categories, target=target.value, basis=basis, seq=u.seq))
    u.refresh("embargoes")
    return u.reassess(Scope(frozenset({cmd.country}), _cats(cmd.categories)))


def conflict(u: Unit, cmd: i.ConflictStep) -> ChangeReport:
    if cmd.to is not None and cmd.to <= u.day:
        raise InputError("conflict.to", f"must be after the day it starts ({u.day})")
    u.event("conflict", cmd.model_dump(mode="json"))
    u.conn.execute(t.conflicts.insert().values(
        country=cmd.country, valid_from=u.day, valid_to=cmd.to, source=cmd.source, seq=u.seq))
    u.refresh("conflicts")
    return u.reassess(Scope(frozenset({cmd.country})))


def peace(u: Unit, cmd: i.Peace) -> ChangeReport:
    u.event("peace", cmd.model_dump(mode="json"))
    c = t.conflicts.c
    u.conn.execute(update(t.conflicts).where(c.country == cmd.country,
                                             _holding_on(t.conflicts, u.day))
                   .values(valid_to=u.day))
    u.refresh("conflicts")
    return u.reassess(Scope(frozenset({cmd.country})))


def move_list(u: Unit, cmd: i.ListMove) -> ChangeReport:
    u.event("list", cmd.model_dump(mode="json"))
    c = t.list_entries.c
    u.conn.execute(update(t.list_entries).where(c.country == cmd.country,
                                                _holding_on(t.list_entries, u.day))
                   .values(valid_to=u.day))
    if cmd.list != "none":
        u.conn.execute(t.list_entries.insert().values(
            country=cmd.country, list=str(cmd.list), valid_from=u.day, valid_to=None,
            seq=u.seq))
    u.refresh("lists")
    return u.reassess(Scope(frozenset({cmd.country})))


def sanction(u: Unit, cmd: i.Sanction) -> ChangeReport:
    """A name joins the screening lists: flags change, states do not (SPEC.md)."""
    u.event("sanction", cmd.model_dump(mode="json"))
    entry = ScreeningEntry(cmd.name, cmd.list, cmd.country, Period(u.day, None),
                           f"seq-{u.seq}", u.seq)
    key = u.conn.execute(t.screening_entries.insert().values(entry_row(entry))
                         ).inserted_primary_key
    assert key is not None
    bump_screening(u.conn)
    u.screener.screen_entries(u, [int(key[0])])
    u.refresh("hits")
    return u.report


def set_policy(u: Unit, cmd: i.PolicyIn, deadlines: Deadlines | None = None) -> ChangeReport:
    """Policy values from this day; they change required consents and flags, not states.
    With `deadlines` (the service's workflow), the pending cases are asked of the bodies
    the policy adds, and released by those it drops (`consent_requests.follow_policy`)."""
    before = u.world.policy_on(u.day)
    policy = merge_policy(before, cmd)
    u.event("policy", cmd.model_dump(mode="json", exclude_none=True))
    u.conn.execute(t.policies.insert().values(valid_from=u.day, document=policy_to_json(policy),
                                              seq=u.seq))
    u.refresh("policies")
    if deadlines is not None:
        consent_requests.follow_policy(u, before.consents, policy.consents, deadlines)
    return u.report


def suspend(u: Unit, cmd: i.Suspend, *, basis: str = "") -> ChangeReport:
    _new_id(u, t.suspensions, cmd.id, "suspend.id")
    if cmd.until is not None and cmd.until <= u.day:
        raise InputError("suspend.until", f"must be after the day it starts ({u.day})")
    u.event("suspend", cmd.model_dump(mode="json"))
    scope = cmd.scope
    u.conn.execute(t.suspensions.insert().values(
        id=cmd.id, categories=scope.categories, destinations=scope.destinations,
        valid_from=u.day, valid_to=cmd.until, basis=basis, seq=u.seq))
    u.refresh("suspensions")
    return u.reassess(Scope(_cats(scope.destinations), _cats(scope.categories)))


def lift(u: Unit, cmd: i.Lift) -> ChangeReport:
    """The order ends this day; lifting one no longer in force changes nothing."""
    row = u.conn.execute(by_id(t.suspensions), {"id": cmd.id}).mappings().first()
    if row is None:
        raise NotFound("lift.id", f"no suspension order {cmd.id!r}")
    u.event("lift", cmd.model_dump(mode="json"))
    start, end = row["valid_from"], row["valid_to"]
    if end is not None and end <= u.day:
        return u.report
    new_end = u.day if start is None or start <= u.day else start
    u.conn.execute(update(t.suspensions).where(t.suspensions.c.id == cmd.id)
                   .values(valid_to=new_end))
    u.refresh("suspensions")
    return u.reassess(Scope(_cats(row["destinations"]), _cats(row["categories"])))


def _cats(values: list[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)
