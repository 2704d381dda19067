"""Every form shows its problems at the inputs they concern, and then nothing is saved;
signed out, a page sends the browser to sign in. Through the pages, without a browser."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest

from tests.api.conftest import submission
from tests.web.conftest import PDF, Site

ERROR = re.compile(
    r'<p class="error" id="(f-[\w-]+)-error">(?:<span[^>]*>Error:</span>)?\s*([^<]*)<')
SUMMARY = re.compile(r'<div class="error-summary".*?</div>', re.S)


def errors(html: str) -> dict[str, str]:
    """The problems shown at inputs: input id -> message."""
    return {m.group(1): m.group(2).strip() for m in ERROR.finditer(html)}


def form_message(html: str) -> str:
    found = SUMMARY.search(html)
    return "" if found is None else re.sub(r"<[^>]+>", " ", found.group(0))


def application_form(**changes: str) -> dict[str, str]:
    data = {"id": "W1", "consignee": "pl-mod", "end_user": "pl-mod", "goods[0].item": "kit",
            "goods[0].quantity": "10", "goods[0].value": "1000", "euc.number": "EUC-W1",
            "euc.issuer": "pl-mod", "euc.issued_on": "2025-01-01",
            "euc.valid_until": "2026-01-01", "euc.end_user": "pl-mod",
            "euc.non_reexport": "yes"}
    data.update(changes)
    return data


def saved(site: Site) -> dict[str, int]:
    return {t: site.count(t) for t in ("applications", "certificate_files", "opinions",
                                       "state_changes", "suspensions", "resolutions",
                                       "info_requests", "events")}  # every command: an event


def test_signed_out_a_page_sends_the_browser_to_sign_in(site: Site) -> None:
    client = site.client()
    got = client.get("/queue?state=held", follow_redirects=False)
    assert got.status_code == 303
    assert got.headers["location"] == "/signin?next=/queue%3Fstate%3Dheld"
    front = client.get("/")
    assert front.status_code == 200
    assert 'name="username"' in front.text
    assert "Demo accounts" not in front.text
    assert site.client("officer").get("/", follow_redirects=False).headers["location"] == (
        "/dashboard")
    assert site.client("exporter").get("/", follow_redirects=False).headers["location"] == (
        "/applications")


def test_sign_in_problems_at_their_inputs(site: Site) -> None:
    client = site.client()
    sessions = site.count("web_sessions")
    blank = client.post("/signin", data={"username": "", "password": ""})
    assert blank.status_code == 422
    assert errors(blank.text) == {"f-username": "required", "f-password": "required"}
    wrong = client.post("/signin", data={"username": "officer", "password": "nope"})
    assert wrong.status_code == 401
    assert "Wrong user name or password" in form_message(wrong.text)
    assert 'value="nope"' not in wrong.text  # a password is never sent back
    assert site.count("web_sessions") == sessions
    back = client.post("/signin", data={"username": "officer", "password": "a long test password",
                                        "next": "/queue"}, follow_redirects=False)
    assert back.headers["location"] == "/queue"
    assert client.post("/signout", follow_redirects=False).status_code == 403  # no token
    assert client.get("/queue", follow_redirects=False).status_code == 200
    token = {"csrf_token": back.headers["X-CSRF-Token"]}
    signed_out = client.post("/signout", data=token, follow_redirects=False)
    assert signed_out.headers["location"] == "/signin"
    assert client.get("/queue", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(("changes", "expected"), [
    ({"id": "", "end_user": ""}, {"f-id": "required", "f-end-user": "required"}),
    ({"goods[0].quantity": "ten", "goods[0].value": "-5"},
     {"f-goods-0-quantity": "Input should be a valid integer",
      "f-goods-0-value": "must be a positive number, got -5"}),
    ({"goods[0].item": "", "goods[0].quantity": "", "goods[0].value": "",
      "goods[2].item": "kit", "goods[2].quantity": "0", "goods[2].value": "5"},
     {"f-goods-2-quantity": "Input should be greater than 0"}),
    ({"route": "HU, XX"}, {"f-route": "not an officially assigned ISO 3166-1 alpha-2 code"}),
    ({"euc.issued_on": "2025-02-30"}, {"f-euc-issued-on": "not a real date: &#39;2025-02-30&#39;"}),
    ({"consignee": "nobody"}, {"f-consignee": "no party &#39;nobody&#39;"}),
])
def test_the_submission_form_shows_each_problem_at_its_input(
        site: Site, changes: dict[str, str], expected: dict[str, str]) -> None:
    client = site.client("exporter")
    before = saved(site)
    got = client.post("/applications/new", data=application_form(**changes),
                      files={"euc_file": ("euc.pdf", PDF, "application/pdf")})
    assert got.status_code == 422, got.text
    shown = errors(got.text)
    for field, message in expected.items():
        assert field in shown, (field, shown)
        assert message.split(":")[0] in shown[field], (field, shown[field])
    assert saved(site) == before, "nothing is saved on error"


def test_the_certificate_file_is_checked_and_kept_with_its_hash(site: Site) -> None:
    client = site.client("exporter")
    before = saved(site)
    missing = client.post("/applications/new", data=application_form())
    assert errors(missing.text) == {"f-euc-file": "attach the certificate&#39;s PDF"}
    not_pdf = client.post("/applications/new", data=application_form(),
                          files={"euc_file": ("euc.pdf", b"GIF89a", "application/pdf")})
    assert "f-euc-file" in errors(not_pdf.text)
    assert saved(site) == before
    done = client.post("/applications/new", data=application_form(),
                       files={"euc_file": ("euc.pdf", PDF, "application/pdf")},
                       follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == "/cases/W1?done=submitted"
    page = client.get("/cases/W1").text
    digest = hashlib.sha256(PDF).hexdigest()
    assert digest in page
    assert "assembly-kit" in page
    document = client.get("/cases/W1/certificate")
    assert document.content == PDF
    assert document.headers["x-content-sha256"] == digest
    with site.services.engine.connect() as conn:
        from sqlalchemy import text
        audited = conn.execute(text("SELECT after FROM audit_log WHERE action = "
                                    "'certificate.attach'")).scalar_one()
    assert digest in str(audited)
    other = site.client("other-exporter")
    assert other.get("/cases/W1/certificate").status_code == 403


def submitted(site: Site, app_id: str = "A1") -> None:
    got = site.client("exporter").post("/applications/new", data=application_form(
        id=app_id, **{"euc.number": f"EUC-{app_id}"}),
        files={"euc_file": ("euc.pdf", PDF, "application/pdf")}, follow_redirects=False)
    assert got.status_code == 303, got.text


def version(client: Any, app_id: str = "A1") -> str:
    found = re.search(r'name="expected_version" value="(\d+)"', client.get(f"/cases/{app_id}").text)
    assert found is not None
    return found.group(1)


def test_the_case_forms_show_their_problems_and_save_nothing(site: Site) -> None:
    submitted(site)
    before = saved(site)
    defence = site.client("defence")
    objection = defence.post("/cases/A1/opinion", data={"decision": "object", "reason": ""})
    assert objection.status_code == 422
    assert errors(objection.text) == {"f-opinion-reason": "an objection needs a reason"}
    undecided = defence.post("/cases/A1/opinion", data={"decision": "", "reason": "fine"})
    assert "f-opinion-decision" in undecided.text
    assert undecided.status_code == 422
    officer = site.client("officer")
    refusal = officer.post("/cases/A1/refusal", data={"criterion": "9", "reason": ""})
    assert set(errors(refusal.text)) == {"f-refuse-criterion", "f-refuse-reason"}
    question = officer.post("/cases/A1/question", data={"text": ""})
    assert errors(question.text) == {"f-question-text": "required"}
    stale = officer.post("/cases/A1/decision", data={"expected_version": "999"})
    assert stale.status_code == 409
    assert "changed since it was read" in form_message(stale.text)
    secretary = site.client("secretary")
    resolution = secretary.post("/cases/A1/resolution", data={"id": "", "decision": "maybe",
                                                              "step": "preview"})
    assert set(errors(resolution.text)) == {"f-resolve-id", "f-resolve-decision"}
    wrong_print = secretary.post("/cases/A1/resolution", data={
        "id": "R1", "decision": "allow", "step": "confirm", "expect": "0" * 64})
    assert wrong_print.status_code == 409
    assert saved(site) == before, "nothing is saved on error"
    exporter = site.client("exporter")
    assert exporter.post("/cases/A1/decision", data={}).status_code == 403


def test_the_control_forms_show_their_problems_and_save_nothing(site: Site) -> None:
    submitted(site)
    secretary = site.client("secretary")
    before = saved(site)
    bad = secretary.post("/control/suspensions", data={
        "id": "", "categories": ["ML99"], "destinations": "PL, XX", "until": "2025-13-01",
        "step": "preview"})
    assert bad.status_code == 422
    assert set(errors(bad.text)) >= {"f-id", "f-destinations", "f-until"}
    assert "ML99" in form_message(bad.text)
    stale = secretary.post("/control/suspensions", data={
        "id": "S1", "categories": ["ML4"], "step": "confirm", "expect": "f" * 64})
    assert stale.status_code == 409
    lift = secretary.post("/control/suspensions/NOPE/lift", data={"step": "preview"})
    assert lift.status_code == 422
    assert "no suspension order &#39;NOPE&#39;" in lift.text or "NOPE" in lift.text
    assert saved(site) == before


def test_the_read_pages_check_their_filters(site: Site) -> None:
    submitted(site)
    officer = site.client("officer")
    queue = officer.get("/queue?destination=Poland&older_than=-1&flag=nope")
    assert queue.status_code == 422
    assert set(errors(queue.text)) == {"f-destination", "f-older-than", "f-flag"}
    kits = officer.get("/queue?flag=assembly-kit")
    assert kits.status_code == 200
    assert 'href="/cases/A1"' in kits.text
    none = officer.get("/queue?flag=euc-missing")
    assert 'href="/cases/A1"' not in none.text
    assert 'href="/cases/A1"' in officer.get("/queue?destination=PL&older_than=0").text
    screening = officer.get("/screening?name=&country=Serbia")
    assert screening.status_code == 422
    assert set(errors(screening.text)) == {"f-name", "f-country"}
    lists = officer.get("/screening/lists?list=un&from=x&to=2")
    assert errors(lists.text) == {"f-from": "a version number"}
    own = site.client("exporter").get("/queue")
    other = site.client("other-exporter").get("/queue")
    assert 'href="/cases/A1"' in own.text
    assert 'href="/cases/A1"' not in other.text
    assert site.client("other-exporter").get("/cases/A1").status_code == 403


def test_submission_form_document_paths(site: Site) -> None:
    """The form's inputs are named by the paths of the API's submission."""
    doc = submission("X")
    assert set(doc) >= {"id", "consignee", "end_user", "goods", "euc"}


def test_assess_many_judges_as_assess_does(site: Site) -> None:
    submitted(site)
    submitted(site, "A2")
    authority = site.services.authority
    found = authority.assess_many(["A2", "NOPE", "A1"])
    assert set(found) == {"A1", "A2"}
    assert found["A1"] == authority.assess("A1")
    assert authority.assess_many([]) == {}
