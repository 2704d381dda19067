"""The README's main job in a browser: `bash scripts/run.sh` as a newcomer runs it; the
front page is the sign-in page listing the demo accounts; signing in through it as the
officer opens the dashboard with its charts; then the job is stopped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.main_job import main_job
from tests.web.conftest import shot

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_main_job_serves_the_pages(tmp_path: Path, browser: Any) -> None:
    with main_job(tmp_path) as job:
        base = job.base
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(base + "/")
            demo = page.locator("section.demo").inner_text()
            assert "officer-demo-2025" in demo
            assert "secretary" in demo
            page.get_by_label("User name").fill("officer")
            page.get_by_label("Password").fill("officer-demo-2025")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/dashboard")
            assert page.get_by_role("heading", name="Dashboard", level=1).is_visible()
            page.locator("canvas#apps-by-state").wait_for()
            assert page.evaluate("() => window.Chart !== undefined")
            shot(page, "00-main-job-dashboard")
            page.get_by_role("link", name="Work queue", exact=True).click()
            assert page.get_by_role("link", name="APP-BG-1").is_visible()
        finally:
            context.close()
    assert f"{base}/" in job.output
