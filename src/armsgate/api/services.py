"""What the API's routes call: the one `Authority` and `Accounts` of the process."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy import Engine

from armsgate.access.cache import CredentialListener
from armsgate.access.service import Accounts
from armsgate.audit.trail import AuditTrail
from armsgate.documents import licence_document, render_pdf
from armsgate.services.authority import Authority
from armsgate.settings import Settings
from armsgate.store.database import reading


@dataclass
class Services:
    engine: Engine
    authority: Authority
    accounts: Accounts
    trail: AuditTrail
    settings: Settings
    listener: CredentialListener | None = None  # keeps `accounts.cache` current
    lock: threading.Lock = field(default_factory=threading.Lock)

    def licence_pdf(self, licence_id: str) -> bytes:
        with reading(self.engine) as conn:
            doc = licence_document(conn, licence_id, authority=self.settings.authority_name)
        return render_pdf(doc)


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]
