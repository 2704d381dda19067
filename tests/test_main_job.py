"""The README's main job, as a newcomer runs it: build the demo store, serve it, sign in
with a printed demo account, read the dashboard's counts, stop it."""

from __future__ import annotations

from pathlib import Path

import httpx2 as httpx
import pytest

from tests.main_job import main_job

pytestmark = pytest.mark.slow


def test_the_main_job_serves_the_demo_store(tmp_path: Path) -> None:
    with main_job(tmp_path) as job, httpx.Client(base_url=job.base) as client:
        signed = client.post("/api/session", json={"username": "officer",
                                                   "password": "officer-demo-2025"})
        assert signed.status_code == 200
        assert signed.json()["role"] == "officer"
        counts = client.get("/api/counts")
        assert counts.status_code == 200
        assert sum(counts.json()["applications"].values()) > 0
    assert f"{job.base}/" in job.output
    assert "officer" in job.output
    assert "officer-demo-2025" in job.output
