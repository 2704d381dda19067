"""`armsgate scenario run FILE...`: SPEC.md's runner, one line per expectation."""

from __future__ import annotations

from pathlib import Path

import typer

from armsgate.cli.context import guarded
from armsgate.cli.output import print_json
from armsgate.scenario.runner import FileResult, run_file

app = typer.Typer(no_args_is_help=True)


def _describe(values: dict[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())


def _print(result: FileResult) -> None:
    if result.error is not None:
        e = result.error
        print(f"INVALID {result.file} step {e.step} {e.path or '(file)'}: {e.message}")
        return
    for r in result.results:
        if r.passed:
            print(f"PASS {result.file} step {r.step}")
        else:
            print(f"FAIL {result.file} step {r.step}: expected {_describe(r.expected)}; "
                  f"actual {_describe(r.actual)}")


@app.command("run")
@guarded
def run(
    files: list[Path] = typer.Argument(..., help="scenario files (YAML)"),
    json: bool = typer.Option(False, "--json", help="print one JSON document"),
) -> None:
    """Run each file on its own fresh store; exit 2 if any is invalid, 1 if any check fails."""
    results = [run_file(f) for f in files]
    passed = sum(r.passed for res in results for r in res.results)
    failed = sum(not r.passed for res in results for r in res.results)
    if json:
        print_json({"files": [r.as_json() for r in results], "passed": passed,
                    "failed": failed})
    else:
        for res in results:
            _print(res)
        print(f"{passed} passed, {failed} failed")
    if any(not r.valid for r in results):
        raise typer.Exit(2)
    if failed:
        raise typer.Exit(1)
