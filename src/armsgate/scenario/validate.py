"""Validating a scenario file whole, before any of it runs (SPEC.md, "Invalid files").

Field types and value sets are checked by the input models of
`armsgate.domain.inputs`, the same ones the service uses; this module adds what
only the whole file can tell: step order, unique ids, references to what
exists by then, kit loops, a country on two lists, intervals that end before
they start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from armsgate.domain import inputs as i
from armsgate.domain.model import GoodsItem
from armsgate.errors import InputError
from armsgate.rules.world import KitLoopError, effective_categories

M = TypeVar("M", bound=BaseModel)
TOP_KEYS = ("name", "description", "policy", "world", "steps")


class ScenarioInvalid(ValueError):
    def __init__(self, step: int, path: str, message: str) -> None:
        super().__init__(f"step {step}, {path or '(file)'}: {message}")
        self.step = step
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Step:
    number: int
    day: date
    action: str
    body: BaseModel


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    policy: i.PolicyIn | None
    world: i.WorldIn
    steps: tuple[Step, ...]


def _model(model: type[M], data: Any, step: int, prefix: str) -> M:
    try:
        return i.parse(model, data, prefix)
    except InputError as exc:
        raise ScenarioInvalid(step, exc.field, exc.problem) from None


def _raise(step: int, path: str, message: str) -> Any:
    raise ScenarioInvalid(step, path, message)


@dataclass
class _Known:
    parties: set[str] = field(default_factory=set)
    goods: set[str] = field(default_factory=set)
    embargoes: set[str] = field(default_factory=set)
    applications: set[str] = field(default_factory=set)
    suspensions: set[str] = field(default_factory=set)
    resolutions: set[str] = field(default_factory=set)

    def add(self, kind: str, id_: str, step: int, path: str) -> None:
        known: set[str] = getattr(self, kind)
        if id_ in known:
            _raise(step, path, f"{id_!r} is used twice")
        known.add(id_)

    def need(self, kind: str, id_: str, step: int, path: str) -> None:
        if id_ not in getattr(self, kind):
            noun = {"parties": "party", "goods": "goods item", "applications": "application",
                    "suspensions": "suspension"}[kind]
            _raise(step, path, f"no {noun} {id_!r} exists by then")


def validate(doc: Any) -> Scenario:
    """The scenario in `doc` (parsed YAML), or ScenarioInvalid naming step, path and problem."""
    if not isinstance(doc, Mapping):
        _raise(0, "", "a scenario file must be a YAML mapping")
    for key in doc:
        if key not in TOP_KEYS:
            _raise(0, str(key), "unknown key")
    for key in ("name", "world", "steps"):
        if key not in doc:
            _raise(0, key, "required field is missing")
    if not isinstance(doc["name"], str):
        _raise(0, "name", "expected text")
    description = doc.get("description", "")
    if not isinstance(description, str):
        _raise(0, "description", "expected text")
    policy = _model(i.PolicyIn, doc["policy"], 0, "policy") if "policy" in doc else None
    world = _model(i.WorldIn, doc["world"], 0, "world")
    known = _known_world(world)
    if not isinstance(doc["steps"], list):
        _raise(0, "steps", "expected a list of steps")
    steps: list[Step] = []
    last: date | None = None
    for number, raw in enumerate(doc["steps"], 1):
        step = _step(number, raw, last)
        _check_step(step, known)
        steps.append(step)
        last = step.day
    return Scenario(doc["name"], description, policy, world, tuple(steps))


def _known_world(world: i.WorldIn) -> _Known:
    known = _Known()
    for n, p in enumerate(world.parties):
        known.add("parties", p.id, 0, f"world.parties[{n}].id")
    for n, g in enumerate(world.goods):
        known.add("goods", g.id, 0, f"world.goods[{n}].id")
    for n, g in enumerate(world.goods):
        if g.kit_of is not None:
            known.need("goods", g.kit_of, 0, f"world.goods[{n}].kit_of")
    try:
        effective_categories({g.id: GoodsItem(g.id, g.category, kit_of=g.kit_of)
                              for g in world.goods})
    except KitLoopError as exc:
        _raise(0, "world.goods", f"a kit_of chain loops: {exc}")
    on_list: dict[str, str] = {}
    for name in ("white", "gray", "black"):
        for n, country in enumerate(getattr(world.lists, name)):
            if country in on_list and on_list[country] != name:
                _raise(0, f"world.lists.{name}[{n}]",
                       f"{country} is already on the {on_list[country]} list")
            on_list[country] = name
    for n, e in enumerate(world.embargoes):
        known.add("embargoes", e.id, 0, f"world.embargoes[{n}].id")
        if e.to is not None and e.to <= e.from_:
            _raise(0, f"world.embargoes[{n}].to", "must be after `from`")
    for n, c in enumerate(world.conflicts):
        if c.to is not None and c.to <= c.from_:
            _raise(0, f"world.conflicts[{n}].to", "must be after `from`")
    return known


def _step(number: int, raw: Any, last: date | None) -> Step:
    if not isinstance(raw, Mapping):
        _raise(number, "", "a step must be a mapping with `date` and one action")
    if "date" not in raw:
        _raise(number, "date", "required field is missing")
    try:
        day = i.parse_day(raw["date"])
    except ValueError as exc:
        _raise(number, "date", str(exc))
    if last is not None and day < last:
        _raise(number, "date", f"{day} is earlier than the step before ({last})")
    actions = [k for k in raw if k != "date"]
    for key in actions:
        if key not in i.ACTIONS:
            _raise(number, str(key), "unknown action")
    if not actions:
        _raise(number, "", "a step needs one action besides `date`, found none")
    if len(actions) > 1:
        _raise(number, str(actions[1]),
               f"a step has exactly one action, found {len(actions)}: {', '.join(actions)}")
    action = actions[0]
    body = raw[action]
    if not isinstance(body, Mapping):
        if action == "suspend" and body is None:
            body = {}
        else:
            _raise(number, action, "expected a mapping")
    return Step(number, day, action, _model(i.ACTIONS[action], body, number, action))


def _check_step(step: Step, known: _Known) -> None:
    n, b = step.number, step.body
    if isinstance(b, i.Submit):
        for field_, party in [("exporter", b.exporter), ("consignee", b.consignee),
                              ("end_user", b.end_user)]:
            known.need("parties", party, n, f"submit.{field_}")
        for k, party in enumerate(b.intermediates):
            known.need("parties", party, n, f"submit.intermediates[{k}]")
        for k, line in enumerate(b.goods):
            known.need("goods", line.item, n, f"submit.goods[{k}].item")
        if b.euc is not None:
            known.need("parties", b.euc.issuer, n, "submit.euc.issuer")
            known.need("parties", b.euc.end_user, n, "submit.euc.end_user")
            for k, cline in enumerate(b.euc.goods):
                known.need("goods", cline.item, n, f"submit.euc.goods[{k}].item")
        known.add("applications", b.id, n, "submit.id")
    elif isinstance(b, i.Suspend):
        if b.until is not None and b.until <= step.day:
            _raise(n, "suspend.until", "must be after the step's date")
        known.add("suspensions", b.id, n, "suspend.id")
    elif isinstance(b, i.Lift):
        known.need("suspensions", b.id, n, "lift.id")
    elif isinstance(b, i.ResolveIn):
        known.need("applications", b.application, n, "resolve.application")
        known.add("resolutions", b.id, n, "resolve.id")
    elif isinstance(b, (i.ConsentIn, i.Decide)):
        known.need("applications", b.application, n, f"{step.action}.application")
    elif isinstance(b, (i.EmbargoStep, i.ConflictStep)):
        if b.to is not None and b.to <= step.day:
            _raise(n, f"{step.action}.to", "must be after the step's date")
        if isinstance(b, i.EmbargoStep):
            known.add("embargoes", b.id, n, "embargo.id")
    elif isinstance(b, i.Expect):
        _check_expect(n, b, known)


def _check_expect(n: int, b: i.Expect, known: _Known) -> None:
    if (b.application is None) == (b.licence is None):
        _raise(n, "expect", "name exactly one of `application` and `licence`")
    if b.licence is not None:
        extra = [k for k, v in b.model_dump(exclude={"licence", "state"}).items()
                 if v is not None]
        if extra:
            _raise(n, f"expect.{extra[0]}", "a licence expectation has only `state`")
        if b.state is not None and b.state not in i.LICENCE_STATES:
            _raise(n, "expect.state", f"not a licence state: {b.state!r}")
        known.need("applications", b.licence, n, "expect.licence")
    else:
        assert b.application is not None
        if b.state is not None and b.state not in i.APP_STATES:
            _raise(n, "expect.state", f"not an application state: {b.state!r}")
        known.need("applications", b.application, n, "expect.application")
