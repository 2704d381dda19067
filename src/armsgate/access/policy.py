"""The one place where access is decided: permissions, the roles they allow, and scopes.

Pure: `allows(principal, permission, resource=None) -> Decision`, and every
decision carries its reason. Some grants are scoped: an exporter acts only on
its own company's cases, a ministry reviewer only where its body is concerned.

- With a `resource`, the decision is about that resource (a case, an opinion).
- Without one, it is about the action in general (the gate of a route or a
  listing); a scoped grant is then allowed with `Decision.limit`, the filter the
  caller must apply to what it lists. A route about one resource must decide
  again with the resource once it has loaded it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from armsgate.access.roles import ROLE_TITLES, Principal, UserRole


class Permission(StrEnum):
    CASE_READ = "case.read"
    CASE_SUBMIT = "case.submit"
    CASE_AMEND = "case.amend"
    CASE_WITHDRAW = "case.withdraw"
    CASE_APPEAL = "case.appeal"
    CASE_RETURN = "case.return"
    CONSENT_GIVE = "consent.give"
    CONSENT_OVERDUE = "consent.overdue"
    NSC_AGENDA = "nsc.agenda"
    NSC_RESOLVE = "nsc.resolve"
    SUSPENSION_DECLARE = "suspension.declare"
    SUSPENSION_LIFT = "suspension.lift"
    LICENCE_DECIDE = "licence.decide"
    LICENCE_REVOKE = "licence.revoke"
    WORLD_READ = "world.read"
    WORLD_CHANGE = "world.change"
    REGISTERS_IMPORT = "registers.import"
    LISTS_IMPORT = "lists.import"
    SCREENING_SEARCH = "screening.search"
    SCREENING_DISMISS = "screening.dismiss"
    DASHBOARD_READ = "dashboard.read"
    OUTBOX_READ = "outbox.read"
    OUTBOX_DELIVER = "outbox.deliver"
    OBSERVE_RUN = "observe.run"
    AUDIT_READ = "audit.read"
    AUDIT_VERIFY = "audit.verify"
    USERS_READ = "users.read"
    USERS_MANAGE = "users.manage"
    ACCOUNT_SELF = "account.self"


class Reach(StrEnum):
    ALL = "all"
    OWN_PARTY = "own company"  # resource.party_id == principal.party_id
    OWN_BODY = "own body"  # principal.body in resource.bodies


R = UserRole
ALL, PARTY, BODY = Reach.ALL, Reach.OWN_PARTY, Reach.OWN_BODY
STAFF = (R.OFFICER, R.MINISTRY, R.NSC_SECRETARY, R.NSC_MEMBER, R.ANALYST, R.AUDITOR)


def _all(*roles: UserRole) -> dict[UserRole, Reach]:
    return dict.fromkeys(roles, ALL)


RULES: Mapping[Permission, tuple[str, Mapping[UserRole, Reach]]] = {
    Permission.CASE_READ: ("read a case: record, assessment, opinions, licence, history", {
        R.EXPORTER: PARTY, R.MINISTRY: BODY,
        **_all(R.OFFICER, R.NSC_SECRETARY, R.NSC_MEMBER, R.ANALYST, R.AUDITOR)}),
    Permission.CASE_SUBMIT: ("draft and submit an application", {R.EXPORTER: PARTY}),
    Permission.CASE_AMEND: ("amend a case (a new version)", {R.EXPORTER: PARTY}),
    Permission.CASE_WITHDRAW: ("withdraw a pending case", {R.EXPORTER: PARTY}),
    Permission.CASE_APPEAL: ("appeal a refusal", {R.EXPORTER: PARTY}),
    Permission.CASE_RETURN: ("return a case to the exporter for more information",
                             _all(R.OFFICER)),
    Permission.CONSENT_GIVE: ("give or refuse a body's consent (an opinion)", {R.MINISTRY: BODY}),
    Permission.CONSENT_OVERDUE: ("list consents requested and overdue",
                                 {R.MINISTRY: BODY, **_all(R.OFFICER, R.ANALYST)}),
    Permission.NSC_AGENDA: ("read the National Security Council's agenda",
                            _all(R.NSC_SECRETARY, R.NSC_MEMBER, R.OFFICER)),
    Permission.NSC_RESOLVE: ("record the council's resolution on a case", _all(R.NSC_SECRETARY)),
    Permission.SUSPENSION_DECLARE: ("declare a suspension order (preview and apply)",
                                    _all(R.NSC_SECRETARY)),
    Permission.SUSPENSION_LIFT: ("lift a suspension order (preview and apply)",
                                 _all(R.NSC_SECRETARY)),
    Permission.LICENCE_DECIDE: ("decide: grant a licence or refuse (EU Common Position)",
                                _all(R.OFFICER)),
    Permission.LICENCE_REVOKE: ("revoke a licence", _all(R.OFFICER)),
    Permission.WORLD_READ: ("read registers and facts: parties, goods, embargoes, conflicts, "
                            "lists, policy", _all(*STAFF, R.ADMIN)),
    Permission.WORLD_CHANGE: ("record embargoes, conflicts, destination lists and policy",
                              _all(R.OFFICER)),
    Permission.REGISTERS_IMPORT: ("import register files", _all(R.OFFICER, R.ADMIN)),
    Permission.LISTS_IMPORT: ("import sanctions and denial list versions",
                              _all(R.OFFICER, R.ADMIN)),
    Permission.SCREENING_SEARCH: ("screen names against the lists", _all(R.OFFICER, R.ANALYST)),
    Permission.SCREENING_DISMISS: ("dismiss a screening hit as a false positive",
                                   _all(R.OFFICER)),
    Permission.DASHBOARD_READ: ("read dashboards and reports", _all(
        R.OFFICER, R.NSC_SECRETARY, R.NSC_MEMBER, R.ANALYST, R.AUDITOR)),
    Permission.OUTBOX_READ: ("read the notifications outbox", _all(R.OFFICER, R.ADMIN)),
    Permission.OUTBOX_DELIVER: ("deliver the outbox now", _all(R.ADMIN)),
    Permission.OBSERVE_RUN: ("run the scheduled job (what time changes)", _all(R.ADMIN)),
    Permission.AUDIT_READ: ("read the audit trail", _all(R.AUDITOR)),
    Permission.AUDIT_VERIFY: ("verify the audit trail's chain", _all(R.AUDITOR, R.ADMIN)),
    Permission.USERS_READ: ("list accounts and their roles", _all(R.ADMIN, R.AUDITOR)),
    Permission.USERS_MANAGE: ("create and disable accounts, set passwords, issue tokens",
                              _all(R.ADMIN)),
    Permission.ACCOUNT_SELF: ("read one's own account, change its password, sign out",
                              _all(*UserRole)),
}


@dataclass(frozen=True)
class Resource:
    """What an action is about, with the facts that scoped grants look at."""

    kind: str  # application | opinion | licence | ...
    id: str | None = None
    party_id: str | None = None  # the case's exporter
    bodies: frozenset[str] = frozenset()  # the bodies concerned (required consents; an opinion's)

    @classmethod
    def case(cls, case_id: str, exporter: str, bodies: Iterable[str] = ()) -> Resource:
        """A case; `bodies`: those whose consent it requires (a ministry reviewer reads those)."""
        return cls("application", case_id, exporter, frozenset(bodies))

    @classmethod
    def opinion(cls, case_id: str, exporter: str, body: str) -> Resource:
        return cls("opinion", case_id, exporter, frozenset({body}))


@dataclass(frozen=True)
class Limit:
    """The filter a listing must apply for a scoped grant (exporter's party, reviewer's body)."""

    party_id: str | None = None
    body: str | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    permission: str
    limit: Limit | None = None  # only on an allowed decision without a resource

    def __bool__(self) -> bool:
        return self.allowed


def allows(principal: Principal, permission: Permission | str,
           resource: Resource | None = None) -> Decision:
    """May `principal` do `permission` (on `resource`)? Always with the reason."""
    try:
        perm = Permission(permission)
    except ValueError:
        return Decision(False, f"no access rule for {permission!r}: denied", str(permission))
    role, grants = principal.role, RULES[perm][1]
    who = f"{principal.username} ({role.value})"
    reach = grants.get(role)
    if reach is None:
        allowed = ", ".join(r.value for r in grants)
        return Decision(False, f"{who} may not {perm.value}: only {allowed}", perm.value)
    if reach is ALL:
        return Decision(True, f"{who} may {perm.value}", perm.value)
    if reach is PARTY:
        return _scoped(perm, who, "company", principal.party_id, resource,
                       None if resource is None else resource.party_id == principal.party_id)
    return _scoped(perm, who, "body", principal.body, resource,
                   None if resource is None else principal.body in resource.bodies)


def _scoped(perm: Permission, who: str, noun: str, own: str | None,
            resource: Resource | None, match: bool | None) -> Decision:
    if own is None:
        return Decision(False, f"{who} has no {noun} on its account: {perm.value} denied",
                        perm.value)
    if resource is None:
        limit = Limit(party_id=own) if noun == "company" else Limit(body=own)
        return Decision(True, f"{who} may {perm.value} for its {noun} {own} only", perm.value,
                        limit)
    what = f"{resource.kind} {resource.id}" if resource.id else resource.kind
    if match:
        return Decision(True, f"{who} may {perm.value}: {what} concerns its {noun} {own}",
                        perm.value)
    return Decision(False, f"{who} may not {perm.value}: {what} does not concern its "
                           f"{noun} {own}", perm.value)


def roles_for(permission: Permission) -> dict[UserRole, Reach]:
    return dict(RULES[permission][1])


def permissions_table() -> str:
    """The rules as a Markdown table (docs/access.md holds it; a test keeps it current)."""
    lines = ["| permission | what it allows | roles |", "| --- | --- | --- |"]
    for perm, (text, grants) in RULES.items():
        roles = ", ".join(r.value if reach is ALL else f"{r.value} ({reach.value})"
                          for r, reach in grants.items())
        lines.append(f"| `{perm.value}` | {text} | {roles} |")
    return "\n".join(lines)


def roles_table() -> str:
    lines = ["| role | who |", "| --- | --- |"]
    lines += [f"| `{role.value}` | {title} |" for role, title in ROLE_TITLES.items()]
    return "\n".join(lines)
