"""The service on a real store, SQLite and PostgreSQL: commands, states, reports, atomicity."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.errors import InputError, NotFound
from armsgate.services.authority import Authority
from armsgate.store import schema as t

REGISTERS: dict[str, Any] = {
    "parties": [
        {"id": "krusik", "name": "Krušik a.d. Valjevo", "country": "RS",
         "roles": ["manufacturer", "exporter"]},
        {"id": "pl-mod", "name": "Armament Agency of Poland", "country": "PL",
         "roles": ["authority", "end_user", "consignee"]},
        {"id": "cz-asm", "name": "Poličské strojírny a.s.", "country": "CZ",
         "roles": ["consignee", "assembler"]},
        {"id": "cz-mod", "name": "Ministry of Defence of the Czech Republic", "country": "CZ",
         "roles": ["authority", "end_user"]},
    ],
    "goods": [
        {"id": "rocket", "category": "ML4"},
        {"id": "kit", "category": "ML16", "kit_of": "rocket"},
        {"id": "radio", "category": "ML11"},
    ],
}


def submit(authority: Authority, app_id: str, item: str = "kit", value: int = 1000,
           consignee: str = "pl-mod", end_user: str = "pl-mod") -> str:
    authority.submit(i.parse(i.Submit, {
        "id": app_id, "exporter": "krusik", "consignee": consignee, "end_user": end_user,
        "goods": [{"item": item, "quantity": 10, "value": value}],
        "euc": {"number": f"EUC-{app_id}", "issuer": end_user, "issued_on": "2025-01-01",
                "valid_until": "2026-01-01", "end_user": end_user, "non_reexport": True,
                "goods": [{"item": item, "quantity": 10}]}}))
    return app_id


def state(authority: Authority, app_id: str) -> str:
    return str(authority.case(app_id)["application"]["state"])


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture
def world(authority: Authority) -> Authority:
    authority.import_registers(i.parse(i.RegistersIn, REGISTERS))
    return authority


def test_importing_the_same_registers_twice_changes_nothing(world: Authority,
                                                            engine: Engine) -> None:
    before = count(engine, t.events)
    counts = world.import_registers(i.parse(i.RegistersIn, REGISTERS))
    assert counts["parties"] == {"unchanged": 4}
    assert counts["goods"] == {"unchanged": 3}
    assert count(engine, t.parties) == 4
    assert count(engine, t.events) == before + 1  # the import itself is logged


def test_submission_is_judged_and_recorded(world: Authority) -> None:
    submit(world, "A1")
    record = world.case("A1")
    assert record["application"]["state"] == "in_review"
    assert [h["to_state"] for h in record["history"]] == ["in_review"]
    assessment = world.assess("A1")
    assert "assembly-kit" in assessment.flags
    assert assessment.consents == ("defence", "foreign_affairs", "nsc")


def test_suspension_holds_only_its_scope_and_reports_what_changed(
        world: Authority, clock: SimulatedClock) -> None:
    submit(world, "KIT")  # kit of an ML4 rocket to PL
    submit(world, "RADIO", item="radio", value=500)
    clock.set(date(2025, 2, 1))
    report = world.suspend(i.parse(i.Suspend, {"id": "S1", "scope": {"categories": ["ML4"]}}))
    assert state(world, "KIT") == "held"
    assert state(world, "RADIO") == "in_review"
    summary = report.summary()
    assert summary["examined"]["applications"] == 1  # only what the order can touch
    assert summary["by_new_state"] == {"application:held": 1}
    assert summary["by_exporter"] == {"krusik": 1}
    assert summary["by_destination"] == {"PL": 1}
    assert summary["value_affected_eur"] == "1000"


def test_order_ending_by_itself_releases_on_its_end_day(world: Authority,
                                                        clock: SimulatedClock) -> None:
    submit(world, "KIT")
    world.suspend(i.parse(i.Suspend, {"id": "S1", "until": "2025-03-01"}))
    # First the consents asked at submission (Wednesday 1 January) fall overdue, the day
    # after their 15th working day.
    assert world.next_change() == date(2025, 1, 23)
    clock.set(date(2025, 1, 23))
    world.observe()
    assert world.next_change() == date(2025, 3, 1)
    clock.set(date(2025, 2, 28))
    world.observe()
    assert state(world, "KIT") == "held"
    clock.set(date(2025, 3, 1))
    report = world.observe()
    assert state(world, "KIT") == "in_review"
    assert report.summary()["by_new_state"] == {"application:in_review": 1}


def test_licence_issued_suspended_released_and_expired(world: Authority,
                                                       clock: SimulatedClock) -> None:
    submit(world, "A1", item="radio", value=100)
    for body in ("defence", "foreign_affairs"):
        world.consent(i.ConsentIn(application="A1", body=body, decision="consent"))
    assert world.decide(i.Decide(application="A1")).value == "approved"
    assert world.licence("A1")["state"] == "active"
    world.suspend(i.parse(i.Suspend, {"id": "S1"}))
    assert world.licence("A1")["state"] == "suspended"
    clock.set(date(2025, 1, 2))
    world.resolve(i.parse(i.ResolveIn, {"id": "R1", "application": "A1", "decision": "allow"}))
    assert world.licence("A1")["state"] == "active"
    clock.set(date(2025, 1, 1) + timedelta(days=365))
    world.observe()
    assert world.licence("A1")["state"] == "expired"


def test_deny_refuses_and_records_the_reason(world: Authority) -> None:
    submit(world, "A1")
    world.resolve(i.parse(i.ResolveIn, {"id": "R1", "application": "A1", "decision": "deny"}))
    record = world.case("A1")["application"]
    assert (record["state"], record["reasons"]) == ("refused", ["nsc-denied"])


def test_embargo_refuses_pending_case_for_good(world: Authority, clock: SimulatedClock) -> None:
    submit(world, "A1")
    clock.set(date(2025, 1, 5))
    world.embargo(i.parse(i.EmbargoStep, {"id": "E1", "country": "PL", "by": "national",
                                          "to": "2025-01-10", "categories": ["ML4"]}))
    assert state(world, "A1") == "refused"
    clock.set(date(2025, 1, 20))
    world.observe()
    assert state(world, "A1") == "refused"
    assert world.assess("A1").outcome.value == "review"
    assert world.assess("A1", date(2025, 1, 6)).outcome.value == "refuse"


def test_a_failing_command_writes_nothing(world: Authority, engine: Engine) -> None:
    before = (count(engine, t.events), count(engine, t.applications))
    with pytest.raises(NotFound) as err:
        world.submit(i.parse(i.Submit, {
            "id": "BAD", "exporter": "krusik", "consignee": "nobody", "end_user": "pl-mod",
            "goods": [{"item": "kit", "quantity": 1, "value": 1}]}))
    assert err.value.field == "submit.consignee"
    assert (count(engine, t.events), count(engine, t.applications)) == before


def test_ids_are_unique(world: Authority) -> None:
    submit(world, "A1")
    with pytest.raises(InputError, match="already used"):
        submit(world, "A1")


def test_reused_certificate_is_flagged_on_the_later_application(world: Authority) -> None:
    submit(world, "A1")
    world.submit(i.parse(i.Submit, {
        "id": "A2", "exporter": "krusik", "consignee": "pl-mod", "end_user": "pl-mod",
        "goods": [{"item": "kit", "quantity": 10, "value": 1}],
        "euc": {"number": "EUC-A1", "issuer": "pl-mod", "issued_on": "2025-01-01",
                "valid_until": "2026-01-01", "end_user": "pl-mod", "non_reexport": True,
                "goods": [{"item": "kit", "quantity": 10}]}}))
    assert "euc-reused" in world.assess("A2").flags
    assert "euc-reused" not in world.assess("A1").flags


def test_policy_change_holds_from_its_day(world: Authority, clock: SimulatedClock) -> None:
    submit(world, "A1", item="radio")
    clock.set(date(2025, 6, 23))
    world.set_policy(i.parse(i.PolicyIn, {"consents": ["defence", "interior"],
                                          "nsc": {"always": True}}))
    assert world.assess("A1").consents == ("defence", "interior", "nsc")
    assert world.assess("A1", date(2025, 6, 22)).consents == ("defence", "foreign_affairs")


def test_the_event_log_records_every_command_with_its_outcome(world: Authority,
                                                              engine: Engine) -> None:
    submit(world, "A1")
    world.consent(i.parse(i.ConsentIn, {"application": "A1", "body": "defence",
                                        "decision": "consent"}))
    world.suspend(i.parse(i.Suspend, {"id": "S1"}))
    with engine.connect() as conn:
        rows = conn.execute(select(t.events.c.kind, t.events.c.outcome, t.events.c.actor)
                            .order_by(t.events.c.seq)).all()
    assert [r.kind for r in rows][-3:] == ["submit", "consent", "suspend"]
    assert rows[-3].outcome["by_new_state"] == {"application:in_review": 1}
    assert rows[-2].outcome is None  # an opinion changes no state: nothing to record
    assert rows[-1].outcome["by_new_state"] == {"application:held": 1}
    assert {r.actor for r in rows} == {"test"}


def test_a_party_moving_country_moves_its_cases_destinations(world: Authority,
                                                             clock: SimulatedClock) -> None:
    submit(world, "A1", item="radio")
    moved = {**REGISTERS, "parties": [{**REGISTERS["parties"][1], "country": "SY"}]}
    clock.set(date(2025, 1, 2))
    world.embargo(i.parse(i.EmbargoStep, {"id": "E-SY", "country": "SY", "by": "EU"}))
    assert state(world, "A1") == "in_review"
    world.import_registers(i.parse(i.RegistersIn, moved))
    assert state(world, "A1") == "refused"
    assert world.case("A1")["application"]["reasons"] == ["embargo"]


def test_reads_show_the_state_as_of_the_clock_without_the_scheduled_job(
        world: Authority, clock: SimulatedClock) -> None:
    submit(world, "A1")
    world.suspend(i.parse(i.Suspend, {"id": "S1", "until": "2025-02-01"}))
    assert state(world, "A1") == "held"
    clock.set(date(2025, 3, 1))  # the order has ended; no command, no scheduled job yet
    assert world.application("A1")["state"] == "in_review"
    assert world.counts()["applications"] == {"in_review": 1}


def test_a_case_record_reads_its_licence_and_the_observed_day_with_the_application(
        world: Authority, engine: Engine, clock: SimulatedClock) -> None:
    """The record is read often (40% of the API's load): the application, its licence, the
    last day observed and the counts of its questions, earlier versions and appeals come in
    one statement; those, and the screening's dismissals, are read only when there is any
    (none here: the test of amendments reads them)."""
    submit(world, "A1", item="radio", value=100)
    submit(world, "A2", item="radio", value=100)
    for body in ("defence", "foreign_affairs"):
        world.consent(i.ConsentIn(application="A1", body=body, decision="consent"))
    world.decide(i.Decide(application="A1"))
    clock.set(clock.today() + timedelta(days=3))
    world.observe()
    world.case("A2")  # the first read after the clock moved checks the day observed
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        licensed, pending = world.case("A1"), world.case("A2")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert licensed["licence"] == world.licence("A1")
    assert licensed["licence"]["state"] == "active"
    assert licensed["application"]["state"] == "approved"
    assert not {"seq", "euc_key", "amended_seq"} & set(licensed["application"])
    assert pending["licence"] is None
    assert licensed["observed_through"] == pending["observed_through"] == "2025-01-04"
    assert [p["hits"] for p in pending["screening"]] == [[], []]  # krusik, pl-mod
    assert len(statements) == 2 * 6, statements  # 12 before


def test_the_list_of_cases_filters_and_pages(world: Authority) -> None:
    """Each filter, alone and together, and the page (the statement is built once for each
    combination of filters; the values are bound)."""
    submit(world, "A1", item="radio", value=100)
    submit(world, "A2", consignee="cz-asm", end_user="cz-mod")
    submit(world, "A3", consignee="cz-asm", end_user="cz-mod")
    world.resolve(i.parse(i.ResolveIn, {"id": "R1", "application": "A3", "decision": "deny"}))

    def ids(**filters: Any) -> list[str]:
        return [r["id"] for r in world.cases(**filters)]

    assert ids() == ["A1", "A2", "A3"]
    assert ids(state="refused") == ["A3"]
    assert ids(state="in_review") == ["A1", "A2"]
    assert ids(exporter="krusik", destination="CZ") == ["A2", "A3"]
    assert ids(destination="PL") == ["A1"]
    assert ids(exporter="pl-mod") == []
    assert ids(body="defence") == ["A1", "A2", "A3"]
    assert ids(body="nsc") == []  # the council is asked through its agenda, not by request
    assert ids(body="defence", destination="CZ", state="in_review") == ["A2"]
    assert ids(limit=1, offset=1) == ["A2"]
    assert ids(limit=2, offset=2) == ["A3"]
