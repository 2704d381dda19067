"""The API on a real store (SQLite and PostgreSQL), with an account and token per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from armsgate.access.cache import CredentialCache
from armsgate.access.inputs import NewToken, NewUser
from armsgate.access.service import Accounts
from armsgate.api.app import create_app, credentials
from armsgate.api.services import Services
from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.services.authority import Authority
from armsgate.settings import Settings
from tests.services.test_authority import REGISTERS

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "a long test password"

# username -> role, body, party
ACCOUNTS: dict[str, dict[str, Any]] = {
    "exporter": {"role": "exporter", "party_id": "krusik"},
    "other-exporter": {"role": "exporter", "party_id": "yugo"},
    "officer": {"role": "officer"},
    "defence": {"role": "ministry", "body": "defence"},
    "foreign": {"role": "ministry", "body": "foreign_affairs"},
    "secretary": {"role": "nsc-secretary"},
    "member": {"role": "nsc-member"},
    "analyst": {"role": "analyst"},
    "auditor": {"role": "auditor"},
    "admin": {"role": "admin"},
}
PARTIES = [*REGISTERS["parties"],
           {"id": "yugo", "name": "Yugoimport SDPR", "country": "RS", "roles": ["exporter"]}]


@dataclass
class Api:
    client: TestClient
    services: Services
    tokens: dict[str, str]
    clock: SimulatedClock

    def headers(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def get(self, user: str, path: str, **kw: Any) -> Any:
        return self.client.get(path, headers=self.headers(user), **kw)

    def post(self, user: str, path: str, **kw: Any) -> Any:
        return self.client.post(path, headers=self.headers(user), **kw)

    def put(self, user: str, path: str, **kw: Any) -> Any:
        return self.client.put(path, headers=self.headers(user), **kw)


def make_accounts(engine: Engine, clock: SimulatedClock, trail: AuditTrail,
                  cache: CredentialCache | None = None) -> tuple[Accounts, dict[str, str]]:
    """An account per role of `ACCOUNTS`, each with an API token valid for a year."""
    accounts = Accounts(engine, clock, trail, hasher=FAST, cache=cache)
    tokens = {}
    for name, spec in ACCOUNTS.items():
        accounts.add_user(i.parse(NewUser, {
            "username": name, "display_name": name.title(), "email": f"{name}@example.org",
            "password": PASSWORD, **spec}), "test-admin")
        token = i.parse(NewToken, {"username": name, "name": "test", "days": 366})
        tokens[name] = accounts.issue_token(token, "test-admin").token
    return accounts, tokens


@pytest.fixture
def api(engine: Engine, clock: SimulatedClock, trail: AuditTrail) -> Iterator[Api]:
    authority = Authority(engine, clock, actor="api", trail=trail)
    authority.import_registers(i.parse(i.RegistersIn, {**REGISTERS, "parties": PARTIES}))
    cache, listener = credentials(engine)  # as a server has them: on PostgreSQL only
    accounts, tokens = make_accounts(engine, clock, trail, cache)
    services = Services(engine, authority, accounts, trail, Settings(), listener=listener)
    app = create_app(services=services, schedule=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, services, tokens, clock)


def submission(app_id: str, exporter: str = "krusik", item: str = "kit") -> dict[str, Any]:
    return {"id": app_id, "exporter": exporter, "consignee": "pl-mod", "end_user": "pl-mod",
            "goods": [{"item": item, "quantity": 10, "value": 1000}],
            "euc": {"number": f"EUC-{app_id}", "issuer": "pl-mod", "issued_on": "2025-01-01",
                    "valid_until": "2026-01-01", "end_user": "pl-mod", "non_reexport": True,
                    "goods": [{"item": item, "quantity": 10}]}}
