"""A case replayed to any day: its state and its licence's, from the recorded changes.

Every state change is a `state_changes` row with the day it took effect and the event
that made it (audited in the same transaction), so the state on a day is the last change
of each subject on or before it, in event order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, select

from armsgate.errors import NotFound
from armsgate.store import schema as t

_sc = t.state_changes
_CHANGES = (select(_sc.c.seq, _sc.c.subject, _sc.c.day, _sc.c.from_state, _sc.c.to_state,
                   _sc.c.reasons)
            .where(_sc.c.subject_id == bindparam("id"))
            .order_by(_sc.c.seq, _sc.c.pk))


def case_on(conn: Connection, app_id: str, day: date) -> dict[str, Any]:
    """The case's state (and its licence's) as it stood at the end of `day`, with the
    changes that led there."""
    changes = [dict(r._mapping) for r in conn.execute(_CHANGES, {"id": app_id})]
    if not changes:
        raise NotFound("application", f"no application {app_id!r}")
    upto = [c for c in changes if c["day"] <= day]
    state: dict[str, Any] = {"application": None, "licence": None, "reasons": []}
    for c in upto:
        state[c["subject"]] = c["to_state"]
        if c["subject"] == "application":
            state["reasons"] = list(c["reasons"])
    return {"id": app_id, "day": day, "state": state["application"],
            "reasons": state["reasons"], "licence": state["licence"], "changes": upto}
