"""Mass actions: the preview writes nothing and matches what applying then does (both
backends); applying refuses when the data changed since the preview."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from armsgate.domain import inputs as i
from armsgate.errors import StateConflict
from armsgate.services.authority import Authority
from armsgate.store import schema as t
from tests.services.test_authority import REGISTERS, count, state, submit


@pytest.fixture
def world(authority: Authority) -> Authority:
    authority.import_registers(i.parse(i.RegistersIn, REGISTERS))
    for n in range(3):
        submit(authority, f"A{n}", value=1000 * (n + 1))
    return authority


ORDER = {"id": "S1", "scope": {"categories": ["ML4"]}}


def test_a_preview_writes_nothing_and_applying_does_what_it_showed(
        world: Authority, engine: Engine) -> None:
    events = count(engine, t.events)
    preview = world.suspend(i.parse(i.Suspend, ORDER), preview=True)
    assert preview.summary()["by_new_state"] == {"application:held": 3}
    assert preview.summary()["value_affected_eur"] == "6000"
    assert [state(world, f"A{n}") for n in range(3)] == ["in_review"] * 3
    assert count(engine, t.events) == events
    assert count(engine, t.suspensions) == 0
    applied = world.suspend(i.parse(i.Suspend, ORDER), expect=preview.fingerprint)
    assert applied.fingerprint == preview.fingerprint
    assert sorted(c.id for c in applied.changes) == sorted(c.id for c in preview.changes)
    assert [state(world, f"A{n}") for n in range(3)] == ["held"] * 3


def test_applying_after_the_data_changed_is_refused_and_writes_nothing(
        world: Authority, engine: Engine) -> None:
    preview = world.suspend(i.parse(i.Suspend, ORDER), preview=True)
    submit(world, "A9")  # one more case in the order's scope since the preview
    events = count(engine, t.events)
    with pytest.raises(StateConflict, match="preview it again"):
        world.suspend(i.parse(i.Suspend, ORDER), expect=preview.fingerprint)
    assert count(engine, t.events) == events
    assert count(engine, t.suspensions) == 0
    assert state(world, "A9") == "in_review"


def test_lifting_previews_the_release(world: Authority) -> None:
    world.suspend(i.parse(i.Suspend, ORDER))
    preview = world.lift(i.parse(i.Lift, {"id": "S1"}), preview=True)
    assert preview.summary()["by_new_state"] == {"application:in_review": 3}
    assert state(world, "A0") == "held"
    world.lift(i.parse(i.Lift, {"id": "S1"}), expect=preview.fingerprint)
    assert state(world, "A0") == "in_review"
