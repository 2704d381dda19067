"""Accounts, tokens and sessions on a real store (SQLite and PostgreSQL), each change audited."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import Engine, func, insert, select

from armsgate.access import inputs as ai
from armsgate.access.roles import Principal, UserRole
from armsgate.access.service import Accounts
from armsgate.audit import store as audit_store
from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain.inputs import parse
from armsgate.errors import InputError, NotFound
from armsgate.store import schema as t

CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def accounts(engine: Engine, clock: SimulatedClock, tmp_path: Path) -> Accounts:
    with engine.begin() as conn:
        conn.execute(insert(t.parties).values(id="krusik", name="Krušik", country="RS",
                                              roles=["exporter"], aliases=[], seq=0))
    trail = AuditTrail(b"k" * 32, tmp_path / "audit.head")
    return Accounts(engine, clock, trail, hasher=CHEAP)


def new_user(accounts: Accounts, username: str = "ana", role: str = "officer",
             password: str | None = PASSWORD, **extra: Any) -> Principal:
    doc = {"username": username, "display_name": username.title(),
           "email": f"{username}@example.org", "role": role, **extra}
    if password is not None:
        doc["password"] = password
    return accounts.add_user(parse(ai.NewUser, doc), "admin").principal()


def audit_actions(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [(r.action, r.subject_kind, r.subject_id) for r in audit_store.rows(conn)]


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_accounts_carry_their_role_body_and_company(accounts: Accounts) -> None:
    assert new_user(accounts) == Principal("ana", UserRole.OFFICER)
    reviewer = new_user(accounts, "mod", "ministry", body="defence")
    assert reviewer == Principal("mod", UserRole.MINISTRY, body="defence")
    clerk = new_user(accounts, "clerk", "exporter", party_id="krusik")
    assert clerk.party_id == "krusik"
    assert [u.username for u in accounts.users()] == ["ana", "clerk", "mod"]
    assert accounts.user("ana").has_password


@pytest.mark.parametrize(("doc", "field", "problem"), [
    ({"role": "ministry"}, "body", "needs the body"),
    ({"role": "officer", "body": "defence"}, "body", "only a ministry reviewer"),
    ({"role": "exporter"}, "party_id", "needs its company"),
    ({"role": "analyst", "party_id": "krusik"}, "party_id", "only an exporter"),
    ({"role": "king"}, "role", "Input should be"),
    ({"role": "officer", "username": "Ana Smith"}, "username", "should match pattern"),
    ({"role": "officer", "email": "ana"}, "email", "should match pattern"),
    ({"role": "officer", "password": "short"}, "password", "at least 12"),
    ({"role": "ministry", "body": "Defence!"}, "body", "should match pattern"),
])
def test_bad_accounts_name_the_field(doc: dict[str, Any], field: str, problem: str) -> None:
    base = {"username": "ana", "display_name": "Ana", "email": "ana@example.org"}
    with pytest.raises(InputError, match=problem) as err:
        parse(ai.NewUser, {**base, **doc})
    assert err.value.field == field


def test_nothing_is_half_written(accounts: Accounts, engine: Engine) -> None:
    new_user(accounts)
    with pytest.raises(InputError, match="'ana' is taken") as taken:
        new_user(accounts)
    assert taken.value.field == "username"
    with pytest.raises(NotFound, match="no party 'zastava'") as missing:
        new_user(accounts, "clerk", "exporter", party_id="zastava")
    assert missing.value.field == "party_id"
    with pytest.raises(NotFound):
        accounts.disable_user("nobody", "admin")
    assert count(engine, t.users) == 1
    assert audit_actions(engine) == [("user.create", "user", "ana")]


def test_sign_in_opens_a_session_until_it_expires_or_ends(accounts: Accounts,
                                                          clock: SimulatedClock) -> None:
    new_user(accounts)
    session = accounts.sign_in("ana", PASSWORD)
    assert session is not None
    assert session.principal.username == "ana"
    assert session.token not in repr(session)
    assert accounts.resolve_session(session.token) == session.principal
    assert accounts.resolve_session(session.token + "x") is None
    assert accounts.resolve_session("not a session") is None
    assert accounts.sign_out(session.token)
    assert not accounts.sign_out(session.token)
    assert accounts.resolve_session(session.token) is None
    short = accounts.sign_in("ana", PASSWORD, ttl=timedelta(hours=30))
    assert short is not None
    clock.set(clock.today() + timedelta(days=1))
    assert accounts.resolve_session(short.token) is not None
    clock.set(clock.today() + timedelta(days=1))
    assert accounts.resolve_session(short.token) is None


def test_sign_in_fails_alike_for_every_wrong_case(accounts: Accounts) -> None:
    new_user(accounts)
    new_user(accounts, "bot", password=None)
    new_user(accounts, "gone")
    accounts.disable_user("gone", "admin")
    for username, password in [("ana", "wrong password!"), ("nobody", PASSWORD),
                               ("bot", PASSWORD), ("gone", PASSWORD)]:
        assert accounts.sign_in(username, password) is None


def test_an_outdated_hash_is_replaced_at_sign_in(accounts: Accounts, engine: Engine) -> None:
    new_user(accounts)
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    accounts.hasher = stronger
    with engine.connect() as conn:
        old = conn.execute(select(t.users.c.password_hash)).scalar_one()
    assert accounts.sign_in("ana", PASSWORD) is not None
    with engine.connect() as conn:
        new = conn.execute(select(t.users.c.password_hash)).scalar_one()
    assert new != old
    assert not stronger.check_needs_rehash(new)
    assert accounts.sign_in("ana", PASSWORD) is not None


def test_set_password_ends_sessions(accounts: Accounts) -> None:
    new_user(accounts, password=None)
    accounts.set_password(parse(ai.NewPassword, {"username": "ana", "password": PASSWORD}),
                          "admin")
    session = accounts.sign_in("ana", PASSWORD)
    assert session is not None
    accounts.set_password(parse(ai.NewPassword, {"username": "ana",
                                                 "password": "another long one"}), "ana")
    assert accounts.resolve_session(session.token) is None
    assert accounts.sign_in("ana", PASSWORD) is None
    assert accounts.sign_in("ana", "another long one") is not None


def test_tokens_are_stored_as_digests_and_resolve_while_live(
        accounts: Accounts, engine: Engine, clock: SimulatedClock) -> None:
    clerk = new_user(accounts, "clerk", "exporter", party_id="krusik", password=None)
    issued = accounts.issue_token(parse(ai.NewToken, {"username": "clerk", "name": "ERP",
                                                      "days": 2}), "admin")
    assert issued.token.startswith("agt_")
    assert issued.token not in repr(issued)
    with engine.connect() as conn:
        stored = conn.execute(select(t.api_tokens)).mappings().one()
    assert stored.digest == hashlib.sha256(issued.token.encode()).hexdigest()
    assert issued.token not in str(dict(stored))
    assert accounts.resolve_token(issued.token) == clerk
    assert accounts.resolve_token(issued.token[:-1]) is None
    clock.set(clock.today() + timedelta(days=2))
    assert accounts.resolve_token(issued.token) is None  # expired


def test_revoking_a_token_or_disabling_its_account_ends_it(accounts: Accounts) -> None:
    new_user(accounts, "clerk", "exporter", party_id="krusik")
    tokens = [accounts.issue_token(parse(ai.NewToken, {"username": "clerk", "name": n}),
                                   "admin") for n in ("a", "b")]
    assert tokens[0].info.expires_at is not None
    assert tokens[0].info.expires_at.date() == date(2025, 4, 1)  # 90 days by default
    accounts.revoke_token(tokens[0].info.id, "admin")
    assert accounts.resolve_token(tokens[0].token) is None
    assert accounts.resolve_token(tokens[1].token) is not None
    session = accounts.sign_in("clerk", PASSWORD)
    assert session is not None
    accounts.disable_user("clerk", "admin")
    assert accounts.resolve_token(tokens[1].token) is None
    assert accounts.resolve_session(session.token) is None
    assert all(i.revoked_at is not None for i in accounts.tokens("clerk"))
    with pytest.raises(InputError, match="disabled"):
        accounts.issue_token(parse(ai.NewToken, {"username": "clerk", "name": "c"}), "admin")
    with pytest.raises(NotFound):
        accounts.revoke_token(999, "admin")


def test_every_change_is_audited_without_secrets(accounts: Accounts, engine: Engine) -> None:
    new_user(accounts)
    issued = accounts.issue_token(parse(ai.NewToken, {"username": "ana", "name": "ci"}), "adm")
    session = accounts.sign_in("ana", PASSWORD)
    assert session is not None
    accounts.sign_out(session.token)
    accounts.revoke_token(issued.info.id, "adm")
    accounts.set_password(parse(ai.NewPassword, {"username": "ana",
                                                 "password": "another long one"}), "ana")
    accounts.disable_user("ana", "adm")
    assert audit_actions(engine) == [
        ("user.create", "user", "ana"), ("token.issue", "api_token", str(issued.info.id)),
        ("session.open", "user", "ana"), ("session.close", "user", "ana"),
        ("token.revoke", "api_token", str(issued.info.id)), ("user.password", "user", "ana"),
        ("user.disable", "user", "ana")]
    with engine.connect() as conn:
        rows = list(audit_store.rows(conn))
        hashes = [r[0] for r in conn.execute(select(t.users.c.password_hash))]
        report = accounts.trail.verify(conn)
    text = str([r.to_json() for r in rows])
    for secret in (issued.token, session.token, hashlib.sha256(issued.token.encode())
                   .hexdigest(), *hashes, PASSWORD):
        assert secret not in text
    assert rows[-1].before["active"] is True
    assert rows[-1].after["active"] is False
    assert report.intact, report.problems
