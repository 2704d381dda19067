"""Importing registers: parties, goods, destination lists, embargoes, conflicts, screening.

A register file has the shape of a scenario's `world`. Importing it is one
transaction and one event; importing the same file again changes nothing; a
record that contradicts one already in the store is refused with its path.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from sqlalchemy import Table, delete, func, select, update

from armsgate.domain import convert
from armsgate.domain import inputs as i
from armsgate.domain.convert import merge_policy
from armsgate.domain.model import GoodsItem, ScreeningEntry
from armsgate.errors import InputError
from armsgate.rules.world import KitLoopError, effective_categories
from armsgate.services.reassess import Scope
from armsgate.services.screening import bump as bump_screening
from armsgate.services.unit import Unit
from armsgate.store import schema as t
from armsgate.store.repository import entry_row, load_parties, policy_to_json


def _existing(u: Unit, table: Table, key: str) -> dict[Any, dict[str, Any]]:
    return {r[key]: dict(r) for r in u.conn.execute(select(table)).mappings()}


def import_registers(u: Unit, reg: i.RegistersIn, *, prefix: str = "") -> dict[str, Counter[str]]:
    """Write a register file's records; returns counts of added, updated and unchanged."""
    counts: dict[str, Counter[str]] = {}
    _check(u, reg, prefix)
    u.event("registers", reg.model_dump(mode="json", by_alias=True, exclude_none=True),
            valid_from_start=True)
    old_countries = {p.id: p.country for p in u.world.parties.values()}
    counts["parties"] = _parties(u, reg)
    counts["goods"] = _goods(u, reg, prefix)
    counts["lists"] = _lists(u, reg, prefix)
    counts["embargoes"] = _embargoes(u, reg, prefix)
    counts["conflicts"] = _simple(u, t.conflicts, ("country", "valid_from", "valid_to", "source"),
                                  [{"country": c.country, "valid_from": c.from_, "valid_to": c.to,
                                    "source": c.source} for c in reg.conflicts])
    counts["screening"] = _simple(u, t.screening_entries, ("list", "fingerprint"), [
        entry_row(ScreeningEntry(s.name, s.list, s.country, entry_id=f"seq-{u.seq}-{n}"))
        for n, s in enumerate(reg.screening)])
    if reg.policy is not None:
        current = u.world.policy_at_start()
        policy = merge_policy(current, reg.policy)
        if policy == current:
            counts["policy"] = Counter(unchanged=1)
        else:
            u.conn.execute(t.policies.insert().values(
                valid_from=None, document=policy_to_json(policy), seq=u.seq))
            counts["policy"] = Counter(added=1)
    _screen(u, counts)
    u.refresh("parties", "goods", "lists", "embargoes", "conflicts", "hits", "policies")
    moved = {p.id for p in reg.parties if p.id in old_countries and
             old_countries[p.id] != p.country}
    if moved:
        _move_destinations(u, moved, {old_countries[p] for p in moved})
    dated = sum(counts[k]["added"] for k in ("lists", "embargoes", "conflicts"))
    if dated:
        u.reassess(Scope.everything())
    return counts


def _screen(u: Unit, counts: dict[str, Counter[str]]) -> None:
    """Screen new or changed parties against every entry, new entries against the rest."""
    e = t.screening_entries
    new_entries = list(u.conn.execute(select(e.c.pk).where(e.c.seq == u.seq)).scalars())
    if new_entries:
        bump_screening(u.conn)
    changed = frozenset(r.id for r in u.conn.execute(
        select(t.parties.c.id).where(t.parties.c.seq == u.seq)))
    parties = load_parties(u.conn)
    u.screener.screen_parties(u, [parties[p] for p in sorted(changed)])
    u.world = dataclasses.replace(u.world, parties=parties)
    u.screener.screen_entries(u, new_entries, skip_parties=changed)
    found = _count_hits(u)
    if found:
        counts["screening_hits"] = Counter(found=found)


def _count_hits(u: Unit) -> int:
    return int(u.conn.execute(select(func.count()).select_from(t.screening_hits)
                              .where(t.screening_hits.c.seq == u.seq)).scalar_one())


def _move_destinations(u: Unit, moved: set[str], old: set[str]) -> None:
    """Parties that changed country: their cases get their destinations anew and are
    judged again, in this transaction."""
    a, d = t.applications, t.application_destinations
    ids = set(u.conn.execute(select(d.c.application_id).where(d.c.country.in_(sorted(old))))
              .scalars())
    parties = u.world.parties
    touched = []
    for row in u.conn.execute(select(a.c.id, a.c.consignee, a.c.end_user, a.c.intermediates)
                              .where(a.c.id.in_(sorted(ids)))):
        members = (row.consignee, row.end_user, *row.intermediates)
        if moved.isdisjoint(members):
            continue
        touched.append(row.id)
        u.conn.execute(delete(d).where(d.c.application_id == row.id))
        u.conn.execute(d.insert(), [{"application_id": row.id, "country": c}
                                    for c in sorted({parties[m].country for m in members})])
    if touched:
        u.reassess(Scope(applications=frozenset(touched)))


