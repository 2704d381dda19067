"""Taking a case for a change (optimistic locking) and recording its state changes.

Every command that changes a case (an opinion, a request, an amendment, a decision, a
withdrawal) first takes it with `take`: one UPDATE that checks the version the user
saw, bumps it and returns the row's state. The UPDATE holds the row until the commit
(PostgreSQL: a row lock; SQLite: the database's single writer), so of two reviewers
acting at once on the same version, the second waits, then finds the version moved and
gets `Conflict`; without an expected version the second is simply applied after the
first. Whatever the command reads after `take` is therefore the case as it is.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import JSON, bindparam, select, update

from armsgate.domain.model import AppState
from armsgate.errors import Conflict, NotFound
from armsgate.services.reassess import change, record_changes
from armsgate.services.unit import Unit
from armsgate.store import schema as t

_a = t.applications
_TAKE = (update(_a).where(_a.c.id == bindparam("app"))
         .values(version=_a.c.version + 1)
         .returning(_a.c.state, _a.c.version, _a.c.amended_seq, _a.c.exporter))
_TAKE_AT = (update(_a).where(_a.c.id == bindparam("app"), _a.c.version == bindparam("seen"))
            .values(version=_a.c.version + 1)
            .returning(_a.c.state, _a.c.version, _a.c.amended_seq, _a.c.exporter))
_VERSION = select(_a.c.version).where(_a.c.id == bindparam("app"))
_SET_STATE = update(_a).where(_a.c.id == bindparam("app")).values(
    state=bindparam("b_state"), reasons=bindparam("b_reasons", type_=JSON),
    state_since=bindparam("b_day"))
_NOTE_CHANGE = t.state_changes.insert()


class Taken(NamedTuple):
    """A case as it is once taken: its state, its new version, the event of its latest
    amendment (None: as submitted) and its exporter."""

    state: AppState
    version: int
    amended_seq: int | None
    exporter: str

    @property
    def content_since(self) -> int:
        """Opinions recorded after this event count for the decision (0: all of them)."""
        return self.amended_seq or 0


def take(u: Unit, app_id: str, expected_version: int | None, field: str) -> Taken:
    """Bump the case's version, if it is still `expected_version` (None: whatever it is);
    NotFound naming `field` when there is no such case, Conflict when it moved on."""
    if expected_version is None:
        row = u.conn.execute(_TAKE, {"app": app_id}).first()
    else:
        row = u.conn.execute(_TAKE_AT, {"app": app_id, "seen": expected_version}).first()
    if row is None:
        actual = u.conn.execute(_VERSION, {"app": app_id}).scalar_one_or_none()
        if actual is None:
            raise NotFound(field, f"no application {app_id!r}")
        assert expected_version is not None
        raise Conflict("application", app_id, expected_version, actual)
    if row.amended_seq is not None:  # another process may hold its earlier content
        u.cache.forget([app_id])
    return Taken(AppState(row.state), row.version, row.amended_seq, row.exporter)


def set_state(u: Unit, app_id: str, before: AppState, after: AppState,
              reasons: tuple[str, ...], note: str | None = None) -> None:
    """Move a taken case to `after`, with a `state_changes` row (and its written reason)."""
    u.conn.execute(_SET_STATE, {"app": app_id, "b_state": after.value,
                                "b_reasons": list(reasons), "b_day": u.day})
    app = u.cache.load(u.conn, [app_id])[app_id]
    noted = change("application", app, before.value, after.value, reasons, u.world.parties)
    u.report.changes.append(noted)
    if note is None:
        record_changes(u.conn, u.seq, u.day, [noted])
    else:
        u.conn.execute(_NOTE_CHANGE, {
            "seq": u.seq, "subject": "application", "subject_id": app_id, "day": u.day,
            "from_state": before.value, "to_state": after.value, "reasons": list(reasons),
            "note": note})
