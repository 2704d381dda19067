"""Cross-site request forgery: a change asked with the session cookie must carry the
session's anti-forgery token (a form's `csrf_token` field, or the `X-CSRF-Token` header);
without it nothing is saved. Bearer tokens are not concerned (a browser never sends one
on its own)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from armsgate.access.credentials import forgery_token
from armsgate.api.access import SESSION_COOKIE
from tests.api.conftest import PASSWORD, submission
from tests.web.conftest import PDF, Site
from tests.web.test_forms import application_form, saved, submitted

FIELD = re.compile(r'<form method="post"[^>]*><input type="hidden" name="csrf_token" '
                   r'value="([0-9a-f]*)">')


def without_header(site: Site, user: str) -> TestClient:
    client = site.client(user)
    del client.headers["X-CSRF-Token"]
    return client


def test_every_form_of_a_page_carries_the_session_token(site: Site) -> None:
    submitted(site)
    for user, path in (("defence", "/cases/A1"), ("officer", "/cases/A1"),
                       ("secretary", "/control"), ("exporter", "/applications/new")):
        client = site.client(user)
        html = client.get(path).text
        expected = forgery_token(client.cookies[SESSION_COOKIE])
        posts = html.count('<form method="post"')
        assert posts >= 2, path  # the page's own forms and the sign-out button
        assert FIELD.findall(html) == [expected] * posts, path
        assert expected != forgery_token(site.client(user).cookies[SESSION_COOKIE])


def test_a_form_without_the_token_is_refused_and_saves_nothing(site: Site) -> None:
    submitted(site)
    before = saved(site)
    exporter, defence = without_header(site, "exporter"), without_header(site, "defence")
    for client, path, data in (
            (defence, "/cases/A1/opinion", {"decision": "consent", "reason": "fine"}),
            (defence, "/cases/A1/opinion", {"decision": "consent", "reason": "fine",
                                            "csrf_token": "0" * 64}),
            (exporter, "/cases/A1/withdrawal", {"reason": "no longer needed"})):
        got = client.post(path, data=data, follow_redirects=False)
        assert got.status_code == 403, path
        assert "anti-forgery token" in got.text
    refused = exporter.post(
        "/applications/new", data=application_form(id="W2", **{"euc.number": "EUC-W2"}),
        files={"euc_file": ("euc.pdf", PDF, "application/pdf")}, follow_redirects=False)
    assert refused.status_code == 403
    assert saved(site) == before
    token = forgery_token(defence.cookies[SESSION_COOKIE])
    done = defence.post("/cases/A1/opinion", follow_redirects=False,
                        data={"decision": "consent", "reason": "fine", "csrf_token": token})
    assert done.status_code == 303
    assert saved(site)["opinions"] == before["opinions"] + 1


def test_the_api_with_a_session_cookie_needs_the_token_header(site: Site) -> None:
    client = site.client()
    signed = client.post("/api/session", json={"username": "exporter",
                                               "password": PASSWORD})
    assert signed.status_code == 200
    token = signed.headers["X-CSRF-Token"]
    assert token == forgery_token(client.cookies[SESSION_COOKIE])
    case = submission("C1")
    refused = client.post("/api/cases", json=case)
    assert refused.status_code == 403
    assert refused.json()["error"]["type"] == "Forbidden"
    assert client.get("/api/cases/C1").status_code == 404  # nothing was saved
    assert client.post("/api/cases", json=case, headers={"X-CSRF-Token": token}
                       ).status_code == 201
    assert client.get("/api/cases/C1").status_code == 200  # reads need no token


def test_a_form_posted_to_the_api_with_the_cookie_needs_the_token(site: Site) -> None:
    """An API route that takes no body reads no form, so a form another site posts to it
    with the cookie must not pass for one of the pages' forms."""
    submitted(site)
    officer = without_header(site, "officer")
    before = saved(site)
    forged = officer.post("/api/cases/A1/decision", data={"x": "1"})
    assert forged.status_code == 403
    assert forged.json()["error"]["type"] == "Forbidden"
    assert saved(site) == before


def test_every_page_that_changes_something_reads_its_form_through_the_check(site: Site) -> None:
    """A page's form is checked when the page reads it (`posted`); the sign-in form alone,
    with no session yet, is read without the check."""
    from armsgate.api.access import all_routes
    from armsgate.web.access import PAGES
    from armsgate.web.routes.session import posted, posted_signed_out

    checked = {}
    for _, r in all_routes(site.app.routes):
        if getattr(r, "name", None) in PAGES and "POST" in getattr(r, "methods", ()):
            calls = {d.call for d in r.dependant.dependencies}
            checked[r.name] = posted in calls or (r.name == "signin" and posted_signed_out in calls)
    assert len(checked) >= 12
    assert all(checked.values()), [name for name, ok in checked.items() if not ok]