def _check(u: Unit, reg: i.RegistersIn, prefix: str) -> None:
    seen: dict[str, str] = {}
    for name in ("white", "gray", "black"):
        for n, country in enumerate(getattr(reg.lists, name)):
            if country in seen and seen[country] != name:
                raise InputError(f"{prefix}lists.{name}[{n}]",
                                 f"{country} is already on the {seen[country]} list")
            seen[country] = name
    for kind in ("parties", "goods", "embargoes"):
        ids: set[str] = set()
        for n, record in enumerate(getattr(reg, kind)):
            if record.id in ids:
                raise InputError(f"{prefix}{kind}[{n}].id", f"{record.id!r} is used twice")
            ids.add(record.id)
    goods: dict[str, GoodsItem] = dict(u.world.goods)
    goods.update({g.id: convert.goods_item(g) for g in reg.goods})
    for n, g in enumerate(reg.goods):
        if g.kit_of is not None and g.kit_of not in goods:
            raise InputError(f"{prefix}goods[{n}].kit_of", f"no goods item {g.kit_of!r}")
    try:
        effective_categories(goods)
    except KitLoopError as exc:
        raise InputError(f"{prefix}goods", f"a kit_of chain loops: {exc}") from exc
    for n, e in enumerate(reg.embargoes):
        if e.to is not None and e.to <= e.from_:
            raise InputError(f"{prefix}embargoes[{n}].to", "must be after `from`")
    for n, c in enumerate(reg.conflicts):
        if c.to is not None and c.to <= c.from_:
            raise InputError(f"{prefix}conflicts[{n}].to", "must be after `from`")


def _parties(u: Unit, reg: i.RegistersIn) -> Counter[str]:
    counts: Counter[str] = Counter()
    existing = _existing(u, t.parties, "id")
    for p in reg.parties:
        row = {"id": p.id, "name": p.name, "country": p.country,
               "roles": sorted(r.value for r in p.roles), "aliases": list(p.aliases)}
        old = existing.get(p.id)
        if old is None:
            u.conn.execute(t.parties.insert().values(seq=u.seq, **row))
            counts["added"] += 1
        elif {k: old[k] for k in row} != row:
            u.conn.execute(update(t.parties).where(t.parties.c.id == p.id)
                           .values(seq=u.seq, **row))
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def _goods(u: Unit, reg: i.RegistersIn, prefix: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    existing = _existing(u, t.goods, "id")
    for n, g in enumerate(reg.goods):
        row = {"id": g.id, "category": g.category, "description": g.description,
               "kit_of": g.kit_of}
        old = existing.get(g.id)
        if old is None:
            u.conn.execute(t.goods.insert().values(seq=u.seq, **row))
            counts["added"] += 1
        elif (old["category"], old["kit_of"]) != (g.category, g.kit_of):
            raise InputError(f"{prefix}goods[{n}]",
                             f"{g.id!r} exists with another category or kit; "
                             "reclassifying goods is not supported")
        elif old["description"] != g.description:
            u.conn.execute(update(t.goods).where(t.goods.c.id == g.id)
                           .values(description=g.description, seq=u.seq))
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def _lists(u: Unit, reg: i.RegistersIn, prefix: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    current = {e.country: e.list.value for e in u.world.lists if e.period.end is None}
    for name in ("white", "gray", "black"):
        for n, country in enumerate(getattr(reg.lists, name)):
            if current.get(country) == name:
                counts["unchanged"] += 1
            elif country in current:
                raise InputError(f"{prefix}lists.{name}[{n}]",
                                 f"{country} is on the {current[country]} list; "
                                 "move it with `armsgate world list`")
            else:
                u.conn.execute(t.list_entries.insert().values(
                    country=country, list=name, valid_from=None, valid_to=None, seq=u.seq))
                counts["added"] += 1
    return counts


def _embargoes(u: Unit, reg: i.RegistersIn, prefix: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    existing = _existing(u, t.embargoes, "id")
    for n, e in enumerate(reg.embargoes):
        row = {"id": e.id, "country": e.country, "by": e.by, "valid_from": e.from_,
               "valid_to": e.to, "categories": e.categories, "target": e.target,
               "basis": e.basis or e.source}
        old = existing.get(e.id)
        if old is None:
            u.conn.execute(t.embargoes.insert().values(seq=u.seq, **row))
            counts["added"] += 1
        elif {k: old[k] for k in row} != row:
            raise InputError(f"{prefix}embargoes[{n}]",
                             f"embargo {e.id!r} exists with other terms; declare a new one")
        else:
            counts["unchanged"] += 1
    return counts


def _simple(u: Unit, table: Table, key: tuple[str, ...], rows: list[dict[str, Any]]
            ) -> Counter[str]:
    counts: Counter[str] = Counter()
    existing = {tuple(r[k] for k in key) for r in u.conn.execute(select(table)).mappings()}
    for row in rows:
        if tuple(row[k] for k in key) in existing:
            counts["unchanged"] += 1
            continue
        existing.add(tuple(row[k] for k in key))
        u.conn.execute(table.insert().values({**row, "seq": u.seq}))
        counts["added"] += 1
    return counts
