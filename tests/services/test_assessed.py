"""Assessments kept between requests (`services.assessed`) are the ones judging afresh
gives, after every kind of change: a case's own step, an amendment (made here or by
another process), a change of the world, a new day; SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Connection, Engine

from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.domain.model import Application
from armsgate.rules.engine import Assessment, assess
from armsgate.rules.world import DayView
from armsgate.services import assessed as assessed_module
from armsgate.services import unit
from armsgate.services.authority import Authority
from armsgate.services.unit import ApplicationCache
from armsgate.store.repository import load_applications
from tests.services.test_amendments import amendment
from tests.services.test_authority import REGISTERS, submit

CASES = ("A1", "A2", "A3", "A4")


@pytest.fixture
def world(authority: Authority) -> Authority:
    authority.import_registers(i.parse(i.RegistersIn, REGISTERS))
    return authority


def fresh(authority: Authority, engine: Engine) -> dict[str, Assessment]:
    """Each case judged from the store as it is, with nothing kept."""
    with engine.connect() as conn:
        apps = load_applications(conn, list(CASES))
    view = DayView(authority.world(), authority.clock.today(), authority.matcher)
    return {app_id: assess(app, view) for app_id, app in apps.items()}


def agenda(authority: Authority) -> list[tuple[str, tuple[str, ...]]]:
    return [(e["application"], tuple(e["flags"])) for e in authority.nsc_agenda()]


@pytest.mark.parametrize("renew", [False, True], ids=["judged-on-read", "renewed"])
def test_kept_assessments_are_those_judged_afresh(world: Authority, engine: Engine,
                                                 clock: SimulatedClock, trail: AuditTrail,
                                                 renew: bool) -> None:
    """`renew`: the process that changes the world judges its kept cases again at once
    (a server); otherwise on the next read."""
    world = Authority(engine, clock, actor="test", trail=trail, renew=renew)
    for n, app_id in enumerate(CASES):
        submit(world, app_id, item="kit" if n % 2 else "radio",
               consignee="cz-asm" if n < 2 else "pl-mod")
    reader = Authority(engine, clock, actor="reader")  # another process of the service
    changes: list[tuple[str, Callable[[], object]]] = [
        ("an opinion", lambda: world.consent(i.ConsentIn(
            application="A1", body="defence", decision="consent"))),
        ("an amendment", lambda: world.amend(amendment("A3", consignee="cz-asm",
                                                       end_user="cz-mod"))),
        ("a conflict", lambda: world.conflict(i.ConflictStep(country="CZ"))),
        ("a list move", lambda: world.move_list(i.ListMove(country="PL", list="gray"))),
        ("a suspension", lambda: world.suspend(i.Suspend(id="S1"))),
        ("a resolution", lambda: world.resolve(i.ResolveIn(id="R1", application="A2",
                                                           decision="allow"))),
        ("a policy", lambda: world.set_policy(i.parse(i.PolicyIn, {
            "consents": ["defence", "foreign_affairs"], "nsc": {"on_flags": True}}))),
        ("the end of a conflict", lambda: world.peace(i.Peace(country="CZ"))),
        ("a new day", lambda: clock.set(date(2025, 3, 1))),
    ]
    seen = set()
    for what, change in changes:
        for authority in (world, reader):  # both keep assessments before the change
            authority.assess_many(list(CASES))
            authority.nsc_agenda()
        change()
        expected = fresh(world, engine)
        seen.add(tuple(sorted((k, a.outcome.value, tuple(sorted(a.flags)), a.consents)
                              for k, a in expected.items())))
        for authority in (world, reader):
            assert authority.assess_many(list(CASES)) == expected, what
            assert {k: authority.assess(k) for k in CASES} == expected, what
            assert agenda(authority) == agenda(Authority(engine, clock)), what
    assert len(seen) >= 4  # the changes did change the assessments


def test_an_application_read_across_an_amendment_is_not_kept(
        world: Authority, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread reads a case while another sees an amendment of it (and forgets the case):
    what the first read may be the old content, so it is returned but not kept."""
    submit(world, "A1")
    cache = ApplicationCache()
    real = unit.load_applications

    def read_then_amended(conn: Connection, ids: list[str]) -> dict[str, Application]:
        found = real(conn, ids)
        cache._amendments = "1"  # what `sync` does in the other thread, meanwhile
        return found

    reads: list[list[str]] = []

    def counted(conn: Connection, ids: list[str]) -> dict[str, Application]:
        reads.append(ids)
        return real(conn, ids)

    monkeypatch.setattr(unit, "load_applications", read_then_amended)
    with engine.connect() as conn:
        assert cache.load(conn, ["A1"])["A1"].id == "A1"
        monkeypatch.setattr(unit, "load_applications", counted)
        first = cache.load(conn, ["A1"])["A1"]  # not kept: read again, and kept now
        assert cache.load(conn, ["A1"])["A1"] is first
    assert reads == [["A1"]]


def count_judgements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the applications that kept assessments judge from now on, in any
    `Authority` of the test (each stands for a process)."""
    judged: list[str] = []
    real = assessed_module.assess

    def counting(app: Application, view: DayView) -> Assessment:
        judged.append(app.id)
        return real(app, view)

    monkeypatch.setattr(assessed_module, "assess", counting)
    return judged


def test_a_server_process_renews_after_another_process_changed_the_world(
        world: Authority, engine: Engine, clock: SimulatedClock, trail: AuditTrail,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`refresh` (the server's scheduled job, every few seconds) judges again the cases a
    process kept when another process changed the world, so that its next page judges
    none; and it judges nothing when nothing moved."""
    for n, app_id in enumerate(CASES):
        submit(world, app_id, item="kit" if n % 2 else "radio",
               consignee="cz-asm" if n < 2 else "pl-mod")
    server = Authority(engine, clock, actor="server", trail=trail, renew=True)
    server.nsc_agenda()
    server.assess_many(list(CASES))
    judged = count_judgements(monkeypatch)
    server.refresh()
    assert judged == []  # nothing moved
    world.conflict(i.ConflictStep(country="CZ"))  # another process changes the world
    server.refresh()
    assert sorted(judged) == sorted(CASES)
    expected, expected_agenda = fresh(world, engine), agenda(Authority(engine, clock))
    judged.clear()  # (the fresh process above judged too)
    assert server.assess_many(list(CASES)) == expected
    assert agenda(server) == expected_agenda
    assert judged == []  # the reads found them judged
