"""Who acts: the roles of the authority's people, and the `Principal` a request acts as."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class UserRole(StrEnum):
    EXPORTER = "exporter"
    OFFICER = "officer"
    MINISTRY = "ministry"
    NSC_SECRETARY = "nsc-secretary"
    NSC_MEMBER = "nsc-member"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    ADMIN = "admin"


ROLE_TITLES: dict[UserRole, str] = {
    UserRole.EXPORTER: "exporter (its own company's cases only)",
    UserRole.OFFICER: "licensing officer",
    UserRole.MINISTRY: "ministry reviewer, for one consenting body",
    UserRole.NSC_SECRETARY: "secretary of the National Security Council",
    UserRole.NSC_MEMBER: "member of the National Security Council",
    UserRole.ANALYST: "analyst (reads all cases)",
    UserRole.AUDITOR: "auditor (reads cases and the audit trail)",
    UserRole.ADMIN: "administrator (accounts and operations)",
}


@dataclass(frozen=True)
class Principal:
    """The signed-in account a request acts as; only active accounts become principals."""

    username: str
    role: UserRole
    body: str | None = None  # ministry reviewers: the consenting body (policy code, e.g. defence)
    party_id: str | None = None  # exporters: their company's party id

    def to_json(self) -> dict[str, str | None]:
        return {"username": self.username, "role": self.role.value, "body": self.body,
                "party_id": self.party_id}
