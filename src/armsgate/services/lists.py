"""Sanctions and denial lists: versioned imports and the differences between versions.

Each import of a list's file is compared, record by record (by the list's id and the
record's fingerprint), with the entries of that list in force. What was added, removed
or changed becomes a new list version: removed and changed entries are closed on the
day (`valid_to`), added and changed ones opened; nothing is deleted. Importing the same
file again changes nothing and makes no version. Every party is screened against the
entries opened, and the import reports the cases whose hits changed: newly flagged,
cleared (their hit went away with its entry), or with other hits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, bindparam, or_, select, update

from armsgate.errors import InputError, NotFound
from armsgate.screening.sources.records import ListRecord
from armsgate.services.hits import changed_cases
from armsgate.services.screening import bump as bump_screening
from armsgate.services.unit import Unit
from armsgate.store import schema as t

Progress = Callable[[int], None]


@dataclass
class ListImport:
    name: str
    version: int | None  # None: nothing changed, no version made
    records: int
    added: list[int] = field(default_factory=list)  # entry rows opened (added or changed)
    removed: int = 0
    changed: int = 0
    # Cases whose parties' hits changed: see `hits.changed_cases`
    screening: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"list": self.name, "version": self.version, "records": self.records,
                "added": len(self.added) - self.changed, "removed": self.removed,
                "changed": self.changed, "screening": self.screening}


def record_row(rec: ListRecord) -> dict[str, Any]:
    return {
        "list": rec.list, "entity_id": rec.entity_id, "schema": rec.schema, "name": rec.name,
        "names": [{"name": n.name, "kind": n.kind} for n in rec.names],
        "countries": list(rec.countries), "country_required": False,
        "birth_dates": list(rec.birth_dates), "identifiers": [list(i) for i in rec.identifiers],
        "listed_on": rec.listed_on, "programs": list(rec.programs), "remarks": rec.remarks,
        "fingerprint": rec.fingerprint(),
    }


def import_list(u: Unit, records: Iterable[ListRecord], *, list_name: str, fmt: str,
                file_name: str, file_sha256: str, progress: Progress | None = None
                ) -> ListImport:
    e = t.screening_entries
    hits_before = u.world.hits
    current = {r.entity_id: (r.pk, r.fingerprint) for r in u.conn.execute(
        select(e.c.pk, e.c.entity_id, e.c.fingerprint).where(e.c.list == list_name,
                                                            e.c.valid_to.is_(None)))}
    seen: set[str] = set()
    opened: list[dict[str, Any]] = []
    closed: list[int] = []
    changed = 0
    count = 0
    for rec in records:
        count += 1
        if rec.entity_id in seen:
            raise InputError(f"record {count}", f"id {rec.entity_id!r} appears twice",
                             source=file_name)
        seen.add(rec.entity_id)
        row = record_row(rec)
        old = current.get(rec.entity_id)
        if old is None or old[1] != row["fingerprint"]:
            opened.append(row)
            if old is not None:
                closed.append(old[0])
                changed += 1
        if progress is not None:
            progress(1)
    gone = [pk for entity_id, (pk, _) in current.items() if entity_id not in seen]
    result = ListImport(list_name, None, count, removed=len(gone), changed=changed)
    if not opened and not gone:
        return result
    seq = u.event("list-import", {"list": list_name, "format": fmt, "file": file_name,
                                  "sha256": file_sha256, "records": count})
    version = u.conn.execute(t.list_versions.insert().values(
        list=list_name, format=fmt, file_name=file_name, file_sha256=file_sha256, day=u.day,
        seq=seq, records=count, added=len(opened) - changed, removed=len(gone),
        changed=changed)).inserted_primary_key
    assert version is not None
    result.version = int(version[0])
    to_close = [*closed, *gone]
    if to_close:
        u.conn.execute(update(e).where(e.c.pk == bindparam("b_pk"))
                       .values(valid_to=u.day, version_to=result.version),
                       [{"b_pk": pk} for pk in to_close])
    for start in range(0, len(opened), 2_000):
        chunk = [{**row, "valid_from": u.day, "valid_to": None, "version_from": result.version,
                  "version_to": None, "seq": seq} for row in opened[start:start + 2_000]]
        u.conn.execute(e.insert(), chunk)
    result.added = list(u.conn.execute(
        select(e.c.pk).where(e.c.version_from == result.version)).scalars())
    bump_screening(u.conn)
    u.screener.screen_entries(u, result.added)
    u.refresh("hits")
    result.screening = changed_cases(u.conn, hits_before, u.world.hits, u.day)
    return result


def versions(conn: Connection, list_name: str | None = None) -> list[dict[str, Any]]:
    v = t.list_versions
    q = select(v).order_by(v.c.pk)
    if list_name is not None:
        q = q.where(v.c.list == list_name)
    return [dict(r) for r in conn.execute(q).mappings()]


def diff(conn: Connection, list_name: str, before: int, after: int) -> dict[str, Any]:
    """The entries added, removed and changed between two versions of a list."""
    known = {r["pk"] for r in versions(conn, list_name)}
    for field_, value in (("from", before), ("to", after)):
        if value not in known and not (field_ == "from" and value == 0):
            raise NotFound(field_, f"no version {value} of list {list_name!r}")
    if after <= before:
        raise InputError("to", "must be a later version than `from`")
    e = t.screening_entries

    def in_range(col: Any) -> Any:
        return and_(col > before, col <= after)

    alive_after = or_(e.c.version_to.is_(None), e.c.version_to > after)
    opened = {r.entity_id: r for r in conn.execute(select(e).where(
        e.c.list == list_name, in_range(e.c.version_from), alive_after))}
    closed = {r.entity_id: r for r in conn.execute(select(e).where(
        e.c.list == list_name, in_range(e.c.version_to),
        or_(e.c.version_from.is_(None), e.c.version_from <= before)))}

    def brief(r: Any) -> dict[str, Any]:
        return {"entity_id": r.entity_id, "name": r.name, "schema": r.schema,
                "names": [n["name"] for n in r.names], "countries": r.countries}

    return {
        "list": list_name, "from": before, "to": after,
        "added": [brief(r) for k, r in sorted(opened.items()) if k not in closed],
        "removed": [brief(r) for k, r in sorted(closed.items()) if k not in opened],
        "changed": [{"before": brief(closed[k]), "after": brief(opened[k])}
                    for k in sorted(opened.keys() & closed.keys())],
    }
