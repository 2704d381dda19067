"""What every command needs: settings, the service on the configured store, error handling."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from armsgate.audit.trail import AuditTrail
from armsgate.cli.output import errors
from armsgate.clock import Clock, SimulatedClock, SystemClock
from armsgate.domain.inputs import parse
from armsgate.domain.inputs import parse_day as day_of
from armsgate.errors import ArmsgateError, InputError
from armsgate.scenario.reader import YamlError, load_yaml_file
from armsgate.services.authority import Authority
from armsgate.settings import Settings
from armsgate.store.database import open_store, require_current

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=BaseModel)


def settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = "ARMSGATE_" + str(err["loc"][0]).upper() if err["loc"] else "settings"
        raise InputError(field, err["msg"].removeprefix("Value error, ")) from None


def clock(s: Settings) -> Clock:
    return SystemClock() if s.today is None else SimulatedClock(s.today)


def open_authority() -> Authority:
    """The service on the store that ARMSGATE_DATABASE_URL names (set up by `armsgate init`)."""
    s = settings()
    engine = open_store(s.database_url)
    require_current(engine)
    return Authority(engine, clock(s), actor=s.actor, trail=AuditTrail.from_settings(s),
                     deadlines=s.deadlines(), authority_name=s.authority_name)


def read_input(model: type[M], path: Path, prefix: str = "") -> M:
    """A YAML or JSON file validated as `model`; errors name the file and the field."""
    try:
        doc = load_yaml_file(path)
    except YamlError as exc:
        raise InputError("", str(exc), source=str(path)) from None
    return parse(model, doc, prefix, source=str(path))


def parse_day(text: str, field: str) -> date:
    try:
        return day_of(text)
    except ValueError as exc:
        raise InputError(field, str(exc)) from None


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Turn project errors into a message on stderr and the error's exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ArmsgateError as exc:
            errors.print(f"[bold red]error:[/] {exc.message}", markup=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper

