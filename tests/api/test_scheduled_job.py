"""The server's scheduled job (`api.app.ScheduledJob.tick`): it observes a new day, and it
judges again the kept assessments after another process changed the world, so that the
next page finds them judged; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from armsgate.access.service import Accounts
from armsgate.api.app import ScheduledJob
from armsgate.api.services import Services
from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.services.authority import Authority
from armsgate.services.observe import OBSERVED
from armsgate.services.unit import get_meta
from armsgate.settings import Settings
from tests.services.test_assessed import count_judgements
from tests.services.test_authority import REGISTERS, submit

CASES = ("A1", "A2", "A3")


def test_a_tick_observes_the_day_and_renews_what_another_process_changed(
        engine: Engine, clock: SimulatedClock, trail: AuditTrail,
        monkeypatch: pytest.MonkeyPatch) -> None:
    other = Authority(engine, clock, actor="cli", trail=trail)  # another process
    other.import_registers(i.parse(i.RegistersIn, REGISTERS))
    for app_id in CASES:
        submit(other, app_id, item="kit", consignee="cz-asm")
    server = Authority(engine, clock, actor="api", trail=trail, renew=True)
    job = ScheduledJob(Services(engine, server, Accounts(engine, clock, trail), trail,
                                Settings()))
    job.tick()  # today observed: the next tick observes nothing on the same day
    server.assess_many(list(CASES))
    judged = count_judgements(monkeypatch)
    other.conflict(i.ConflictStep(country="CZ"))
    job.tick()
    assert sorted(judged) == sorted(CASES)  # judged again in the job, not by a page
    expected = {k: other.assess(k) for k in CASES}  # (the other process judges too)
    judged.clear()
    assert server.assess_many(list(CASES)) == expected
    assert judged == []
    clock.set(date(2025, 2, 3))
    job.tick()
    with engine.connect() as conn:
        assert get_meta(conn, OBSERVED) == "2025-02-03"
