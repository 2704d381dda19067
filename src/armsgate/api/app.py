"""`create_app`: the FastAPI application over the services, and its scheduled job.

The job applies what time changes by itself (orders ending, licences expiring,
consents becoming overdue) through `Authority.observe`, the same function the
scenario runner calls before each step, once at start and then whenever the
clock's day has moved (checked every `interval` seconds).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import Engine

from armsgate import __version__, web
from armsgate.access.cache import CredentialCache, CredentialListener
from armsgate.access.service import Accounts
from armsgate.api import errors, links
from armsgate.api.routes import cases, control, review, system
from armsgate.api.services import Services
from armsgate.audit.trail import AuditTrail
from armsgate.clock import Clock, SimulatedClock, SystemClock
from armsgate.daemon import Daemon
from armsgate.services.authority import Authority
from armsgate.settings import Settings
from armsgate.store.database import open_store, require_current

log = logging.getLogger("armsgate.api")


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    """The process's services on the store that the settings name (set up and current)."""
    # a connection for each thread of the pool, the event loop's quick routes and the job
    engine = open_store(settings.database_url, connections=settings.threads + 2)
    require_current(engine)
    trail = AuditTrail.from_settings(settings)
    clock = clock or (SystemClock() if settings.today is None else SimulatedClock(settings.today))
    authority = Authority(engine, clock, actor="api", trail=trail,
                          deadlines=settings.deadlines(),
                          authority_name=settings.authority_name, renew=True)
    cache, listener = credentials(engine) if settings.credential_cache else (None, None)
    accounts = Accounts(engine, clock, trail, cache=cache)
    return Services(engine, authority, accounts, trail, settings, listener=listener)


def credentials(engine: Engine) -> tuple[CredentialCache | None, CredentialListener | None]:
    """On PostgreSQL a server process keeps the credentials it resolved while its listener
    hears of every change to them (`access.cache`); SQLite cannot tell it: none there."""
    if engine.dialect.name != "postgresql":
        return None, None
    cache = CredentialCache()
    return cache, CredentialListener(engine, cache)


class ScheduledJob(Daemon):
    """In a daemon thread: observes time whenever the day moves, and every `interval`
    seconds judges again the kept assessments if another process changed the world
    (`Authority.refresh`: one read of the world's version when nothing moved)."""

    def __init__(self, s: Services, interval: float = 2.0) -> None:
        super().__init__("armsgate-observe")
        self.s, self.interval = s, interval
        self._last: date | None = None

    def tick(self) -> None:
        """One turn of the job (each failure logged; tried again at the next turn)."""
        day = self.s.authority.clock.today()
        if day != self._last:
            try:
                report = self.s.authority.observe()
                self._last = day
                log.info("observed %s: %d changes", day, len(report.changes))
            except Exception:
                log.exception("the scheduled observation of %s failed", day)
        try:
            self.s.authority.refresh()
        except Exception:
            log.exception("judging the kept cases again failed")

    def run(self) -> None:
        while not self.stopping.is_set():
            self.tick()
            self.stopping.wait(self.interval)


def create_app(settings: Settings | None = None, *, services: Services | None = None,
               schedule: bool = True) -> FastAPI:
    s = services or build_services(settings or Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The sync routes' thread pool, as large as the store's pool of connections.
        anyio.to_thread.current_default_thread_limiter().total_tokens = s.settings.threads
        job = ScheduledJob(s) if schedule else None
        if job is not None:
            job.start()
        if s.listener is not None:
            s.listener.start()
        try:
            yield
        finally:
            if s.listener is not None:
                s.listener.stop()
            if job is not None:
                job.stop()

    app = FastAPI(title="armsgate", version=__version__, lifespan=lifespan,
                  description="The arms-export licensing authority's API: cases, opinions, "
                              "the council's resolutions, suspension orders, screening and "
                              "the audit trail. Every route's access is decided by role.")
    app.state.services = s
    errors.install(app)
    for module in (system, cases, review, control):
        app.include_router(module.router)
    web.install(app)  # the pages (HTML) and their static files
    links.install(app)  # OpenAPI links between operations (what clients and schemathesis follow)
    return app
