"""`armsgate registers ...`: register files, the shipped reference data, conflict proposals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from armsgate.cli.context import guarded, open_authority, read_input
from armsgate.cli.output import console, print_json
from armsgate.domain import inputs as i
from armsgate.services.reference import reference_registers

app = typer.Typer(no_args_is_help=True)
JSON = typer.Option(False, "--json", help="print JSON")


def _print_counts(counts: dict[str, Any], json: bool) -> None:
    plain = {k: dict(v) for k, v in counts.items()}
    if json:
        print_json(plain)
        return
    for kind, c in plain.items():
        console.print(f"{kind}: " + ", ".join(f"{n} {what}" for what, n in c.items()))


@app.command("import")
@guarded
def import_file(file: Path = typer.Argument(..., help="a register file (docs/input-formats.md)"),
                json: bool = JSON) -> None:
    """Import parties, goods, lists, embargoes, conflicts and screening entries (one
    transaction; importing the same file twice changes nothing)."""
    reg = read_input(i.RegistersIn, file)
    _print_counts(open_authority().import_registers(reg), json)


@app.command("reference")
@guarded
def reference(json: bool = JSON) -> None:
    """Load the reference data shipped with armsgate: the UN arms embargoes in force."""
    _print_counts(open_authority().import_registers(reference_registers()), json)


@app.command("propose-conflicts")
@guarded
def propose_conflicts(
    file: Path = typer.Argument(..., help="UCDP/PRIO Armed Conflict Dataset CSV (v25.1)"),
    year: int | None = typer.Option(None, help="the year judged (default: the latest)"),
    min_intensity: int = typer.Option(1, min=1, max=2, help="1: 25+ deaths, 2: 1,000+"),
    json: bool = JSON,
) -> None:
    """Propose conflict-register entries from the dataset, for an officer to confirm with
    `armsgate world conflict`; the register is never changed by this command."""
    from armsgate.importers.ucdp import describe, propose_conflicts, read_rows

    proposals = propose_conflicts(read_rows(file), as_of_year=year, min_intensity=min_intensity)
    if json:
        print_json([{"country": p.country, "from": p.from_, "conflict_ids": p.conflict_ids,
                     "intensity": p.intensity, "source": p.source} for p in proposals])
        return
    for p in proposals:
        console.print(describe(p), markup=False)
    console.print(f"{len(proposals)} proposals; confirm each with "
                  "`armsgate world conflict CC --source ...`")
