"""schemathesis against the OpenAPI document, on SQLite and PostgreSQL.

Every operation is called with generated requests, and chains of calls are run along
the document's links (stateful), signed in as each role; a further chain is made by the
role entitled to each step (an exporter submits, a ministry gives its body's opinion,
the council's secretary resolves and suspends, an officer decides), so that it reaches
licences and held cases. No answer may be a server error, and every answer must have a
status and a body that the document gives for the operation.

Generated data is mostly refused (unknown parties, other companies' cases), so hooks
mix in requests that pass: the test world's parties and goods, known case ids and
bodies. Runs are derandomised and small (see EXAMPLES and STEPS) to keep CI fast.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine, text

from armsgate.api import links
from armsgate.api.app import create_app
from armsgate.api.services import Services
from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.services.authority import Authority
from armsgate.settings import Settings
from armsgate.store import schema as t
from armsgate.store.database import init_store, open_store
from tests.api.conftest import ACCOUNTS, PARTIES, make_accounts, submission
from tests.services.test_authority import REGISTERS

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = {"sqlite": 5, "postgresql": 3}  # generated requests per operation and role
STEPS = {"sqlite": (8, 6), "postgresql": (5, 6)}  # stateful: (runs, steps per run)
KNOWN_CASES = ["A1", "A2", "Y1", "NOPE"]
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class Snapshot:
    """The store and the audit head as seeded, put back before each stateful run: every
    run then starts from the same state, as Hypothesis needs to replay a run."""

    def __init__(self, services: Services, make_authority: Any) -> None:
        self.services, self.make_authority = services, make_authority
        self.head = services.trail.head_file
        self.head_bytes = self.head.read_bytes() if self.head.exists() else None
        with services.engine.connect() as conn:
            self.rows = {table: [dict(r) for r in conn.execute(table.select()).mappings()]
                         for table in t.metadata.sorted_tables}

    def restore(self) -> None:
        with self.services.engine.begin() as conn:
            for table in reversed(t.metadata.sorted_tables):
                conn.execute(table.delete())
            for table, rows in self.rows.items():
                if rows:
                    conn.execute(table.insert(), rows)
        if self.head_bytes is not None:
            self.head.write_bytes(self.head_bytes)
        self.services.authority = self.make_authority()  # no cache of a later state


@dataclass
class Target:
    backend: str
    schema: Any  # schemathesis.BaseSchema over the app
    tokens: dict[str, str]
    snapshot: Snapshot

    def headers(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def settings(self, examples: int, steps: int | None = None) -> settings:
        extra = {} if steps is None else {"stateful_step_count": steps}
        return settings(max_examples=examples, derandomize=True, deadline=None,
                        database=None, phases=[Phase.explicit, Phase.generate],
                        suppress_health_check=list(HealthCheck), **extra)


def _store_url(backend: str, tmp: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'store.db'}"
    database = request.getfixturevalue("pg_database")
    if database is None:
        pytest.skip("PostgreSQL is not reachable")
    schema = f"st_{uuid.uuid4().hex[:12]}"
    engine = create_engine(database)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{database}?options=-csearch_path%3D{schema}"


def _seed(client: TestClient, headers: dict[str, dict[str, str]]) -> None:
    """Cases in several states: A1 licensed, A2 in review, Y1 another company's."""
    def post(user: str, path: str, body: dict[str, Any] | None = None) -> None:
        got = client.post(path, headers=headers[user], json=body)
        assert got.status_code < 300, got.text

    post("exporter", "/api/cases", submission("A1"))
    post("exporter", "/api/cases", submission("A2", item="radio"))
    post("other-exporter", "/api/cases", submission("Y1", exporter="yugo"))
    post("defence", "/api/cases/A1/opinions", {"body": "defence", "decision": "consent"})
    post("foreign", "/api/cases/A1/opinions", {"body": "foreign_affairs",
                                               "decision": "consent"})
    post("secretary", "/api/resolutions", {"id": "R1", "application": "A1",
                                           "decision": "allow"})
    post("officer", "/api/cases/A1/decision")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    engine = open_store(_store_url(request.param, tmp, request))
    init_store(engine)
    clock = SimulatedClock(date(2025, 1, 1))
    trail = AuditTrail(b"test-key-" * 4, tmp / "audit-head")
    def make_authority() -> Authority:
        return Authority(engine, clock, actor="api", trail=trail)

    authority = make_authority()
    authority.import_registers(i.parse(i.RegistersIn, {**REGISTERS, "parties": PARTIES}))
    accounts, tokens = make_accounts(engine, clock, trail)
    services = Services(engine, authority, accounts, trail, Settings())
    app = create_app(services=services, schedule=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        _seed(client, {user: {"Authorization": f"Bearer {t}"} for user, t in tokens.items()})
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    _hooks(schema)
    yield Target(request.param, schema, tokens, Snapshot(services, make_authority))
    engine.dispose()


IDS = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=4, max_size=8)
EXPORTERS = st.sampled_from(["krusik", "yugo"])
ITEMS = st.sampled_from(["kit", "radio"])
SUBMISSIONS = st.builds(lambda app_id, exporter, item: submission(
    f"G-{app_id}", exporter=exporter, item=item), IDS, EXPORTERS, ITEMS)
