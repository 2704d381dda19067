"""The access policy: every permission's roles, the scopes, and the reason of each decision."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armsgate.access.policy import (
    RULES,
    Limit,
    Permission,
    Reach,
    Resource,
    allows,
    permissions_table,
    roles_table,
)
from armsgate.access.roles import Principal, UserRole

DOCS = Path(__file__).resolve().parents[2] / "docs" / "access.md"
P = Permission
R = UserRole

EXPORTER = Principal("acme-clerk", R.EXPORTER, party_id="acme")
MINISTRY = Principal("mod-reviewer", R.MINISTRY, body="defence")
PEOPLE = {
    R.EXPORTER: EXPORTER, R.MINISTRY: MINISTRY,
    **{r: Principal(f"{r.value}-1", r) for r in R if r not in (R.EXPORTER, R.MINISTRY)},
}
ACME_CASE = Resource.case("APP-1", "acme", bodies=["defence", "foreign_affairs"])
OTHER_CASE = Resource.case("APP-2", "zastava", bodies=["foreign_affairs"])

# (permission, roles allowed without a resource): the intent, written out once more.
EXPECTED = {
    P.CASE_READ: set(R) - {R.ADMIN},
    P.CASE_SUBMIT: {R.EXPORTER}, P.CASE_AMEND: {R.EXPORTER}, P.CASE_WITHDRAW: {R.EXPORTER},
    P.CASE_APPEAL: {R.EXPORTER}, P.CASE_RETURN: {R.OFFICER},
    P.CONSENT_GIVE: {R.MINISTRY}, P.CONSENT_OVERDUE: {R.MINISTRY, R.OFFICER, R.ANALYST},
    P.NSC_AGENDA: {R.NSC_SECRETARY, R.NSC_MEMBER, R.OFFICER}, P.NSC_RESOLVE: {R.NSC_SECRETARY},
    P.SUSPENSION_DECLARE: {R.NSC_SECRETARY}, P.SUSPENSION_LIFT: {R.NSC_SECRETARY},
    P.LICENCE_DECIDE: {R.OFFICER}, P.LICENCE_REVOKE: {R.OFFICER},
    P.WORLD_READ: set(R) - {R.EXPORTER}, P.WORLD_CHANGE: {R.OFFICER},
    P.REGISTERS_IMPORT: {R.OFFICER, R.ADMIN}, P.LISTS_IMPORT: {R.OFFICER, R.ADMIN},
    P.SCREENING_SEARCH: {R.OFFICER, R.ANALYST}, P.SCREENING_DISMISS: {R.OFFICER},
    P.DASHBOARD_READ: {R.OFFICER, R.NSC_SECRETARY, R.NSC_MEMBER, R.ANALYST, R.AUDITOR},
    P.OUTBOX_READ: {R.OFFICER, R.ADMIN}, P.OUTBOX_DELIVER: {R.ADMIN},
    P.OBSERVE_RUN: {R.ADMIN}, P.AUDIT_READ: {R.AUDITOR}, P.AUDIT_VERIFY: {R.AUDITOR, R.ADMIN},
    P.USERS_READ: {R.ADMIN, R.AUDITOR}, P.USERS_MANAGE: {R.ADMIN}, P.ACCOUNT_SELF: set(R),
}


def test_every_permission_has_a_rule_and_the_expected_roles() -> None:
    assert set(RULES) == set(Permission) == set(EXPECTED)
    for perm, roles in EXPECTED.items():
        got = {role for role, who in PEOPLE.items() if allows(who, perm).allowed}
        assert got == roles, perm


@pytest.mark.parametrize("perm", list(Permission))
@pytest.mark.parametrize("role", list(UserRole))
def test_each_decision_names_who_what_and_why(perm: Permission, role: UserRole) -> None:
    decision = allows(PEOPLE[role], perm)
    assert decision.permission == perm.value
    assert PEOPLE[role].username in decision.reason
    assert perm.value in decision.reason
    assert bool(decision) is decision.allowed
    if not decision.allowed:
        assert "only" in decision.reason or "no " in decision.reason


def test_an_exporter_acts_only_on_its_own_company_cases() -> None:
    for perm in (P.CASE_READ, P.CASE_SUBMIT, P.CASE_AMEND, P.CASE_WITHDRAW, P.CASE_APPEAL):
        assert allows(EXPORTER, perm, ACME_CASE).allowed
        other = allows(EXPORTER, perm, OTHER_CASE)
        assert not other.allowed
        assert "does not concern its company acme" in other.reason
        general = allows(EXPORTER, perm)
        assert general.allowed
        assert general.limit == Limit(party_id="acme")
    assert not allows(EXPORTER, P.LICENCE_DECIDE, ACME_CASE).allowed


def test_an_exporter_without_a_company_gets_nothing_scoped() -> None:
    orphan = Principal("nobody", R.EXPORTER)
    decision = allows(orphan, P.CASE_READ)
    assert not decision.allowed
    assert "no company" in decision.reason
    assert allows(orphan, P.ACCOUNT_SELF).allowed


def test_a_ministry_reviewer_acts_only_for_its_body() -> None:
    assert allows(MINISTRY, P.CONSENT_GIVE, Resource.opinion("APP-1", "acme", "defence"))
    refused = allows(MINISTRY, P.CONSENT_GIVE, Resource.opinion("APP-1", "acme", "interior"))
    assert not refused.allowed
    assert "opinion APP-1 does not concern its body defence" in refused.reason
    assert allows(MINISTRY, P.CASE_READ, ACME_CASE).allowed
    assert not allows(MINISTRY, P.CASE_READ, OTHER_CASE).allowed
    assert allows(MINISTRY, P.CASE_READ).limit == Limit(body="defence")
    assert not allows(Principal("x", R.MINISTRY), P.CONSENT_GIVE).allowed


def test_unscoped_roles_decide_without_a_limit() -> None:
    decision = allows(PEOPLE[R.OFFICER], P.CASE_READ, OTHER_CASE)
    assert decision.allowed
    assert decision.limit is None
    denied = allows(PEOPLE[R.ANALYST], P.LICENCE_DECIDE)
    assert denied.reason == "analyst-1 (analyst) may not licence.decide: only officer"


def test_an_unknown_permission_is_denied() -> None:
    decision = allows(PEOPLE[R.ADMIN], "case.delete")
    assert not decision.allowed
    assert "no access rule for 'case.delete'" in decision.reason
    assert allows(PEOPLE[R.ADMIN], "users.manage").allowed  # plain strings work too


def test_docs_access_md_holds_the_current_tables() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert permissions_table() in text, "docs/access.md: paste permissions_table() again"
    assert roles_table() in text, "docs/access.md: paste roles_table() again"


principals = st.builds(Principal, st.sampled_from(["u1", "u2"]), st.sampled_from(list(R)),
                       st.sampled_from([None, "defence", "interior"]),
                       st.sampled_from([None, "acme", "zastava"]))
resources = st.none() | st.builds(Resource, st.sampled_from(["application", "opinion"]),
                                  st.sampled_from([None, "APP-1"]),
                                  st.sampled_from([None, "acme", "zastava"]),
                                  st.frozensets(st.sampled_from(["defence", "interior"])))


@given(who=principals, perm=st.sampled_from(list(Permission)), resource=resources)
def test_scoped_grants_never_reach_beyond_their_scope(who: Principal, perm: Permission,
                                                     resource: Resource | None) -> None:
    decision = allows(who, perm, resource)
    reach = RULES[perm][1].get(who.role)
    if reach is None:
        assert not decision.allowed
    if decision.allowed and resource is not None:
        if reach is Reach.OWN_PARTY:
            assert resource.party_id == who.party_id is not None
        if reach is Reach.OWN_BODY:
            assert who.body in resource.bodies
    if decision.allowed and resource is None and reach is not Reach.ALL:
        assert decision.limit is not None
