"""Running scenario files through the real service, each on a fresh temporary store.

Each step is sent to `Authority` exactly as the CLI sends a command, with the
simulated clock set to the step's date; an `expect` step observes time, then
reads the state and the day's assessment back from the store.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.errors import ArmsgateError
from armsgate.scenario.reader import YamlError, load_yaml_file
from armsgate.scenario.validate import Scenario, ScenarioInvalid, Step, validate
from armsgate.services.authority import Authority
from armsgate.store.database import init_store, open_store


@dataclass
class StepResult:
    step: int
    passed: bool
    expected: dict[str, Any]
    actual: dict[str, Any]


@dataclass
class FileResult:
    file: str
    valid: bool
    error: ScenarioInvalid | None = None
    results: list[StepResult] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        error = None if self.error is None else {
            "step": self.error.step, "path": self.error.path, "message": self.error.message}
        return {"file": self.file, "valid": self.valid, "error": error,
                "results": [r.__dict__ for r in self.results]}


def load_scenario(path: Path) -> Scenario:
    try:
        doc = load_yaml_file(path)
    except YamlError as exc:
        raise ScenarioInvalid(0, "", str(exc)) from exc
    return validate(doc)


def run_file(path: Path) -> FileResult:
    try:
        scenario = load_scenario(path)
    except ScenarioInvalid as exc:
        return FileResult(str(path), valid=False, error=exc)
    result = FileResult(str(path), valid=True)
    with tempfile.TemporaryDirectory(prefix="armsgate-scenario-") as tmp:
        engine = open_store(f"sqlite:///{Path(tmp) / 'store.db'}")
        # The store is deleted after the run: its audit head is written once, at the end.
        trail = AuditTrail(secrets.token_bytes(32), Path(tmp) / "store.db.audit-head",
                           temporary=True)
        try:
            init_store(engine)
            result.results = run_scenario(scenario, engine, trail)
            trail.flush()
        finally:
            engine.dispose()
    return result


def run_scenario(scenario: Scenario, engine: Any, trail: AuditTrail | None
                 ) -> list[StepResult]:
    """Replay the scenario's steps through the service, each change recorded in the audit
    `trail`; returns one result per `expect`."""
    first = scenario.steps[0].day if scenario.steps else None
    clock = SimulatedClock(first or date(2000, 1, 1))
    authority = Authority(engine, clock, actor="scenario", trail=trail)
    world = i.RegistersIn.model_validate(
        {**scenario.world.model_dump(by_alias=True), "policy": scenario.policy})
    authority.import_registers(world, prefix="world.")
    results: list[StepResult] = []
    for step in scenario.steps:
        clock.set(step.day)
        if isinstance(step.body, i.Expect):
            authority.observe()
            results.append(check(authority, step.number, step.body))
            continue
        try:
            _dispatch(authority, step)
        except ArmsgateError as exc:
            results.append(StepResult(step.number, False, {"error": None},
                                      {"error": exc.message}))
    return results


def _dispatch(authority: Authority, step: Step) -> None:
    handlers: dict[str, Callable[[Any], Any]] = {
        "submit": authority.submit, "suspend": authority.suspend, "lift": authority.lift,
        "resolve": authority.resolve, "consent": authority.consent,
        "decide": authority.decide, "embargo": authority.embargo,
        "conflict": authority.conflict, "peace": authority.peace,
        "list": authority.move_list, "sanction": authority.sanction,
        "policy": authority.set_policy,
    }
    body: BaseModel = step.body
    handlers[step.action](body)


def check(authority: Authority, number: int, exp: i.Expect) -> StepResult:
    expected = exp.model_dump(exclude_none=True, exclude={"application", "licence"})
    actual: dict[str, Any] = {}
    ok = True
    if exp.licence is not None:
        try:
            actual["state"] = authority.licence(exp.licence)["state"]
        except ArmsgateError:
            actual["state"] = None
        ok = exp.state is None or actual["state"] == exp.state
        return StepResult(number, ok, expected, actual)
    assert exp.application is not None
    record = authority.application(exp.application)
    assessment = authority.assess(exp.application)
    if exp.state is not None:
        actual["state"] = record["state"]
        ok &= record["state"] == exp.state
    if exp.outcome is not None:
        actual["outcome"] = assessment.outcome.value
        ok &= assessment.outcome.value == exp.outcome
    if exp.reasons is not None:
        actual["reasons"] = list(record["reasons"])
        ok &= all(r in record["reasons"] for r in exp.reasons)
    if exp.flags is not None:
        actual["flags"] = sorted(assessment.flags)
        ok &= all(f in assessment.flags for f in exp.flags)
    if exp.not_flags is not None:
        actual["not_flags"] = sorted(f for f in exp.not_flags if f in assessment.flags)
        ok &= not actual["not_flags"]
    if exp.consents is not None:
        actual["consents"] = list(assessment.consents)
        ok &= set(assessment.consents) == set(exp.consents)
    return StepResult(number, ok, expected, actual)