DRAFTS = st.builds(lambda exporter, document: {"exporter": exporter, "document": document},
                   EXPORTERS, SUBMISSIONS)
# operation -> bodies that pass validation (mixed into the generated ones)
VALID: dict[str, st.SearchStrategy[Any]] = {
    "POST /api/cases": SUBMISSIONS,
    "PUT /api/cases/{app_id}": SUBMISSIONS,
    "POST /api/drafts": DRAFTS,
    "PUT /api/drafts/{draft_id}": DRAFTS,
    "POST /api/cases/{app_id}/opinions": st.fixed_dictionaries({
        "body": st.sampled_from(["defence", "foreign_affairs", "nsc"]),
        "decision": st.sampled_from(["consent", "object"]),
        "reason": st.sampled_from(["", "a risk of diversion"])}),
    "POST /api/resolutions": st.fixed_dictionaries({
        "id": IDS.map(lambda x: f"R-{x}"), "application": st.sampled_from(KNOWN_CASES),
        "decision": st.sampled_from(["allow", "deny"])}),
    "POST /api/suspensions": st.fixed_dictionaries({
        "id": IDS.map(lambda x: f"S-{x}"),
        "scope": st.sampled_from([{"categories": ["ML4"]}, {"destinations": ["CZ"]}])}),
}
KNOWN_PATHS = {"app_id": KNOWN_CASES, "licence_id": KNOWN_CASES, "order_id": ["S1", "X"],
               "draft_id": [1, 2]}


def known_references(body: dict[str, Any], item: str) -> dict[str, Any]:
    """A generated submission naming the test world's parties and goods (quantities,
    values, dates and the certificate's other fields as generated)."""
    def lines(goods: Any) -> Any:
        return [{**g, "item": item} if isinstance(g, dict) else g
                for g in goods] if isinstance(goods, list) else goods

    out = {**body, "exporter": "krusik", "consignee": "pl-mod", "end_user": "pl-mod",
           "intermediates": [], "goods": lines(body.get("goods"))}
    if isinstance(body.get("euc"), dict):
        out["euc"] = {**body["euc"], "issuer": "pl-mod", "end_user": "pl-mod",
                      "goods": lines(body["euc"].get("goods"))}
    return out


def _hooks(schema: Any) -> None:
    """Mix requests that pass validation and access into the generated ones."""

    @schema.hook
    def flatmap_body(context: Any, body: Any) -> st.SearchStrategy[Any]:
        label = context.operation.label
        better = VALID.get(label)
        if better is None:
            return st.just(body)
        if label.endswith(("/api/cases", "/{app_id}")) and isinstance(body, dict):
            better = st.one_of(better, ITEMS.map(lambda x: known_references(body, x)))
        return st.one_of(st.just(body), better)

    @schema.hook
    def flatmap_path_parameters(context: Any, params: dict[str, Any] | None) -> Any:
        names = [name for name in params or {} if name in KNOWN_PATHS]
        if not names:
            return st.just(params)
        return st.one_of(st.just(params), st.fixed_dictionaries(
            {name: st.sampled_from(KNOWN_PATHS[name]) for name in names}).map(
                lambda chosen: {**(params or {}), **chosen}))


