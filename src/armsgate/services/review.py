"""The façade's review workflow: drafts, questions to the exporter, withdrawal, refusal on
a criterion, amendments, appeals, consent requests and the council's agenda.

`Authority` inherits these methods, so every edge (CLI, API, scenario runner) reaches
them the same way as SPEC.md's commands: each command is one unit of work (one
transaction, time observed first), and each command on a case takes the version the
user saw (`expected_version`, None: whatever it is now) and raises `Conflict` if the
case changed since. `actor`: who acts (default: the service's actor).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from sqlalchemy import Engine

from armsgate.clock import Clock
from armsgate.domain import inputs as i
from armsgate.rules.engine import Assessment
from armsgate.rules.names import NameMatcher
from armsgate.rules.working_days import Deadlines
from armsgate.rules.world import World
from armsgate.services import amendments, consent_requests, drafts, workflow
from armsgate.services.assessed import Assessed
from armsgate.services.unit import ApplicationCache, Unit, read_meta
from armsgate.services.workflow import CaseStatus
from armsgate.store.database import reading


class ReviewCommands:
    """Mixed into `Authority` (services/authority.py), which provides these attributes."""

    engine: Engine
    clock: Clock
    matcher: NameMatcher
    deadlines: Deadlines
    _cache: ApplicationCache
    _assessed: Assessed

    def unit(self, actor: str | None = None) -> AbstractContextManager[Unit]:
        raise NotImplementedError

    def _load_world(self, conn: Any, meta: dict[str, str] | None = None) -> tuple[int, World]:
        raise NotImplementedError

    # --- drafts ---------------------------------------------------------------------------

    def create_draft(self, exporter: str, document: Mapping[str, Any], *,
                     actor: str | None = None) -> dict[str, Any]:
        """A new draft of `exporter`: `document` is a submission (`Submit`); returns
        `{"id", "version"}`."""
        with self.unit(actor) as u:
            return drafts.create(u, exporter, document)

    def update_draft(self, draft_id: int, document: Mapping[str, Any], *,
                     expected_version: int | None = None, actor: str | None = None
                     ) -> dict[str, Any]:
        with self.unit(actor) as u:
            return drafts.update_draft(u, draft_id, document, expected_version=expected_version)

    def delete_draft(self, draft_id: int, *, expected_version: int | None = None,
                     actor: str | None = None) -> None:
        with self.unit(actor) as u:
            drafts.remove(u, draft_id, expected_version=expected_version)

    def submit_draft(self, draft_id: int, *, expected_version: int | None = None,
                     actor: str | None = None) -> Assessment:
        """Submit the draft (as `submit`, in the same transaction) and remove it."""
        with self.unit(actor) as u:
            return drafts.submit(u, draft_id, self.deadlines, expected_version=expected_version)

    def draft(self, draft_id: int) -> dict[str, Any]:
        with reading(self.engine) as conn:
            return drafts.get(conn, draft_id)

    def drafts(self, *, exporter: str | None = None, limit: int = 100, offset: int = 0
               ) -> list[dict[str, Any]]:
        with reading(self.engine) as conn:
            return drafts.listing(conn, exporter=exporter, limit=limit, offset=offset)

    # --- cases ----------------------------------------------------------------------------

    def ask(self, app_id: str, question: str, *, expected_version: int | None = None,
            actor: str | None = None) -> CaseStatus:
        """Return a pending case to its exporter for more information."""
        with self.unit(actor) as u:
            return workflow.ask(u, app_id, question, expected_version=expected_version)

    def answer(self, app_id: str, text: str, *, expected_version: int | None = None,
               actor: str | None = None) -> CaseStatus:
        """The exporter's answer to the open question."""
        with self.unit(actor) as u:
            return workflow.answer(u, app_id, text, expected_version=expected_version)

    def withdraw(self, app_id: str, reason: str = "", *, expected_version: int | None = None,
                 actor: str | None = None) -> CaseStatus:
        """The exporter withdraws a pending case (`withdrawn`, final)."""
        with self.unit(actor) as u:
            return workflow.withdraw(u, app_id, reason, expected_version=expected_version)

    def refuse(self, app_id: str, criterion: int, reason: str, *,
               expected_version: int | None = None, actor: str | None = None) -> CaseStatus:
        """Refuse a pending case on criterion 1-8 of the EU Common Position 2008/944/CFSP."""
        with self.unit(actor) as u:
            return workflow.refuse(u, app_id, criterion, reason,
                                   expected_version=expected_version)

    def amend(self, cmd: i.Submit, *, expected_version: int | None = None,
              actor: str | None = None) -> Assessment:
        """A new version of the pending application `cmd.id`, judged as on submission."""
        with self.unit(actor) as u:
            return amendments.amend(u, cmd, self.deadlines, expected_version=expected_version)

    def appeal(self, app_id: str, *, new_id: str | None = None,
               expected_version: int | None = None, actor: str | None = None) -> Assessment:
        """Appeal a refusal within the deadline: a new case linked to it, judged anew."""
        with self.unit(actor) as u:
            return amendments.appeal(u, app_id, self.deadlines, new_id=new_id,
                                     expected_version=expected_version)

    # --- queries --------------------------------------------------------------------------

    def overdue_consents(self, day: date | None = None) -> list[dict[str, Any]]:
        """Unanswered consent requests of pending cases past their deadline on `day`."""
        with reading(self.engine) as conn:
            return consent_requests.overdue(conn, day or self.clock.today())

    def nsc_agenda(self, day: date | None = None) -> list[dict[str, Any]]:
        """The cases awaiting the National Security Council, with their assessments."""
        with reading(self.engine) as conn:
            meta = read_meta(conn)
            self._cache.sync(conn, meta.get(amendments.AMENDMENTS))
            world = self._load_world(conn, meta)[1]
            return workflow.nsc_agenda(conn, world, day or self.clock.today(), self._cache,
                                       self._assessed)
