"""The README's main job in a browser: `python -m armsgate demo --serve --port P` as a
newcomer runs it; the front page is the sign-in page listing the demo accounts; signing in
through it as the officer opens the dashboard with its charts; then the job is stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.web.conftest import free_port, shot

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_main_job_serves_the_pages(tmp_path: Path, browser: Any) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARMSGATE_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "armsgate", "demo", "--store", str(tmp_path / "demo.db"),
         "--serve", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    context = browser.new_context()
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "the main job stopped before serving"
            assert time.monotonic() < deadline, "the main job did not serve in 120 s"
            time.sleep(0.5)
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
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output
