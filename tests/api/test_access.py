"""Access: every route has a rule, every role is tried against every route, and an
exporter can never read or change another exporter's case."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute

from armsgate.access.policy import allows
from armsgate.access.roles import Principal, UserRole
from armsgate.api.access import ACCESS, PUBLIC, all_routes
from armsgate.web.access import PAGES
from tests.api.conftest import ACCOUNTS, Api, submission

DOCS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
# A body that passes validation for each route that takes one (the guard runs first anyway).
BODIES: dict[str, dict[str, Any]] = {
    "submit_case": submission("B1"),
    "give_opinion": {"body": "defence", "decision": "consent"},
    "declare_suspension": {"id": "S9", "scope": {"categories": ["ML1"]}},
    "resolve_case": {"id": "R9", "application": "A1", "decision": "allow"},
    "sign_in": {"username": "officer", "password": "wrong password"},
    "create_draft": {"exporter": "krusik", "document": submission("D1")},
    "update_draft": {"exporter": "krusik", "document": submission("D1")},
    "ask_exporter": {"text": "Who assembles the kits?"},
    "answer_question": {"text": "Poličské strojírny a.s."},
    "withdraw_case": {"reason": "the buyer withdrew"},
    "refuse_case": {"criterion": 7, "reason": "risk of diversion"},
    "amend_case": submission("A1"),
    "appeal_case": {},
}


def api_routes(api: Api) -> list[APIRoute]:
    app = api.client.app
    return [r for _, r in all_routes(app.routes) if isinstance(r, APIRoute)]  # type: ignore[attr-defined]


def principal(user: str) -> Principal:
    spec = ACCOUNTS[user]
    return Principal(user, UserRole(spec["role"]), spec.get("body"), spec.get("party_id"))


def call(api: Api, r: APIRoute, user: str | None) -> Any:
    path = re.sub(r"\{app_id\}|\{licence_id\}", "A1", r.path).replace("{order_id}", "S1")
    path = path.replace("{draft_id}", "1")
    method = sorted(r.methods)[0]
    headers = {} if user is None else api.headers(user)
    return api.client.request(method, path, headers=headers, json=BODIES.get(r.name),
                              follow_redirects=False)


@pytest.fixture
def seeded(api: Api) -> Api:
    assert api.post("exporter", "/api/cases", json=submission("A1")).status_code == 201
    return api


def test_every_route_has_an_access_rule(api: Api) -> None:
    routes = api_routes(api)
    assert routes, "the application has routes"
    missing = [r.path for r in routes if r.name not in ACCESS]
    assert not missing, f"routes without an access rule: {missing}"
    app = api.client.app
    others = {path for path, r in all_routes(app.routes)  # type: ignore[attr-defined]
              if not isinstance(r, APIRoute)}
    assert others <= DOCS


def test_every_role_against_every_route(seeded: Api) -> None:
    for r in api_routes(seeded):
        permission = ACCESS[r.name]
        anonymous = call(seeded, r, None)
        if permission == PUBLIC:
            assert anonymous.status_code != 403, r.path
            continue
        if r.name in PAGES:  # a page sends a signed-out browser to sign in, and back
            assert anonymous.status_code == 303, (r.path, anonymous.status_code)
            assert anonymous.headers["location"].startswith("/signin"), r.path
        else:
            assert anonymous.status_code == 401, (r.path, anonymous.text)
            assert anonymous.json()["error"]["type"] == "Unauthenticated"
        for user in ACCOUNTS:
            got = call(seeded, r, user)
            assert got.status_code != 500, (r.path, user, got.text)
            if not allows(principal(user), permission):
                assert got.status_code == 403, (r.path, user, got.status_code)
                if r.name in PAGES:  # a page that says why
                    assert "text/html" in got.headers["content-type"], r.path
                    assert allows(principal(user), permission).reason in got.text, r.path
                else:
                    assert got.json()["error"]["message"], "a refusal says why"
            else:
                assert got.status_code not in (401, 500), (r.path, user, got.text)


def test_an_exporter_never_reads_or_changes_another_exporters_case(seeded: Api) -> None:
    other = "other-exporter"
    assert seeded.get(other, "/api/cases/A1").status_code == 403
    assert seeded.get(other, "/api/cases/A1/assessment").status_code == 403
    assert [c["id"] for c in seeded.get(other, "/api/cases").json()["items"]] == []
    assert seeded.get(other, "/api/cases?exporter=krusik").status_code == 403
    assert seeded.post(other, "/api/cases", json=submission("X1")).status_code == 403
    assert seeded.post(other, "/api/cases/A1/opinions",
                       json={"body": "defence", "decision": "consent"}).status_code == 403
    assert seeded.post(other, "/api/cases/A1/decision").status_code == 403
    assert [c["id"] for c in seeded.get("exporter", "/api/cases").json()["items"]] == ["A1"]
    assert seeded.get("exporter", "/api/cases/A1").status_code == 200


def test_errors_have_one_shape(seeded: Api) -> None:
    missing = seeded.get("officer", "/api/cases/NOPE")
    assert missing.status_code == 404
    assert missing.json()["error"] == {"type": "NotFound", "field": "application",
                                       "message": "application: no application 'NOPE'"}
    bad = seeded.post("exporter", "/api/cases", json={**submission("B2"), "goods": []})
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "body.goods"
    taken = seeded.post("exporter", "/api/cases", json=submission("A1"))
    assert taken.status_code == 422
    assert taken.json()["error"]["field"] == "submit.id"


def test_numbers_beyond_the_store_and_nul_characters_are_refused(seeded: Api) -> None:
    huge = submission("B3")
    huge["goods"][0]["value"] = 1e300
    got = seeded.post("exporter", "/api/cases", json=huge)
    assert got.status_code == 422
    assert got.json()["error"]["field"] == "body.goods[0].value"
    many = submission("B4")
    many["goods"][0]["quantity"] = 2**63
    assert seeded.post("exporter", "/api/cases", json=many).status_code == 422
    nul = submission("B5")
    nul["end_use"] = "artillery\x00"
    assert seeded.post("exporter", "/api/cases", json=nul).status_code == 422
