"""A mass action's report as its pages show it: applications held and released, licences
suspended and reinstated, by exporter and destination, with the total value and the
records themselves (the first `SHOWN`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from armsgate.services.reassess import Change, ChangeReport

SHOWN = 200


def kind_of(c: Change) -> str:
    if c.subject == "licence":
        return "licences suspended" if c.after == "suspended" else "licences reinstated"
    return "applications held" if c.after == "held" else "applications released"


@dataclass(frozen=True)
class Impact:
    preview: bool
    fingerprint: str | None
    examined: dict[str, int]
    held: int
    released: int
    suspended: int
    reinstated: int
    value_eur: Decimal
    exporters: list[str]
    by_exporter: dict[str, list[int]]
    destinations: list[str]
    by_destination: dict[str, list[int]]
    changes: list[Change]
    more: bool
    chart_id: str = "impact"

    @classmethod
    def of(cls, report: ChangeReport, *, preview: bool, chart_id: str = "impact") -> Impact:
        kinds = [kind_of(c) for c in report.changes]
        exporters = sorted({c.exporter for c in report.changes})
        destinations = sorted({d for c in report.changes for d in c.destinations})
        by_exp: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(exporters, 0))
        by_dest: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(destinations, 0))
        for c, k in zip(report.changes, kinds, strict=True):
            by_exp[k][c.exporter] += 1
            for d in c.destinations:
                by_dest[k][d] += 1
        summary: dict[str, Any] = report.summary()
        return cls(
            preview=preview, fingerprint=report.fingerprint, examined=summary["examined"],
            held=kinds.count("applications held"),
            released=kinds.count("applications released"),
            suspended=kinds.count("licences suspended"),
            reinstated=kinds.count("licences reinstated"),
            value_eur=Decimal(summary["value_affected_eur"]),
            exporters=exporters, by_exporter={k: list(v.values()) for k, v in by_exp.items()},
            destinations=destinations,
            by_destination={k: list(v.values()) for k, v in by_dest.items()},
            changes=report.changes[:SHOWN], more=len(report.changes) > SHOWN,
            chart_id=chart_id)
