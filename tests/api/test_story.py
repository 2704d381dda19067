"""The seed reports' story through the API: exporters submit, ministries consent, the
council resolves, a suspension holds cases and suspends licences, a resolution releases
one, and the audit trail shows every step."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader

from armsgate.notify.outbox import outbox_messages
from tests.api.conftest import Api, submission


def outbox(api: Api) -> list[tuple[str, str, str | None]]:
    with api.services.engine.connect() as conn:
        return [(r.kind, r.recipient, r.case_id)
                for r in outbox_messages(conn, limit=1000)]


def test_the_seed_reports_story(api: Api, tmp_path: object) -> None:
    # Exporters submit: assembly kits for Poland, assessed on submission.
    for app_id in ("A1", "A2", "A3"):
        got = api.post("exporter", "/api/cases", json=submission(app_id))
        assert got.status_code == 201, got.text
        assert got.json()["outcome"] == "review"
        assert "assembly-kit" in got.json()["flags"]
    consents = api.get("officer", "/api/cases/A1/assessment").json()["consents"]
    queued = outbox(api)
    assert ("consent_requested", "defence@example.org", "A1") in queued
    assert ("consent_requested", "foreign@example.org", "A1") in queued
    assert "defence" in consents
    assert "foreign_affairs" in consents

    # The two ministries consent to A1, each for its own body only.
    assert api.post("defence", "/api/cases/A1/opinions",
                    json={"body": "defence", "decision": "consent"}).status_code == 204
    wrong = api.post("defence", "/api/cases/A1/opinions",
                     json={"body": "foreign_affairs", "decision": "consent"})
    assert wrong.status_code == 403
    assert wrong.json()["error"]["type"] == "Forbidden"
    assert api.post("foreign", "/api/cases/A1/opinions",
                    json={"body": "foreign_affairs", "decision": "consent"}).status_code == 204

    # The council resolves (its consent, by special resolution), the officer decides.
    assert "nsc" in consents  # an assembly kit is flagged: the council must consent
    allow = api.post("secretary", "/api/resolutions",
                     json={"id": "R1", "application": "A1", "decision": "allow"})
    assert allow.status_code == 200, allow.text
    decided = api.post("officer", "/api/cases/A1/decision")
    assert decided.json() == {"application": "A1", "state": "approved"}
    pdf = api.get("officer", "/api/licences/A1/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "licence.pdf"  # type: ignore[operator]
    path.write_bytes(pdf.content)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "A1" in text
    assert "Krušik" in text

    # June 2025: the council's secretary declares the suspension, previewed first.
    api.clock.set(date(2025, 6, 20))
    order = {"id": "S-2025-06", "scope": {"categories": ["ML4"]}}
    preview = api.post("secretary", "/api/suspensions?preview=true", json=order).json()
    assert preview["preview"] is True
    assert preview["by_new_state"] == {"application:held": 2, "licence:suspended": 1}
    assert api.get("officer", "/api/cases/A2").json()["application"]["state"] == "in_review"
    applied = api.post("secretary", f"/api/suspensions?expect={preview['fingerprint']}",
                       json=order).json()
    assert applied["by_new_state"] == preview["by_new_state"]
    assert api.get("officer", "/api/cases/A2").json()["application"]["state"] == "held"
    assert api.get("officer", "/api/cases/A1").json()["licence"]["state"] == "suspended"
    queued = outbox(api)  # told in the same transaction: the exporter's account
    assert ("case_held", "exporter@example.org", "A2") in queued
    assert ("licence_suspended", "exporter@example.org", "A1") in queued
    assert not any(who == "other-exporter@example.org" for _, who, _ in queued)

    # A special resolution releases one case from the order.
    released = api.post("secretary", "/api/resolutions",
                        json={"id": "R2", "application": "A2", "decision": "allow"}).json()
    assert released["by_new_state"] == {"application:in_review": 1}
    assert api.get("officer", "/api/cases/A3").json()["application"]["state"] == "held"

    # The case replayed to a day before the order, and after it.
    before = api.get("officer", "/api/cases/A3/history", params={"day": "2025-06-19"}).json()
    after = api.get("officer", "/api/cases/A3/history", params={"day": "2025-06-20"}).json()
    assert (before["state"], after["state"]) == ("in_review", "held")
    lic = api.get("officer", "/api/cases/A1/history", params={"day": "2025-06-19"}).json()
    assert lic["licence"] == "active"

    # The audit trail shows every step, each by its actor, and verifies.
    got = api.get("auditor", "/api/audit?limit=1000")
    assert got.status_code == 200, got.text
    rows = got.json()
    steps = [(r["actor"], r["action"], r["subject"][1]) for r in rows]
    for step in [("exporter", "submit", "A1"), ("defence", "consent", "A1"),
                 ("foreign", "consent", "A1"), ("officer", "decide", "A1"),
                 ("secretary", "suspend", "S-2025-06"), ("secretary", "resolve", "A2")]:
        assert step in steps
    assert api.get("auditor", "/api/audit/verify").json()["intact"] is True
