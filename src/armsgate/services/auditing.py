"""What a command's audit rows say: who did what to which subject, before and after.

Every unit of work that appended an event records, in the same transaction, one
audit row for the command (its subject, the subject's state before and after, the
command as given, what it changed in counts, and the assessment it made, with its
reasons, if it made one), and one row per group of other records that it changed
alike (a suspension holding 40,000 applications: each group of ids with the same
before, after and reasons). `audit verify` then covers every change, and a case's
state on any day can be rebuilt from `state_changes`, which the rows vouch for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from armsgate.audit.chain import Entry
from armsgate.rules.engine import Assessment
from armsgate.services.reassess import ChangeReport

# Which payload key names the subject of each kind of event.
_SUBJECTS: dict[str, tuple[str, str]] = {
    "submit": ("application", "id"),
    "consent": ("application", "application"),
    "decide": ("application", "application"),
    "resolve": ("application", "application"),
    "suspend": ("suspension", "id"),
    "lift": ("suspension", "id"),
    "embargo": ("embargo", "id"),
    "conflict": ("country", "country"),
    "peace": ("country", "country"),
    "list": ("country", "country"),
    "sanction": ("screening-entry", "name"),
    "dismiss-hit": ("party", "party"),
    "appeal": ("application", "id"),  # the new case; `appeal_of` names the refused one
    "draft": ("draft", "id"),
}


def subject_of(kind: str, payload: Mapping[str, Any], seq: int) -> tuple[str, str]:
    """The record a command is about: (kind of record, its id)."""
    if kind in _SUBJECTS:
        noun, key = _SUBJECTS[kind]
        if payload.get(key) is not None:
            return noun, str(payload[key])
    for key in ("application", "id"):
        if payload.get(key) is not None:
            return "application" if key == "application" else kind, str(payload[key])
    return kind, f"event-{seq}"


def assessment_json(a: Assessment) -> dict[str, Any]:
    """An assessment as recorded and shown: outcome, flags, reasons, consents, findings."""
    return {
        "application": a.application, "day": a.day.isoformat(), "outcome": a.outcome.value,
        "flags": sorted(a.flags), "reasons": list(a.reasons), "consents": list(a.consents),
        "findings": [{"code": f.code, "effect": f.effect.value, "rule": f.rule,
                      "basis": f.basis, "facts": f.fact_text()} for f in a.findings],
    }


def entries(actor: str, kind: str, payload: Mapping[str, Any], seq: int,
            report: ChangeReport, assessment: Assessment | None) -> list[Entry]:
    """The audit rows of one event (see the module's docstring)."""
    noun, subject = subject_of(kind, payload, seq)
    own = [c for c in report.changes if c.id == subject]
    touched = bool(report.changes or report.examined_applications or report.examined_licences)
    before = {"state": own[0].before} if own and own[0].before else None  # None: new
    after: dict[str, Any] = {"event": seq, "command": dict(payload)}
    if own:
        after["state"] = own[-1].after
        after["reasons"] = list(own[-1].reasons)
    if touched:
        after["outcome"] = report.summary()
    rows = [Entry(actor, kind, noun, subject, before=before, after=after,
                  assessment=None if assessment is None else assessment_json(assessment))]
    groups: dict[tuple[str, str, str, tuple[str, ...]], list[str]] = defaultdict(list)
    for c in report.changes:
        if c.id != subject:
            groups[(c.subject, c.before, c.after, c.reasons)].append(c.id)
    for (what, was, now, reasons), ids in sorted(groups.items()):
        rows.append(Entry(actor, f"{kind}.changed", what, f"event-{seq}",
                          before={"state": was or None, "ids": ids},
                          after={"state": now, "reasons": list(reasons), "ids": ids,
                                 "event": seq}))
    return rows
