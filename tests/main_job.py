"""The README's main job, started as a newcomer runs it (`bash scripts/run.sh`), for the
smoke tests: the script with a free port and a store in the test's folder, waited for
until it serves, stopped afterwards; its output is kept for the test to read."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class MainJob:
    base: str  # http://127.0.0.1:PORT
    output: str = ""  # what the job printed, once stopped


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def main_job(folder: Path, timeout: float = 240) -> Iterator[MainJob]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARMSGATE_")}
    server = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "run.sh"), "--store", str(folder / "demo.db"),
         "--port", str(port)],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    job = MainJob(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{job.base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "the main job stopped before serving"
            assert time.monotonic() < deadline, f"the main job did not serve in {timeout} s"
            time.sleep(0.5)
        yield job
    finally:
        server.terminate()
        job.output, _ = server.communicate(timeout=30)
