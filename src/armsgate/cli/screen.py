"""`armsgate lists ...` and `armsgate screen ...`: sanctions lists and name screening."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from armsgate.cli.context import guarded, open_authority
from armsgate.cli.output import console, errors, print_json, print_line
from armsgate.errors import InputError
from armsgate.reference.catalog import country_codes
from armsgate.screening.matcher import Candidate, NameQuery, ScoredMatch, ScoredMatcher
from armsgate.screening.sources import FORMATS, country_code
from armsgate.services.screening import EntryRef

lists = typer.Typer(no_args_is_help=True)
screen = typer.Typer(no_args_is_help=True)
JSON = typer.Option(False, "--json", help="print JSON")
TYPES = {"person": "person", "individual": "person", "organisation": "organisation",
         "organization": "organisation", "entity": "organisation", "company": "organisation"}


@lists.command("import")
@guarded
def import_list(file: Path = typer.Argument(..., exists=True, dir_okay=False),
                fmt: str = typer.Option(..., "--format", help=", ".join(sorted(FORMATS))),
                list_name: str | None = typer.Option(None, "--list", help="the list's name"),
                json: bool = JSON) -> None:
    """Import a list's file as a new version; parties are screened against what changed,
    and the cases newly flagged (or whose hit went away) are listed."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=errors, transient=True,
                  disable=json) as progress:
        task = progress.add_task(f"importing {file.name}", total=None)
        result = open_authority().import_list(file, fmt, list_name,
                                              lambda n: progress.advance(task, n))
    summary = result.summary()
    if json:
        print_json(summary)
    elif result.version is None:
        console.print(f"{summary['list']}: {summary['records']} records, nothing changed")
    else:
        console.print(f"{summary['list']} version {summary['version']}: {summary['records']} "
                      f"records; {summary['added']} added, {summary['changed']} changed, "
                      f"{summary['removed']} removed")
        print_screening_changes(result.screening)


def print_screening_changes(cases: list[dict[str, Any]]) -> None:
    """The cases whose parties' hits the import changed, with each hit added or removed."""
    if not cases:
        console.print("screening: no pending case or live licence has a hit added or removed")
        return
    counts = {c: sum(x["change"] == c for x in cases) for c in ("flagged", "cleared", "changed")}
    console.print(f"screening: {counts['flagged']} case(s) newly flagged, {counts['cleared']} "
                  f"cleared, {counts['changed']} with other hits")
    for case in cases:
        state = case["state"] if case["licence"] is None else f"licence {case['licence']}"
        console.print(f"  {case['application']} ({state}): {case['change']}", markup=False)
        for sign, key in (("+", "added"), ("-", "removed")):
            for h in case[key]:
                console.print(f"    {sign} {'/'.join(h['roles'])} {h['party']}: {h['list']} "
                              f"{h['entity_id']} {h['name']!r} (entry {h['entry']}), "
                              f"score {h['score']:.3f}", markup=False)


@lists.command("versions")
@guarded
def versions(list_name: str | None = typer.Option(None, "--list"), json: bool = JSON) -> None:
    """The versions of the lists: when each was imported and what it changed."""
    rows = open_authority().list_versions(list_name)
    if json:
        print_json(rows)
        return
    table = Table("version", "list", "day", "records", "added", "changed", "removed", "file")
    for r in rows:
        table.add_row(str(r["pk"]), r["list"], str(r["day"]), str(r["records"]), str(r["added"]),
                      str(r["changed"]), str(r["removed"]), r["file_name"])
    console.print(table)


@lists.command("diff")
@guarded
def diff(list_name: str, before: int = typer.Argument(..., help="version (0: empty)"),
         after: int = typer.Argument(..., help="a later version"), json: bool = JSON) -> None:
    """The entries added, removed and changed between two versions of a list."""
    d = open_authority().list_diff(list_name, before, after)
    if json:
        print_json(d)
        return
    for kind in ("added", "removed"):
        for e in d[kind]:
            console.print(f"{'+' if kind == 'added' else '-'} {e['entity_id']} {e['name']}")
    for c in d["changed"]:
        console.print(f"~ {c['after']['entity_id']} {c['before']['name']} -> {c['after']['name']}")
    console.print(f"{len(d['added'])} added, {len(d['removed'])} removed, "
                  f"{len(d['changed'])} changed")