def _validate(case: Any, response: Any) -> None:
    case.validate_response(response, checks=CHECKS)


@pytest.mark.slow
@pytest.mark.parametrize("user", list(ACCOUNTS))
def test_every_operation(target: Target, user: str) -> None:
    """Each operation with generated requests, signed in as `user`."""
    headers = target.headers(user)
    failures = []
    for result in target.schema.get_all_operations():
        operation = result.ok()

        @target.settings(EXAMPLES[target.backend])
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            _validate(case, case.call(headers=headers))

        try:
            check()
        except Exception as exc:  # every operation is tried; all failures reported
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


def _machine(target: Target, user_of: Any) -> Any:
    base = target.schema.as_state_machine()

    class Machine(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            target.snapshot.restore()

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": target.headers(user_of(case))}

        def validate_response(self, response: Any, case: Any,
                              additional_checks: Any = None, **kwargs: Any) -> None:
            _validate(case, response)

    return Machine


@pytest.mark.slow
@pytest.mark.parametrize("user", list(ACCOUNTS))
def test_stateful_as_each_role(target: Target, user: str) -> None:
    runs, steps = STEPS[target.backend]
    _machine(target, lambda case: user).run(settings=target.settings(runs, steps))


EXPORTER_STEPS = ("/api/cases", "/api/cases/{app_id}", "/api/drafts", "/answer",
                  "/withdrawal", "/appeal", "/submit", "/{draft_id}")


def entitled(case: Any) -> str:
    """The role that may make this call: the workflow's actor for each step."""
    label, body = case.operation.label, case.body if isinstance(case.body, dict) else {}
    method, path = label.split(" ", 1)
    if path.startswith("/api/drafts") or (method != "GET" and path.endswith(EXPORTER_STEPS)):
        return "other-exporter" if body.get("exporter") == "yugo" else "exporter"
    if path.endswith("/opinions"):
        return "foreign" if body.get("body") == "foreign_affairs" else "defence"
    if "/suspensions" in path or "/resolutions" in path or "/nsc/" in path:
        return "secretary"
    if "/audit" in path:
        return "auditor"
    return "officer"


@pytest.mark.slow
def test_stateful_workflow(target: Target) -> None:
    runs, steps = STEPS[target.backend]
    _machine(target, entitled).run(settings=target.settings(runs * 2, steps + 4))


def test_links_name_operations_of_the_document(target: Target) -> None:
    """Every link of `api.links.LINKS` joins two operations that exist (a renamed route
    would otherwise drop its links silently) and each is in the served document."""
    document = target.schema.raw_schema
    operations = {op["operationId"]: op for methods in document["paths"].values()
                  for op in methods.values()}
    for source, by_status in links.LINKS.items():
        assert source in operations, f"a link from {source!r}, which does not exist"
        for status, named in by_status.items():
            served = operations[source]["responses"][status].get("links", {})
            for name, link in named.items():
                assert link["operationId"] in operations, (source, name)
                assert served.get(name) == link, (source, name)


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/cases/A%001", None, "path"),
    ("/api/cases?state=held%00", None, "query"),
    ("/api/cases", {**submission("N1"), "id": "N\x001"}, "body"),
])
def test_a_nul_character_is_refused_before_the_store(target: Target, path: str,
                                                     body: Any, field: str) -> None:
    """PostgreSQL cannot store U+0000 in text: refused as bad input, not a server error."""
    with TestClient(target.schema.app, raise_server_exceptions=False) as client:
        method = "POST" if body is not None else "GET"
        got = client.request(method, path, json=body, headers=target.headers("exporter"))
    assert got.status_code == 422, got.text
    assert got.json()["error"]["field"] == field
