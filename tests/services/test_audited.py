"""Every command of the service leaves audit rows in its own transaction (both backends)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, update

from armsgate.audit import store as audit_store
from armsgate.audit.chain import Row
from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.errors import InputError
from armsgate.services.authority import Authority
from armsgate.store import schema as t
from tests.services.test_authority import REGISTERS, submit


@pytest.fixture
def world(authority: Authority) -> Authority:
    authority.import_registers(i.parse(i.RegistersIn, REGISTERS))
    return authority


def rows(engine: Engine) -> list[Row]:
    with engine.connect() as conn:
        return list(audit_store.rows(conn))


def test_a_submission_is_audited_with_its_assessment_and_the_head_follows(
        world: Authority, engine: Engine, trail: AuditTrail) -> None:
    submit(world, "A1")
    last = rows(engine)[-1]
    assert (last.action, last.subject_kind, last.subject_id) == (
        "submit", "application", "A1")
    assert last.actor == "test"
    assert last.before is None
    assert isinstance(last.after, dict)
    assert last.after["state"] == "in_review"
    assert last.after["command"]["exporter"] == "krusik"
    assessment = last.assessment
    assert isinstance(assessment, dict)
    assert assessment["outcome"] == "review"
    assert "assembly-kit" in assessment["flags"]
    assert all(f["rule"] and f["basis"] for f in assessment["findings"])
    head = trail.head()
    assert head is not None
    assert (head.seq, head.hash) == (last.seq, last.hash)
    with engine.connect() as conn:
        assert trail.verify(conn).intact


def test_a_suspension_records_every_case_it_holds_in_grouped_rows(
        world: Authority, engine: Engine) -> None:
    for n in range(3):
        submit(world, f"A{n}")
    world.suspend(i.parse(i.Suspend, {"id": "S1"}))
    audit = rows(engine)
    order = next(e for e in audit if e.action == "suspend")
    assert (order.subject_kind, order.subject_id) == ("suspension", "S1")
    assert isinstance(order.after, dict)
    assert order.after["outcome"]["by_new_state"] == {"application:held": 3}
    held = [e for e in audit if e.action == "suspend.changed"]
    assert len(held) == 1
    assert isinstance(held[0].after, dict)
    assert isinstance(held[0].before, dict)
    assert held[0].after["ids"] == ["A0", "A1", "A2"]
    assert (held[0].before["state"], held[0].after["state"]) == ("in_review", "held")
    assert held[0].after["reasons"] == []  # a hold's reasons are its findings, not codes


def test_a_refused_command_leaves_no_audit_row(world: Authority, engine: Engine) -> None:
    submit(world, "A1")
    before = len(rows(engine))
    with pytest.raises(InputError):
        submit(world, "A1")  # the id is taken: nothing is written, the audit row neither
    assert len(rows(engine)) == before


def test_time_passing_is_audited_as_its_own_event(world: Authority, engine: Engine,
                                                  clock: SimulatedClock) -> None:
    submit(world, "A1")
    world.suspend(i.parse(i.Suspend, {"id": "S1", "until": "2025-02-01"}))
    clock.set(date(2025, 3, 1))
    world.observe()
    time = [r for r in rows(engine) if r.action == "time"]
    assert time, "the day's observation that released A1 is audited"
    assert isinstance(time[-1].after, dict)
    assert time[-1].after["outcome"]["by_new_state"] == {"application:in_review": 1}


def test_an_edited_case_row_is_caught_by_verify_when_its_audit_row_is_edited(
        world: Authority, engine: Engine, trail: AuditTrail) -> None:
    submit(world, "A1")
    with engine.begin() as conn:  # a DBA rewrites history without the key
        conn.execute(update(t.audit_log).where(t.audit_log.c.seq == 1)
                     .values(actor="someone-else"))
    with engine.connect() as conn:
        report = trail.verify(conn)
    assert not report.intact
