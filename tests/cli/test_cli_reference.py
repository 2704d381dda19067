"""docs/cli.md is generated from the Typer app by scripts/cli_reference.py and kept up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any, get_args

import pytest
import typer
import typer.main
from pydantic import BaseModel

from armsgate.cli.app import app
from armsgate.domain import inputs as i

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "cli_reference.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _leaf_commands() -> list[str]:
    """Every command path of the app, e.g. `armsgate cases submit`."""
    found: list[str] = []

    def walk(command: Any, ctx: typer.Context, path: str) -> None:
        if not hasattr(command, "list_commands"):
            found.append(path)
            return
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            walk(sub, typer.Context(sub, info_name=name, parent=ctx), f"{path} {name}")

    root = typer.main.get_command(app)
    walk(root, typer.Context(root, info_name="armsgate"), "armsgate")
    return found


def test_docs_cli_md_is_up_to_date(script: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    code = script.main(["--check"])
    err = capsys.readouterr().err
    assert code == 0, (
        "docs/cli.md is out of date with the CLI: run `python scripts/cli_reference.py` "
        f"and commit docs/cli.md ({err.strip()})"
    )


def test_check_fails_on_a_stale_file(script: ModuleType, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert script.main(["--check", "--output", str(stale)]) == 1
    assert "run `python scripts/cli_reference.py`" in capsys.readouterr().err
    assert script.main(["--check", "--output", str(tmp_path / "missing.md")]) == 1


def test_write_then_check(script: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "docs" / "cli.md"
    assert script.main(["--output", str(out)]) == 0
    assert script.main(["--check", "--output", str(out)]) == 0


def test_output_does_not_depend_on_the_terminal(script: ModuleType,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.delenv("NO_COLOR", raising=False)
    wide = script.render()
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("NO_COLOR", "1")
    assert script.render() == wide


def test_every_command_option_and_help_is_documented(script: ModuleType) -> None:
    text = script.render()
    commands = _leaf_commands()
    assert "armsgate cases submit" in commands
    assert "armsgate registers propose-conflicts" in commands
    for path in commands:
        assert f"`{path}`" in text, f"{path} is missing from docs/cli.md"
    for needle in ("--category <list[str]>", "--at <str>", "--non-state / --no-non-state",
                   "`decision <consent\\|object>`", "[default: 100; 1<=x<=10000]",
                   "Submit an application; it is judged at once.", "ARMSGATE_DATABASE_URL",
                   "armsgate opinions record [OPTIONS] {application} {body} {decision}"):
        assert needle in text, needle
    assert "\x1b[" not in text  # no terminal colours


def _fields(model: type[BaseModel]) -> set[str]:
    """Every key of an input model, nested models included (aliases as written)."""
    found: set[str] = set()

    def walk_type(tp: Any) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            found.update(_fields(tp))
        for arg in get_args(tp):
            walk_type(arg)

    for name, info in model.model_fields.items():
        found.add(info.alias or name)
        walk_type(info.annotation)
    return found


@pytest.mark.parametrize("model", [i.RegistersIn, i.Submit])
def test_input_formats_name_every_field(model: type[BaseModel]) -> None:
    text = (ROOT / "docs" / "input-formats.md").read_text(encoding="utf-8")
    missing = sorted(f for f in _fields(model) if f"`{f}`" not in text
                     and f"`goods[].{f}`" not in text and f"`nsc.{f}`" not in text)
    assert not missing, f"docs/input-formats.md does not describe {missing}"
