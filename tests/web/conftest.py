"""The web pages under test: a store with the story's world and an account per role,
served in this process by uvicorn on a free port (for the browser) and through a
TestClient (for the pages' own checks); one Chromium for the whole session.

The browser is Debian's Chromium, found at ARMSGATE_CHROMIUM (scripts/install-chromium.sh
sets it) or on the PATH; without it the browser tests are skipped, saying so, except with
CI=true, where they fail. Screenshots go to screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from armsgate.access.inputs import NewUser
from armsgate.access.service import Accounts
from armsgate.api.app import create_app
from armsgate.api.services import Services
from armsgate.audit.trail import AuditTrail
from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.services.authority import Authority
from armsgate.settings import Settings
from armsgate.store.database import init_store, open_store
from tests.api.conftest import ACCOUNTS, FAST, PARTIES, PASSWORD
from tests.main_job import free_port
from tests.services.test_authority import REGISTERS

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
PDF = b"%PDF-1.4\n% an end-user certificate, for the tests\n%%EOF\n"


@dataclass
class Site:
    """The application on a store of its own, and its base URL once served."""

    services: Services
    app: Any
    clock: SimulatedClock
    base: str = ""

    def client(self, user: str | None = None) -> TestClient:
        """A TestClient signed in through the sign-in page as `user`."""
        client = TestClient(self.app, raise_server_exceptions=True)
        if user is not None:
            got = client.post("/signin", data={"username": user, "password": PASSWORD},
                              follow_redirects=False)
            assert got.status_code == 303, got.text
            # What the pages' forms send as their csrf_token field (test_forgery.py).
            client.headers["X-CSRF-Token"] = got.headers["X-CSRF-Token"]
        return client

    def count(self, table: str) -> int:
        from sqlalchemy import text

        with self.services.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def make_site(tmp: Path) -> Site:
    engine = open_store(f"sqlite:///{tmp / 'web.db'}")
    init_store(engine)
    clock = SimulatedClock(date(2025, 1, 1))
    trail = AuditTrail(b"test-key-" * 4, tmp / "audit-head")
    authority = Authority(engine, clock, actor="web-test", trail=trail)
    authority.import_registers(i.parse(i.RegistersIn, {**REGISTERS, "parties": PARTIES}))
    accounts = Accounts(engine, clock, trail, hasher=FAST)
    for name, spec in ACCOUNTS.items():
        accounts.add_user(i.parse(NewUser, {
            "username": name, "display_name": name.title(), "email": f"{name}@example.org",
            "password": PASSWORD, **spec}), "test-admin")
    services = Services(engine, authority, accounts, trail, Settings())
    return Site(services, create_app(services=services, schedule=False), clock)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """A fresh store for one test (the pages' checks without a browser)."""
    return make_site(tmp_path)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One store served over HTTP for the browser tests of the session."""
    site = make_site(tmp_path_factory.mktemp("web"))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(site.app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    site.base = f"http://127.0.0.1:{port}"
    yield site
    server.should_exit = True
    thread.join(timeout=10)


def chromium_path() -> str | None:
    found = os.environ.get("ARMSGATE_CHROMIUM") or shutil.which("chromium")
    return found if found and Path(found).exists() else None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, once per session."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is not installed (scripts/install-chromium.sh) and CI=true")
        pytest.skip("Debian's Chromium is not installed: run scripts/test.sh, which installs "
                    "it, or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        found = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield found
        found.close()


def shot(page: Any, name: str) -> Path:
    """A full-page screenshot in screenshots/ (git-ignored)."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page (every rule on)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await window.axe.run(document, {resultTypes: ['violations']})).violations")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in found if v["impact"] in ("serious", "critical")]


def sign_in(page: Any, base: str, user: str) -> None:
    """Sign in through the sign-in page, as a person would."""
    page.goto(f"{base}/signin")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
