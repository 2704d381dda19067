"""The review workflow on a real store (SQLite and PostgreSQL): drafts, questions to the
exporter, withdrawal, refusal on a criterion, consent requests and their deadlines, the
council's agenda."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select

from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.errors import Conflict, InputError, NotFound, StateConflict
from armsgate.rules.working_days import Deadlines
from armsgate.services import consent_requests
from armsgate.services.authority import Authority
from armsgate.store import schema as t
from tests.services.test_authority import REGISTERS, submit


@pytest.fixture
def world(authority: Authority) -> Authority:
    authority.import_registers(i.parse(i.RegistersIn, REGISTERS))
    return authority


def document(app_id: str, item: str = "radio", **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": app_id, "exporter": "krusik", "consignee": "pl-mod", "end_user": "pl-mod",
        "goods": [{"item": item, "quantity": 10, "value": 1500.5}],
        "euc": {"number": f"EUC-{app_id}", "issuer": "pl-mod", "issued_on": "2025-01-01",
                "valid_until": "2026-01-01", "end_user": "pl-mod", "non_reexport": True,
                "goods": [{"item": item, "quantity": 10}]}}
    doc.update(changes)
    return doc


def requests(authority: Authority, app_id: str) -> list[tuple[str, str]]:
    return [(r["body"], r["status"]) for r in authority.case(app_id)["consent_requests"]]


# --- drafts ------------------------------------------------------------------------------


def test_a_draft_is_made_changed_and_submitted(world: Authority) -> None:
    draft = world.create_draft("krusik", document("D1"))
    assert draft["version"] == 1
    changed = world.update_draft(draft["id"], document("D1", end_use="air defence"),
                                 expected_version=1)
    assert changed == {"id": draft["id"], "version": 2}
    with pytest.raises(Conflict) as stale:
        world.update_draft(draft["id"], document("D1"), expected_version=1)
    assert (stale.value.expected, stale.value.actual, stale.value.status) == (1, 2, 409)
    stored = world.draft(draft["id"])
    assert stored["document"]["end_use"] == "air defence"
    assert stored["document"]["goods"][0]["value"] == 1500.5  # a JSON number, read back
    assert [d["id"] for d in world.drafts(exporter="krusik")] == [draft["id"]]

    assessment = world.submit_draft(draft["id"], expected_version=2)
    assert assessment.application == "D1"
    record = world.case("D1")
    assert record["application"]["state"] == "in_review"
    assert record["application"]["end_use"] == "air defence"
    assert record["application"]["value_cents"] == 150_050
    assert requests(world, "D1") == [("defence", "open"), ("foreign_affairs", "open")]
    with pytest.raises(NotFound):
        world.draft(draft["id"])
    assert world.drafts() == []


def test_a_bad_draft_names_the_field_and_a_failed_submission_keeps_the_draft(
        world: Authority) -> None:
    with pytest.raises(InputError) as bad:
        world.create_draft("krusik", document("D1", goods=[{"item": "radio", "quantity": 0,
                                                            "value": 1}]))
    assert bad.value.field == "document.goods[0].quantity"
    with pytest.raises(InputError) as other:
        world.create_draft("krusik", document("D1", exporter="pl-mod"))
    assert other.value.field == "document.exporter"
    with pytest.raises(NotFound) as nobody:
        world.create_draft("nobody", document("D1", exporter="nobody"))
    assert nobody.value.field == "exporter"

    draft = world.create_draft("krusik", document("D1", consignee="ghost"))
    with pytest.raises(NotFound) as ghost:
        world.submit_draft(draft["id"])
    assert ghost.value.field == "submit.consignee"
    assert world.draft(draft["id"])["version"] == 1  # still there, unchanged
    world.delete_draft(draft["id"], expected_version=1)
    with pytest.raises(NotFound):
        world.delete_draft(draft["id"])


# --- returned to the exporter --------------------------------------------------------------


def test_a_case_returned_to_its_exporter_awaits_the_answer(
        world: Authority, clock: SimulatedClock) -> None:
    submit(world, "A1", item="radio")
    with pytest.raises(InputError) as empty:
        world.ask("A1", "   ")
    assert empty.value.field == "ask.question"
    status = world.ask("A1", "Who operates the radios?")
    assert status.state.value == "in_review"
    record = world.case("A1")
    assert record["application"]["state"] == "in_review"  # for the rules, still in review
    assert record["awaiting"] == {"party": "exporter", "since": date(2025, 1, 1),
                                  "question": "Who operates the radios?"}
    with pytest.raises(StateConflict, match="already awaits"):
        world.ask("A1", "And where?")

    clock.set(date(2025, 1, 6))
    world.answer("A1", "The Polish Armed Forces, signal units.",
                 expected_version=status.version)
    record = world.case("A1")
    assert record["awaiting"] is None
    [q] = record["questions"]
    assert (q["asked_on"], q["answered_on"], q["answer"]) == (
        date(2025, 1, 1), date(2025, 1, 6), "The Polish Armed Forces, signal units.")
    with pytest.raises(StateConflict, match="awaits no answer"):
        world.answer("A1", "again")


# --- withdrawal ----------------------------------------------------------------------------


def test_a_withdrawn_case_is_final_and_never_reassessed(
        world: Authority, engine: Engine, clock: SimulatedClock) -> None:
    submit(world, "KIT")
    world.suspend(i.parse(i.Suspend, {"id": "S1", "until": "2025-02-01"}))
    assert world.case("KIT")["application"]["state"] == "held"
    status = world.withdraw("KIT", "the customer cancelled the order")
    assert status.state.value == "withdrawn"
    record = world.case("KIT")
    assert record["application"]["state"] == "withdrawn"
    last = record["history"][-1]
    assert (last["from_state"], last["to_state"], last["note"]) == (
        "held", "withdrawn", "the customer cancelled the order")
    assert {s for _, s in requests(world, "KIT")} == {"closed"}

    clock.set(date(2025, 2, 1))  # the order ends: nothing pending in its scope any more
    report = world.observe()
    assert report.examined_applications == 0
    world.embargo(i.parse(i.EmbargoStep, {"id": "E1", "country": "PL", "by": "EU"}))
    assert world.decide(i.Decide(application="KIT")).value == "withdrawn"
    assert world.case("KIT")["application"]["state"] == "withdrawn"
    with pytest.raises(StateConflict, match="withdrawn"):
        world.withdraw("KIT")


# --- refusal on a criterion ------------------------------------------------------------------


@pytest.mark.parametrize(("criterion", "reason", "field"), [
    (0, "a reason", "refuse.criterion"),
    (9, "a reason", "refuse.criterion"),
    (True, "a reason", "refuse.criterion"),
    ("7", "a reason", "refuse.criterion"),
    (7, "", "refuse.reason"),
    (7, " \n ", "refuse.reason"),
])
def test_a_refusal_needs_a_criterion_1_to_8_and_a_written_reason(
        world: Authority, engine: Engine, criterion: Any, reason: str, field: str) -> None:
    submit(world, "A1", item="radio")
    with pytest.raises(InputError) as bad:
        world.refuse("A1", criterion, reason)
    assert bad.value.field == field
    assert world.case("A1")["application"]["state"] == "in_review"


def test_an_officer_refuses_on_a_criterion_with_the_reason_kept(world: Authority) -> None:
    submit(world, "A1", item="radio")
    status = world.refuse("A1", 7, "The end user re-exported similar radios in 2024.")
    assert (status.state.value, status.version) == ("refused", 2)
    record = world.case("A1")
    assert record["application"]["reasons"] == ["criterion-7"]
    assert record["history"][-1]["note"] == "The end user re-exported similar radios in 2024."
    assert {s for _, s in requests(world, "A1")} == {"closed"}
    with pytest.raises(StateConflict, match="refused"):
        world.refuse("A1", 2, "again")


# --- consent requests ------------------------------------------------------------------------


@pytest.fixture
def overdue_marks(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[str, str]]]:
    """What each observation of time marked overdue, as it lists it on its unit."""
    marks: list[list[tuple[str, str]]] = []
    mark = consent_requests.mark_overdue

    def spy(u: Any, requests: Any) -> Any:
        done = mark(u, requests)
        marks.append(sorted((r.application, r.body) for r in u.consents_overdue))
        return done

    monkeypatch.setattr(consent_requests, "mark_overdue", spy)
    return marks


def test_consents_are_requested_with_working_day_deadlines_and_fall_overdue_once(
        world: Authority, clock: SimulatedClock, engine: Engine,
        overdue_marks: list[list[tuple[str, str]]]) -> None:
    submit(world, "A1", item="radio")  # Wednesday 1 January 2025
    record = world.case("A1")
    assert [(r["body"], r["deadline"]) for r in record["consent_requests"]] == [
        ("defence", date(2025, 1, 22)), ("foreign_affairs", date(2025, 1, 22))]
    submit(world, "KIT")  # needs the council too: not asked here, it is on the agenda
    assert [b for b, _ in requests(world, "KIT")] == ["defence", "foreign_affairs"]
    world.consent(i.ConsentIn(application="A1", body="defence", decision="consent"))
    assert requests(world, "A1") == [("defence", "answered"), ("foreign_affairs", "open")]

    clock.set(date(2025, 1, 22))
    world.observe()
    assert overdue_marks == []
    assert world.overdue_consents() == []
    clock.set(date(2025, 1, 23))
    world.ask("A1", "Which units?")  # the first unit of the day observes time: marked once
    world.observe()
    clock.set(date(2025, 1, 24))
    world.observe()
    assert overdue_marks == [
        [("A1", "foreign_affairs"), ("KIT", "defence"), ("KIT", "foreign_affairs")]]
    overdue = world.overdue_consents()
    assert [(o["application"], o["body"], o["days_late"]) for o in overdue] == [
        ("A1", "foreign_affairs", 2), ("KIT", "defence", 2), ("KIT", "foreign_affairs", 2)]
    with engine.connect() as conn:
        marked = conn.execute(select(t.consent_requests.c.overdue_on).where(
            t.consent_requests.c.overdue_on.is_not(None))).scalars().all()
    assert marked == [date(2025, 1, 23)] * 3
    world.withdraw("KIT")
    world.consent(i.ConsentIn(application="A1", body="foreign_affairs", decision="object"))
    assert world.overdue_consents() == []


def test_a_policy_that_changes_the_bodies_asks_and_releases_the_pending_cases(
        world: Authority, clock: SimulatedClock) -> None:
    """Bodies added by a new policy are asked about each pending case's current content
    (unless they gave their opinion on it already); the open requests of bodies no
    longer required are closed. Decided cases are left alone."""
    submit(world, "A1", item="radio")
    submit(world, "A2", item="radio")
    submit(world, "A3", item="radio")
    for body in ("defence", "foreign_affairs"):
        world.consent(i.ConsentIn(application="A3", body=body, decision="consent"))
    world.decide(i.Decide(application="A3"))  # approved: no longer pending
    world.consent(i.ConsentIn(application="A2", body="defence", decision="consent"))
    clock.set(date(2025, 2, 3))
    world.set_policy(i.parse(i.PolicyIn, {"consents": ["defence", "interior"]}))
    assert requests(world, "A1") == [("defence", "open"), ("foreign_affairs", "closed"),
                                     ("interior", "open")]
    assert requests(world, "A2") == [("defence", "answered"), ("foreign_affairs", "closed"),
                                     ("interior", "open")]
    assert requests(world, "A3") == [("defence", "answered"), ("foreign_affairs", "answered")]
    interior = world.case("A1")["consent_requests"][2]
    assert interior["requested_on"] == date(2025, 2, 3)
    assert interior["deadline"] == Deadlines().consent_due(date(2025, 2, 3))
    # A body asked again after it was released gives its opinion once more only if it has
    # not given it on this content.
    world.consent(i.ConsentIn(application="A1", body="interior", decision="consent"))
    world.set_policy(i.parse(i.PolicyIn, {"consents": ["defence"]}))
    world.set_policy(i.parse(i.PolicyIn, {"consents": ["defence", "interior"]}))
    assert requests(world, "A1")[2:] == [("interior", "answered")]
    assert requests(world, "A2")[2:] == [("interior", "closed"), ("interior", "open")]


def test_public_holidays_move_the_deadline(engine: Engine, clock: SimulatedClock) -> None:
    holidays = [date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 7)]
    authority = Authority(engine, clock, actor="test",
                          deadlines=Deadlines.of(consent_working_days=5, holidays=holidays))
    authority.import_registers(i.parse(i.RegistersIn, REGISTERS))
    submit(authority, "A1", item="radio")
    deadlines = {r["deadline"] for r in authority.case("A1")["consent_requests"]}
    assert deadlines == {date(2025, 1, 10)}  # 3, 6, 8, 9, 10 January
    assert authority.next_change() == date(2025, 1, 11)


# --- the council's agenda --------------------------------------------------------------------


def test_the_council_agenda_lists_cases_awaiting_it_with_their_assessment(
        world: Authority) -> None:
    submit(world, "KIT")  # an assembly kit: a diversion flag, the council must consent
    submit(world, "RADIO", item="radio", value=500)
    submit(world, "KIT2", value=2500)
    [kit, _kit2] = world.nsc_agenda()
    assert kit["application"] == "KIT"
    assert kit["outcome"] == "review"
    assert "assembly-kit" in kit["flags"]
    assert (kit["exporter"], kit["destinations"], str(kit["value"])) == ("krusik", ["PL"], "1000")
    assert kit["consents"] == ["defence", "foreign_affairs", "nsc"]
    assert kit["why"]
    world.resolve(i.ResolveIn(id="R1", application="KIT", decision="allow"))
    world.consent(i.ConsentIn(application="KIT2", body="nsc", decision="object"))
    assert world.nsc_agenda() == []


def test_the_migration_creates_the_workflow_tables_as_declared(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    mine = {"drafts", "application_versions", "info_requests", "consent_requests",
            "applications", "state_changes"}
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), t.metadata)

    def table_of(op: Any) -> str | None:
        op = op[0] if isinstance(op, list) else op
        for part in op[1:]:
            table = getattr(part, "table", None)
            if table is not None:
                return str(table.name)
            if getattr(part, "name", None) in mine:
                return str(part.name)
        return str(op[2]) if len(op) > 2 and isinstance(op[2], str) else None

    assert [d for d in diff if table_of(d) in mine] == []


def test_the_deadlines_come_from_the_settings(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Any) -> None:
    from armsgate.settings import Settings

    monkeypatch.setenv("ARMSGATE_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("ARMSGATE_CONSENT_WORKING_DAYS", "10")
    monkeypatch.setenv("ARMSGATE_APPEAL_DAYS", "15")
    monkeypatch.setenv("ARMSGATE_PUBLIC_HOLIDAYS", '["2025-01-07"]')
    assert Settings().deadlines() == Deadlines.of(10, 15, [date(2025, 1, 7)])
    monkeypatch.setenv("ARMSGATE_CONSENT_WORKING_DAYS", "0")
    with pytest.raises(ValueError, match="consent_working_days"):
        Settings()
