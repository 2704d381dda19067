"""Drafts: applications that an exporter prepares, then submits.

A draft holds a submission document that the `Submit` input model accepts (so a
draft always says what would be submitted; the store's parties and goods are checked
when it is submitted). Its exporter is fixed when it is made. Every change carries
the version the user saw (optimistic locking, as for cases); `submit` runs the
submission of SPEC.md (and its consent requests) in the same transaction and removes
the draft: if the submission fails, the draft stays as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from armsgate.domain import convert
from armsgate.domain import inputs as i
from armsgate.errors import Conflict, InputError, NotFound
from armsgate.rules.engine import Assessment
from armsgate.rules.working_days import Deadlines
from armsgate.services import workflow
from armsgate.services.unit import Unit
from armsgate.store import schema as t

_d = t.drafts
_INSERT = _d.insert().returning(_d.c.id)
_EXPORTER = select(_d.c.exporter, _d.c.version).where(_d.c.id == bindparam("id"))
_UPDATE = (update(_d).where(_d.c.id == bindparam("draft"), _d.c.version == bindparam("seen"))
           .values(document=bindparam("b_document"), updated_at=bindparam("now"),
                   version=_d.c.version + 1)
           .returning(_d.c.version))
_DELETE = (delete(_d).where(_d.c.id == bindparam("draft"), _d.c.version == bindparam("seen"))
           .returning(_d.c.document))
_ONE = select(_d).where(_d.c.id == bindparam("id"))


def _document(exporter: str, document: Mapping[str, Any]) -> i.Submit:
    cmd = i.parse(i.Submit, document, prefix="document")
    if cmd.exporter != exporter:
        raise InputError("document.exporter",
                         f"the draft is {exporter!r}'s: its exporter cannot be {cmd.exporter!r}")
    return cmd


def _current(u: Unit, draft_id: int, expected_version: int | None) -> tuple[str, int]:
    """The draft's exporter and the version to act on (the one the user saw, if given)."""
    row = u.conn.execute(_EXPORTER, {"id": draft_id}).first()
    if row is None:
        raise NotFound("draft", f"no draft {draft_id}")
    return row.exporter, row.version if expected_version is None else expected_version


def _moved(u: Unit, draft_id: int, seen: int) -> Conflict | NotFound:
    row = u.conn.execute(_EXPORTER, {"id": draft_id}).first()
    if row is None:
        return NotFound("draft", f"no draft {draft_id}")
    return Conflict("draft", str(draft_id), seen, row.version)


def create(u: Unit, exporter: str, document: Mapping[str, Any]) -> dict[str, Any]:
    """A new draft of `exporter` (a party); returns its id and version."""
    if exporter not in u.world.parties:
        raise NotFound("exporter", f"no party {exporter!r}")
    doc = convert.document(_document(exporter, document))
    draft_id = u.conn.execute(_INSERT, {"exporter": exporter, "document": doc,
                                        "created_at": u.now, "updated_at": u.now,
                                        "version": 1}).scalar_one()
    u.event("draft", {"id": draft_id, "action": "create", "exporter": exporter,
                      "document": doc})
    return {"id": draft_id, "version": 1}


def update_draft(u: Unit, draft_id: int, document: Mapping[str, Any], *,
                 expected_version: int | None = None) -> dict[str, Any]:
    """Replace the draft's document; returns its id and new version."""
    exporter, seen = _current(u, draft_id, expected_version)
    doc = convert.document(_document(exporter, document))
    version = u.conn.execute(_UPDATE, {"draft": draft_id, "seen": seen, "b_document": doc,
                                       "now": u.now}).scalar_one_or_none()
    if version is None:
        raise _moved(u, draft_id, seen)
    u.event("draft", {"id": draft_id, "action": "update", "exporter": exporter,
                      "document": doc})
    return {"id": draft_id, "version": version}


def _remove(u: Unit, draft_id: int, expected_version: int | None) -> tuple[str, Any]:
    exporter, seen = _current(u, draft_id, expected_version)
    document = u.conn.execute(_DELETE, {"draft": draft_id, "seen": seen}).scalar_one_or_none()
    if document is None:
        raise _moved(u, draft_id, seen)
    return exporter, document


def remove(u: Unit, draft_id: int, *, expected_version: int | None = None) -> None:
    """Delete a draft."""
    exporter, _ = _remove(u, draft_id, expected_version)
    u.event("draft", {"id": draft_id, "action": "delete", "exporter": exporter})


def submit(u: Unit, draft_id: int, deadlines: Deadlines, *,
           expected_version: int | None = None) -> Assessment:
    """Submit the draft as an application (SPEC.md `submit`) and remove it."""
    _, document = _remove(u, draft_id, expected_version)
    cmd = i.parse(i.Submit, document, prefix="document")
    return workflow.submit(u, cmd, deadlines, extra={"draft": draft_id})


def get(conn: Connection, draft_id: int) -> dict[str, Any]:
    row = conn.execute(_ONE, {"id": draft_id}).mappings().first()
    if row is None:
        raise NotFound("draft", f"no draft {draft_id}")
    return dict(row)


def listing(conn: Connection, *, exporter: str | None = None, limit: int = 100,
            offset: int = 0) -> list[dict[str, Any]]:
    """Drafts, the most recently changed first, of one exporter or of all."""
    q = select(_d).order_by(_d.c.updated_at.desc(), _d.c.id.desc()).limit(limit).offset(offset)
    if exporter is not None:
        q = q.where(_d.c.exporter == exporter)
    return [dict(r) for r in conn.execute(q).mappings()]
