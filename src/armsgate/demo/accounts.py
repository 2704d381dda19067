"""The demo store's accounts, one per role, with passwords printed by the main job.

For the embedded demo only: a real authority creates its accounts with
`armsgate users add` and gives each person their own password.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from armsgate.access.inputs import NewUser
from armsgate.access.service import Accounts
from armsgate.audit.trail import AuditTrail
from armsgate.clock import Clock
from armsgate.domain.inputs import parse

# username -> (role, body or company, what the account is for)
DEMO_ACCOUNTS: dict[str, tuple[str, str | None, str]] = {
    "krusik": ("exporter", "krusik", "compliance officer of Krušik a.d. Valjevo"),
    "partizan": ("exporter", "partizan", "compliance officer of Prvi Partizan a.d. Užice"),
    "officer": ("officer", None, "licensing officer"),
    "defence": ("ministry", "defence", "reviewer of the Ministry of Defence"),
    "foreign": ("ministry", "foreign_affairs", "reviewer of the Ministry of Foreign Affairs"),
    "interior": ("ministry", "interior", "reviewer of the Ministry of the Interior"),
    "security": ("ministry", "security", "reviewer of the Security Information Agency (BIA)"),
    "secretary": ("nsc-secretary", None, "secretary of the National Security Council"),
    "member": ("nsc-member", None, "member of the National Security Council"),
    "analyst": ("analyst", None, "analyst (diversion)"),
    "auditor": ("auditor", None, "auditor"),
    "admin": ("admin", None, "administrator"),
}


def demo_password(username: str) -> str:
    return f"{username}-demo-2025"


def create_demo_accounts(engine: Engine, clock: Clock, trail: AuditTrail) -> list[dict[str, Any]]:
    """Add every demo account; returns them as printed (username, role, password)."""
    accounts = Accounts(engine, clock, trail)
    made = []
    for username, (role, scope, title) in DEMO_ACCOUNTS.items():
        spec: dict[str, Any] = {"username": username, "display_name": title, "role": role,
                                "email": f"{username}@demo.armsgate.invalid",
                                "password": demo_password(username)}
        if role == "exporter":
            spec["party_id"] = scope
        elif role == "ministry":
            spec["body"] = scope
        accounts.add_user(parse(NewUser, spec), "demo")
        made.append({"username": username, "role": role, "scope": scope, "title": title,
                     "password": demo_password(username)})
    return made