def _match_json(ref: EntryRef, m: ScoredMatch) -> dict[str, Any]:
    return {"list": ref.list, "entity_id": ref.entity_id, "name": ref.name,
            "score": round(m.score, 4), "match": m.match,
            "explanation": {"matched_name": m.candidate_name, "query_name": m.query_name,
                            "romanisation": m.romanisation, "text": m.explanation,
                            "features": {f.name: round(f.contribution, 4)
                                         for f in m.features if f.value}}}


def _type(value: str | None, where: str) -> str | None:
    if not value:
        return None
    kind = TYPES.get(value.strip().casefold())
    if kind is None:
        raise InputError(where, f"{value!r} is not person or organisation")
    return kind


def _country(value: str | None, where: str) -> str | None:
    if not value:
        return None
    code = value.strip().upper() if value.strip().upper() in country_codes() else \
        country_code(value)
    if code is None:
        raise InputError(where, f"{value!r} is not a known country")
    return code


@screen.command("name")
@guarded
def name(query: str, country: str | None = typer.Option(None, help="ISO code or name"),
         kind: str | None = typer.Option(None, "--type", help="person or organisation"),
         json: bool = JSON) -> None:
    """Screen one name against every list entry, with each hit explained."""
    q = NameQuery(query, _type(kind, "--type"), _country(country, "--country"))
    hits = open_authority().screen(q)
    if json:
        print_json({"query": query, "matches": [_match_json(r, m) for r, m in hits]})
        return
    if not hits:
        console.print(f"no match for {query!r}")
    for ref, m in hits:
        console.print(f"[bold]{m.score:.3f}[/] {ref.list} {ref.entity_id} {ref.name!r} "
                      f"(matched {m.candidate_name!r})")
        console.print(f"    {m.explanation}", markup=False)


def _rows(file: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        with file.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError("header", f"missing column(s): {', '.join(missing)}",
                                 source=str(file))
            return list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError("", str(exc), source=str(file)) from None


@screen.command("batch")
@guarded
def batch(file: Path = typer.Argument(..., help="CSV with columns id,name,country,type"),
          json: bool = JSON) -> None:
    """Screen every row of a CSV file; with --json one JSON object per line (row), in order."""
    rows = _rows(file, ("id", "name"))
    authority = open_authority()
    for n, row in enumerate(rows, 2):
        where = f"{file}:{n}"
        q = NameQuery(row["name"], _type(row.get("type"), f"{where}: type"),
                      _country(row.get("country"), f"{where}: country"))
        hits = authority.screen(q)
        if json:
            print_line({"id": row["id"], "query": row["name"],
                        "matches": [_match_json(r, m) for r, m in hits]})
        else:
            best = f"{hits[0][1].score:.3f} {hits[0][0].list} {hits[0][0].name}" if hits else "-"
            console.print(f"{row['id']}\t{row['name']}\t{len(hits)} hits\t{best}")


SCHEMAS = {"person": "person", "company": "organisation", "organization": "organisation",
           "legalentity": "organisation", "vessel": "vessel"}


@screen.command("pairs")
@guarded
def pairs(file: Path = typer.Argument(..., help="CSV with at least schema,name1,name2"),
          json: bool = JSON) -> None:
    """Score given pairs of names (no store needed)."""
    matcher = ScoredMatcher()
    for n, row in enumerate(_rows(file, ("schema", "name1", "name2")), 2):
        schema = SCHEMAS.get(row["schema"].strip().casefold())
        if schema is None:
            raise InputError("schema", f"{row['schema']!r} is not one of Person, Company, "
                             "Organization, LegalEntity, Vessel", source=f"{file}:{n}")
        m = matcher.score(NameQuery(row["name1"], schema), Candidate((row["name2"],), schema))
        if json:
            print_line({"schema": row["schema"], "name1": row["name1"], "name2": row["name2"],
                        "score": round(m.score, 4), "match": m.match})
        else:
            console.print(f"{m.score:.3f}\t{'match' if m.match else '-'}\t{row['name1']}\t"
                          f"{row['name2']}", markup=False)


@screen.command("dismiss")
@guarded
def dismiss(party: str, entry: int = typer.Argument(..., help="the entry's number (hit)"),
            reason: str = typer.Option(..., help="why it is a false positive")) -> None:
    """Mark a party's hit as a false positive (until the party or the entry changes)."""
    open_authority().dismiss_hit(party, entry, reason)
    console.print(f"hit of {party} on entry {entry} dismissed")
