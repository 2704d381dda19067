"""The pages in a real browser (Debian's Chromium through Playwright): the seed reports'
story, a screenshot of every main page, field errors, the keyboard, and axe-core on the
main pages (every rule on; no serious or critical violation)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import PDF, Site, axe_violations, shot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def as_user(live: Site, browser: Any) -> Iterator[Any]:
    """`as_user(name)`: a page in a browser context of its own, signed in as `name`."""
    contexts: list[Any] = []

    def open_as(user: str | None) -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user is not None:
            sign_in(page, live.base, user)
        return page

    yield open_as
    for context in contexts:
        context.close()


def submit(page: Any, base: str, app_id: str, quantity: str = "10") -> None:
    """The exporter fills in the submission form and submits it."""
    page.goto(f"{base}/applications/new")
    page.get_by_label("Your reference").fill(app_id)
    page.locator("#f-consignee").fill("pl-mod")
    page.locator("#f-end-user").fill("pl-mod")
    page.get_by_label("Declared end use").fill("Assembly for the Polish armed forces")
    page.get_by_label("line 1: item").fill("kit")
    page.get_by_label("line 1: quantity", exact=True).fill(quantity)
    page.get_by_label("line 1: value in euros").fill("1000")
    page.get_by_label("Certificate number").fill(f"EUC-{app_id}")
    page.get_by_label("Issued by").fill("pl-mod")
    page.get_by_label("Issued on").fill("2025-01-01")
    page.get_by_label("Valid until").fill("2026-01-01")
    page.get_by_label("End user named on it").fill("pl-mod")
    page.get_by_label("It forbids re-export").check()
    page.get_by_label("The certificate (PDF)").set_input_files(
        files=[{"name": f"{app_id}.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url(re.compile(rf"/cases/{app_id}\?done=submitted$"))


def figures(page: Any) -> dict[str, str]:
    """The impact a preview (or what was done) shows."""
    box = page.locator(".preview").first
    keys = ("held", "released", "suspended", "reinstated", "value")
    return {k: box.locator(f'[data-testid="{k}"]').inner_text() for k in keys} | {
        "changes": box.locator('[data-testid="changes"] tbody').inner_text()
        if box.locator('[data-testid="changes"]').count() else ""}


def test_the_seed_reports_story_in_the_browser(live: Site, as_user: Any) -> None:
    base = live.base
    # An exporter submits two applications (assembly kits for Poland) with the certificate.
    signin = as_user(None)
    signin.goto(base)
    shot(signin, "01-sign-in")
    exporter = as_user("exporter")
    submit(exporter, base, "S1")
    assert "The application was submitted" in exporter.inner_text("main")
    assert "assembly-kit" in exporter.inner_text("main")
    shot(exporter, "03-case-as-exporter")
    submit(exporter, base, "S2")
    exporter.goto(f"{base}/applications")
    assert exporter.get_by_role("link", name="S1").is_visible()
    shot(exporter, "02-my-applications")

    # Two ministries consent, each from its list of cases awaiting its opinion.
    for user in ("defence", "foreign"):
        page = as_user(user)
        page.goto(f"{base}/opinions")
        shot(page, f"04-opinions-{user}")
        page.get_by_role("link", name="S1").click()
        page.get_by_role("radio", name="Consent").check()
        page.get_by_role("button", name="Record the opinion").click()
        assert "Your body's opinion was recorded" in page.inner_text("main")

    # The council's secretary records the council's resolution: previewed, then confirmed.
    secretary = as_user("secretary")
    secretary.goto(f"{base}/council")
    assert secretary.get_by_role("link", name="S1").is_visible()
    shot(secretary, "05-council-agenda")
    secretary.get_by_role("link", name="S1").click()
    secretary.get_by_label("Resolution number").fill("NSC-S1")
    secretary.get_by_label("Decision").select_option("allow")
    secretary.get_by_role("button", name="Preview what it does").click()
    assert "preview: nothing written yet" in secretary.locator(".preview").inner_text()
    assert figures(secretary)["held"] == "0"  # in review, not held: nothing to release
    secretary.get_by_role("button", name="Confirm the resolution").click()
    assert "The council's resolution was recorded" in secretary.inner_text("main")

    # The officer decides: every consent is in, the licence is issued.
    officer = as_user("officer")
    officer.goto(f"{base}/queue")
    shot(officer, "06-work-queue")
    officer.get_by_role("link", name="S1").click()
    officer.get_by_role("button", name="Decide now").click()
    assert "The decision was recorded" in officer.inner_text("main")
    assert "approved" in officer.inner_text("h1")
    shot(officer, "07-case-as-officer")

    # The secretary declares a suspension of ML4 from the control page: the preview holds
    # S2 and suspends S1's licence, and confirming does exactly what it showed.
    secretary.goto(f"{base}/control")
    secretary.get_by_label("Order number").fill("SUSP-S")
    secretary.get_by_label("ML4", exact=True).check()
    secretary.get_by_label("Basis").fill("Decision of the National Security Council")
    secretary.get_by_role("button", name="Preview its impact").click()
    preview = figures(secretary)
    assert int(preview["held"]) >= 1
    assert int(preview["suspended"]) >= 1
    assert "S2" in preview["changes"]
    assert "S1" in preview["changes"]
    secretary.locator("canvas#impact-exporter").wait_for()
    shot(secretary, "08-suspension-preview")
    secretary.get_by_role("button", name="Confirm the order").click()
    assert "Order SUSP-S declared" in secretary.inner_text("main")
    assert figures(secretary) == preview, "what it did is what the preview showed"
    assert "SUSP-S" in secretary.locator("#orders-title + table").inner_text()
    shot(secretary, "09-suspension-applied")
    officer.goto(f"{base}/cases/S2")
    assert "held" in officer.inner_text("h1")
    officer.goto(f"{base}/cases/S1")
    assert "suspended" in officer.locator("#licence-title + dl").inner_text()

    # The dashboard and screening, for the record.
    officer.goto(f"{base}/dashboard")
    officer.locator("canvas#by-destination").wait_for()
    shot(officer, "10-dashboard")
    officer.goto(f"{base}/screening?name=Krusik")
    shot(officer, "11-screening")
    officer.goto(f"{base}/screening/lists")
    shot(officer, "12-list-versions")


def test_a_form_shows_its_problems_at_the_inputs(live: Site, as_user: Any) -> None:
    page = as_user("exporter")
    page.goto(f"{live.base}/applications/new")
    before = live.count("applications")
    page.get_by_label("line 1: quantity", exact=True).fill("many")
    page.get_by_role("button", name="Submit the application").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.className") == "error-summary"
    assert page.locator("#f-id").get_attribute("aria-invalid") == "true"
    assert "required" in page.locator("#f-id-error").inner_text()
    assert page.locator("#f-goods-0-quantity").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-goods-0-quantity").input_value() == "many"  # kept as typed
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "f-id"
    shot(page, "13-new-application-errors")
    assert live.count("applications") == before


def test_everything_is_reachable_by_keyboard(live: Site, as_user: Any) -> None:
    page = as_user(None)
    page.goto(f"{live.base}/signin")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    page.keyboard.press("Enter")
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || "
                                  "document.activeElement.textContent"))
    assert "f-username" in seen
    assert "f-password" in seen
    page.locator("#f-username").focus()  # the sign-in form by keyboard alone
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    page.keyboard.type("a long test password")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dashboard$"))


MAIN_PAGES = {
    "officer": ["/dashboard", "/queue", "/cases/AX1", "/screening?name=Krusik",
                "/screening/lists"],
    "exporter": ["/applications", "/applications/new", "/cases/AX1"],
    "defence": ["/opinions", "/cases/AX1"],
    "secretary": ["/council", "/control", "/cases/AX1"],
}


def test_no_serious_accessibility_violation_on_the_main_pages(live: Site, as_user: Any) -> None:
    if live.count("applications") == 0 or "AX1" not in live.client("officer").get(
            "/queue?state=all").text:
        from tests.web.test_forms import application_form

        got = live.client("exporter").post(
            "/applications/new", data=application_form(id="AX1", **{"euc.number": "EUC-AX1"}),
            files={"euc_file": ("euc.pdf", PDF, "application/pdf")}, follow_redirects=False)
        assert got.status_code == 303, got.text
    found: dict[str, Any] = {}
    signin = as_user(None)
    signin.goto(f"{live.base}/signin")
    found["/signin"] = axe_violations(signin)
    for user, paths in MAIN_PAGES.items():
        page = as_user(user)
        for path in paths:
            page.goto(f"{live.base}{path}")
            page.wait_for_load_state("load")
            found[f"{user} {path}"] = axe_violations(page)
    page = as_user("exporter")  # a form showing its problems
    page.goto(f"{live.base}/applications/new")
    page.get_by_role("button", name="Submit the application").click()
    found["exporter /applications/new (errors)"] = axe_violations(page)
    bad = {where: v for where, v in found.items() if v}
    assert not bad, bad
