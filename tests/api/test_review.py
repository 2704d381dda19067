"""The review workflow through the API: drafts, questions, withdrawal, refusal on a
criterion, amendments with optimistic locking, appeals, overdue consents, the agenda."""

from __future__ import annotations

from datetime import date

from tests.api.conftest import Api, submission


def version(api: Api, app_id: str) -> int:
    return int(api.get("officer", f"/api/cases/{app_id}").json()["application"]["version"])


def test_a_draft_is_saved_then_submitted(api: Api) -> None:
    made = api.post("exporter", "/api/drafts",
                    json={"exporter": "krusik", "document": submission("D1")})
    assert made.status_code == 201, made.text
    draft = made.json()["id"]
    assert api.get("other-exporter", f"/api/drafts/{draft}").status_code == 403
    assert [d["id"] for d in api.get("exporter", "/api/drafts").json()] == [draft]
    submitted = api.post("exporter", f"/api/drafts/{draft}/submit")
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["application"] == "D1"
    assert api.get("exporter", "/api/drafts").json() == []


def test_questions_withdrawal_and_stale_versions(api: Api) -> None:
    api.post("exporter", "/api/cases", json=submission("A1"))
    seen = version(api, "A1")
    asked = api.post("officer", "/api/cases/A1/questions",
                     json={"text": "Who assembles the kits?", "expected_version": seen})
    assert asked.status_code == 200, asked.text
    assert asked.json()["state"] == "in_review"
    stale = api.post("officer", "/api/cases/A1/questions",
                     json={"text": "Again?", "expected_version": seen})
    assert stale.status_code == 409
    assert stale.json()["error"]["type"] == "Conflict"
    answered = api.post("exporter", "/api/cases/A1/answer",
                        json={"text": "Poličské strojírny a.s."})
    assert answered.status_code == 200, answered.text
    assert api.post("other-exporter", "/api/cases/A1/withdrawal", json={}).status_code == 403
    gone = api.post("exporter", "/api/cases/A1/withdrawal", json={"reason": "order cancelled"})
    assert gone.json()["state"] == "withdrawn"


def test_refusal_on_a_criterion_then_an_appeal(api: Api) -> None:
    api.post("exporter", "/api/cases", json=submission("A2"))
    bad = api.post("officer", "/api/cases/A2/refusal", json={"criterion": 9, "reason": "x"})
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "body.criterion"
    refused = api.post("officer", "/api/cases/A2/refusal",
                       json={"criterion": 7, "reason": "risk of diversion to a country at war"})
    assert refused.json()["state"] == "refused"
    assert api.get("officer", "/api/cases/A2").json()["application"]["reasons"] == [
        "criterion-7"]
    appeal = api.post("exporter", "/api/cases/A2/appeal", json={"new_id": "A2-APPEAL"})
    assert appeal.status_code == 201, appeal.text
    assert appeal.json()["application"] == "A2-APPEAL"


def test_an_amendment_is_judged_again(api: Api) -> None:
    api.post("exporter", "/api/cases", json=submission("A3"))
    amended = api.put("exporter", "/api/cases/A3", json=submission("A3", item="radio"),
                      params={"expected_version": version(api, "A3")})
    assert amended.status_code == 200, amended.text
    assert "assembly-kit" not in amended.json()["flags"]
    wrong = api.put("exporter", "/api/cases/A3", json=submission("OTHER"))
    assert wrong.status_code == 422


def test_overdue_consents_and_the_agenda(api: Api) -> None:
    api.post("exporter", "/api/cases", json=submission("A4"))
    api.clock.set(date(2025, 3, 1))  # past 15 working days from 1 January
    overdue = api.get("defence", "/api/consents/overdue").json()
    assert {(r["application"], r["body"]) for r in overdue} == {("A4", "defence")}
    assert {r["body"] for r in api.get("officer", "/api/consents/overdue").json()} == {
        "defence", "foreign_affairs"}
    agenda = api.get("secretary", "/api/nsc/agenda").json()
    assert [c["application"] for c in agenda] == ["A4"]
