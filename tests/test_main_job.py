"""The README's main job, as a newcomer runs it: build the demo store, serve it, sign in
with a printed demo account, read the dashboard's counts, stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx2 as httpx
import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_main_job_serves_the_demo_store(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARMSGATE_")}
    # As the README runs it: `bash scripts/run.sh`, here with options for a free port and a
    # store in the test's folder (the script reuses the checkout's .venv).
    server = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "run.sh"), "--store", str(tmp_path / "demo.db"),
         "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "the main job stopped before serving"
            assert time.monotonic() < deadline, "the main job did not serve in 240 s"
            time.sleep(0.5)
        with httpx.Client(base_url=base) as client:
            signed = client.post("/api/session", json={"username": "officer",
                                                       "password": "officer-demo-2025"})
            assert signed.status_code == 200
            assert signed.json()["role"] == "officer"
            counts = client.get("/api/counts")
            assert counts.status_code == 200
            assert sum(counts.json()["applications"].values()) > 0
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output
    assert "officer" in output
    assert "officer-demo-2025" in output
