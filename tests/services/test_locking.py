"""Optimistic locking: every change to a case bumps its version, a stale version is refused
with Conflict, and two reviewers acting at once in two transactions (two connections, two
threads) never lose an update, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.errors import Conflict
from armsgate.services import cases
from armsgate.services.authority import Authority
from armsgate.store import schema as t
from tests.services.test_authority import REGISTERS, submit


@pytest.fixture
def world(authority: Authority) -> Authority:
    authority.import_registers(i.parse(i.RegistersIn, REGISTERS))
    return authority


def version(authority: Authority, app_id: str) -> int:
    return int(authority.case(app_id)["application"]["version"])


def opinions(engine: Engine, app_id: str) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(t.opinions.c.body).where(
            t.opinions.c.application_id == app_id)).scalars())


def consent(body: str) -> i.ConsentIn:
    return i.ConsentIn(application="A1", body=body, decision="consent")


COMMANDS: dict[str, Callable[[Authority, int], Any]] = {
    "consent": lambda a, v: a.consent(consent("defence"), expected_version=v),
    "decide": lambda a, v: a.decide(i.Decide(application="A1"), expected_version=v),
    "resolve": lambda a, v: a.resolve(i.ResolveIn(id="R1", application="A1", decision="allow"),
                                      expected_version=v),
    "ask": lambda a, v: a.ask("A1", "Which units?", expected_version=v),
    "withdraw": lambda a, v: a.withdraw("A1", expected_version=v),
    "refuse": lambda a, v: a.refuse("A1", 7, "Diversion risk.", expected_version=v),
    "amend": lambda a, v: a.amend(i.Submit.model_validate({
        "id": "A1", "exporter": "krusik", "consignee": "pl-mod", "end_user": "pl-mod",
        "goods": [{"item": "radio", "quantity": 1, "value": 10}]}), expected_version=v),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_change_bumps_the_version_and_a_stale_one_is_refused(
        world: Authority, engine: Engine, command: str) -> None:
    submit(world, "A1", item="radio")
    seen = version(world, "A1")
    assert seen == 1
    COMMANDS[command](world, seen)
    assert version(world, "A1") == seen + 1
    with engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(t.events)).scalar_one()
    with pytest.raises(Conflict) as stale:
        COMMANDS[command](world, seen)
    assert (stale.value.expected, stale.value.actual) == (seen, seen + 1)
    assert (stale.value.status, stale.value.exit_code) == (409, 4)
    with engine.connect() as conn:  # nothing written
        assert conn.execute(select(func.count()).select_from(t.events)).scalar_one() == events
    assert version(world, "A1") == seen + 1


def test_the_answer_and_the_appeal_check_the_version_too(world: Authority) -> None:
    submit(world, "A1", item="radio")
    asked = world.ask("A1", "Which units?")
    with pytest.raises(Conflict):
        world.answer("A1", "Signals.", expected_version=asked.version - 1)
    world.answer("A1", "Signals.", expected_version=asked.version)
    refused = world.refuse("A1", 3, "Internal tensions.")
    with pytest.raises(Conflict):
        world.appeal("A1", expected_version=refused.version - 1)
    world.appeal("A1", expected_version=refused.version)
    assert version(world, "A1") == refused.version + 1


def _hold_open(authority: Authority, taken: threading.Event, go: threading.Event,
               seen: int, errors: list[BaseException]) -> None:
    """The first reviewer: records an opinion on version `seen`, then keeps its transaction
    open until the second reviewer has started its own."""
    try:
        with authority.unit() as u:
            cases.consent(u, consent("defence"), seen)
            taken.set()
            go.wait(10)
    except BaseException as exc:  # pragma: no cover - reported by the test
        errors.append(exc)
        taken.set()


def _second(authority: Authority, expected: int | None, body: str,
            outcome: list[BaseException | None], started: threading.Event) -> None:
    started.set()
    try:
        authority.consent(consent(body), expected_version=expected)
        outcome.append(None)
    except BaseException as exc:
        outcome.append(exc)


def _race(world: Authority, engine: Engine, clock: SimulatedClock, expected: int | None
          ) -> tuple[list[BaseException | None], list[BaseException]]:
    submit(world, "A1", item="radio")
    seen = version(world, "A1")
    # Two processes' worth of service (own caches), two connections, two threads.
    first, second = world, Authority(engine, clock, actor="second")
    taken, go, started = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []
    outcome: list[BaseException | None] = []
    a = threading.Thread(target=_hold_open, args=(first, taken, go, seen, errors))
    a.start()
    assert taken.wait(10)
    b = threading.Thread(target=_second,
                         args=(second, seen if expected is not None else None,
                               "foreign_affairs", outcome, started))
    b.start()
    assert started.wait(10)
    b.join(0.5)
    assert b.is_alive()  # the second reviewer waits for the first one's transaction
    go.set()
    a.join(10)
    b.join(20)
    assert not a.is_alive()
    assert not b.is_alive()
    return outcome, errors


def test_two_reviewers_on_the_same_version_one_wins_the_other_gets_conflict(
        world: Authority, engine: Engine, clock: SimulatedClock) -> None:
    outcome, errors = _race(world, engine, clock, expected=1)
    assert errors == []
    [result] = outcome
    assert isinstance(result, Conflict)
    assert (result.expected, result.actual) == (1, 2)
    assert opinions(engine, "A1") == ["defence"]  # the winner's, and only it
    assert version(world, "A1") == 2


def test_two_reviewers_without_a_version_are_serialised_without_loss(
        world: Authority, engine: Engine, clock: SimulatedClock) -> None:
    outcome, errors = _race(world, engine, clock, expected=None)
    assert errors == []
    assert outcome == [None]
    assert opinions(engine, "A1") == ["defence", "foreign_affairs"]
    assert version(world, "A1") == 3


def test_many_reviewers_retrying_on_conflict_lose_nothing(
        world: Authority, engine: Engine, clock: SimulatedClock) -> None:
    submit(world, "A1", item="radio")
    bodies = [f"body-{n}" for n in range(6)]
    barrier = threading.Barrier(len(bodies))
    conflicts: list[str] = []
    failures: list[BaseException] = []

    def reviewer(body: str) -> None:
        authority = Authority(engine, clock, actor=body)
        barrier.wait(10)
        try:
            for _ in range(50):
                seen = version(authority, "A1")
                try:
                    authority.consent(consent(body), expected_version=seen)
                    return
                except Conflict:
                    conflicts.append(body)
            raise AssertionError(f"{body} never got through")
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=reviewer, args=(b,)) for b in bodies]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert failures == []
    assert opinions(engine, "A1") == bodies
    assert version(world, "A1") == 1 + len(bodies)


def test_two_workers_observing_the_same_day_mark_each_overdue_request_once(
        world: Authority, engine: Engine, clock: SimulatedClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from armsgate.services import consent_requests

    submit(world, "A1", item="radio")  # consents due 22 January, overdue from the 23rd
    clock.set(date(2025, 1, 23))
    other = Authority(engine, clock, actor="worker-2")
    marked: dict[str, list[str]] = {}
    mark = consent_requests.mark_overdue

    def spy(u: Any, requests: Any) -> Any:
        done = mark(u, requests)
        marked[u.actor] = [r.body for r in u.consents_overdue]
        return done

    monkeypatch.setattr(consent_requests, "mark_overdue", spy)
    observed, go = threading.Event(), threading.Event()

    def first() -> None:
        with world.unit():  # observes time first, then holds its transaction open
            observed.set()
            go.wait(10)

    a = threading.Thread(target=first)
    a.start()
    assert observed.wait(10)
    b = threading.Thread(target=other.observe)
    b.start()
    b.join(0.5)
    go.set()
    a.join(10)
    b.join(20)
    # The second worker may find the marks made before it looks, or wait for them: either
    # way it lists nothing itself.
    assert marked["test"] == ["defence", "foreign_affairs"]
    assert marked.get("worker-2", []) == []
    with engine.connect() as conn:
        seqs = set(conn.execute(select(t.consent_requests.c.overdue_seq)).scalars())
    assert len(seqs) == 1
