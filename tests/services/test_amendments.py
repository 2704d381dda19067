"""Amendments and appeals on a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine

from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.errors import InputError, StateConflict
from armsgate.rules.working_days import Deadlines
from armsgate.services.authority import Authority
from tests.services.test_authority import REGISTERS, submit


@pytest.fixture
def world(authority: Authority) -> Authority:
    authority.import_registers(i.parse(i.RegistersIn, REGISTERS))
    return authority


def amendment(app_id: str, *, quantity: int = 20, value: int = 900,
              consignee: str = "pl-mod", end_user: str = "pl-mod", **more: Any) -> i.Submit:
    return i.parse(i.Submit, {
        "id": app_id, "exporter": "krusik", "consignee": consignee, "end_user": end_user,
        "goods": [{"item": "radio", "quantity": quantity, "value": value}],
        "euc": {"number": f"EUC-{app_id}", "issuer": end_user, "issued_on": "2025-01-01",
                "valid_until": "2026-01-01", "end_user": end_user, "non_reexport": True,
                "goods": [{"item": "radio", "quantity": quantity}]}, **more})


def consent_all(authority: Authority, app_id: str) -> None:
    for body in ("defence", "foreign_affairs"):
        authority.consent(i.ConsentIn(application=app_id, body=body, decision="consent"))


def test_an_amendment_keeps_the_earlier_version_and_asks_the_bodies_again(
        world: Authority, clock: SimulatedClock) -> None:
    submit(world, "A1", item="radio", value=500)
    consent_all(world, "A1")
    clock.set(date(2025, 1, 10))
    assessment = world.amend(amendment("A1", end_use="coastal surveillance"))
    assert assessment.outcome.value == "review"
    record = world.case("A1")
    application = record["application"]
    assert (application["value_cents"], application["end_use"]) == (90_000, "coastal surveillance")
    assert application["submitted_on"] == date(2025, 1, 1)  # the case keeps its submission
    assert record["content_version"] == 2
    [earlier] = record["versions"]
    assert earlier["version"] == 1
    assert earlier["document"]["goods"] == [{"item": "radio", "quantity": 10, "value": 500}]
    assert earlier["replaced_on"] == date(2025, 1, 10)
    assert [o["current"] for o in record["opinions"]] == [False, False]
    assert [(r["body"], r["status"], r["content_version"])
            for r in record["consent_requests"]] == [
        ("defence", "answered", 1), ("foreign_affairs", "answered", 1),
        ("defence", "open", 2), ("foreign_affairs", "open", 2)]
    assert {r["deadline"] for r in record["consent_requests"][2:]} == {date(2025, 1, 31)}

    # Opinions given before the amendment no longer count.
    assert world.decide(i.Decide(application="A1")).value == "in_review"
    consent_all(world, "A1")
    assert world.decide(i.Decide(application="A1")).value == "approved"
    assert world.licence("A1")["state"] == "active"


def test_an_amendment_is_judged_as_on_submission_and_may_change_the_state(
        world: Authority) -> None:
    world.embargo(i.parse(i.EmbargoStep, {"id": "E-CZ", "country": "CZ", "by": "national"}))
    submit(world, "A1", item="radio")
    world.amend(amendment("A1", consignee="cz-mod", end_user="cz-mod"))
    record = world.case("A1")
    assert (record["application"]["state"], record["application"]["reasons"]) == (
        "refused", ["embargo"])
    assert record["history"][-1]["from_state"] == "in_review"
    assert world.assess("A1").outcome.value == "refuse"
    assert {r["status"] for r in record["consent_requests"]} == {"superseded"}
    with pytest.raises(StateConflict, match="refused"):
        world.amend(amendment("A1"))


def test_an_amendment_keeps_the_exporter_and_checks_its_references(world: Authority) -> None:
    submit(world, "A1", item="radio")
    with pytest.raises(InputError) as other:
        world.amend(i.parse(i.Submit, {**amendment("A1").model_dump(mode="json"),
                                       "exporter": "pl-mod", "goods": [
                                           {"item": "radio", "quantity": 1, "value": 1}]}))
    assert other.value.field == "amend.exporter"
    with pytest.raises(InputError) as ghost:
        world.amend(amendment("A1", consignee="ghost"))
    assert ghost.value.field == "submit.consignee"
    assert world.case("A1")["content_version"] == 1
    with pytest.raises(InputError) as missing:
        world.amend(amendment("NOPE"))
    assert missing.value.field == "amend.id"


def test_another_process_sees_the_amended_content(world: Authority, engine: Engine,
                                                  clock: SimulatedClock) -> None:
    other = Authority(engine, clock, actor="other")
    submit(world, "A1", item="kit")
    assert "assembly-kit" in other.assess("A1").flags  # now kept in its cache
    world.amend(amendment("A1"))
    assert "assembly-kit" not in other.assess("A1").flags
    assert other.nsc_agenda() == []


def test_a_refusal_is_appealed_once_within_the_deadline_as_a_new_linked_case(
        world: Authority, clock: SimulatedClock) -> None:
    submit(world, "A1", item="radio")
    submit(world, "A2", item="radio")
    with pytest.raises(StateConflict, match="only a refusal"):
        world.appeal("A1")
    world.refuse("A1", 4, "Regional tensions.")
    world.refuse("A2", 4, "Regional tensions.")
    clock.set(date(2025, 1, 31))  # 30 days after the refusal: the last day
    assessment = world.appeal("A1")
    assert assessment.application == "A1-appeal"
    assert "euc-reused" not in assessment.flags  # its own certificate, not a reuse
    appeal = world.case("A1-appeal")
    assert appeal["application"]["appeal_of"] == "A1"
    assert appeal["application"]["state"] == "in_review"
    assert appeal["application"]["submitted_on"] == date(2025, 1, 31)
    assert [r["body"] for r in appeal["consent_requests"]] == ["defence", "foreign_affairs"]
    assert world.case("A1")["appeals"] == ["A1-appeal"]
    assert world.case("A1")["application"]["state"] == "refused"
    with pytest.raises(StateConflict, match="already appealed"):
        world.appeal("A1", new_id="A1-again")
    clock.set(date(2025, 2, 1))
    with pytest.raises(StateConflict, match="until 2025-01-31"):
        world.appeal("A2")


def test_the_appeal_deadline_is_a_setting(engine: Engine, clock: SimulatedClock) -> None:
    authority = Authority(engine, clock, actor="test", deadlines=Deadlines.of(appeal_days=8))
    authority.import_registers(i.parse(i.RegistersIn, REGISTERS))
    submit(authority, "A1", item="radio")
    authority.refuse("A1", 1, "Sanctions.")
    clock.set(date(2025, 1, 10))
    with pytest.raises(StateConflict, match="8 days"):
        authority.appeal("A1", new_id="A1-B")


def test_an_amendment_that_fails_after_its_content_is_written_leaves_nothing_behind(
        world: Authority, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its transaction is rolled back; the process must not go on judging the content it
    had kept for the case meanwhile (the application cache), nor show it to another
    reader before the commit."""
    from armsgate.services import consent_requests

    submit(world, "A1", item="radio", value=500)
    before = world.assess("A1")
    meanwhile: list[str] = []

    def fail(*args: Any, **kwargs: Any) -> None:
        meanwhile.append(world.judged("A1")[0].consignee)  # another reader, mid-unit
        raise RuntimeError("the store went away after the content was written")

    monkeypatch.setattr(consent_requests, "request", fail)
    with pytest.raises(RuntimeError):
        world.amend(amendment("A1", quantity=20, value=900, consignee="cz-mod",
                              end_user="cz-mod"))
    monkeypatch.undo()
    assert meanwhile == ["pl-mod"], "nothing uncommitted is read by the rest of the process"
    assert world.case("A1")["application"]["value_cents"] == 50_000
    after = world.assess("A1")
    assert after == before
    judged, _ = world.judged("A1")
    assert (judged.consignee, [line.quantity for line in judged.lines]) == ("pl-mod", [10])
