"""Mass actions, previewed first: one function both previews and applies.

Declaring or lifting a suspension order, or a special resolution, can hold or
release thousands of cases at once (the seed reports' June 2025 order held every
export). The officer first sees what the action WOULD do: the same command runs
in a transaction that is rolled back, and its report (cases held, licences
suspended, by exporter, destination and value) comes with a fingerprint of the
changes. Applying sends that fingerprint back: the command runs again, for real,
and is refused (nothing written) if its changes are not exactly those previewed,
because the data changed in between.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager

from armsgate.errors import StateConflict
from armsgate.services.reassess import ChangeReport
from armsgate.services.unit import Unit


def fingerprint(report: ChangeReport) -> str:
    """A digest of every change a report lists (what, which, from, to, why)."""
    changes = sorted((c.subject, c.id, c.before, c.after, list(c.reasons))
                     for c in report.changes)
    text = json.dumps(changes, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class _Preview(Exception):
    """Raised inside the unit to roll its transaction back, carrying the report."""

    def __init__(self, report: ChangeReport) -> None:
        super().__init__("preview")
        self.report = report


def previewed(unit: Callable[[], AbstractContextManager[Unit]],
              command: Callable[[Unit], ChangeReport], *, preview: bool,
              expect: str | None) -> ChangeReport:
    """Run `command` in a unit: only to see its report (`preview`), or for real, refused if
    `expect` (a preview's fingerprint) is given and the changes differ."""
    try:
        with unit() as u:
            report = command(u)
            report.fingerprint = fingerprint(report)
            if expect is not None and report.fingerprint != expect:
                raise StateConflict(
                    "the cases this action changes are no longer those previewed "
                    f"({len(report.changes)} changes now): preview it again")
            if preview:
                raise _Preview(report)
    except _Preview as done:
        return done.report
    return report
