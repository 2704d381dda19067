"""A subject's history from its audit rows: its after-images, and its state on a day.

Pure: the rows are given (see `audit.store.subject_rows`). The day is the day the
change was recorded (UTC), which is the service clock's day: "the state of the
case on 1 March" is the after-image of the last change recorded on or before
that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from armsgate.audit.chain import JSONValue, Row, utc, utc_text


@dataclass(frozen=True)
class Snapshot:
    seq: int
    recorded_at: datetime
    actor: str
    action: str
    state: JSONValue  # the after-image (None: the subject was removed)

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "recorded_at": utc_text(self.recorded_at), "actor": self.actor,
                "action": self.action, "state": self.state}


def replay(rows: Iterable[Row], until: date | None = None) -> list[Snapshot]:
    """The after-images of the rows recorded up to the end of `until` (all if None), by seq."""
    shots = [Snapshot(r.seq, utc(r.recorded_at), r.actor, r.action, r.after)
             for r in sorted(rows, key=lambda r: r.seq)]
    if until is None:
        return shots
    return [s for s in shots if s.recorded_at.date() <= until]


def state_on(rows: Iterable[Row], day: date) -> Snapshot | None:
    """The subject as it stood at the end of `day`; None if nothing was recorded by then."""
    shots = replay(rows, day)
    return shots[-1] if shots else None
